"""The firmware components mdrgate knows: who makes them and how the world identifies them.

One entry per third-party C/C++ (or vendored JavaScript) component: its name and supplier, the
package URL it is published under, and the CPE 2.3 vendor:product pairs the NVD uses for it, so
that NVD matching can follow. How a component is *recognised* lives elsewhere, keyed by the same
id: in sources (``source_rules.py``), in compiled images (``binary_signatures.py``) and in linker
maps (``archive_names`` here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from packageurl import PackageURL

from mdrgate.model import Component, ComponentClass, Origin


@dataclass(frozen=True, slots=True)
class ComponentDef:
    """A known component. ``purl`` has no version; ``tag`` says how a release is named there."""

    id: str
    name: str
    supplier: str
    purl: str
    cpes: tuple[str, ...]
    """NVD ``vendor:product`` pairs, the one the NVD uses most first (``arm:mbed_tls``)."""
    tag: str = "{version}"
    """The purl version for a release: ``v{version}``, ``V{version}``, ``mbedtls-{version}``;
    ``{underscored}`` is the version with ``_`` for ``.`` (``curl-{underscored}``: curl-8_5_0)."""
    cpe_part: str = "a"
    """CPE part: ``a`` application/library, ``o`` operating system (FreeRTOS, Zephyr)."""
    aliases: tuple[str, ...] = ()
    """Other names people write for it (matched case-insensitively, ignoring spaces, - and _)."""
    archive_names: tuple[str, ...] = ()
    """Library archives it is built as (``libmbedcrypto.a``), as linker maps name them."""
    website: str | None = None
    component_class: ComponentClass = ComponentClass.FIRMWARE

    def purl_for(self, version: str | None) -> str:
        base = PackageURL.from_string(self.purl)
        tagged = (
            self.tag.format(version=version, underscored=version.replace(".", "_"))
            if version
            else None
        )
        return base._replace(version=tagged).to_string()

    def cpes_for(self, version: str | None) -> tuple[str, ...]:
        """CPE 2.3 formatted strings; ``*`` (any) as version when the version is unknown."""
        ver = _cpe_escape(version) if version else "*"
        return tuple(f"cpe:2.3:{self.cpe_part}:{pair}:{ver}:*:*:*:*:*:*:*" for pair in self.cpes)


def _cpe_escape(text: str) -> str:
    # CPE 2.3 formatted-string binding (NISTIR 7695 §6.2.3): escape characters other than
    # alphanumerics, '_', '-' and '.'.
    return re.sub(r"([^A-Za-z0-9._\-])", r"\\\1", text)


# Where the CPE pairs come from. "NVD data": seen in CVE configurations of the NVD feeds and subset
# this project keeps (shared data, nvd/). "NVD dictionary": not in that data, but recorded from the
# NVD CPE dictionary by the project's own release tooling (Zephyr's ``west spdx``, nanopb's
# ``zephyr/module.yml``) or by a scanner whose checkers are built from the dictionary
# (cve-bin-tool); each such entry says which. An empty tuple means no NVD product was found for
# the component: it is left empty rather than guessed, and NVD matching cannot cover it.
#
# Package URLs: ``pkg:github/<owner>/<repo>`` where GitHub is the project's own home, with ``tag``
# spelling the release as the project tags it; ``pkg:generic/<name>`` where the project lives
# elsewhere (savannah, fossil, a vendor download page) or its tags could not be confirmed.
# Vendored JavaScript is identified by its npm package (``pkg:npm/jquery``), as the npm registry
# publishes the same release files.

_AWS_FREERTOS = "Amazon Web Services (FreeRTOS project)"
_ST = "STMicroelectronics"

_CORE: tuple[ComponentDef, ...] = (
    ComponentDef(
        id="freertos-kernel",
        name="FreeRTOS Kernel",
        supplier=_AWS_FREERTOS,
        purl="pkg:github/freertos/freertos-kernel",
        tag="V{version}",
        # NVD data: o:amazon:freertos (CVE-2021-31571, kernel before 10.4.3).
        cpes=("amazon:freertos",),
        cpe_part="o",
        aliases=("FreeRTOS", "FreeRTOS-Kernel"),
        website="https://www.freertos.org/",
    ),
    ComponentDef(
        id="freertos-plus-tcp",
        name="FreeRTOS-Plus-TCP",
        supplier=_AWS_FREERTOS,
        purl="pkg:github/freertos/freertos-plus-tcp",
        tag="V{version}",
        # NVD dictionary (not in the local data): a:amazon:freertos-plus-tcp. The older +TCP CVEs
        # (2018) are filed under amazon:freertos with *kernel* distribution versions (<= 10.0.1);
        # pairing that CPE with a +TCP version (2.x-4.x) would compare unrelated numbers, so it is
        # deliberately not listed here.
        cpes=("amazon:freertos-plus-tcp",),
        aliases=("FreeRTOS+TCP", "FreeRTOS-Plus-TCP", "freertos_plus_tcp"),
        website="https://www.freertos.org/FreeRTOS-Plus/FreeRTOS_Plus_TCP/index.html",
    ),
    ComponentDef(
        id="lwip",
        name="lwIP",
        supplier="lwIP developers (Savannah)",
        purl="pkg:generic/lwip",
        # NVD data: lwip_project:lwip (CVE-2020-22284).
        cpes=("lwip_project:lwip",),
        aliases=("lwIP TCP/IP stack",),
        archive_names=("liblwip.a", "liblwipcore.a", "liblwipallapps.a"),
        website="https://savannah.nongnu.org/projects/lwip/",
    ),
    ComponentDef(
        id="mbedtls",
        name="Mbed TLS",
        supplier="Trusted Firmware project (Arm Limited)",
        purl="pkg:github/mbed-tls/mbedtls",
        tag="v{version}",
        # NVD data: arm:mbed_tls (most CVEs), trustedfirmware:mbed_tls (CVE-2022-35409 onwards).
        cpes=("arm:mbed_tls", "trustedfirmware:mbed_tls"),
        aliases=("mbedtls", "mbed-tls", "ARM mbed TLS", "mbed TLS"),
        archive_names=("libmbedtls.a", "libmbedcrypto.a", "libmbedx509.a"),
        website="https://www.trustedfirmware.org/projects/mbed-tls/",
    ),
    ComponentDef(
        id="polarssl",
        name="PolarSSL",
        supplier="Brainspark B.V. / Offspark B.V. (PolarSSL)",
        # Mbed TLS's predecessor. Its history lives in the Mbed TLS repository (polarssl-x.y.z
        # tags), but it is a separate NVD product; a generic purl keeps the two identities apart.
        purl="pkg:generic/polarssl",
        # NVD data: polarssl:polarssl.
        cpes=("polarssl:polarssl",),
        archive_names=("libpolarssl.a",),
        website="https://tls.mbed.org/",
    ),
    ComponentDef(
        id="wolfssl",
        name="wolfSSL",
        supplier="wolfSSL Inc.",
        purl="pkg:github/wolfssl/wolfssl",
        tag="v{version}-stable",
        # NVD data: wolfssl:wolfssl.
        cpes=("wolfssl:wolfssl",),
        aliases=("CyaSSL", "wolfssl-embedded-ssl"),
        archive_names=("libwolfssl.a",),
        website="https://www.wolfssl.com/",
    ),
    ComponentDef(
        id="openssl",
        name="OpenSSL",
        supplier="OpenSSL Software Foundation",
        # Tags differ by release line (OpenSSL_1_1_1k, openssl-3.0.13); the purl spec's own
        # generic example is pkg:generic/openssl@<version>.
        purl="pkg:generic/openssl",
        # NVD data: openssl:openssl.
        cpes=("openssl:openssl",),
        archive_names=("libssl.a", "libcrypto.a"),
        website="https://www.openssl.org/",
    ),
    ComponentDef(
        id="zlib",
        name="zlib",
        supplier="Jean-loup Gailly and Mark Adler",
        purl="pkg:github/madler/zlib",
        tag="v{version}",
        # NVD data: zlib:zlib.
        cpes=("zlib:zlib",),
        archive_names=("libz.a", "libzlib.a", "libzlibstatic.a"),
        website="https://zlib.net/",
    ),
    ComponentDef(
        id="cjson",
        name="cJSON",
        supplier="Dave Gamble and cJSON contributors",
        purl="pkg:github/davegamble/cjson",
        tag="v{version}",
        # NVD data: cjson_project:cjson (CVE-2023-50471), davegamble:cjson (CVE-2019-11834).
        cpes=("cjson_project:cjson", "davegamble:cjson"),
        archive_names=("libcjson.a",),
        website="https://github.com/DaveGamble/cJSON",
    ),
    ComponentDef(
        id="fatfs",
        name="FatFs",
        supplier="ChaN (elm-chan.org)",
        # Distributed as archives from elm-chan.org; releases are named R0.15, R0.14b ...
        purl="pkg:generic/fatfs",
        # NVD dictionary (not in the local data): elm-chan:fatfs, versions written r0.16.
        cpes=("elm-chan:fatfs",),
        aliases=("FatFS", "Generic FAT Filesystem module"),
        website="http://elm-chan.org/fsw/ff/",
    ),
    ComponentDef(
        id="littlefs",
        name="littlefs",
        supplier="littlefs authors (Arm Limited)",
        purl="pkg:github/littlefs-project/littlefs",
        tag="v{version}",
        # No NVD product: not in the local data, and dictionary look-ups recorded by Zephyr
        # module tooling (littlefs_project:littlefs) found none.
        cpes=(),
        aliases=("LittleFS", "lfs"),
        archive_names=("liblittlefs.a",),
        website="https://github.com/littlefs-project/littlefs",
    ),
    ComponentDef(
        id="cmsis-core",
        name="CMSIS-Core(M)",
        supplier="Arm Limited",
        # cmsis_version.h states the Core(M) component version (5.6), not the CMSIS pack release
        # (5.9.0) the repository tags, so the repository's purl would name the wrong thing.
        purl="pkg:generic/arm/cmsis-core",
        # No NVD product: the dictionary has only arm:cmsis-rtos, a different product.
        cpes=(),
        aliases=("CMSIS", "CMSIS Core", "CMSIS-Core"),
        website="https://arm-software.github.io/CMSIS_5/Core/html/index.html",
    ),
    ComponentDef(
        id="nrf5-sdk",
        name="nRF5 SDK",
        supplier="Nordic Semiconductor ASA",
        # Published as zip archives on nordicsemi.com, not in a public repository.
        purl="pkg:generic/nordic/nrf5-sdk",
        # No NVD product found in the local data; left empty rather than guessed.
        cpes=(),
        aliases=("nRF5_SDK", "Nordic nRF5 SDK"),
        website="https://www.nordicsemi.com/Products/Development-software/nRF5-SDK",
    ),
    ComponentDef(
        id="zephyr",
        name="Zephyr RTOS",
        supplier="Zephyr Project (Linux Foundation)",
        purl="pkg:github/zephyrproject-rtos/zephyr",
        tag="v{version}",
        # NVD dictionary (not in the local data): o:zephyrproject:zephyr, the CPE Zephyr's own
        # ``west spdx`` writes (scripts/west_commands/zspdx/walker.py).
        cpes=("zephyrproject:zephyr",),
        cpe_part="o",
        aliases=("Zephyr",),
        website="https://www.zephyrproject.org/",
    ),
    ComponentDef(
        id="esp-idf",
        name="ESP-IDF",
        supplier="Espressif Systems",
        purl="pkg:github/espressif/esp-idf",
        tag="v{version}",
        # NVD dictionary (not in the local data): espressif:esp-idf.
        cpes=("espressif:esp-idf",),
        aliases=("Espressif IoT Development Framework", "idf"),
        website="https://github.com/espressif/esp-idf",
    ),
    ComponentDef(
        id="nanopb",
        name="nanopb",
        supplier="Petteri Aimonen and nanopb contributors",
        purl="pkg:github/nanopb/nanopb",
        tag="nanopb-{version}",
        # NVD dictionary (not in the local data): nanopb_project:nanopb, as declared by nanopb's
        # own zephyr/module.yml.
        cpes=("nanopb_project:nanopb",),
        archive_names=("libprotobuf-nanopb.a",),
        website="https://jpa.kapsi.fi/nanopb/",
    ),
    ComponentDef(
        id="tinycbor",
        name="TinyCBOR",
        supplier="Intel Corporation",
        purl="pkg:github/intel/tinycbor",
        tag="v{version}",
        # No NVD product found in the local data; left empty rather than guessed.
        cpes=(),
        archive_names=("libtinycbor.a",),
        website="https://github.com/intel/tinycbor",
    ),
    ComponentDef(
        id="paho-mqtt-c",
        name="Eclipse Paho MQTT C client",
        supplier="Eclipse Foundation",
        purl="pkg:github/eclipse/paho.mqtt.c",
        tag="v{version}",
        # No NVD product found in the local data; left empty rather than guessed.
        cpes=(),
        aliases=("Paho MQTT C", "paho.mqtt.c", "paho-mqtt-c"),
        archive_names=(
            "libpaho-mqtt3c.a",
            "libpaho-mqtt3cs.a",
            "libpaho-mqtt3a.a",
            "libpaho-mqtt3as.a",
        ),
        website="https://eclipse.dev/paho/",
    ),
    ComponentDef(
        id="coremqtt",
        name="coreMQTT",
        supplier=_AWS_FREERTOS,
        purl="pkg:github/freertos/coremqtt",
        tag="v{version}",
        # No NVD product found in the local data; left empty rather than guessed.
        cpes=(),
        website="https://github.com/FreeRTOS/coreMQTT",
    ),
    ComponentDef(
        id="corehttp",
        name="coreHTTP",
        supplier=_AWS_FREERTOS,
        purl="pkg:github/freertos/corehttp",
        tag="v{version}",
        # No NVD product for AWS coreHTTP. frank_yaul:corehttp in the NVD data is an unrelated
        # web server of the same name and must not be used.
        cpes=(),
        website="https://github.com/FreeRTOS/coreHTTP",
    ),
    ComponentDef(
        id="libcoap",
        name="libcoap",
        supplier="Olaf Bergmann and libcoap contributors",
        purl="pkg:github/obgm/libcoap",
        tag="v{version}",
        # NVD dictionary (not in the local data): libcoap:libcoap (cve-bin-tool's checker).
        cpes=("libcoap:libcoap",),
        archive_names=("libcoap-3.a", "libcoap-3-openssl.a", "libcoap-2.a", "libcoap-1.a"),
        website="https://libcoap.net/",
    ),
    ComponentDef(
        id="curl",
        name="curl",
        supplier="Daniel Stenberg and curl contributors",
        purl="pkg:github/curl/curl",
        tag="curl-{underscored}",
        # NVD data: haxx:libcurl and haxx:curl (current); older records use curl:curl,
        # libcurl:libcurl and daniel_stenberg:curl (2005-2008), not listed.
        cpes=("haxx:libcurl", "haxx:curl"),
        aliases=("libcurl",),
        archive_names=("libcurl.a",),
        website="https://curl.se/",
    ),
    ComponentDef(
        id="sqlite",
        name="SQLite",
        supplier="SQLite Consortium (Hipp, Wyrick & Company)",
        # Developed in Fossil at sqlite.org; the GitHub repository is a read-only mirror.
        purl="pkg:generic/sqlite",
        # NVD data: sqlite:sqlite.
        cpes=("sqlite:sqlite",),
        aliases=("sqlite3",),
        archive_names=("libsqlite3.a",),
        website="https://www.sqlite.org/",
    ),
    ComponentDef(
        id="expat",
        name="Expat",
        supplier="Expat development team",
        purl="pkg:github/libexpat/libexpat",
        tag="R_{underscored}",
        # NVD data: libexpat_project:libexpat.
        cpes=("libexpat_project:libexpat",),
        aliases=("libexpat",),
        archive_names=("libexpat.a",),
        website="https://libexpat.github.io/",
    ),
    ComponentDef(
        id="libpng",
        name="libpng",
        supplier="PNG Reference Library maintainers",
        purl="pkg:github/pnggroup/libpng",
        tag="v{version}",
        # NVD data: libpng:libpng (most records), greg_roelofs:libpng (older records).
        cpes=("libpng:libpng", "greg_roelofs:libpng"),
        archive_names=("libpng16.a", "libpng.a"),
        website="http://www.libpng.org/pub/png/libpng.html",
    ),
    ComponentDef(
        id="busybox",
        name="BusyBox",
        supplier="BusyBox project",
        purl="pkg:generic/busybox",
        # NVD data: busybox:busybox (rob_landley:busybox only for a 2006 record).
        cpes=("busybox:busybox",),
        website="https://busybox.net/",
    ),
    ComponentDef(
        id="u-boot",
        name="Das U-Boot",
        supplier="DENX Software Engineering and U-Boot contributors",
        # Developed at source.denx.de; GitHub holds a mirror.
        purl="pkg:generic/u-boot",
        # NVD data: denx:u-boot.
        cpes=("denx:u-boot",),
        aliases=("U-Boot", "uboot"),
        website="https://www.denx.de/project/u-boot/",
    ),
    ComponentDef(
        id="segger-rtt",
        name="SEGGER RTT",
        supplier="SEGGER Microcontroller GmbH",
        # Distributed with J-Link software packs; no public home of SEGGER's own to name.
        purl="pkg:generic/segger/rtt",
        # No NVD product (dictionary searches recorded by Zephyr module tooling found none).
        cpes=(),
        aliases=("Real Time Transfer", "SEGGER_RTT"),
        website="https://www.segger.com/products/debug-probes/j-link/technology/about-real-time-transfer/",
    ),
    ComponentDef(
        id="segger-systemview",
        name="SEGGER SystemView target sources",
        supplier="SEGGER Microcontroller GmbH",
        purl="pkg:generic/segger/systemview",
        # No NVD product (dictionary searches recorded by Zephyr module tooling found none).
        cpes=(),
        aliases=("SystemView", "SEGGER SystemView"),
        website="https://www.segger.com/products/development-tools/systemview/",
    ),
    ComponentDef(
        id="percepio-trace-recorder",
        name="Percepio TraceRecorder",
        supplier="Percepio AB",
        # The GitHub repository's tag names could not be confirmed; a generic purl is used.
        purl="pkg:generic/percepio/tracerecorder",
        # No NVD product (dictionary searches recorded by Zephyr module tooling found none).
        cpes=(),
        aliases=("Tracealyzer recorder", "TraceRecorder"),
        website="https://percepio.com/tracealyzer/",
    ),
    ComponentDef(
        id="arduinojson",
        name="ArduinoJson",
        supplier="Benoit Blanchon",
        purl="pkg:github/bblanchon/arduinojson",
        tag="v{version}",
        # NVD data: arduino_json_project:arduino_json (CVE-2015-4590).
        cpes=("arduino_json_project:arduino_json",),
        aliases=("Arduino JSON",),
        website="https://arduinojson.org/",
    ),
)

# Components the compiled-image signatures (binary_signatures.py) recognise in embedded Linux
# images, beyond the list of vendored sources.
_IMAGE_ONLY: tuple[ComponentDef, ...] = (
    ComponentDef(
        id="bzip2",
        name="bzip2",
        supplier="bzip2 project (sourceware.org)",
        purl="pkg:generic/bzip2",
        # NVD data: bzip:bzip2.
        cpes=("bzip:bzip2",),
        archive_names=("libbz2.a",),
        website="https://sourceware.org/bzip2/",
    ),
    ComponentDef(
        id="gnutls",
        name="GnuTLS",
        supplier="GnuTLS project",
        purl="pkg:generic/gnutls",
        # NVD data: gnu:gnutls.
        cpes=("gnu:gnutls",),
        archive_names=("libgnutls.a",),
        website="https://www.gnutls.org/",
    ),
    ComponentDef(
        id="libjpeg-turbo",
        name="libjpeg-turbo",
        supplier="libjpeg-turbo project",
        purl="pkg:github/libjpeg-turbo/libjpeg-turbo",
        # NVD dictionary (not in the local data): libjpeg-turbo:libjpeg-turbo and
        # d.r.commander:libjpeg-turbo (cve-bin-tool's checker).
        cpes=("libjpeg-turbo:libjpeg-turbo", "d.r.commander:libjpeg-turbo"),
        archive_names=("libjpeg.a", "libturbojpeg.a"),
        website="https://libjpeg-turbo.org/",
    ),
    ComponentDef(
        id="libxml2",
        name="libxml2",
        supplier="GNOME project (libxml2)",
        purl="pkg:generic/libxml2",
        # NVD data: xmlsoft:libxml2.
        cpes=("xmlsoft:libxml2",),
        archive_names=("libxml2.a",),
        website="https://gitlab.gnome.org/GNOME/libxml2",
    ),
    ComponentDef(
        id="openssh",
        name="OpenSSH",
        supplier="OpenBSD project",
        purl="pkg:generic/openssh",
        # NVD data: openbsd:openssh.
        cpes=("openbsd:openssh",),
        website="https://www.openssh.com/",
    ),
    ComponentDef(
        id="pcre2",
        name="PCRE2",
        supplier="PCRE2 project",
        purl="pkg:github/pcre2project/pcre2",
        tag="pcre2-{version}",
        # NVD data: pcre:pcre2.
        cpes=("pcre:pcre2",),
        archive_names=("libpcre2-8.a",),
        website="https://github.com/PCRE2Project/pcre2",
    ),
    ComponentDef(
        id="xz",
        name="XZ Utils (liblzma)",
        supplier="Tukaani Project",
        purl="pkg:github/tukaani-project/xz",
        tag="v{version}",
        # NVD data: tukaani:xz.
        cpes=("tukaani:xz",),
        aliases=("xz", "liblzma", "xz-utils"),
        archive_names=("liblzma.a",),
        website="https://tukaani.org/xz/",
    ),
    ComponentDef(
        id="zstd",
        name="Zstandard (libzstd)",
        supplier="Meta Platforms, Inc. (facebook/zstd)",
        purl="pkg:github/facebook/zstd",
        tag="v{version}",
        # NVD dictionary (not in the local data): facebook:zstandard (cve-bin-tool's checker,
        # CVE-2019-11922).
        cpes=("facebook:zstandard",),
        aliases=("zstandard", "libzstd"),
        archive_names=("libzstd.a",),
        website="https://facebook.github.io/zstd/",
    ),
)

# The toolchain's own runtime, which a linker map shows linked into every image: the C library
# (glibc, newlib, musl) and GCC's runtime libraries. Their archives share names (``libc.a`` is
# glibc's, newlib's and musl's), so only the unambiguous ones are in ``archive_names``;
# ``linkmap_runtime.py`` decides the rest from the archive's path.
_RUNTIME: tuple[ComponentDef, ...] = (
    ComponentDef(
        id="glibc",
        name="GNU C Library (glibc)",
        supplier="GNU project (Free Software Foundation)",
        purl="pkg:generic/glibc",
        # NVD data: gnu:glibc.
        cpes=("gnu:glibc",),
        aliases=("GNU C Library", "libc6"),
        archive_names=("libc_nonshared.a",),
        website="https://www.gnu.org/software/libc/",
    ),
    ComponentDef(
        id="newlib",
        name="newlib",
        supplier="newlib project (sourceware.org)",
        purl="pkg:generic/newlib",
        # No NVD product confirmed: newlib's CVEs (CVE-2019-14871 to -14878, CVE-2021-3420) are
        # not in the local data and their CPE could not be checked offline; left empty rather
        # than guessed.
        cpes=(),
        aliases=("newlib-nano", "newlib nano"),
        archive_names=(
            "libc_nano.a",
            "libg_nano.a",
            "libm_nano.a",
            "libnosys.a",
            "librdimon.a",
            "librdimon_nano.a",
            "librdpmon.a",
        ),
        website="https://sourceware.org/newlib/",
    ),
    ComponentDef(
        id="musl",
        name="musl libc",
        supplier="musl project (Rich Felker and contributors)",
        purl="pkg:generic/musl",
        # NVD data: musl-libc:musl.
        cpes=("musl-libc:musl",),
        aliases=("musl",),
        website="https://musl.libc.org/",
    ),
    ComponentDef(
        id="libgcc",
        name="libgcc (GCC runtime library)",
        supplier="GNU project (Free Software Foundation)",
        purl="pkg:generic/gcc/libgcc",
        # NVD data: gnu:gcc, the product under which the NVD files GCC's runtime libraries
        # as well as the compiler.
        cpes=("gnu:gcc",),
        archive_names=("libgcc.a", "libgcc_eh.a", "libgcov.a"),
        website="https://gcc.gnu.org/onlinedocs/gccint/Libgcc.html",
    ),
    ComponentDef(
        id="libstdcxx",
        name="libstdc++ (GCC C++ runtime library)",
        supplier="GNU project (Free Software Foundation)",
        purl="pkg:generic/gcc/libstdc%2B%2B",
        # NVD data: gnu:gcc (see libgcc).
        cpes=("gnu:gcc",),
        aliases=("libstdc++",),
        archive_names=(
            "libstdc++.a",
            "libsupc++.a",
            "libstdc++_nano.a",
            "libsupc++_nano.a",
            "libstdc++fs.a",
            "libstdc++exp.a",
        ),
        website="https://gcc.gnu.org/onlinedocs/libstdc++/",
    ),
)

# Vendored JavaScript, found in device web UIs by its release banner. NVD CPEs for these are not
# in the local data; the pairs are those of the NVD dictionary as listed by web-technology
# fingerprint databases (Wappalyzer's technologies, retire.js-style mappings) and were checked to
# agree across several of them: getbootstrap:bootstrap, chartjs:chart.js, momentjs:moment,
# lodash:lodash, angularjs:angular.js. jquery:jquery is in the NVD data (CVE-2015-9251).
_JAVASCRIPT: tuple[ComponentDef, ...] = (
    ComponentDef(
        id="jquery",
        name="jQuery",
        supplier="OpenJS Foundation",
        purl="pkg:npm/jquery",
        cpes=("jquery:jquery",),
        website="https://jquery.com/",
    ),
    ComponentDef(
        id="bootstrap",
        name="Bootstrap",
        supplier="The Bootstrap Authors",
        purl="pkg:npm/bootstrap",
        cpes=("getbootstrap:bootstrap",),
        aliases=("Twitter Bootstrap",),
        website="https://getbootstrap.com/",
    ),
    ComponentDef(
        id="chartjs",
        name="Chart.js",
        supplier="Chart.js contributors",
        purl="pkg:npm/chart.js",
        cpes=("chartjs:chart.js",),
        aliases=("chartjs",),
        website="https://www.chartjs.org/",
    ),
    ComponentDef(
        id="moment",
        name="Moment.js",
        supplier="Moment.js contributors (OpenJS Foundation)",
        purl="pkg:npm/moment",
        cpes=("momentjs:moment",),
        aliases=("moment", "momentjs"),
        website="https://momentjs.com/",
    ),
    ComponentDef(
        id="lodash",
        name="Lodash",
        supplier="OpenJS Foundation and Lodash contributors",
        purl="pkg:npm/lodash",
        cpes=("lodash:lodash",),
        website="https://lodash.com/",
    ),
    ComponentDef(
        id="angularjs",
        name="AngularJS",
        supplier="Google LLC",
        purl="pkg:npm/angular",
        cpes=("angularjs:angular.js",),
        aliases=("angular.js",),
        website="https://angularjs.org/",
    ),
)

STM32_SERIES: tuple[str, ...] = (
    "c0", "f0", "f1", "f2", "f3", "f4", "f7", "g0", "g4", "h5", "h7", "h7rs",
    "l0", "l1", "l4", "l5", "mp1", "n6", "u0", "u3", "u5", "wb", "wba", "wl",
)  # fmt: skip
"""STM32 series with an STM32Cube package on GitHub (STM32CubeF4, stm32f4xx_hal_driver, ...)."""


def _stm32(series: str) -> tuple[ComponentDef, ...]:
    # One entry per series and part: each is released and tagged on its own (STM32CubeF4 v1.28.0
    # bundles stm32f4xx_hal_driver v1.8.3 and cmsis_device_f4 v2.6.10). No NVD products exist
    # for them (dictionary searches recorded by Zephyr module tooling found none per series).
    upper = series.upper()
    return (
        ComponentDef(
            id=f"stm32{series}xx-hal-driver",
            name=f"STM32{upper}xx HAL and LL drivers",
            supplier=_ST,
            purl=f"pkg:github/stmicroelectronics/stm32{series}xx_hal_driver",
            tag="v{version}",
            cpes=(),
            aliases=(f"STM32{upper}xx_HAL_Driver", f"stm32{series}xx_hal_driver"),
            website=f"https://github.com/STMicroelectronics/stm32{series}xx_hal_driver",
        ),
        ComponentDef(
            id=f"stm32{series}xx-cmsis-device",
            name=f"STM32{upper}xx CMSIS device headers",
            supplier=_ST,
            purl=f"pkg:github/stmicroelectronics/cmsis_device_{series}",
            tag="v{version}",
            cpes=(),
            aliases=(f"cmsis_device_{series}",),
            website=f"https://github.com/STMicroelectronics/cmsis_device_{series}",
        ),
        ComponentDef(
            id=f"stm32cube{series}",
            name=f"STM32Cube{upper}",
            supplier=_ST,
            purl=f"pkg:github/stmicroelectronics/stm32cube{series}",
            tag="v{version}",
            cpes=(),
            aliases=(f"STM32Cube{upper}", f"STM32Cube_FW_{upper}"),
            website=f"https://github.com/STMicroelectronics/STM32Cube{upper}",
        ),
    )


CATALOGUE: tuple[ComponentDef, ...] = (
    *_CORE,
    *_IMAGE_ONLY,
    *_RUNTIME,
    *_JAVASCRIPT,
    *(entry for series in STM32_SERIES for entry in _stm32(series)),
)


@cache
def _index() -> dict[str, ComponentDef]:
    return {d.id: d for d in CATALOGUE}


def by_id(component_id: str) -> ComponentDef:
    return _index()[component_id]


def _squash(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


@cache
def _by_name() -> dict[str, ComponentDef]:
    table: dict[str, ComponentDef] = {}
    for d in CATALOGUE:
        for name in (d.id, d.name, *d.aliases):
            table.setdefault(_squash(name), d)
    return table


@cache
def _by_purl() -> dict[tuple[str, str | None, str], ComponentDef]:
    table: dict[tuple[str, str | None, str], ComponentDef] = {}
    for d in CATALOGUE:
        p = PackageURL.from_string(d.purl)
        table[(p.type, (p.namespace or "").lower() or None, p.name.lower())] = d
    return table


@cache
def _by_cpe() -> dict[str, ComponentDef]:
    table: dict[str, ComponentDef] = {}
    for d in CATALOGUE:
        for pair in d.cpes:
            table.setdefault(pair, d)  # gnu:gcc: libgcc, listed before libstdc++
    return table


@cache
def _by_archive() -> dict[str, ComponentDef]:
    return {name.lower(): d for d in CATALOGUE for name in d.archive_names}


def by_archive(name: str) -> ComponentDef | None:
    """The entry built as the library archive ``name`` (a file name, any case: ``LIBZ.A``)."""
    return _by_archive().get(name.lower())


def lookup(
    *, name: str | None = None, purl: str | None = None, cpes: Iterable[str] = ()
) -> ComponentDef | None:
    """The catalogue entry a record refers to, by purl first, then CPE, then name."""
    if purl:
        try:
            p = PackageURL.from_string(purl)
        except ValueError:
            p = None
        if p is not None:
            hit = _by_purl().get((p.type, (p.namespace or "").lower() or None, p.name.lower()))
            if hit:
                return hit
    for cpe in cpes:
        parts = cpe.split(":")
        if len(parts) > 5 and parts[1] == "2.3":
            hit = _by_cpe().get(f"{parts[3]}:{parts[4]}")
            if hit:
                return hit
        elif len(parts) > 3 and cpe.startswith("cpe:/"):
            hit = _by_cpe().get(f"{parts[2]}:{parts[3]}")
            if hit:
                return hit
    if name:
        return _by_name().get(_squash(name))
    return None


def make_component(
    definition: ComponentDef,
    version: str | None,
    origin: Origin,
    *,
    version_spec: str | None = None,
    properties: tuple[tuple[str, str], ...] = (),
) -> Component:
    """The component ``definition`` describes, found at ``origin`` (``version`` None: unknown)."""
    return Component(
        name=definition.name,
        version=version,
        component_class=definition.component_class,
        purl=definition.purl_for(version),
        cpes=definition.cpes_for(version),
        supplier=definition.supplier,
        origins=(origin,),
        version_spec=version_spec,
        properties=properties,
        catalogue_id=definition.id,
    )
