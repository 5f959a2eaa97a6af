"""Product identifiers of VEX statements as component selectors.

A VEX product is matched against inventory components by package URL or CPE, so every product
must carry one of them (or, in CycloneDX and CSAF, resolve to a component or product-tree entry
that does). Each identifier of a product becomes its own selector: a component known by either
its purl or its CPE is covered, whichever of the two the inventory has.

``vers`` ranges (CycloneDX ``affects[].versions[].range``, CSAF ``product_version_range``) are
read when they are one bounded interval, one bound, or a list of single versions; anything else
(``!=``, several intervals) is refused rather than approximated.
"""

from __future__ import annotations

from packageurl import PackageURL

from mdrgate.cpe import CpeError, parse_cpe
from mdrgate.documents import KeyPath
from mdrgate.model.assessment import ComponentSelector
from mdrgate.vex.jsondoc import VexDocument


def purl_selector(doc: VexDocument, at: KeyPath, text: str) -> ComponentSelector:
    try:
        PackageURL.from_string(text)
    except ValueError as exc:
        raise doc.error(at, f"{text!r} is not a valid package URL: {exc}") from None
    return ComponentSelector(purl=text)


def cpe_selector(doc: VexDocument, at: KeyPath, text: str) -> ComponentSelector:
    try:
        parse_cpe(text)
    except CpeError as exc:
        raise doc.error(at, f"{text!r} is not a valid CPE name: {exc}") from None
    return ComponentSelector(cpe=text)


def identifier_selector(doc: VexDocument, at: KeyPath, text: str) -> ComponentSelector | None:
    """A selector for a purl or CPE written as an id; None when ``text`` is neither."""
    if text.startswith("pkg:"):
        return purl_selector(doc, at, text)
    if text.lower().startswith("cpe:"):
        return cpe_selector(doc, at, text)
    return None


def vers_constraints(doc: VexDocument, at: KeyPath, text: str) -> tuple[str, ...]:
    """A ``vers:`` range as alternative version constraints (``>=1.0,<2.0``; ``==1.5``)."""
    scheme, _, body = text.partition("/")
    if not scheme.startswith("vers:") or not body:
        raise doc.error(
            at,
            f"{text!r} is not a vers range",
            hint="write 'vers:<scheme>/<constraints>', e.g. 'vers:pypi/>=2.0|<2.31.0'",
        )
    if body.strip() == "*":
        return ("",)
    items = [c.strip() for c in body.split("|")]
    parsed: list[tuple[str, str]] = []
    for item in items:
        op = next((o for o in (">=", "<=", "!=", ">", "<", "=") if item.startswith(o)), "=")
        version = item[len(op) :] if item.startswith(op) else item
        if not version or op == "!=":
            break
        parsed.append(("==" if op == "=" else op, version))
    else:
        if all(op == "==" for op, _ in parsed):
            return tuple(f"=={v}" for _, v in parsed)
        if len(parsed) == 1:
            return (f"{parsed[0][0]}{parsed[0][1]}",)
        if len(parsed) == 2:
            lower = [p for p in parsed if p[0] in (">", ">=")]
            upper = [p for p in parsed if p[0] in ("<", "<=")]
            if len(lower) == 1 and len(upper) == 1:
                return (f"{lower[0][0]}{lower[0][1]},{upper[0][0]}{upper[0][1]}",)
    raise doc.error(
        at,
        f"the vers range {text!r} is not supported here",
        hint="state one interval ('>=1.0|<2.0'), one bound, or single versions ('1.0|1.1')",
    )
