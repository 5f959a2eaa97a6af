"""The manufacturer's SOUP register (``soup.yml``): IEC 62304 items that become SBOM components.

The register is what the manufacturer *declares*; it is validated strictly (unknown keys, unquoted
versions and impossible dates are errors) because a silently misread register is a wrong SBOM.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mdrgate.collect.base import Collected, InputSpec, read_input
from mdrgate.collect.firmware.catalogue import lookup
from mdrgate.documents import Document, parse_date, parse_yaml
from mdrgate.errors import InputError
from mdrgate.identifiers import canonical_purl, ecosystem_for_purl, is_cpe, parse_purl
from mdrgate.model import (
    REGISTER_COLLECTOR,
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    LevelOfSupport,
    Origin,
    SoupRecord,
)
from mdrgate.validation import validate

COLLECTOR = REGISTER_COLLECTOR


def collect_soup_register(spec: InputSpec) -> Collected:
    text, file = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    doc = parse_yaml(text, display=spec.display, error=InputError)
    validate(doc, ("schemas", "soup-register.schema.json"), what="register", error=InputError)
    components: list[Component] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(doc.data["items"]):
        component, notes = _component(doc, index, item, spec.display)
        previous = seen.get(component.bom_ref)
        if previous is not None:
            raise doc.error(
                ("items", index),
                f"{component.display} is listed twice (also items[{previous}])",
                error=InputError,
            )
        seen[component.bom_ref] = index
        components.append(component)
        diagnostics.extend(notes)
    return Collected(tuple(components), tuple(diagnostics), (file,))


def _component(
    doc: Document, index: int, item: dict[str, Any], display: str
) -> tuple[Component, list[Diagnostic]]:
    at = ("items", index)
    line = doc.line_of(at)
    name: str = item["name"]
    version: str | None = item.get("version")
    notes: list[Diagnostic] = []

    purl: str | None = None
    ecosystem: str | None = None
    if "purl" in item:
        try:
            parsed = parse_purl(item["purl"])
        except ValueError as exc:
            raise doc.error(
                (*at, "purl"), f"not a valid package URL: {exc}", error=InputError
            ) from None
        if parsed.version is None and version is not None:
            parsed = parsed._replace(version=version)
        elif (
            parsed.version is not None
            and version is not None
            and (parsed.version.lstrip("vV") != version.lstrip("vV"))
        ):
            raise doc.error(
                (*at, "purl"),
                f"the purl names version {parsed.version!r} but the item's version is {version!r}",
                error=InputError,
            )
        purl = canonical_purl(parsed).to_string()
        ecosystem = ecosystem_for_purl(parsed)

    cpes_raw = item.get("cpe", [])
    cpes = (cpes_raw,) if isinstance(cpes_raw, str) else tuple(cpes_raw)
    for i, cpe in enumerate(cpes):
        if not is_cpe(cpe):
            key = (*at, "cpe") if isinstance(cpes_raw, str) else (*at, "cpe", i)
            raise doc.error(
                key,
                f"not a CPE 2.3 formatted string or CPE 2.2 URI: {cpe!r}",
                error=InputError,
                hint="a CPE 2.3 string has 13 parts: "
                "cpe:2.3:a:vendor:product:version:*:*:*:*:*:*:*",
            )

    level = item.get("level_of_support")
    soup = SoupRecord(
        register_id=item.get("id"),
        title=name,
        level_of_support=LevelOfSupport(level) if level else None,
        end_of_support=_date(doc, at, item, "end_of_support"),
        requirements=item.get("requirements"),
        prerequisites=item.get("prerequisites"),
        anomaly_list_evaluated=_date(doc, at, item, "anomaly_list_evaluated"),
        safety_relevant=item.get("safety_relevant"),
        website=item.get("website"),
        notes=item.get("notes"),
    )
    # Language packages are known by their purl alone (a vendored pkg:npm/jquery is catalogued);
    # a firmware item also by CPE or name.
    known = lookup(name=name, purl=purl, cpes=cpes) if ecosystem is None else lookup(purl=purl)
    component = Component(
        name=name,
        version=version,
        component_class=ComponentClass(item.get("class", "firmware")),
        ecosystem=ecosystem,
        purl=purl,
        cpes=cpes,
        supplier=item.get("supplier"),
        licenses=(item["license"],) if "license" in item else (),
        origins=(Origin(COLLECTOR, display, line),),
        soup=soup,
        description=item.get("description"),
        catalogue_id=known.id if known else None,
    )
    if version is None:
        notes.append(
            Diagnostic(
                code="no-exact-version",
                message=f"{name}: the register states no version; it cannot be assessed",
                level=DiagnosticLevel.WARNING,
                path=display,
                line=line,
                component=component.bom_ref,
            )
        )
    return component, notes


def _date(doc: Document, at: tuple[str | int, ...], item: dict[str, Any], key: str) -> date | None:
    value = item.get(key)
    return parse_date(doc, (*at, key), value, error=InputError) if value is not None else None
