"""CPE match verdicts turned into findings and diagnostics (real records)."""

from __future__ import annotations

import pytest

from mdrgate.collect.firmware.catalogue import by_id
from mdrgate.enrich.nvd_configurations import match_cve
from mdrgate.enrich.nvd_findings import NOT_EVALUABLE, nvd_finding, undetermined_diagnostic
from mdrgate.model import Component, ComponentClass, DiagnosticLevel, Origin
from mdrgate.model.advisory import Advisory
from mdrgate.versioning import GENERIC
from tests.unit.nvd_match.assets import configurations


def expat(version: str) -> Component:
    entry = by_id("expat")
    return Component(
        name=entry.name,
        version=version,
        component_class=ComponentClass.FIRMWARE,
        purl=entry.purl_for(version),
        cpes=entry.cpes_for(version),
        origins=(Origin("firmware-sources", "vendor/expat/lib/expat.h", 1058),),
        catalogue_id="expat",
    )


def test_an_unconditional_finding() -> None:
    item = expat("2.4.8")
    match = match_cve(configurations("CVE-2022-40674"), item.cpes, item.version, GENERIC)
    finding = nvd_finding(item, Advisory(id="CVE-2022-40674", source="nvd"), match)
    assert finding.component_ref == item.bom_ref
    assert finding.affected_ranges == (
        "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:* up to 2.4.9 (excluding) "
        "[matchCriteriaId FA91481F-5F79-4934-807C-6F480F2D4A3D]",
    )
    assert finding.notes == (
        "matched cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:* up to 2.4.9 (excluding) "
        "[matchCriteriaId FA91481F-5F79-4934-807C-6F480F2D4A3D]: 2.4.8 is in the range up to "
        "2.4.9 (excluding)",
    )
    assert finding.severities == ()


def test_an_undetermined_match_is_a_located_warning() -> None:
    item = expat("R_2_4_8")
    match = match_cve(configurations("CVE-2022-40674"), item.cpes, item.version, GENERIC)
    diagnostic = undetermined_diagnostic(item, "CVE-2022-40674", match)
    assert diagnostic.code == NOT_EVALUABLE == "advisory-not-evaluable"
    assert diagnostic.level is DiagnosticLevel.WARNING
    assert (diagnostic.path, diagnostic.line) == ("vendor/expat/lib/expat.h", 1058)
    assert diagnostic.component == item.bom_ref
    assert diagnostic.message == (
        "Expat R_2_4_8: CVE-2022-40674 names this component "
        "(cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:* up to 2.4.9 (excluding) "
        "[matchCriteriaId FA91481F-5F79-4934-807C-6F480F2D4A3D]) but whether it is affected "
        "cannot be decided: version 'R_2_4_8' is not a firmware version, so it cannot be placed "
        "up to 2.4.9 (excluding); assess it by hand"
    )


def test_the_builders_refuse_the_wrong_verdict() -> None:
    item = expat("2.4.9")
    match = match_cve(configurations("CVE-2022-40674"), item.cpes, item.version, GENERIC)
    with pytest.raises(ValueError, match="only an affected match is a finding"):
        nvd_finding(item, Advisory(id="CVE-2022-40674", source="nvd"), match)
    with pytest.raises(ValueError, match="only an undetermined match"):
        undetermined_diagnostic(item, "CVE-2022-40674", match)
