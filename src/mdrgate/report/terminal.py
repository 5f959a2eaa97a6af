"""The lines a developer reads in the CI log: verdict, counts, what failed, where the evidence is.

Untrusted text (component names, messages) is printed as plain ``rich.text.Text`` — never parsed as
console markup — with control characters folded, and every line starts with text of ours, so a
name cannot forge a line (nor a GitHub Actions ``::`` workflow command). Colour only when the
console is a terminal: rich drops styles otherwise.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from mdrgate.gate import gate_status
from mdrgate.model import Finding, OutcomeStatus, RuleOutcome, RunResult, VerdictStatus
from mdrgate.model.baseline import BaselineComparison
from mdrgate.report.facts import (
    RATING_ORDER,
    all_diagnostics,
    exploitation_text,
    finding_for,
    finding_index,
    outcome_counts,
    rating_counts,
    severity_text,
    sorted_outcomes,
    unassessed_components,
)

MAX_LISTED = 15
_MARKS = {"red": "x", "cyan": "~"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _plain(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def print_summary(
    result: RunResult, console: Console, *, evidence_dir: str | None, verbose: bool
) -> None:
    counts = outcome_counts(result)
    passed = gate_status(result.verdict) is VerdictStatus.PASS
    comparison = result.verdict.baseline
    product = f"{_plain(result.product.name)} {_plain(result.product.version)}"

    head = Text()
    head.append(
        " PASS " if passed else " FAIL ",
        style="bold white on green" if passed else "bold white on red",
    )
    head.append(f" {product}: ")
    if not result.verdict.outcomes:
        head.append("no rule produced an outcome: nothing was checked", style="yellow")
    elif comparison is not None:
        head.append(
            f"{len(comparison.new)} new, {len(comparison.carried_over)} carried over, "
            f"{len(comparison.resolved)} resolved relative to the baseline"
        )
    elif passed:
        head.append("no policy rule failed")
    else:
        head.append(f"{counts[OutcomeStatus.FAIL]} rule outcome(s) failed")
    _print(console, head)

    ratings = rating_counts(result.findings)
    found = ", ".join(f"{n} {r.value}" for r in RATING_ORDER if (n := ratings[r]))
    unassessed = unassessed_components(result)
    waived = (
        f"{counts[OutcomeStatus.SUPPRESSED]} waived/suppressed, "
        if result.assessments or counts[OutcomeStatus.SUPPRESSED]
        else ""
    )
    line = (
        f"  {len(result.inventory.components)} components, "
        f"{len(result.findings)} vulnerabilities{f' ({found})' if found else ''}; "
        f"outcomes: {counts[OutcomeStatus.FAIL]} failed, {counts[OutcomeStatus.WARN]} warned, "
        f"{waived}{counts[OutcomeStatus.PASS]} passed"
    )
    _print(console, Text(line))

    outcomes = sorted_outcomes(result.verdict.outcomes)
    index = finding_index(result.findings)
    failed = [o for o in outcomes if o.status is OutcomeStatus.FAIL]
    warned = [o for o in outcomes if o.status is OutcomeStatus.WARN]
    if comparison is None:
        _list(console, "Failed", failed, index, "red", limit=None if verbose else MAX_LISTED)
    else:
        _baseline_lists(console, comparison, index, verbose=verbose)
    suppressed = [o for o in outcomes if o.status is OutcomeStatus.SUPPRESSED]
    if verbose:
        _list(console, "Waived/suppressed (waivers, VEX)", suppressed, index, "cyan", limit=None)
    elif suppressed:
        _print(
            console,
            Text(
                f"  {len(suppressed)} outcome(s) waived/suppressed by waivers or VEX statements: "
                "see summary.md",
                style="cyan",
            ),
        )
    if verbose:
        _list(console, "Warnings", warned, index, "yellow", limit=None)
    elif warned:
        _print(console, Text(f"  {len(warned)} warning(s): see summary.md", style="yellow"))

    if unassessed:
        _print(
            console,
            Text(
                f"  {len(unassessed)} component(s) cannot be assessed (no vulnerability matching)",
                style="yellow",
            ),
        )
        if verbose:
            for item in unassessed:
                _print(
                    console, Text(f"    - {_plain(item.name)}: {_plain('; '.join(item.reasons))}")
                )
    if verbose:
        for diag in all_diagnostics(result):
            where = f" ({_plain(diag.location())})" if diag.location() else ""
            _print(
                console,
                Text(f"  {diag.level.value}: {_plain(diag.code)}{where}: {_plain(diag.message)}"),
            )

    if evidence_dir is not None:
        _print(
            console,
            Text(
                f"  Evidence: {_plain(evidence_dir)} "
                "(summary.md, decision.json, sbom.cdx.json, junit.xml, results.sarif)"
            ),
        )


def _baseline_lists(
    console: Console,
    comparison: BaselineComparison,
    index: dict[tuple[str, str], Finding],
    *,
    verbose: bool,
) -> None:
    _print(console, Text(f"  Baseline: {_plain(comparison.source.path)}"))
    new = sorted_outcomes(comparison.new)
    carried = sorted_outcomes(c.outcome for c in comparison.carried_over)
    _list(console, "New", new, index, "red", limit=None if verbose else MAX_LISTED)
    if verbose:
        _list(console, "Carried over from baseline", carried, index, "yellow", limit=None)
        for was in comparison.resolved:
            advisory = f"  {_plain(was.advisory)}" if was.advisory else ""
            line = f"    resolved: {_plain(was.subject_name)}{advisory}  [{_plain(was.rule_id)}]"
            _print(console, Text(line, style="green"))
    elif carried:
        _print(
            console,
            Text(
                f"  {len(carried)} failure(s) carried over from the baseline: see summary.md",
                style="yellow",
            ),
        )


def _print(console: Console, text: Text) -> None:
    # soft_wrap: rich inserts no line breaks, so untrusted text never lands at a line start.
    console.print(text, soft_wrap=True, highlight=False)


def _list(
    console: Console,
    title: str,
    outcomes: list[RuleOutcome],
    index: dict[tuple[str, str], Finding],
    style: str,
    *,
    limit: int | None,
) -> None:
    if not outcomes:
        return
    _print(console, Text(f"  {title}:", style=f"bold {style}"))
    shown = outcomes if limit is None else outcomes[:limit]
    for outcome in shown:
        finding = finding_for(outcome, index)
        parts = [_plain(outcome.subject_name)]
        if outcome.advisory:
            parts.append(_plain(outcome.advisory))
        severity = severity_text(finding)
        if severity:
            parts.append(severity)
        exploitation = exploitation_text(finding)
        if exploitation:
            parts.append(exploitation)
        line = Text()
        line.append(f"    {_MARKS.get(style, '!')} ", style=style)
        line.append("  ".join(parts))
        line.append(f"  [{_plain(outcome.rule_id)}]", style="dim")
        if not outcome.advisory:
            line.append(f"  {_plain(outcome.message)}")
        elif outcome.status is OutcomeStatus.SUPPRESSED:
            _, _, by = outcome.message.rpartition(" — suppressed by ")
            line.append(f"  suppressed by {_plain(by)}")
        _print(console, line)
    hidden = len(outcomes) - len(shown)
    if hidden:
        _print(console, Text(f"    ... {hidden} more in summary.md", style=style))
