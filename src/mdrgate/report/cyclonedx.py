"""The SBOM as CycloneDX 1.6 JSON with the matched vulnerabilities, schema-checked before return.

The object model of cyclonedx-python-lib is built in ``cyclonedx_model`` and imported only when an
SBOM is rendered, so commands that never write one do not pay for the library's import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mdrgate.model import Finding, Inventory, Product
from mdrgate.model.assessment import AppliedAssessment
from mdrgate.model.support import SupportFacts


def render_sbom(
    product: Product,
    inventory: Inventory,
    *,
    findings: Sequence[Finding] = (),
    timestamp: datetime,
    tool_version: str,
    support: Sequence[SupportFacts] = (),
    applied: Sequence[AppliedAssessment] = (),
) -> bytes:
    """CycloneDX 1.6 JSON bytes; the same values give the same bytes.

    Raises ``RuntimeError`` when the document fails the CycloneDX 1.6 schema: that is a bug in
    mdrgate (nothing a user wrote can cause it), and the CLI reports it as an internal error.
    """
    from mdrgate.report.cyclonedx_model import build_sbom_json

    return build_sbom_json(
        product,
        inventory,
        findings=findings,
        timestamp=timestamp,
        tool_version=tool_version,
        support=support,
        applied=applied,
    )
