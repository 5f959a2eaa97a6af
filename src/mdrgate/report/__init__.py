"""Evidence renderers: pure functions from a ``RunResult`` to the bytes of each evidence file.

Renderers do no I/O; the caller writes the files (atomically) and prints the terminal summary.
Each renderer is imported where it is used, so ``mdrgate sbom`` loads only the CycloneDX one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mdrgate.model import RunResult

EVIDENCE_FILES = ("sbom.cdx.json", "decision.json", "junit.xml", "results.sarif", "summary.md")


def render_evidence(result: RunResult) -> dict[str, bytes]:
    """Every evidence file by name; raises ``RuntimeError`` if the SBOM fails its schema (a bug)."""
    from mdrgate.report.cyclonedx import render_sbom
    from mdrgate.report.decision import render_decision
    from mdrgate.report.junit import render_junit
    from mdrgate.report.markdown import render_summary
    from mdrgate.report.sarif import render_sarif

    return {
        "sbom.cdx.json": render_sbom(
            result.product,
            result.inventory,
            findings=result.findings,
            timestamp=result.finished_at,
            tool_version=result.tool_version,
            support=result.support,
            applied=result.applied,
        ),
        "decision.json": render_decision(result),
        "junit.xml": render_junit(result),
        "results.sarif": render_sarif(result),
        "summary.md": render_summary(result),
    }


__all__ = ["EVIDENCE_FILES", "render_evidence"]
