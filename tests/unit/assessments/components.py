"""Real components: the example device's (as mdrgate inventories examples/infusion-pump) and
packages of the committed Go, npm and Cargo lock files (tests/assets/golang, npm, rust)."""

from __future__ import annotations

from mdrgate.model import Component, ComponentClass

FIRMWARE = ComponentClass.FIRMWARE
HOST = ComponentClass.HOST

FREERTOS = Component(
    name="FreeRTOS Kernel",
    version="10.3.1",
    component_class=FIRMWARE,
    purl="pkg:github/freertos/freertos-kernel@V10.3.1",
    cpes=("cpe:2.3:o:amazon:freertos:10.3.1:*:*:*:*:*:*:*",),
)
FREERTOS_TCP = Component(
    name="FreeRTOS-Plus-TCP",
    version="2.3.4",
    component_class=FIRMWARE,
    purl="pkg:github/freertos/freertos-plus-tcp@V2.3.4",
    cpes=("cpe:2.3:a:amazon:freertos-plus-tcp:2.3.4:*:*:*:*:*:*:*",),
)
MBEDTLS = Component(
    name="Mbed TLS",
    version="2.28.3",
    component_class=FIRMWARE,
    purl="pkg:github/mbed-tls/mbedtls@v2.28.3",
    cpes=("cpe:2.3:a:arm:mbed_tls:2.28.3:*:*:*:*:*:*:*",),
)
FATFS = Component(
    name="FatFs",
    version="R0.14b",
    component_class=FIRMWARE,
    purl="pkg:generic/fatfs@R0.14b",
    cpes=("cpe:2.3:a:elm-chan:fatfs:R0.14b:*:*:*:*:*:*:*",),
)
LWIP = Component(
    name="lwIP",
    version="2.1.3",
    component_class=FIRMWARE,
    purl="pkg:generic/lwip@2.1.3?download_url=https://download.savannah.nongnu.org/releases/lwip/lwip-2.1.3.zip",
    cpes=("cpe:2.3:a:lwip_project:lwip:2.1.3:*:*:*:*:*:*:*",),
)
SEGGER_RTT = Component(
    name="SEGGER RTT",
    version="7.54",
    component_class=FIRMWARE,
    purl="pkg:generic/segger-rtt@7.54",
)
CPYTHON = Component(
    name="CPython",
    version="3.8.10",
    component_class=HOST,
    purl="pkg:generic/cpython@3.8.10",
    cpes=("cpe:2.3:a:python:python:3.8.10:*:*:*:*:*:*:*",),
)


def pypi(name: str, version: str) -> Component:
    return Component(
        name=name,
        version=version,
        component_class=HOST,
        ecosystem="PyPI",
        purl=f"pkg:pypi/{name.lower()}@{version}",
    )


URLLIB3 = pypi("urllib3", "1.26.4")
REQUESTS = pypi("requests", "2.25.1")
PYYAML = pypi("PyYAML", "5.3.1")
JINJA2 = pypi("Jinja2", "2.11.2")
CERTIFI = pypi("certifi", "2020.12.5")

GO_WINIO = Component(
    name="github.com/Microsoft/go-winio",
    version="v0.5.2",
    component_class=HOST,
    ecosystem="Go",
    purl="pkg:golang/github.com/Microsoft/go-winio@v0.5.2",
)
NPM_IS = Component(
    name="@sindresorhus/is",
    version="4.6.0",
    component_class=HOST,
    ecosystem="npm",
    purl="pkg:npm/%40sindresorhus/is@4.6.0",
)
CARGO_FORM_URLENCODED = Component(
    name="form_urlencoded",
    version="1.0.1",
    component_class=HOST,
    ecosystem="crates.io",
    purl="pkg:cargo/form_urlencoded@1.0.1",
)

EXAMPLE_DEVICE = (
    FREERTOS,
    FREERTOS_TCP,
    MBEDTLS,
    FATFS,
    LWIP,
    SEGGER_RTT,
    CPYTHON,
    URLLIB3,
    REQUESTS,
    PYYAML,
    JINJA2,
    CERTIFI,
)
ALL = (*EXAMPLE_DEVICE, GO_WINIO, NPM_IS, CARGO_FORM_URLENCODED)
