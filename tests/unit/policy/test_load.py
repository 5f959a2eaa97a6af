"""Policy files: the shipped default loads, files compose by rule id, mistakes are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.errors import ExitCode, UsageError
from mdrgate.model import Action, Rating, SafetyClass
from mdrgate.policy import load_policies
from mdrgate.policy.rules import (
    BannedComponentRule,
    RegisterField,
    SoupRegisterFieldsRule,
    VulnerabilityAgeRule,
    VulnerabilityKevRule,
    VulnerabilitySeverityRule,
)

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "policy"


def test_default_policy_rules() -> None:
    policy = load_policies(["builtin:mdr-default"], cwd=Path.cwd())
    ids = [r.id for r in policy.rules]
    assert ids == [
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
    ]
    vuln = policy.rules[0]
    assert isinstance(vuln, VulnerabilitySeverityRule)
    assert (vuln.min_cvss, vuln.unknown_severity, vuln.below_threshold) == (
        7.0,
        Action.FAIL,
        Action.WARN,
    )
    kev = policy.rules[1]
    assert isinstance(kev, VulnerabilityKevRule)
    assert (kev.action, kev.without_catalog) == (Action.FAIL, Action.WARN)
    age = policy.rules[2]
    assert isinstance(age, VulnerabilityAgeRule)
    assert (age.action, age.grace_days, age.undated) == (
        Action.WARN,
        ((Rating.CRITICAL, 15), (Rating.HIGH, 30), (Rating.MEDIUM, 90), (Rating.LOW, 180)),
        Action.WARN,
    )
    fields = policy.rules[6]
    assert isinstance(fields, SoupRegisterFieldsRule)
    assert RegisterField.ANOMALY_LIST_EVALUATED in fields.fields_for(SafetyClass.C)
    assert RegisterField.ANOMALY_LIST_EVALUATED not in fields.fields_for(SafetyClass.A)
    (ref,) = policy.sources
    assert (ref.path, ref.name, ref.version, len(ref.sha256)) == (
        "builtin:mdr-default",
        "mdr-default",
        "1.3.0",
        64,
    )


def test_later_files_override_by_id_and_can_disable() -> None:
    policy = load_policies(
        ["builtin:mdr-default", str(ASSETS / "product-override.yml")], cwd=ASSETS
    )
    by_id = {r.id: r for r in policy.rules}
    assert "MDR-INV-002" not in by_id
    vuln = by_id["MDR-VULN-001"]
    assert isinstance(vuln, VulnerabilitySeverityRule)
    assert vuln.min_cvss == 9.0
    assert vuln.source == "product-override.yml"
    ban = by_id["AURORA-BAN-001"]
    assert isinstance(ban, BannedComponentRule)
    assert ban.bans[0].versions == "<3.0"
    assert [s.name for s in policy.sources] == ["mdr-default", "aurora-overrides"]
    # First definition keeps its place in the order; new rules come after.
    assert policy.rules[0].id == "MDR-VULN-001"
    assert [r.id for r in policy.rules][-1] == "AURORA-BAN-001"


HEAD = 'apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: "1"}\nrules:\n'


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            "  - id: X-1\n    type: vulnerability-severity\n    action: fail\n"
            "    min_cvss: high\n    unknown_severity: fail\n",
            "p.yml:8: rules[0].min_cvss: expected a number, got string 'high'",
        ),
        (
            "  - id: X-1\n    type: vulnerability-severity\n    action: fail\n"
            "    min_cvss: 11\n    unknown_severity: fail\n",
            "p.yml:8: rules[0].min_cvss: expected a number from 0 to 10, got integer 11",
        ),
        (
            "  - id: X-1\n    type: vulnerability-severity\n    action: fail\n    min_cvss: 7\n",
            "p.yml:5: rules[0]: missing required key 'unknown_severity'",
        ),
        (
            "  - id: X-1\n    type: vulnerability-severity\n    action: block\n"
            "    min_cvss: 7\n    unknown_severity: fail\n",
            "p.yml:7: rules[0].action: expected one of 'fail', 'warn', 'info', got string 'block'",
        ),
        (
            "  - id: X-1\n    type: soup-end-of-support\n    action: fail\n    min_cvss: 7\n",
            "p.yml:8: rules[0].min_cvss: unknown key for this kind of entry",
        ),
        (
            "  - id: X-1\n    type: banned-component\n    action: fail\n"
            "    components:\n      - {name: x, versions: '=>1', reason: r}\n",
            "p.yml:9: rules[0].components[0].versions: expected a version specifier",
        ),
        (
            "  - id: X-1\n    type: banned-component\n    action: fail\n"
            "    components:\n      - {versions: '<1', reason: r}\n",
            "rules[0].components[0]: expected a mapping with 'name' or 'purl'",
        ),
        (
            "  - id: X-1\n    type: soup-end-of-support\n    action: fail\n"
            "  - id: X-1\n    type: soup-end-of-support\n    action: warn\n",
            "p.yml:8: rules[1].id: rule id 'X-1' is used twice",
        ),
        (
            "  - id: X 1\n    type: soup-end-of-support\n    action: fail\n",
            "rules[0].id: expected a rule id made of letters, digits and dashes",
        ),
        (
            "  - id: X-1\n    type: cvss\n    action: fail\n",
            "rules[0].type: expected one of 'vulnerability-severity'",
        ),
    ],
)
def test_mistakes_are_usage_errors_with_location(tmp_path: Path, rules: str, expected: str) -> None:
    path = tmp_path / "p.yml"
    path.write_text(HEAD + rules, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_policies([str(path)], cwd=tmp_path)
    assert expected in str(caught.value)
    assert caught.value.exit_code is ExitCode.USAGE


def test_unknown_builtin_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no built-in policy named 'strict'") as caught:
        load_policies(["builtin:strict"], cwd=tmp_path)
    assert "builtin:mdr-default" in str(caught.value)
    with pytest.raises(UsageError, match="policy file not found"):
        load_policies([str(tmp_path / "none.yml")], cwd=tmp_path)
    with pytest.raises(UsageError, match="no policy given"):
        load_policies([], cwd=tmp_path)


def test_shipped_schema_is_valid_json_schema() -> None:
    import jsonschema

    from mdrgate.policy.load import POLICY_SCHEMA
    from mdrgate.validation import packaged_schema

    jsonschema.Draft202012Validator.check_schema(packaged_schema(*POLICY_SCHEMA))
