"""``VulnDb``: refuses unusable databases with exit 4, hands out advisories as domain values."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mdrgate.errors import DataError, ExitCode
from mdrgate.model import AffectedRange, RangeEvent, Reference, SeverityVector
from mdrgate.vulndb import SCHEMA_VERSION, VulnDb, import_osv, score_vector
from tests.unit.vulndb.osv_assets import ALL, GO, NOW, PYPI, record, write_zip


def _copy(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    shutil.copyfile(db, target)
    return target


def _open_error(path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        VulnDb.open(path)
    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE
    return caught.value


def test_missing_database_says_how_to_build_it(tmp_path: Path) -> None:
    error = _open_error(tmp_path / "vuln.db")
    assert error.message == "no vulnerability database at this path"
    assert error.hint is not None
    assert "mdrgate db import" in error.hint


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    assert _open_error(tmp_path).message == "is not a vulnerability database file"


def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "vuln.db"
    path.write_text("not sqlite\n", encoding="utf-8")
    assert "is not an mdrgate vulnerability database" in _open_error(path).message


def test_a_truncated_database_is_refused(assets_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "vuln.db"
    path.write_bytes(assets_db.read_bytes()[:8192])
    assert "is not an mdrgate vulnerability database" in _open_error(path).message


def test_another_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "is not an mdrgate vulnerability database" in _open_error(path).message


def test_schema_version_mismatch_asks_for_a_reimport(assets_db: Path, tmp_path: Path) -> None:
    path = _copy(assets_db, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    error = _open_error(path)
    assert error.message == (
        "was built by another mdrgate version (database schema version 99, "
        f"this mdrgate reads version {SCHEMA_VERSION})"
    )
    assert error.hint is not None
    assert error.hint.startswith("re-import")


def test_a_database_without_sources_is_refused(assets_db: Path, tmp_path: Path) -> None:
    path = _copy(assets_db, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM sources")
    conn.commit()
    conn.close()
    assert _open_error(path).message == "holds no imported source"


def test_sources_are_the_import_provenance(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        sources = db.sources()
    assert [(s.source, s.records, s.invalid_records) for s in sources] == [
        ("osv/Go/GO", 2, 0),
        ("osv/OSS-Fuzz/OSV", 4, 0),
        ("osv/PyPI/GHSA", 2, 0),
        ("osv/PyPI/PYSEC", 12, 1),
        ("osv/crates.io/RUSTSEC", 2, 0),
    ]


def test_ecosystems_count_advisories_that_are_not_withdrawn(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        # PyPI: 11 PYSEC (one withdrawn) + 2 GHSA + the OSS-Fuzz pillow record.
        assert db.ecosystems() == {"Go": 1, "OSS-Fuzz": 2, "PyPI": 15, "crates.io": 2}


def test_affected_returns_the_record_as_published(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        hits = db.affected("PyPI", "Requests")
    assert [(a.id, a.source) for a, _ in hits] == [
        ("GHSA-j8r2-6x86-q33q", "osv/PyPI/GHSA"),
        ("PYSEC-2023-74", "osv/PyPI/PYSEC"),
    ]
    advisory, package = hits[1]
    assert advisory.aliases == ("CVE-2023-32681", "GHSA-j8r2-6x86-q33q")
    assert advisory.published == datetime(2023, 5, 26, 18, 15, tzinfo=UTC)
    assert advisory.modified == datetime(2023, 6, 5, 1, 13, 0, 534973, tzinfo=UTC)
    assert advisory.withdrawn is None
    assert advisory.summary is None
    assert advisory.severities == ()
    assert advisory.references[0] == Reference(
        "ADVISORY", "https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q"
    )
    assert len(advisory.references) == 5
    assert advisory.affected == (package,)
    assert (package.ecosystem, package.name, package.purl) == (
        "PyPI",
        "requests",
        "pkg:pypi/requests",
    )
    assert package.ranges == (
        AffectedRange(
            "GIT",
            (
                RangeEvent("introduced", "0"),
                RangeEvent("fixed", "74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5"),
            ),
            repo="https://github.com/psf/requests",
        ),
        AffectedRange(
            "ECOSYSTEM", (RangeEvent("introduced", "2.3.0"), RangeEvent("fixed", "2.31.0"))
        ),
    )
    assert len(package.versions) == 66
    assert package.versions[:3] == ("2.10.0", "2.11.0", "2.11.1")
    ghsa = hits[0][0]
    assert ghsa.severities == (
        SeverityVector("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 6.1),
    )


def test_affected_lists_every_entry_of_an_advisory(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        hits = db.affected("PyPI", "urllib3")
    assert [a.id for a, _ in hits] == [
        "GHSA-v845-jxx5-vc9f",
        "GHSA-v845-jxx5-vc9f",
        "PYSEC-2023-192",
        "PYSEC-2023-212",
    ]
    ghsa = hits[0][0]
    assert [p for _, p in hits[:2]] == list(ghsa.affected)
    assert [r.events[0].version for p in ghsa.affected for r in p.ranges] == ["2.0.0", "0"]


def test_placeholder_timestamps_become_unknown(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        ((advisory, _),) = db.affected("PyPI", "cipherbcrypt")
        ((go, _),) = db.affected("Go", "github.com/boltdb-go/bolt")
    assert (advisory.id, advisory.modified, advisory.published) == ("PYSEC-2024-55", None, None)
    assert go.modified is None


def test_withdrawn_advisories_are_returned_marked(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        ((advisory, _),) = db.affected("PyPI", "flask_caching")
    assert advisory.id == "PYSEC-2021-13"
    assert advisory.withdrawn == datetime(2023, 7, 25, 12, 32, tzinfo=UTC)


def test_unknown_package_has_no_entries(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        assert db.affected("PyPI", "no-such-package") == []
        assert db.affected("npm", "requests") == []


def test_lookup_by_alias_finds_every_record(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        assert [a.id for a in db.lookup("CVE-2023-32681")] == [
            "GHSA-j8r2-6x86-q33q",
            "PYSEC-2023-74",
        ]
        assert [a.id for a in db.lookup("GHSA-j8r2-6x86-q33q")] == [
            "GHSA-j8r2-6x86-q33q",
            "PYSEC-2023-74",
        ]
        assert db.lookup("CVE-0000-0000") == []


def test_cvss_scores_are_computed_from_vectors(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        ((v4, _),) = db.affected("crates.io", "libcrux-psq")
        ((v3, _),) = db.affected("crates.io", "cache")
    assert v4.severities == (
        SeverityVector(
            "CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0
        ),
    )
    assert v3.severities == (
        SeverityVector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
    )


def test_invalid_vectors_have_no_score_and_a_reason() -> None:
    assert score_vector("CVSS_V3", "CVSS:3.1/AV:N") == (
        None,
        "CVSS_V3 vector 'CVSS:3.1/AV:N' is not valid (Missing mandatory metrics "
        '"AC, PR, UI, S, C, I, A"); its score is unknown',
    )
    assert score_vector("Ubuntu", "high") == (
        None,
        "severity type 'Ubuntu' (high) is not a CVSS vector; it has no score",
    )
    assert score_vector("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P") == (7.5, None)


def test_status_shows_sources_counts_ages_and_digests(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        status = db.status(now=NOW)
    assert status.path == assets_db
    assert status.size_bytes == assets_db.stat().st_size
    assert len(status.sha256) == 64
    assert status.schema_version == SCHEMA_VERSION
    assert status.built_by.startswith("mdrgate ")
    assert status.built_at == "2026-11-28T12:00:00Z"
    assert status.ecosystems == (("Go", 1), ("OSS-Fuzz", 2), ("PyPI", 15), ("crates.io", 2))
    pypi = next(s for s in status.sources if s.provenance.source == "osv/PyPI/PYSEC")
    assert (pypi.advisories, pypi.withdrawn, pypi.skipped_records) == (12, 1, 0)
    assert pypi.ecosystems == (("PyPI", 12),)
    assert [r.id for r in pypi.invalid] == ["PYSEC-2021-371"]
    assert pypi.import_age_days == 0.0
    # newest modified 2024-03-14T11:19:09Z, measured on 2026-11-28T12:00Z
    assert pypi.newest_modified_age_days == 989.0
    go = next(s for s in status.sources if s.provenance.source == "osv/Go/GO")
    assert go.newest_modified_age_days is None
    fuzz = next(s for s in status.sources if s.provenance.source == "osv/OSS-Fuzz/OSV")
    assert fuzz.ecosystems == (("OSS-Fuzz", 2), ("PyPI", 2))


def test_database_damaged_after_opening_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "vuln.db"
    import_osv(path, (PYPI, GO), now=NOW)
    db = VulnDb.open(path)
    try:
        db._conn.close()
        with pytest.raises(DataError) as caught:
            db.affected("PyPI", "requests")
        assert caught.value.message.startswith("cannot read the vulnerability database")
    finally:
        db.close()


def test_context_manager_closes(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        pass
    with pytest.raises(DataError):
        db.sources()


def test_every_asset_archive_imports(tmp_path: Path) -> None:
    report = import_osv(tmp_path / "v.db", ALL, now=NOW)
    assert sum(s.provenance.records for s in report.sources) == 22


def test_suffixed_ecosystems_are_found_under_their_base(tmp_path: Path) -> None:
    # OSV allows "<Ecosystem>:<suffix>" (Debian:12, Maven:<repo URL>). The real requests record,
    # re-labelled with a suffix, must still be found for the base ecosystem — and only for it.
    raw = json.loads(record(PYPI, "PYSEC-2023-74"))
    raw["affected"][0]["package"]["ecosystem"] = "PyPI:https://pypi.example.internal"
    archive = write_zip(tmp_path / "all.zip", {"PYSEC-2023-74.json": json.dumps(raw).encode()})
    path = tmp_path / "db.sqlite3"
    import_osv(path, (archive,), now=NOW)
    with VulnDb.open(path) as db:
        assert [a.id for a, _ in db.affected("PyPI", "requests")] == ["PYSEC-2023-74"]
        assert db.affected("PyPIx", "requests") == []
        assert db.affected("Py", "requests") == []


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("DELETE FROM affected", "advisories have no affected package"),
        ("DELETE FROM advisories WHERE source = 'osv/PyPI/PYSEC'", "osv/PyPI/PYSEC lists 12"),
    ],
)
def test_a_tampered_database_is_refused(
    assets_db: Path, tmp_path: Path, statement: str, expected: str
) -> None:
    copy = tmp_path / "tampered.sqlite3"
    shutil.copyfile(assets_db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute(statement)
    with pytest.raises(DataError) as caught:
        VulnDb.open(copy)
    assert "is damaged" in str(caught.value)
    assert expected in str(caught.value)
    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE
