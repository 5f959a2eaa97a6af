"""CSAF 2.0 documents of the VEX profile (``document.category`` ``csaf_vex``).

One assessment per product listed in a vulnerability's ``product_status``, for the
vulnerability's ``cve`` (else its first ``ids[].text``; the other ids are aliases). Each product
of a CSAF document can have its own justification and statements, so each listing is its own
statement, located at ``/vulnerabilities/<i>/product_status/<status>/<j>``.

Products are product ids of the ``product_tree``: a full product name in ``branches`` or
``full_product_names`` gives selectors from its ``product_identification_helper`` (``purl``,
``cpe``), or else from its ``product_name`` branch and ``product_version`` (or
``product_version_range``) branch; a relationship's full product name (``X default_component_of
Y``) stands for its component X, which is what the inventory lists.

Statements about a product: ``flags`` naming it (directly or through a product group) give the
justification (their labels are CISA's words); ``threats`` of category ``impact`` give the impact
statement (a threat naming no product applies to every product of that vulnerability);
``remediations`` give the action statement (``category: details``). Two different flag labels
for one product contradict each other and are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
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
)
from mdrgate.vex.products import cpe_selector, purl_selector, vers_constraints

STATUSES: dict[str, VexStatus] = {
    "known_not_affected": VexStatus.NOT_AFFECTED,
    "known_affected": VexStatus.AFFECTED,
    "first_affected": VexStatus.AFFECTED,
    "last_affected": VexStatus.AFFECTED,
    "fixed": VexStatus.FIXED,
    "first_fixed": VexStatus.FIXED,
    "under_investigation": VexStatus.UNDER_INVESTIGATION,
}
"""CSAF product status → VEX status (``recommended`` states none and is not read)."""

_Product = tuple[KeyPath, dict[str, Any], dict[str, str]]
"""(where, full_product_name, {branch category: branch name} of its ancestors)."""


def read(ctx: Context) -> tuple[Assessment, ...]:
    document = ctx.doc.data["document"]
    if document.get("category") != "csaf_vex":
        raise ctx.doc.error(
            ("document", "category"),
            f"a CSAF document of category {document.get('category')!r} is not a VEX document",
            hint="mdrgate reads the CSAF VEX profile: document.category 'csaf_vex'",
        )
    if document.get("csaf_version") != "2.0":
        raise ctx.doc.error(
            ("document", "csaf_version"),
            f"CSAF version {document.get('csaf_version')!r} is not supported; expected '2.0'",
        )
    vulnerabilities = ctx.doc.data.get("vulnerabilities")
    if not vulnerabilities:
        raise ctx.doc.error((), "a CSAF VEX document without vulnerabilities holds no statement")
    if isinstance(vulnerabilities, list):
        for i, vulnerability in enumerate(vulnerabilities):
            if isinstance(vulnerability, dict):
                _check_ids(ctx, ("vulnerabilities", i), vulnerability)
    ctx.validate(*schemas.packaged(schemas.CSAF), "CSAF 2.0 document")
    tree = ctx.doc.data.get("product_tree") or {}
    products = dict(_products(tree))
    groups = {g["group_id"]: set(g["product_ids"]) for g in tree.get("product_groups") or []}
    timestamp = document["tracking"]["current_release_date"]
    out: list[Assessment] = []
    for i, vulnerability in enumerate(vulnerabilities):
        out += _assessments(ctx, ("vulnerabilities", i), vulnerability, products, groups, timestamp)
    return tuple(out)


def _check_ids(ctx: Context, at: KeyPath, vulnerability: dict[str, Any]) -> None:
    ids = vulnerability.get("ids")
    if not text(vulnerability.get("cve")) and not (isinstance(ids, list) and ids):
        raise missing_vulnerability(ctx, at, "cve or ids")
    statuses = vulnerability.get("product_status")
    if not statuses:
        raise missing_status(ctx, at, "product_status", tuple(STATUSES))


def _products(tree: dict[str, Any]) -> Iterator[tuple[str, _Product]]:
    stack: list[tuple[KeyPath, dict[str, Any], dict[str, str]]] = [
        (("product_tree", "branches", i), b, {}) for i, b in enumerate(tree.get("branches") or [])
    ]
    while stack:
        path, branch, names = stack.pop()
        names = {**names, branch["category"]: branch["name"]}
        if "product" in branch:
            yield branch["product"]["product_id"], ((*path, "product"), branch["product"], names)
        stack += [
            ((*path, "branches", i), b, names) for i, b in enumerate(branch.get("branches") or [])
        ]
    for i, full in enumerate(tree.get("full_product_names") or []):
        yield full["product_id"], (("product_tree", "full_product_names", i), full, {})
    for i, relation in enumerate(tree.get("relationships") or []):
        full = relation["full_product_name"]
        yield (
            full["product_id"],
            (
                ("product_tree", "relationships", i, "product_reference"),
                {"component": relation["product_reference"], "name": full["name"]},
                {},
            ),
        )


def _selectors(
    ctx: Context, at: KeyPath, product_id: str, products: dict[str, _Product], depth: int = 0
) -> list[ComponentSelector]:
    found = products.get(product_id)
    if found is None:
        raise ctx.doc.error(
            at,
            f"product id {product_id!r} is not defined in the product_tree",
            hint="define it in product_tree (branches, full_product_names or relationships)",
        )
    path, product, names = found
    if "component" in product:
        if depth > len(products):
            raise ctx.doc.error(path, "relationships refer to each other in a circle")
        return _selectors(ctx, path, product["component"], products, depth + 1)
    helper = product.get("product_identification_helper") or {}
    out: list[ComponentSelector] = []
    if "purl" in helper:
        out.append(
            purl_selector(ctx.doc, (*path, "product_identification_helper", "purl"), helper["purl"])
        )
    if "cpe" in helper:
        out.append(
            cpe_selector(ctx.doc, (*path, "product_identification_helper", "cpe"), helper["cpe"])
        )
    if out:
        return out
    name = names.get("product_name")
    if name is None:
        raise ctx.doc.error(
            path,
            f"the product {product['name']!r} ({product_id}) has no purl or CPE and no "
            "product_name branch, so no component can be matched to it",
            hint="add product_identification_helper with purl or cpe",
        )
    if "product_version" in names:
        return [ComponentSelector(name=name, versions=f"=={names['product_version']}")]
    if "product_version_range" in names:
        ranges = vers_constraints(ctx.doc, path, names["product_version_range"])
        return [ComponentSelector(name=name, versions=r or None) for r in ranges]
    return [ComponentSelector(name=name)]


def _covers(item: dict[str, Any], product_id: str, groups: dict[str, set[str]]) -> bool:
    if product_id in (item.get("product_ids") or ()):
        return True
    return any(product_id in groups.get(g, ()) for g in item.get("group_ids") or ())


def _assessments(
    ctx: Context,
    at: KeyPath,
    vulnerability: dict[str, Any],
    products: dict[str, _Product],
    groups: dict[str, set[str]],
    timestamp: str,
) -> Iterator[Assessment]:
    ids = [vulnerability.get("cve")] + [i["text"] for i in vulnerability.get("ids") or []]
    names: list[str] = [i for i in ids if isinstance(i, str) and text(i)]
    flags = vulnerability.get("flags") or []
    threats = [t for t in vulnerability.get("threats") or [] if t["category"] == "impact"]
    remediations = vulnerability.get("remediations") or []
    listed = False
    for key, status in STATUSES.items():
        for j, product_id in enumerate(vulnerability["product_status"].get(key) or []):
            listed = True
            here = (*at, "product_status", key, j)
            selectors = _selectors(ctx, here, product_id, products)
            labels = sorted({f["label"] for f in flags if _covers(f, product_id, groups)})
            if len(labels) > 1:
                raise ctx.doc.error(
                    (*at, "flags"),
                    f"flags give product {product_id!r} contradicting justifications: "
                    f"{', '.join(labels)}",
                    hint="keep one flag label per product",
                )
            impact = "\n".join(
                t["details"]
                for t in threats
                if _covers(t, product_id, groups)
                or not (t.get("product_ids") or t.get("group_ids"))
            )
            action = "\n".join(
                f"{r['category']}: {r['details']}"
                for r in remediations
                if _covers(r, product_id, groups)
            )
            if status == VexStatus.NOT_AFFECTED and not (labels or impact):
                raise missing_justification(
                    ctx,
                    here,
                    key,
                    f"a flag or an impact threat naming {product_id!r} in this vulnerability",
                )
            if status == VexStatus.AFFECTED and not action:
                raise missing_action(
                    ctx, here, key, f"a remediation naming {product_id!r} in this vulnerability"
                )
            yield ctx.assessment(
                here,
                vulnerability=names[0],
                aliases=names[1:],
                status=status,
                components=selectors,
                justification=Justification(labels[0]) if labels else None,
                impact=impact,
                action=action,
                timestamp=timestamp,
            )
    if not listed:
        raise missing_product(
            ctx,
            (*at, "product_status"),
            "list product ids under known_not_affected, known_affected, fixed or "
            "under_investigation",
        )
