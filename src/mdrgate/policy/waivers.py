"""``waivers.yml`` → assessments: the manufacturer's controlled exceptions, refused when incomplete.

A waiver is a record an auditor will read: which vulnerability, in which components and versions,
with what status and why, approved by whom, when, and until when. Nothing of that is ever filled
in by default: a waiver without approver or expiry, with an expiry not after its approval, with an
approval dated in the future, with a selector or version range mdrgate cannot read, or with an id
used twice makes the file invalid (exit 2, with the file, the line and the fix). An expired waiver
is *not* refused here: it is still a record, and policy reports it as a violation of its own.

The file's shape is published as ``policies/schema/waivers.schema.json``.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from mdrgate.cpe import CpeError, parse_identifier
from mdrgate.documents import Document, parse_date, parse_yaml
from mdrgate.errors import UsageError
from mdrgate.model.assessment import (
    Assessment,
    AssessmentKind,
    AssessmentSource,
    ComponentSelector,
    Justification,
    VexStatus,
)
from mdrgate.policy.assessments import parse_purl_pattern, scheme_for_selector
from mdrgate.textfiles import read_bytes_and_text
from mdrgate.validation import validate
from mdrgate.versioning import GENERIC, SCHEMES
from mdrgate.versioning.ranges import RangeError, parse_range, version_words

WAIVERS_SCHEMA = ("policies", "schema", "waivers.schema.json")
_RANGE_HINT = (
    "write clauses ==V, !=V, <V, <=V, >V, >=V joined by ',' (all hold) or '||' (any holds), "
    "e.g. '>=1.0,<1.26.5'"
)


def load_waivers(path: Path, *, display: str, today: date) -> tuple[Assessment, ...]:
    """The waivers of one file, in file order; UsageError (exit 2) for anything invalid.

    ``today`` is the date approvals are checked against (none may lie after it).
    """
    data, text = read_bytes_and_text(path, display=display, error=UsageError)
    doc = parse_yaml(text, display=display, error=UsageError)
    validate(doc, WAIVERS_SCHEMA, what="waivers file")
    digest = hashlib.sha256(data).hexdigest()
    first_line: dict[str, int] = {}
    waivers: list[Assessment] = []
    for index, raw in enumerate(doc.data["waivers"]):
        here = ("waivers", index)
        waiver_id = raw["id"]
        if waiver_id in first_line:
            raise doc.error(
                (*here, "id"),
                f"waiver id {waiver_id!r} is used twice (first at line {first_line[waiver_id]})",
                hint="give every waiver its own id; reports and audits refer to waivers by id",
            )
        first_line[waiver_id] = doc.line_of((*here, "id")) or 0
        approved, expires = _dates(doc, here, raw, today)
        selectors = tuple(
            _selector(doc, (*here, "components", i), item)
            for i, item in enumerate(raw["components"])
        )
        justification = raw.get("justification")
        waivers.append(
            Assessment(
                id=waiver_id,
                vulnerability=raw["vulnerability"],
                status=VexStatus(raw["status"]),
                components=selectors,
                source=AssessmentSource(
                    kind=AssessmentKind.WAIVER,
                    path=display,
                    line=doc.line_of(here),
                    sha256=digest,
                ),
                justification=None if justification is None else Justification(justification),
                impact=_text(raw.get("impact")),
                action=_text(raw.get("action")),
                approver=_text(raw["approver"]),
                approved_on=approved,
                expires_on=expires,
                links=tuple(link.strip() for link in raw.get("links", ())),
            )
        )
    return tuple(waivers)


def _text(value: str | None) -> str | None:
    return None if value is None else value.strip()


def _dates(
    doc: Document, here: tuple[str | int, ...], raw: dict[str, Any], today: date
) -> tuple[date, date]:
    approved = parse_date(doc, (*here, "approved"), raw["approved"])
    expires = parse_date(doc, (*here, "expires"), raw["expires"])
    if approved > today:
        raise doc.error(
            (*here, "approved"),
            f"the approval date {approved.isoformat()} is in the future (today is "
            f"{today.isoformat()})",
            hint="a waiver counts from its approval; write the date it was approved",
        )
    if expires <= approved:
        raise doc.error(
            (*here, "expires"),
            f"the waiver expires on {expires.isoformat()}, "
            f"{'the day it was approved' if expires == approved else 'before it was approved'} "
            f"({approved.isoformat()})",
            hint="the expiry date must come after the approval date",
        )
    return approved, expires


def _selector(doc: Document, here: tuple[str | int, ...], raw: dict[str, Any]) -> ComponentSelector:
    selector = ComponentSelector(
        purl=_text(raw.get("purl")),
        cpe=_text(raw.get("cpe")),
        name=_text(raw.get("name")),
        versions=_text(raw["versions"]),
    )
    if selector.purl is not None:
        try:
            parse_purl_pattern(selector.purl)
        except ValueError as exc:
            raise doc.error(
                (*here, "purl"),
                str(exc),
                hint="write a package URL such as pkg:pypi/urllib3 or pkg:github/freertos/*",
            ) from None
    if selector.cpe is not None:
        try:
            parse_identifier(selector.cpe)
        except CpeError as exc:
            raise doc.error(
                (*here, "cpe"),
                str(exc),
                hint="write a CPE 2.3 name (cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:*) or "
                "vendor:product",
            ) from None
    try:
        versions = parse_range(raw["versions"])
    except RangeError as exc:
        raise doc.error((*here, "versions"), str(exc), hint=_RANGE_HINT) from None
    # With a purl, its type says how versions compare; otherwise the covered component's scheme
    # will (checked when matching), so any scheme mdrgate knows may read the bounds here.
    schemes = (scheme_for_selector(selector),) if selector.purl else (GENERIC, *SCHEMES.values())
    problems: list[RangeError] = []
    for scheme in schemes:
        try:
            versions.check(scheme)
            break
        except RangeError as exc:
            problems.append(exc)
    else:
        if selector.purl:
            kind = parse_purl_pattern(selector.purl).type
            hint = (
                f"versions of pkg:{kind} components are compared as {version_words(schemes[0])}s;"
                " write the bounds as such"
            )
        else:
            hint = "no version scheme mdrgate knows reads this bound; write a release number"
        raise doc.error((*here, "versions"), str(problems[0]), hint=hint)
    pinned = parse_purl_pattern(selector.purl).version if selector.purl else None
    if pinned is not None:
        try:
            contradiction = not versions.contains(pinned, schemes[0])
        except RangeError as exc:
            raise doc.error((*here, "purl"), f"the pinned version: {exc}") from None
        if contradiction:
            raise doc.error(
                (*here, "versions"),
                f"the purl pins version {pinned}, which versions {raw['versions']!r} excludes: "
                "the selector could cover nothing",
                hint="drop the version from the purl, or correct the range",
            )
    return selector
