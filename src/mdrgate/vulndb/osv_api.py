"""The OSV API (https://google.github.io/osv.dev/api/) as an optional, online advisory source.

``POST /v1/querybatch`` answers, for each package version asked about, the ids (and ``modified``)
of the advisories OSV.dev holds for it, a page at a time (``next_page_token`` per query, asked
again with ``page_token``); ``GET /v1/vulns/{id}`` gives each full record. Records are read by
the same code as the records of an OSV export (:func:`mdrgate.vulndb.osv.add_record`), so an
advisory reads the same online and offline.

Fail closed. A failure to reach the API, an answer that is not JSON, an answer with fewer results
than queries or of another shape, a listed id whose record cannot be fetched or used: each is a
``DataError`` (exit 4). An online check that could not ask must never read as "no
vulnerabilities".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from mdrgate.errors import DataError, UsageError
from mdrgate.fetch import HttpClient, display_url
from mdrgate.model.advisory import (
    Advisory,
    AffectedPackage,
)
from mdrgate.model.run import DbProvenance
from mdrgate.vulndb.osv import ArchiveContent, InvalidRecord, add_record
from mdrgate.vulndb.store import advisory_from_columns, package_from_columns

DEFAULT_URL = "https://api.osv.dev"
API_ENV = "MDRGATE_OSV_API"
"""The environment variable that points ``check --online`` at another OSV API (a mirror, tests)."""
SOURCE = "osv-api"
"""``Advisory.source`` and provenance name of everything read from the API."""

BATCH_SIZE = 1000
"""The API's limit of queries per ``querybatch`` request."""

MAX_PAGES = 100
"""Rounds of ``next_page_token`` followed before the answer is judged unusable."""


@dataclass(frozen=True, slots=True, order=True)
class OsvQuery:
    """One package version to ask about: a versioned purl, or ecosystem, name and version."""

    version: str
    purl: str | None = None
    ecosystem: str | None = None
    name: str | None = None

    def payload(self, page_token: str | None = None) -> dict[str, Any]:
        query: dict[str, Any]
        if self.purl is not None:
            query = {"package": {"purl": self.purl}}  # the purl carries the version
        else:
            query = {"package": {"ecosystem": self.ecosystem, "name": self.name}}
            query["version"] = self.version
        if page_token is not None:
            query["page_token"] = page_token
        return query

    def describe(self) -> str:
        return self.purl or f"{self.ecosystem} {self.name} {self.version}"


@dataclass(frozen=True, slots=True)
class OsvAnswer:
    """What the API holds for each query, and the provenance of the records read."""

    advisories: dict[OsvQuery, tuple[Advisory, ...]]
    provenance: DbProvenance
    invalid: tuple[InvalidRecord, ...]
    """Records that break the OSV schema but were usable (kept, as for an export)."""


def api_url(configured: str | None) -> str:
    """The API's base URL: ``configured`` (from the environment) when given, else OSV.dev's."""
    if not configured:
        return DEFAULT_URL
    parts = urlsplit(configured)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"the OSV API URL must be an http(s) URL such as {DEFAULT_URL}, got {configured!r}"
        )
    return configured.rstrip("/")


class OsvApi:
    """Asks the OSV API about package versions; see the module docstring for the rules."""

    def __init__(self, client: HttpClient, base_url: str = DEFAULT_URL, *, workers: int = 4):
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.workers = max(1, workers)

    def query(self, queries: Sequence[OsvQuery], *, now: datetime) -> OsvAnswer:
        """The advisories the API lists for each query, as full records."""
        unique = sorted(set(queries), key=lambda q: (q.describe(), q))
        listed = self._ids(unique)
        records = self._records(sorted({i for ids in listed for i in ids}))
        content = ArchiveContent(path=Path(self.base_url), sha256="")
        seen: set[str] = set()
        for adv_id, record in records:
            before = len(content.advisories)
            add_record(content, f"{adv_id}.json", record, seen)
            if len(content.advisories) == before:
                reason = content.invalid[-1].reason if content.invalid else "not usable"
                raise DataError(
                    f"the OSV API's record {adv_id} cannot be used: {reason}",
                    source=display_url(self._vuln_url(adv_id)),
                    hint="without it, whether the package is affected cannot be decided",
                )
        by_id = {adv.id: adv for adv in _advisories(content)}
        advisories = {
            query: tuple(by_id[i] for i in sorted(ids))
            for query, ids in zip(unique, listed, strict=True)
        }
        return OsvAnswer(
            advisories=advisories,
            provenance=DbProvenance(
                source=SOURCE,
                kind="osv-api",
                file_name=self.base_url,
                sha256=_digest(records),
                records=len(records),
                invalid_records=len(content.invalid),
                newest_modified=content.newest_modified,
                imported_at=now.astimezone(UTC)
                .isoformat(timespec="seconds")
                .replace("+00:00", "Z"),
            ),
            invalid=tuple(content.invalid),
        )

    # -- querybatch ---------------------------------------------------------------------------

    def _ids(self, queries: Sequence[OsvQuery]) -> list[set[str]]:
        """For each query, the ids of every page of its answer."""
        url = f"{self.base_url}/v1/querybatch"
        found: list[set[str]] = [set() for _ in queries]
        pending: list[tuple[int, str | None]] = [(i, None) for i in range(len(queries))]
        rounds = 0
        while pending:
            rounds += 1
            if rounds > MAX_PAGES:
                raise DataError(
                    f"the OSV API was still paginating after {MAX_PAGES} pages "
                    f"(for {queries[pending[0][0]].describe()} and {len(pending) - 1} more)",
                    source=display_url(url),
                )
            following: list[tuple[int, str | None]] = []
            for chunk in _chunks(pending, BATCH_SIZE):
                payload = {"queries": [queries[i].payload(token) for i, token in chunk]}
                answer = self.client.post_json(url, payload).json()
                for (i, token), result in zip(
                    chunk, _results(answer, len(chunk), url), strict=True
                ):
                    ids, next_token = _listed(result, url, queries[i])
                    found[i].update(ids)
                    if next_token is not None:
                        if next_token == token:
                            raise DataError(
                                f"the OSV API returned the same page token twice for "
                                f"{queries[i].describe()}",
                                source=display_url(url),
                            )
                        following.append((i, next_token))
            pending = following
        return found

    # -- vulns/{id} ---------------------------------------------------------------------------

    def _vuln_url(self, adv_id: str) -> str:
        return f"{self.base_url}/v1/vulns/{quote(adv_id, safe='')}"

    def _records(self, ids: Sequence[str]) -> list[tuple[str, Any]]:
        if not ids:
            return []
        with ThreadPoolExecutor(max_workers=min(self.workers, len(ids))) as pool:
            return list(zip(ids, pool.map(self._record, ids), strict=True))

    def _record(self, adv_id: str) -> Any:
        url = self._vuln_url(adv_id)
        record = self.client.get_json(url)
        if not isinstance(record, dict) or record.get("id") != adv_id:
            got = record.get("id") if isinstance(record, dict) else type(record).__name__
            raise DataError(
                f"the OSV API answered a record for {got!r} when asked for {adv_id}",
                source=display_url(url),
            )
        return record


def _chunks(
    items: list[tuple[int, str | None]], size: int
) -> Iterator[list[tuple[int, str | None]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _results(answer: Any, expected: int, url: str) -> list[Any]:
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list):
        shape = "an object without 'results'" if isinstance(answer, dict) else "not an object"
        raise DataError(
            f'the OSV API\'s querybatch answer is {shape}; expected {{"results": [...]}}',
            source=display_url(url),
        )
    if len(results) != expected:
        raise DataError(
            f"the OSV API answered {len(results)} results for {expected} queries (a partial "
            "answer: the components without a result would go unchecked)",
            source=display_url(url),
        )
    return results


def _listed(result: Any, url: str, query: OsvQuery) -> tuple[list[str], str | None]:
    def broken(what: str) -> DataError:
        return DataError(
            f"the OSV API's result for {query.describe()} is unusable: {what}",
            source=display_url(url),
        )

    if not isinstance(result, dict):
        raise broken(f"expected an object, got {json.dumps(result)[:80]}")
    vulns = result.get("vulns", [])
    if not isinstance(vulns, list):
        raise broken("'vulns' is not a list")
    ids: list[str] = []
    for vuln in vulns:
        adv_id = vuln.get("id") if isinstance(vuln, dict) else None
        if not isinstance(adv_id, str) or not adv_id.strip():
            raise broken(f"an entry of 'vulns' has no id: {json.dumps(vuln)[:80]}")
        ids.append(adv_id)
    token = result.get("next_page_token")
    if token is not None and not isinstance(token, str):
        raise broken("'next_page_token' is not a string")
    return ids, token or None


def _digest(records: list[tuple[str, Any]]) -> str:
    """The sha256 of the records read, in id order and canonical JSON: what evidence cites."""
    digest = hashlib.sha256()
    for _, record in records:
        digest.update(json.dumps(record, sort_keys=True, separators=(",", ":")).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _advisories(content: ArchiveContent) -> list[Advisory]:
    """Domain values from the rows :func:`add_record` made, as the database would give them."""
    packages: dict[int, list[AffectedPackage]] = {}
    for index, entry in content.affected:
        _, ecosystem, _, name, purl, ranges, versions, severity = entry
        packages.setdefault(index, []).append(
            package_from_columns(ecosystem, name, purl, ranges, versions, severity)
        )
    return [
        advisory_from_columns(SOURCE, *row[:9], affected=tuple(packages.get(index, ())))
        for index, row in enumerate(content.advisories)
    ]
