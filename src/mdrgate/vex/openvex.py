"""OpenVEX 0.2.0 documents.

One assessment per statement, for the vulnerability's ``name`` (its ``aliases`` kept as aliases).
The statement's products become selectors: each product's ``@id`` when it is a purl or CPE, and
each of its ``identifiers`` (``purl``, ``cpe23``, ``cpe22``). When a product lists
``subcomponents``, the statement is about those components inside the product, so the
subcomponents are the selectors and the product itself is not (the inventory holds components,
not the device). Statuses and justifications are OpenVEX's own words, the CISA vocabulary.

Documents before 0.2.0 (``@context`` ``https://openvex.dev/ns``, vulnerability and products as
plain strings) are refused with a hint: their shape differs and the 0.2.0 schema rejects them.
"""

from __future__ import annotations

from typing import Any

from mdrgate.documents import KeyPath
from mdrgate.model.assessment import Assessment, ComponentSelector, Justification, VexStatus
from mdrgate.vex import schemas
from mdrgate.vex.common import (
    Context,
    missing_action,
    missing_justification,
    missing_product,
    missing_status,
    missing_vulnerability,
    text,
    word,
)
from mdrgate.vex.cyclonedx import JUSTIFICATIONS as CYCLONEDX_JUSTIFICATIONS
from mdrgate.vex.products import cpe_selector, identifier_selector, purl_selector

CONTEXT = "https://openvex.dev/ns/v0.2.0"
STATUSES = tuple(s.value for s in VexStatus)
JUSTIFICATIONS = tuple(j.value for j in Justification)


def check_context(ctx: Context) -> None:
    context = ctx.doc.data.get("@context")
    if context == CONTEXT:
        return
    if context in ("https://openvex.dev/ns", "https://openvex.dev/ns/v0.0.1"):
        raise ctx.doc.error(
            ("@context",),
            f"this is an OpenVEX document before 0.2.0 ({context}); mdrgate reads 0.2.0",
            hint='re-issue it as OpenVEX 0.2.0 (vulnerability as {"name": ...}, products as '
            '{"@id": ...}); vexctl writes 0.2.0',
        )
    raise ctx.doc.error(
        ("@context",), f"unsupported OpenVEX context {context!r}; expected {CONTEXT!r}"
    )


def read(ctx: Context) -> tuple[Assessment, ...]:
    check_context(ctx)
    data = ctx.doc.data
    statements = data.get("statements")
    if isinstance(statements, list):
        for i, statement in enumerate(statements):
            if isinstance(statement, dict):
                _check_minimums(ctx, ("statements", i), statement)
    ctx.validate(*schemas.packaged(schemas.OPENVEX), "OpenVEX document")
    timestamp = data.get("timestamp")
    return tuple(
        _assessment(ctx, ("statements", i), statement, timestamp)
        for i, statement in enumerate(statements)
    )


def _check_minimums(ctx: Context, at: KeyPath, statement: dict[str, Any]) -> None:
    vulnerability = statement.get("vulnerability")
    if vulnerability is None:
        raise missing_vulnerability(ctx, at, "vulnerability.name")
    if isinstance(vulnerability, dict) and not text(vulnerability.get("name")):
        raise missing_vulnerability(ctx, (*at, "vulnerability"), "vulnerability.name")
    if not statement.get("products"):
        raise missing_product(ctx, at, 'add products: [{"@id": <package URL or CPE>}]')
    if "status" not in statement:
        raise missing_status(ctx, at, "status", STATUSES)
    status = word(ctx, (*at, "status"), statement["status"], STATUSES, what="VEX status")
    if "justification" in statement:
        given = statement["justification"]
        cisa = CYCLONEDX_JUSTIFICATIONS.get(given) if isinstance(given, str) else None
        word(
            ctx,
            (*at, "justification"),
            given,
            JUSTIFICATIONS,
            what="CISA justification",
            hint=f"{given!r} is CycloneDX's word; OpenVEX writes {cisa.value!r}" if cisa else None,
        )
    products = statement["products"]
    if isinstance(products, list):
        for p, product in enumerate(products):
            if isinstance(product, dict):
                _product_selectors(ctx, (*at, "products", p), product)
    if status == VexStatus.NOT_AFFECTED and not (
        text(statement.get("justification")) or text(statement.get("impact_statement"))
    ):
        raise missing_justification(ctx, at, status, "justification or impact_statement")
    if status == VexStatus.AFFECTED and not text(statement.get("action_statement")):
        raise missing_action(ctx, at, status, "action_statement")


def _assessment(
    ctx: Context, at: KeyPath, statement: dict[str, Any], doc_timestamp: Any
) -> Assessment:
    vulnerability = statement["vulnerability"]
    selectors: list[ComponentSelector] = []
    for p, product in enumerate(statement["products"]):
        selectors += _product_selectors(ctx, (*at, "products", p), product)
    justification = statement.get("justification")
    return ctx.assessment(
        at,
        vulnerability=vulnerability["name"],
        aliases=vulnerability.get("aliases") or (),
        status=VexStatus(statement["status"]),
        components=selectors,
        justification=Justification(justification) if justification else None,
        impact=text(statement.get("impact_statement")) or text(statement.get("status_notes")),
        action=text(statement.get("action_statement")),
        timestamp=statement.get("timestamp") or doc_timestamp,
    )


def _product_selectors(
    ctx: Context, at: KeyPath, product: dict[str, Any]
) -> list[ComponentSelector]:
    subcomponents = product.get("subcomponents")
    if isinstance(subcomponents, list) and subcomponents:
        out: list[ComponentSelector] = []
        for s, sub in enumerate(subcomponents):
            if isinstance(sub, dict):
                out += _selectors(ctx, (*at, "subcomponents", s), sub)
        return out
    return _selectors(ctx, at, product)


def _selectors(ctx: Context, at: KeyPath, product: dict[str, Any]) -> list[ComponentSelector]:
    out: list[ComponentSelector] = []
    ident = product.get("@id")
    if isinstance(ident, str):
        selector = identifier_selector(ctx.doc, (*at, "@id"), ident)
        if selector is not None:
            out.append(selector)
    found = product.get("identifiers")
    identifiers: dict[str, Any] = found if isinstance(found, dict) else {}
    if isinstance(identifiers.get("purl"), str):
        out.append(purl_selector(ctx.doc, (*at, "identifiers", "purl"), identifiers["purl"]))
    for key in ("cpe23", "cpe22"):
        if isinstance(identifiers.get(key), str):
            out.append(cpe_selector(ctx.doc, (*at, "identifiers", key), identifiers[key]))
    if not out:
        raise ctx.doc.error(
            at,
            f"the product {ident!r} is neither a package URL nor a CPE, so no component "
            "can be matched to it",
            hint='give it "identifiers": {"purl": "pkg:..."} or {"cpe23": "cpe:2.3:..."}',
        )
    return out
