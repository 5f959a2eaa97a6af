"""Reading the CISA Known Exploited Vulnerabilities catalog (its JSON form).

The catalog is ``{title, catalogVersion, dateReleased, count, vulnerabilities: [{cveID,
vendorProject, product, vulnerabilityName, dateAdded, shortDescription, requiredAction, dueDate,
knownRansomwareCampaignUse, notes, cwes}]}``. Unknown fields are ignored. The whole catalog is
refused (InputError naming the entry) when it is not this shape, when ``count`` differs from the
entries listed (a cut-off download), when a CVE id or date is malformed, or when a CVE is listed
twice: membership in KEV changes how a finding is judged, so a partial catalog must not pass as
the whole.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import msgspec

from mdrgate.errors import InputError
from mdrgate.vulndb.feeds import (
    ContentBase,
    FeedKind,
    Origin,
    byte_location,
    gunzip,
    iso_date,
    rfc3339,
)

SOURCE = "kev"


class _Entry(msgspec.Struct, rename="camel", gc=False):
    cve_id: str = msgspec.field(name="cveID")
    vendor_project: str = ""
    product: str = ""
    vulnerability_name: str = ""
    date_added: str = ""
    short_description: str = ""
    required_action: str = ""
    due_date: str | None = None
    known_ransomware_campaign_use: str = "Unknown"
    notes: str = ""
    cwes: list[str] = []


class _Catalog(msgspec.Struct, rename="camel", gc=False):
    vulnerabilities: list[_Entry]
    catalog_version: str | None = None
    date_released: str | None = None
    count: int | None = None
    title: str | None = None


_DECODER = msgspec.json.Decoder(_Catalog)
_ENCODER = msgspec.json.Encoder()
_CVE_ID = re.compile(r"CVE-\d{4}-\d{4,19}")

KevRow = tuple[str, str, str, str, str, str | None, str, str, str, str, str]


@dataclass
class KevContent(ContentBase):
    kind: FeedKind = FeedKind.KEV
    rows: list[KevRow] = field(default_factory=list)
    catalog_version: str | None = None
    date_released: str | None = None
    newest_added: str | None = None

    @property
    def source_name(self) -> str:
        return self.origin.source or SOURCE

    @property
    def records(self) -> int:
        return len(self.rows)

    @property
    def newest_modified(self) -> str | None:
        return rfc3339(self.newest_added)

    @property
    def captured_at(self) -> str | None:
        return self.origin.captured_at or rfc3339(self.date_released)

    @property
    def details(self) -> dict[str, Any]:
        return {"catalogVersion": self.catalog_version, "dateReleased": self.date_released}

    def insert(self, conn: sqlite3.Connection, first_rowid: int) -> int:
        source = self.source_name
        conn.executemany(
            "INSERT INTO kev VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(source, *row) for row in self.rows],
        )
        return first_rowid


def read_kev(data: bytes, origin: Origin) -> KevContent:
    """Read the KEV JSON catalog (plain or gzip); see the module docstring for what is refused."""
    shown = origin.file_name
    text = gunzip(data, shown) if data.startswith(b"\x1f\x8b") else data
    try:
        catalog = _DECODER.decode(text)
    except msgspec.ValidationError as exc:
        raise InputError(
            f"is not the CISA KEV JSON catalog: {_where(str(exc))}",
            source=shown,
            hint="the file is damaged or not known_exploited_vulnerabilities.json",
        ) from None
    except msgspec.DecodeError as exc:
        message = str(exc)
        found = re.search(r"\(byte (\d+)\)", message)
        if found is not None:
            message = f"{message[: found.start()].strip()} at "
            message += byte_location(text, int(found.group(1)))
        else:
            message += f" (the file ends at {byte_location(text, len(text))})"
        raise InputError(
            f"is not valid JSON: {message}",
            source=shown,
            hint="the file is damaged or truncated; download it again",
        ) from None
    content = KevContent(origin=origin)
    content.catalog_version = catalog.catalog_version
    content.date_released = catalog.date_released
    entries = catalog.vulnerabilities
    if catalog.count is not None and catalog.count != len(entries):
        raise InputError(
            f"says it lists {catalog.count} vulnerabilities (count) but lists {len(entries)}; "
            "the catalog is incomplete",
            source=shown,
            hint="download it again",
        )
    if catalog.catalog_version is None and catalog.date_released is None:
        raise InputError(
            "has neither catalogVersion nor dateReleased: not the CISA KEV catalog", source=shown
        )
    seen: set[str] = set()
    newest = ""
    for index, entry in enumerate(entries):
        where = f"vulnerabilities[{index}]"
        if not _CVE_ID.fullmatch(entry.cve_id):
            raise InputError(f"{where}.cveID: {entry.cve_id!r} is not a CVE id", source=shown)
        where += f" ({entry.cve_id})"
        if entry.cve_id in seen:
            raise InputError(f"{where}: the CVE is listed twice", source=shown)
        seen.add(entry.cve_id)
        if iso_date(entry.date_added) is None:
            raise InputError(
                f"{where}.dateAdded: {entry.date_added!r} is not a date (YYYY-MM-DD)", source=shown
            )
        due = entry.due_date or None
        if due is not None and iso_date(due) is None:
            raise InputError(f"{where}.dueDate: {due!r} is not a date (YYYY-MM-DD)", source=shown)
        newest = max(newest, entry.date_added)
        content.rows.append(
            (
                entry.cve_id,
                entry.vendor_project,
                entry.product,
                entry.vulnerability_name,
                entry.date_added,
                due,
                entry.known_ransomware_campaign_use,
                entry.short_description,
                entry.required_action,
                entry.notes,
                _ENCODER.encode(entry.cwes).decode(),
            )
        )
    content.newest_added = newest or None
    return content


def _where(message: str) -> str:
    found = re.search(r" - at `\$(.*)`$", message)
    if found is None:
        return message
    return f"{found.group(1).lstrip('.') or 'the document'}: {message[: found.start()]}"
