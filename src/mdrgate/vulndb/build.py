"""``mdrgate db import``: build the database from feed files and swap it in atomically.

Feeds: OSV export zips, NVD CVE JSON 2.0 (yearly feeds and API answers), the CISA KEV catalog,
FIRST EPSS scores and endoflife.date data; each file's kind is recognised from its content
(:func:`mdrgate.vulndb.feeds.detect_kind`) and read by that kind's importer.

Sources and re-import. Each file becomes one *source*, named from its content
(``osv/<dominant ecosystem>/<dominant id prefix>`` such as ``osv/PyPI/PYSEC``; ``nvd/<year>`` or
``nvd/<first>-<last year>`` of the CVE ids; ``kev``; ``epss``; ``eol``). Importing a file replaces
every record of the source of the same name and keeps all other sources as they were, so
``db import PyPI/all.zip`` refreshes PyPI without dropping Go or the NVD. Two files of one call
that yield the same source name are refused (one would silently replace the other), and so is
replacing a source with an older snapshot of it (unless ``allow_older``).

Atomicity. Every file is read and checked before anything is written. The new database is then
built in a temporary file beside the target: the new sources are inserted, the rows of the kept
sources are copied from the current database (attached read-only), indexes are created, the file
is checked (``PRAGMA quick_check`` and row counts per source), synced, and renamed over the target
with ``os.replace``. Any error leaves the current database byte-for-byte unchanged and removes the
temporary file. Readers holding the old file open keep reading the old content. Building a fresh
file (instead of copying the old one and deleting from it) leaves no free pages behind and lets
every index be built once, after the bulk insert.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from mdrgate import __version__
from mdrgate.errors import DataError, UsageError
from mdrgate.model.run import DbProvenance
from mdrgate.vulndb.eol import read_eol
from mdrgate.vulndb.epss import read_epss
from mdrgate.vulndb.feeds import FeedContent, FeedFile, FeedKind, Origin, detect_kind, read_file
from mdrgate.vulndb.kev import read_kev
from mdrgate.vulndb.nvd import read_nvd
from mdrgate.vulndb.osv import InvalidRecord
from mdrgate.vulndb.osv_feed import read_osv
from mdrgate.vulndb.schema import APPLICATION_ID, INDEXES, KIND_TABLES, SCHEMA_VERSION, TABLES

READERS: dict[FeedKind, Callable[[bytes, Origin], FeedContent]] = {
    FeedKind.OSV: read_osv,
    FeedKind.NVD: read_nvd,
    FeedKind.KEV: read_kev,
    FeedKind.EPSS: read_epss,
    FeedKind.EOL: read_eol,
}
"""The importer of each kind: ``(bytes, origin) -> content``; none writes anything."""


@dataclass(frozen=True, slots=True)
class SourceImport:
    """What one file contributed, and how it compares with the import it replaced."""

    provenance: DbProvenance
    skipped_records: int
    withdrawn_records: int
    invalid: tuple[InvalidRecord, ...]
    previous_records: int | None
    """Records of the replaced import of this source; ``None`` when the source is new."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    db_path: Path
    sources: tuple[SourceImport, ...]
    kept_sources: tuple[str, ...]
    """Sources already in the database that this import left as they were."""
    warnings: tuple[str, ...]
    seconds: float
    size_bytes: int = 0
    """Size of the database file after the import."""

    @property
    def records(self) -> int:
        return sum(s.provenance.records for s in self.sources)


@dataclass(frozen=True, slots=True)
class _Previous:
    """The database being replaced: the sources to carry over, or why none can be."""

    sources: dict[str, int]
    compatible: bool
    schema_version: str | None
    newest: dict[str, str | None] = field(default_factory=dict)
    """Newest record ``modified`` per source, to refuse replacing data with older data."""
    kinds: dict[str, str] = field(default_factory=dict)


def read_feed(data: bytes, origin: Origin, kind: FeedKind | None = None) -> FeedContent:
    """Read one feed's bytes with the importer of its kind (recognised when ``kind`` is None).

    Raises InputError naming ``origin.file_name`` when the bytes are not a usable feed of that
    kind; nothing is written.
    """
    found = detect_kind(data, origin.file_name) if kind is None else kind
    return READERS[found](data, origin)


def read_feed_file(spec: Path | FeedFile) -> FeedContent:
    """:func:`read_feed` of a file on disk."""
    feed = spec if isinstance(spec, FeedFile) else FeedFile(Path(spec))
    data, origin = read_file(feed.path, feed.shown, feed.kind)
    origin = Origin(origin.file_name, origin.sha256, feed.captured_at, feed.source)
    return read_feed(data, origin, feed.kind)


def import_feeds(
    db_path: Path,
    files: Sequence[Path | FeedFile],
    *,
    now: datetime,
    allow_older: bool = False,
) -> ImportReport:
    """Import feed files of any kind into the database at ``db_path`` (created if absent).

    Raises InputError (a file is missing, unreadable, of no known kind or malformed), UsageError
    (two files of the same source, an older snapshot) or DataError (the target is not an mdrgate
    database, or the build failed); in every case the existing database is left unchanged.
    """
    started = time.perf_counter()
    if not files:
        raise UsageError(
            "no feed file given", hint="e.g. mdrgate db import osv/PyPI/all.zip nvd/*.json.zip"
        )
    contents = [read_feed_file(spec) for spec in files]
    return import_contents(db_path, contents, now=now, allow_older=allow_older, started=started)


def import_osv(
    db_path: Path, archives: Sequence[Path], *, now: datetime, allow_older: bool = False
) -> ImportReport:
    """Import OSV export zips (each must be one); see :func:`import_feeds`."""
    if not archives:
        raise UsageError("no OSV archive given", hint="e.g. mdrgate db import PyPI/all.zip")
    files = [FeedFile(Path(path), kind=FeedKind.OSV) for path in archives]
    return import_feeds(db_path, files, now=now, allow_older=allow_older)


def import_contents(
    db_path: Path,
    contents: Sequence[FeedContent],
    *,
    now: datetime,
    allow_older: bool = False,
    started: float | None = None,
    drop: Collection[str] = (),
) -> ImportReport:
    """Build the database from contents already read (:func:`read_feed`) and swap it in.

    ``drop`` names previous sources to leave out of the new database (``db update`` drops the
    partial OSV imports an ecosystem's complete official export supersedes).
    """
    started = time.perf_counter() if started is None else started
    if not contents:
        raise UsageError("no feed to import")
    by_name: dict[str, FeedContent] = {}
    for content in contents:
        name = content.source_name
        if name in by_name:
            raise UsageError(
                f"{by_name[name].origin.file_name} and {content.origin.file_name} both hold the "
                f"source {name}; import only one of them"
            )
        by_name[name] = content
    previous = _inspect_previous(db_path)
    kept = sorted(set(previous.sources) - set(by_name) - set(drop)) if previous.compatible else []
    warnings: list[str] = [w for content in contents for w in content.warnings]
    if previous.compatible:
        warnings.extend(_older_or_smaller(previous, contents, allow_older=allow_older))
    if not previous.compatible:
        warnings.append(
            f"the previous database (schema version {previous.schema_version}) was built by "
            f"another mdrgate version and was replaced; its sources "
            f"({', '.join(sorted(previous.sources)) or 'unknown'}) must be imported again"
        )
    imported_at = _rfc3339(now)
    kept_kinds = {name: previous.kinds.get(name, "osv") for name in kept}
    _build_and_swap(db_path, contents, kept_kinds, imported_at, now)
    sources = tuple(
        SourceImport(
            provenance=_provenance(content, imported_at),
            skipped_records=content.skipped,
            withdrawn_records=content.withdrawn,
            invalid=tuple(content.invalid),
            previous_records=previous.sources.get(content.source_name)
            if previous.compatible
            else None,
        )
        for content in contents
    )
    return ImportReport(
        db_path=db_path,
        sources=sources,
        kept_sources=tuple(kept),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
        size_bytes=db_path.stat().st_size,
    )


def _older_or_smaller(
    previous: _Previous, contents: Sequence[FeedContent], *, allow_older: bool
) -> list[str]:
    """Refuse to replace a source with an older snapshot of it; warn when it shrinks.

    Importing last year's export over this month's would silently remove what was learnt since:
    a gate would then pass on advisories the database already knew.
    """
    warnings = []
    for content in contents:
        name = content.source_name
        if name not in previous.sources:
            continue
        shown = content.origin.file_name
        before, after = previous.newest.get(name), content.newest_modified
        if before and after and _moment(after) < _moment(before):
            message = (
                f"{shown} holds an older snapshot of {name} (newest record {after}) than "
                f"the database (newest record {before})"
            )
            if not allow_older:
                raise UsageError(
                    f"refusing to import: {message}; the newer data would be lost",
                    hint="pass --allow-older to replace it anyway",
                )
            warnings.append(f"{message}; replaced as asked (--allow-older)")
        count = content.records
        if count < previous.sources[name]:
            warnings.append(
                f"{name} shrinks from {previous.sources[name]} to {count} records: "
                f"check that {shown} is complete"
            )
    return warnings


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _provenance(content: FeedContent, imported_at: str) -> DbProvenance:
    return DbProvenance(
        source=content.source_name,
        kind=content.kind.value,
        file_name=content.origin.file_name,
        sha256=content.origin.sha256,
        records=content.records,
        invalid_records=len(content.invalid),
        newest_modified=content.newest_modified,
        imported_at=imported_at,
        captured_at=content.captured_at,
    )


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("importing needs a timezone-aware 'now'")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _ro_uri(path: Path) -> str:
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def _inspect_previous(db_path: Path) -> _Previous:
    if not db_path.exists() or (db_path.is_file() and db_path.stat().st_size == 0):
        # Nothing to lose: a missing or empty file (e.g. a placeholder created by a CI cache).
        return _Previous({}, True, str(SCHEMA_VERSION))
    not_ours = DataError(
        "exists and is not an mdrgate vulnerability database; it was left as it is",
        source=str(db_path),
        hint="remove it or choose another database path (--db / MDRGATE_DB)",
    )
    if not db_path.is_file():
        raise not_ours
    try:
        conn = sqlite3.connect(_ro_uri(db_path), uri=True)
    except sqlite3.Error as exc:
        raise not_ours from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise not_ours
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = row[0] if row else None
        try:
            rows = conn.execute(
                "SELECT name, records, newest_modified, kind FROM sources"
            ).fetchall()
        except sqlite3.Error:
            rows = []
        return _Previous(
            {name: records for name, records, _, _ in rows},
            version == str(SCHEMA_VERSION),
            version,
            {name: newest for name, _, newest, _ in rows},
            {name: kind for name, _, _, kind in rows},
        )
    except sqlite3.Error as exc:
        raise not_ours from exc
    finally:
        conn.close()


def _build_and_swap(
    db_path: Path,
    contents: Sequence[FeedContent],
    kept: dict[str, str],
    imported_at: str,
    now: datetime,
) -> None:
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{db_path.name}.", suffix=".building", dir=db_path.parent
        )
        os.close(fd)
    except OSError as exc:
        raise DataError(
            f"cannot create the database directory or file: {exc.strerror or exc}",
            source=str(db_path),
        ) from exc
    tmp = Path(tmp_name)
    try:
        _build(tmp, db_path, contents, kept, imported_at, now)
        tmp.chmod(0o644)
        tmp.replace(db_path)
        _fsync_directory(db_path.parent)
    except (sqlite3.Error, OSError) as exc:
        _remove(tmp)
        raise DataError(
            f"could not build the vulnerability database: {exc}",
            source=str(db_path),
            hint="the previous database, if any, is unchanged",
        ) from exc
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{tmp}{suffix}").unlink()


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _build(
    tmp: Path,
    db_path: Path,
    contents: Sequence[FeedContent],
    kept: dict[str, str],
    imported_at: str,
    now: datetime,
) -> None:
    # URI filenames on this connection, so that the old database can be attached read-only.
    conn = sqlite3.connect(f"file:{quote(str(tmp.resolve()))}", isolation_level=None, uri=True)
    try:
        # A private file that is either completed and renamed or deleted: no journal is needed.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA main.locking_mode = EXCLUSIVE")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.executescript(TABLES)
        if kept:
            conn.execute("ATTACH DATABASE ? AS old", (_ro_uri(db_path),))
        conn.execute("BEGIN")
        expected: dict[str, tuple[str, int]] = {}
        next_rowid = dict.fromkeys(FeedKind, 1)
        for content in contents:
            next_rowid[content.kind] = content.insert(conn, next_rowid[content.kind])
            _insert_source(conn, content, imported_at)
            expected[content.source_name] = (KIND_TABLES[content.kind.value], content.records)
        if kept:
            expected.update(_copy_kept(conn, kept, next_rowid))
        _create_indexes(conn)
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("schema_version", str(SCHEMA_VERSION)),
                ("built_by", f"mdrgate {__version__}"),
                ("built_at", _rfc3339(now)),
            ],
        )
        conn.execute("COMMIT")
        if kept:
            conn.execute("DETACH DATABASE old")
        _check(conn, expected)
    finally:
        conn.close()
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())


def _insert_source(conn: sqlite3.Connection, content: FeedContent, imported_at: str) -> None:
    source = content.source_name
    conn.executemany(
        "INSERT INTO invalid_records VALUES (?, ?, ?, ?, ?)",
        [(source, r.entry, r.id, r.reason, int(r.imported)) for r in content.invalid],
    )
    conn.execute(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            source,
            content.kind.value,
            content.origin.file_name,
            content.origin.sha256,
            content.records,
            len(content.invalid),
            content.skipped,
            content.withdrawn,
            content.newest_modified,
            imported_at,
            json.dumps(content.ecosystems, separators=(",", ":")),
            content.captured_at,
            json.dumps(content.details, separators=(",", ":"), sort_keys=True),
        ),
    )


_PLAIN_TABLES = {
    "kev": ("kev",),
    "epss": ("epss",),
    "eol": ("eol_products", "eol_cycles", "eol_identifiers"),
}


def _copy_kept(
    conn: sqlite3.Connection, kept: dict[str, str], next_rowid: dict[FeedKind, int]
) -> dict[str, tuple[str, int]]:
    """Copy the kept sources' rows from the attached old database, renumbering what is numbered."""
    conn.execute("CREATE TEMP TABLE kept (name TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO kept VALUES (?)", [(name,) for name in kept])
    kinds = set(kept.values())
    if "osv" in kinds:
        _copy_kept_osv(conn, next_rowid[FeedKind.OSV])
    if "nvd" in kinds:
        _copy_kept_nvd(conn, next_rowid[FeedKind.NVD])
    for kind in sorted(kinds & _PLAIN_TABLES.keys()):
        for table in _PLAIN_TABLES[kind]:
            conn.execute(
                f"INSERT INTO {table} SELECT * FROM old.{table} "  # noqa: S608 (fixed names)
                "WHERE source IN (SELECT name FROM kept)"
            )
    conn.execute(
        "INSERT INTO invalid_records SELECT * FROM old.invalid_records "
        "WHERE source IN (SELECT name FROM kept)"
    )
    conn.execute(
        "INSERT INTO sources SELECT * FROM old.sources WHERE name IN (SELECT name FROM kept)"
    )
    return {
        name: (KIND_TABLES[kind], records)
        for name, kind, records in conn.execute(
            "SELECT name, kind, records FROM old.sources WHERE name IN (SELECT name FROM kept)"
        )
    }


def _copy_kept_osv(conn: sqlite3.Connection, first_rowid: int) -> None:
    base = conn.execute(
        "SELECT coalesce(min(rowid), 1) FROM old.advisories WHERE source IN (SELECT name FROM kept)"
    ).fetchone()[0]
    shift = (first_rowid - base,)
    conn.execute(
        "INSERT INTO advisories SELECT rowid + ?, source, id, summary, details, aliases, "
        "published, modified, withdrawn, severity, refs, schema_valid "
        "FROM old.advisories WHERE source IN (SELECT name FROM kept)",
        shift,
    )
    conn.execute(
        "INSERT INTO affected SELECT f.advisory + ?, f.position, f.ecosystem, f.name_key, "
        "f.name, f.purl, f.ranges, f.versions, f.severity FROM old.affected f "
        "JOIN old.advisories a ON a.rowid = f.advisory WHERE a.source IN (SELECT name FROM kept)",
        shift,
    )
    conn.execute(
        "INSERT INTO aliases SELECT l.alias, l.advisory + ? FROM old.aliases l "
        "JOIN old.advisories a ON a.rowid = l.advisory WHERE a.source IN (SELECT name FROM kept)",
        shift,
    )


def _copy_kept_nvd(conn: sqlite3.Connection, first_rowid: int) -> None:
    base = conn.execute(
        "SELECT coalesce(min(rowid), 1) FROM old.cves WHERE source IN (SELECT name FROM kept)"
    ).fetchone()[0]
    shift = (first_rowid - base,)
    conn.execute(
        "INSERT INTO cves SELECT rowid + ?, source, id, published, last_modified, vuln_status, "
        "descriptions, metrics, weaknesses, refs, configurations "
        "FROM old.cves WHERE source IN (SELECT name FROM kept)",
        shift,
    )
    conn.execute(
        "INSERT INTO cve_products SELECT p.vendor, p.product, p.cve + ?, p.vulnerable "
        "FROM old.cve_products p JOIN old.cves c ON c.rowid = p.cve "
        "WHERE c.source IN (SELECT name FROM kept)",
        shift,
    )


def _create_indexes(conn: sqlite3.Connection) -> None:
    for statement in INDEXES.split(";"):
        if statement.strip():
            conn.execute(statement)


def _check(conn: sqlite3.Connection, expected: dict[str, tuple[str, int]]) -> None:
    """Refuse to swap in a file that SQLite finds damaged or that lost or gained records."""
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        problems = "; ".join(str(r[0]) for r in result[:3])
        raise DataError(f"the newly built database failed its integrity check: {problems}")
    counts: dict[str, int] = {}
    for table in sorted({table for table, _ in expected.values()}):
        counts.update(
            conn.execute(
                f"SELECT source, count(*) FROM {table} GROUP BY source"  # noqa: S608 (fixed names)
            ).fetchall()
        )
    held = {name: counts.get(name, 0) for name in expected}
    wanted = {name: records for name, (_, records) in expected.items()}
    if held != wanted:
        raise DataError(
            f"the newly built database holds {held} records per source, expected {wanted}"
        )


__all__ = [
    "READERS",
    "ImportReport",
    "SourceImport",
    "import_contents",
    "import_feeds",
    "import_osv",
    "read_feed",
    "read_feed_file",
]
