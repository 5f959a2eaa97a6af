"""The audited CVE table (cve_table.py) against the real NVD records, and its rendering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdrgate.collect.firmware.catalogue import by_id
from mdrgate.enrich.nvd_configurations import CveMatch, MatchStatus, match_cve
from mdrgate.versioning import GENERIC
from tests.unit.nvd_match.assets import committed_cves, configurations
from tests.unit.nvd_match.cve_table import PRODUCTS, ROWS, SUMMARIES, Row

TABLE = Path(__file__).with_name("CVE_TABLE.md")


def identifiers(row: Row) -> tuple[str, ...]:
    if row.component.startswith("cpe:"):
        return (row.component,)
    return by_id(row.component).cpes_for(None)


def judge(row: Row) -> CveMatch:
    return match_cve(configurations(row.cve), identifiers(row), row.version, GENERIC)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.cve}-{r.component}-{r.version}" for r in ROWS])
def test_row(row: Row) -> None:
    match = judge(row)
    assert match.status is row.expected, match.reason
    if row.expected is MatchStatus.NOT_AFFECTED:
        assert match.decided_by == ()
        assert row.entry is None
        return
    assert row.entry is not None
    assert match.decided_by[0].entry.describe() == row.entry
    assert match.conditional is row.conditional
    if row.conditional:
        assert match.decided_by[0].conditions


def test_every_product_has_affected_and_unaffected_rows() -> None:
    for product, ids in PRODUCTS.items():
        outcomes = {r.expected for r in ROWS if r.component in ids}
        assert MatchStatus.AFFECTED in outcomes, product
        assert MatchStatus.NOT_AFFECTED in outcomes, product


def test_every_cve_is_summarised_and_has_both_outcomes() -> None:
    cves = {r.cve for r in ROWS}
    assert cves == set(SUMMARIES)
    for cve in cves:
        outcomes = {r.expected for r in ROWS if r.cve == cve}
        if cve == "CVE-2020-22283":  # NVD gives no version at all: undetermined is the answer
            assert outcomes == {MatchStatus.UNDETERMINED}
            continue
        assert MatchStatus.AFFECTED in outcomes, cve
        assert outcomes - {MatchStatus.AFFECTED}, cve


def test_the_table_uses_the_committed_records() -> None:
    # The alias and CVSS tests use the other records.
    others = {"CVE-2015-7764", "CVE-2015-10004", "CVE-2015-10085"}
    assert {r.cve for r in ROWS} | others == set(committed_cves())


def test_required_kinds_of_configuration_are_covered() -> None:
    platform_rows = [r for r in ROWS if r.conditional and "running on" in judge(r).reason]
    assert {r.cve for r in platform_rows} == {"CVE-2015-5895", "CVE-2015-6607", "CVE-2021-42374"}
    exact = [r for r in ROWS if r.entry and ":*:*:*:*:*:*:*:* " not in r.entry + " "]
    assert len(exact) >= 10


def render() -> str:
    lines = [
        "# NVD CPE matching: the audited CVE table",
        "",
        "Rendered from `cve_table.py` by `test_cve_table.py` (regenerate with "
        "`MDRGATE_REGEN_GOLDEN=1`). Each expectation was decided by hand from the CVE's "
        "`configurations` in `tests/assets/nvd-match/nvd/`; the test checks mdrgate agrees, "
        "including the deciding entry. A = affected, N = not affected, U = undetermined; "
        "(cond.) = affected only on a platform or target the inventory cannot confirm.",
        "",
        "## Configurations",
        "",
        "| CVE | Configuration (vulnerable entries unless marked platform) |",
        "| --- | --- |",
    ]
    lines += [f"| {cve} | {_cell(SUMMARIES[cve])} |" for cve in sorted(SUMMARIES)]
    lines += [
        "",
        "## Rows",
        "",
        "| CVE | Component | Version | Expected | Deciding entry | Reason |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    short = {
        MatchStatus.AFFECTED: "A",
        MatchStatus.NOT_AFFECTED: "N",
        MatchStatus.UNDETERMINED: "U",
    }
    for row in ROWS:
        component = row.component
        if not component.startswith("cpe:"):
            component = f"{component} ({', '.join(p for p in by_id(component).cpes)})"
        expected = short[row.expected] + (" (cond.)" if row.conditional else "")
        lines.append(
            f"| {row.cve} | {_cell(component)} | {_cell(row.version or '(unknown)')} | "
            f"{expected} | {_cell(row.entry or '')} | {_cell(row.reason)} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return (
        "`" + text.replace("|", "\\|") + "`"
        if text.startswith("cpe:")
        else text.replace("|", "\\|")
    )


def test_rendered_table_is_current() -> None:
    text = render()
    if os.environ.get("MDRGATE_REGEN_GOLDEN"):
        TABLE.write_text(text, encoding="utf-8")
    assert TABLE.read_text(encoding="utf-8") == text
