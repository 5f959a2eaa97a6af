"""Rule definitions as frozen values, one class per rule type.

These are the parsed form of a policy file (``policies/schema/policy.schema.json`` describes the
file). Evaluation lives in ``evaluation.py``; a rule here holds no logic beyond its parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mdrgate.model import Action, ComponentClass, SafetyClass


class RuleType(StrEnum):
    VULNERABILITY_SEVERITY = "vulnerability-severity"
    BANNED_COMPONENT = "banned-component"
    SOUP_END_OF_SUPPORT = "soup-end-of-support"
    SOUP_LEVEL_OF_SUPPORT = "soup-level-of-support"
    SOUP_REGISTER_FIELDS = "soup-register-fields"
    UNASSESSED_COMPONENT = "unassessed-component"
    SOUP_UNDECLARED = "soup-undeclared"
    SOUP_VERSION_DRIFT = "soup-version-drift"
    SOUP_NOT_EVIDENCED = "soup-not-evidenced"
    EVIDENCE_CONFLICT = "evidence-conflict"


class RegisterField(StrEnum):
    """SOUP register fields a policy can require, with the IEC 62304 clause each serves."""

    NAME = "name"
    VERSION = "version"
    SUPPLIER = "supplier"
    LICENSE = "license"
    IDENTIFIER = "identifier"
    LEVEL_OF_SUPPORT = "level_of_support"
    END_OF_SUPPORT = "end_of_support"
    REQUIREMENTS = "requirements"
    PREREQUISITES = "prerequisites"
    ANOMALY_LIST_EVALUATED = "anomaly_list_evaluated"

    @property
    def clause(self) -> str:
        return _FIELD_CLAUSES[self]


_FIELD_CLAUSES = {
    RegisterField.NAME: "IEC 62304 8.1.2 (title)",
    RegisterField.VERSION: "IEC 62304 8.1.2 (unique designator)",
    RegisterField.SUPPLIER: "IEC 62304 8.1.2 (manufacturer)",
    RegisterField.LICENSE: "licence obligations",
    RegisterField.IDENTIFIER: "NTIA minimum elements (other unique identifiers: purl or CPE)",
    RegisterField.LEVEL_OF_SUPPORT: "IEC 81001-5-1 4.3; FDA premarket guidance (level of support)",
    RegisterField.END_OF_SUPPORT: "FDA premarket cybersecurity (end-of-support date)",
    RegisterField.REQUIREMENTS: "IEC 62304 5.3.3 (functional and performance requirements)",
    RegisterField.PREREQUISITES: "IEC 62304 5.3.4 (required hardware and software)",
    RegisterField.ANOMALY_LIST_EVALUATED: "IEC 62304 7.1.3 (evaluation of published anomaly lists)",
}


@dataclass(frozen=True, slots=True)
class Scope:
    """Which subjects a rule looks at; empty means all."""

    component_classes: frozenset[ComponentClass] = frozenset()
    safety_classes: frozenset[SafetyClass] = frozenset()


@dataclass(frozen=True, slots=True)
class RuleBase:
    id: str
    action: Action
    source: str
    """The policy file (display path or builtin:NAME) that defined this rule."""
    clause: str | None = None
    description: str | None = None
    scope: Scope = field(default_factory=Scope)


@dataclass(frozen=True, slots=True)
class VulnerabilitySeverityRule(RuleBase):
    min_cvss: float = 7.0
    unknown_severity: Action = Action.FAIL
    below_threshold: Action | None = None
    """``None`` means findings below the threshold pass this rule."""

    type = RuleType.VULNERABILITY_SEVERITY


@dataclass(frozen=True, slots=True)
class Ban:
    reason: str
    name: str | None = None
    purl: str | None = None
    versions: str | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class BannedComponentRule(RuleBase):
    bans: tuple[Ban, ...] = ()

    type = RuleType.BANNED_COMPONENT


@dataclass(frozen=True, slots=True)
class SoupEndOfSupportRule(RuleBase):
    """Support that has ended, by the SOUP register's date and by the component's endoflife.date
    release cycle (the earlier end counts)."""

    warn_within_days: int | None = None
    """Support ending within this many days from the run is a warning; ``None``: no warning."""

    type = RuleType.SOUP_END_OF_SUPPORT


@dataclass(frozen=True, slots=True)
class SoupLevelOfSupportRule(RuleBase):
    levels: frozenset[str] = frozenset()
    """Levels that trigger the action; ``unstated`` stands for an item that states none."""

    type = RuleType.SOUP_LEVEL_OF_SUPPORT


@dataclass(frozen=True, slots=True)
class SoupRegisterFieldsRule(RuleBase):
    required: tuple[tuple[SafetyClass, tuple[RegisterField, ...]], ...] = ()

    type = RuleType.SOUP_REGISTER_FIELDS

    def fields_for(self, safety_class: SafetyClass) -> tuple[RegisterField, ...]:
        for cls, fields in self.required:
            if cls is safety_class:
                return fields
        return ()


@dataclass(frozen=True, slots=True)
class UnassessedComponentRule(RuleBase):
    reasons: frozenset[str] = frozenset()

    type = RuleType.UNASSESSED_COMPONENT


@dataclass(frozen=True, slots=True)
class SoupUndeclaredRule(RuleBase):
    """Components found that the SOUP register does not list."""

    without_register: Action | None = Action.WARN
    """What a run with no register at all gets (``None``: pass)."""

    type = RuleType.SOUP_UNDECLARED


@dataclass(frozen=True, slots=True)
class SoupVersionDriftRule(RuleBase):
    """Register entries found at another version than the one declared."""

    type = RuleType.SOUP_VERSION_DRIFT


@dataclass(frozen=True, slots=True)
class SoupNotEvidencedRule(RuleBase):
    """Register entries no firmware input showed."""

    type = RuleType.SOUP_NOT_EVIDENCED


@dataclass(frozen=True, slots=True)
class EvidenceConflictRule(RuleBase):
    """Components found at several versions."""

    type = RuleType.EVIDENCE_CONFLICT


Rule = (
    VulnerabilitySeverityRule
    | BannedComponentRule
    | SoupEndOfSupportRule
    | SoupLevelOfSupportRule
    | SoupRegisterFieldsRule
    | UnassessedComponentRule
    | SoupUndeclaredRule
    | SoupVersionDriftRule
    | SoupNotEvidencedRule
    | EvidenceConflictRule
)
