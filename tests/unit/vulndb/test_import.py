"""``import_osv``: real OSV excerpts in, provenance and counts out; bad input refused atomically."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from mdrgate.errors import DataError, ExitCode, InputError, UsageError
from mdrgate.vulndb import InvalidRecord, VulnDb, import_osv
from mdrgate.vulndb import build as build_module
from tests.unit.vulndb.osv_assets import (
    ALL,
    CRATES,
    GHSA_PYPI,
    GO,
    NOW,
    OSS_FUZZ,
    PYPI,
    entries,
    record,
    write_zip,
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(directory: Path) -> dict[str, bytes]:
    """Every file in ``directory`` with its bytes: proves "untouched, nothing left behind"."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db" / "vuln.db"


@pytest.fixture
def existing_db(db_path: Path) -> Path:
    import_osv(db_path, (PYPI, GO), now=NOW)
    return db_path


def test_import_reports_each_source_with_provenance(db_path: Path) -> None:
    report = import_osv(db_path, ALL, now=NOW)

    summary = [
        (
            s.provenance.source,
            s.provenance.records,
            s.provenance.invalid_records,
            s.skipped_records,
            s.withdrawn_records,
            s.provenance.newest_modified,
        )
        for s in report.sources
    ]
    assert summary == [
        ("osv/PyPI/PYSEC", 12, 1, 0, 1, "2024-03-14T11:19:09.515892Z"),
        ("osv/Go/GO", 2, 0, 0, 1, None),  # Go's modified is always the 0001-01-01 placeholder
        ("osv/crates.io/RUSTSEC", 2, 0, 0, 0, "2026-02-25T17:22:43Z"),
        ("osv/OSS-Fuzz/OSV", 4, 0, 0, 0, "2022-11-09T00:00:27.669183Z"),
        ("osv/PyPI/GHSA", 2, 0, 0, 0, "2023-11-04T00:30:22Z"),
    ]
    assert report.records == 22
    assert report.kept_sources == ()
    assert report.warnings == ()
    for source, archive in zip(report.sources, ALL, strict=True):
        assert source.provenance.kind == "osv"
        assert source.provenance.file_name == str(archive)
        assert source.provenance.sha256 == _sha256(archive)
        assert source.provenance.imported_at == "2026-11-28T12:00:00Z"
        assert source.previous_records is None


def test_schema_invalid_record_is_imported_counted_and_explained(db_path: Path) -> None:
    report = import_osv(db_path, (PYPI,), now=NOW)

    (invalid,) = report.sources[0].invalid
    assert invalid == InvalidRecord(
        entry="PYSEC-2021-371.json",
        id="PYSEC-2021-371",
        reason=(
            "OSV schema: affected[0].ranges[0].events[1]: "
            '{"fixed":"195caac172690456dcdc8cc7a6ca50e05abf8182.patch"} is not valid under any '
            "of the schemas listed in the 'oneOf' keyword"
        ),
        imported=True,
    )
    with VulnDb.open(db_path) as db:
        assert [a.id for a, _ in db.affected("PyPI", "binderhub")] == ["PYSEC-2021-371"]


def test_reimport_replaces_its_source_and_keeps_the_others(existing_db: Path) -> None:
    smaller = write_zip(
        existing_db.parent.parent / "export" / "PyPI" / "all.zip",
        {"PYSEC-2023-74.json": record(PYPI, "PYSEC-2023-74")},
    )

    before = existing_db.read_bytes()
    with pytest.raises(UsageError) as refused:
        import_osv(existing_db, (smaller,), now=NOW)
    assert "refusing to import" in str(refused.value)
    assert "older snapshot of osv/PyPI/PYSEC (newest record 2023-06-05T01:13:00.534973Z)" in str(
        refused.value
    )
    assert "--allow-older" in str(refused.value)
    assert existing_db.read_bytes() == before

    report = import_osv(existing_db, (smaller,), now=NOW, allow_older=True)

    assert report.sources[0].provenance.source == "osv/PyPI/PYSEC"
    assert report.sources[0].previous_records == 12
    assert any("replaced as asked (--allow-older)" in w for w in report.warnings)
    assert any("osv/PyPI/PYSEC shrinks from 12 to 1 records" in w for w in report.warnings)
    assert report.kept_sources == ("osv/Go/GO",)
    with VulnDb.open(existing_db) as db:
        assert [(s.source, s.records) for s in db.sources()] == [
            ("osv/Go/GO", 2),
            ("osv/PyPI/PYSEC", 1),
        ]
        assert db.affected("PyPI", "urllib3") == []
        assert [a.id for a, _ in db.affected("PyPI", "requests")] == ["PYSEC-2023-74"]
        # The kept source's rows were carried over, renumbered, with their packages.
        assert [a.id for a, _ in db.affected("Go", "github.com/boltdb-go/bolt")] == ["GO-2025-3451"]
        assert [a.id for a in db.lookup("GO-2022-0617")] == ["GO-2022-0617"]


def test_reimport_of_the_same_export_gives_the_same_content(existing_db: Path) -> None:
    with VulnDb.open(existing_db) as db:
        before = {
            (a.id, a.source, p.name): (a, p)
            for name in ("requests", "urllib3", "py")
            for a, p in db.affected("PyPI", name)
        }

    report = import_osv(existing_db, (PYPI,), now=NOW)

    assert report.sources[0].previous_records == 12
    with VulnDb.open(existing_db) as db:
        after = {
            (a.id, a.source, p.name): (a, p)
            for name in ("requests", "urllib3", "py")
            for a, p in db.affected("PyPI", name)
        }
    assert after == before


def test_two_archives_of_one_source_are_refused(db_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        import_osv(db_path, (PYPI, PYPI), now=NOW)
    assert "both hold the source osv/PyPI/PYSEC" in caught.value.message
    assert not db_path.parent.exists() or not any(db_path.parent.iterdir())


def test_no_archive_is_a_usage_error(db_path: Path) -> None:
    with pytest.raises(UsageError):
        import_osv(db_path, (), now=NOW)


def test_missing_archive_is_an_input_error(tmp_path: Path, existing_db: Path) -> None:
    before = _snapshot(existing_db.parent)
    missing = tmp_path / "PyPI" / "all.zip"

    with pytest.raises(InputError) as caught:
        import_osv(existing_db, (GO, missing), now=NOW)

    assert caught.value.exit_code is ExitCode.INPUT_UNREADABLE
    assert str(caught.value).startswith(f"{missing}: OSV archive not found")
    assert _snapshot(existing_db.parent) == before


def test_directory_as_archive_is_an_input_error(tmp_path: Path, db_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        import_osv(db_path, (tmp_path,), now=NOW)
    assert caught.value.source == str(tmp_path)


def _truncated(directory: Path) -> Path:
    data = PYPI.read_bytes()
    path = directory / "truncated.zip"
    path.write_bytes(data[: len(data) // 2])
    return path


def _not_json(directory: Path) -> Path:
    text = record(PYPI, "PYSEC-2023-74")
    return write_zip(directory / "notjson.zip", {"PYSEC-2023-74.json": text[:200]})


def _not_utf8(directory: Path) -> Path:
    text = record(PYPI, "PYSEC-2023-74").decode("utf-8").encode("utf-16")
    return write_zip(directory / "utf16.zip", {"PYSEC-2023-74.json": text})


def _empty(directory: Path) -> Path:
    return write_zip(directory / "empty.zip", {})


def _only_array(directory: Path) -> Path:
    wrapped = b"[" + record(PYPI, "PYSEC-2023-74") + b"]"
    return write_zip(directory / "array.zip", {"PYSEC-2023-74.json": wrapped})


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            _truncated,
            "not a readable zip archive (File is not a zip file); the file may be truncated",
        ),
        (_not_json, "entry 'PYSEC-2023-74.json' is not JSON: "),
        (_not_utf8, "entry 'PYSEC-2023-74.json' is not UTF-8 text (invalid byte at offset 0)"),
        (_empty, "the archive holds no OSV records"),
        (_only_array, "none of the archive's 1 entries is a usable OSV record"),
    ],
    ids=["truncated", "not-json", "not-utf8", "empty", "only-array"],
)
def test_broken_archive_refuses_the_whole_import(
    make: object, expected: str, tmp_path: Path, existing_db: Path
) -> None:
    assert callable(make)
    broken = make(tmp_path)
    before = _snapshot(existing_db.parent)

    with pytest.raises(InputError) as caught:
        import_osv(existing_db, (CRATES, broken), now=NOW)

    assert caught.value.exit_code is ExitCode.INPUT_UNREADABLE
    assert caught.value.source == str(broken)
    assert caught.value.message.startswith(expected)
    assert _snapshot(existing_db.parent) == before


def test_json_array_entry_is_skipped_and_counted(tmp_path: Path, db_path: Path) -> None:
    members = entries(PYPI)
    members["PYSEC-2023-74.json"] = b"[" + members["PYSEC-2023-74.json"] + b"]"
    archive = write_zip(tmp_path / "PyPI" / "all.zip", members)

    report = import_osv(db_path, (archive,), now=NOW)

    source = report.sources[0]
    assert (source.provenance.records, source.provenance.invalid_records) == (11, 2)
    assert source.skipped_records == 1
    assert (
        InvalidRecord("PYSEC-2023-74.json", None, "a JSON array, not an OSV record", False)
        in source.invalid
    )
    with VulnDb.open(db_path) as db:
        assert db.affected("PyPI", "requests") == []
        skipped = db.status(now=NOW).sources[0].invalid
    assert [(r.entry, r.imported) for r in skipped] == [
        ("PYSEC-2021-371.json", True),
        ("PYSEC-2023-74.json", False),
    ]


def test_unknown_fields_are_ignored(tmp_path: Path, db_path: Path) -> None:
    # GHSA records carry database_specific and ecosystem_specific; Go adds more of its own.
    report = import_osv(db_path, (GHSA_PYPI, GO), now=NOW)
    assert [s.provenance.invalid_records for s in report.sources] == [0, 0]


def test_failure_mid_import_leaves_the_old_database_untouched(
    monkeypatch: pytest.MonkeyPatch, existing_db: Path
) -> None:
    before = _snapshot(existing_db.parent)

    def fail(conn: sqlite3.Connection) -> None:
        raise RuntimeError("injected failure while indexing")

    monkeypatch.setattr(build_module, "_create_indexes", fail)
    with pytest.raises(RuntimeError, match="injected"):
        import_osv(existing_db, (PYPI, CRATES), now=NOW)

    assert _snapshot(existing_db.parent) == before
    with VulnDb.open(existing_db) as db:
        assert [s.source for s in db.sources()] == ["osv/Go/GO", "osv/PyPI/PYSEC"]


def test_sqlite_error_mid_import_is_a_data_error(
    monkeypatch: pytest.MonkeyPatch, existing_db: Path
) -> None:
    before = _snapshot(existing_db.parent)

    def fail(conn: sqlite3.Connection, expected: dict[str, int]) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(build_module, "_check", fail)
    with pytest.raises(DataError) as caught:
        import_osv(existing_db, (OSS_FUZZ,), now=NOW)

    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE
    assert "database or disk is full" in caught.value.message
    assert caught.value.hint == "the previous database, if any, is unchanged"
    assert _snapshot(existing_db.parent) == before


def test_count_check_refuses_a_build_that_lost_records(
    monkeypatch: pytest.MonkeyPatch, existing_db: Path
) -> None:
    before = _snapshot(existing_db.parent)
    original = build_module._create_indexes

    def lose_one(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM advisories WHERE id = 'RUSTSEC-2021-0006'")
        original(conn)

    monkeypatch.setattr(build_module, "_create_indexes", lose_one)
    with pytest.raises(DataError, match="expected"):
        import_osv(existing_db, (CRATES,), now=NOW)
    assert _snapshot(existing_db.parent) == before


def test_a_file_that_is_not_ours_is_never_overwritten(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text("requests==2.30.0\n", encoding="utf-8")

    with pytest.raises(DataError) as caught:
        import_osv(db_path, (PYPI,), now=NOW)

    assert "is not an mdrgate vulnerability database" in caught.value.message
    assert db_path.read_text(encoding="utf-8") == "requests==2.30.0\n"
    assert [p.name for p in db_path.parent.iterdir()] == ["vuln.db"]


def test_an_empty_file_is_replaced(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    import_osv(db_path, (GO,), now=NOW)
    with VulnDb.open(db_path) as db:
        assert [s.source for s in db.sources()] == ["osv/Go/GO"]


def test_database_of_another_schema_version_is_replaced_with_a_warning(
    existing_db: Path,
) -> None:
    with sqlite3.connect(existing_db) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.close()

    report = import_osv(existing_db, (CRATES,), now=NOW)

    assert report.warnings == (
        "the previous database (schema version 0) was built by another mdrgate version and was "
        "replaced; its sources (osv/Go/GO, osv/PyPI/PYSEC) must be imported again",
    )
    assert report.kept_sources == ()
    with VulnDb.open(existing_db) as db:
        assert [s.source for s in db.sources()] == ["osv/crates.io/RUSTSEC"]


def test_stored_rows_keep_what_matching_needs(db_path: Path) -> None:
    import_osv(db_path, (PYPI,), now=NOW)
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT f.ecosystem, f.name_key, f.name, f.purl, f.ranges, a.aliases, a.schema_valid "
            "FROM affected f JOIN advisories a ON a.rowid = f.advisory WHERE a.id = ?",
            ("PYSEC-2023-192",),
        ).fetchone()
        aliases = conn.execute(
            "SELECT a.id FROM aliases l JOIN advisories a ON a.rowid = l.advisory "
            "WHERE l.alias = 'CVE-2023-43804'"
        ).fetchall()
    finally:
        conn.close()
    assert row[:4] == ("PyPI", "urllib3", "urllib3", "pkg:pypi/urllib3")
    assert json.loads(row[4])[1] == [
        "ECOSYSTEM",
        None,
        [["introduced", "2.0.0"], ["fixed", "2.0.6"], ["introduced", "0"], ["fixed", "1.26.17"]],
    ]
    assert json.loads(row[5]) == ["CVE-2023-43804", "GHSA-v845-jxx5-vc9f"]
    assert row[6] == 1
    assert aliases == [("PYSEC-2023-192",)]
