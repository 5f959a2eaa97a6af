"""CVSS taken from real NVD records: Primary preferred, every CVSS version kept, scores computed."""

from __future__ import annotations

import copy

import pytest

from mdrgate.enrich.nvd_cvss import MetricsError, NvdCvss, nvd_cvss
from mdrgate.model.advisory import SeverityVector
from tests.unit.nvd_match.assets import cve_record


def metrics(cve: str) -> object:
    return copy.deepcopy(cve_record(cve)["metrics"])


def test_primary_is_preferred_over_a_lower_secondary() -> None:
    # CVE-2015-10085: V3.1 Secondary (VulDB, 3.5) listed first, V3.1 Primary (NVD, 7.5),
    # V2 Secondary only (2.7): NVD's own assessment is used, the CNA's are not.
    assert nvd_cvss("CVE-2015-10085", metrics("CVE-2015-10085")) == (
        NvdCvss(
            cve="CVE-2015-10085",
            severity=SeverityVector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            cvss_version="3.1",
            source="nvd@nist.gov",
            primary=True,
            published_score=7.5,
        ),
    )


def test_secondary_entries_are_used_when_there_is_no_primary() -> None:
    raw = metrics("CVE-2015-10085")
    assert isinstance(raw, dict)
    raw["cvssMetricV31"] = [e for e in raw["cvssMetricV31"] if e["type"] == "Secondary"]
    found = nvd_cvss("CVE-2015-10085", raw)
    assert [(a.cvss_version, a.severity.score, a.primary, a.source) for a in found] == [
        ("3.1", 3.5, False, "cna@vuldb.com"),
        ("2.0", 2.7, False, "cna@vuldb.com"),
    ]
    assert found[1].severity == SeverityVector("CVSS_V2", "AV:A/AC:L/Au:S/C:N/I:N/A:P", 2.7)


def test_every_primary_cvss_version_is_kept_newest_first() -> None:
    found = nvd_cvss("CVE-2015-7764", metrics("CVE-2015-7764"))
    assert [a.describe() for a in found] == [
        "CVE-2015-7764 CVSS 3.1 7.5 (Primary, nvd@nist.gov)",
        "CVE-2015-7764 CVSS 2.0 5.0 (Primary, nvd@nist.gov)",
    ]


def test_other_metrics_are_ignored() -> None:
    # CVE-2022-35737 also carries CISA's ssvcV203 decision points and a Secondary V3.1.
    found = nvd_cvss("CVE-2022-35737", metrics("CVE-2022-35737"))
    assert [a.describe() for a in found] == ["CVE-2022-35737 CVSS 3.1 7.5 (Primary, nvd@nist.gov)"]


def test_a_record_without_metrics() -> None:
    assert nvd_cvss("CVE-2015-10085", None) == ()
    assert nvd_cvss("CVE-2015-10085", {}) == ()


def test_an_invalid_vector_has_no_score() -> None:
    raw = metrics("CVE-2015-10004")
    assert isinstance(raw, dict)
    raw["cvssMetricV31"][0]["cvssData"]["vectorString"] = "CVSS:3.1/AV:X"
    found = nvd_cvss("CVE-2015-10004", raw)
    assert found[0].severity.score is None
    assert found[0].describe() == "CVE-2015-10004 CVSS 3.1 no valid score (Primary, nvd@nist.gov)"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(cvssMetricV31={}), r"metrics\.cvssMetricV31: expected a list"),
        (lambda m: m["cvssMetricV31"].append(3), r"cvssMetricV31\[2\]: expected an object"),
        (lambda m: m["cvssMetricV31"][0].pop("type"), r"cvssMetricV31\[0\]\.type: expected"),
        (lambda m: m["cvssMetricV31"][0].pop("source"), r"\.source: expected a string"),
        (lambda m: m["cvssMetricV31"][0].pop("cvssData"), r"vectorString: expected a CVSS vector"),
    ],
)
def test_malformed_metrics(change: object, message: str) -> None:
    raw = metrics("CVE-2015-10004")
    change(raw)  # type: ignore[operator]
    with pytest.raises(
        MetricsError, match=f"CVE-2015-10004: {message}" if "metrics" in message else message
    ):
        nvd_cvss("CVE-2015-10004", raw)
    with pytest.raises(MetricsError, match="expected an object, found list"):
        nvd_cvss("CVE-2015-10004", [])
