"""A manufacturer's assessment of a vulnerability for some components: a waiver or a VEX statement.

Waivers (``waivers.yml``) and VEX documents (OpenVEX, CycloneDX ``analysis``, CSAF 2.0 VEX) say
the same thing in different files: *this vulnerability, in these components, has this status,
for this reason*. Both are read into :class:`Assessment` values, so policy applies them one way
and every report shows which record decided what. A waiver also carries its controls (approver,
approval date, expiry, links); a VEX statement carries where it came from. What each status does
to a finding (a valid waiver accepts it whatever its status; a VEX ``not_affected`` or ``fixed``
statement takes it out of the failing set; any statement counts as an assessment) is policy's
business, not this module's.

Statuses and justifications are the CISA VEX minimum-elements vocabulary (the same words
OpenVEX uses; CycloneDX and CSAF terms are mapped onto them by their readers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class VexStatus(StrEnum):
    NOT_AFFECTED = "not_affected"
    AFFECTED = "affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"


class Justification(StrEnum):
    """Why a product is ``not_affected`` (CISA's five justification codes)."""

    COMPONENT_NOT_PRESENT = "component_not_present"
    VULNERABLE_CODE_NOT_PRESENT = "vulnerable_code_not_present"
    VULNERABLE_CODE_NOT_IN_EXECUTE_PATH = "vulnerable_code_not_in_execute_path"
    VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY = (
        "vulnerable_code_cannot_be_controlled_by_adversary"
    )
    INLINE_MITIGATIONS_ALREADY_EXIST = "inline_mitigations_already_exist"


class AssessmentKind(StrEnum):
    WAIVER = "waiver"
    OPENVEX = "openvex"
    CYCLONEDX_VEX = "cyclonedx-vex"
    CSAF_VEX = "csaf-vex"


@dataclass(frozen=True, slots=True)
class ComponentSelector:
    """Which components an assessment covers; every stated part must hold (AND).

    ``purl``: a package URL without version (``pkg:pypi/requests``), or with a version
    (``pkg:pypi/requests@2.25.1``: that version only); ``*`` wildcards are allowed in a waiver's
    pattern. ``cpe``: a CPE 2.3 name; its version, when not ``*``, must equal the component's.
    ``name``: the component's name (case-insensitive), for items that have neither.
    ``versions``: a version range in the component's version scheme (``>=2.0,<2.31.0``) or an
    explicit list (``==2.25.1``); a waiver must state one, VEX products name versions in their
    identifiers instead.
    """

    purl: str | None = None
    cpe: str | None = None
    name: str | None = None
    versions: str | None = None

    def describe(self) -> str:
        parts = [p for p in (self.purl, self.cpe, self.name) if p]
        text = " ".join(parts) or "any component"
        return f"{text} {self.versions}" if self.versions else text


@dataclass(frozen=True, slots=True)
class AssessmentSource:
    """Where an assessment is written: the file, the position in it, the record's own id."""

    kind: AssessmentKind
    path: str
    line: int | None = None
    """Line of the record in a YAML/JSON file, when known."""
    pointer: str | None = None
    """JSON pointer of the statement in a VEX document (``/statements/3``)."""
    document_id: str | None = None
    """The VEX document's id (OpenVEX ``@id``, CycloneDX serialNumber, CSAF tracking id)."""
    sha256: str | None = None

    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f"#{self.pointer}"
        return where


@dataclass(frozen=True, slots=True)
class Assessment:
    """One vulnerability assessed for the components its selectors name."""

    id: str
    """Stable id: the waiver's ``id``; for VEX, the document id and statement position."""
    vulnerability: str
    """The advisory id or an alias as written (``CVE-2023-32681``, ``GHSA-...``, ``PYSEC-...``)."""
    status: VexStatus
    components: tuple[ComponentSelector, ...]
    source: AssessmentSource
    justification: Justification | None = None
    impact: str | None = None
    """Impact statement / rationale (why not affected, in people's words)."""
    action: str | None = None
    """Action statement (what to do, for ``affected``)."""
    approver: str | None = None
    approved_on: date | None = None
    expires_on: date | None = None
    links: tuple[str, ...] = ()
    """Tickets, risk-file items, CAPA records."""
    timestamp: str | None = None
    """When the statement was made (VEX), RFC 3339 as written."""
    aliases: tuple[str, ...] = ()
    """Other ids the statement gives the same vulnerability (OpenVEX ``aliases``, CycloneDX
    ``references``, CSAF ``cve`` and ``ids``): a finding known by any of them is covered."""

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    @property
    def label(self) -> str:
        """How reports name the record: ``waiver WVR-2026-007``, ``OpenVEX statement
        vex/doc.json#/statements/0``."""
        if self.source.kind is AssessmentKind.WAIVER:
            return f"waiver {self.id}"
        where = self.source.path + (f"#{self.source.pointer}" if self.source.pointer else "")
        return f"{_KIND_WORDS[self.source.kind]} statement {where}"


_KIND_WORDS = {
    AssessmentKind.WAIVER: "waiver",
    AssessmentKind.OPENVEX: "OpenVEX",
    AssessmentKind.CYCLONEDX_VEX: "CycloneDX VEX",
    AssessmentKind.CSAF_VEX: "CSAF VEX",
}


class AssessmentEffect(StrEnum):
    """What an assessment did to one finding."""

    WAIVED = "waived"
    """A valid waiver accepted the finding: its failing and warning outcomes are suppressed."""
    NOT_AFFECTED = "not-affected"
    """A VEX ``not_affected`` statement suppressed the finding's outcomes."""
    FIXED = "fixed"
    """A VEX ``fixed`` statement suppressed the finding's outcomes."""
    ASSESSED = "assessed"
    """A VEX ``affected`` / ``under_investigation`` statement: assessed, nothing suppressed."""
    EXPIRED = "expired"
    """An expired waiver: nothing suppressed, and a violation of its own."""
    NOT_APPLIED = "not-applied"
    """The assessment names the vulnerability but could not be applied (``reason`` says why)."""

    @property
    def suppresses(self) -> bool:
        return self in (
            AssessmentEffect.WAIVED,
            AssessmentEffect.NOT_AFFECTED,
            AssessmentEffect.FIXED,
        )

    @property
    def assesses(self) -> bool:
        """Whether the finding counts as assessed (for the ``vulnerability-unassessed`` rule)."""
        return self.suppresses or self is AssessmentEffect.ASSESSED


@dataclass(frozen=True, slots=True)
class AppliedAssessment:
    """One assessment applied to one finding (component bom-ref x advisory id)."""

    assessment: Assessment
    component_ref: str
    advisory: str
    effect: AssessmentEffect
    reason: str | None = None
    """Why an assessment was not applied, or what else the effect rests on."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.component_ref, self.advisory)
