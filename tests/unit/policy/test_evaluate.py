"""Each rule type on real components and real advisories, outcome by outcome."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from mdrgate.errors import UsageError
from mdrgate.model import (
    Advisory,
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    Finding,
    Inventory,
    LevelOfSupport,
    Origin,
    OutcomeStatus,
    Product,
    RuleOutcome,
    SafetyClass,
    SeverityVector,
    SoupRecord,
    Verdict,
    VerdictStatus,
)
from mdrgate.policy import EvaluationContext, Policy, evaluate, load_policies

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "policy"
TODAY = date(2026, 11, 28)

REQUESTS = Component(
    name="requests",
    version="2.25.1",
    component_class=ComponentClass.HOST,
    ecosystem="PyPI",
    purl="pkg:pypi/requests@2.25.1",
    origins=(Origin("requirements", "host/requirements.txt", 5),),
)
IDNA = Component(
    name="idna",
    version="2.10",
    component_class=ComponentClass.HOST,
    ecosystem="PyPI",
    purl="pkg:pypi/idna@2.10",
)
URLLIB3 = Component(
    name="urllib3",
    version="1.26.4",
    component_class=ComponentClass.HOST,
    ecosystem="PyPI",
    purl="pkg:pypi/urllib3@1.26.4",
)
PYSERIAL = Component(
    name="pyserial",
    version="3.5",
    component_class=ComponentClass.HOST,
    ecosystem="PyPI",
    purl="pkg:pypi/pyserial@3.5",
)
MBEDTLS = Component(
    name="Mbed TLS",
    version="2.28.3",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:github/mbed-tls/mbedtls@v2.28.3",
    supplier="Trusted Firmware project (Arm Limited)",
    soup=SoupRecord(
        register_id="SOUP-003",
        level_of_support=LevelOfSupport.NO_LONGER_MAINTAINED,
        end_of_support=date(2024, 12, 31),
        requirements="TLS 1.2 client",
        prerequisites="FreeRTOS-Plus-TCP",
        anomaly_list_evaluated=date(2026, 9, 15),
    ),
)
RTT = Component(
    name="SEGGER RTT",
    version="7.88",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:generic/segger-rtt@7.88",
    supplier="SEGGER Microcontroller GmbH",
    soup=SoupRecord(level_of_support=LevelOfSupport.UNKNOWN, requirements="debug logging"),
)
UNPINNED = Component(
    name="Jinja2",
    version=None,
    component_class=ComponentClass.HOST,
    ecosystem="PyPI",
    purl="pkg:pypi/jinja2",
    version_spec=">=2.11",
)

# Real advisories (PyPA advisory database): ids, aliases and vectors as published.
PYSEC_2023_74 = Advisory(
    id="PYSEC-2023-74",
    source="osv/PyPI/PYSEC",
    aliases=("CVE-2023-32681", "GHSA-j8r2-6x86-q33q"),
    details="Requests is a HTTP library. Since Requests 2.3.0, Requests has been leaking "
    "Proxy-Authorization headers to destination servers when redirected to an HTTPS endpoint.",
)
PYSEC_2024_60 = Advisory(
    id="PYSEC-2024-60",
    source="osv/PyPI/PYSEC",
    aliases=("CVE-2024-3651",),
    severities=(SeverityVector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),),
)
PYSEC_2023_212 = Advisory(
    id="PYSEC-2023-212",
    source="osv/PyPI/PYSEC",
    aliases=("CVE-2023-45803", "GHSA-g4mx-q9vg-27p4"),
    severities=(SeverityVector("CVSS_V3", "CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N", 4.2),),
)

FINDINGS = (
    Finding(
        REQUESTS.bom_ref,
        PYSEC_2023_74,
        (),
        ("introduced 2.3.0, fixed 2.31.0",),
        ("2.31.0",),
    ),
    Finding(IDNA.bom_ref, PYSEC_2024_60, PYSEC_2024_60.severities, (), ("3.7",)),
    Finding(URLLIB3.bom_ref, PYSEC_2023_212, PYSEC_2023_212.severities, (), ("1.26.18",)),
)


def _ctx(
    components: tuple[Component, ...],
    *,
    findings: tuple[Finding, ...] = (),
    diagnostics: tuple[Diagnostic, ...] = (),
    safety_class: SafetyClass = SafetyClass.C,
) -> EvaluationContext:
    return EvaluationContext(
        product=Product("Aurora IP-300", "2.4.0", "Example Medical", safety_class),
        inventory=Inventory(components),
        findings=findings,
        diagnostics=diagnostics,
        today=TODAY,
        sources=("osv/PyPI/PYSEC",),
    )


def _default() -> Policy:
    return load_policies(["builtin:mdr-default"], cwd=Path.cwd())


def _by(verdict: Verdict, rule_id: str) -> list[RuleOutcome]:
    return [o for o in verdict.outcomes if o.rule_id == rule_id]


def test_vulnerability_threshold_unknown_and_below() -> None:
    verdict = evaluate(_default(), _ctx((REQUESTS, IDNA, URLLIB3, PYSERIAL), findings=FINDINGS))
    vuln = {(o.subject, o.advisory): o for o in _by(verdict, "MDR-VULN-001")}
    unknown = vuln[("pkg:pypi/requests@2.25.1", "PYSEC-2023-74")]
    assert unknown.status is OutcomeStatus.FAIL
    assert "severity unknown" in unknown.message
    assert "fixed in 2.31.0" in unknown.message
    assert "PYSEC-2023-74 (CVE-2023-32681, GHSA-j8r2-6x86-q33q)" in unknown.evidence[0]
    assert "declared in host/requirements.txt:5 (requirements)" in unknown.evidence
    high = vuln[("pkg:pypi/idna@2.10", "PYSEC-2024-60")]
    assert high.status is OutcomeStatus.FAIL
    assert "CVSS 7.5 (high) ≥ 7.0" in high.message
    low = vuln[("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-212")]
    assert low.status is OutcomeStatus.WARN
    assert "CVSS 4.2 (medium) < 7.0" in low.message
    clean = vuln[("pkg:pypi/pyserial@3.5", None)]
    assert clean.status is OutcomeStatus.PASS
    assert clean.message == "no known vulnerabilities in osv/PyPI/PYSEC"
    assert verdict.status is VerdictStatus.FAIL


def test_override_relaxes_threshold() -> None:
    policy = load_policies(
        ["builtin:mdr-default", str(ASSETS / "product-override.yml")], cwd=ASSETS
    )
    verdict = evaluate(policy, _ctx((REQUESTS, IDNA, URLLIB3), findings=FINDINGS))
    statuses = {o.advisory: o.status for o in _by(verdict, "MDR-VULN-001")}
    assert statuses == {
        "PYSEC-2023-74": OutcomeStatus.WARN,
        "PYSEC-2024-60": OutcomeStatus.INFO,
        "PYSEC-2023-212": OutcomeStatus.INFO,
    }
    # The wildcard ban "py*" <3.0 matches no component here (pyserial is absent).
    assert all(o.status is OutcomeStatus.PASS for o in _by(verdict, "AURORA-BAN-001"))
    assert verdict.status is VerdictStatus.PASS


def test_wildcard_ban_with_version_specifier() -> None:
    pycparser = Component(
        name="pycparser",
        version="2.20",
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl="pkg:pypi/pycparser@2.20",
    )
    policy = load_policies(
        ["builtin:mdr-default", str(ASSETS / "product-override.yml")], cwd=ASSETS
    )
    verdict = evaluate(policy, _ctx((PYSERIAL, REQUESTS, pycparser)))
    bans = {o.subject: o for o in _by(verdict, "AURORA-BAN-001")}
    assert bans["pkg:pypi/pycparser@2.20"].status is OutcomeStatus.WARN
    assert "version 2.20 matches <3.0" in bans["pkg:pypi/pycparser@2.20"].message
    assert bans["pkg:pypi/pyserial@3.5"].status is OutcomeStatus.PASS  # 3.5 is not < 3.0
    assert bans["pkg:pypi/requests@2.25.1"].status is OutcomeStatus.PASS  # name does not match


def test_banned_malicious_typosquat() -> None:
    bad = Component(
        name="jeIlyfish",
        version="0.7.2",
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl="pkg:pypi/jeilyfish@0.7.2",
    )
    verdict = evaluate(_default(), _ctx((bad, REQUESTS)))
    bans = {o.subject: o for o in _by(verdict, "MDR-BAN-001")}
    assert bans["pkg:pypi/jeilyfish@0.7.2"].status is OutcomeStatus.FAIL
    assert "every version" in bans["pkg:pypi/jeilyfish@0.7.2"].message
    assert bans["pkg:pypi/requests@2.25.1"].status is OutcomeStatus.PASS


def test_soup_rules() -> None:
    verdict = evaluate(_default(), _ctx((MBEDTLS, RTT, REQUESTS)))
    eos = {o.subject: o for o in _by(verdict, "MDR-SOUP-001")}
    assert eos[MBEDTLS.bom_ref].status is OutcomeStatus.FAIL
    assert "supplier support ended 2024-12-31 (697 days ago)" in eos[MBEDTLS.bom_ref].message
    assert eos[RTT.bom_ref].status is OutcomeStatus.PASS
    assert REQUESTS.bom_ref not in eos  # not in the register
    level = {o.subject: o for o in _by(verdict, "MDR-SOUP-002")}
    assert level[MBEDTLS.bom_ref].status is OutcomeStatus.FAIL
    assert level[RTT.bom_ref].status is OutcomeStatus.PASS
    fields = {o.subject: o for o in _by(verdict, "MDR-SOUP-003")}
    assert fields[MBEDTLS.bom_ref].status is OutcomeStatus.PASS
    assert fields[RTT.bom_ref].status is OutcomeStatus.FAIL
    assert "lacks prerequisites, anomaly_list_evaluated" in fields[RTT.bom_ref].message
    assert "missing anomaly_list_evaluated: IEC 62304 7.1.3" in fields[RTT.bom_ref].evidence[1]


def test_register_fields_depend_on_safety_class() -> None:
    verdict = evaluate(_default(), _ctx((RTT,), safety_class=SafetyClass.A))
    (fields,) = _by(verdict, "MDR-SOUP-003")
    assert fields.status is OutcomeStatus.PASS
    assert fields.message == "all 3 fields required for class A present"


def test_unassessed_components_fail_closed() -> None:
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
    )
    verdict = evaluate(_default(), _ctx((UNPINNED, MBEDTLS, REQUESTS), diagnostics=diags))
    inv1 = {o.subject: o.status for o in _by(verdict, "MDR-INV-001")}
    assert inv1 == {
        UNPINNED.bom_ref: OutcomeStatus.FAIL,
        MBEDTLS.bom_ref: OutcomeStatus.PASS,
        REQUESTS.bom_ref: OutcomeStatus.PASS,
    }
    inv2 = {o.subject: o.status for o in _by(verdict, "MDR-INV-002")}
    assert inv2[MBEDTLS.bom_ref] is OutcomeStatus.WARN
    # The vulnerability rule does not claim "no known vulnerabilities" for what it could not check.
    vuln_subjects = {o.subject for o in _by(verdict, "MDR-VULN-001")}
    assert UNPINNED.bom_ref not in vuln_subjects
    assert MBEDTLS.bom_ref not in vuln_subjects
    assert REQUESTS.bom_ref in vuln_subjects


def test_error_diagnostics_always_fail() -> None:
    diag = Diagnostic(
        "range-unevaluable", "something went wrong", level=DiagnosticLevel.ERROR, path="x"
    )
    verdict = evaluate(_default(), _ctx((REQUESTS,), diagnostics=(diag,)))
    (error,) = _by(verdict, "MDRGATE-ERRORS")
    assert error.status is OutcomeStatus.FAIL
    assert verdict.status is VerdictStatus.FAIL


def test_clean_inventory_passes_with_every_rule_recorded() -> None:
    verdict = evaluate(_default(), _ctx((REQUESTS, PYSERIAL)))
    assert verdict.status is VerdictStatus.PASS
    assert {o.rule_id for o in verdict.outcomes} == {
        "MDR-VULN-001",
        "MDR-BAN-001",
        "MDR-SOUP-005",
        "MDR-INV-001",
        "MDR-INV-002",
        "MDR-INV-003",
        "MDR-INV-004",
        "MDR-SBOM-001",
        "MDR-SBOM-002",
    }
    # Only the NTIA supplier element is missing (a lock file names no supplier): a warning.
    assert {
        (o.rule_id, o.subject) for o in verdict.outcomes if o.status is not OutcomeStatus.PASS
    } == {
        ("MDR-SBOM-001", REQUESTS.bom_ref),
        ("MDR-SBOM-001", PYSERIAL.bom_ref),
    }
    assert verdict.warnings == tuple(o for o in verdict.outcomes if o.rule_id == "MDR-SBOM-001")


@pytest.mark.parametrize("safety_class", list(SafetyClass))
def test_scope_by_safety_class(tmp_path: Path, safety_class: SafetyClass) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: C-ONLY\n    type: soup-end-of-support\n    action: fail\n"
        "    scope: {safety_class: [C], component_class: [firmware]}\n",
        encoding="utf-8",
    )
    policy = load_policies([str(path)], cwd=tmp_path)
    verdict = evaluate(policy, _ctx((MBEDTLS,), safety_class=safety_class))
    expected = VerdictStatus.FAIL if safety_class is SafetyClass.C else VerdictStatus.PASS
    assert verdict.status is expected


def test_aliases_are_judged_by_the_highest_published_score() -> None:
    # PYSEC-2023-74 has no CVSS vector; its alias GHSA-j8r2-6x86-q33q (GitHub Advisory Database)
    # publishes CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N, base score 6.1.
    ghsa = Advisory(
        id="GHSA-j8r2-6x86-q33q",
        source="osv/PyPI/GHSA",
        aliases=("CVE-2023-32681",),
        severities=(
            SeverityVector("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N", 6.1),
        ),
    )
    pysec = Finding(
        REQUESTS.bom_ref, PYSEC_2023_74, (), fixed_versions=("2.31.0",), same_as=(ghsa.id,)
    )
    other = Finding(
        REQUESTS.bom_ref,
        ghsa,
        ghsa.severities,
        fixed_versions=("2.31.0",),
        same_as=(pysec.advisory.id,),
    )
    verdict = evaluate(_default(), _ctx((REQUESTS,), findings=(pysec, other)))
    by_advisory = {o.advisory: o for o in _by(verdict, "MDR-VULN-001")}
    assert by_advisory["PYSEC-2023-74"].status is OutcomeStatus.WARN
    assert "CVSS 6.1 (medium) (score of alias GHSA-j8r2-6x86-q33q) < 7.0" in (
        by_advisory["PYSEC-2023-74"].message
    )
    assert by_advisory["GHSA-j8r2-6x86-q33q"].status is OutcomeStatus.WARN


def test_empty_inventory_fails() -> None:
    verdict = evaluate(_default(), _ctx(()))
    assert [(o.rule_id, o.status) for o in verdict.outcomes] == [
        ("MDRGATE-EMPTY", OutcomeStatus.FAIL)
    ]
    assert verdict.status is VerdictStatus.FAIL


def test_findings_no_rule_judges_fail(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: VULN-FW\n    type: vulnerability-severity\n    action: fail\n"
        "    min_cvss: 7\n    unknown_severity: fail\n    scope: {component_class: [firmware]}\n",
        encoding="utf-8",
    )
    policy = load_policies([str(path)], cwd=tmp_path)
    verdict = evaluate(policy, _ctx((REQUESTS,), findings=FINDINGS[:1]))
    (unjudged,) = [o for o in verdict.outcomes if o.rule_id == "MDRGATE-UNJUDGED"]
    assert unjudged.advisory == "PYSEC-2023-74"
    assert unjudged.status is OutcomeStatus.FAIL
    assert verdict.status is VerdictStatus.FAIL


def test_unassessed_components_no_rule_covers_fail() -> None:
    policy = load_policies(["builtin:mdr-default"], cwd=Path.cwd())
    without = type(policy)(tuple(r for r in policy.rules if r.id != "MDR-INV-001"), policy.sources)
    diag = Diagnostic("no-exact-version", "requests: no exact version", component=UNPINNED.bom_ref)
    verdict = evaluate(without, _ctx((UNPINNED,), diagnostics=(diag,)))
    assert [(o.rule_id, o.status) for o in verdict.outcomes if o.rule_id.startswith("MDRGATE")] == [
        ("MDRGATE-UNJUDGED", OutcomeStatus.FAIL)
    ]


def test_unknown_unassessed_reason_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: INV\n    type: unassessed-component\n    action: fail\n"
        "    reasons: [no-exact-versions]\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as caught:
        load_policies([str(path)], cwd=tmp_path)
    assert "rules[0].reasons[0]: expected one of 'no-exact-version'" in str(caught.value)
    assert "did you mean 'no-exact-version'?" in str(caught.value)


@pytest.mark.parametrize(
    "purl", ["pkg:pypi/python3-dateutil", "pkg:pypi/Python3_Dateutil", "pkg:pypi/python3.dateutil"]
)
def test_ban_purls_are_canonical(tmp_path: Path, purl: str) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: BAN\n    type: banned-component\n    action: fail\n"
        f"    components: [{{purl: '{purl}', reason: typosquat}}]\n",
        encoding="utf-8",
    )
    bad = Component(
        name="Python3_Dateutil",
        version="2.8.0",
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl="pkg:pypi/python3-dateutil@2.8.0",
    )
    verdict = evaluate(load_policies([str(path)], cwd=tmp_path), _ctx((bad,)))
    assert [o.status for o in verdict.outcomes] == [OutcomeStatus.FAIL]


def test_ban_purl_with_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: BAN\n    type: banned-component\n    action: fail\n"
        "    components:\n      - {purl: 'pkg:pypi/python3-dateutil@2.8.0', reason: r}\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as caught:
        load_policies([str(path)], cwd=tmp_path)
    text = str(caught.value)
    assert "p.yml:9: rules[0].components[0].purl: a ban's purl names a package" in text
    assert "versions:" in text


# --- the register against the findings -----------------------------------------------------

FOUND_MBEDTLS = Component(
    name="Mbed TLS",
    version="2.28.5",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:github/mbed-tls/mbedtls@v2.28.5",
    origins=(Origin("firmware-source", "fw/mbedtls/include/mbedtls/version.h", 40),),
    catalogue_id="mbedtls",
)


def test_reconciliation_rules() -> None:
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
    )
    verdict = evaluate(_default(), _ctx((declared, FOUND_MBEDTLS), diagnostics=diags))
    statuses = {(o.rule_id, o.subject): o.status for o in verdict.outcomes}
    assert statuses[("MDR-SOUP-006", declared.bom_ref)] is OutcomeStatus.FAIL
    assert statuses[("MDR-SOUP-004", FOUND_MBEDTLS.bom_ref)] is OutcomeStatus.FAIL
    # A register entry no input showed is only judged when it was flagged.
    assert ("MDR-SOUP-007", declared.bom_ref) not in statuses
    drift = next(o for o in verdict.outcomes if o.rule_id == "MDR-SOUP-006")
    assert "found at 2.28.5" in drift.message
    assert "soup.yml:37" in drift.evidence


def test_no_register_at_all() -> None:
    note = Diagnostic("no-soup-register", "no SOUP register was read", level=DiagnosticLevel.INFO)
    verdict = evaluate(_default(), _ctx((FOUND_MBEDTLS, REQUESTS), diagnostics=(note,)))
    undeclared = [o for o in verdict.outcomes if o.rule_id in ("MDR-SOUP-004", "MDR-SOUP-005")]
    assert [(o.rule_id, o.subject, o.status) for o in undeclared] == [
        ("MDR-SOUP-004", "inventory", OutcomeStatus.WARN),
        ("MDR-SOUP-005", "inventory", OutcomeStatus.PASS),
    ]
