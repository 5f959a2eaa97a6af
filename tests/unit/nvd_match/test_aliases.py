"""One finding per vulnerability, on real records: OSV findings from the OSV matchers over a
database of real excerpts, NVD findings from the CPE matcher over real NVD records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mdrgate.enrich.aliases import cve_ids, merge_by_alias
from mdrgate.enrich.matchers import matcher_for
from mdrgate.enrich.nvd_configurations import match_cve
from mdrgate.enrich.nvd_cvss import nvd_cvss
from mdrgate.enrich.nvd_findings import nvd_finding
from mdrgate.model import Component, ComponentClass, Finding, Origin
from mdrgate.model.advisory import Advisory, SeverityVector
from mdrgate.versioning import GENERIC
from mdrgate.vulndb import VulnDb, import_osv
from tests.unit.nvd_match.assets import OSV, configurations, cve_record
from tests.unit.vulndb.osv_assets import GHSA_PYPI, NOW, PYPI, record, write_zip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VulnDb]:
    """OSV records of this area plus the requests records (PYSEC and GHSA of one CVE)."""
    root = tmp_path_factory.mktemp("aliases")

    def own(*ids: str) -> dict[str, bytes]:
        return {f"{i}.json": (OSV / f"{i}.json").read_bytes() for i in ids}

    pypi = own("PYSEC-2017-50") | {"PYSEC-2023-74.json": record(PYPI, "PYSEC-2023-74")}
    archives = [
        write_zip(root / "PyPI" / "all.zip", pypi),
        write_zip(root / "Go" / "all.zip", own("GO-2020-0023", "GO-2023-1590")),
        write_zip(root / "crates.io" / "all.zip", own("RUSTSEC-2022-0090")),
        GHSA_PYPI,
    ]
    import_osv(root / "vuln.db", archives, now=NOW)
    with VulnDb.open(root / "vuln.db") as opened:
        yield opened


def component(ecosystem: str, purl: str, version: str, cpes: tuple[str, ...] = ()) -> Component:
    name = purl.rsplit("/", maxsplit=1)[-1]
    return Component(
        name=name,
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem=ecosystem,
        purl=f"{purl}@{version}",
        cpes=cpes,
        origins=(Origin("sbom-import", "sbom/device.cdx.json", 12),),
    )


def osv_findings(db: VulnDb, item: Component) -> list[Finding]:
    matcher = matcher_for(item.ecosystem)
    assert matcher is not None
    findings, diagnostics = matcher.match(item, db)
    assert diagnostics == []
    return findings


def nvd_of(item: Component, cve: str, version: str) -> Finding:
    """The NVD finding of a component for a CVE, as the NVD matcher would build it."""
    record = cve_record(cve)
    match = match_cve(configurations(cve), item.cpes, version, GENERIC)
    advisory = Advisory(id=cve, source="nvd", summary=record["descriptions"][0]["value"])
    severities = [a.severity for a in nvd_cvss(cve, record.get("metrics"))]
    return nvd_finding(item, advisory, match, severities)


def test_an_osv_record_and_the_nvd_record_of_its_cve_are_one_finding(db: VulnDb) -> None:
    # libsqlite3-sys 0.24.2 bundles SQLite; an SBOM entry carrying SQLite's CPE (at the bundled
    # 3.38.0) is matched both by RUSTSEC-2022-0090 (the crate) and by CVE-2022-35737 (SQLite).
    crate = component(
        "crates.io",
        "pkg:cargo/libsqlite3-sys",
        "0.24.2",
        ("cpe:2.3:a:sqlite:sqlite:*:*:*:*:*:*:*:*",),
    )
    osv = osv_findings(db, crate)
    nvd = nvd_of(crate, "CVE-2022-35737", "3.38.0")
    assert [f.advisory.id for f in osv] == ["RUSTSEC-2022-0090"]

    (merged,) = merge_by_alias(osv, [nvd])

    assert merged.advisory.id == "RUSTSEC-2022-0090"
    assert merged.same_as == ("CVE-2022-35737",)
    # Severity from the OSV record (its own vector), not from the NVD.
    assert merged.severities == osv[0].severities
    assert merged.severities == (
        SeverityVector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
    )
    assert merged.affected_ranges == (
        ">=0.0.0-0, <0.25.1",
        "cpe:2.3:a:sqlite:sqlite:*:*:*:*:*:*:*:* from 1.0.12 (including) up to 3.39.2 "
        "(excluding) [matchCriteriaId 675F5C51-DC71-4C65-AD31-219ED847D4A1]",
    )
    assert merged.fixed_versions == ("0.25.1",)
    assert "also published as CVE-2022-35737 (the NVD's CPE configurations); reported once" in (
        merged.notes
    )


def test_without_osv_severity_the_nvd_primary_cvss_is_used(db: VulnDb) -> None:
    # lemur 0.1.4: PYSEC-2017-50 has no severity; its alias CVE-2015-7764 lists netflix:lemur
    # 0.1.4 and carries NVD's (Primary) CVSS 3.1 7.5 and CVSS 2.0 5.0.
    lemur = component("PyPI", "pkg:pypi/lemur", "0.1.4", ("netflix:lemur",))
    osv = osv_findings(db, lemur)
    assert osv[0].severities == ()
    nvd = nvd_of(lemur, "CVE-2015-7764", "0.1.4")
    table = {"CVE-2015-7764": nvd_cvss("CVE-2015-7764", cve_record("CVE-2015-7764")["metrics"])}

    (merged,) = merge_by_alias(osv, [nvd], table)

    assert merged.advisory.id == "PYSEC-2017-50"
    assert [(s.type, s.score) for s in merged.severities] == [("CVSS_V3", 7.5), ("CVSS_V2", 5.0)]
    assert merged.score == 7.5
    assert (
        "severity from the NVD (CVE-2015-7764 CVSS 3.1 7.5 (Primary, nvd@nist.gov); "
        "CVE-2015-7764 CVSS 2.0 5.0 (Primary, nvd@nist.gov)): the OSV records give none"
    ) in merged.notes
    assert merged.same_as == ("CVE-2015-7764",)


def test_an_osv_finding_alone_takes_the_cvss_of_its_cve_alias(db: VulnDb) -> None:
    # GO-2023-1590 (no severity) names CVE-2015-10085, which the NVD scores 7.5 (Primary) and
    # VulDB 3.5 (Secondary): the Primary one is used. The Go module has no CPE: no NVD finding.
    gopistolet = component(
        "Go", "pkg:golang/github.com/gopistolet/gopistolet", "v0.0.0-20200101000000-000000000000"
    )
    osv = osv_findings(db, gopistolet)
    wanted = cve_ids(osv)
    assert wanted == ("CVE-2015-10085",)
    table = {cve: nvd_cvss(cve, cve_record(cve)["metrics"]) for cve in wanted}

    (merged,) = merge_by_alias(osv, (), table)

    assert merged.advisory.id == "GO-2023-1590"
    assert merged.score == 7.5
    assert merged.notes[-1] == (
        "severity from the NVD (CVE-2015-10085 CVSS 3.1 7.5 (Primary, nvd@nist.gov)): the OSV "
        "records give none"
    )
    assert merged.same_as == ()


def test_without_any_severity_the_finding_stays_unscored(db: VulnDb) -> None:
    # GO-2020-0023 (no severity) is fixed in a 2017 pseudo-version; no CVSS table is given.
    jwt = component(
        "Go", "pkg:golang/github.com/robbert229/jwt", "v0.0.0-20160101000000-aaaaaaaaaaaa"
    )
    osv = osv_findings(db, jwt)
    (merged,) = merge_by_alias(osv)
    assert merged == osv[0]
    assert merged.score is None


def test_two_osv_records_of_one_cve_are_one_finding(db: VulnDb) -> None:
    # requests 2.30.0: PYSEC-2023-74 (no severity) and GHSA-j8r2-6x86-q33q (CVSS 3.1 6.1) are the
    # same CVE-2023-32681. The PyPA record leads; the severity is the GHSA record's.
    requests = component("PyPI", "pkg:pypi/requests", "2.30.0")
    osv = osv_findings(db, requests)
    assert sorted(f.advisory.id for f in osv) == ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"]

    (merged,) = merge_by_alias(osv)

    assert merged.advisory.id == "PYSEC-2023-74"
    assert merged.same_as == ("GHSA-j8r2-6x86-q33q",)
    assert merged.score == 6.1
    assert not any("severity from the NVD" in n for n in merged.notes)
    assert "also published as GHSA-j8r2-6x86-q33q (source osv/PyPI/GHSA); reported once" in (
        merged.notes
    )


def test_findings_of_different_components_or_vulnerabilities_stay_apart(db: VulnDb) -> None:
    a = component("PyPI", "pkg:pypi/requests", "2.30.0")
    b = component("PyPI", "pkg:pypi/requests", "2.29.0")
    lemur = component("PyPI", "pkg:pypi/lemur", "0.1.4", ("netflix:lemur",))
    unrelated = nvd_of(lemur, "CVE-2015-7764", "0.1.4")
    unrelated_elsewhere = Finding(
        component_ref=a.bom_ref,
        advisory=unrelated.advisory,
        severities=unrelated.severities,
    )
    merged = merge_by_alias([*osv_findings(db, a), *osv_findings(db, b)], [unrelated_elsewhere])
    assert [(f.component_ref, f.advisory.id) for f in merged] == [
        ("pkg:pypi/requests@2.29.0", "PYSEC-2023-74"),
        ("pkg:pypi/requests@2.30.0", "CVE-2015-7764"),
        ("pkg:pypi/requests@2.30.0", "PYSEC-2023-74"),
    ]
    nvd_only = merged[1]
    assert nvd_only == unrelated_elsewhere


def test_the_nvd_finding_names_its_deciding_entry() -> None:
    sqlite = Component(
        name="SQLite",
        version="3.8.10.1",
        component_class=ComponentClass.FIRMWARE,
        cpes=("cpe:2.3:a:sqlite:sqlite:3.8.10.1:*:*:*:*:*:*:*",),
    )
    finding = nvd_of(sqlite, "CVE-2015-5895", "3.8.10.1")
    assert finding.affected_ranges == (
        "cpe:2.3:a:sqlite:sqlite:*:*:*:*:*:*:*:* up to 3.8.10.1 (including) "
        "[matchCriteriaId 76108C0E-2392-4FF1-B092-DD933BF4D135]; only running on/with "
        "cpe:2.3:o:apple:iphone_os:*:*:*:*:*:*:*:* up to 8.4.1 (including)",
    )
    assert finding.notes[0] == (
        "the NVD's configurations make CVE-2015-5895 apply only running on/with "
        "cpe:2.3:o:apple:iphone_os:*:*:*:*:*:*:*:* up to 8.4.1 (including); mdrgate cannot "
        "confirm this from the inventory and reports it"
    )
    # CVE-2015-5895 has one vector, NVD's CVSS 2.0 AV:N/AC:L/Au:N/C:C/I:C/A:C (Primary).
    assert finding.severities == (SeverityVector("CVSS_V2", "AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0),)
    assert finding.component_ref == "firmware:SQLite@3.8.10.1"


def test_merging_is_order_independent(db: VulnDb, tmp_path: Path) -> None:
    requests = component("PyPI", "pkg:pypi/requests", "2.30.0")
    osv = osv_findings(db, requests)
    assert merge_by_alias(osv) == merge_by_alias(list(reversed(osv)))
