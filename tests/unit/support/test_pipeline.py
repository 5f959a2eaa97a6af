"""`mdrgate check` on the example device with endoflife.date data imported next to its feeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mdrgate.cli import main
from tests.unit.support.conftest import EOL_ZIP

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "infusion-pump"
FEEDS = (
    EXAMPLE / "osv" / "PyPI" / "all.zip",
    EXAMPLE / "nvd" / "nvd-excerpt.json.gz",
    EXAMPLE / "kev" / "known_exploited_vulnerabilities.json.gz",
)
EPOCH = "1795867200"  # 2026-11-28T12:00:00Z


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "off")
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(env: Path, *feeds: Path) -> dict[str, Any]:
    db = env / "vulndb.sqlite3"
    assert main(["db", "import", "--db", str(db), *map(str, feeds)]) == 0
    out = env / "ev"
    config = EXAMPLE / "mdrgate.yml"
    assert main(["check", "--config", str(config), "--db", str(db), "--out", str(out)]) == 1
    decision: dict[str, Any] = json.loads((out / "decision.json").read_text("utf-8"))
    return decision


def _end_of_support(decision: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        o["subject"]["ref"]: (o["status"], o["message"])
        for o in decision["outcomes"]
        if o["ruleId"] == "MDR-SOUP-001"
    }


def test_register_dates_and_public_cycles_together(env: Path) -> None:
    decision = _check(env, *FEEDS, EOL_ZIP)
    eos = _end_of_support(decision)
    assert eos["pkg:generic/cpython@3.8.10"] == (
        "fail",
        "CPython 3.8.10: supplier support ended 2024-10-07 (782 days ago); endoflife.date "
        "python cycle 3.8 reached end of life on 2024-10-07 (782 days ago)",
    )
    assert eos["pkg:github/mbed-tls/mbedtls@v2.28.3"] == (
        "fail",
        "Mbed TLS 2.28.3: supplier support ended 2024-12-31 (697 days ago)",
    )
    # FreeRTOS has no endoflife.date page: said, not passed silently.
    assert eos["pkg:github/freertos/freertos-kernel@V10.3.1"] == (
        "pass",
        "end of support unknown: no end-of-support date stated in the register; no "
        "endoflife.date product lists its purl or CPE",
    )
    codes = [d["code"] for d in decision["diagnostics"]]
    assert "no-eol-data" not in codes


def test_without_eol_data_the_run_says_so(env: Path) -> None:
    decision = _check(env, *FEEDS)
    eos = _end_of_support(decision)
    assert eos["pkg:generic/cpython@3.8.10"] == (
        "fail",
        "CPython 3.8.10: supplier support ended 2024-10-07 (782 days ago)",
    )
    assert eos["pkg:github/freertos/freertos-kernel@V10.3.1"] == (
        "pass",
        "end of support unknown: no end-of-support date stated in the register; no "
        "endoflife.date data was consulted",
    )
    codes = [d["code"] for d in decision["diagnostics"]]
    assert "no-eol-data" in codes
