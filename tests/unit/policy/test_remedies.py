"""Every outcome that does not pass says what would make it pass ("to pass: …" in its evidence),
for the support, register, unassessed, banned and built-in fail-closed rules.

The remedies are asserted exactly: they are what an engineer acts on, and each must be true — a
waiver, for example, only ever suppresses vulnerability findings, so no other rule suggests one.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    LevelOfSupport,
    Origin,
    OutcomeStatus,
    RuleOutcome,
    SoupRecord,
    Verdict,
)
from mdrgate.policy import evaluate, load_policies
from tests.unit.policy.test_evaluate import (
    ASSETS,
    FINDINGS,
    FOUND_MBEDTLS,
    MBEDTLS,
    REQUESTS,
    RTT,
    UNPINNED,
    _ctx,
    _default,
)

REGISTER = Origin("soup-register", "firmware/soup.yml", 37)


def _remedy(outcome: RuleOutcome) -> str:
    (line,) = [e for e in outcome.evidence if e.startswith("to pass: ")]
    return line


def _one(verdict: Verdict, rule_id: str, subject: str) -> RuleOutcome:
    (found,) = [o for o in verdict.outcomes if o.rule_id == rule_id and o.subject == subject]
    return found


def test_end_of_support_in_the_register() -> None:
    declared = dataclasses.replace(MBEDTLS, origins=(REGISTER,))
    outcome = _one(evaluate(_default(), _ctx((declared,))), "MDR-SOUP-001", declared.bom_ref)
    assert outcome.status is OutcomeStatus.FAIL
    assert outcome.evidence == (
        "end_of_support: 2024-12-31",
        "to pass: upgrade Mbed TLS to a supported release or replace it, and update version and "
        "end_of_support in the SOUP register entry SOUP-003 (firmware/soup.yml:37); if the "
        "supplier has extended support, record the new date as end_of_support in the register "
        "entry",
        "declared in firmware/soup.yml:37 (soup-register)",
    )


def test_level_of_support() -> None:
    verdict = evaluate(_default(), _ctx((MBEDTLS,)))
    outcome = _one(verdict, "MDR-SOUP-002", MBEDTLS.bom_ref)
    assert outcome.status is OutcomeStatus.FAIL
    assert _remedy(outcome) == (
        "to pass: replace Mbed TLS with a maintained alternative or release, or, if "
        "no-longer-maintained is no longer true, correct level_of_support in the SOUP register "
        "entry SOUP-003; this rule accepts the other levels (actively-maintained, unknown)"
    )


def test_unstated_level_of_support(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: LEVEL\n    type: soup-level-of-support\n    action: fail\n"
        "    levels: [unstated, unknown, abandoned]\n",
        encoding="utf-8",
    )
    silent = dataclasses.replace(RTT, soup=SoupRecord(register_id="SOUP-009"))
    verdict = evaluate(load_policies([str(path)], cwd=tmp_path), _ctx((silent,)))
    assert _remedy(_one(verdict, "LEVEL", silent.bom_ref)) == (
        "to pass: state level_of_support in the SOUP register entry SOUP-009, as the supplier's "
        "support really is; this rule accepts the other levels (actively-maintained, "
        "no-longer-maintained)"
    )


def test_register_fields_name_the_keys_and_the_entry() -> None:
    entry = dataclasses.replace(
        RTT,
        supplier=None,
        purl=None,
        origins=(REGISTER,),
        soup=dataclasses.replace(RTT.soup or SoupRecord(), register_id="SOUP-012"),
    )
    outcome = _one(evaluate(_default(), _ctx((entry,))), "MDR-SOUP-003", entry.bom_ref)
    assert outcome.evidence == (
        "missing supplier: IEC 62304 8.1.2 (manufacturer)",
        "missing prerequisites: IEC 62304 5.3.4 (required hardware and software)",
        "missing anomaly_list_evaluated: IEC 62304 7.1.3 (evaluation of published anomaly lists)",
        "to pass: add supplier, prerequisites, anomaly_list_evaluated to the SOUP register entry "
        "SOUP-012 (firmware/soup.yml:37)",
        "declared in firmware/soup.yml:37 (soup-register)",
    )


def test_unassessed_components() -> None:
    diags = (
        Diagnostic(
            "no-exact-version",
            "Jinja2: cannot be assessed: no exact version (>=2.11)",
            path="requirements.txt",
            line=3,
            component=UNPINNED.bom_ref,
        ),
        Diagnostic(
            "no-vulnerability-source",
            "Mbed TLS: no vulnerability source covers pkg:github",
            component=MBEDTLS.bom_ref,
        ),
        Diagnostic(
            "advisory-not-evaluable",
            "requests 2.25.1: GHSA-x names this package but publishes only commit ranges",
            component=REQUESTS.bom_ref,
        ),
    )
    verdict = evaluate(_default(), _ctx((UNPINNED, MBEDTLS, REQUESTS), diagnostics=diags))
    assert _remedy(_one(verdict, "MDR-INV-001", UNPINNED.bom_ref)) == (
        "to pass: pin Jinja2 to one exact version where it is declared"
    )
    assert _remedy(_one(verdict, "MDR-INV-002", MBEDTLS.bom_ref)) == (
        "to pass: give Mbed TLS a CPE name (cpe: in its SOUP register entry) so NVD data judges "
        "it, or a purl of an ecosystem mdrgate matches (PyPI, npm, crates.io, Go, Maven)"
    )
    assert _remedy(_one(verdict, "MDR-INV-004", REQUESTS.bom_ref)) == (
        "to pass: assess by hand whether the advisory named affects this version (mdrgate "
        "cannot decide it from the data); until the data allows it, an unassessed-component "
        "rule covering this component with action warn records it without failing"
    )


def test_error_diagnostics() -> None:
    diag = Diagnostic(
        "unreadable-image",
        "fw.bin: not an ELF, Intel HEX or raw image",
        level=DiagnosticLevel.ERROR,
        path="build/fw.bin",
    )
    verdict = evaluate(_default(), _ctx((REQUESTS,), diagnostics=(diag,)))
    (error,) = [o for o in verdict.outcomes if o.rule_id == "MDRGATE-ERRORS"]
    assert error.evidence == (
        "build/fw.bin",
        "to pass: remove the cause of unreadable-image named above in build/fw.bin and run "
        "again; no policy can excuse an error",
    )


def test_unjudged_finding_and_component(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: VULN-FW\n    type: vulnerability-severity\n    action: fail\n"
        "    min_cvss: 7\n    unknown_severity: fail\n    scope: {component_class: [firmware]}\n",
        encoding="utf-8",
    )
    diag = Diagnostic("no-exact-version", "Jinja2: no exact version", component=UNPINNED.bom_ref)
    verdict = evaluate(
        load_policies([str(path)], cwd=tmp_path),
        _ctx((REQUESTS, UNPINNED), findings=FINDINGS[:1], diagnostics=(diag,)),
    )
    finding = _one(verdict, "MDRGATE-UNJUDGED", REQUESTS.bom_ref)
    assert finding.evidence == (
        "to pass: add a vulnerability rule whose scope covers this component (e.g. "
        "vulnerability-unassessed or vulnerability-cvss), or widen the scope of the rule that "
        "leaves it out",
    )
    component = _one(verdict, "MDRGATE-UNJUDGED", UNPINNED.bom_ref)
    assert component.evidence == (
        "to pass: remove the cause (no-exact-version) so it can be assessed, or add an "
        "unassessed-component rule whose scope covers it and whose reasons list no-exact-version",
    )


def test_banned_every_version_and_a_version_range() -> None:
    typosquat = Component(
        name="jeIlyfish",
        version="0.7.2",
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl="pkg:pypi/jeilyfish@0.7.2",
    )
    verdict = evaluate(_default(), _ctx((typosquat,)))
    assert _remedy(_one(verdict, "MDR-BAN-001", typosquat.bom_ref)) == (
        "to pass: remove jeIlyfish from the device or replace it with another component"
    )
    old = Component(
        name="pycparser",
        version="2.20",
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl="pkg:pypi/pycparser@2.20",
    )
    unpinned = dataclasses.replace(old, version=None, purl="pkg:pypi/pycparser")
    policy = load_policies(
        ["builtin:mdr-default", str(ASSETS / "product-override.yml")], cwd=ASSETS
    )
    verdict = evaluate(policy, _ctx((old, unpinned)))
    assert _remedy(_one(verdict, "AURORA-BAN-001", old.bom_ref)) == (
        "to pass: move pycparser to a version outside <3.0, or remove it"
    )
    assert _remedy(_one(verdict, "AURORA-BAN-001", unpinned.bom_ref)) == (
        "to pass: pin pycparser to one exact version outside <3.0 where it is declared"
    )


def test_reconciliation() -> None:
    declared = dataclasses.replace(
        MBEDTLS, origins=(Origin("soup-register", "soup.yml", 37),), catalogue_id="mbedtls"
    )
    diags = (
        Diagnostic(
            "soup-version-drift",
            "Mbed TLS 2.28.3: the SOUP register lists version 2.28.3, but it was found at 2.28.5",
            path="soup.yml",
            line=37,
            component=declared.bom_ref,
        ),
        Diagnostic(
            "undeclared-soup",
            "Mbed TLS 2.28.5 was found but the SOUP register does not list it",
            component=FOUND_MBEDTLS.bom_ref,
        ),
        Diagnostic(
            "conflicting-evidence",
            "Mbed TLS was found at 2 versions",
            component=FOUND_MBEDTLS.bom_ref,
        ),
    )
    verdict = evaluate(_default(), _ctx((declared, FOUND_MBEDTLS), diagnostics=diags))
    assert _one(verdict, "MDR-SOUP-006", declared.bom_ref).evidence == (
        "soup.yml:37",
        "to pass: set version in the SOUP register entry SOUP-003 (soup.yml:37) to the version "
        "found, or ship Mbed TLS 2.28.3 as the register states",
        "declared in soup.yml:37 (soup-register)",
    )
    assert _remedy(_one(verdict, "MDR-SOUP-004", FOUND_MBEDTLS.bom_ref)) == (
        "to pass: add an entry for Mbed TLS 2.28.5 to the SOUP register (name, version, "
        "supplier, purl or cpe), or remove it from the device if it is not meant to ship "
        "(fw/mbedtls/include/mbedtls/version.h:40)"
    )
    assert _remedy(_one(verdict, "MDR-INV-003", FOUND_MBEDTLS.bom_ref)) == (
        "to pass: make the inputs agree on one version of Mbed TLS: remove or update the stale "
        "copy, declaration or build output (this one: fw/mbedtls/include/mbedtls/version.h:40)"
    )


def test_not_evidenced_and_no_register() -> None:
    declared = dataclasses.replace(MBEDTLS, origins=(Origin("soup-register", "soup.yml", 37),))
    missing = Diagnostic(
        "soup-not-evidenced",
        "Mbed TLS 2.28.3: listed in the SOUP register but not found",
        component=declared.bom_ref,
    )
    verdict = evaluate(_default(), _ctx((declared,), diagnostics=(missing,)))
    assert _remedy(_one(verdict, "MDR-SOUP-007", declared.bom_ref)) == (
        "to pass: add the source tree, build manifest, image, linker map or SBOM that contains "
        "Mbed TLS 2.28.3 to the inputs, or remove the SOUP register entry SOUP-003 (soup.yml:37) "
        "if it no longer ships"
    )
    note = Diagnostic("no-soup-register", "no SOUP register was read", level=DiagnosticLevel.INFO)
    verdict = evaluate(_default(), _ctx((FOUND_MBEDTLS, REQUESTS), diagnostics=(note,)))
    assert _one(verdict, "MDR-SOUP-004", "inventory").evidence == (
        "to pass: add the SOUP register (an input of kind soup-register, e.g. soup.yml) that "
        "declares the components found",
    )
    assert _one(verdict, "MDR-SOUP-005", "inventory").evidence == ()  # it passes


_RULE_FAMILIES = frozenset(
    {
        "soup-end-of-support",
        "soup-level-of-support",
        "soup-register-fields",
        "soup-undeclared",
        "soup-version-drift",
        "soup-not-evidenced",
        "evidence-conflict",
        "unassessed-component",
        "banned-component",
        "unjudged",
        "error-diagnostic",
    }
)


@settings(max_examples=30, deadline=None)
@given(
    level=st.sampled_from([*LevelOfSupport, None]),
    supplier=st.sampled_from([None, "SEGGER Microcontroller GmbH"]),
    unpinned=st.booleans(),
    error=st.booleans(),
)
def test_every_outcome_that_does_not_pass_says_what_would(
    level: LevelOfSupport | None, supplier: str | None, unpinned: bool, error: bool
) -> None:
    entry = dataclasses.replace(
        RTT, supplier=supplier, soup=SoupRecord(level_of_support=level, register_id="SOUP-1")
    )
    diags = []
    if unpinned:
        diags.append(
            Diagnostic("no-exact-version", "Jinja2: no exact version", component=UNPINNED.bom_ref)
        )
    if error:
        diags.append(Diagnostic("bad", "broken", level=DiagnosticLevel.ERROR, path="x"))
    components = (entry, MBEDTLS, FOUND_MBEDTLS, REQUESTS, *((UNPINNED,) if unpinned else ()))
    verdict = evaluate(_default(), _ctx(components, diagnostics=tuple(diags)))
    for outcome in verdict.outcomes:
        remedies = [e for e in outcome.evidence if e.startswith("to pass: ")]
        if outcome.rule_type not in _RULE_FAMILIES:
            continue
        if outcome.status is OutcomeStatus.PASS:
            assert remedies == [], outcome
        else:
            assert len(remedies) == 1, outcome
            assert "waiver" not in remedies[0]  # waivers suppress vulnerability findings only


def test_the_default_severity_rule_says_how_to_pass() -> None:
    # requests 2.25.1 and PYSEC-2023-74 (real PyPA record, fixed in 2.31.0) under MDR-VULN-001.
    verdict = evaluate(_default(), _ctx((REQUESTS,), findings=FINDINGS))
    failing = [
        o
        for o in verdict.outcomes
        if o.rule_id == "MDR-VULN-001" and o.status is not OutcomeStatus.PASS
    ]
    assert failing
    for outcome in failing:
        assert _remedy(outcome).startswith("to pass: upgrade requests to ")
        assert _remedy(outcome).endswith(
            "or record a waiver with its justification, or a VEX statement"
        )


def test_an_empty_inventory_says_what_to_give() -> None:
    verdict = evaluate(_default(), _ctx(()))
    outcome = _one(verdict, "MDRGATE-EMPTY", "inventory")
    assert _remedy(outcome) == (
        "to pass: name the device's inputs (lock files, the SOUP register, firmware sources or "
        "images, SBOMs) under 'inputs:' in the configuration or as paths"
    )
