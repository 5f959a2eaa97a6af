"""Scope selectors: a rule judges exactly the components its scope covers, never another."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.errors import UsageError
from mdrgate.model import Action, ComponentClass, OutcomeStatus, Rating, SafetyClass
from mdrgate.policy import evaluate, load_policies
from mdrgate.policy.load import Policy
from mdrgate.policy.rules import (
    CvssVersion,
    Rule,
    Scope,
    SoupLevelOfSupportRule,
    UnassessedComponentRule,
    VulnerabilityAgeRule,
    VulnerabilityCvssRule,
    VulnerabilityKevRule,
    VulnerabilitySeverityRule,
    VulnerabilityUnassessedRule,
)
from mdrgate.policy.scope import covers, describe, purl_matches
from tests.unit.policy.vuln_cases import PRODUCT_B, PRODUCT_C, Matched, example_findings

HEAD = 'apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: "1"}\nrules:\n'


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Matched:
    return example_findings(tmp_path_factory.mktemp("example"))


def _covered(example: Matched, scope: Scope) -> list[str]:
    return sorted(c.bom_ref for c in example.inventory.components if covers(scope, c))


def test_each_selector_on_the_example_device(example: Matched) -> None:
    assert _covered(example, Scope(ecosystems=frozenset({"PyPI"}))) == [
        "pkg:pypi/certifi@2020.12.5",
        "pkg:pypi/cffi@1.14.4",
        "pkg:pypi/chardet@4.0.0",
        "pkg:pypi/cryptography@3.3.1",
        "pkg:pypi/idna@2.10",
        "pkg:pypi/jinja2@2.11.2",
        "pkg:pypi/markupsafe@1.1.1",
        "pkg:pypi/pycparser@2.20",
        "pkg:pypi/pyserial@3.5",
        "pkg:pypi/pyyaml@5.3.1",
        "pkg:pypi/requests@2.25.1",
        "pkg:pypi/six@1.15.0",
        "pkg:pypi/urllib3@1.26.4",
    ]
    # CPython is a host component, but named by pkg:generic: no ecosystem.
    assert "pkg:generic/cpython@3.8.10" not in _covered(
        example, Scope(ecosystems=frozenset({"PyPI"}))
    )
    assert _covered(example, Scope(purls=("pkg:github/freertos/*", "pkg:pypi/URL*"))) == [
        "pkg:github/freertos/freertos-kernel@V10.3.1",
        "pkg:github/freertos/freertos-plus-tcp@V2.3.4",
        "pkg:pypi/urllib3@1.26.4",
    ]
    # A qualifier the pattern states must be the component's.
    lwip = "pkg:generic/lwip@2.1.3?download_url=https://download.savannah.nongnu.org/releases/lwip/lwip-2.1.3.zip"
    assert purl_matches("pkg:generic/lwip", lwip)
    assert not purl_matches("pkg:generic/lwip?download_url=https://example.org/x.zip", lwip)
    # The register declares safety_relevant false for lwIP, CPython, FreeRTOS+TCP, nanopb:
    # only those are "not safety-relevant"; everything else, unstated included, is relevant.
    assert _covered(example, Scope(soup_safety_relevant=False)) == [
        "pkg:generic/cpython@3.8.10",
        lwip,
        "pkg:github/freertos/freertos-plus-tcp@V2.3.4",
        "pkg:github/nanopb/nanopb@0.4.7",
    ]
    relevant = _covered(example, Scope(soup_safety_relevant=True))
    assert len(relevant) == len(example.inventory.components) - 4
    assert "pkg:generic/segger-rtt@7.54" in relevant  # stated nothing: counts as relevant
    assert "pkg:pypi/requests@2.25.1" in relevant  # not in the register: counts as relevant
    both = Scope(component_classes=frozenset({ComponentClass.FIRMWARE}), soup_safety_relevant=False)
    assert _covered(example, both) == [
        lwip,
        "pkg:github/freertos/freertos-plus-tcp@V2.3.4",
        "pkg:github/nanopb/nanopb@0.4.7",
    ]
    assert describe(both) == "component class firmware; SOUP declared not safety-relevant"


def test_scope_keys_are_read_from_the_policy(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        HEAD + "  - id: X\n    type: vulnerability-kev\n    action: fail\n"
        "    scope:\n      ecosystem: [PyPI, npm]\n      purl: ['pkg:pypi/Flask_*']\n"
        "      soup_safety_relevant: false\n      component_class: [host]\n"
        "      safety_class: [C]\n"
    )
    (rule,) = load_policies([str(path)], cwd=tmp_path).rules
    assert rule.scope == Scope(
        component_classes=frozenset({ComponentClass.HOST}),
        safety_classes=frozenset({SafetyClass.C}),
        ecosystems=frozenset({"PyPI", "npm"}),
        purls=("pkg:pypi/Flask_*",),
        soup_safety_relevant=False,
    )


@pytest.mark.parametrize(
    ("scope", "expected", "hint"),
    [
        (
            "{ecosystem: [pypi]}",
            "p.yml:8: rules[0].scope.ecosystem[0]: expected one of 'ConanCenter', 'crates.io', "
            "'Go', 'Hex', 'Maven', 'npm', 'NuGet', 'Packagist', 'Pub', 'PyPI', 'RubyGems', got "
            "string 'pypi'",
            None,
        ),
        (
            "{purl: ['pkg:pypi/requests@2.25.1']}",
            "p.yml:8: rules[0].scope.purl[0]: 'pkg:pypi/requests@2.25.1': a scope names "
            "packages, not releases; drop '@2.25.1' (every version of the package is in scope)",
            "write a package URL without version, e.g. pkg:pypi/requests or pkg:github/freertos/*",
        ),
        (
            "{purl: ['pkg:*/requests']}",
            "p.yml:8: rules[0].scope.purl[0]: 'pkg:*/requests': the purl type takes no wildcard",
            None,
        ),
        (
            "{ecosystem: [PyPI], purl: ['pkg:npm/left-pad']}",
            "p.yml:8: rules[0].scope.purl[0]: 'pkg:npm/left-pad' can match no component of "
            "ecosystem PyPI: pkg:npm packages are npm",
            "drop the ecosystem selector or the pattern, or give the rule two scopes as two rules",
        ),
        (
            "{soup_safety_relevant: yes please}",
            "p.yml:8: rules[0].scope.soup_safety_relevant: expected true or false",
            None,
        ),
        ("{purpose: x}", "p.yml:8: rules[0].scope.purpose: unknown key", None),
    ],
)
def test_bad_scopes_are_usage_errors(
    tmp_path: Path, scope: str, expected: str, hint: str | None
) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        HEAD + f"  - id: X\n    type: vulnerability-kev\n    action: fail\n    scope: {scope}\n"
    )
    with pytest.raises(UsageError) as caught:
        load_policies([str(path)], cwd=tmp_path)
    assert expected in str(caught.value)
    if hint is not None:
        assert caught.value.hint == hint


# --- property: no rule judges a component outside its scope -------------------------------------

_PATTERNS = (
    "pkg:pypi/*",
    "pkg:pypi/url*",
    "pkg:github/freertos/*",
    "pkg:github/*/mbedtls",
    "pkg:generic/*",
    "pkg:cargo/*",
)
scopes = st.builds(
    Scope,
    component_classes=st.frozensets(st.sampled_from(ComponentClass)),
    ecosystems=st.frozensets(st.sampled_from(["PyPI", "crates.io", "npm"])),
    purls=st.lists(st.sampled_from(_PATTERNS), unique=True).map(tuple),
    soup_safety_relevant=st.sampled_from([None, True, False]),
)


def _rules(scope: Scope) -> tuple[Rule, ...]:
    common = {"action": Action.FAIL, "source": "test", "scope": scope}
    return (
        VulnerabilitySeverityRule(id="S", **common),
        VulnerabilityCvssRule(id="C", thresholds=((CvssVersion.V3, 7.0),), **common),
        VulnerabilityKevRule(id="K", **common),
        VulnerabilityAgeRule(id="A", grace_days=((Rating.HIGH, 30),), **common),
        VulnerabilityUnassessedRule(id="U", **common),
        UnassessedComponentRule(
            id="I",
            reasons=frozenset({"no-vulnerability-source", "advisory-not-evaluable"}),
            **common,
        ),
        SoupLevelOfSupportRule(id="L", levels=frozenset({"unknown", "unstated"}), **common),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scope=scopes)
def test_no_rule_judges_a_component_outside_its_scope(example: Matched, scope: Scope) -> None:
    covered = {c.bom_ref for c in example.inventory.components if covers(scope, c)}
    verdict = evaluate(Policy(_rules(scope), ()), example.context(PRODUCT_C))
    judged = [o for o in verdict.outcomes if not o.rule_id.startswith("MDRGATE-")]
    assert {o.subject for o in judged} <= covered
    # The vulnerability family judges every finding of every covered component, exactly once.
    in_scope = sorted(f.key for f in example.findings if f.component_ref in covered)
    for rule_id in ("C", "K", "A", "U"):
        assert sorted((o.subject, o.advisory) for o in judged if o.rule_id == rule_id) == in_scope
    # Findings outside the scope are not dropped: the fail-closed rule catches them.
    unjudged = {
        (o.subject, o.advisory) for o in verdict.outcomes if o.rule_id == "MDRGATE-UNJUDGED"
    }
    assert {f.key for f in example.findings if f.component_ref not in covered} <= unjudged


@given(scope=scopes)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_safety_class_scope_skips_other_products(example: Matched, scope: Scope) -> None:
    from dataclasses import replace

    only_c = replace(scope, safety_classes=frozenset({SafetyClass.C}))
    verdict = evaluate(Policy(_rules(only_c), ()), example.context(PRODUCT_B))
    assert [o for o in verdict.outcomes if not o.rule_id.startswith("MDRGATE-")] == []


# --- composition: mdr-default, then iec62304-class-c, then a product's override -----------------

OVERRIDE = """\
apiVersion: mdrgate/v1
kind: Policy
metadata: {name: aurora-overrides, version: "2026.2"}
rules:
  - id: C-VULN-002
    enabled: false
  - id: MDR-VULN-003
    type: vulnerability-age
    action: warn
    clause: IEC 81001-5-1 6.1.1; Aurora SOP-SEC-04 (remediation plan)
    grace_days: {critical: 30, high: 60, medium: 120, low: 365}
  - id: AURORA-VULN-001
    type: vulnerability-cvss
    action: fail
    cvss: {v3: 9.0}
    unscored: warn
    scope: {ecosystem: [PyPI]}
"""


def test_default_then_class_c_then_product_override(example: Matched, tmp_path: Path) -> None:
    (tmp_path / "aurora.yml").write_text(OVERRIDE)
    policy = load_policies(
        ["builtin:mdr-default", "builtin:iec62304-class-c", str(tmp_path / "aurora.yml")],
        cwd=tmp_path,
    )
    assert [s.name for s in policy.sources] == [
        "mdr-default",
        "iec62304-class-c",
        "aurora-overrides",
    ]
    by_id = {r.id: r for r in policy.rules}
    # Order of first definition; later files replace wholesale, 'enabled: false' removes.
    assert [r.id for r in policy.rules] == [
        "MDR-VULN-001",
        "MDR-VULN-002",
        "MDR-VULN-003",
        "MDR-BAN-001",
        "MDR-SOUP-001",
        "MDR-SOUP-002",
        "MDR-SOUP-003",
        "MDR-SOUP-004",
        "MDR-SOUP-005",
        "MDR-SOUP-006",
        "MDR-SOUP-008",
        "MDR-SOUP-007",
        "MDR-INV-003",
        "MDR-INV-001",
        "MDR-INV-002",
        "MDR-INV-004",
        "MDR-SBOM-001",
        "MDR-SBOM-002",
        "C-VULN-004",
        "C-VULN-001",
        "C-VULN-003",
        "C-DATA-001",
        "AURORA-VULN-001",
    ]
    assert {
        i: by_id[i].source
        for i in (
            "MDR-VULN-001",
            "MDR-VULN-002",
            "MDR-VULN-003",
            "C-VULN-004",
            "C-VULN-001",
            "AURORA-VULN-001",
        )
    } == {
        "MDR-VULN-001": "builtin:mdr-default",
        "MDR-VULN-002": "builtin:iec62304-class-c",
        "MDR-VULN-003": "aurora.yml",
        "C-VULN-004": "builtin:iec62304-class-c",
        "C-VULN-001": "builtin:iec62304-class-c",
        "AURORA-VULN-001": "aurora.yml",
    }
    age = by_id["MDR-VULN-003"]
    assert isinstance(age, VulnerabilityAgeRule)
    assert (age.action, age.grace_for(Rating.UNKNOWN), age.undated) == (
        Action.WARN,
        None,
        Action.WARN,
    )
    kev = by_id["MDR-VULN-002"]
    assert isinstance(kev, VulnerabilityKevRule) and kev.without_catalog is Action.FAIL
    # The class C file's unassessed rule is unscoped: it applies to a class B product too.
    assert by_id["C-VULN-004"].scope == Scope()
    verdict = evaluate(policy, example.context(PRODUCT_B))
    statuses = {(o.rule_id, o.subject, o.advisory): o.status for o in verdict.outcomes}
    urllib3 = "pkg:pypi/urllib3@1.26.4"
    assert statuses[("C-VULN-004", urllib3, "PYSEC-2023-212")] is OutcomeStatus.FAIL
    assert statuses[("MDR-VULN-003", urllib3, "PYSEC-2023-212")] is OutcomeStatus.WARN
    assert statuses[("AURORA-VULN-001", urllib3, "PYSEC-2023-192")] is OutcomeStatus.PASS
    assert statuses[("AURORA-VULN-001", urllib3, "PYSEC-2021-108")] is OutcomeStatus.WARN
    assert not any(rule == "C-VULN-002" for rule, _, _ in statuses)
    # AURORA-VULN-001 is scoped to PyPI: firmware findings get no outcome from it.
    freertos = "pkg:github/freertos/freertos-kernel@V10.3.1"
    assert ("AURORA-VULN-001", freertos, "CVE-2021-31571") not in statuses
    # C-VULN-001 judges safety-relevant SOUP: FreeRTOS is, CPython (declared false) is not.
    assert statuses[("C-VULN-001", freertos, "CVE-2021-31571")] is OutcomeStatus.FAIL
    assert ("C-VULN-001", "pkg:generic/cpython@3.8.10", "CVE-2015-20107") not in statuses


def test_shipped_policies_lint_clean_composed() -> None:
    from mdrgate.policy.lint import lint_policies

    assert lint_policies(["builtin:mdr-default", "builtin:iec62304-class-c"], cwd=Path.cwd()) == ()
