"""``match_inventory`` on a database of real OSV excerpts: findings, aliases, nothing silent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mdrgate.enrich import match_inventory
from mdrgate.enrich.matchers import _finding
from mdrgate.errors import DataError, ExitCode
from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    Inventory,
    Origin,
    Rating,
    SeverityVector,
)
from mdrgate.vulndb import VulnDb, import_osv
from tests.unit.vulndb.osv_assets import CRATES, GO, NOW, OSS_FUZZ, PYPI, record, write_zip


def _pypi(name: str, version: str | None) -> Component:
    purl = f"pkg:pypi/{name.lower()}@{version}" if version else f"pkg:pypi/{name.lower()}"
    return Component(
        name=name,
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl=purl,
        origins=(Origin("python-requirements", "host/requirements.txt", 3),),
    )


def _match(db_path: Path, *components: Component) -> tuple[tuple, tuple]:  # type: ignore[type-arg]
    with VulnDb.open(db_path) as db:
        return match_inventory(Inventory(components=components), db)


def test_requests_is_one_finding_for_both_records_of_the_cve(assets_db: Path) -> None:
    findings, diagnostics = _match(assets_db, _pypi("Requests", "2.30.0"))

    assert diagnostics == ()
    # PYSEC-2023-74 and GHSA-j8r2-6x86-q33q both describe CVE-2023-32681: one finding, led by
    # the ecosystem's own record, carrying the GitHub record's severity.
    (finding,) = findings
    assert (finding.component_ref, finding.advisory.id) == (
        "pkg:pypi/requests@2.30.0",
        "PYSEC-2023-74",
    )
    assert finding.same_as == ("GHSA-j8r2-6x86-q33q",)
    assert (finding.score, finding.rating) == (6.1, Rating.MEDIUM)
    assert finding.affected_ranges == (">=2.3.0, <2.31.0",)
    assert finding.fixed_versions == ("2.31.0",)
    assert finding.notes == (
        "also published as GHSA-j8r2-6x86-q33q (source osv/PyPI/GHSA); reported once",
    )
    assert finding.cve_ids == ("CVE-2023-32681",)


def test_fixed_version_is_not_matched(assets_db: Path) -> None:
    assert _match(assets_db, _pypi("requests", "2.31.0")) == ((), ())


def test_urllib3_findings_with_scores(assets_db: Path) -> None:
    findings, _ = _match(assets_db, _pypi("urllib3", "2.0.5"))
    # PYSEC-2023-192 and GHSA-v845-jxx5-vc9f are one vulnerability: one finding whose score is
    # the higher of the two records' (8.1 from the PyPA record, 5.9 from the GitHub one).
    assert [(f.advisory.id, f.score, f.fixed_versions, f.same_as) for f in findings] == [
        ("PYSEC-2023-192", 8.1, ("2.0.6",), ("GHSA-v845-jxx5-vc9f",)),
        ("PYSEC-2023-212", 4.2, ("2.0.7",), ()),
    ]
    # Both records' ranges are kept; only the GHSA entry whose range holds 2.0.5 is described.
    assert findings[0].affected_ranges == ("<1.26.17; >=2.0.0, <2.0.6", ">=2.0.0, <2.0.6")


def test_withdrawn_advisory_is_ignored(assets_db: Path) -> None:
    # PYSEC-2021-13 (flask-caching, introduced 1.0.0, no fix) was withdrawn.
    assert _match(assets_db, _pypi("Flask_Caching", "1.10.0")) == ((), ())


def test_conservative_match_carries_its_note(assets_db: Path) -> None:
    ((finding,), _) = _match(assets_db, _pypi("binderhub", "0.1.0"))
    assert finding.advisory.id == "PYSEC-2021-371"
    assert finding.notes == (
        "fixed '0.2.0-n653' is not a valid PEP 440 version; treated as not fixed (conservative)",
    )
    assert finding.fixed_versions == ()


def test_unparsable_installed_version(assets_db: Path) -> None:
    findings, diagnostics = _match(assets_db, _pypi("leo", "4.11-final"))
    assert [f.advisory.id for f in findings] == ["PYSEC-2021-338"]
    assert diagnostics == (
        Diagnostic(
            code="unparsable-version",
            message=(
                "leo 4.11-final: version '4.11-final' is not a valid PEP 440 version; version "
                "ranges could not be evaluated, only advisories that list this exact version "
                "were matched"
            ),
            level=DiagnosticLevel.WARNING,
            path="host/requirements.txt",
            line=3,
            component="pkg:pypi/leo@4.11-final",
        ),
    )


def test_components_without_a_source_are_reported_not_passed(assets_db: Path) -> None:
    firmware = Component(
        name="wolfSSL",
        version="5.6.3",
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:generic/wolfssl@5.6.3",
        origins=(Origin("soup-register", "soup.yml", 12),),
    )
    nuget = Component(
        name="Newtonsoft.Json",
        version="12.0.1",
        component_class=ComponentClass.HOST,
        ecosystem="NuGet",
        purl="pkg:nuget/Newtonsoft.Json@12.0.1",
    )
    anonymous = Component(name="bootloader", version="2.1", component_class=ComponentClass.FIRMWARE)

    findings, diagnostics = _match(assets_db, firmware, nuget, anonymous)

    assert findings == ()
    assert [(d.code, d.component, d.message) for d in diagnostics] == [
        (
            "no-vulnerability-source",
            "pkg:nuget/Newtonsoft.Json@12.0.1",
            "Newtonsoft.Json 12.0.1: not checked for known vulnerabilities: mdrgate has "
            "no matcher for the NuGet ecosystem yet (identifiers: purl "
            "pkg:nuget/Newtonsoft.Json@12.0.1)",
        ),
        (
            "no-vulnerability-source",
            "firmware:bootloader@2.1",
            "bootloader 2.1: not checked for known vulnerabilities: no vulnerability source in "
            "the database covers it (identifiers: no purl or CPE)",
        ),
        (
            "no-vulnerability-source",
            "pkg:generic/wolfssl@5.6.3",
            "wolfSSL 5.6.3: not checked for known vulnerabilities: no vulnerability source in "
            "the database covers it (identifiers: purl pkg:generic/wolfssl@5.6.3)",
        ),
    ]  # ordered like every diagnostic list: by code, then message
    assert (diagnostics[2].path, diagnostics[2].line) == ("soup.yml", 12)
    assert all(d.level is DiagnosticLevel.WARNING for d in diagnostics)


def test_cpe_named_component_without_nvd_data_stops_the_run(assets_db: Path) -> None:
    firmware = Component(
        name="wolfSSL",
        version="5.6.3",
        component_class=ComponentClass.FIRMWARE,
        cpes=("cpe:2.3:a:wolfssl:wolfssl:5.6.3:*:*:*:*:*:*:*",),
    )
    with pytest.raises(DataError) as caught:
        _match(assets_db, firmware)
    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE
    assert caught.value.message == (
        "the database holds no NVD data, and 1 components are identified by CPE (wolfSSL 5.6.3) "
        "and would otherwise pass unchecked"
    )


@pytest.mark.parametrize("version", ["v1.3.1", "1.3.1", "v0.0.0-20200101000000-0123456789ab"])
def test_go_module_is_matched_by_its_module_path(assets_db: Path, version: str) -> None:
    # GO-2025-3451: a malicious module, every version affected (SEMVER introduced 0). The purl
    # names the module path across namespace and name; the matcher looks up the whole path.
    go = Component(
        name="github.com/boltdb-go/bolt",
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem="Go",
        purl=f"pkg:golang/github.com/boltdb-go/bolt@{version}",
    )
    findings, diagnostics = _match(assets_db, go)
    assert diagnostics == ()
    assert [(f.advisory.id, f.affected_ranges) for f in findings] == [
        ("GO-2025-3451", ("all versions",))
    ]


def test_withdrawn_go_advisory_is_ignored(assets_db: Path) -> None:
    # GO-2022-0617 (k8s.io/kubernetes) is withdrawn: no finding, no diagnostic.
    kubernetes = Component(
        name="k8s.io/kubernetes",
        version="v1.20.0",
        component_class=ComponentClass.HOST,
        ecosystem="Go",
        purl="pkg:golang/k8s.io/kubernetes@v1.20.0",
    )
    assert _match(assets_db, kubernetes) == ((), ())


def test_component_without_version_is_left_to_its_collector(assets_db: Path) -> None:
    assert _match(assets_db, _pypi("requests", None)) == ((), ())


def test_no_pypi_data_stops_the_run(tmp_path: Path) -> None:
    db_path = tmp_path / "vuln.db"
    import_osv(db_path, (GO, CRATES), now=NOW)

    with pytest.raises(DataError) as caught:
        _match(db_path, _pypi("requests", "2.30.0"))

    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE
    assert caught.value.message.startswith(
        "the database holds no PyPI export; import the PyPI OSV export"
    )
    # Without PyPI components there is nothing the missing data could hide.
    firmware = Component(name="lwIP", version="2.1.3", component_class=ComponentClass.FIRMWARE)
    findings, diagnostics = _match(db_path, firmware)
    assert findings == ()
    assert [d.code for d in diagnostics] == ["no-vulnerability-source"]


def test_a_few_pypi_records_in_another_export_do_not_count_as_pypi_data(tmp_path: Path) -> None:
    # The OSS-Fuzz export carries a handful of PyPI records (OSV-2022-1074 here); a database
    # holding only that export cannot vouch for PyPI packages.
    db_path = tmp_path / "vuln.db"
    import_osv(db_path, (OSS_FUZZ,), now=NOW)
    with VulnDb.open(db_path) as db:
        assert db.ecosystems().get("PyPI") == 2
        assert db.covered_ecosystems() == frozenset({"OSS-Fuzz"})
    with pytest.raises(DataError, match="no PyPI export"):
        _match(db_path, _pypi("requests", "2.30.0"))


def test_same_advisory_in_two_sources_is_reported_once(tmp_path: Path) -> None:
    # A second export holding PYSEC-2023-74 next to two OSS-Fuzz records: source osv/PyPI/OSV.
    other = write_zip(
        tmp_path / "other" / "all.zip",
        {
            "OSV-2022-1074.json": record(OSS_FUZZ, "OSV-2022-1074"),
            "OSV-2022-840.json": record(OSS_FUZZ, "OSV-2022-840"),
            "PYSEC-2023-74.json": record(PYPI, "PYSEC-2023-74"),
        },
    )
    db_path = tmp_path / "vuln.db"
    report = import_osv(db_path, (PYPI, other), now=NOW)
    assert [s.provenance.source for s in report.sources] == ["osv/PyPI/PYSEC", "osv/PyPI/OSV"]

    findings, _ = _match(db_path, _pypi("requests", "2.30.0"))

    assert [(f.advisory.id, f.advisory.source) for f in findings] == [
        ("PYSEC-2023-74", "osv/PyPI/OSV")  # same modified date: the first source by name
    ]
    assert findings[0].notes == ("the same advisory is also in source osv/PyPI/PYSEC",)


def test_output_is_ordered_and_independent_of_inventory_order(assets_db: Path) -> None:
    components = [
        _pypi("urllib3", "2.0.5"),
        _pypi("requests", "2.30.0"),
        _pypi("py", "1.11.0"),
        _pypi("werkzeug", "3.0.0"),
        _pypi("pillow", "9.1.1"),
        _pypi("cipherbcrypt", "0.1"),
    ]
    forward = _match(assets_db, *components)
    backward = _match(assets_db, *reversed(components))
    assert forward == backward
    assert [(f.component_ref, f.advisory.id) for f in forward[0]] == [
        ("pkg:pypi/cipherbcrypt@0.1", "PYSEC-2024-55"),
        ("pkg:pypi/pillow@9.1.1", "OSV-2022-1074"),
        ("pkg:pypi/py@1.11.0", "PYSEC-2022-42969"),
        ("pkg:pypi/requests@2.30.0", "PYSEC-2023-74"),
        ("pkg:pypi/urllib3@2.0.5", "PYSEC-2023-192"),
        ("pkg:pypi/urllib3@2.0.5", "PYSEC-2023-212"),
        ("pkg:pypi/werkzeug@3.0.0", "PYSEC-2023-221"),
    ]
    pillow = forward[0][1]
    assert pillow.affected_ranges == ("listed version 9.1.1",)
    assert pillow.rating is Rating.UNKNOWN


def test_invalid_vector_gives_no_score_and_a_note(assets_db: Path) -> None:
    with VulnDb.open(assets_db) as db:
        ((advisory, package),) = [
            hit for hit in db.affected("PyPI", "werkzeug") if hit[0].id == "PYSEC-2023-221"
        ]
    from mdrgate.enrich import evaluate
    from mdrgate.versioning import PEP440

    broken = replace(advisory, severities=(SeverityVector("CVSS_V3", "CVSS:3.1/AV:N", None),))
    finding = _finding(_pypi("werkzeug", "3.0.0"), broken, [evaluate(package, "3.0.0", PEP440)], [])
    assert finding.score is None
    assert finding.rating is Rating.UNKNOWN
    assert finding.notes == (
        "CVSS_V3 vector 'CVSS:3.1/AV:N' is not valid (Missing mandatory metrics "
        '"AC, PR, UI, S, C, I, A"); its score is unknown',
    )


def test_an_advisory_with_only_commit_ranges_is_reported_not_ignored(tmp_path: Path) -> None:
    # OSV-2021-449 (OSS-Fuzz) names the PyPI package tensorflow with a GIT range and no versions:
    # nothing says whether a given release is affected, and that must be visible.
    db_path = tmp_path / "vuln.db"
    import_osv(db_path, (PYPI, OSS_FUZZ), now=NOW)
    findings, diagnostics = _match(db_path, _pypi("tensorflow", "2.4.0"))
    assert findings == ()
    (diag,) = diagnostics
    assert diag.code == "advisory-not-evaluable"
    assert "OSV-2021-449 names this package but publishes no PEP 440 versions" in diag.message
    assert diag.component == "pkg:pypi/tensorflow@2.4.0"
