"""A CPE match verdict as the rest of mdrgate sees it: a Finding, a Diagnostic, or nothing.

The evidence names the deciding ``cpeMatch`` entries — criteria, version bounds and
``matchCriteriaId`` — in ``affected_ranges``, and the conditions NVD attaches (a platform the
software runs on, a target hardware) in the notes, so a reviewer can check the match against the
CVE page and dismiss a conditional one with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from mdrgate.enrich.nvd_configurations import CveMatch, MatchStatus
from mdrgate.model.advisory import Advisory, SeverityVector
from mdrgate.model.component import Component
from mdrgate.model.diagnostic import Diagnostic, DiagnosticLevel
from mdrgate.model.finding import Finding

NOT_EVALUABLE = "advisory-not-evaluable"
"""The diagnostic code of an advisory that names a component but cannot be decided for it (the
code OSV matching uses for commit-only ranges)."""


def nvd_finding(
    component: Component,
    advisory: Advisory,
    match: CveMatch,
    severities: Sequence[SeverityVector] = (),
) -> Finding:
    """The finding of an affected component (``match.status`` must be AFFECTED)."""
    if match.status is not MatchStatus.AFFECTED:
        raise ValueError(f"{advisory.id}: only an affected match is a finding ({match.status})")
    notes: list[str] = []
    if match.conditional:
        notes.append(
            f"the NVD's configurations make {advisory.id} apply only "
            f"{'; '.join(match.decided_by[0].conditions)}; mdrgate cannot confirm this from the "
            "inventory and reports it"
        )
    notes.extend(f"matched {m.describe()}: {m.reason}" for m in match.decided_by)
    notes.extend(match.notes)
    # A deciding range "before V" (versionEndExcluding) names V as the release that fixes it; an
    # "up to V" (versionEndIncluding) or an exact version names no fix.
    fixed = tuple(
        dict.fromkeys(m.entry.end_excluding for m in match.decided_by if m.entry.end_excluding)
    )
    return Finding(
        component_ref=component.bom_ref,
        advisory=advisory,
        severities=tuple(dict.fromkeys(severities)),
        affected_ranges=tuple(dict.fromkeys(m.describe() for m in match.decided_by)),
        fixed_versions=fixed,
        notes=tuple(dict.fromkeys(notes)),
    )


def undetermined_diagnostic(component: Component, cve: str, match: CveMatch) -> Diagnostic:
    """The warning for a CVE whose configurations name the component but cannot be decided."""
    if match.status is not MatchStatus.UNDETERMINED:
        raise ValueError(f"{cve}: only an undetermined match is reported this way")
    origin = component.origins[0] if component.origins else None
    entries = ", ".join(m.describe() for m in match.decided_by)
    return Diagnostic(
        code=NOT_EVALUABLE,
        message=(
            f"{component.display}: {cve} names this component ({entries}) but whether it is "
            f"affected cannot be decided: {match.reason}; assess it by hand"
        ),
        level=DiagnosticLevel.WARNING,
        path=origin.path if origin else None,
        line=origin.line if origin else None,
        component=component.bom_ref,
    )
