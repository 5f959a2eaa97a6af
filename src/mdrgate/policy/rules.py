"""Rule definitions as frozen values, one class per rule type.

These are the parsed form of a policy file (``policies/schema/policy.schema.json`` describes the
file). Evaluation lives in ``evaluation.py``; a rule here holds no logic beyond its parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mdrgate.model import Action, ComponentClass, Rating, SafetyClass


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
    VULNERABILITY_CVSS = "vulnerability-cvss"
    VULNERABILITY_RATING = "vulnerability-rating"
    VULNERABILITY_KEV = "vulnerability-kev"
    VULNERABILITY_EPSS = "vulnerability-epss"
    VULNERABILITY_FIX = "vulnerability-fix"
    VULNERABILITY_AGE = "vulnerability-age"
    VULNERABILITY_UNASSESSED = "vulnerability-unassessed"
    DATA_FRESHNESS = "data-freshness"
    LICENCE = "licence"
    SBOM_NTIA_ELEMENTS = "sbom-ntia-elements"
    SBOM_KNOWN_UNKNOWNS = "sbom-known-unknowns"
    SOUP_ANOMALY_LIST = "soup-anomaly-list"
    SOUP_NO_RELEASE = "soup-no-release"


DEFAULT_CLAUSES: dict[RuleType, str] = {
    RuleType.VULNERABILITY_CVSS: "IEC 81001-5-1 5.7 (known vulnerabilities); MDR Annex I 17.2",
    RuleType.VULNERABILITY_RATING: "IEC 81001-5-1 5.7 (known vulnerabilities); MDR Annex I 17.2",
    RuleType.VULNERABILITY_KEV: "IEC 81001-5-1 5.7 and 6.1.1; CISA Known Exploited "
    "Vulnerabilities catalog",
    RuleType.VULNERABILITY_EPSS: "IEC 81001-5-1 5.7 (known vulnerabilities), 7 (security risk "
    "management)",
    RuleType.VULNERABILITY_FIX: "IEC 81001-5-1 6.1.1 (security updates)",
    RuleType.VULNERABILITY_AGE: "IEC 81001-5-1 6.1.1 (timeframes for security updates)",
    RuleType.VULNERABILITY_UNASSESSED: "IEC 81001-5-1 6.1.1 (vulnerability assessment); "
    "IEC 62304 7.1.3",
    RuleType.DATA_FRESHNESS: "IEC 81001-5-1 6.2.1 (monitoring of vulnerability sources)",
    RuleType.LICENCE: "licence obligations of third-party components (IEC 81001-5-1 4.3)",
    RuleType.SBOM_NTIA_ELEMENTS: "NTIA Minimum Elements for an SBOM (2021): data fields; "
    "FDA premarket cybersecurity guidance (SBOM)",
    RuleType.SBOM_KNOWN_UNKNOWNS: "NTIA Minimum Elements for an SBOM (2021): known unknowns; "
    "IEC 62304 8.1.2 (unique designator)",
    RuleType.SOUP_ANOMALY_LIST: "IEC 62304 7.1.3 (evaluation of published SOUP anomaly lists)",
    RuleType.SOUP_NO_RELEASE: "IEC 81001-5-1 4.3 (maintenance of third-party components); FDA "
    "premarket cybersecurity guidance (level of support)",
}
"""The clause an outcome names when the policy states none, for the rule types that have one."""


class CvssVersion(StrEnum):
    """A CVSS major version a rule can name; ``severity_type`` is how OSV (and mdrgate) label its
    vectors (CVSS 3.0 and 3.1 are both ``CVSS_V3``)."""

    V2 = "v2"
    V3 = "v3"
    V4 = "v4"

    @property
    def severity_type(self) -> str:
        return f"CVSS_{self.name}"


class FixState(StrEnum):
    """``available``: a fixed version is known; ``none``: no fixed version is known."""

    AVAILABLE = "available"
    NONE = "none"


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
    """Which subjects a rule looks at; every selector stated must hold, an empty one means all.

    ``safety_classes`` is the product's IEC 62304 class; the others are the component's
    (:func:`mdrgate.policy.scope.covers`). ``purls`` are patterns without version (``*`` in the
    namespace and name), normalised as :func:`mdrgate.policy.assessments.parse_purl_pattern`
    does. ``soup_safety_relevant``: ``True`` selects every component the SOUP register does not
    positively declare not safety-relevant (unstated relevance counts as relevant: fail
    closed), ``False`` only those it declares ``safety_relevant: false``; ``None``: all.
    """

    component_classes: frozenset[ComponentClass] = frozenset()
    safety_classes: frozenset[SafetyClass] = frozenset()
    ecosystems: frozenset[str] = frozenset()
    purls: tuple[str, ...] = ()
    soup_safety_relevant: bool | None = None


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
    unknown: Action | None = None
    """What an end of support nobody states gets (no register date, no endoflife.date cycle);
    ``None``: pass, the message saying why it is unknown."""

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
class SoupAnomalyListRule(RuleBase):
    """Register items whose anomaly list was evaluated before an advisory that affects them was
    published: the evaluation the register records no longer covers what is known."""

    type = RuleType.SOUP_ANOMALY_LIST


@dataclass(frozen=True, slots=True)
class SoupNoReleaseRule(RuleBase):
    """Components whose release cycle has seen no release for longer than ``within_days``, when
    endoflife.date states the cycle's latest release: a sign of an unmaintained line."""

    within_days: int = 730

    type = RuleType.SOUP_NO_RELEASE


@dataclass(frozen=True, slots=True)
class SoupNotEvidencedRule(RuleBase):
    """Register entries no firmware input showed."""

    type = RuleType.SOUP_NOT_EVIDENCED


@dataclass(frozen=True, slots=True)
class EvidenceConflictRule(RuleBase):
    """Components found at several versions."""

    type = RuleType.EVIDENCE_CONFLICT


@dataclass(frozen=True, slots=True)
class VulnerabilityCvssRule(RuleBase):
    """CVSS base score thresholds per CVSS version.

    Only the versions named count. The rule takes its action when, for any named version, the
    highest score of that version's vectors (the finding's and its aliases') reaches that
    version's threshold; with equal thresholds that is "the highest score of the named versions".
    Vectors of versions not named are shown but ignored. A finding with no score of any named
    version gets ``unscored`` (``None``: pass).
    """

    thresholds: tuple[tuple[CvssVersion, float], ...] = ()
    unscored: Action | None = Action.FAIL
    below_threshold: Action | None = None

    type = RuleType.VULNERABILITY_CVSS


@dataclass(frozen=True, slots=True)
class VulnerabilityRatingRule(RuleBase):
    """A qualitative severity floor: the finding's rating (CVSS v3/v4 bands of its highest score,
    :class:`mdrgate.model.Rating`) at or above ``min_rating`` takes the action."""

    min_rating: Rating = Rating.HIGH
    unscored: Action | None = Action.FAIL
    below_threshold: Action | None = None

    type = RuleType.VULNERABILITY_RATING


@dataclass(frozen=True, slots=True)
class VulnerabilityKevRule(RuleBase):
    """A finding whose CVE is in CISA's Known Exploited Vulnerabilities catalog."""

    without_catalog: Action | None = Action.WARN
    """Outcome for each finding when the database holds no KEV catalog (listing unknown)."""

    type = RuleType.VULNERABILITY_KEV


@dataclass(frozen=True, slots=True)
class VulnerabilityEpssRule(RuleBase):
    """FIRST EPSS: a score (``min_epss``) or percentile (``min_percentile``) at or above the
    threshold takes the action (either threshold reached is enough)."""

    min_epss: float | None = None
    min_percentile: float | None = None
    unscored: Action | None = Action.WARN

    type = RuleType.VULNERABILITY_EPSS


@dataclass(frozen=True, slots=True)
class VulnerabilityFixRule(RuleBase):
    """Findings for which a fixed version is known (``available``) or none is (``none``)."""

    fix: FixState = FixState.AVAILABLE

    type = RuleType.VULNERABILITY_FIX


@dataclass(frozen=True, slots=True)
class VulnerabilityAgeRule(RuleBase):
    """Known longer than the grace period of its rating (IEC 81001-5-1 6.1.1 timeframes).

    The age runs from the earliest publication date of the vulnerability's records (the finding's
    advisory and its aliases). A rating without a grace period is not judged by age (the outcome
    says so); ``undated``: a finding without any publication date.
    """

    grace_days: tuple[tuple[Rating, int], ...] = ()
    undated: Action | None = Action.WARN

    type = RuleType.VULNERABILITY_AGE

    def grace_for(self, rating: Rating) -> int | None:
        for known, days in self.grace_days:
            if known is rating:
                return days
        return None


@dataclass(frozen=True, slots=True)
class VulnerabilityUnassessedRule(RuleBase):
    """Every finding must be covered by a waiver or a VEX statement (a fixed vulnerability is no
    finding): the IEC 62304 / IEC 81001-5-1 record that each known vulnerability was assessed."""

    type = RuleType.VULNERABILITY_UNASSESSED


@dataclass(frozen=True, slots=True)
class DataFreshnessRule(RuleBase):
    """Vulnerability data sources older than ``max_age_days`` (age as
    :func:`mdrgate.vulndb.freshness.age_days` tells it)."""

    max_age_days: float = 7.0
    sources: tuple[str, ...] = ()
    """Source-name patterns (``*`` wildcards, e.g. ``osv/*``, ``kev``); empty: every source."""
    unknown_age: Action | None = None
    """Outcome for a source whose age is unknown; ``None`` means the rule's action (fail
    closed)."""

    type = RuleType.DATA_FRESHNESS


class NtiaElementName(StrEnum):
    """A per-component NTIA minimum element a policy can require (the names of
    :class:`mdrgate.policy.sbom_quality.NtiaElement`)."""

    SUPPLIER = "supplier"
    VERSION = "version"
    IDENTIFIER = "identifier"


@dataclass(frozen=True, slots=True)
class LicenceRule(RuleBase):
    """Declared licences (SPDX expressions) against allow/deny patterns
    (:func:`mdrgate.policy.licences.judge_licences`): allowed passes; denied or not allowed takes
    the rule's action."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    undeclared: Action | None = Action.WARN
    """Outcome for a component that declares no licence (``None``: pass)."""
    unreadable: Action | None = None
    """Outcome for an expression that cannot be parsed; ``None`` means the rule's action."""

    type = RuleType.LICENCE


@dataclass(frozen=True, slots=True)
class SbomNtiaElementsRule(RuleBase):
    """Components that lack any of ``elements`` (NTIA minimum elements per component; the
    identifier is a purl or a CPE, so "components without purl/CPE" is ``elements:
    [identifier]``)."""

    elements: tuple[NtiaElementName, ...] = tuple(NtiaElementName)

    type = RuleType.SBOM_NTIA_ELEMENTS


@dataclass(frozen=True, slots=True)
class SbomKnownUnknownsRule(RuleBase):
    """The components in scope without a version ("known unknowns") over a count or a share of
    the components in scope: one outcome for the inventory. Either limit exceeded is enough."""

    max_unknown: int | None = None
    max_unknown_ratio: float | None = None

    type = RuleType.SBOM_KNOWN_UNKNOWNS


VULNERABILITY_RULE_TYPES = (
    VulnerabilityCvssRule,
    VulnerabilityRatingRule,
    VulnerabilityKevRule,
    VulnerabilityEpssRule,
    VulnerabilityFixRule,
    VulnerabilityAgeRule,
    VulnerabilityUnassessedRule,
    DataFreshnessRule,
)
"""The rule classes :func:`mdrgate.policy.vulnerability_rules.judge_vulnerabilities` evaluates."""

VulnerabilityRule = (
    VulnerabilityCvssRule
    | VulnerabilityRatingRule
    | VulnerabilityKevRule
    | VulnerabilityEpssRule
    | VulnerabilityFixRule
    | VulnerabilityAgeRule
    | VulnerabilityUnassessedRule
    | DataFreshnessRule
)

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
    | SoupAnomalyListRule
    | SoupNoReleaseRule
    | EvidenceConflictRule
    | VulnerabilityRule
    | LicenceRule
    | SbomNtiaElementsRule
    | SbomKnownUnknownsRule
)
