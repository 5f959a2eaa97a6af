"""What every feed importer shares: kinds, input description, reading and recognising a file.

A feed file is untrusted input. Its kind is recognised from its bytes (zip members, the leading
JSON keys, the CSV header), never from its name alone, so a renamed download still imports as
what it is and a file of another kind is refused before anything is written. gzip-compressed
files (as FIRST publishes EPSS and NVD its feeds) are read transparently.

Each importer is a function ``read_<kind>(data, origin) -> <Kind>Content`` taking the file's
bytes and an :class:`Origin` (the file or URL shown in messages, its digest and, when the caller
knows it, when the publisher produced it), so ``db update`` can hand over downloaded bytes with
their HTTP provenance and ``db import`` local files. Contents share the :class:`FeedContent`
interface that build.py inserts.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from mdrgate.errors import InputError
from mdrgate.vulndb.osv import InvalidRecord

MAX_FEED_BYTES = 2 * 1024 * 1024 * 1024
"""A decompressed feed larger than this is a broken or hostile file (the largest, an NVD yearly
feed, is about 60 MB; EPSS about 10 MB)."""


class FeedKind(StrEnum):
    """The feeds the database imports; the value is the ``sources.kind`` column."""

    OSV = "osv"
    NVD = "nvd"
    KEV = "kev"
    EPSS = "epss"
    EOL = "eol"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a feed's bytes came from, as provenance records it."""

    file_name: str
    """The path or URL shown in messages and recorded in ``sources.file_name``."""
    sha256: str
    captured_at: str | None = None
    """When the publisher produced the data (RFC 3339), if the caller knows it (an HTTP
    ``Last-Modified``); the data's own timestamp is used when it has one and this is ``None``."""
    source: str | None = None
    """An explicit source name; ``None`` derives it from the content."""

    @classmethod
    def of_bytes(
        cls,
        data: bytes,
        file_name: str,
        *,
        captured_at: str | None = None,
        source: str | None = None,
    ) -> Origin:
        return cls(file_name, hashlib.sha256(data).hexdigest(), captured_at, source)


@dataclass(frozen=True, slots=True)
class FeedFile:
    """One file to import, optionally with its kind and provenance given by the caller."""

    path: Path
    kind: FeedKind | None = None
    """``None``: recognised from the content."""
    captured_at: str | None = None
    source: str | None = None
    shown: str | None = None
    """Shown in messages and provenance instead of the path (the URL it was downloaded from)."""


class FeedContent(Protocol):
    """The checked rows of one feed file, ready to insert (see build.py)."""

    kind: FeedKind
    origin: Origin

    @property
    def source_name(self) -> str: ...

    @property
    def records(self) -> int:
        """The rows of ``KIND_TABLES[kind]`` this source holds."""
        ...

    @property
    def newest_modified(self) -> str | None: ...

    @property
    def captured_at(self) -> str | None: ...

    @property
    def invalid(self) -> list[InvalidRecord]: ...

    @property
    def skipped(self) -> int: ...

    @property
    def withdrawn(self) -> int: ...

    @property
    def ecosystems(self) -> dict[str, int]: ...

    @property
    def details(self) -> dict[str, Any]: ...

    @property
    def warnings(self) -> list[str]: ...

    def insert(self, conn: sqlite3.Connection, first_rowid: int) -> int:
        """Insert every row; return the next free rowid of the kind's numbered table."""
        ...


@dataclass
class ContentBase:
    """Defaults shared by the contents of the kinds that are not OSV."""

    origin: Origin
    invalid: list[InvalidRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.invalid if not r.imported)

    @property
    def ecosystems(self) -> dict[str, int]:
        return {}

    @property
    def withdrawn(self) -> int:
        """Records the source itself marks as withdrawn or rejected (none, unless overridden)."""
        return 0


# -- reading and recognising ----------------------------------------------------------------------

_GZIP = b"\x1f\x8b"
_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"


LABELS = {
    FeedKind.OSV: "OSV archive",
    FeedKind.NVD: "NVD feed file",
    FeedKind.KEV: "KEV catalog",
    FeedKind.EPSS: "EPSS file",
    FeedKind.EOL: "endoflife.date file",
}


def read_file(
    path: Path, shown: str | None = None, kind: FeedKind | None = None
) -> tuple[bytes, Origin]:
    """The file's bytes (as stored: a zip stays a zip) and its origin; InputError if unreadable."""
    name = shown or str(path)
    label = LABELS[kind] if kind is not None else "feed file"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        hint = "pass the path of an OSV export such as PyPI/all.zip"
        if kind is not FeedKind.OSV:
            hint = "check the path"
        raise InputError(f"{label} not found", source=name, hint=hint) from None
    except IsADirectoryError:
        raise InputError(
            "is a directory, not a feed file",
            source=name,
            hint="name the files: e.g. data/nvd/feeds/*.json.zip",
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the {label}: {exc.strerror or exc}", source=name) from exc
    return data, Origin.of_bytes(data, name)


def gunzip(data: bytes, shown: str) -> bytes:
    """Decompress a gzip file; a truncated or damaged one is an InputError."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(MAX_FEED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            f"not a readable gzip file ({exc}); the file may be truncated",
            source=shown,
            hint="download it again",
        ) from exc
    if len(out) > MAX_FEED_BYTES:
        raise InputError("decompresses to more than 2 GiB; not a feed", source=shown)
    return out


def open_zip(data: bytes, shown: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(
            f"not a readable zip archive ({exc}); the file may be truncated",
            source=shown,
            hint="download it again",
        ) from exc


def zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
    """One member's bytes; a damaged member (truncated, bad CRC) is an InputError."""
    if info.file_size > MAX_FEED_BYTES:
        raise InputError(f"entry {info.filename!r} is too large for a feed file", source=shown)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise InputError(
            f"entry {info.filename!r} cannot be read: {exc}",
            source=shown,
            hint="the archive is damaged; download it again",
        ) from exc


def detect_kind(data: bytes, shown: str) -> FeedKind:
    """Which feed the bytes hold, from their content; InputError when none.

    Zip: endoflife.date (``products/`` or ``api/`` members), NVD (one JSON member with NVD's
    envelope) or OSV (one record per member). JSON: NVD (``"format": "NVD_CVE"`` or
    ``vulnerabilities[].cve``), KEV (``catalogVersion``) or an endoflife.date API product (an
    array of ``cycle`` objects). Text: EPSS (the ``#model_version`` comment or the ``cve,epss``
    header). The chosen importer then checks the whole file and names what does not fit.
    """
    if data.startswith(_GZIP):
        return detect_kind(gunzip(data, shown), shown)
    if data.startswith((_ZIP, _EMPTY_ZIP)):
        with open_zip(data, shown) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
            if any(n.startswith(("products/", "api/")) and n.endswith(".json") for n in names):
                return FeedKind.EOL
            if len(names) == 1:
                info = archive.getinfo(names[0])
                head = _member_head(archive, info, shown)
                kind = _json_kind(head)
                if kind is FeedKind.NVD:
                    return kind
            return FeedKind.OSV
    head = data[:65536]
    kind = _json_kind(head)
    if kind is not None:
        return kind
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    first = text.split(b"\n", 1)[0].strip().lower()
    if first.startswith(b"#model_version") or first.startswith(b"cve,epss"):
        return FeedKind.EPSS
    if first.startswith(b"cveid,vendorproject"):
        raise InputError(
            "is the CSV form of the CISA KEV catalog; mdrgate imports its JSON form",
            source=shown,
            hint="use known_exploited_vulnerabilities.json from the same release",
        )
    raise InputError(
        "is not a feed mdrgate recognises (an OSV export zip, an NVD CVE JSON 2.0 feed or API "
        "answer, the CISA KEV JSON catalog, an EPSS CSV, or endoflife.date product data)",
        source=shown,
    )


def _member_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
    try:
        with archive.open(info) as handle:
            return handle.read(65536)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise InputError(
            f"entry {info.filename!r} cannot be read: {exc}",
            source=shown,
            hint="the archive is damaged; download it again",
        ) from exc


_NVD_FORMAT = re.compile(rb'"format"\s*:\s*"NVD_CVE"')
_NVD_ITEM = re.compile(rb'"vulnerabilities"\s*:\s*\[\s*(\]|\{\s*"cve"\s*:)')
_KEV = re.compile(rb'"catalogVersion"\s*:')
_EOL_ARRAY = re.compile(rb'^\[\s*(\]|\{[^{}]*"cycle"\s*:)', re.DOTALL)


def _json_kind(head: bytes) -> FeedKind | None:
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if body.startswith(b"{"):
        if _NVD_FORMAT.search(body) or _NVD_ITEM.search(body):
            return FeedKind.NVD
        if _KEV.search(body):
            return FeedKind.KEV
    elif body.startswith(b"[") and _EOL_ARRAY.match(body):
        return FeedKind.EOL
    return None


# -- values ---------------------------------------------------------------------------------------


def utc_text(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second: ``2026-04-29T03:04:06Z``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime | None:
    """A feed timestamp as a UTC datetime; ``None`` when it is not one.

    Accepts RFC 3339 (``Z`` or an offset, also ``+0000``), NVD's zone-less UTC times with up to
    seven fractional digits (``2026-04-29T03:04:06.8571834``) and plain dates.
    """
    value = text.strip()
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(\.\d+)?)?(.*)", value)
    if match is None:
        return None
    day, clock, fraction, zone = match.groups()
    micro = (fraction or ".0")[1:7].ljust(6, "0")
    zone = zone.strip()
    if zone in ("", "Z", "z"):
        zone = "+00:00"
    elif re.fullmatch(r"[+-]\d{4}", zone):
        zone = f"{zone[:3]}:{zone[3:]}"
    elif not re.fullmatch(r"[+-]\d{2}:\d{2}", zone):
        return None
    try:
        return datetime.fromisoformat(f"{day}T{clock or '00:00:00'}.{micro}{zone}").astimezone(UTC)
    except ValueError:
        return None


def rfc3339(text: str | None) -> str | None:
    """A feed timestamp normalised to :func:`utc_text`; ``None`` when absent or unreadable."""
    if not text:
        return None
    moment = parse_timestamp(text)
    return utc_text(moment) if moment is not None else None


def iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def byte_location(data: bytes, offset: int) -> str:
    """``line L, column C`` of a byte offset, for JSON syntax errors."""
    offset = max(0, min(offset, len(data)))
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"
