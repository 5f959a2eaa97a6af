"""CycloneDX VEX (JSON, specVersion 1.4 to 1.7): ``vulnerabilities[]`` with an ``analysis``.

One assessment per vulnerability entry, for its ``id`` (the ids of its ``references`` kept as
aliases: CycloneDX defines them as the same vulnerability in other databases).

Products are ``affects[].ref``: a ``bom-ref`` of a component in the same document (``components``,
nested components, ``metadata.component``), whose purl and CPE become selectors, or its name and
version when it has neither. A ref that is not a bom-ref here but is itself a package URL is read
as that purl. A BOM-link (``urn:cdx:<serial>/<version>#<bom-ref>``) points into another BOM, which
mdrgate does not have: it is refused, because guessing what it names could cover the wrong
component. ``affects[].versions`` narrows a selector to those versions (``version`` or a simple
``range``); a version entry whose ``status`` contradicts the analysis (``affected`` for a
``not_affected`` statement) is refused.

What the analysis says becomes the statement's words: ``detail`` is the impact statement; the
action statement is ``recommendation``, ``workaround``, ``detail`` (for ``exploitable``) and the
``response`` words; the timestamp is ``analysis.lastUpdated``, ``firstIssued`` or
``metadata.timestamp``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mdrgate.documents import KeyPath
from mdrgate.model.assessment import Assessment, ComponentSelector, Justification, VexStatus
from mdrgate.vex import schemas
from mdrgate.vex.common import (
    Context,
    items,
    mapping,
    missing_action,
    missing_justification,
    missing_product,
    missing_status,
    missing_vulnerability,
    string,
    text,
    word,
)
from mdrgate.vex.products import identifier_selector, vers_constraints

SPEC_VERSIONS = ("1.4", "1.5", "1.6", "1.7")

STATES: dict[str, VexStatus] = {
    "resolved": VexStatus.FIXED,
    "resolved_with_pedigree": VexStatus.FIXED,
    "exploitable": VexStatus.AFFECTED,
    "in_triage": VexStatus.UNDER_INVESTIGATION,
    "false_positive": VexStatus.NOT_AFFECTED,
    "not_affected": VexStatus.NOT_AFFECTED,
}

JUSTIFICATIONS: dict[str, Justification | None] = {
    "code_not_present": Justification.VULNERABLE_CODE_NOT_PRESENT,
    "code_not_reachable": Justification.VULNERABLE_CODE_NOT_IN_EXECUTE_PATH,
    "requires_configuration": Justification.VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY,
    "requires_dependency": Justification.VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY,
    "requires_environment": Justification.VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY,
    "protected_by_compiler": Justification.INLINE_MITIGATIONS_ALREADY_EXIST,
    "protected_at_runtime": Justification.INLINE_MITIGATIONS_ALREADY_EXIST,
    "protected_at_perimeter": None,
    "protected_by_mitigating_control": None,
}
"""CycloneDX justification → CISA justification; None: no CISA equivalent (see the package doc)."""

_CONTRADICTS = {
    VexStatus.NOT_AFFECTED: "affected",
    VexStatus.FIXED: "affected",
    VexStatus.AFFECTED: "unaffected",
}


def read(ctx: Context) -> tuple[Assessment, ...]:
    data = ctx.doc.data
    spec = data.get("specVersion")
    if spec not in SPEC_VERSIONS:
        raise ctx.doc.error(
            ("specVersion",),
            f"CycloneDX specVersion {spec!r} is not read as VEX; expected one of "
            f"{', '.join(SPEC_VERSIONS)}",
            hint="VEX (vulnerabilities with an analysis) exists in CycloneDX 1.4 and later",
        )
    vulnerabilities = data.get("vulnerabilities")
    if not vulnerabilities:
        raise ctx.doc.error(
            (),
            "a CycloneDX document without vulnerabilities holds no VEX statement",
            hint="VEX statements are vulnerabilities[] entries with an analysis.state",
        )
    if isinstance(vulnerabilities, list):
        for i, vulnerability in enumerate(vulnerabilities):
            if isinstance(vulnerability, dict):
                _check_minimums(ctx, ("vulnerabilities", i), vulnerability)
    ctx.validate(*schemas.cyclonedx(spec), f"CycloneDX {spec} document")
    refs = dict(_components(data))
    timestamp = (data.get("metadata") or {}).get("timestamp")
    return tuple(
        _assessment(ctx, ("vulnerabilities", i), vulnerability, refs, timestamp)
        for i, vulnerability in enumerate(vulnerabilities)
    )


def _check_minimums(ctx: Context, at: KeyPath, vulnerability: dict[str, Any]) -> None:
    if not text(vulnerability.get("id")):
        raise missing_vulnerability(ctx, at, "id")
    analysis = vulnerability.get("analysis")
    if not isinstance(analysis, dict) or "state" not in analysis:
        raise missing_status(
            ctx, (*at, "analysis") if analysis is not None else at, "analysis.state", tuple(STATES)
        )
    state = word(
        ctx,
        (*at, "analysis", "state"),
        analysis["state"],
        tuple(STATES),
        what="CycloneDX analysis state",
    )
    if "justification" in analysis:
        word(
            ctx,
            (*at, "analysis", "justification"),
            analysis["justification"],
            tuple(JUSTIFICATIONS),
            what="CycloneDX analysis justification",
        )
    if not vulnerability.get("affects"):
        raise missing_product(
            ctx, at, 'add affects: [{"ref": <bom-ref of a component with a purl or CPE>}]'
        )
    status = STATES[state]
    if state == "not_affected" and not (
        text(analysis.get("justification")) or text(analysis.get("detail"))
    ):
        raise missing_justification(
            ctx, (*at, "analysis"), state, "analysis.justification or analysis.detail"
        )
    if status == VexStatus.AFFECTED and not (
        analysis.get("response")
        or text(analysis.get("detail"))
        or text(vulnerability.get("recommendation"))
        or text(vulnerability.get("workaround"))
    ):
        raise missing_action(
            ctx,
            (*at, "analysis"),
            state,
            "analysis.response, analysis.detail, recommendation or workaround",
        )


def _components(data: dict[str, Any]) -> Iterator[tuple[str, tuple[KeyPath, dict[str, Any]]]]:
    """(bom-ref, (path, component)) of every component, nested ones and the metadata subject."""
    stack: list[tuple[KeyPath, Any]] = [
        (("metadata", "component"), (data.get("metadata") or {}).get("component"))
    ]
    stack += [(("components", i), c) for i, c in enumerate(data.get("components") or [])]
    while stack:
        path, component = stack.pop()
        if not isinstance(component, dict):
            continue
        ref = component.get("bom-ref")
        if isinstance(ref, str):
            yield ref, (path, component)
        nested = component.get("components") or []
        stack += [((*path, "components", i), c) for i, c in enumerate(nested)]


def _assessment(
    ctx: Context,
    at: KeyPath,
    vulnerability: dict[str, Any],
    refs: dict[str, tuple[KeyPath, dict[str, Any]]],
    doc_timestamp: Any,
) -> Assessment:
    analysis = vulnerability["analysis"]
    state = analysis["state"]
    status = STATES[state]
    detail = text(analysis.get("detail"))
    selectors: list[ComponentSelector] = []
    for a, found in enumerate(vulnerability["affects"]):
        affect = mapping(ctx, (*at, "affects", a), found)
        ref = string(ctx, (*at, "affects", a, "ref"), affect.get("ref"))
        base = _resolve(ctx, (*at, "affects", a, "ref"), ref, refs)
        selectors += _narrow(ctx, (*at, "affects", a, "versions"), affect, base, status)
    cdx_justification = analysis.get("justification")
    justification = JUSTIFICATIONS[cdx_justification] if cdx_justification else None
    impact = detail if status != VexStatus.AFFECTED else None
    if state == "false_positive":
        impact = "CycloneDX state false_positive" + (f": {detail}" if detail else "")
    elif cdx_justification and justification is None:
        impact = f"CycloneDX justification {cdx_justification}" + (f": {detail}" if detail else "")
    return ctx.assessment(
        at,
        vulnerability=vulnerability["id"],
        aliases=[
            r["id"]
            for r in vulnerability.get("references") or []
            if isinstance(r, dict) and text(r.get("id"))
        ],
        status=status,
        components=selectors,
        justification=justification,
        impact=impact,
        action=_action(vulnerability, analysis, status),
        timestamp=analysis.get("lastUpdated") or analysis.get("firstIssued") or doc_timestamp,
    )


def _action(
    vulnerability: dict[str, Any], analysis: dict[str, Any], status: VexStatus
) -> str | None:
    parts = [text(vulnerability.get("recommendation")), text(vulnerability.get("workaround"))]
    if status == VexStatus.AFFECTED:
        parts.append(text(analysis.get("detail")))
    responses = [r for r in analysis.get("response") or [] if isinstance(r, str)]
    if responses:
        parts.append("response: " + ", ".join(responses))
    kept = [p for p in parts if p]
    return "\n".join(dict.fromkeys(kept)) if kept else None


def _resolve(
    ctx: Context, at: KeyPath, ref: str, refs: dict[str, tuple[KeyPath, dict[str, Any]]]
) -> list[ComponentSelector]:
    found = refs.get(ref)
    if found is None:
        if ref.startswith("urn:cdx:"):
            raise ctx.doc.error(
                at,
                f"{ref!r} is a BOM-link into another BOM, which cannot be resolved here",
                hint="list the component in this document's components (with its purl or CPE) "
                "and refer to its bom-ref",
            )
        selector = identifier_selector(ctx.doc, at, ref)
        if selector is None:
            raise ctx.doc.error(
                at,
                f"{ref!r} is no bom-ref of a component in this document, nor a package URL or CPE",
                hint="add the component to components[] with this bom-ref and its purl or CPE",
            )
        return [selector]
    path, component = found
    out: list[ComponentSelector] = []
    for key in ("purl", "cpe"):
        value = component.get(key)
        if isinstance(value, str) and value:
            selector = identifier_selector(ctx.doc, (*path, key), value)
            if selector is None:
                raise ctx.doc.error((*path, key), f"{value!r} is not a valid {key}")
            out.append(selector)
    if out:
        return out
    name, version = component.get("name"), component.get("version")
    if not isinstance(name, str) or not text(name):
        raise ctx.doc.error(path, f"the component {ref!r} has no purl, CPE or name to match")
    shown = f"=={version}" if isinstance(version, str) and text(version) else None
    return [ComponentSelector(name=name, versions=shown)]


def _narrow(
    ctx: Context,
    at: KeyPath,
    affect: dict[str, Any],
    base: list[ComponentSelector],
    status: VexStatus,
) -> list[ComponentSelector]:
    versions = items(ctx, at, affect.get("versions"))
    if not versions:
        return base
    constraints: list[str] = []
    for v, found in enumerate(versions):
        entry = mapping(ctx, (*at, v), found)
        entry_status = entry.get("status")
        if entry_status is not None and entry_status == _CONTRADICTS.get(status):
            raise ctx.doc.error(
                (*at, v, "status"),
                f"version status {entry_status!r} contradicts the analysis state of this "
                f"vulnerability ({status})",
                hint="split the versions into separate vulnerability entries, one per state",
            )
        if "version" in entry:
            constraints.append(f"=={string(ctx, (*at, v, 'version'), entry['version'])}")
        else:
            vers = string(ctx, (*at, v, "range"), entry.get("range"))
            constraints += vers_constraints(ctx.doc, (*at, v, "range"), vers)
    out = []
    for selector in base:
        for constraint in constraints:
            out.append(
                ComponentSelector(
                    purl=selector.purl,
                    cpe=selector.cpe,
                    name=selector.name,
                    versions=constraint or selector.versions,
                )
            )
    return out
