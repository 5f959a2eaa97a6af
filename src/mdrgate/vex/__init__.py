"""VEX documents (OpenVEX, CycloneDX VEX, CSAF 2.0 VEX) read into :class:`Assessment` values.

A VEX statement can take a finding out of the failing set, so a document is read whole or not at
all: any statement that misses a CISA VEX minimum element, any schema violation, any product
that cannot be matched by purl or CPE is a :class:`~mdrgate.errors.UsageError` (exit 2) that
names the file, the line, the JSON pointer, what was expected and how to fix it. Nothing is
skipped silently.

The format is recognised from the content: ``@context`` ``https://openvex.dev/ns/...`` is
OpenVEX, ``bomFormat: CycloneDX`` is CycloneDX, a ``document`` with ``csaf_version`` is CSAF.

**CISA minimum elements** (checked for every statement, in each format's terms): a vulnerability
id; at least one product; a status; ``not_affected`` needs a justification or an impact
statement; ``affected`` needs an action statement. Each document is then validated against its
format's published JSON schema (OpenVEX 0.2.0, CSAF 2.0, CycloneDX 1.4 to 1.7).

**Status mapping** (:class:`VexStatus`):

=========================  ======================  =============================================
VEX status                 CycloneDX analysis      CSAF product_status
=========================  ======================  =============================================
``not_affected``           ``not_affected``,       ``known_not_affected``
                           ``false_positive``
``affected``               ``exploitable``         ``known_affected``, ``first_affected``,
                                                   ``last_affected``
``fixed``                  ``resolved``,           ``fixed``, ``first_fixed``
                           ``resolved_with_
                           pedigree``
``under_investigation``    ``in_triage``           ``under_investigation``
=========================  ======================  =============================================

OpenVEX uses the VEX words themselves. CSAF ``recommended`` states no vulnerability status and
is not read. CycloneDX ``false_positive`` has no justification of its own: the impact statement
is ``CycloneDX state false_positive: <detail>``.

**Justification mapping** (:class:`Justification`, CISA's codes; OpenVEX ``justification`` and
CSAF ``flags[].label`` are these words already). CycloneDX ``analysis.justification``:

==================================  ==================================================
CycloneDX                           CISA
==================================  ==================================================
``code_not_present``                ``vulnerable_code_not_present``
``code_not_reachable``              ``vulnerable_code_not_in_execute_path``
``requires_configuration``          ``vulnerable_code_cannot_be_controlled_by_adversary``
``requires_dependency``             ``vulnerable_code_cannot_be_controlled_by_adversary``
``requires_environment``            ``vulnerable_code_cannot_be_controlled_by_adversary``
``protected_by_compiler``           ``inline_mitigations_already_exist``
``protected_at_runtime``            ``inline_mitigations_already_exist``
``protected_at_perimeter``          none
``protected_by_mitigating_control`` none
==================================  ==================================================

This follows the crosswalk most converters publish, except for the last two rows: CISA's
``inline_mitigations_already_exist`` means controls built into the product, while a perimeter
(a hospital's firewall) or an outside mitigating control is not part of the device. Those
statements keep no justification; their impact statement is ``CycloneDX justification
<word>: <detail>``, so the original claim stays visible and policy can tell it apart.
``requires_dependency`` ("a dependency needed to exploit it is absent") is mapped like the other
``requires_*`` words, not to ``component_not_present`` (the vulnerable component itself is
absent), which some converters use.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from mdrgate.errors import UsageError
from mdrgate.model.assessment import Assessment, AssessmentKind
from mdrgate.textfiles import read_bytes_and_text
from mdrgate.vex import csaf, cyclonedx, openvex
from mdrgate.vex.common import Context, text
from mdrgate.vex.jsondoc import VexDocument, parse_json

__all__ = ["detect_kind", "load_vex"]


def load_vex(path: Path, *, display: str) -> tuple[Assessment, ...]:
    """Every statement of the VEX document at ``path``, in document order.

    ``display`` is how the file is named in messages and in each assessment's source.
    Raises :class:`UsageError` for anything that is not a complete, valid VEX document.
    """
    raw, content = read_bytes_and_text(path, display=display, error=UsageError)
    doc = parse_json(content, display=display)
    kind = detect_kind(doc)
    ctx = Context(
        doc=doc,
        kind=kind,
        sha256=hashlib.sha256(raw).hexdigest(),
        document_id=_document_id(kind, doc.data),
    )
    if kind is AssessmentKind.OPENVEX:
        return openvex.read(ctx)
    if kind is AssessmentKind.CYCLONEDX_VEX:
        return cyclonedx.read(ctx)
    return csaf.read(ctx)


def detect_kind(doc: VexDocument) -> AssessmentKind:
    """Which VEX format a parsed document is, from its content."""
    data = doc.data
    if isinstance(data, dict):
        context = data.get("@context")
        if isinstance(context, str) and context.startswith("https://openvex.dev/ns"):
            return AssessmentKind.OPENVEX
        if data.get("bomFormat") == "CycloneDX":
            return AssessmentKind.CYCLONEDX_VEX
        document = data.get("document")
        if isinstance(document, dict) and "csaf_version" in document:
            return AssessmentKind.CSAF_VEX
    raise doc.error(
        (),
        "not a VEX document mdrgate reads",
        hint="expected OpenVEX 0.2.0 (@context https://openvex.dev/ns/v0.2.0), CycloneDX VEX "
        "(bomFormat CycloneDX with vulnerabilities[].analysis) or CSAF 2.0 VEX "
        "(document.category csaf_vex)",
    )


def _document_id(kind: AssessmentKind, data: dict[str, Any]) -> str | None:
    if kind is AssessmentKind.OPENVEX:
        return text(data.get("@id"))
    if kind is AssessmentKind.CYCLONEDX_VEX:
        return text(data.get("serialNumber"))
    tracking = (data.get("document") or {}).get("tracking")
    return text(tracking.get("id")) if isinstance(tracking, dict) else None
