"""The NVD CVE API 2.0 for ``db update``: paging, rate limits, change windows and the merge.

Paging. The API answers at most ``resultsPerPage`` (2,000) CVEs per request; ``startIndex`` walks
through ``totalResults``. Each page is read by the same reader as an imported NVD file
(:func:`mdrgate.vulndb.nvd.read_nvd`), so a page that is not NVD JSON 2.0, lists fewer records
than it says, or starts elsewhere than asked refuses the whole update.

Rate limits. NVD allows 5 requests in a rolling 30 seconds without an API key and 50 with one
(``apiKey`` header, from ``NVD_API_KEY``); :class:`RateLimit` waits before a request that would
exceed that. Its clock and sleep are injectable, and it never re-reads the clock after sleeping,
so tests with a recording sleep see exact waits.

Changes. After the first download, only CVEs changed since the last update are asked for:
``lastModStartDate``/``lastModEndDate`` windows of at most 120 days (the API's limit) from the
time recorded for the NVD sources up to now. The changed CVEs are merged into every NVD source
that holds them — the copy with the newer ``lastModified`` wins, a tie takes the NVD's answer —
and CVEs no source holds yet go to ``nvd/api``. A merged source records when it was brought up to
date (``captured_at`` and ``details.update.lastModEndDate``), which is where the next update
starts.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from mdrgate.errors import DataError, InputError
from mdrgate.fetch import Fetched, HttpClient, display_url
from mdrgate.vulndb.feeds import Origin, parse_timestamp, utc_text
from mdrgate.vulndb.nvd import CveRow, NvdContent, read_nvd
from mdrgate.vulndb.update.sources import NVD_SOURCE

MAX_PAGE = 2000
"""The API's largest ``resultsPerPage`` for CVEs."""
MAX_WINDOW = timedelta(days=120)
"""The API's longest ``lastModStartDate``..``lastModEndDate`` range."""
RATE_PERIOD = 30.0
RATE_WITHOUT_KEY = 5
RATE_WITH_KEY = 50
NOTICE = "This product uses data from the NVD API but is not endorsed or certified by the NVD."

Products = list[tuple[str, str, int]]
"""(vendor, product, vulnerable) of one CVE."""


class RateLimit:
    """At most ``requests`` requests in any ``period`` seconds (a sliding window)."""

    def __init__(
        self,
        requests: int,
        period: float,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        if requests < 1:
            raise ValueError("a rate limit allows at least one request")
        self.requests = requests
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque(maxlen=requests)

    def wait(self) -> float:
        """Sleep until one more request is allowed; the seconds slept."""
        now = self._clock()
        waited = 0.0
        if len(self._sent) == self.requests:
            allowed = self._sent[0] + self.period
            if allowed > now:
                waited = allowed - now
                self._sleep(waited)
                now = allowed
        self._sent.append(now)
        return waited


def windows(since: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
    """Consecutive ranges of at most :data:`MAX_WINDOW` covering ``since``..``until``."""
    found = []
    start = since
    while start < until:
        end = min(start + MAX_WINDOW, until)
        found.append((start, end))
        start = end
    return found


def api_time(moment: datetime) -> str:
    """The API's date form: extended ISO 8601 in UTC (``2026-04-25T03:01:47.000Z``)."""
    return utc_text(moment).removesuffix("Z") + ".000Z"


def newer(candidate: str | None, held: str | None) -> bool:
    """Whether a copy modified at ``candidate`` replaces one modified at ``held`` (ties do)."""
    new = parse_timestamp(candidate) if candidate else None
    old = parse_timestamp(held) if held else None
    if old is None:
        return True
    if new is None:
        return False
    return new >= old


@dataclass
class NvdChanges:
    """Every CVE the API returned, the newest copy of each."""

    rows: dict[str, CveRow] = field(default_factory=dict)
    products: dict[str, Products] = field(default_factory=dict)
    pages: int = 0
    requests_waited: float = 0.0
    timestamp: str | None = None
    digests: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        """A digest of the pages received (of their digests, in order)."""
        return hashlib.sha256("\n".join(self.digests).encode()).hexdigest()

    def add(self, page: NvdContent) -> None:
        by_index: dict[int, Products] = {}
        for vendor, product, index, vulnerable in page.products:
            by_index.setdefault(index, []).append((vendor, product, vulnerable))
        for index, row in enumerate(page.cves):
            held = self.rows.get(row[0])
            if held is None or newer(row[2], held[2]):
                self.rows[row[0]] = row
                self.products[row[0]] = by_index.get(index, [])


PageDone = Callable[[int, int, int], None]
"""Called after each page with (CVEs received so far, CVEs announced so far, pages)."""


@dataclass
class NvdFetcher:
    """Asks the API for every CVE, or for those changed in a period, page by page."""

    client: HttpClient
    url: str
    limit: RateLimit
    api_key: str | None = None
    page_size: int = MAX_PAGE

    def fetch(
        self, since: datetime | None, until: datetime, on_page: PageDone | None = None
    ) -> NvdChanges:
        changes = NvdChanges()
        spans: list[tuple[datetime, datetime] | None] = (
            list(windows(since, until)) if since is not None else [None]
        )
        received = announced = 0
        for span in spans:
            start = 0
            total: int | None = None
            while total is None or start < total:
                page, shown = self._page(span, start)
                if page.total_results is None:
                    raise DataError(
                        "the answer has no totalResults; cannot tell whether every page arrived",
                        source=shown,
                    )
                if (page.start_index or 0) != start:
                    raise DataError(
                        f"asked for startIndex {start}, the answer starts at {page.start_index}",
                        source=shown,
                    )
                if total is None:
                    announced += page.total_results
                total = page.total_results
                changes.add(page)
                changes.pages += 1
                changes.digests.append(page.origin.sha256)
                changes.timestamp = page.feed_timestamp or changes.timestamp
                received += page.records
                start += page.records
                if on_page is not None:
                    on_page(received, announced, changes.pages)
                if page.records == 0 and start < total:
                    raise DataError(
                        f"the page at startIndex {start} is empty although the answer holds "
                        f"{total} CVEs",
                        source=shown,
                    )
        return changes

    def _page(self, span: tuple[datetime, datetime] | None, start: int) -> tuple[NvdContent, str]:
        params = {"startIndex": str(start), "resultsPerPage": str(self.page_size)}
        if span is not None:
            params["lastModStartDate"] = api_time(span[0])
            params["lastModEndDate"] = api_time(span[1])
        shown = display_url(f"{self.url}?{urlencode(params)}")
        headers = {"apiKey": self.api_key} if self.api_key else None
        self.limit.wait()
        answer = self.client.get(self.url, params=params, headers=headers)
        assert isinstance(answer, Fetched)  # no validators sent
        try:
            page = read_nvd(answer.body, Origin(shown, answer.sha256))
        except InputError as exc:
            raise DataError(
                f"the answer is not usable: {exc.message}",
                source=shown,
                hint="the service may be down or a proxy may have answered in its place",
            ) from None
        return page, shown


# -- the sources already held, and the merge --------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeldNvd:
    """An NVD source of the database being updated."""

    name: str
    file_name: str
    sha256: str
    captured_at: str | None
    details: Mapping[str, Any]

    @property
    def updated_until(self) -> str | None:
        """Up to when this source is known to hold the NVD's changes."""
        update = self.details.get("update")
        if isinstance(update, dict) and isinstance(update.get("lastModEndDate"), str):
            return str(update["lastModEndDate"])
        return self.captured_at


def held_nvd(conn: sqlite3.Connection) -> list[HeldNvd]:
    rows = conn.execute(
        "SELECT name, file_name, sha256, captured_at, details FROM sources "
        "WHERE kind = 'nvd' ORDER BY name"
    ).fetchall()
    return [HeldNvd(n, f, s, c, _json_object(d)) for n, f, s, c, d in rows]


def _json_object(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class MergedNvd(NvdContent):
    """An NVD source brought up to date with the API's changes."""

    update: dict[str, Any] = field(default_factory=dict)

    @property
    def details(self) -> dict[str, Any]:
        return {**super().details, "update": self.update}


def merge(
    conn: sqlite3.Connection | None,
    held: Iterable[HeldNvd],
    changes: NvdChanges,
    *,
    url: str,
    since: datetime | None,
    until: datetime,
) -> list[MergedNvd]:
    """Every NVD source with the changed CVEs it holds replaced, plus ``nvd/api`` for the rest."""
    placed: set[str] = set()
    merged: list[MergedNvd] = []
    held = sorted(held, key=lambda s: (s.name == NVD_SOURCE, s.name))  # nvd/api last
    for source in held:
        assert conn is not None
        rows, products = _stored(conn, source.name)
        changed = 0
        for position, row in enumerate(rows):
            fresh = changes.rows.get(row[0])
            if fresh is None:
                continue
            placed.add(row[0])
            if fresh != row and newer(fresh[2], row[2]):
                rows[position] = fresh
                products[row[0]] = changes.products[row[0]]
                changed += 1
        added: list[CveRow] = []
        if source.name == NVD_SOURCE:
            added = _unplaced(changes, placed, held)
        merged.append(
            _content(source, rows + added, products, changes, url, since, until, changed, added)
        )
    if not any(s.name == NVD_SOURCE for s in held):
        added = _unplaced(changes, placed, held)
        if added or not held:
            first = HeldNvd(NVD_SOURCE, display_url(url), changes.sha256, None, {})
            merged.append(_content(first, added, {}, changes, url, since, until, 0, added))
    return merged


def _unplaced(changes: NvdChanges, placed: set[str], held: list[HeldNvd]) -> list[CveRow]:
    """Changed CVEs no source holds, in CVE order (``placed`` is complete once every held
    source but ``nvd/api`` was merged: ``nvd/api`` is merged last when it exists)."""
    return [changes.rows[cve] for cve in sorted(set(changes.rows) - placed, key=_cve_order)]


def _cve_order(cve_id: str) -> tuple[int, int]:
    _, year, number = cve_id.split("-", 2)
    return int(year), int(number)


def _stored(conn: sqlite3.Connection, source: str) -> tuple[list[CveRow], dict[str, Products]]:
    rows: list[CveRow] = [
        tuple(row)
        for row in conn.execute(
            "SELECT id, published, last_modified, vuln_status, descriptions, metrics, "
            "weaknesses, refs, configurations FROM cves WHERE source = ? ORDER BY rowid",
            (source,),
        )
    ]
    products: dict[str, Products] = {}
    for cve, vendor, product, vulnerable in conn.execute(
        "SELECT c.id, p.vendor, p.product, p.vulnerable FROM cve_products p "
        "JOIN cves c ON c.rowid = p.cve WHERE c.source = ? ORDER BY p.rowid",
        (source,),
    ):
        products.setdefault(cve, []).append((vendor, product, vulnerable))
    return rows, products


def _content(
    source: HeldNvd,
    rows: list[CveRow],
    products: dict[str, Products],
    changes: NvdChanges,
    url: str,
    since: datetime | None,
    until: datetime,
    changed: int,
    added: list[CveRow],
) -> MergedNvd:
    for row in added:
        products[row[0]] = changes.products[row[0]]
    previous = source.details.get("update")
    first = previous.get("firstImport") if isinstance(previous, dict) else None
    content = MergedNvd(
        origin=Origin(display_url(url), changes.sha256, utc_text(until), source.name),
        update={
            "api": display_url(url),
            "lastModStartDate": utc_text(since) if since is not None else None,
            "lastModEndDate": utc_text(until),
            "pages": changes.pages,
            "changed": changed,
            "added": len(added),
            "firstImport": first or {"file": source.file_name, "sha256": source.sha256},
        },
    )
    content.cves = rows
    content.feed_format = "NVD_CVE"
    content.feed_version = "2.0"
    content.feed_timestamp = changes.timestamp
    newest = ""
    years: list[int] = []
    for index, row in enumerate(rows):
        if row[3] == "Rejected":
            content.rejected += 1
        if row[2] and row[2] > newest:
            newest = row[2]
        years.append(int(row[0][4:8]))
        content.products.extend((v, p, index, vul) for v, p, vul in products.get(row[0], []))
    content.newest = newest or None
    content.id_years = (min(years), max(years)) if years else None
    return content
