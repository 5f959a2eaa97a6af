from __future__ import annotations

import subprocess
import sys

from mdrgate.report import EVIDENCE_FILES, render_evidence
from mdrgate.report.decision import render_decision
from mdrgate.report.junit import render_junit
from mdrgate.report.markdown import render_summary
from mdrgate.report.sarif import render_sarif
from tests.unit.report.sample import run_result


def test_render_evidence_returns_every_file() -> None:
    result = run_result()
    evidence = render_evidence(result)
    assert tuple(evidence) == EVIDENCE_FILES
    assert evidence["decision.json"] == render_decision(result)
    assert evidence["junit.xml"] == render_junit(result)
    assert evidence["summary.md"] == render_summary(result)
    assert evidence["results.sarif"] == render_sarif(result)
    assert evidence["sbom.cdx.json"].startswith(b'{\n  "$schema": ')
    assert render_evidence(run_result()) == evidence


def test_sbom_timestamp_is_the_run_end() -> None:
    sbom = render_evidence(run_result())["sbom.cdx.json"]
    assert b'"timestamp": "2026-11-28T12:00:02+00:00"' in sbom


def test_importing_the_renderers_does_not_import_cyclonedx() -> None:
    code = "import sys, mdrgate.report; print(sorted(m for m in sys.modules if 'cyclonedx' == m))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
