"""``mdrgate policy lint`` and ``policy explain`` on the shipped policies and small overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.cli import main
from mdrgate.policy import load_policies
from mdrgate.policy.explain import explain
from mdrgate.policy.lint import Severity, lint_policies

REPO = Path(__file__).resolve().parents[3]
OVERRIDE = REPO / "tests" / "assets" / "policy" / "product-override.yml"
HEAD = "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: p, version: '1'}\nrules:\n"


def _write(tmp_path: Path, body: str, name: str = "p.yml") -> str:
    path = tmp_path / name
    path.write_text(HEAD + body)
    return str(path)


@pytest.mark.parametrize("name", ["builtin:mdr-default"])
def test_shipped_policies_lint_clean(name: str) -> None:
    assert lint_policies([name], cwd=REPO) == ()


def test_switching_off_a_coverage_rule_is_warned() -> None:
    # The override switches off MDR-INV-002: components no source covers would then fail as
    # unjudged instead of being warned about, which is what lint says.
    (finding,) = lint_policies(["builtin:mdr-default", str(OVERRIDE)], cwd=REPO)
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("no unassessed-component rule covers no-vulnerability-source")


def test_a_switch_off_of_an_unknown_rule_is_a_warning_with_its_line(tmp_path: Path) -> None:
    typo = _write(tmp_path, "  - id: MDR-VULN-01\n    enabled: false\n")
    (finding,) = lint_policies(["builtin:mdr-default", typo], cwd=tmp_path)
    assert (finding.path, finding.line, finding.severity) == ("p.yml", 5, Severity.WARNING)
    assert finding.message == (
        "'enabled: false' switches off 'MDR-VULN-01', but no earlier policy file defines that rule"
    )


def test_replacing_a_rule_with_another_type_is_a_warning(tmp_path: Path) -> None:
    other = _write(
        tmp_path,
        "  - id: MDR-SOUP-006\n    type: evidence-conflict\n    action: warn\n",
    )
    (finding,) = lint_policies(["builtin:mdr-default", other], cwd=tmp_path)
    assert "replaces rule 'MDR-SOUP-006' of type soup-version-drift" in finding.message
    assert "with a rule of type evidence-conflict" in finding.message


def test_same_subjects_judged_differently_is_a_warning(tmp_path: Path) -> None:
    twice = _write(
        tmp_path,
        "  - id: X-DRIFT\n    type: soup-version-drift\n    action: warn\n",
    )
    found = lint_policies(["builtin:mdr-default", twice], cwd=tmp_path)
    assert [f.message.split(":")[0] for f in found] == [
        "rules 'MDR-SOUP-006' (builtin"  # the shipped rule fails, this one warns
    ]
    assert "(fail vs warn)" in found[0].message


def test_a_policy_alone_without_vulnerability_rules_is_warned(tmp_path: Path) -> None:
    lone = _write(tmp_path, "  - id: X-DRIFT\n    type: soup-version-drift\n    action: warn\n")
    messages = [f.message for f in lint_policies([lone], cwd=tmp_path)]
    assert messages[0].startswith("no unassessed-component rule covers advisory-not-evaluable")
    assert messages[1].startswith("the composed policy has no vulnerability rule")


def test_errors_are_what_check_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path, "  - id: X\n    type: soup-version-drift\n    action: explode\n")
    (finding,) = lint_policies([bad], cwd=tmp_path)
    assert (finding.severity, finding.line) == (Severity.ERROR, 7)
    assert main(["policy", "lint", bad]) == 2
    assert "p.yml:7: error:" in capsys.readouterr().err
    twice = _write(
        tmp_path,
        "  - {id: X, type: evidence-conflict, action: warn}\n"
        "  - {id: X, type: evidence-conflict, action: warn}\n",
        "twice.yml",
    )
    (finding,) = lint_policies([twice], cwd=tmp_path)
    assert "rule id 'X' is used twice" in finding.message


def test_strict_turns_warnings_into_exit_2(tmp_path: Path) -> None:
    typo = _write(tmp_path, "  - id: NOPE\n    enabled: false\n")
    assert main(["policy", "lint", "builtin:mdr-default", typo]) == 0
    assert main(["policy", "lint", "--strict", "builtin:mdr-default", typo]) == 2


def test_explain_names_the_reason_a_rule_does_not_apply(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    config = REPO / "examples" / "infusion-pump" / "mdrgate.yml"
    assert main(["policy", "explain", "-c", str(config)]) == 0
    out = capsys.readouterr().out
    block = out.split("\nCPython 3.8.10 [pkg:generic/cpython@3.8.10]:", 1)[1].split("\n\n")[0]
    assert "- MDR-SOUP-005 (soup-undeclared): judges components the register does not list" in block
    assert "+ MDR-SOUP-001 (soup-end-of-support): in scope (every component)" in block


def test_explain_as_values() -> None:
    from mdrgate.model import Component, ComponentClass, Product, SafetyClass

    policy = load_policies(["builtin:mdr-default"], cwd=REPO)
    host = Component(name="requests", version="2.25.1", component_class=ComponentClass.HOST)
    (entry,) = explain(policy, Product("p", "1", None, SafetyClass.B), (host,))
    fits = {f.rule_id: f for f in entry.rules}
    assert not fits["MDR-SOUP-004"].applies  # scoped to firmware
    assert fits["MDR-SOUP-004"].why == "outside the rule's scope (component class firmware)"
    assert not fits["MDR-SOUP-002"].applies  # register-only
    assert fits["MDR-VULN-001"].applies
