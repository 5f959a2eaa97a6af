from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from mdrgate.model import OutcomeStatus, RuleOutcome, RunResult
from mdrgate.report.terminal import MAX_LISTED, print_summary
from tests.unit.report.sample import OUTCOMES, run_result


def render(
    result: RunResult,
    *,
    terminal: bool = False,
    verbose: bool = False,
    evidence_dir: str | None = "build/evidence",
    width: int = 100,
) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=terminal,
        color_system="standard" if terminal else None,
        width=width,
        no_color=not terminal,
    )
    print_summary(result, console, evidence_dir=evidence_dir, verbose=verbose)
    return buffer.getvalue()


def test_sample_golden(golden: Any) -> None:
    text = render(run_result())
    golden("terminal.txt", text.encode("utf-8"))
    assert "\x1b[" not in text


def test_short_summary_lines() -> None:
    lines = render(run_result()).splitlines()
    assert lines[0] == " FAIL  IP-200 infusion pump 2.4.0: 4 rule outcome(s) failed"
    assert lines[1] == (
        "  6 components, 4 vulnerabilities (2 high, 1 medium, 1 unknown); "
        "outcomes: 4 failed, 2 warned, 2 passed"
    )
    assert "    x urllib3 1.26.5  PYSEC-2023-192  high (8.1)  [MDR-VULN-001]" in lines
    assert "  2 warning(s): see summary.md" in lines
    assert "  1 component(s) cannot be assessed (no vulnerability matching)" in lines
    assert lines[-1] == (
        "  Evidence: build/evidence "
        "(summary.md, decision.json, sbom.cdx.json, junit.xml, results.sarif)"
    )


def test_colour_only_on_a_terminal() -> None:
    coloured = render(run_result(), terminal=True)
    assert "\x1b[" in coloured
    assert "FAIL" in coloured


def test_pass_and_no_evidence_dir() -> None:
    passing = tuple(o for o in OUTCOMES if o.status is OutcomeStatus.PASS)
    text = render(run_result(outcomes=passing), evidence_dir=None)
    assert text.splitlines()[0] == " PASS  IP-200 infusion pump 2.4.0: no policy rule failed"
    assert "Evidence:" not in text
    assert "Failed:" not in text


def test_nothing_checked_is_not_a_plain_pass() -> None:
    text = render(run_result(components=(), findings=(), outcomes=(), diagnostics=()))
    assert text.splitlines()[0] == (
        " PASS  IP-200 infusion pump 2.4.0: no rule produced an outcome: nothing was checked"
    )


def many_failures(count: int) -> tuple[RuleOutcome, ...]:
    return tuple(
        RuleOutcome(
            rule_id="MDR-BAN",
            rule_type="banned-component",
            status=OutcomeStatus.FAIL,
            subject=f"pkg:pypi/pkg{i:02d}@1.0",
            subject_name=f"pkg{i:02d} 1.0",
            message=f"pkg{i:02d} is banned",
        )
        for i in range(count)
    )


def test_long_lists_are_cut_with_a_pointer_to_the_summary() -> None:
    text = render(run_result(outcomes=many_failures(MAX_LISTED + 5)))
    listed = [line for line in text.splitlines() if line.startswith("    x ")]
    assert len(listed) == MAX_LISTED
    assert "    ... 5 more in summary.md" in text.splitlines()
    verbose = render(run_result(outcomes=many_failures(MAX_LISTED + 5)), verbose=True)
    assert len([line for line in verbose.splitlines() if line.startswith("    x ")]) == 20
    assert "more in summary.md" not in verbose


def test_verbose_lists_warnings_and_diagnostics() -> None:
    lines = render(run_result(), verbose=True).splitlines()
    assert "  Warnings:" in lines
    assert "    ! urllib3 1.26.5  PYSEC-2023-212  medium (4.2)  [MDR-VULN-001]" in lines
    assert (
        "  warning: no-exact-version (host/requirements.txt:6): "
        "numpy: no exact version (>=1.24); it cannot be assessed"
    ) in lines


def test_untrusted_text_is_not_markup_and_cannot_start_a_line() -> None:
    evil = RuleOutcome(
        rule_id="MDR-BAN",
        rule_type="banned-component",
        status=OutcomeStatus.FAIL,
        subject="pkg:generic/evil",
        subject_name="[bold red]evil[/] " + "x" * 150 + "\n::set-output name=a::b \x1b[2J",
        message="banned",
    )
    for terminal in (False, True):
        text = render(run_result(outcomes=(evil,)), terminal=terminal, width=60)
        assert "[bold red]evil[/]" in text
        assert "\x1b[2J" not in text
        assert all(not line.lstrip().startswith("::") for line in text.splitlines())
