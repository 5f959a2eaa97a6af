"""``check --online`` matching: the API's records evaluated like local ones, merged with the local
database's findings (one finding per advisory, its source named), failures never a pass."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mdrgate.enrich import match_inventory
from mdrgate.enrich.online import OnlineMatches, match_online, query_for
from mdrgate.errors import DataError, ExitCode
from mdrgate.fetch import HttpClient
from mdrgate.model import Component, ComponentClass, Diagnostic, Finding, Inventory, Origin
from mdrgate.vulndb import VulnDb
from mdrgate.vulndb.osv_api import OsvApi, OsvQuery
from tests.support.fake_osv import FakeOsv
from tests.support.http_server import LocalServer, Reply

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def _component(purl: str, version: str | None, ecosystem: str | None = "PyPI") -> Component:
    name = purl.rsplit("/", maxsplit=1)[-1].split("@", maxsplit=1)[0]
    return Component(
        name=name,
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem=ecosystem,
        purl=purl,
        origins=(Origin("python-requirements", "host/requirements.txt", 3),),
    )


def _online(server: LocalServer, client: HttpClient, inventory: Inventory) -> OnlineMatches:
    return match_online(inventory, OsvApi(client, server.url("")), now=NOW)


def _match(
    db_path: Path, inventory: Inventory, online: OnlineMatches | None
) -> tuple[tuple[Finding, ...], tuple[Diagnostic, ...]]:
    with VulnDb.open(db_path) as db:
        return match_inventory(inventory, db, online=online)


def test_advisory_found_locally_and_online_is_one_finding(
    local_server: LocalServer, client: HttpClient, pypi_db: Path
) -> None:
    FakeOsv(local_server, {"pkg:pypi/requests@2.25.1": ["PYSEC-2023-74", "GHSA-j8r2-6x86-q33q"]})
    inventory = Inventory(components=(_component("pkg:pypi/requests@2.25.1", "2.25.1"),))

    local, _ = _match(pypi_db, inventory, None)
    findings, diagnostics = _match(pypi_db, inventory, _online(local_server, client, inventory))

    assert [(f.advisory.id, f.advisory.source) for f in local] == [
        ("PYSEC-2023-74", "osv/PyPI/PYSEC")
    ]
    assert diagnostics == ()
    # The same record in both places is kept once (the newer copy, the API's); the GitHub record
    # only the API knows describes the same CVE and is merged into it: one finding.
    (finding,) = findings
    assert (finding.advisory.id, finding.advisory.source) == ("PYSEC-2023-74", "osv-api")
    assert finding.notes == (
        "the same advisory is also in source osv/PyPI/PYSEC",
        "also published as GHSA-j8r2-6x86-q33q (source osv-api); reported once",
    )
    assert (finding.affected_ranges, finding.fixed_versions) == (
        (">=2.3.0, <2.31.0",),
        ("2.31.0",),
    )
    assert (finding.score, finding.same_as) == (6.1, ("GHSA-j8r2-6x86-q33q",))


def test_listed_but_not_confirmed_is_reported_with_a_note(
    local_server: LocalServer, client: HttpClient, pypi_db: Path
) -> None:
    # urllib3 1.26.18 is fixed according to the record's ranges: a disagreement with the API.
    FakeOsv(local_server, {"pkg:pypi/urllib3@1.26.18": ["GHSA-v845-jxx5-vc9f"]})
    inventory = Inventory(components=(_component("pkg:pypi/urllib3@1.26.18", "1.26.18"),))

    findings, _ = _match(pypi_db, inventory, _online(local_server, client, inventory))

    (finding,) = findings
    assert (finding.advisory.id, finding.advisory.source, finding.score) == (
        "GHSA-v845-jxx5-vc9f",
        "osv-api",
        5.9,
    )
    assert finding.notes == (
        "the OSV API lists GHSA-v845-jxx5-vc9f for urllib3 1.26.18, but mdrgate's evaluation "
        "of the record's versions and ranges does not confirm it; reported all the same (the "
        "safer reading) — assess by hand",
    )
    assert finding.affected_ranges == () and finding.fixed_versions == ()


def test_version_the_scheme_cannot_read_is_still_checked_online(
    local_server: LocalServer, client: HttpClient, pypi_db: Path
) -> None:
    FakeOsv(local_server, {"pkg:pypi/requests@2.25.1-custom": ["PYSEC-2023-74"]})
    inventory = Inventory(
        components=(_component("pkg:pypi/requests@2.25.1-custom", "2.25.1-custom"),)
    )

    local, local_notes = _match(pypi_db, inventory, None)
    findings, diagnostics = _match(pypi_db, inventory, _online(local_server, client, inventory))

    assert local == ()
    assert [d.code for d in local_notes] == ["unparsable-version"]
    assert [(f.advisory.id, f.advisory.source) for f in findings] == [("PYSEC-2023-74", "osv-api")]
    assert "does not confirm it" in findings[0].notes[0]
    assert diagnostics == local_notes  # the same diagnostic once, not twice


def test_unassessable_components_are_not_asked_about(
    local_server: LocalServer, client: HttpClient, pypi_db: Path
) -> None:
    fake = FakeOsv(local_server, {})
    zlib = _component("pkg:generic/zlib@1.2.11", "1.2.11", ecosystem=None)
    flask = _component("pkg:pypi/flask", None)
    idna = _component("pkg:pypi/idna@3.7?repository_url=https://pypi.example.org", "3.7")
    inventory = Inventory(components=(zlib, flask, idna))

    online = _online(local_server, client, inventory)
    findings, diagnostics = _match(pypi_db, inventory, online)

    assert fake.batches == [[{"package": {"purl": "pkg:pypi/idna@3.7"}}]]
    assert findings == ()
    assert [(d.code, d.component) for d in diagnostics] == [
        ("no-vulnerability-source", "pkg:generic/zlib@1.2.11")
    ]
    assert online.provenance.records == 0


def test_ecosystem_without_a_local_export_is_covered_online(
    local_server: LocalServer, client: HttpClient, pypi_db: Path
) -> None:
    FakeOsv(local_server, {"pkg:cargo/libcrux-psq@0.0.6": ["RUSTSEC-2026-0024"]})
    crate = _component("pkg:cargo/libcrux-psq@0.0.6", "0.0.6", ecosystem="crates.io")
    inventory = Inventory(components=(crate,))

    with pytest.raises(DataError, match=r"the database holds no crates\.io export"):
        _match(pypi_db, inventory, None)
    findings, _ = _match(pypi_db, inventory, _online(local_server, client, inventory))

    (finding,) = findings
    assert (finding.advisory.id, finding.advisory.source) == ("RUSTSEC-2026-0024", "osv-api")
    assert finding.fixed_versions == ("0.0.7",)
    assert finding.notes == ()


def test_withdrawn_record_listed_by_the_api_is_not_reported(
    local_server: LocalServer, client: HttpClient, pypi_db: Path
) -> None:
    FakeOsv(local_server, {"pkg:pypi/flask-caching@1.10.0": ["PYSEC-2021-13"]})
    inventory = Inventory(components=(_component("pkg:pypi/flask-caching@1.10.0", "1.10.0"),))

    findings, _ = _match(pypi_db, inventory, _online(local_server, client, inventory))

    assert findings == ()


def test_api_failure_stops_the_match(
    local_server: LocalServer, client: HttpClient, sleeps: list[float]
) -> None:
    local_server.route("/v1/querybatch", Reply(500))
    inventory = Inventory(components=(_component("pkg:pypi/requests@2.25.1", "2.25.1"),))

    with pytest.raises(DataError) as caught:
        _online(local_server, client, inventory)

    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE
    assert caught.value.message == (
        "POST failed after 3 attempts: HTTP 500 Internal Server Error "
        "(earlier: HTTP 500 Internal Server Error (2 times))"
    )
    assert sleeps == [0.5, 1.0]


def test_query_for_a_component() -> None:
    assert query_for(_component("pkg:pypi/requests@2.25.1", "2.25.1")) == OsvQuery(
        version="2.25.1", purl="pkg:pypi/requests@2.25.1"
    )
    go = _component("pkg:golang/github.com/gorilla/mux@v1.8.0", "v1.8.0", ecosystem="Go")
    assert query_for(go).purl == "pkg:golang/github.com/gorilla/mux@v1.8.0"
    bare = Component(
        name="requests", version="2.25.1", component_class=ComponentClass.HOST, ecosystem="PyPI"
    )
    assert query_for(bare) == OsvQuery(version="2.25.1", ecosystem="PyPI", name="requests")
