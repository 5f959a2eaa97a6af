"""``mdrgate db import``: build the database from OSV archives and swap it in atomically.

Sources and re-import. Each archive becomes one *source*, named from its content
(``osv/<dominant ecosystem>/<dominant id prefix>``: ``osv/PyPI/PYSEC``, ``osv/Go/GO``,
``osv/crates.io/RUSTSEC``, ``osv/PyPI/GHSA``). Importing an archive replaces every record of the
source of the same name and keeps all other sources as they were, so ``db import PyPI/all.zip``
refreshes PyPI without dropping Go. Two archives of one call that yield the same source name are
refused (one would silently replace the other).

Atomicity. Every archive is read and checked before anything is written. The new database is then
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from mdrgate import __version__
from mdrgate.errors import DataError, UsageError
from mdrgate.model.run import DbProvenance
from mdrgate.vulndb.osv import ArchiveContent, InvalidRecord, read_archive
from mdrgate.vulndb.schema import APPLICATION_ID, INDEXES, SCHEMA_VERSION, TABLES

SOURCE_KIND = "osv"


@dataclass(frozen=True, slots=True)
class SourceImport:
    """What one archive contributed, and how it compares with the import it replaced."""

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


def import_osv(
    db_path: Path, archives: Sequence[Path], *, now: datetime, allow_older: bool = False
) -> ImportReport:
    """Import OSV export zips into the database at ``db_path`` (created if absent).

    Raises InputError (an archive is missing or unreadable), UsageError (two archives of the same
    source) or DataError (the target is not an mdrgate database, or the build failed); in every
    case the existing database is left unchanged.
    """
    started = time.perf_counter()
    if not archives:
        raise UsageError("no OSV archive given", hint="e.g. mdrgate db import PyPI/all.zip")
    contents = [read_archive(Path(path)) for path in archives]
    by_name: dict[str, ArchiveContent] = {}
    for content in contents:
        name = content.source_name
        if name in by_name:
            raise UsageError(
                f"{by_name[name].path} and {content.path} both hold the source {name}; "
                "import only one of them"
            )
        by_name[name] = content
    previous = _inspect_previous(db_path)
    kept = sorted(set(previous.sources) - set(by_name)) if previous.compatible else []
    warnings: list[str] = []
    if previous.compatible:
        warnings.extend(_older_or_smaller(previous, contents, allow_older=allow_older))
    if not previous.compatible:
        warnings.append(
            f"the previous database (schema version {previous.schema_version}) was built by "
            f"another mdrgate version and was replaced; its sources "
            f"({', '.join(sorted(previous.sources)) or 'unknown'}) must be imported again"
        )
    imported_at = _rfc3339(now)
    _build_and_swap(db_path, contents, kept, imported_at, now)
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
    )


def _older_or_smaller(
    previous: _Previous, contents: Sequence[ArchiveContent], *, allow_older: bool
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
        before, after = previous.newest.get(name), content.newest_modified
        if before and after and _moment(after) < _moment(before):
            message = (
                f"{content.path} holds an older snapshot of {name} (newest record {after}) than "
                f"the database (newest record {before})"
            )
            if not allow_older:
                raise UsageError(
                    f"refusing to import: {message}; the newer data would be lost",
                    hint="pass --allow-older to replace it anyway",
                )
            warnings.append(f"{message}; replaced as asked (--allow-older)")
        count = len(content.advisories)
        if count < previous.sources[name]:
            warnings.append(
                f"{name} shrinks from {previous.sources[name]} to {count} records: "
                f"check that {content.path} is the complete export"
            )
    return warnings


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _provenance(content: ArchiveContent, imported_at: str) -> DbProvenance:
    return DbProvenance(
        source=content.source_name,
        kind=SOURCE_KIND,
        file_name=str(content.path),
        sha256=content.sha256,
        records=len(content.advisories),
        invalid_records=len(content.invalid),
        newest_modified=content.newest_modified,
        imported_at=imported_at,
    )


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("import_osv needs a timezone-aware 'now'")
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
            rows = conn.execute("SELECT name, records, newest_modified FROM sources").fetchall()
        except sqlite3.Error:
            rows = []
        return _Previous(
            {name: records for name, records, _ in rows},
            version == str(SCHEMA_VERSION),
            version,
            {name: newest for name, _, newest in rows},
        )
    except sqlite3.Error as exc:
        raise not_ours from exc
    finally:
        conn.close()


def _build_and_swap(
    db_path: Path,
    contents: Sequence[ArchiveContent],
    kept: Sequence[str],
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
    contents: Sequence[ArchiveContent],
    kept: Sequence[str],
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
        expected: dict[str, int] = {}
        next_rowid = 1
        for content in contents:
            _insert_content(conn, content, next_rowid, imported_at)
            next_rowid += len(content.advisories)
            expected[content.source_name] = len(content.advisories)
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


def _insert_content(
    conn: sqlite3.Connection, content: ArchiveContent, first_rowid: int, imported_at: str
) -> None:
    source = content.source_name
    conn.executemany(
        "INSERT INTO advisories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(first_rowid + i, source, *row) for i, row in enumerate(content.advisories)],
    )
    conn.executemany(
        "INSERT INTO affected VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(first_rowid + index, *row) for index, row in content.affected],
    )
    conn.executemany(
        "INSERT INTO aliases VALUES (?, ?)",
        [(alias, first_rowid + index) for alias, index in content.aliases],
    )
    conn.executemany(
        "INSERT INTO invalid_records VALUES (?, ?, ?, ?, ?)",
        [(source, r.entry, r.id, r.reason, int(r.imported)) for r in content.invalid],
    )
    conn.execute(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            source,
            SOURCE_KIND,
            str(content.path),
            content.sha256,
            len(content.advisories),
            len(content.invalid),
            content.skipped,
            content.withdrawn,
            content.newest_modified,
            imported_at,
            json.dumps(dict(sorted(content.ecosystems.items())), separators=(",", ":")),
        ),
    )


def _copy_kept(conn: sqlite3.Connection, kept: Sequence[str], first_rowid: int) -> dict[str, int]:
    """Copy the kept sources' rows from the attached old database, renumbering advisories."""
    conn.execute("CREATE TEMP TABLE kept (name TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO kept VALUES (?)", [(name,) for name in kept])
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
    conn.execute(
        "INSERT INTO invalid_records SELECT * FROM old.invalid_records "
        "WHERE source IN (SELECT name FROM kept)"
    )
    conn.execute(
        "INSERT INTO sources SELECT * FROM old.sources WHERE name IN (SELECT name FROM kept)"
    )
    return dict(
        conn.execute("SELECT name, records FROM old.sources WHERE name IN (SELECT name FROM kept)")
    )


def _create_indexes(conn: sqlite3.Connection) -> None:
    for statement in INDEXES.split(";"):
        if statement.strip():
            conn.execute(statement)


def _check(conn: sqlite3.Connection, expected: dict[str, int]) -> None:
    """Refuse to swap in a file that SQLite finds damaged or that lost or gained records."""
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        problems = "; ".join(str(r[0]) for r in result[:3])
        raise DataError(f"the newly built database failed its integrity check: {problems}")
    counts = dict(conn.execute("SELECT source, count(*) FROM advisories GROUP BY source"))
    if counts != expected:
        raise DataError(
            f"the newly built database holds {counts} advisories per source, expected {expected}"
        )
