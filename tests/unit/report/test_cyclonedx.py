from __future__ import annotations

import dataclasses
import json
import random
import re
import uuid
from datetime import datetime
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from mdrgate.model import (
    Component,
    ComponentClass,
    Finding,
    Hash,
    Inventory,
    Origin,
    Reference,
    SoupRecord,
)
from mdrgate.report import cyclonedx_model
from mdrgate.report.cyclonedx import render_sbom
from tests.unit.report.sample import (
    AIOHTTP,
    COMPONENTS,
    FINDINGS,
    FINISHED,
    FREERTOS,
    MBEDTLS,
    NUMPY,
    PRODUCT,
    REQUESTS,
    TOOL_VERSION,
    URLLIB3,
    finding,
    pypi,
)

NASTY = Component(
    name="evil|name `x` <script>alert(1)</script>\n::set-output name=x::y",
    version="1.0\n::warning::boom",
    component_class=ComponentClass.FIRMWARE,
    supplier="Müller & Söhne <GmbH>",
    licenses=("Some Proprietary Licence",),
    origins=(Origin("soup-register", "firmware/soup.yml", 40),),
    soup=SoupRecord(register_id="SOUP|9", requirements="line one\nline two | <b>"),
)


@pytest.fixture(scope="module")
def official() -> JsonStrictValidator:
    """The library's own strict validator: the reference the production check must agree with."""
    return JsonStrictValidator(SchemaVersion.V1_6)


def sbom(
    components: tuple[Component, ...] = COMPONENTS,
    findings: tuple[Finding, ...] = FINDINGS,
    **kw: Any,
) -> bytes:
    return render_sbom(
        PRODUCT,
        Inventory(components=components),
        findings=findings,
        timestamp=kw.pop("timestamp", FINISHED),
        tool_version=TOOL_VERSION,
        **kw,
    )


def doc(data: bytes) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(data)
    return parsed


def component(document: dict[str, Any], ref: str) -> dict[str, Any]:
    found = [c for c in document.get("components", []) if c["bom-ref"] == ref]
    assert len(found) == 1, ref
    return found[0]


def props(item: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["name"], p["value"]) for p in item.get("properties", [])]


def vulnerability(document: dict[str, Any], advisory_id: str) -> dict[str, Any]:
    found = [v for v in document["vulnerabilities"] if v["id"] == advisory_id]
    assert len(found) == 1, advisory_id
    return found[0]


def test_sample_is_valid_cyclonedx_1_6_for_the_official_validator(
    official: JsonStrictValidator, golden: Any
) -> None:
    data = sbom()
    assert official.validate_str(data.decode("utf-8")) is None
    golden("sbom.cdx.json", data)


def test_header_and_metadata() -> None:
    d = doc(sbom())
    assert list(d)[:6] == [
        "$schema",
        "bomFormat",
        "specVersion",
        "serialNumber",
        "version",
        "metadata",
    ]
    assert d["bomFormat"] == "CycloneDX"
    assert d["specVersion"] == "1.6"
    assert d["metadata"]["timestamp"] == "2026-11-28T12:00:02+00:00"
    assert d["metadata"]["tools"] == {
        "components": [
            {
                "bom-ref": "tool:mdrgate@0.1.0",
                "name": "mdrgate",
                "type": "application",
                "version": "0.1.0",
            }
        ]
    }
    root = d["metadata"]["component"]
    assert root["type"] == "application"
    assert (root["name"], root["version"]) == ("IP-200 infusion pump", "2.4.0")
    assert root["manufacturer"] == {"name": "Example Medical Devices GmbH"}
    assert props(root) == [("mdrgate:iec62304:safety_class", "C")]
    assert d["metadata"]["manufacturer"] == {"name": "Example Medical Devices GmbH"}


def test_serial_number_is_a_uuid5_of_the_content() -> None:
    first = doc(sbom())["serialNumber"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", first)
    assert uuid.UUID(first.removeprefix("urn:uuid:")).version == 5
    assert doc(sbom())["serialNumber"] == first
    other = doc(sbom(components=COMPONENTS[:-1], findings=FINDINGS))["serialNumber"]
    assert other != first


def test_deterministic_bytes_whatever_the_input_order() -> None:
    reference = sbom()
    rng = random.Random(62304)
    for _ in range(5):
        components = list(COMPONENTS)
        findings = list(FINDINGS)
        rng.shuffle(components)
        rng.shuffle(findings)
        assert sbom(tuple(components), tuple(findings)) == reference


def test_components_in_bom_ref_order_with_explicit_refs() -> None:
    d = doc(sbom())
    refs = [c["bom-ref"] for c in d["components"]]
    assert refs == sorted(c.bom_ref for c in COMPONENTS)
    assert all(c["type"] == "library" for c in d["components"])
    # Only what is known: the product depends on every component; the components' own
    # dependencies are unknown, so they have no entry (an empty entry would mean "none").
    assert d["dependencies"] == [
        {"ref": "product:IP-200 infusion pump@2.4.0", "dependsOn": sorted(refs)}
    ]


def test_python_component_identity_and_origin() -> None:
    c = component(doc(sbom()), "pkg:pypi/requests@2.25.1")
    assert (c["name"], c["version"], c["purl"]) == (
        "requests",
        "2.25.1",
        "pkg:pypi/requests@2.25.1",
    )
    assert c["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    assert c["hashes"] == [
        {
            "alg": "SHA-256",
            "content": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        }
    ]
    assert props(c) == [
        ("mdrgate:collector", "requirements"),
        ("mdrgate:component_class", "host"),
        ("mdrgate:ecosystem", "PyPI"),
        ("mdrgate:origin", "host/requirements.txt:3"),
    ]


def test_soup_register_fields_become_properties() -> None:
    c = component(doc(sbom()), FREERTOS.bom_ref)
    assert c["cpe"] == "cpe:2.3:o:amazon:freertos:10.4.3:*:*:*:*:*:*:*"
    assert c["supplier"] == {"name": "Amazon Web Services"}
    assert "purl" not in c
    assert props(c) == [
        ("mdrgate:collector", "soup-register"),
        ("mdrgate:component_class", "firmware"),
        ("mdrgate:origin", "firmware/soup.yml:4"),
        ("mdrgate:soup:anomaly_list_evaluated", "2026-10-01"),
        ("mdrgate:soup:end_of_support", "2027-06-30"),
        ("mdrgate:soup:level_of_support", "actively-maintained"),
        ("mdrgate:soup:prerequisites", "ARM Cortex-M4F, 64 KiB RAM"),
        ("mdrgate:soup:register_id", "SOUP-001"),
        (
            "mdrgate:soup:requirements",
            "Pre-emptive scheduling of the pump control task within 1 ms",
        ),
        ("mdrgate:soup:safety_relevant", "true"),
        ("mdrgate:soup:title", "FreeRTOS-Kernel"),
        ("mdrgate:soup:website", "https://www.freertos.org/"),
    ]


def test_further_cpes_and_licence_expression() -> None:
    c = component(doc(sbom()), MBEDTLS.bom_ref)
    assert c["cpe"] == "cpe:2.3:a:arm:mbed_tls:2.28.0:*:*:*:*:*:*:*"
    assert ("mdrgate:cpe", "cpe:2.3:a:trustedfirmware:mbed_tls:2.28.0:*:*:*:*:*:*:*") in props(c)
    assert c["licenses"] == [{"expression": "Apache-2.0 OR GPL-2.0-or-later"}]
    assert ("mdrgate:soup:safety_relevant", "false") in props(c)
    assert ("mdrgate:soup:notes", "LTS branch 2.28 ended in 2024") in props(c)


def test_component_without_version() -> None:
    c = component(doc(sbom()), NUMPY.bom_ref)
    assert "version" not in c
    assert c["purl"] == "pkg:pypi/numpy"
    assert ("mdrgate:version_unknown", "true") in props(c)
    assert ("mdrgate:version_spec", ">=1.24") in props(c)


def test_mixed_licences_keep_every_value_without_inventing_an_operator() -> None:
    mixed = dataclasses.replace(REQUESTS, licenses=("MIT", "Apache-2.0 OR MIT", "Foo Licence"))
    c = component(doc(sbom(components=(mixed,), findings=())), mixed.bom_ref)
    assert c["licenses"] == [
        {"license": {"id": "MIT"}},
        {"license": {"name": "Apache-2.0 OR MIT"}},
        {"license": {"name": "Foo Licence"}},
    ]


def test_hashes_the_schema_cannot_hold_are_kept_as_properties(
    official: JsonStrictValidator,
) -> None:
    odd = dataclasses.replace(
        REQUESTS,
        hashes=(
            Hash("sha256", "AB" * 32),
            Hash("SHA-256", "abc"),
            Hash("whirlpool", "00" * 64),
        ),
    )
    data = sbom(components=(odd,), findings=())
    c = component(doc(data), odd.bom_ref)
    assert c["hashes"] == [{"alg": "SHA-256", "content": "ab" * 32}]
    assert ("mdrgate:hash", "SHA-256:abc") in props(c)
    assert ("mdrgate:hash", f"whirlpool:{'00' * 64}") in props(c)


def test_one_vulnerability_per_advisory_with_ratings_and_references() -> None:
    d = doc(sbom())
    assert [v["id"] for v in d["vulnerabilities"]] == [
        "PYSEC-2023-192",
        "PYSEC-2023-212",
        "PYSEC-2023-74",
        "PYSEC-2024-24",
    ]
    v = vulnerability(d, "PYSEC-2023-192")
    assert v["bom-ref"] == "vulnerability:PYSEC-2023-192"
    assert v["source"] == {"name": "OSV", "url": "https://osv.dev/vulnerability/PYSEC-2023-192"}
    assert v["ratings"] == [
        {
            "method": "CVSSv31",
            "score": 8.1,
            "severity": "high",
            "source": {"name": "OSV", "url": "https://osv.dev/vulnerability/PYSEC-2023-192"},
            "vector": "AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N",
        }
    ]
    assert v["references"] == [
        {
            "id": "CVE-2023-43804",
            "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2023-43804"},
        },
        {
            "id": "GHSA-v845-jxx5-vc9f",
            "source": {
                "name": "GitHub Advisory Database",
                "url": "https://github.com/advisories/GHSA-v845-jxx5-vc9f",
            },
        },
    ]
    assert {
        "title": "ADVISORY",
        "url": "https://github.com/urllib3/urllib3/security/advisories/GHSA-v845-jxx5-vc9f",
    } in v["advisories"]
    assert len(v["advisories"]) == 6
    assert v["published"] == "2023-10-04T17:15:00+00:00"
    assert v["updated"] == "2023-10-10T14:28:19.389317+00:00"
    assert v["detail"].startswith("urllib3 is a user-friendly HTTP client library for Python.")
    assert "description" not in v  # the record has no summary
    assert v["recommendation"] == "Upgrade urllib3 1.26.5 to 1.26.17 or 2.0.6 or later."
    assert v["affects"] == [
        {
            "ref": "pkg:pypi/urllib3@1.26.5",
            "versions": [{"status": "affected", "version": "1.26.5"}],
        }
    ]
    assert props(v) == [
        (
            "mdrgate:affected_range",
            "pkg:pypi/urllib3@1.26.5: introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17",
        ),
        ("mdrgate:fixed_versions", "pkg:pypi/urllib3@1.26.5: 1.26.17, 2.0.6"),
        ("mdrgate:rating", "high"),
    ]


def test_advisory_without_severity_is_rated_unknown_not_omitted() -> None:
    v = vulnerability(doc(sbom()), "PYSEC-2023-74")
    assert v["ratings"] == [
        {
            "severity": "unknown",
            "source": {"name": "OSV", "url": "https://osv.dev/vulnerability/PYSEC-2023-74"},
        }
    ]
    assert ("mdrgate:rating", "unknown") in props(v)
    assert v["recommendation"] == "Upgrade requests 2.25.1 to 2.31.0 or later."


def test_one_advisory_affecting_two_components_is_one_vulnerability() -> None:
    older = pypi("urllib3", "1.26.4", 9, "MIT")
    findings = (
        finding(URLLIB3, "PYSEC-2023-192", ("1.26.17",)),
        finding(older, "PYSEC-2023-192", ()),
    )
    d = doc(sbom(components=(URLLIB3, older), findings=findings))
    assert len(d["vulnerabilities"]) == 1
    v = d["vulnerabilities"][0]
    assert [a["ref"] for a in v["affects"]] == [
        "pkg:pypi/urllib3@1.26.4",
        "pkg:pypi/urllib3@1.26.5",
    ]
    assert v["recommendation"] == (
        "No fixed version of urllib3 is known. Upgrade urllib3 1.26.5 to 1.26.17 or later."
    )


def test_unknown_component_in_a_finding_is_a_bug() -> None:
    with pytest.raises(RuntimeError, match="not in the inventory"):
        sbom(components=(URLLIB3,), findings=(finding(AIOHTTP, "PYSEC-2024-24", ()),))


def test_duplicate_bom_refs_are_a_bug() -> None:
    with pytest.raises(
        RuntimeError, match=re.escape("duplicate bom-refs: pkg:pypi/urllib3@1.26.5")
    ):
        sbom(components=(URLLIB3, URLLIB3), findings=())


def test_empty_inventory(official: JsonStrictValidator) -> None:
    data = sbom(components=(), findings=())
    d = doc(data)
    assert "components" not in d
    assert "vulnerabilities" not in d
    assert d["dependencies"] == [{"ref": "product:IP-200 infusion pump@2.4.0"}]
    assert official.validate_str(data.decode()) is None


def test_untrusted_text_is_carried_verbatim_and_stays_valid(official: JsonStrictValidator) -> None:
    data = sbom(components=(NASTY,), findings=())
    assert official.validate_str(data.decode()) is None
    c = component(doc(data), NASTY.bom_ref)
    assert c["name"] == NASTY.name
    assert c["version"] == NASTY.version
    assert c["supplier"] == {"name": "Müller & Söhne <GmbH>"}
    assert c["licenses"] == [{"license": {"name": "Some Proprietary Licence"}}]
    assert ("mdrgate:soup:requirements", "line one\nline two | <b>") in props(c)
    assert all(not line.lstrip().startswith("::") for line in data.decode().splitlines())


def test_reference_urls_the_schema_rejects_are_kept_as_properties(
    official: JsonStrictValidator,
) -> None:
    base = FINDINGS[3]
    advisory = dataclasses.replace(
        base.advisory,
        references=(
            *base.advisory.references,
            Reference("WEB", "https://example.org/a b`c|d"),
            Reference("WEB", "not a url at all"),
        ),
    )
    broken = dataclasses.replace(base, advisory=advisory)
    data = sbom(components=(AIOHTTP,), findings=(broken,))
    assert official.validate_str(data.decode()) is None
    v = vulnerability(doc(data), "PYSEC-2024-24")
    assert ("mdrgate:reference", "WEB https://example.org/a b`c|d") in props(v)
    assert ("mdrgate:reference", "WEB not a url at all") in props(v)
    assert len(v["advisories"]) == len(base.advisory.references)


def test_schema_violation_raises_runtime_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Disable the guard that keeps unusable URLs out of url fields: the schema check must catch it.
    monkeypatch.setattr(cyclonedx_model, "_URI", re.compile(r".*"))
    base = FINDINGS[3]
    advisory = dataclasses.replace(
        base.advisory, references=(Reference("WEB", "https://example.org/a`b"),)
    )
    with pytest.raises(RuntimeError, match=r"not valid CycloneDX 1\.6: .*advisories/0/url"):
        sbom(components=(AIOHTTP,), findings=(dataclasses.replace(base, advisory=advisory),))


def test_naive_timestamp_is_taken_as_utc() -> None:
    data = sbom(timestamp=datetime(2026, 11, 28, 12, 0, 2))
    assert doc(data)["metadata"]["timestamp"] == "2026-11-28T12:00:02+00:00"
