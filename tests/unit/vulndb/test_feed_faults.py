"""Broken feed files: each refused whole with its location (exit 3), the database unchanged."""

from __future__ import annotations

import gzip
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.errors import ExitCode, InputError, UsageError
from mdrgate.vulndb import FeedFile, VulnDb, import_feeds
from mdrgate.vulndb.epss import read_epss
from mdrgate.vulndb.feeds import Origin, parse_timestamp, utc_text
from tests.unit.vulndb.feed_assets import EOL_ZIP, EPSS, FEEDS, KEV, NOW, NVD_API, NVD_FEED

EPSS_HEADER = "#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z\ncve,epss,percentile\n"


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    path = tmp_path / "db" / "v.db"
    import_feeds(path, FEEDS, now=NOW)
    return path


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _refused(db: Path, bad: Path) -> InputError:
    """Import ``bad`` over ``db``: it must fail with exit 3 and leave the directory as it was."""
    before = _snapshot(db.parent)
    with pytest.raises(InputError) as caught:
        import_feeds(db, (KEV, bad), now=NOW)
    assert caught.value.exit_code is ExitCode.INPUT_UNREADABLE
    assert _snapshot(db.parent) == before
    return caught.value


def _edited(path: Path, target: Path, edit: Callable[[Any], None]) -> Path:
    data = json.loads(path.read_text("utf-8"))
    edit(data)
    target.write_text(json.dumps(data, indent=2), "utf-8")
    return target


def test_truncated_nvd_zip(existing: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.json.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nvdcve-2.0-2015.json", NVD_FEED.read_bytes())
    cut = tmp_path / "nvdcve-2.0-2015.json.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    error = _refused(existing, cut)

    assert str(error).startswith(f"{cut}: not a readable zip archive")


def test_truncated_gzip(existing: Path, tmp_path: Path) -> None:
    whole = gzip.compress(NVD_API.read_bytes())
    cut = tmp_path / "nvd.json.gz"
    cut.write_bytes(whole[: len(whole) - 200])

    error = _refused(existing, cut)

    assert f"{cut}: not a readable gzip file" in str(error)


def test_truncated_json(existing: Path, tmp_path: Path) -> None:
    cut = tmp_path / "nvd.json"
    cut.write_bytes(NVD_API.read_bytes()[:5000])

    error = _refused(existing, cut)

    assert error.message.startswith("is not valid JSON: Input data was truncated")
    assert "(the file ends at line " in error.message


def test_wrong_shape_names_the_cve_and_the_path(existing: Path, tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["vulnerabilities"][1]["cve"]["metrics"]["cvssMetricV31"][0]["cvssData"][
            "baseScore"
        ] = "high"

    error = _refused(existing, _edited(NVD_API, tmp_path / "nvd.json", edit))

    assert error.message == (
        "is not NVD CVE JSON 2.0: vulnerabilities[1] (CVE-2020-22283): "
        "cve.metrics.cvssMetricV31[0].cvssData.baseScore: Expected `float`, got `str`"
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d.update(vulnerabilities={}),
            "is not NVD CVE JSON 2.0: vulnerabilities: Expected `array`, got `object`",
        ),
        (
            lambda d: d["vulnerabilities"].pop(),
            "says it holds 7 records (resultsPerPage) but lists 6; the file is incomplete",
        ),
        (
            lambda d: d["vulnerabilities"][0]["cve"]["configurations"][0]["nodes"][0]["cpeMatch"][
                0
            ].update(criteria="cpe:2.3:a:amazon"),
            "vulnerabilities[0] (CVE-2018-16601): configurations[0].nodes[0].cpeMatch[0]"
            ".criteria: 'cpe:2.3:a:amazon' is not a CPE 2.3 formatted string",
        ),
        (
            lambda d: d["vulnerabilities"][0]["cve"]["configurations"][0]["nodes"][0].update(
                operator="XOR"
            ),
            None,
        ),
        (
            lambda d: (
                d["vulnerabilities"].append(d["vulnerabilities"][0])
                or d.update(resultsPerPage=8, totalResults=8)
            ),
            "vulnerabilities[7]: CVE-2018-16601 is listed twice",
        ),
        (lambda d: d.update(format="NVD_CPE"), "format is 'NVD_CPE', expected 'NVD_CVE'"),
    ],
    ids=["not-a-list", "missing-record", "bad-criteria", "bad-operator", "duplicate", "format"],
)
def test_malformed_nvd(
    existing: Path, tmp_path: Path, edit: Callable[[Any], None], message: str | None
) -> None:
    error = _refused(existing, _edited(NVD_API, tmp_path / "nvd.json", edit))

    if message is None:  # msgspec's wording of enum errors is its own: check the location only
        assert error.message.startswith(
            "is not NVD CVE JSON 2.0: vulnerabilities[0] (CVE-2018-16601): "
            "cve.configurations[0].nodes[0].operator: "
        )
    else:
        assert error.message.startswith(message)


def test_unknown_fields_are_ignored(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        data["futureEnvelopeField"] = {"x": 1}
        cve = data["vulnerabilities"][5]["cve"]  # CVE-2023-45853
        cve["futureCveField"] = [1, 2]
        cve["metrics"]["cvssMetricV50"] = [{"anything": True}]
        cve["configurations"][0]["nodes"][0]["cpeMatch"][0]["futureMatchField"] = "x"

    db_path = tmp_path / "v.db"
    import_feeds(db_path, (_edited(NVD_API, tmp_path / "nvd.json", edit),), now=NOW)
    import_feeds(tmp_path / "plain.db", (NVD_API,), now=NOW)

    with VulnDb.open(db_path) as db, VulnDb.open(tmp_path / "plain.db") as plain:
        assert db.nvd_cve("CVE-2023-45853") == plain.nvd_cve("CVE-2023-45853")
        edited = db.nvd_cve("CVE-2023-45853")
        original = plain.nvd_cve("CVE-2023-45853")
        assert edited is not None and original is not None
        assert edited.configurations == original.configurations
        assert edited.metrics == original.metrics


def test_a_page_of_a_longer_answer_is_imported_with_a_warning(tmp_path: Path) -> None:
    page = _edited(NVD_API, tmp_path / "page.json", lambda d: d.update(totalResults=20))

    report = import_feeds(tmp_path / "v.db", (page,), now=NOW)

    assert report.warnings == (
        f"{page} holds records 1-7 of an answer of 20; import every page of it, or the CVEs of "
        "the other pages are missing",
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d.update(count=4),
            "says it lists 4 vulnerabilities (count) but lists 3; the catalog is incomplete",
        ),
        (
            lambda d: d["vulnerabilities"][1].update(dateAdded="25/08/2025"),
            "vulnerabilities[1] (CVE-2014-0160).dateAdded: '25/08/2025' is not a date",
        ),
        (
            lambda d: d["vulnerabilities"][2].update(cveID="CVE-21-22205"),
            "vulnerabilities[2].cveID: 'CVE-21-22205' is not a CVE id",
        ),
        (
            lambda d: d["vulnerabilities"][0].update(cwes="CWE-20"),
            "is not the CISA KEV JSON catalog: vulnerabilities[0].cwes: Expected `array`, "
            "got `str`",
        ),
    ],
    ids=["count", "date", "cve-id", "shape"],
)
def test_malformed_kev(
    existing: Path, tmp_path: Path, edit: Callable[[Any], None], message: str
) -> None:
    bad = _edited(KEV, tmp_path / "kev.json", edit)
    before = _snapshot(existing.parent)

    with pytest.raises(InputError) as caught:
        import_feeds(existing, (bad,), now=NOW)

    assert caught.value.message.startswith(message)
    assert _snapshot(existing.parent) == before


def test_kev_csv_is_named_as_such(tmp_path: Path) -> None:
    csv = tmp_path / "known_exploited_vulnerabilities.csv"
    csv.write_text("cveID,vendorProject,product\nCVE-2021-44228,Apache,Log4j2\n", "utf-8")

    with pytest.raises(InputError) as caught:
        import_feeds(tmp_path / "v.db", (csv,), now=NOW)

    assert caught.value.message.startswith("is the CSV form of the CISA KEV catalog")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (EPSS_HEADER + "CVE-2014-0160,1.5,0.9\n", "line 3: epss '1.5' is not a number"),
        (EPSS_HEADER + "CVE-2014-0160,0.5,0.9\nCVE-2014-0160,0.4,0.8\n", "line 4: CVE-2014-0160"),
        (EPSS_HEADER + "CVE-2014-0160,0.5,0.9\nCVE-2021-4422", "line 4: 1 fields"),
        (EPSS_HEADER + "heartbleed,0.5,0.9\n", "line 3: 'heartbleed' is not a CVE id"),
        ("#model_version:v2025.03.14\ncve,score\n", "line 2: the header is 'cve,score'"),
        (EPSS_HEADER, "holds no scores"),
    ],
    ids=["range", "duplicate", "cut-off", "cve-id", "header", "empty"],
)
def test_malformed_epss(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "epss.csv"
    bad.write_text(text, "utf-8")

    with pytest.raises(InputError) as caught:
        import_feeds(tmp_path / "v.db", (bad,), now=NOW)

    assert caught.value.message.startswith(message)
    assert not (tmp_path / "v.db").exists()


def test_epss_without_comment_line_warns_of_an_unknown_date(tmp_path: Path) -> None:
    plain = tmp_path / "epss.csv"
    plain.write_text("cve,epss,percentile\nCVE-2014-0160,0.5,0.9\n", "utf-8")

    report = import_feeds(tmp_path / "v.db", (plain,), now=NOW)

    assert report.sources[0].provenance.captured_at is None
    assert report.warnings == (
        f"{plain} has no '#model_version:...,score_date:...' line: the scores' date is unknown",
    )


def _rezip(target: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(EOL_ZIP) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    edit(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in members.items():
            zf.writestr(name, raw)
    return target


def test_eol_bad_date_names_product_and_cycle(existing: Path, tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        cycles = json.loads(members["api/sqlite.json"])
        cycles[1]["eol"] = "soon"
        members["api/sqlite.json"] = json.dumps(cycles).encode()

    error = _refused(existing, _rezip(tmp_path / "eol.zip", edit))

    assert error.message == (
        "api/sqlite.json: cycle '2'.eol: expected a date (YYYY-MM-DD) or true/false, found 'soon'"
    )


def test_eol_zip_missing_a_listed_product(existing: Path, tmp_path: Path) -> None:
    error = _refused(existing, _rezip(tmp_path / "eol.zip", lambda m: m.pop("api/python.json")))

    assert error.message.startswith(
        "api/all.json lists 1 products without their api/<name>.json (first: python)"
    )


def test_unrecognised_file(existing: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", "utf-8")

    error = _refused(existing, other)

    assert error.message.startswith("is not a feed mdrgate recognises")


def test_two_files_of_one_source_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_bytes(KEV.read_bytes())

    with pytest.raises(UsageError) as caught:
        import_feeds(tmp_path / "v.db", (KEV, copy), now=NOW)

    assert "both hold the source kev" in caught.value.message


def test_an_older_snapshot_is_refused_unless_allowed(existing: Path, tmp_path: Path) -> None:
    older = _edited(
        KEV,
        tmp_path / "kev.json",
        lambda d: [v.update(dateAdded="2020-01-01") for v in d["vulnerabilities"]],
    )
    before = _snapshot(existing.parent)

    with pytest.raises(UsageError) as caught:
        import_feeds(existing, (older,), now=NOW)
    assert "holds an older snapshot of kev" in caught.value.message
    assert _snapshot(existing.parent) == before

    report = import_feeds(existing, (FeedFile(older),), now=NOW, allow_older=True)
    assert "replaced as asked (--allow-older)" in report.warnings[0]


# -- property-based ---------------------------------------------------------------------------

_scores = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, width=32)


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(1999, 2030), st.integers(1, 99_999_999)).map(
            lambda t: f"CVE-{t[0]}-{t[1]:04d}"
        ),
        st.tuples(_scores, _scores),
        min_size=1,
        max_size=30,
    )
)
def test_epss_rows_read_back_exactly(rows: dict[str, tuple[float, float]]) -> None:
    text = EPSS_HEADER + "".join(f"{c},{e!r},{p!r}\n" for c, (e, p) in rows.items())
    data = text.encode()

    content = read_epss(data, Origin.of_bytes(data, "epss.csv"))

    assert content.rows == [(c, e, p) for c, (e, p) in rows.items()]
    assert content.captured_at == "2025-08-25T12:55:00Z"
    assert content.model_version == "v2025.03.14"


@given(st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)))
def test_timestamps_parse_in_every_feed_spelling(moment: Any) -> None:
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{moment.microsecond:06d}"
    for text in (f"{base}Z", f"{base}+0000", f"{base}+00:00", f"{base}.{fraction}1", base):
        parsed = parse_timestamp(text)
        assert parsed is not None
        assert utc_text(parsed) == utc_text(moment)


def test_the_epss_sample_reads_gzipped() -> None:
    data = EPSS.read_bytes()
    content = read_epss(gzip.compress(data), Origin.of_bytes(data, str(EPSS)))
    assert len(content.rows) == 4
