"""Reading the vulnerability database: the only way the rest of mdrgate sees advisories.

Opening checks everything that would make a scan silently incomplete — no file, not an mdrgate
database, another schema version, no imported source — and refuses with a DataError (exit 4)
that says what to do. SQLite errors met later (a damaged file) become DataErrors as well.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from mdrgate.errors import DataError
from mdrgate.identifiers import normalize_name
from mdrgate.model.advisory import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    RangeEvent,
    Reference,
    SeverityVector,
)
from mdrgate.model.run import DbProvenance
from mdrgate.vulndb.osv import InvalidRecord, dominant
from mdrgate.vulndb.schema import APPLICATION_ID, SCHEMA_VERSION
from mdrgate.vulndb.severity import score_vector

IMPORT_HINT = "build it with `mdrgate db import <path to an OSV all.zip> ...`"


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One imported source as ``mdrgate db status`` shows it."""

    provenance: DbProvenance
    advisories: int
    withdrawn: int
    skipped_records: int
    ecosystems: tuple[tuple[str, int], ...]
    invalid: tuple[InvalidRecord, ...]
    newest_modified_age_days: float | None
    """Days between the newest record change and ``now``; ``None`` when no record has a date."""
    import_age_days: float | None


@dataclass(frozen=True, slots=True)
class DbStatus:
    path: Path
    size_bytes: int
    sha256: str
    schema_version: int
    built_by: str
    built_at: str
    sources: tuple[SourceStatus, ...]
    ecosystems: tuple[tuple[str, int], ...]


class VulnDb:
    """A read-only handle on a database built by :func:`mdrgate.vulndb.import_osv`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        """Use :meth:`open`, which checks the file before handing it out."""
        self.path = path
        self._conn = conn
        self._advisories: dict[int, Advisory] = {}
        self._packages: dict[int, dict[int, AffectedPackage]] = {}

    @classmethod
    def open(cls, path: Path) -> VulnDb:
        shown = str(path)
        if not path.exists():
            raise DataError(
                "no vulnerability database at this path", source=shown, hint=IMPORT_HINT
            )
        if not path.is_file():
            raise DataError("is not a vulnerability database file", source=shown, hint=IMPORT_HINT)
        not_ours = DataError(
            "is not an mdrgate vulnerability database (or it is damaged)",
            source=shown,
            hint=f"remove it and {IMPORT_HINT}",
        )
        try:
            conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise not_ours from exc
        try:
            conn.execute("PRAGMA query_only = 1")
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise not_ours
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None or row[0] != str(SCHEMA_VERSION):
                found = row[0] if row else "none"
                raise DataError(
                    f"was built by another mdrgate version (database schema version {found}, "
                    f"this mdrgate reads version {SCHEMA_VERSION})",
                    source=shown,
                    hint="re-import: mdrgate db import <path to an OSV all.zip> ...",
                )
            if conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0:
                raise DataError("holds no imported source", source=shown, hint=IMPORT_HINT)
            if conn.execute("SELECT count(*) FROM advisories").fetchone()[0] == 0:
                raise DataError("holds no advisories", source=shown, hint=IMPORT_HINT)
            _check_integrity(conn, shown)
        except sqlite3.Error as exc:
            conn.close()
            raise not_ours from exc
        except DataError:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise DataError(
                f"cannot read the vulnerability database: {exc}",
                source=str(self.path),
                hint=f"the file may be damaged; remove it and {IMPORT_HINT}",
            ) from exc

    def sources(self) -> tuple[DbProvenance, ...]:
        """Provenance of every imported source, by name."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT name, kind, file_name, sha256, records, invalid_records, "
                "newest_modified, imported_at FROM sources ORDER BY name"
            ).fetchall()
        return tuple(DbProvenance(*row) for row in rows)

    def ecosystems(self) -> dict[str, int]:
        """Ecosystem → number of advisories (withdrawn ones excluded) that name a package in it."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT f.ecosystem, count(DISTINCT f.advisory) FROM affected f "
                "JOIN advisories a ON a.rowid = f.advisory WHERE a.withdrawn IS NULL "
                "GROUP BY f.ecosystem ORDER BY f.ecosystem"
            ).fetchall()
        return dict(rows)

    def covered_ecosystems(self) -> frozenset[str]:
        """Ecosystems for which some imported source is an export *of that ecosystem*.

        A few PyPI records inside the OSS-Fuzz export do not make a database fit to assess PyPI
        packages; the main ecosystem of a source (the one most of its advisories name) does.
        """
        covered: set[str] = set()
        with self._reading() as conn:
            for (raw,) in conn.execute("SELECT ecosystems FROM sources"):
                counts: dict[str, int] = json.loads(raw)
                if counts:
                    covered.add(dominant(counts))
        return frozenset(covered)

    def affected(self, ecosystem: str, name: str) -> list[tuple[Advisory, AffectedPackage]]:
        """Every ``affected[]`` entry naming this package, with its advisory (withdrawn included).

        ``name`` is compared as the ecosystem compares names (PEP 503 for PyPI). Ordered by
        advisory id, source and entry position.
        """
        key = normalize_name(ecosystem.split(":", 1)[0], name)
        with self._reading() as conn:
            # The ecosystem itself, and its suffixed forms ("Debian:12", "Maven:https://..."):
            # both use the (ecosystem, name_key) index; ";" is the character after ":".
            hits = conn.execute(
                "SELECT advisory, position FROM affected WHERE ecosystem = ? AND name_key = ? "
                "UNION ALL SELECT advisory, position FROM affected "
                "WHERE ecosystem > ? AND ecosystem < ? AND name_key = ?",
                (ecosystem, key, ecosystem + ":", ecosystem + ";", key),
            ).fetchall()
            advisories = self._load({rowid for rowid, _ in hits})
        out: list[tuple[Advisory, AffectedPackage, int]] = []
        for rowid, position in hits:
            out.append((advisories[rowid], self._packages[rowid][position], position))
        out.sort(key=lambda item: (item[0].id, item[0].source, item[2]))
        return [(advisory, package) for advisory, package, _ in out]

    def lookup(self, identifier: str) -> list[Advisory]:
        """Advisories whose id or one of whose aliases is ``identifier`` (``CVE-2023-32681``)."""
        with self._reading() as conn:
            rowids = {
                r[0]
                for r in conn.execute(
                    "SELECT rowid FROM advisories WHERE id = ? "
                    "UNION SELECT advisory FROM aliases WHERE alias = ?",
                    (identifier, identifier),
                )
            }
            advisories = self._load(rowids)
        return sorted(advisories.values(), key=lambda a: (a.id, a.source))

    def status(self, *, now: datetime) -> DbStatus:
        """Everything ``mdrgate db status`` shows; ages are measured from ``now``."""
        with self._reading() as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            extra = {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT name, skipped_records, withdrawn_records, ecosystems FROM sources"
                )
            }
            counts = dict(
                conn.execute("SELECT source, count(*) FROM advisories GROUP BY source").fetchall()
            )
            invalid: dict[str, list[InvalidRecord]] = {}
            for source, entry, adv_id, reason, imported in conn.execute(
                "SELECT source, entry, id, reason, imported FROM invalid_records "
                "ORDER BY source, entry"
            ):
                invalid.setdefault(source, []).append(
                    InvalidRecord(entry, adv_id, reason, bool(imported))
                )
        sources = []
        for prov in self.sources():
            skipped, withdrawn, ecosystems = extra[prov.source]
            sources.append(
                SourceStatus(
                    provenance=prov,
                    advisories=counts.get(prov.source, 0),
                    withdrawn=withdrawn,
                    skipped_records=skipped,
                    ecosystems=tuple(sorted(json.loads(ecosystems).items())),
                    invalid=tuple(invalid.get(prov.source, ())),
                    newest_modified_age_days=_age_days(prov.newest_modified, now),
                    import_age_days=_age_days(prov.imported_at, now),
                )
            )
        return DbStatus(
            path=self.path,
            size_bytes=self.path.stat().st_size,
            sha256=_file_sha256(self.path),
            schema_version=int(meta.get("schema_version", "0")),
            built_by=meta.get("built_by", ""),
            built_at=meta.get("built_at", ""),
            sources=tuple(sources),
            ecosystems=tuple(sorted(self.ecosystems().items())),
        )

    # -- building domain values ---------------------------------------------------------------

    def _load(self, rowids: set[int]) -> dict[int, Advisory]:
        missing = json.dumps(sorted(rowids - self._advisories.keys()))
        if missing != "[]":
            affected: dict[int, list[tuple[Any, ...]]] = {}
            for row in self._conn.execute(
                "SELECT advisory, position, ecosystem, name, purl, ranges, versions, severity "
                "FROM affected WHERE advisory IN (SELECT value FROM json_each(?)) "
                "ORDER BY advisory, position",
                (missing,),
            ):
                affected.setdefault(row[0], []).append(row)
            for row in self._conn.execute(
                "SELECT rowid, source, id, summary, details, aliases, published, modified, "
                "withdrawn, severity, refs FROM advisories "
                "WHERE rowid IN (SELECT value FROM json_each(?))",
                (missing,),
            ):
                packages = {r[1]: _package(r) for r in affected.get(row[0], [])}
                self._advisories[row[0]] = _advisory(row, tuple(packages.values()))
                self._packages[row[0]] = packages
        return {rowid: self._advisories[rowid] for rowid in rowids}


def _advisory(row: tuple[Any, ...], affected: tuple[AffectedPackage, ...]) -> Advisory:
    _, source, adv_id, summary, details, aliases, published, modified, withdrawn, sev, refs = row
    return Advisory(
        id=adv_id,
        source=source,
        aliases=tuple(json.loads(aliases)),
        summary=summary,
        details=details,
        published=_when(published),
        modified=_when(modified),
        withdrawn=_when(withdrawn),
        severities=_severities(sev),
        references=tuple(Reference(kind, url) for kind, url in json.loads(refs)),
        affected=affected,
    )


def _package(row: tuple[Any, ...]) -> AffectedPackage:
    _, _, ecosystem, name, purl, ranges, versions, severity = row
    return AffectedPackage(
        ecosystem=ecosystem,
        name=name,
        purl=purl,
        ranges=tuple(
            AffectedRange(
                type=kind,
                events=tuple(RangeEvent(event, version) for event, version in events),
                repo=repo,
            )
            for kind, repo, events in json.loads(ranges)
        ),
        versions=tuple(json.loads(versions)),
        severities=_severities(severity),
    )


def _severities(text: str) -> tuple[SeverityVector, ...]:
    return tuple(
        SeverityVector(kind, vector, score_vector(kind, vector)[0])
        for kind, vector in json.loads(text)
    )


def _when(text: str | None) -> datetime | None:
    """A record timestamp; ``None`` when absent, unparsable or the ``0001-01-01`` placeholder."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if when.year <= 1 or when.tzinfo is None else when


def _age_days(text: str | None, now: datetime) -> float | None:
    when = _when(text)
    if when is None:
        return None
    return round((now - when).total_seconds() / 86400, 1)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_integrity(conn: sqlite3.Connection, shown: str) -> None:
    """Refuse a database whose rows no longer match what its import recorded.

    A damaged or hand-edited file (advisories or affected rows deleted) would otherwise make
    every lookup come back empty, and the gate pass.
    """
    damaged = [
        f"{name} lists {records} records but holds {held}"
        for name, records, held in conn.execute(
            "SELECT s.name, s.records, (SELECT count(*) FROM advisories a WHERE a.source = s.name) "
            "FROM sources s"
        )
        if records != held
    ]
    orphans = conn.execute(
        "SELECT count(*) FROM advisories a "
        "WHERE NOT EXISTS (SELECT 1 FROM affected f WHERE f.advisory = a.rowid)"
    ).fetchone()[0]
    if orphans:
        damaged.append(f"{orphans} advisories have no affected package")
    if damaged:
        raise DataError(
            f"is damaged: {'; '.join(damaged)}",
            source=shown,
            hint=f"remove it and {IMPORT_HINT}",
        )
