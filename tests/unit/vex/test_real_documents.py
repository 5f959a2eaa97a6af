"""Published VEX documents (OpenVEX, CycloneDX, CSAF) read into assessments."""

from __future__ import annotations

import hashlib

import pytest

from mdrgate.errors import ExitCode, UsageError
from mdrgate.model.assessment import (
    AssessmentKind,
    AssessmentSource,
    ComponentSelector,
    Justification,
    VexStatus,
)
from mdrgate.vex import load_vex
from tests.unit.vex.support import EXAMPLE, asset


def sha(name: str) -> str:
    return hashlib.sha256(asset(name).read_bytes()).hexdigest()


def test_openvex_vexctl_demo() -> None:
    (a,) = load_vex(asset("openvex/demo.vex.json"), display="demo.vex.json")
    doc_id = (
        "https://openvex.dev/docs/public/"
        "vex-d7653e1c3ccc092c02e2cfd2b12549be29264ff28f9f704f599613b007584dbe"
    )
    assert a.id == f"{doc_id}#/statements/0"
    assert a.vulnerability == "CVE-2014-123456"
    assert a.aliases == ()
    assert a.status is VexStatus.FIXED
    assert a.components == (
        ComponentSelector(purl="pkg:apk/distro/git@2.39.0-r1?arch=armv7"),
        ComponentSelector(purl="pkg:apk/distro/git@2.39.0-r1?arch=x86_64"),
    )
    assert a.timestamp == "2023-12-04T21:55:19.945015302-06:00"
    assert a.source == AssessmentSource(
        kind=AssessmentKind.OPENVEX,
        path="demo.vex.json",
        line=9,
        pointer="/statements/0",
        document_id=doc_id,
        sha256=sha("openvex/demo.vex.json"),
    )
    assert a.source.location() == "demo.vex.json:9#/statements/0"


def test_openvex_before_0_2_0_is_refused_with_a_hint() -> None:
    with pytest.raises(UsageError) as caught:
        load_vex(asset("openvex/v0.0.1.json"), display="v0.0.1.json")
    err = caught.value
    assert err.exit_code == ExitCode.USAGE
    assert err.diagnostics() == (
        "v0.0.1.json:2: /@context: this is an OpenVEX document before 0.2.0 "
        "(https://openvex.dev/ns/v0.0.1); mdrgate reads 0.2.0\n"
        '  hint: re-issue it as OpenVEX 0.2.0 (vulnerability as {"name": ...}, products as '
        '{"@id": ...}); vexctl writes 0.2.0'
    )


def test_cyclonedx_cisa_case_1_not_affected() -> None:
    (a,) = load_vex(asset("cyclonedx/vex-not_affected.json"), display="na.json")
    assert a.id == "na.json#/vulnerabilities/0"  # no serialNumber: the file names it
    assert a.vulnerability == "CVE-2021-44228"
    assert a.status is VexStatus.NOT_AFFECTED
    assert a.justification is Justification.VULNERABLE_CODE_NOT_PRESENT  # code_not_present
    assert a.impact == (
        "This version of Product ABC is not affected by the vulnerability. "
        "Class with vulnerable code was removed before shipping."
    )
    assert a.action == "response: will_not_fix"
    # The product is the metadata component: no purl or CPE, so its name and version.
    assert a.components == (ComponentSelector(name="ABC", versions="==4.2"),)
    assert a.timestamp == "2022-03-03T00:00:00Z"
    assert (a.source.kind, a.source.line, a.source.pointer, a.source.document_id) == (
        AssessmentKind.CYCLONEDX_VEX,
        15,
        "/vulnerabilities/0",
        None,
    )
    assert a.source.sha256 == sha("cyclonedx/vex-not_affected.json")


def test_cyclonedx_cisa_case_1_exploitable_is_affected_with_its_action() -> None:
    (a,) = load_vex(asset("cyclonedx/vex-affected.json"), display="a.json")
    assert a.status is VexStatus.AFFECTED
    assert a.justification is None
    assert a.impact is None
    assert a.action == (
        "This version of Product DEF is affected by the vulnerability. Customers are advised "
        "to upgrade to the latest release.\nresponse: will_not_fix, update"
    )
    assert a.components == (ComponentSelector(name="DEF", versions="==1.0"),)


def test_cyclonedx_cisa_case_1_in_triage_is_under_investigation() -> None:
    (a,) = load_vex(asset("cyclonedx/vex-under_investigation.json"), display="u.json")
    assert a.status is VexStatus.UNDER_INVESTIGATION
    assert a.impact == (
        "This version of Product GHI is under investigation to determine if product is affected."
    )
    assert a.components == (ComponentSelector(name="GHI", versions="==17.4"),)


def test_cyclonedx_example_with_a_string_response_fails_the_schema() -> None:
    """bom-examples VEX/vex.json writes ``"response": "will_not_fix"``; 1.4 wants a list."""
    with pytest.raises(UsageError) as caught:
        load_vex(asset("cyclonedx/vex.json"), display="vex.json")
    assert str(caught.value) == (
        "vex.json:86: /vulnerabilities/0/analysis/response: expected a list, "
        "got string 'will_not_fix'"
    )


def test_csaf_use_case_1_not_affected_by_product_tree_branches() -> None:
    (a,) = load_vex(asset("csaf/2022-evd-uc-01-na-001.json"), display="na.json")
    assert a.id == "2022-EVD-UC-01-NA-001#/vulnerabilities/0/product_status/known_not_affected/0"
    assert a.vulnerability == "CVE-2021-44228"
    assert a.status is VexStatus.NOT_AFFECTED
    assert a.justification is None
    assert a.impact == "Class with vulnerable code was removed before shipping."
    assert a.components == (ComponentSelector(name="ABC", versions="==4.2"),)
    assert a.timestamp == "2022-03-03T11:00:00.000Z"
    assert (a.source.kind, a.source.line, a.source.document_id) == (
        AssessmentKind.CSAF_VEX,
        76,
        "2022-EVD-UC-01-NA-001",
    )


def test_csaf_use_case_1_fixed() -> None:
    (a,) = load_vex(asset("csaf/2022-evd-uc-01-f-001.json"), display="f.json")
    assert a.status is VexStatus.FIXED
    assert a.components == (ComponentSelector(name="DEF", versions="==1.1"),)
    assert a.source.pointer == "/vulnerabilities/0/product_status/fixed/0"


def test_csaf_relationship_stands_for_its_component() -> None:
    """Trivy's test document: the status names a relationship; its component has the purl."""
    (a,) = load_vex(asset("csaf/csaf-relationships.json"), display="r.json")
    assert a.components == (
        ComponentSelector(purl="pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"),
    )
    assert a.justification is Justification.VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY
    # The impact threat names no product, so it applies to all of this vulnerability's products.
    assert a.impact == "vulnerable_code_not_in_execute_path"
    assert a.source.line == 114


def test_example_device_openvex_not_affected() -> None:
    (a,) = load_vex(EXAMPLE / "cpython-mailcap.openvex.json", display="vex/cpython.json")
    assert a.vulnerability == "CVE-2015-20107"
    assert a.status is VexStatus.NOT_AFFECTED
    assert a.justification is Justification.VULNERABLE_CODE_NOT_IN_EXECUTE_PATH
    assert a.impact is not None and "mailcap.findmatch() is never called" in a.impact
    # The statement is about the subcomponent, by purl or by CPE, not the device itself.
    assert a.components == (
        ComponentSelector(purl="pkg:generic/cpython@3.8.10"),
        ComponentSelector(cpe="cpe:2.3:a:python:python:3.8.10:*:*:*:*:*:*:*"),
    )


def test_example_device_cyclonedx_in_triage() -> None:
    (a,) = load_vex(EXAMPLE / "requests-proxy-auth.cdx.vex.json", display="vex/requests.json")
    assert a.id == "urn:uuid:7d0c3f4e-2b9a-4c1e-9f57-3a6e8d4b2c10#/vulnerabilities/0"
    assert a.vulnerability == "CVE-2023-32681"
    assert a.aliases == ("PYSEC-2023-74", "GHSA-j8r2-6x86-q33q")
    assert a.status is VexStatus.UNDER_INVESTIGATION
    assert a.components == (ComponentSelector(purl="pkg:pypi/requests@2.25.1"),)
    assert a.timestamp == "2026-09-15T10:00:00Z"
