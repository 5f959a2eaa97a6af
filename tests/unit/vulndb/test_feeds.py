"""NVD, KEV, EPSS and endoflife.date imports on real excerpts: provenance, lookups, round trips."""

from __future__ import annotations

import gzip
import hashlib
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from mdrgate.cpe import product_key_of
from mdrgate.enrich.nvd_configurations import parse_configurations
from mdrgate.enrich.nvd_cvss import nvd_cvss
from mdrgate.vulndb import FeedFile, FeedKind, VulnDb, detect_kind, import_feeds, import_osv
from tests.unit.vulndb.feed_assets import (
    EOL_OPENSSL,
    EOL_ZIP,
    EPSS,
    FEEDS,
    KEV,
    NOW,
    NVD_API,
    NVD_FEED,
)
from tests.unit.vulndb.osv_assets import PYPI


@pytest.fixture(scope="module")
def feeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("feeds") / "vuln.db"
    import_feeds(path, FEEDS, now=NOW)
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_feed_is_a_source_with_provenance(tmp_path: Path) -> None:
    report = import_feeds(tmp_path / "v.db", FEEDS, now=NOW)

    summary = [
        (
            s.provenance.source,
            s.provenance.kind,
            s.provenance.records,
            s.withdrawn_records,
            s.provenance.newest_modified,
            s.provenance.captured_at,
        )
        for s in report.sources
    ]
    assert summary == [
        ("nvd/2018-2024", "nvd", 7, 0, "2026-06-17T03:52:00Z", "2026-04-29T03:04:06Z"),
        ("nvd/2015", "nvd", 4, 1, "2026-04-07T13:20:55Z", "2026-04-25T03:01:47Z"),
        ("kev", "kev", 3, 0, "2022-05-04T00:00:00Z", "2025-08-25T17:04:19Z"),
        ("epss", "epss", 4, 0, "2025-08-25T12:55:00Z", "2025-08-25T12:55:00Z"),
        ("eol", "eol", 34, 0, "2026-08-13T00:00:00Z", None),
    ]
    for source, path in zip(report.sources, FEEDS, strict=True):
        assert source.provenance.sha256 == _sha256(path)
        assert source.provenance.file_name == str(path)
        assert source.provenance.imported_at == "2026-11-28T12:00:00Z"
    assert report.records == 52
    assert report.warnings == ()
    assert report.size_bytes == (tmp_path / "v.db").stat().st_size


def test_kinds_are_recognised_from_content_not_names(tmp_path: Path) -> None:
    renamed = tmp_path / "download.bin"
    renamed.write_bytes(NVD_API.read_bytes())
    gz = tmp_path / "scores"
    gz.write_bytes(gzip.compress(EPSS.read_bytes()))
    zipped = tmp_path / "nvd.json.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nvdcve-2.0-2015.json", NVD_FEED.read_bytes())

    kinds = [
        detect_kind(p.read_bytes(), str(p))
        for p in (renamed, gz, zipped, KEV, EOL_ZIP, EOL_OPENSSL, PYPI)
    ]

    assert kinds == [
        FeedKind.NVD,
        FeedKind.EPSS,
        FeedKind.NVD,
        FeedKind.KEV,
        FeedKind.EOL,
        FeedKind.EOL,
        FeedKind.OSV,
    ]
    report = import_feeds(tmp_path / "v.db", (renamed, gz, zipped), now=NOW)
    assert [(s.provenance.source, s.provenance.records) for s in report.sources] == [
        ("nvd/2018-2024", 7),
        ("epss", 4),
        ("nvd/2015", 4),
    ]


def test_nvd_records_by_cpe_product(feeds_db: Path) -> None:
    with VulnDb.open(feeds_db) as db:
        by_product = {
            pair: [c.id for c in db.nvd_for_product(*pair)]
            for pair in (
                ("arm", "mbed_tls"),
                ("lwip_project", "lwip"),
                ("amazon", "freertos"),
                ("zlib", "zlib"),
                ("ARM", "Mbed_TLS"),
                ("pax_project", "pax"),
                ("sqlite", "sqlite"),
                ("apple", "iphone_os"),
            )
        }
        platform = [c.id for c in db.nvd_for_product("apple", "iphone_os", vulnerable_only=False)]

    assert by_product == {
        ("arm", "mbed_tls"): ["CVE-2020-36421", "CVE-2024-23170"],
        ("lwip_project", "lwip"): ["CVE-2020-22283", "CVE-2020-22284"],
        # FreeRTOS is filed under part a in one CVE and part o in the other: both found.
        ("amazon", "freertos"): ["CVE-2018-16601", "CVE-2021-31571"],
        ("zlib", "zlib"): ["CVE-2023-45853"],
        ("ARM", "Mbed_TLS"): ["CVE-2020-36421", "CVE-2024-23170"],
        ("pax_project", "pax"): ["CVE-2015-1194"],
        ("sqlite", "sqlite"): ["CVE-2015-5895"],
        # iPhone OS is only the platform SQLite runs on (vulnerable: false).
        ("apple", "iphone_os"): [],
    }
    assert platform == ["CVE-2015-5895"]


def test_nvd_record_fields(feeds_db: Path) -> None:
    with VulnDb.open(feeds_db) as db:
        zlib_cve = db.nvd_cve("CVE-2023-45853")
        rejected = db.nvd_cve("CVE-2015-1160")
        v4 = db.nvd_cve("CVE-2015-10148")
        missing = db.nvd_cve("CVE-2099-0001")

    assert zlib_cve is not None and rejected is not None and v4 is not None
    assert missing is None
    assert zlib_cve.source == "nvd/2018-2024"
    assert zlib_cve.vuln_status == "Modified"
    assert zlib_cve.published is not None
    assert zlib_cve.published.isoformat() == "2023-10-14T02:15:09.323000+00:00"
    assert zlib_cve.description is not None
    assert zlib_cve.description.startswith("MiniZip in zlib through 1.3 has an integer overflow")
    assert [lang for lang, _ in zlib_cve.descriptions] == ["en", "es"]
    assert [(m.version, m.base_score, m.primary, m.source) for m in zlib_cve.cvss] == [
        ("3.1", 9.8, True, "nvd@nist.gov"),
        ("3.1", 8.8, False, "134c704f-9b21-4f2e-91b3-4a467353bcc0"),
    ]
    assert zlib_cve.weaknesses == ("CWE-190",)
    assert len(zlib_cve.references) == 11
    assert zlib_cve.references[2].tags == ("Mailing List", "Patch")
    assert not zlib_cve.rejected
    assert rejected.rejected
    assert rejected.configurations == []
    assert rejected.advisory().withdrawn == rejected.last_modified
    assert [(m.version, m.primary) for m in v4.cvss] == [("4.0", False), ("3.1", True)]
    assert [s.type for s in v4.advisory().severities] == ["CVSS_V3", "CVSS_V4"]


def _original(path: Path) -> dict[str, dict[str, object]]:
    data = json.loads(path.read_text("utf-8"))
    return {item["cve"]["id"]: item["cve"] for item in data["vulnerabilities"]}


def test_stored_configurations_and_metrics_read_as_the_originals(feeds_db: Path) -> None:
    """What the CPE matcher and the CVSS chooser see equals what they see in the feed file."""
    originals = {**_original(NVD_API), **_original(NVD_FEED)}
    with VulnDb.open(feeds_db) as db:
        stored = db.nvd_cves(originals)
    assert sorted(stored) == sorted(originals)
    for cve_id, original in originals.items():
        record = stored[cve_id]
        assert parse_configurations(record.configurations) == parse_configurations(
            original.get("configurations", [])
        )
        assert nvd_cvss(cve_id, record.metrics) == nvd_cvss(cve_id, original["metrics"])


def test_product_index_uses_the_matchers_product_key(feeds_db: Path) -> None:
    """Every criteria's vendor:product, as mdrgate.cpe keys it, finds its CVE."""
    originals = {**_original(NVD_API), **_original(NVD_FEED)}
    with VulnDb.open(feeds_db) as db:
        for cve_id, cve in originals.items():
            for config in cve.get("configurations", []):  # type: ignore[attr-defined]
                for node in config["nodes"]:
                    for match in node["cpeMatch"]:
                        vendor, product = product_key_of(match["criteria"]).split(":", 1)
                        found = db.nvd_for_product(vendor, product, vulnerable_only=False)
                        assert cve_id in [c.id for c in found], match["criteria"]


def test_kev_and_epss_lookups(feeds_db: Path) -> None:
    with VulnDb.open(feeds_db) as db:
        log4shell = db.kev("CVE-2021-44228")
        heartbleed = db.kev("CVE-2014-0160")
        absent = db.kev("CVE-2023-45853")
        many = db.kev_many(["CVE-2021-44228", "CVE-2021-22205", "CVE-2099-1"])
        score = db.epss("CVE-2014-0160")
        scores = db.epss_many(["CVE-2023-45853", "CVE-2024-23170", "CVE-2099-1"])

    assert log4shell is not None and heartbleed is not None
    assert (log4shell.vendor_project, log4shell.product) == ("Apache", "Log4j2")
    assert log4shell.date_added == date(2021, 12, 10)
    assert log4shell.due_date == date(2021, 12, 24)
    assert log4shell.ransomware
    assert log4shell.cwes == ("CWE-20", "CWE-400", "CWE-502")
    assert heartbleed.known_ransomware_campaign_use == "Unknown"
    assert not heartbleed.ransomware
    assert absent is None
    assert sorted(many) == ["CVE-2021-22205", "CVE-2021-44228"]
    assert score is not None
    assert (score.epss, score.percentile, score.score_date, score.model_version) == (
        0.5,
        0.9,
        "2025-08-25T12:55:00Z",
        "v2025.03.14",
    )
    assert {cve: (s.epss, s.percentile) for cve, s in scores.items()} == {
        "CVE-2023-45853": (0.001, 0.1),
        "CVE-2024-23170": (0.0, 0.0),
    }


def test_eol_products_cycles_and_identifiers(feeds_db: Path) -> None:
    with VulnDb.open(feeds_db) as db:
        openssl = db.eol_product("openssl")
        python = db.eol_product("python")
        by_cpe = [
            p.name for p in db.eol_products_for("cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*")
        ]
        by_uri = [p.name for p in db.eol_products_for("cpe:/a:sqlite:sqlite:3.40.0")]
        by_purl = [p.name for p in db.eol_products_for("pkg:deb/debian/python3.11@3.11.2-6")]
        unknown = db.eol_products_for("pkg:pypi/requests@2.31.0")
        absent = db.eol_product("mbedtls")

    assert openssl is not None and python is not None
    assert (openssl.title, openssl.category, len(openssl.cycles)) == ("OpenSSL", "framework", 14)
    assert ("cpe", "cpe:2.3:a:openssl:openssl") in openssl.identifiers
    newest, *_, oldest = openssl.cycles
    assert (newest.cycle, newest.release_date, newest.eol, newest.latest) == (
        "4.0",
        date(2026, 4, 14),
        date(2027, 5, 14),
        "4.0.1",
    )
    assert (oldest.cycle, oldest.eol, oldest.latest) == ("0.9.8", date(2015, 12, 31), "0.9.8zh")
    lts = {c.cycle: c.lts for c in openssl.cycles}
    assert lts["3.5"] is True and lts["3.6"] is False
    assert oldest.eol_on(date(2026, 11, 28)) is True
    assert newest.eol_on(date(2026, 11, 28)) is False
    py26 = python.cycles[-1]
    assert (py26.cycle, py26.support, py26.eol) == ("2.6", False, date(2013, 10, 29))
    assert (by_cpe, by_uri, by_purl, unknown, absent) == (
        ["openssl"],
        ["sqlite"],
        ["python"],
        [],
        None,
    )


def test_one_product_api_answer_is_a_source_of_its_own(tmp_path: Path) -> None:
    report = import_feeds(tmp_path / "v.db", (EOL_OPENSSL,), now=NOW)

    assert [(s.provenance.source, s.provenance.records) for s in report.sources] == [
        ("eol/openssl", 14)
    ]
    with VulnDb.open(tmp_path / "v.db") as db:
        product = db.eol_product("openssl")
    assert product is not None
    assert product.identifiers == ()
    assert product.cycles[0].cycle == "4.0"


def test_reimport_keeps_other_kinds_and_their_lookups(tmp_path: Path) -> None:
    db_path = tmp_path / "v.db"
    import_feeds(db_path, (*FEEDS, PYPI), now=NOW)
    report = import_feeds(db_path, (KEV,), now=NOW)

    assert report.kept_sources == (
        "eol",
        "epss",
        "nvd/2015",
        "nvd/2018-2024",
        "osv/PyPI/PYSEC",
    )
    with VulnDb.open(db_path) as db:
        assert [c.id for c in db.nvd_for_product("arm", "mbed_tls")] == [
            "CVE-2020-36421",
            "CVE-2024-23170",
        ]
        assert db.epss("CVE-2014-0160") is not None
        assert db.eol_product("sqlite") is not None
        assert db.affected("PyPI", "requests")
        assert db.kinds() == frozenset({"osv", "nvd", "kev", "epss", "eol"})
        assert db.covered_ecosystems() == frozenset({"PyPI"})


def test_the_same_cve_in_two_sources_is_read_once_newest_first(tmp_path: Path) -> None:
    older = json.loads(NVD_API.read_text("utf-8"))
    for item in older["vulnerabilities"]:
        item["cve"]["lastModified"] = "2020-01-01T00:00:00.000"
    copy = tmp_path / "older.json"
    copy.write_text(json.dumps(older), "utf-8")
    db_path = tmp_path / "v.db"
    import_feeds(db_path, (NVD_API, FeedFile(copy, source="nvd/older-copy")), now=NOW)

    with VulnDb.open(db_path) as db:
        found = db.nvd_for_product("arm", "mbed_tls")
        single = db.nvd_cve("CVE-2024-23170")
    assert [(c.id, c.source) for c in found] == [
        ("CVE-2020-36421", "nvd/2018-2024"),
        ("CVE-2024-23170", "nvd/2018-2024"),
    ]
    assert single is not None and single.source == "nvd/2018-2024"


def test_status_ages_and_staleness(feeds_db: Path) -> None:
    with VulnDb.open(feeds_db) as db:
        status = db.status(now=NOW)

    ages = {s.provenance.source: s.age_days for s in status.sources}
    assert ages == {
        "eol": 107.5,  # no capture time: the newest release date bounds the age
        "epss": 460.0,
        "kev": 459.8,
        "nvd/2015": 217.4,
        "nvd/2018-2024": 213.4,
    }
    details = {s.provenance.source: dict(s.details) for s in status.sources}
    assert details["kev"]["catalogVersion"] == "2025.08.25"
    assert details["nvd/2015"]["rejected"] == 1
    assert status.stale(215) == (
        "epss: its data is 460 days old (maximum 215)",
        "kev: its data is 460 days old (maximum 215)",
        "nvd/2015: its data is 217 days old (maximum 215)",
    )
    assert status.stale(461) == ()


def test_osv_only_import_still_works_and_osv_wrapper_refuses_other_kinds(tmp_path: Path) -> None:
    from mdrgate.errors import InputError

    report = import_osv(tmp_path / "v.db", (PYPI,), now=NOW)
    assert report.sources[0].provenance.source == "osv/PyPI/PYSEC"
    with pytest.raises(InputError):
        import_osv(tmp_path / "v.db", (KEV,), now=NOW)
