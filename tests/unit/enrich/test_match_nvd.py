"""CPE-named components matched against real NVD records, merged with OSV by alias, and given
their KEV listing and EPSS score — through ``match_inventory`` and ``attach_exploitation``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdrgate.enrich import match_inventory
from mdrgate.enrich.exploitation import attach_exploitation
from mdrgate.model import Component, ComponentClass, Diagnostic, Finding, Inventory, Origin
from mdrgate.vulndb import VulnDb, import_feeds
from tests.unit.vulndb.osv_assets import NOW, write_zip

ASSETS = Path(__file__).resolve().parents[2] / "assets"
STRUTS_NVD = ASSETS / "exploitation" / "nvd-CVE-2006-1547.json"
STRUTS_KEV = ASSETS / "exploitation" / "kev-CVE-2006-1547.json"
EMBEDDED_NVD = ASSETS / "nvd" / "embedded-api.json"
EPSS_FORMAT = ASSETS / "epss" / "epss-format-sample.csv"
NVD_MATCH = ASSETS / "nvd-match"


def _struts(version: str | None) -> Component:
    return Component(
        name="Apache Struts",
        version=version,
        component_class=ComponentClass.HOST,
        purl=f"pkg:generic/struts@{version}" if version else "pkg:generic/struts",
        cpes=(f"cpe:2.3:a:apache:struts:{version or '*'}:*:*:*:*:*:*:*",),
        origins=(Origin("soup-register", "soup.yml", 7),),
    )


def _mbedtls(version: str) -> Component:
    return Component(
        name="Mbed TLS",
        version=version,
        component_class=ComponentClass.FIRMWARE,
        purl=f"pkg:github/mbed-tls/mbedtls@v{version}",
        cpes=("arm:mbed_tls",),
    )


def _run(db_path: Path, *components: Component) -> tuple[tuple[Finding, ...], list[Diagnostic]]:
    with VulnDb.open(db_path) as db:
        findings, diagnostics = match_inventory(Inventory(components=components), db)
        enriched, missing = attach_exploitation(findings, db)
    return enriched, [*diagnostics, *missing]


@pytest.fixture
def struts_db(tmp_path: Path) -> Path:
    path = tmp_path / "vuln.db"
    import_feeds(path, (STRUTS_NVD, STRUTS_KEV, EPSS_FORMAT), now=NOW)
    return path


def test_kev_listed_cve_is_found_by_cpe_and_carries_its_listing(struts_db: Path) -> None:
    findings, diagnostics = _run(struts_db, _struts("1.2.7"))
    assert diagnostics == []
    (finding,) = findings
    assert (finding.component_ref, finding.advisory.id) == (
        "pkg:generic/struts@1.2.7",
        "CVE-2006-1547",
    )
    assert finding.affected_ranges == (
        "cpe:2.3:a:apache:struts:*:*:*:*:*:*:*:* up to 1.2.9 (excluding) "
        "[matchCriteriaId B108ED90-C4AA-496F-B3C7-4AA392564C1F]; only running on/with "
        "cpe:2.3:a:apache:commons_beanutils:1.7.0:*:*:*:*:*:*:*",
    )
    assert finding.fixed_versions == ("1.2.9",)  # versionEndExcluding names the fix
    # The AND with BeanUtils 1.7.0 is a condition the inventory cannot confirm: reported, named.
    assert finding.notes[0].startswith("the NVD's configurations make CVE-2006-1547 apply only")
    assert finding.kev is not None
    assert (finding.kev.cve_id, finding.kev.date_added.isoformat()) == (
        "CVE-2006-1547",
        "2022-01-21",
    )
    assert finding.kev.due_date is not None and finding.kev.due_date.isoformat() == "2022-07-21"
    assert finding.epss is None  # EPSS data present, but no score for this CVE


def test_fixed_version_is_not_found(struts_db: Path) -> None:
    assert _run(struts_db, _struts("1.2.9")) == ((), [])


def test_cpe_named_component_without_version_is_unassessed(struts_db: Path) -> None:
    findings, diagnostics = _run(struts_db, _struts(None))
    assert findings == ()
    assert [(d.code, d.component, d.path, d.line) for d in diagnostics] == [
        ("no-exact-version", "pkg:generic/struts", "soup.yml", 7)
    ]


def test_epss_is_attached_and_missing_kev_is_said(tmp_path: Path) -> None:
    # The EPSS file here follows FIRST's format with illustrative scores (see PROVENANCE): it
    # tests the attachment, not a real probability.
    path = tmp_path / "vuln.db"
    import_feeds(path, (EMBEDDED_NVD, EPSS_FORMAT), now=NOW)
    findings, diagnostics = _run(path, _mbedtls("2.28.3"))
    assert [f.advisory.id for f in findings] == ["CVE-2024-23170"]
    epss = findings[0].epss
    assert epss is not None
    assert (epss.cve, epss.epss, epss.percentile, epss.model_version) == (
        "CVE-2024-23170",
        0.0,
        0.0,
        "v2025.03.14",
    )
    assert findings[0].kev is None
    assert [(d.code, d.component) for d in diagnostics] == [("no-kev-data", None)]
    assert "whether a finding is exploited in the wild is unknown" in diagnostics[0].message


def test_version_nvd_does_not_state_is_not_evaluable_not_passed(tmp_path: Path) -> None:
    # CVE-2020-22283 names lwip_project:lwip with version '-' only; CVE-2020-22284 names 2.1.2
    # exactly, which decides: not affected.
    path = tmp_path / "vuln.db"
    import_feeds(path, (EMBEDDED_NVD,), now=NOW)
    lwip = Component(
        name="lwIP",
        version="2.1.3",
        component_class=ComponentClass.FIRMWARE,
        cpes=("cpe:2.3:a:lwip_project:lwip:2.1.3:*:*:*:*:*:*:*",),
    )
    findings, diagnostics = _run(path, lwip)
    assert findings == ()
    assert [(d.code, d.component) for d in diagnostics if d.component] == [
        ("advisory-not-evaluable", "firmware:lwIP@2.1.3")
    ]
    assert "CVE-2020-22283 names this component" in diagnostics[0].message
    assert "NVD gives no version" in diagnostics[0].message


def test_unknown_cpe_product_is_noted(struts_db: Path) -> None:
    typo = Component(
        name="Apache Struts",
        version="1.2.7",
        component_class=ComponentClass.HOST,
        cpes=("cpe:2.3:a:apache:strust:1.2.7:*:*:*:*:*:*:*",),
    )
    findings, diagnostics = _run(struts_db, typo)
    assert findings == ()
    assert [(d.code, d.level.value) for d in diagnostics] == [("cpe-not-in-nvd", "info")]
    assert "apache:strust" in diagnostics[0].message


def test_osv_and_nvd_records_of_one_cve_are_one_finding(tmp_path: Path) -> None:
    # PYSEC-2017-50 (lemur < 0.2.1) lists CVE-2015-7764, whose NVD record names netflix:lemur
    # 0.1.4 exactly: at 0.1.4 both records match.
    osv = write_zip(
        tmp_path / "PyPI" / "all.zip",
        {"PYSEC-2017-50.json": (NVD_MATCH / "osv" / "PYSEC-2017-50.json").read_bytes()},
    )
    cve = json.loads((NVD_MATCH / "nvd" / "CVE-2015-7764.json").read_text("utf-8"))
    answer = tmp_path / "nvd-answer.json"
    answer.write_text(
        json.dumps(
            {
                "resultsPerPage": 1,
                "startIndex": 0,
                "totalResults": 1,
                "format": "NVD_CVE",
                "version": "2.0",
                "timestamp": "2025-08-25T00:00:00.000",
                "vulnerabilities": [cve],
            }
        ),
        "utf-8",
    )
    path = tmp_path / "vuln.db"
    import_feeds(path, (osv, answer), now=NOW)
    lemur = Component(
        name="lemur",
        version="0.1.4",
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl="pkg:pypi/lemur@0.1.4",
        cpes=("cpe:2.3:a:netflix:lemur:0.1.4:*:*:*:*:*:*:*",),
    )
    with VulnDb.open(path) as db:
        findings, _ = match_inventory(Inventory(components=(lemur,)), db)
    (finding,) = findings
    assert finding.advisory.id == "PYSEC-2017-50"  # the ecosystem's record leads
    assert finding.same_as == ("CVE-2015-7764",)
    assert "also published as CVE-2015-7764 (the NVD's CPE configurations); reported once" in (
        finding.notes
    )
    assert finding.cve_ids == ("CVE-2015-7764",)
    assert finding.score is not None  # the PyPA record has no severity: the NVD's CVSS is used
