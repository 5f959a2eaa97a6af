"""The catalogue's entries are well-formed and every source rule names one of them."""

from __future__ import annotations

import re

import pytest
from packageurl import PackageURL

from mdrgate.collect.firmware import catalogue
from mdrgate.collect.firmware.source_rules import ARDUINO_LIBRARY, RULES, _stm32_series
from mdrgate.identifiers import is_cpe

ISSUE_COMPONENTS = {
    "freertos-kernel",
    "freertos-plus-tcp",
    "lwip",
    "mbedtls",
    "polarssl",
    "wolfssl",
    "openssl",
    "zlib",
    "cjson",
    "fatfs",
    "littlefs",
    "cmsis-core",
    "stm32f4xx-hal-driver",
    "stm32f4xx-cmsis-device",
    "stm32cubef4",
    "nrf5-sdk",
    "zephyr",
    "esp-idf",
    "nanopb",
    "tinycbor",
    "paho-mqtt-c",
    "coremqtt",
    "corehttp",
    "libcoap",
    "curl",
    "sqlite",
    "expat",
    "libpng",
    "busybox",
    "u-boot",
    "segger-rtt",
    "segger-systemview",
    "percepio-trace-recorder",
    "arduinojson",
    "jquery",
    "bootstrap",
    "chartjs",
    "moment",
    "lodash",
    "angularjs",
}


def test_ids_and_identities_are_unique() -> None:
    ids = [d.id for d in catalogue.CATALOGUE]
    assert len(ids) == len(set(ids))
    identities = [PackageURL.from_string(d.purl).to_dict()["name"] for d in catalogue.CATALOGUE]
    purls = [d.purl for d in catalogue.CATALOGUE]
    assert len(purls) == len(set(purls)), identities


@pytest.mark.parametrize("definition", catalogue.CATALOGUE, ids=lambda d: d.id)
def test_entry_is_well_formed(definition: catalogue.ComponentDef) -> None:
    purl = PackageURL.from_string(definition.purl)
    assert purl.version is None
    assert purl.type in {"github", "generic", "npm"}
    assert definition.cpe_part in {"a", "o"}
    for pair in definition.cpes:
        assert re.fullmatch(r"[a-z0-9_.\-]+:[a-z0-9_.\-]+", pair), pair
    released = definition.purl_for("1.2.3")
    assert PackageURL.from_string(released).version == definition.tag.format(
        version="1.2.3", underscored="1_2_3"
    )
    assert all(is_cpe(cpe) for cpe in definition.cpes_for("1.2.3"))
    assert all(cpe.split(":")[5] == "*" for cpe in definition.cpes_for(None))


def test_issue_components_are_catalogued() -> None:
    assert {d.id for d in catalogue.CATALOGUE} >= ISSUE_COMPONENTS


def test_every_rule_names_a_catalogue_component() -> None:
    known = {d.id for d in catalogue.CATALOGUE}
    for rule in RULES:
        assert rule.component == ARDUINO_LIBRARY or rule.component in known, rule.component
    assert _stm32_series() == catalogue.STM32_SERIES
    assert {r.component for r in RULES} >= ISSUE_COMPONENTS


def test_release_tags_are_spelled_as_each_project_tags_them() -> None:
    assert catalogue.by_id("curl").purl_for("8.5.0") == "pkg:github/curl/curl@curl-8_5_0"
    assert catalogue.by_id("expat").purl_for("2.6.2") == "pkg:github/libexpat/libexpat@R_2_6_2"
    assert (
        catalogue.by_id("wolfssl").purl_for("5.7.0") == "pkg:github/wolfssl/wolfssl@v5.7.0-stable"
    )
    assert catalogue.by_id("nanopb").purl_for("0.4.8") == "pkg:github/nanopb/nanopb@nanopb-0.4.8"
    assert catalogue.by_id("jquery").purl_for("3.5.1") == "pkg:npm/jquery@3.5.1"
    assert catalogue.by_id("fatfs").cpes_for("R0.15") == (
        "cpe:2.3:a:elm-chan:fatfs:R0.15:*:*:*:*:*:*:*",
    )


def _found(hit: catalogue.ComponentDef | None) -> str:
    assert hit is not None
    return hit.id


def test_lookup_by_purl_cpe_and_name() -> None:
    assert _found(catalogue.lookup(purl="pkg:npm/chart.js@4.4.0")) == "chartjs"
    polarssl = catalogue.lookup(cpes=["cpe:2.3:a:polarssl:polarssl:1.3.9:*:*:*:*:*:*:*"])
    assert _found(polarssl) == "polarssl"
    assert _found(catalogue.lookup(name="FreeRTOS+TCP")) == "freertos-plus-tcp"
    assert _found(catalogue.lookup(name="STM32CubeF4")) == "stm32cubef4"
    # coreHTTP's namesake web server in the NVD is not AWS coreHTTP.
    assert catalogue.lookup(cpes=["cpe:2.3:a:frank_yaul:corehttp:0.5.3:*:*:*:*:*:*:*"]) is None
