"""Waivers and VEX statements applied to real findings (the report sample's PyPA advisories).

The records are fictional manufacturer's statements; the advisories, packages and versions are
real (tests/assets/report/osv).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from mdrgate.model import Inventory, OutcomeStatus, RuleOutcome
from mdrgate.model.assessment import (
    AppliedAssessment,
    Assessment,
    AssessmentEffect,
    AssessmentKind,
    AssessmentSource,
    ComponentSelector,
    Justification,
    VexStatus,
)
from mdrgate.policy.assessment_rules import (
    apply_assessments,
    assessment_outcomes,
    match_assessments,
)
from tests.unit.report.sample import COMPONENTS, FINDINGS, OUTCOMES, REQUESTS, URLLIB3

TODAY = date(2026, 11, 28)
INVENTORY = Inventory(components=COMPONENTS)


def waiver(
    wid: str,
    vulnerability: str,
    selector: ComponentSelector,
    *,
    expires: date = date(2027, 3, 31),
    status: VexStatus = VexStatus.AFFECTED,
) -> Assessment:
    return Assessment(
        id=wid,
        vulnerability=vulnerability,
        status=status,
        components=(selector,),
        source=AssessmentSource(AssessmentKind.WAIVER, "waivers.yml", line=7),
        impact="not reachable from the pump's network interface",
        action="update in release 2.5.0",
        approver="J. Novak",
        approved_on=date(2026, 10, 2),
        expires_on=expires,
        links=("CR-2291", "RMF H-SEC-014"),
    )


def vex(
    vulnerability: str,
    purl: str,
    status: VexStatus,
    *,
    index: int = 0,
    aliases: tuple[str, ...] = (),
) -> Assessment:
    return Assessment(
        id=f"urn:doc#/statements/{index}",
        vulnerability=vulnerability,
        status=status,
        components=(ComponentSelector(purl=purl),),
        source=AssessmentSource(
            AssessmentKind.OPENVEX,
            "vex/doc.json",
            line=9,
            pointer=f"/statements/{index}",
            document_id="urn:doc",
        ),
        justification=Justification.VULNERABLE_CODE_NOT_IN_EXECUTE_PATH
        if status is VexStatus.NOT_AFFECTED
        else None,
        impact="mailcap is never imported" if status is VexStatus.NOT_AFFECTED else None,
        aliases=aliases,
    )


URLLIB3_ONLY = ComponentSelector(purl="pkg:pypi/urllib3", versions="==1.26.5")


def run(*assessments: Assessment) -> tuple[list[RuleOutcome], list[RuleOutcome]]:
    """(policy outcomes after application, built-in assessment outcomes)."""
    matches = match_assessments(assessments, INVENTORY, FINDINGS, TODAY)
    return (
        apply_assessments(OUTCOMES, matches),
        list(assessment_outcomes(matches, INVENTORY, TODAY)),
    )


def by_advisory(outcomes: list[RuleOutcome]) -> dict[str | None, RuleOutcome]:
    return {o.advisory: o for o in outcomes if o.rule_id == "MDR-VULN-001"}


def test_valid_waiver_suppresses_exactly_its_finding() -> None:
    record = waiver("WVR-1", "PYSEC-2023-192", URLLIB3_ONLY)
    outcomes, own = run(record)
    vuln = by_advisory(outcomes)
    waived = vuln["PYSEC-2023-192"]
    assert waived.status is OutcomeStatus.SUPPRESSED
    assert waived.message.endswith(
        " — suppressed by waiver WVR-1 (approved by J. Novak on 2026-10-02, expires 2027-03-31)"
    )
    assert "without the assessment this outcome would be: fail" in waived.evidence
    assert "waiver WVR-1 (waivers.yml:7): waived; status affected" in waived.evidence
    assert "waiver WVR-1 links: CR-2291, RMF H-SEC-014" in waived.evidence
    assert "waiver WVR-1 action: update in release 2.5.0" in waived.evidence
    # The other advisory of the same component, and every other finding, are untouched.
    assert vuln["PYSEC-2023-212"].status is OutcomeStatus.WARN
    assert vuln["PYSEC-2023-74"].status is OutcomeStatus.FAIL
    assert vuln["PYSEC-2024-24"].status is OutcomeStatus.FAIL
    assert sum(o.status is OutcomeStatus.SUPPRESSED for o in outcomes) == 1
    assert own == []


def test_waiver_by_alias_covers_the_finding() -> None:
    # PYSEC-2023-74 is CVE-2023-32681.
    record = waiver("WVR-2", "CVE-2023-32681", ComponentSelector(name="requests", versions="<2.31"))
    matches = match_assessments((record,), INVENTORY, FINDINGS, TODAY)
    assert matches.assessed == {(REQUESTS.bom_ref, "PYSEC-2023-74")}
    assert [(a.key, a.effect) for a in matches.applied] == [
        ((REQUESTS.bom_ref, "PYSEC-2023-74"), AssessmentEffect.WAIVED)
    ]


def test_waiver_outside_its_version_range_is_unused() -> None:
    record = waiver(
        "WVR-3", "PYSEC-2023-192", ComponentSelector(purl="pkg:pypi/urllib3", versions=">=2")
    )
    outcomes, own = run(record)
    assert by_advisory(outcomes)["PYSEC-2023-192"].status is OutcomeStatus.FAIL
    assert [(o.rule_id, o.status, o.subject, o.advisory) for o in own] == [
        ("MDRGATE-WAIVER-UNUSED", OutcomeStatus.WARN, "inventory", "PYSEC-2023-192")
    ]
    assert own[0].message == (
        "waiver WVR-3 (PYSEC-2023-192) covers no finding: no component of the inventory "
        "matches its selectors"
    )


def test_expired_waiver_fails_on_its_own_and_suppresses_nothing() -> None:
    record = waiver("WVR-OLD", "PYSEC-2023-192", URLLIB3_ONLY, expires=date(2026, 5, 31))
    outcomes, own = run(record)
    assert by_advisory(outcomes)["PYSEC-2023-192"].status is OutcomeStatus.FAIL
    assert [(o.rule_id, o.status, o.subject, o.advisory) for o in own] == [
        ("MDRGATE-WAIVER-EXPIRED", OutcomeStatus.FAIL, URLLIB3.bom_ref, "PYSEC-2023-192")
    ]
    assert own[0].message == (
        "waiver WVR-OLD for PYSEC-2023-192 in urllib3 1.26.5 expired on 2026-05-31: it no "
        "longer accepts the finding, which is judged without it"
    )
    matches = match_assessments((record,), INVENTORY, FINDINGS, TODAY)
    assert matches.assessed == frozenset()


def test_waiver_expiring_today_is_still_valid() -> None:
    record = waiver("WVR-EDGE", "PYSEC-2023-192", URLLIB3_ONLY, expires=TODAY)
    outcomes, own = run(record)
    assert by_advisory(outcomes)["PYSEC-2023-192"].status is OutcomeStatus.SUPPRESSED
    assert own == []


def test_unused_expired_waiver_warns_and_says_it_expired() -> None:
    record = waiver(
        "WVR-GONE",
        "PYSEC-2021-108",
        ComponentSelector(purl="pkg:pypi/urllib3", versions="<2"),
        expires=date(2026, 1, 1),
    )
    _, own = run(record)
    assert [(o.rule_id, o.status) for o in own] == [("MDRGATE-WAIVER-UNUSED", OutcomeStatus.WARN)]
    assert own[0].message == (
        "waiver WVR-GONE (PYSEC-2021-108) covers no finding: it covers urllib3 1.26.5, where "
        "PYSEC-2021-108 was not found (fixed, or not in the vulnerability data); it also expired "
        "on 2026-01-01"
    )


def test_vex_not_affected_and_fixed_suppress_under_investigation_does_not() -> None:
    statements = (
        vex("CVE-2023-43804", "pkg:pypi/urllib3@1.26.5", VexStatus.NOT_AFFECTED, index=0),
        vex("PYSEC-2024-24", "pkg:pypi/aiohttp@3.8.1", VexStatus.FIXED, index=1),
        vex("CVE-2023-32681", "pkg:pypi/requests@2.25.1", VexStatus.UNDER_INVESTIGATION, index=2),
    )
    outcomes, own = run(*statements)
    vuln = by_advisory(outcomes)
    assert vuln["PYSEC-2023-192"].status is OutcomeStatus.SUPPRESSED
    assert vuln["PYSEC-2023-192"].message.endswith(
        "suppressed by OpenVEX statement vex/doc.json#/statements/0 (not_affected)"
    )
    assert vuln["PYSEC-2024-24"].status is OutcomeStatus.SUPPRESSED
    assert vuln["PYSEC-2023-74"].status is OutcomeStatus.FAIL
    assert (
        "OpenVEX statement vex/doc.json#/statements/2 (line 9): assessed; status "
        "under_investigation" in vuln["PYSEC-2023-74"].evidence
    )
    assert own == []
    matches = match_assessments(statements, INVENTORY, FINDINGS, TODAY)
    assert matches.assessed == {
        (URLLIB3.bom_ref, "PYSEC-2023-192"),
        ("pkg:pypi/aiohttp@3.8.1", "PYSEC-2024-24"),
        (REQUESTS.bom_ref, "PYSEC-2023-74"),
    }


def test_vex_statement_for_a_product_not_in_the_inventory_warns() -> None:
    statement = vex("CVE-2023-30861", "pkg:pypi/flask@2.2.4", VexStatus.NOT_AFFECTED)
    outcomes, own = run(statement)
    assert outcomes == apply_assessments(
        OUTCOMES, match_assessments((), INVENTORY, FINDINGS, TODAY)
    )
    assert [(o.rule_id, o.status, o.advisory) for o in own] == [
        ("MDRGATE-VEX-UNMATCHED", OutcomeStatus.WARN, "CVE-2023-30861")
    ]
    assert own[0].message == (
        "OpenVEX statement vex/doc.json#/statements/0 (CVE-2023-30861) covers no finding: no "
        "component of the inventory matches its products"
    )


def test_vex_statement_for_a_vulnerability_not_found_warns() -> None:
    statement = vex("CVE-2021-33503", "pkg:pypi/urllib3@1.26.5", VexStatus.NOT_AFFECTED)
    _, own = run(statement)
    assert [o.rule_id for o in own] == ["MDRGATE-VEX-UNMATCHED"]
    assert "it covers urllib3 1.26.5, where CVE-2021-33503 was not found" in own[0].message


def test_contradicting_vex_statements_suppress_nothing() -> None:
    statements = (
        vex("CVE-2023-43804", "pkg:pypi/urllib3@1.26.5", VexStatus.NOT_AFFECTED, index=0),
        vex("CVE-2023-43804", "pkg:pypi/urllib3@1.26.5", VexStatus.AFFECTED, index=1),
    )
    outcomes, own = run(*statements)
    assert by_advisory(outcomes)["PYSEC-2023-192"].status is OutcomeStatus.FAIL
    assert [(o.rule_id, o.status) for o in own] == [("MDRGATE-VEX-CONFLICT", OutcomeStatus.WARN)]
    assert "contradicted by OpenVEX statement vex/doc.json#/statements/1 (affected)" in (
        own[0].message
    )


def test_selector_that_cannot_be_checked_warns_and_suppresses_nothing() -> None:
    odd = dataclasses.replace(URLLIB3, version="1.26.5-patched!")
    inventory = Inventory(components=tuple(odd if c is URLLIB3 else c for c in COMPONENTS))
    record = waiver(
        "WVR-4", "PYSEC-2023-192", ComponentSelector(purl="pkg:pypi/urllib3", versions="<2")
    )
    matches = match_assessments((record,), inventory, FINDINGS, TODAY)
    assert [(a.effect, a.key) for a in matches.applied] == [
        (AssessmentEffect.NOT_APPLIED, (URLLIB3.bom_ref, "PYSEC-2023-192"))
    ]
    assert matches.assessed == frozenset()
    assert matches.unmatched == ()
    outcomes = apply_assessments(OUTCOMES, matches)
    assert by_advisory(outcomes)["PYSEC-2023-192"].status is OutcomeStatus.FAIL
    own = list(assessment_outcomes(matches, inventory, TODAY))
    assert [(o.rule_id, o.status, o.advisory) for o in own] == [
        ("MDRGATE-ASSESSMENT-UNCHECKABLE", OutcomeStatus.WARN, "PYSEC-2023-192")
    ]
    assert own[0].message.startswith("waiver WVR-4 was not applied to PYSEC-2023-192 in urllib3")
    assert "1.26.5-patched!" in own[0].message


def test_outcomes_without_advisory_and_passes_are_never_suppressed() -> None:
    everything = ComponentSelector(purl="pkg:pypi/*", versions=">=0")
    records = tuple(waiver(f"WVR-{f.advisory.id}", f.advisory.id, everything) for f in FINDINGS)
    outcomes, own = run(*records)
    assert own == []
    changed = [(a, b) for a, b in zip(OUTCOMES, outcomes, strict=True) if a != b]
    assert {b.advisory for _, b in changed} == {f.advisory.id for f in FINDINGS}
    for before, after in changed:
        assert before.status in (OutcomeStatus.FAIL, OutcomeStatus.WARN)
        assert after.status is OutcomeStatus.SUPPRESSED


def test_applied_records_are_sorted_and_keyed() -> None:
    statements = (
        vex("CVE-2023-43804", "pkg:pypi/urllib3@1.26.5", VexStatus.NOT_AFFECTED, index=0),
        waiver("WVR-1", "PYSEC-2023-192", URLLIB3_ONLY),
    )
    matches = match_assessments(statements, INVENTORY, FINDINGS, TODAY)
    # By component, advisory, then the record's file and id.
    assert matches.applied == (
        AppliedAssessment(
            statements[0], URLLIB3.bom_ref, "PYSEC-2023-192", AssessmentEffect.NOT_AFFECTED
        ),
        AppliedAssessment(
            statements[1], URLLIB3.bom_ref, "PYSEC-2023-192", AssessmentEffect.WAIVED
        ),
    )
