"""Reading NVD CVE JSON 2.0: the yearly feed files and NVD CVE API 2.0 answers.

Both have one shape: an envelope (``resultsPerPage``, ``startIndex``, ``totalResults``,
``format``, ``version``, ``timestamp``) around ``vulnerabilities: [{"cve": {...}}]``; a file may
be plain JSON, gzip (``.json.gz``) or a zip holding one JSON file (``.json.zip``).

What is kept is what matching and reports need, in NVD's own JSON shapes with unknown keys
dropped (see schema.py): descriptions, the CVSS metrics of every version with their source and
Primary/Secondary type, weaknesses, references, published/lastModified, vulnStatus (rejected CVEs
are kept, counted as withdrawn) and the configurations. Each CVE is also indexed by the CPE
``vendor:product`` pairs its configurations name.

Decoding uses msgspec with typed structures: only the kept fields are materialised (several
times faster than ``json.loads`` on the 290 MB of the feeds), unknown fields are skipped, and a
field of the wrong type is an InputError naming the file, the JSON path and the CVE. A file is
refused whole (nothing imported) when it is not JSON, not of this shape, lists fewer records than
it says it holds, or names a CPE that is not a CPE 2.3 formatted string: a partly read feed would
silently lose CVEs.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec

from mdrgate.cpe import CpeError, product_pair_of
from mdrgate.errors import InputError
from mdrgate.vulndb.feeds import (
    ContentBase,
    FeedKind,
    Origin,
    byte_location,
    gunzip,
    open_zip,
    rfc3339,
    zip_member,
)

# -- the shape, as far as it is kept ---------------------------------------------------------------
# Field names follow NVD's keys through rename="camel"; omit_defaults keeps the stored JSON small
# and makes an absent optional key stay absent.


class _LangString(msgspec.Struct, gc=False):
    lang: str
    value: str


class _CvssData(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    version: str
    vector_string: str
    base_score: float
    base_severity: str | None = None


class _Metric(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    source: str
    type: Literal["Primary", "Secondary"]
    cvss_data: _CvssData
    base_severity: str | None = None
    """CVSS v2 entries carry the severity beside ``cvssData``."""


class _Metrics(msgspec.Struct, omit_defaults=True, gc=False):
    v40: list[_Metric] = msgspec.field(default_factory=list, name="cvssMetricV40")
    v31: list[_Metric] = msgspec.field(default_factory=list, name="cvssMetricV31")
    v30: list[_Metric] = msgspec.field(default_factory=list, name="cvssMetricV30")
    v2: list[_Metric] = msgspec.field(default_factory=list, name="cvssMetricV2")


class _Weakness(msgspec.Struct, gc=False):
    source: str
    type: str
    description: list[_LangString]


class _Reference(msgspec.Struct, omit_defaults=True, gc=False):
    url: str
    source: str | None = None
    tags: list[str] = []


class _CpeMatch(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    vulnerable: bool
    criteria: str
    match_criteria_id: str | None = None
    version_start_including: str | None = None
    version_start_excluding: str | None = None
    version_end_including: str | None = None
    version_end_excluding: str | None = None


class _Node(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    operator: Literal["AND", "OR"]
    cpe_match: list[_CpeMatch]
    negate: bool = False


class _Configuration(msgspec.Struct, omit_defaults=True, gc=False):
    nodes: list[_Node]
    operator: Literal["AND", "OR"] | None = None
    negate: bool = False


class _Cve(msgspec.Struct, rename="camel", gc=False):
    id: str
    published: str | None = None
    last_modified: str | None = None
    vuln_status: str | None = None
    descriptions: list[_LangString] = []
    metrics: _Metrics | None = None
    weaknesses: list[_Weakness] = []
    configurations: list[_Configuration] = []
    references: list[_Reference] = []


class _Item(msgspec.Struct, gc=False):
    cve: _Cve


class _Envelope(msgspec.Struct, rename="camel", gc=False):
    vulnerabilities: list[_Item]
    results_per_page: int | None = None
    start_index: int | None = None
    total_results: int | None = None
    format: str | None = None
    version: str | None = None
    timestamp: str | None = None


class _IdOnly(msgspec.Struct, gc=False):
    id: Any = None


class _ItemIdOnly(msgspec.Struct, gc=False):
    cve: _IdOnly | None = None


class _IdsOnly(msgspec.Struct, gc=False):
    vulnerabilities: list[Any] = []


_DECODER = msgspec.json.Decoder(_Envelope)
_ENCODER = msgspec.json.Encoder()
_CVE_ID = re.compile(r"CVE-\d{4}-\d{4,}")

CveRow = tuple[str, str | None, str | None, str | None, str, str, str, str, str]


@dataclass
class NvdContent(ContentBase):
    """The CVEs of one NVD file and their CPE product index."""

    kind: FeedKind = FeedKind.NVD
    cves: list[CveRow] = field(default_factory=list)
    products: list[tuple[str, str, int, int]] = field(default_factory=list)
    """(vendor, product, index of the CVE in ``cves``, vulnerable)."""
    rejected: int = 0
    feed_timestamp: str | None = None
    feed_format: str | None = None
    feed_version: str | None = None
    start_index: int | None = None
    total_results: int | None = None
    newest: str | None = None
    id_years: tuple[int, int] | None = None

    @property
    def source_name(self) -> str:
        """``nvd/<year>`` or ``nvd/<first>-<last year>`` of the CVE ids; a page of an API
        answer that does not start at 0 adds ``@<startIndex>``."""
        if self.origin.source:
            return self.origin.source
        if self.id_years is None:
            name = "nvd/empty"
        else:
            low, high = self.id_years
            name = f"nvd/{low}" if low == high else f"nvd/{low}-{high}"
        if self.start_index:
            name += f"@{self.start_index}"
        return name

    @property
    def records(self) -> int:
        return len(self.cves)

    @property
    def withdrawn(self) -> int:
        return self.rejected

    @property
    def newest_modified(self) -> str | None:
        return rfc3339(self.newest)

    @property
    def captured_at(self) -> str | None:
        return self.origin.captured_at or rfc3339(self.feed_timestamp)

    @property
    def details(self) -> dict[str, Any]:
        return {
            "format": self.feed_format,
            "version": self.feed_version,
            "timestamp": self.feed_timestamp,
            "startIndex": self.start_index,
            "totalResults": self.total_results,
            "rejected": self.rejected,
            "products": len({(v, p) for v, p, _, _ in self.products}),
        }

    def insert(self, conn: sqlite3.Connection, first_rowid: int) -> int:
        source = self.source_name
        conn.executemany(
            "INSERT INTO cves VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first_rowid + i, source, *row) for i, row in enumerate(self.cves)],
        )
        conn.executemany(
            "INSERT INTO cve_products VALUES (?, ?, ?, ?)",
            [(v, p, first_rowid + i, vul) for v, p, i, vul in self.products],
        )
        return first_rowid + len(self.cves)


def read_nvd(data: bytes, origin: Origin) -> NvdContent:
    """Read an NVD JSON 2.0 file (plain, gzip or a one-member zip); see the module docstring."""
    shown = origin.file_name
    text = _unwrap(data, shown)
    try:
        envelope = _DECODER.decode(text)
    except msgspec.ValidationError as exc:
        raise InputError(
            f"is not NVD CVE JSON 2.0: {_explain(exc, text)}",
            source=shown,
            hint="the file is damaged or not an NVD feed or API answer; download it again",
        ) from None
    except msgspec.DecodeError as exc:
        raise InputError(
            f"is not valid JSON: {_decode_problem(exc, text)}",
            source=shown,
            hint="the file is damaged or truncated; download it again",
        ) from None
    content = NvdContent(origin=origin)
    content.feed_timestamp = envelope.timestamp
    content.feed_format = envelope.format
    content.feed_version = envelope.version
    content.start_index = envelope.start_index
    content.total_results = envelope.total_results
    _check_envelope(envelope, content, shown)
    _add_cves(envelope.vulnerabilities, content, shown)
    return content


def _unwrap(data: bytes, shown: str) -> bytes:
    if data.startswith(b"\x1f\x8b"):
        return gunzip(data, shown)
    if data.startswith(b"PK"):
        with open_zip(data, shown) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
            if len(members) != 1:
                raise InputError(
                    f"holds {len(members)} files; an NVD feed zip holds one JSON file",
                    source=shown,
                )
            return zip_member(archive, members[0], shown)
    return data


def _check_envelope(envelope: _Envelope, content: NvdContent, shown: str) -> None:
    if envelope.format not in (None, "NVD_CVE"):
        raise InputError(
            f"format is {envelope.format!r}, expected 'NVD_CVE' (CVE records)", source=shown
        )
    count = len(envelope.vulnerabilities)
    per_page = envelope.results_per_page
    if per_page is not None and per_page != count:
        raise InputError(
            f"says it holds {per_page} records (resultsPerPage) but lists {count}; "
            "the file is incomplete",
            source=shown,
            hint="download it again",
        )
    total, start = envelope.total_results, envelope.start_index or 0
    if total is not None and start + count < total:
        content.warnings.append(
            f"{shown} holds records {start + 1}-{start + count} of an answer of {total}; "
            "import every page of it, or the CVEs of the other pages are missing"
        )
    if total is not None and start + count > total:
        raise InputError(
            f"lists {count} records from index {start} but says the answer holds {total}",
            source=shown,
        )


def _add_cves(items: list[_Item], content: NvdContent, shown: str) -> None:
    encode = _ENCODER.encode
    cves = content.cves
    products = content.products
    seen: set[str] = set()
    low = high = 0
    newest = ""
    for index, item in enumerate(items):
        cve = item.cve
        cve_id = cve.id
        if not _CVE_ID.fullmatch(cve_id):
            raise InputError(
                f"vulnerabilities[{index}].cve.id: {cve_id!r} is not a CVE id", source=shown
            )
        if cve_id in seen:
            raise InputError(f"vulnerabilities[{index}]: {cve_id} is listed twice", source=shown)
        seen.add(cve_id)
        year = int(cve_id[4:8])
        if not low or year < low:
            low = year
        high = max(high, year)
        modified = cve.last_modified
        if modified and modified > newest:
            newest = modified
        if cve.vuln_status == "Rejected":
            content.rejected += 1
        position = len(cves)
        pairs: dict[tuple[str, str], int] = {}
        for c, config in enumerate(cve.configurations):
            for n, node in enumerate(config.nodes):
                for m, match in enumerate(node.cpe_match):
                    key = _product_key(match.criteria)
                    if key is None:
                        raise InputError(
                            f"vulnerabilities[{index}] ({cve_id}): configurations[{c}].nodes[{n}]"
                            f".cpeMatch[{m}].criteria: {match.criteria!r} is not a CPE 2.3 "
                            "formatted string",
                            source=shown,
                        )
                    if match.vulnerable:
                        pairs[key] = 1
                    else:
                        pairs.setdefault(key, 0)
        for (vendor, product), vulnerable in pairs.items():
            products.append((vendor, product, position, vulnerable))
        cves.append(
            (
                cve_id,
                cve.published,
                modified,
                cve.vuln_status,
                encode(cve.descriptions).decode(),
                encode(cve.metrics).decode() if cve.metrics is not None else "{}",
                encode(cve.weaknesses).decode(),
                encode(cve.references).decode(),
                encode(cve.configurations).decode(),
            )
        )
    content.id_years = (low, high) if cves else None
    content.newest = newest or None


def _product_key(criteria: str) -> tuple[str, str] | None:
    """(vendor, product) of a criteria, keyed exactly as matching looks it up; ``None`` if the
    criteria is not a CPE 2.3 name."""
    if not criteria.startswith("cpe:2.3:"):
        return None
    try:
        return product_pair_of(criteria)
    except CpeError:
        return None


def _explain(exc: msgspec.ValidationError, text: bytes) -> str:
    """``vulnerabilities[3] (CVE-2015-0001): cve.metrics...: Expected `float`, got `str```."""
    message = str(exc)
    found = re.search(r" - at `\$(.*)`$", message)
    if found is None:
        return message
    what = message[: found.start()]
    path = found.group(1).lstrip(".")
    item = re.match(r"\.?vulnerabilities\[(\d+)\](.*)", found.group(1))
    if item is not None:
        index, rest = int(item.group(1)), item.group(2).lstrip(".")
        cve = _cve_id_at(text, index)
        where = f"vulnerabilities[{index}]" + (f" ({cve})" if cve else "")
        return f"{where}: {rest or 'the record'}: {what}"
    return f"{path or 'the document'}: {what}"


def _cve_id_at(text: bytes, index: int) -> str | None:
    try:
        items = msgspec.json.decode(text, type=_IdsOnly).vulnerabilities
        item = msgspec.convert(items[index], _ItemIdOnly)
    except (msgspec.MsgspecError, IndexError):
        return None
    cve_id = item.cve.id if item.cve is not None else None
    return cve_id if isinstance(cve_id, str) else None


def _decode_problem(exc: msgspec.DecodeError, text: bytes) -> str:
    message = str(exc)
    found = re.search(r"\(byte (\d+)\)", message)
    if found is None:
        return f"{message} (the file ends at {byte_location(text, len(text))})"
    return f"{message[: found.start()].strip()} at {byte_location(text, int(found.group(1)))}"
