"""Every catalogue component with a source rule, read from a real excerpt of its own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.collect.firmware.sources import COMPONENT_ROOT
from mdrgate.model import ComponentClass
from tests.unit.firmware.sources.conftest import SOURCES, collect_file

# (asset, catalogue id, version, purl, CPEs, evidence line, evidence text start, component root)
EXACT = [
    (
        "freertos-kernel/include/task.h",
        "freertos-kernel",
        "10.3.1",
        "pkg:github/freertos/freertos-kernel@V10.3.1",
        ("cpe:2.3:o:amazon:freertos:10.3.1:*:*:*:*:*:*:*",),
        2,
        "* FreeRTOS Kernel V10.3.1",
        "freertos-kernel",
    ),
    (
        "freertos-plus-tcp/include/FreeRTOS_IP.h",
        "freertos-plus-tcp",
        "2.3.4",
        "pkg:github/freertos/freertos-plus-tcp@V2.3.4",
        ("cpe:2.3:a:amazon:freertos-plus-tcp:2.3.4:*:*:*:*:*:*:*",),
        2,
        "* FreeRTOS+TCP V2.3.4",
        "freertos-plus-tcp",
    ),
    (
        "lwip/src/include/lwip/init.h",
        "lwip",
        "2.1.3",
        "pkg:generic/lwip@2.1.3",
        ("cpe:2.3:a:lwip_project:lwip:2.1.3:*:*:*:*:*:*:*",),
        53,
        "#define LWIP_VERSION_MAJOR      2",
        "lwip",
    ),
    (
        "mbedtls-2.28/include/mbedtls/version.h",
        "mbedtls",
        "2.28.3",
        "pkg:github/mbed-tls/mbedtls@v2.28.3",
        (
            "cpe:2.3:a:arm:mbed_tls:2.28.3:*:*:*:*:*:*:*",
            "cpe:2.3:a:trustedfirmware:mbed_tls:2.28.3:*:*:*:*:*:*:*",
        ),
        39,
        "#define MBEDTLS_VERSION_MAJOR  2",
        "mbedtls-2.28",
    ),
    (
        "mbedtls-3.3/include/mbedtls/build_info.h",
        "mbedtls",
        "3.3.0",
        "pkg:github/mbed-tls/mbedtls@v3.3.0",
        (
            "cpe:2.3:a:arm:mbed_tls:3.3.0:*:*:*:*:*:*:*",
            "cpe:2.3:a:trustedfirmware:mbed_tls:3.3.0:*:*:*:*:*:*:*",
        ),
        39,
        "#define MBEDTLS_VERSION_MAJOR  3",
        "mbedtls-3.3",
    ),
    (
        "polarssl/include/polarssl/version.h",
        "polarssl",
        "0.14.1",
        "pkg:generic/polarssl@0.14.1",
        ("cpe:2.3:a:polarssl:polarssl:0.14.1:*:*:*:*:*:*:*",),
        37,
        "#define POLARSSL_VERSION_MAJOR  0",
        "polarssl",
    ),
    (
        "wolfssl/wolfssl/version.h",
        "wolfssl",
        "5.5.4",
        "pkg:github/wolfssl/wolfssl@v5.5.4-stable",
        ("cpe:2.3:a:wolfssl:wolfssl:5.5.4:*:*:*:*:*:*:*",),
        31,
        '#define LIBWOLFSSL_VERSION_STRING "5.5.4"',
        "wolfssl",
    ),
    (
        "openssl-3.0/include/openssl/opensslv.h",
        "openssl",
        "3.0.22",
        "pkg:generic/openssl@3.0.22",
        ("cpe:2.3:a:openssl:openssl:3.0.22:*:*:*:*:*:*:*",),
        90,
        '# define OPENSSL_VERSION_STR "3.0.22"',
        "openssl-3.0",
    ),
    (
        "openssl-1.1.1/include/openssl/opensslv.h",
        "openssl",
        "1.1.1x",
        "pkg:generic/openssl@1.1.1x",
        ("cpe:2.3:a:openssl:openssl:1.1.1x:*:*:*:*:*:*:*",),
        43,
        '# define OPENSSL_VERSION_TEXT    "OpenSSL 1.1.1x  25 Jan 2024"',
        "openssl-1.1.1",
    ),
    (
        "zlib/zlib.h",
        "zlib",
        "1.2.13",
        "pkg:github/madler/zlib@v1.2.13",
        ("cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*",),
        40,
        '#define ZLIB_VERSION "1.2.13"',
        "zlib",
    ),
    (
        "cjson/cJSON.h",
        "cjson",
        "1.7.15",
        "pkg:github/davegamble/cjson@v1.7.15",
        (
            "cpe:2.3:a:cjson_project:cjson:1.7.15:*:*:*:*:*:*:*",
            "cpe:2.3:a:davegamble:cjson:1.7.15:*:*:*:*:*:*:*",
        ),
        82,
        "#define CJSON_VERSION_MAJOR 1",
        "cjson",
    ),
    (
        "fatfs/source/ff.h",
        "fatfs",
        "R0.14b",
        "pkg:generic/fatfs@R0.14b",
        ("cpe:2.3:a:elm-chan:fatfs:R0.14b:*:*:*:*:*:*:*",),
        2,
        "/  FatFs - Generic FAT Filesystem module  R0.14b                              /",
        "fatfs",
    ),
    (
        "STM32CubeF4/Drivers/STM32F4xx_HAL_Driver/Src/stm32f4xx_hal.c",
        "stm32f4xx-hal-driver",
        "1.7.9",
        "pkg:github/stmicroelectronics/stm32f4xx_hal_driver@v1.7.9",
        (),
        53,
        "* @brief STM32F4xx HAL Driver version number V1.7.9",
        "STM32CubeF4/Drivers/STM32F4xx_HAL_Driver",
    ),
    (
        "STM32CubeF4/Drivers/CMSIS/Device/ST/STM32F4xx/Include/stm32f4xx.h",
        "stm32f4xx-cmsis-device",
        "2.6.5",
        "pkg:github/stmicroelectronics/cmsis_device_f4@v2.6.5",
        (),
        109,
        "* @brief CMSIS version number V2.6.5",
        "STM32CubeF4/Drivers/CMSIS/Device/ST/STM32F4xx",
    ),
    (
        "STM32CubeF4/package.xml",
        "stm32cubef4",
        "1.25.2",
        "pkg:github/stmicroelectronics/stm32cubef4@v1.25.2",
        (),
        3,
        '<PackDescription Release="FW.F4.1.25.0" Patch="FW.F4.1.25.2">',
        "STM32CubeF4",
    ),
    (
        "nrf5-sdk/documentation/release_notes.txt",
        "nrf5-sdk",
        "17.0.2",
        "pkg:generic/nordic/nrf5-sdk@17.0.2",
        (),
        1,
        "nRF5 SDK v17.0.2",
        "nrf5-sdk",
    ),
    (
        "esp-idf/components/esp_common/include/esp_idf_version.h",
        "esp-idf",
        "5.1.0",
        "pkg:github/espressif/esp-idf@v5.1.0",
        ("cpe:2.3:a:espressif:esp-idf:5.1.0:*:*:*:*:*:*:*",),
        14,
        "#define ESP_IDF_VERSION_MAJOR   5",
        "esp-idf",
    ),
    (
        "tinycbor/src/tinycbor-version.h",
        "tinycbor",
        "7.0.0",
        "pkg:github/intel/tinycbor@v7.0.0",
        (),
        1,
        "#define TINYCBOR_VERSION_MAJOR      7",
        "tinycbor",
    ),
    (
        "paho/src/VersionInfo.h",
        "paho-mqtt-c",
        "1.3.12",
        "pkg:github/eclipse/paho.mqtt.c@v1.3.12",
        (),
        9,
        '#define CLIENT_VERSION  "1.3.12"',
        "paho",
    ),
    (
        "coremqtt/source/include/core_mqtt.h",
        "coremqtt",
        "1.0.1",
        "pkg:github/freertos/coremqtt@v1.0.1",
        (),
        2,
        "* coreMQTT v1.0.1",
        "coremqtt",
    ),
    (
        "corehttp/source/include/core_http_client.h",
        "corehttp",
        "3.0.0",
        "pkg:github/freertos/corehttp@v3.0.0",
        (),
        2,
        "* coreHTTP v3.0.0",
        "corehttp",
    ),
    (
        "libcoap/include/coap3/coap.h",
        "libcoap",
        "4.3.1",
        "pkg:github/obgm/libcoap@v4.3.1",
        ("cpe:2.3:a:libcoap:libcoap:4.3.1:*:*:*:*:*:*:*",),
        29,
        '#define LIBCOAP_PACKAGE_VERSION "4.3.1"',
        "libcoap",
    ),
    (
        "curl/include/curl/curlver.h",
        "curl",
        "7.88.1",
        "pkg:github/curl/curl@curl-7_88_1",
        (
            "cpe:2.3:a:haxx:libcurl:7.88.1:*:*:*:*:*:*:*",
            "cpe:2.3:a:haxx:curl:7.88.1:*:*:*:*:*:*:*",
        ),
        35,
        '#define LIBCURL_VERSION "7.88.1"',
        "curl",
    ),
    (
        "sqlite/sqlite3.h",
        "sqlite",
        "3.40.1",
        "pkg:generic/sqlite@3.40.1",
        ("cpe:2.3:a:sqlite:sqlite:3.40.1:*:*:*:*:*:*:*",),
        149,
        '#define SQLITE_VERSION        "3.40.1"',
        "sqlite",
    ),
    (
        "expat/lib/expat.h",
        "expat",
        "2.5.0",
        "pkg:github/libexpat/libexpat@R_2_5_0",
        ("cpe:2.3:a:libexpat_project:libexpat:2.5.0:*:*:*:*:*:*:*",),
        4,
        "#define XML_MAJOR_VERSION 2",
        "expat",
    ),
    (
        "libpng/png.h",
        "libpng",
        "1.6.39",
        "pkg:github/pnggroup/libpng@v1.6.39",
        (
            "cpe:2.3:a:libpng:libpng:1.6.39:*:*:*:*:*:*:*",
            "cpe:2.3:a:greg_roelofs:libpng:1.6.39:*:*:*:*:*:*:*",
        ),
        7,
        '#define PNG_LIBPNG_VER_STRING "1.6.39"',
        "libpng",
    ),
    (
        "busybox/Makefile",
        "busybox",
        "1.36.1",
        "pkg:generic/busybox@1.36.1",
        ("cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*",),
        1,
        "VERSION = 1",
        "busybox",
    ),
    (
        "u-boot/Makefile",
        "u-boot",
        "2018.03-rc4",
        "pkg:generic/u-boot@2018.03-rc4",
        ("cpe:2.3:a:denx:u-boot:2018.03-rc4:*:*:*:*:*:*:*",),
        5,
        "VERSION = 2018",
        "u-boot",
    ),
    (
        "segger/RTT/SEGGER_RTT.h",
        "segger-rtt",
        "7.54",
        "pkg:generic/segger/rtt@7.54",
        (),
        45,
        "*       RTT version: 7.54                                           *",
        "segger",
    ),
    (
        "arduinojson/src/ArduinoJson/version.hpp",
        "arduinojson",
        "5.13.2",
        "pkg:github/bblanchon/arduinojson@v5.13.2",
        ("cpe:2.3:a:arduino_json_project:arduino_json:5.13.2:*:*:*:*:*:*:*",),
        7,
        '#define ARDUINOJSON_VERSION "5.13.2"',
        "arduinojson",
    ),
    (
        "arduinojson/library.properties",
        "arduinojson",
        "5.13.2",
        "pkg:github/bblanchon/arduinojson@v5.13.2",
        ("cpe:2.3:a:arduino_json_project:arduino_json:5.13.2:*:*:*:*:*:*:*",),
        2,
        "version=5.13.2",
        "arduinojson",
    ),
    (
        "webui/debian/jquery.min.js",
        "jquery",
        "3.6.1",
        "pkg:npm/jquery@3.6.1",
        ("cpe:2.3:a:jquery:jquery:3.6.1:*:*:*:*:*:*:*",),
        1,
        "/*! jQuery v3.6.1 | (c) OpenJS Foundation and other contributors | jquery.org/license */",
        "webui/debian",
    ),
    (
        "webui/debian/jquery.js",
        "jquery",
        "3.6.1",
        "pkg:npm/jquery@3.6.1",
        ("cpe:2.3:a:jquery:jquery:3.6.1:*:*:*:*:*:*:*",),
        2,
        "* jQuery JavaScript Library v3.6.1",
        "webui/debian",
    ),
    (
        "webui/npm/bootstrap.min.js",
        "bootstrap",
        "5.3.2",
        "pkg:npm/bootstrap@5.3.2",
        ("cpe:2.3:a:getbootstrap:bootstrap:5.3.2:*:*:*:*:*:*:*",),
        2,
        "* Bootstrap v5.3.2 (https://getbootstrap.com/)",
        "webui/npm",
    ),
    (
        "webui/debian/bootstrap.bundle.min.js",
        "bootstrap",
        "5.2.3",
        "pkg:npm/bootstrap@5.2.3",
        ("cpe:2.3:a:getbootstrap:bootstrap:5.2.3:*:*:*:*:*:*:*",),
        2,
        "* Bootstrap [object Object] v5.2.3 (https://getbootstrap.com/)",
        "webui/debian",
    ),
    (
        "webui/debian/dropdown.js",
        "bootstrap",
        "5.2.3",
        "pkg:npm/bootstrap@5.2.3",
        ("cpe:2.3:a:getbootstrap:bootstrap:5.2.3:*:*:*:*:*:*:*",),
        2,
        "* Bootstrap dropdown.js v5.2.3 (https://getbootstrap.com/)",
        "webui/debian",
    ),
    (
        "webui/debian/chart.min.js",
        "chartjs",
        "3.9.1",
        "pkg:npm/chart.js@3.9.1",
        ("cpe:2.3:a:chartjs:chart.js:3.9.1:*:*:*:*:*:*:*",),
        2,
        "* Chart.js v3.9.1",
        "webui/debian",
    ),
    (
        "webui/debian/moment.js",
        "moment",
        "2.29.4",
        "pkg:npm/moment@2.29.4",
        ("cpe:2.3:a:momentjs:moment:2.29.4:*:*:*:*:*:*:*",),
        2,
        "//! version : 2.29.4",
        "webui/debian",
    ),
    (
        "webui/npm/lodash.min.js",
        "lodash",
        "4.17.21",
        "pkg:npm/lodash@4.17.21",
        ("cpe:2.3:a:lodash:lodash:4.17.21:*:*:*:*:*:*:*",),
        16,
        'n Q(n){return n.match(Fr)||[]}var X,nn="4.17.21",tn=200,rn="Unsupported core-js use. Try'
        " https://npms.io/search?q=ponyfi",
        "webui/npm",
    ),
    (
        "webui/debian/lodash.min.js",
        "lodash",
        "4.17.21",
        "pkg:npm/lodash@4.17.21",
        ("cpe:2.3:a:lodash:lodash:4.17.21:*:*:*:*:*:*:*",),
        1,
        '(function(){var undefined;var VERSION="4.17.21";var LARGE_ARRAY_SIZE=200;'
        'var CORE_ERROR_TEXT="Unsupported core-js use.',
        "webui/debian",
    ),
    (
        "webui/debian/angular.js",
        "angularjs",
        "1.8.3",
        "pkg:npm/angular@1.8.3",
        ("cpe:2.3:a:angularjs:angular.js:1.8.3:*:*:*:*:*:*:*",),
        2,
        "* @license AngularJS v1.8.3",
        "webui/debian",
    ),
    (
        "webui/npm/angular.min.js",
        "angularjs",
        "1.8.3",
        "pkg:npm/angular@1.8.3",
        ("cpe:2.3:a:angularjs:angular.js:1.8.3:*:*:*:*:*:*:*",),
        2,
        "AngularJS v1.8.3",
        "webui/npm",
    ),
]


@pytest.mark.parametrize(
    ("asset", "cid", "version", "purl", "cpes", "line", "text", "root"),
    EXACT,
    ids=[row[0] for row in EXACT],
)
def test_exact_version_from_the_components_own_file(
    asset: str,
    cid: str,
    version: str,
    purl: str,
    cpes: tuple[str, ...],
    line: int,
    text: str,
    root: str,
) -> None:
    result = collect_file(SOURCES / asset)
    assert result.diagnostics == ()
    assert len(result.components) == 1
    component = result.components[0]
    assert component.catalogue_id == cid
    assert component.version == version
    assert component.version_spec is None
    assert component.purl == purl
    assert component.cpes == cpes
    assert component.component_class is ComponentClass.FIRMWARE
    first = component.origins[0]
    assert (first.collector, first.path, first.line, first.text) == (
        "firmware-source",
        asset,
        line,
        text,
    )
    assert dict(component.properties) == {COMPONENT_ROOT: root}
    assert [f.path for f in result.files] == [asset]


def test_component_root_is_the_property_reconciliation_reads() -> None:
    from mdrgate.collect.reconcile import COMPONENT_ROOT as READ

    assert READ == COMPONENT_ROOT


def test_every_statement_of_the_version_is_evidence() -> None:
    # task.h states V10.3.1 twice: in its banner and in tskKERNEL_VERSION_NUMBER.
    (component,) = collect_file(SOURCES / "freertos-kernel/include/task.h").components
    assert [(o.line, o.text) for o in component.origins] == [
        (2, "* FreeRTOS Kernel V10.3.1"),
        (47, '#define tskKERNEL_VERSION_NUMBER       "V10.3.1"'),
    ]


def test_stm32_driver_version_assembled_from_its_four_macros() -> None:
    # MAIN/SUB1/SUB2/RC are hex literals; the comment states the same release.
    (component,) = collect_file(
        SOURCES / "STM32CubeF4/Drivers/STM32F4xx_HAL_Driver/Src/stm32f4xx_hal.c"
    ).components
    assert [(o.line, o.text) for o in component.origins] == [
        (53, "* @brief STM32F4xx HAL Driver version number V1.7.9"),
        (55, "#define __STM32F4xx_HAL_VERSION_MAIN   (0x01U) /*!< [31:24] main version */"),
    ]


def test_segger_systemview_version_is_the_banners_not_the_protocol_macros() -> None:
    # SEGGER_SYSVIEW_MAJOR/MINOR say 3.32 (compatibility version); the sources are 3.40.
    result = collect_file(SOURCES / "segger/SEGGER/SEGGER_SYSVIEW.h")
    (component,) = result.components
    assert (component.catalogue_id, component.version, component.purl) == (
        "segger-systemview",
        "3.40",
        "pkg:generic/segger/systemview@3.40",
    )
    assert result.diagnostics == ()


def test_arduino_library_is_a_generic_package() -> None:
    result = collect_file(SOURCES / "arduino-servo/library.properties")
    assert result.diagnostics == ()
    (component,) = result.components
    assert component.catalogue_id is None
    assert (component.name, component.version, component.purl, component.supplier) == (
        "Servo",
        "1.1.8",
        "pkg:generic/Servo@1.1.8",
        "Arduino",
    )
    assert component.cpes == ()
    assert component.origins[0].text == "version=1.1.8"


def test_arduino_library_with_a_repository_keeps_it_as_vcs_url(tmp_path: Path) -> None:
    # ArduinoJson's real library.properties, renamed: the library is then not the catalogue's.
    text = (SOURCES / "arduinojson/library.properties").read_text(encoding="utf-8")
    path = tmp_path / "MyJson" / "library.properties"
    path.parent.mkdir()
    path.write_text(text.replace("name=ArduinoJson", "name=MyJson"), encoding="utf-8")
    (component,) = collect_file(path, "MyJson/library.properties").components
    assert component.purl == (
        "pkg:generic/MyJson@5.13.2?vcs_url=git%2Bhttps://github.com/bblanchon/ArduinoJson.git"
    )
    assert component.supplier == "Benoit Blanchon"
