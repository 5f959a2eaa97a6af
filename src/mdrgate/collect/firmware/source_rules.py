"""How vendored components state their own version in their sources, keyed by catalogue id.

Each rule names the files that carry a component's version (a header, a ``VERSION`` file, a
``Makefile``, a release banner in a ``.js`` file) and the declarations to read in them. Rules are
data; the reading is done by ``sources.py``. Every pattern was written against the real file of
at least one release (the test assets hold excerpts of them).

A rule is careful about *identity* before it is about versions:

- files with a name only the component uses (``curlver.h``, ``SEGGER_RTT.h``) are the
  component's, whatever they contain: when their version cannot be read the component is kept
  as a known unknown;
- files with a common name (``task.h``, ``ff.h``, ``Makefile``, ``VERSION``, ``*.js``) are the
  component's only when a *marker* is found in their first bytes, sometimes with a *confirm*
  pattern further in and *siblings* next to them; ``reject`` names look-alikes (wolfSSL's and
  LibreSSL's ``opensslv.h``, zlib-ng's ``zlib.h``) that are other products.

A declaration is one statement of the version: one regular expression (every occurrence counts)
or several whose values are assembled (``MAJOR.MINOR.PATCH``). Values that are not a release of
the component (``V11.1.0+``, ``nanopb-0.4.8-dev``, patch level 99) fail the rule's ``release``
pattern and make a known unknown that keeps the declared text; ``partial`` rules state less than
a release (littlefs's ``LFS_VERSION`` holds major and minor only) and always do.

This module is imported by the claimer that every file of a tree is offered to: it holds
strings and small functions only; patterns are compiled on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

Values = Mapping[str, str]
Build = Callable[[Values], str | None]
"""Turns the values a declaration's patterns captured into a version (``None``: unreadable)."""

_DEFINE = r"^[ \t]*#[ \t]*define[ \t]+"
"""The start of a ``#define`` line: commented-out defines (``/* #define X "a" */``) do not match."""


def _define(name: str, value: str = r'"([^"\n]*)"') -> str:
    return _DEFINE + name + r"[ \t]+" + value


_INT = r"\(?[ \t]*((?:0[xX][0-9A-Fa-f]+|\d+)[uUlL]*)[ \t]*\)?"
"""A C integer constant, optionally parenthesised and suffixed: ``(0x0AU)``, ``10``, ``( 5U)``."""


def c_int(text: str) -> int | None:
    """The value of a C integer literal (``0x0AU`` is 10), ``None`` when it is not one."""
    literal = text.strip().rstrip("uUlL")
    try:
        return int(literal, 16) if literal.lower().startswith("0x") else int(literal, 10)
    except ValueError:
        return None


def first(values: Values) -> str | None:
    return next(iter(values.values()), None)


def dotted(*keys: str) -> Build:
    """``major.minor.patch`` from integer parts (decimal or hex literals)."""

    def build(values: Values) -> str | None:
        numbers = [c_int(values[key]) for key in keys]
        if any(n is None for n in numbers):
            return None
        return ".".join(str(n) for n in numbers)

    return build


@dataclass(frozen=True, slots=True)
class Declaration:
    """One statement of the version in a file.

    With one pattern, every occurrence is a statement (``#ifdef`` branches may state it twice).
    With several, the first occurrence of each is assembled by ``build``; parts named in
    ``optional`` may be missing (they are then passed as ``""``).
    """

    parts: tuple[tuple[str, str], ...]
    """(key, pattern); each pattern's first group is the value. Searched line-wise (MULTILINE)."""
    build: Build = first
    optional: frozenset[str] = frozenset()
    what: str = ""
    """How people name this declaration in messages (``LIBCURL_VERSION``)."""

    @property
    def label(self) -> str:
        return self.what or "/".join(key for key, _ in self.parts)


def single(pattern: str, what: str) -> Declaration:
    return Declaration((("v", pattern),), what=what)


@dataclass(frozen=True, slots=True)
class SourceRule:
    """Which files state a component's version, and how."""

    component: str
    """The catalogue id (or ``ARDUINO_LIBRARY`` for a library.properties of any library)."""
    declarations: tuple[Declaration, ...]
    names: tuple[str, ...] = ()
    """File names, exact."""
    name_pattern: str | None = None
    """A regular expression the whole file name must match (``lodash.*\\.js``)."""
    suffixes: tuple[str, ...] = ()
    """The path must end with one of these (``mbedtls/version.h``), when any are given."""
    marker: str | None = None
    """Must be found in the first ``CLAIM_HEAD`` bytes for the file to be the component's."""
    confirm: str | None = None
    """Must also be found in the first ``head`` bytes (for markers that look-alikes share)."""
    reject: str | None = None
    """When found in the first ``head`` bytes, the file belongs to another product."""
    siblings: tuple[str, ...] = ()
    """At least one of these must exist next to the file (Zephyr's ``VERSION`` beside
    ``zephyr-env.sh``: applications have ``VERSION`` files of the same format)."""
    defers: str | None = None
    """When nothing is declared and this is found, the version is stated in another file (Mbed
    TLS 3's ``version.h`` includes ``build_info.h``): the file yields nothing."""
    release: str = r"\d+(?:\.\d+)+"
    """What a release version looks like (full match); other declared values are not exact."""
    partial: bool = False
    """The file never states a full release version; what it states is kept as a version spec."""
    head: int = 64 * 1024
    """Bytes read from the start of the file; declarations beyond are not seen."""
    layouts: tuple[str, ...] = ()
    """Paths of this file below the component's root directory, most specific first; the root
    is recorded so that a linker map can later tell whether the component was compiled."""
    note: str = ""
    """Why a non-release value is not exact, for messages."""
    extra: tuple[tuple[str, str], ...] = ()
    """Rule-specific data (the Arduino library names that are catalogue components)."""


CLAIM_HEAD = 16 * 1024
"""Bytes a claimer reads to check a marker (files with a common name only)."""
JS_HEAD = 8 * 1024
"""Release banners sit at the start of a ``.js`` file; Lodash's minified ``VERSION`` follows
within its first 5 KiB."""
ARDUINO_LIBRARY = "arduino-library"
"""Pseudo component id of rules for Arduino ``library.properties`` files."""


# --- builders for composite versions --------------------------------------------------------


def _lwip(values: Values) -> str | None:
    # init.h: LWIP_VERSION_RC is LWIP_RC_RELEASE (255), LWIP_RC_DEVELOPMENT (0) or an RC number;
    # the suffixes are those of LWIP_VERSION_STRING ("", "d", "rcN").
    base = dotted("major", "minor", "revision")(values)
    rc = values.get("rc", "")
    if base is None:
        return None
    if rc in ("", "LWIP_RC_RELEASE", "255"):
        return base
    if rc in ("LWIP_RC_DEVELOPMENT", "0"):
        return base + "d"
    number = c_int(rc)
    return f"{base}rc{number}" if number is not None else None


def _stm32(values: Values) -> str | None:
    # stm32xxxx_hal.c / stm32xxxx.h: MAIN.SUB1.SUB2, and RC != 0 for a release candidate.
    base = dotted("main", "sub1", "sub2")(values)
    rc = c_int(values.get("rc") or "0")
    if base is None or rc is None:
        return None
    return base if rc == 0 else f"{base}-rc{rc}"


def _openssl3(values: Values) -> str | None:
    return values["str"] + values.get("pre", "")


def _zephyr(values: Values) -> str | None:
    base = dotted("major", "minor", "patch")(values)
    extra = values.get("extra", "")
    if base is None:
        return None
    return f"{base}-{extra}" if extra else base


def _kbuild(values: Values) -> str | None:
    # BusyBox's KERNELVERSION: $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)$(EXTRAVERSION).
    return (
        f"{values['version']}.{values['patchlevel']}.{values['sublevel']}{values.get('extra', '')}"
    )


def _uboot(values: Values) -> str | None:
    # U-Boot's UBOOTVERSION: $(VERSION)$(if $(PATCHLEVEL),.$(PATCHLEVEL)$(if $(SUBLEVEL),
    # .$(SUBLEVEL)))$(EXTRAVERSION).
    version = values["version"]
    if values.get("patchlevel"):
        version += "." + values["patchlevel"]
        if values.get("sublevel"):
            version += "." + values["sublevel"]
    return version + values.get("extra", "")


def _littlefs(values: Values) -> str | None:
    # LFS_VERSION 0x00020005: major in the top 16 bits, minor in the bottom 16 (lfs.h).
    number = c_int(values["v"])
    if number is None:
        return None
    return f"{number >> 16}.{number & 0xFFFF}"


FATFS_REVISIONS: Mapping[str, str] = {
    "68300": "R0.12c",
    "87030": "R0.13",
    "63463": "R0.13b",
    "86604": "R0.13c",
    "86606": "R0.14",
    "86631": "R0.14b",
    "80286": "R0.15",
    "80386": "R0.16",
}
"""FatFs's revision IDs (``FF_DEFINED``, ``_FATFS`` before R0.13) and the releases they belong
to, each read from a real ``ff.h`` whose banner names the release. IDs not listed are reported
as unknown rather than guessed."""


def _fatfs_revision(values: Values) -> str | None:
    return FATFS_REVISIONS.get(values["v"])


def _cube_release(values: Values) -> str | None:
    # package.xml: Release="FW.F4.1.25.0" Patch="FW.F4.1.25.2" — a patch supersedes the release.
    return values.get("patch") or values["release"]


def _semver_pre(prefix: str = "") -> str:
    """A release, or a tagged pre-release (``-rc1``, ``-beta.2``, ``-alpha1``)."""
    return prefix + r"\d+\.\d+\.\d+(?:-(?:alpha|beta|rc)(?:\.?\d+)*)?"


# --- the rules -------------------------------------------------------------------------------


def _stm32_rules(series: str) -> tuple[SourceRule, ...]:
    upper = series.upper()
    hal_parts = tuple(
        (key, _DEFINE + rf"_*STM32{upper}\w*?_HAL_VERSION_{macro}[ \t]+" + _INT)
        for key, macro in (("main", "MAIN"), ("sub1", "SUB1"), ("sub2", "SUB2"), ("rc", "RC"))
    )
    cmsis_parts = tuple(
        (key, _DEFINE + rf"_*STM32{upper}\w*?_CMSIS_VERSION_{macro}[ \t]+" + _INT)
        for key, macro in (("main", "MAIN"), ("sub1", "SUB1"), ("sub2", "SUB2"), ("rc", "RC"))
    )
    note = "an STM32 release candidate (RC field not 0)"
    return (
        SourceRule(
            component=f"stm32{series}xx-hal-driver",
            names=(f"stm32{series}xx_hal.c",),
            declarations=(
                Declaration(
                    hal_parts,
                    build=_stm32,
                    optional=frozenset({"rc"}),
                    what=f"__STM32{upper}xx_HAL_VERSION_MAIN/SUB1/SUB2/RC",
                ),
                single(
                    rf"STM32{upper}xx HAL Driver version number V(\d+\.\d+\.\d+(?:RC\d+)?)",
                    "HAL driver version comment",
                ),
            ),
            layouts=(f"Src/stm32{series}xx_hal.c",),
            note=note,
        ),
        SourceRule(
            component=f"stm32{series}xx-cmsis-device",
            names=(f"stm32{series}xx.h",),
            marker=r"CMSIS",
            declarations=(
                Declaration(
                    cmsis_parts,
                    build=_stm32,
                    optional=frozenset({"rc"}),
                    what=f"__STM32{upper}xx_CMSIS_VERSION_MAIN/SUB1/SUB2/RC",
                ),
                single(
                    r"CMSIS (?:Device )?version number V(\d+\.\d+\.\d+(?:RC\d+)?)",
                    "CMSIS device version comment",
                ),
            ),
            layouts=(f"Include/stm32{series}xx.h",),
            note=note,
        ),
        SourceRule(
            component=f"stm32cube{series}",
            names=("package.xml",),
            marker=rf'<PackDescription\s[^>]*Release="FW\.{upper}\.',
            declarations=(
                Declaration(
                    (
                        ("release", rf'<PackDescription\s[^>]*Release="FW\.{upper}\.([^"]+)"'),
                        ("patch", rf'<PackDescription\s[^>]*Patch="FW\.{upper}\.([^"]+)"'),
                    ),
                    build=_cube_release,
                    optional=frozenset({"patch"}),
                    what="PackDescription Release/Patch",
                ),
            ),
            layouts=("package.xml",),
        ),
    )


def _stm32_series() -> tuple[str, ...]:
    # Kept in step with the catalogue's STM32 entries without importing the catalogue (and
    # packageurl) into every claim.
    return (
        "c0", "f0", "f1", "f2", "f3", "f4", "f7", "g0", "g4", "h5", "h7", "h7rs",
        "l0", "l1", "l4", "l5", "mp1", "n6", "u0", "u3", "u5", "wb", "wba", "wl",
    )  # fmt: skip


_C_RULES: tuple[SourceRule, ...] = (
    SourceRule(
        component="freertos-kernel",
        names=("task.h",),
        marker=r"tskKERNEL_VERSION_NUMBER",
        declarations=(
            single(
                _define("tskKERNEL_VERSION_NUMBER", r'"V?([^"\s]+)"'), "tskKERNEL_VERSION_NUMBER"
            ),
            single(
                r"^[ \t]*\*?[ \t]*FreeRTOS Kernel V(\d+\.\d+\.\d+\S*)", "FreeRTOS Kernel banner"
            ),
        ),
        layouts=("include/task.h",),
        note="a development version ('+': after the numbered release)",
    ),
    SourceRule(
        component="freertos-plus-tcp",
        names=("FreeRTOS_IP.h",),
        declarations=(
            single(_define("ipFR_TCP_VERSION_NUMBER", r'"V?([^"\s]+)"'), "ipFR_TCP_VERSION_NUMBER"),
            single(r"^[ \t]*\*[ \t]*FreeRTOS\+TCP V(\d+\.\d+\.\d+\S*)", "FreeRTOS+TCP banner"),
        ),
        layouts=("source/include/FreeRTOS_IP.h", "include/FreeRTOS_IP.h"),
        note="a development version ('+': after the numbered release)",
    ),
    SourceRule(
        component="lwip",
        names=("init.h",),
        suffixes=("lwip/init.h",),
        marker=r"LWIP_VERSION_MAJOR",
        declarations=(
            Declaration(
                (
                    ("major", _define("LWIP_VERSION_MAJOR", r"(\d+)")),
                    ("minor", _define("LWIP_VERSION_MINOR", r"(\d+)")),
                    ("revision", _define("LWIP_VERSION_REVISION", r"(\d+)")),
                    ("rc", _define("LWIP_VERSION_RC", r"(\w+)")),
                ),
                build=_lwip,
                optional=frozenset({"rc"}),
                what="LWIP_VERSION_MAJOR/MINOR/REVISION/RC",
            ),
        ),
        release=r"\d+\.\d+\.\d+(?:rc\d+)?",
        layouts=("src/include/lwip/init.h", "include/lwip/init.h", "lwip/init.h"),
        note="a development version (LWIP_VERSION_RC is LWIP_RC_DEVELOPMENT)",
    ),
    SourceRule(
        component="mbedtls",
        names=("version.h", "build_info.h"),
        suffixes=("mbedtls/version.h", "mbedtls/build_info.h"),
        declarations=(
            single(_define("MBEDTLS_VERSION_STRING"), "MBEDTLS_VERSION_STRING"),
            Declaration(
                (
                    ("major", _define("MBEDTLS_VERSION_MAJOR", r"(\d+)")),
                    ("minor", _define("MBEDTLS_VERSION_MINOR", r"(\d+)")),
                    ("patch", _define("MBEDTLS_VERSION_PATCH", r"(\d+)")),
                ),
                build=dotted("major", "minor", "patch"),
                what="MBEDTLS_VERSION_MAJOR/MINOR/PATCH",
            ),
        ),
        # Mbed TLS 3: version.h includes build_info.h, which holds the version macros.
        defers=r'#[ \t]*include[ \t]+["<]mbedtls/build_info\.h[">]',
        layouts=(
            "include/mbedtls/version.h",
            "include/mbedtls/build_info.h",
            "mbedtls/version.h",
            "mbedtls/build_info.h",
        ),
    ),
    SourceRule(
        component="polarssl",
        names=("version.h",),
        suffixes=("polarssl/version.h",),
        declarations=(
            single(_define("POLARSSL_VERSION_STRING"), "POLARSSL_VERSION_STRING"),
            Declaration(
                (
                    ("major", _define("POLARSSL_VERSION_MAJOR", r"(\d+)")),
                    ("minor", _define("POLARSSL_VERSION_MINOR", r"(\d+)")),
                    ("patch", _define("POLARSSL_VERSION_PATCH", r"(\d+)")),
                ),
                build=dotted("major", "minor", "patch"),
                what="POLARSSL_VERSION_MAJOR/MINOR/PATCH",
            ),
        ),
        layouts=("include/polarssl/version.h", "polarssl/version.h"),
    ),
    SourceRule(
        component="wolfssl",
        names=("version.h",),
        suffixes=("wolfssl/version.h",),
        declarations=(single(_define("LIBWOLFSSL_VERSION_STRING"), "LIBWOLFSSL_VERSION_STRING"),),
        layouts=("wolfssl/version.h",),
    ),
    SourceRule(
        component="openssl",
        names=("opensslv.h",),
        suffixes=("openssl/opensslv.h",),
        marker=r"OPENSSL_VERSION_TEXT|OPENSSL_VERSION_STR",
        # Compatibility headers of other TLS libraries use the same path and macros.
        reject=(
            r"wolfSSL|LIBWOLFSSL|LIBRESSL_VERSION|BoringSSL|OPENSSL_IS_BORINGSSL|"
            r"OPENSSL_IS_AWSLC|AWSLC_VERSION|TONGSUO_VERSION|GMSSL_VERSION|BABASSL_VERSION"
        ),
        declarations=(
            # 1.x and 3.x: "OpenSSL 1.1.1k  25 Mar 2021", "OpenSSL 1.0.2u-fips  20 Dec 2019".
            single(
                _define("OPENSSL_VERSION_TEXT", "")
                + r'"OpenSSL (\d+\.\d+\.\d+[a-z]{0,2}(?:-(?:dev|pre\d*|alpha\d*|beta\d*))?)'
                + r'(?=[ \t"]|-fips)',
                "OPENSSL_VERSION_TEXT",
            ),
            # 3.x: "3.0.13" plus OPENSSL_VERSION_PRE_RELEASE ("-alpha1", "-dev" or "").
            Declaration(
                (
                    ("str", _define("OPENSSL_VERSION_STR")),
                    ("pre", _define("OPENSSL_VERSION_PRE_RELEASE")),
                ),
                build=_openssl3,
                optional=frozenset({"pre"}),
                what="OPENSSL_VERSION_STR/PRE_RELEASE",
            ),
        ),
        # Letter releases (1.1.1k, 1.1.1za) and tagged pre-releases (3.2.0-alpha1) are exact.
        release=r"\d+\.\d+\.\d+(?:[a-z]{1,2}|-(?:alpha|beta)\d+)?",
        layouts=("include/openssl/opensslv.h",),
        note="a development snapshot ('-dev')",
    ),
    SourceRule(
        component="zlib",
        names=("zlib.h",),
        reject=r"ZLIBNG_VERSION",
        declarations=(single(_define("ZLIB_VERSION"), "ZLIB_VERSION"),),
        layouts=("zlib.h",),
        note="a development version (zlib names them x.y.z.n-motley)",
    ),
    SourceRule(
        component="cjson",
        names=("cJSON.h",),
        declarations=(
            Declaration(
                (
                    ("major", _define("CJSON_VERSION_MAJOR", r"(\d+)")),
                    ("minor", _define("CJSON_VERSION_MINOR", r"(\d+)")),
                    ("patch", _define("CJSON_VERSION_PATCH", r"(\d+)")),
                ),
                build=dotted("major", "minor", "patch"),
                what="CJSON_VERSION_MAJOR/MINOR/PATCH",
            ),
        ),
        layouts=("cJSON.h",),
    ),
    SourceRule(
        component="fatfs",
        names=("ff.h",),
        marker=r"FatFs|FF_DEFINED|_FATFS",
        declarations=(
            single(r"FatFs - [^\n]*?\b(R\d+\.\d+[a-z]?)\b", "FatFs banner"),
            Declaration(
                (("v", _define(r"(?:FF_DEFINED|_FATFS)", r"(\d+)")),),
                build=_fatfs_revision,
                what="FF_DEFINED revision ID",
            ),
        ),
        release=r"R\d+\.\d+[a-z]?",
        layouts=("source/ff.h", "src/ff.h", "include/ff.h", "ff.h"),
    ),
    SourceRule(
        component="littlefs",
        names=("lfs.h",),
        marker=r"LFS_VERSION",
        declarations=(
            Declaration(
                (("v", _define("LFS_VERSION", r"(0[xX][0-9A-Fa-f]+)")),),
                build=_littlefs,
                what="LFS_VERSION",
            ),
        ),
        partial=True,
        layouts=("lfs.h",),
        note="LFS_VERSION states major and minor only: the patch release cannot be told",
    ),
    SourceRule(
        component="cmsis-core",
        names=("cmsis_version.h",),
        declarations=(
            Declaration(
                (
                    ("main", _define("__CM_CMSIS_VERSION_MAIN", _INT)),
                    ("sub", _define("__CM_CMSIS_VERSION_SUB", _INT)),
                ),
                build=dotted("main", "sub"),
                what="__CM_CMSIS_VERSION_MAIN/SUB",
            ),
        ),
        partial=True,
        layouts=(
            "CMSIS/Core/Include/cmsis_version.h",
            "Core/Include/cmsis_version.h",
            "Include/cmsis_version.h",
        ),
        note="cmsis_version.h states the main and sub version only: the patch release cannot "
        "be told",
    ),
    *(rule for series in _stm32_series() for rule in _stm32_rules(series)),
    SourceRule(
        component="nrf5-sdk",
        names=("release_notes.txt",),
        suffixes=("documentation/release_notes.txt",),
        marker=r"\AnRF5 SDK v\d",
        # The notes list every earlier release too: only the first line is this SDK's.
        declarations=(single(r"\AnRF5 SDK v(\d+\.\d+\.\d+)", "release notes title"),),
        layouts=("documentation/release_notes.txt",),
    ),
    SourceRule(
        component="zephyr",
        names=("VERSION",),
        marker=r"^VERSION_MAJOR[ \t]*=[ \t]*\d+",
        siblings=("zephyr-env.sh", "Kconfig.zephyr"),
        declarations=(
            Declaration(
                (
                    ("major", r"^VERSION_MAJOR[ \t]*=[ \t]*(\d+)"),
                    ("minor", r"^VERSION_MINOR[ \t]*=[ \t]*(\d+)"),
                    ("patch", r"^PATCHLEVEL[ \t]*=[ \t]*(\d+)"),
                    ("extra", r"^EXTRAVERSION[ \t]*=[ \t]*(\S*)[ \t]*$"),
                ),
                build=_zephyr,
                optional=frozenset({"extra"}),
                what="VERSION_MAJOR/MINOR/PATCHLEVEL/EXTRAVERSION",
            ),
        ),
        # PATCHLEVEL 99 marks the development tree after a release.
        release=r"\d+\.\d+\.(?!99$)\d+(?:-rc\d+)?",
        layouts=("VERSION",),
        note="a development tree (PATCHLEVEL 99) or an untagged EXTRAVERSION",
    ),
    SourceRule(
        component="esp-idf",
        names=("esp_idf_version.h",),
        declarations=(
            Declaration(
                (
                    ("major", _define("ESP_IDF_VERSION_MAJOR", r"(\d+)")),
                    ("minor", _define("ESP_IDF_VERSION_MINOR", r"(\d+)")),
                    ("patch", _define("ESP_IDF_VERSION_PATCH", r"(\d+)")),
                ),
                build=dotted("major", "minor", "patch"),
                what="ESP_IDF_VERSION_MAJOR/MINOR/PATCH",
            ),
        ),
        layouts=("components/esp_common/include/esp_idf_version.h",),
    ),
    SourceRule(
        component="nanopb",
        names=("pb.h",),
        marker=r"NANOPB_VERSION",
        # Quoted since 0.4 ("nanopb-0.4.8"), bare before (nanopb-0.2.7-dev).
        declarations=(
            single(_define("NANOPB_VERSION", r'"?nanopb-([^"\s]+)"?'), "NANOPB_VERSION"),
        ),
        layouts=("pb.h",),
        note="a development version ('-dev')",
    ),
    SourceRule(
        component="tinycbor",
        names=("tinycbor-version.h",),
        declarations=(
            Declaration(
                (
                    ("major", _define("TINYCBOR_VERSION_MAJOR", r"(\d+)")),
                    ("minor", _define("TINYCBOR_VERSION_MINOR", r"(\d+)")),
                    ("patch", _define("TINYCBOR_VERSION_PATCH", r"(\d+)")),
                ),
                build=dotted("major", "minor", "patch"),
                what="TINYCBOR_VERSION_MAJOR/MINOR/PATCH",
            ),
        ),
        layouts=("src/tinycbor-version.h",),
    ),
    SourceRule(
        component="paho-mqtt-c",
        # Generated by CMake from src/VersionInfo.h.in; vendored trees carry the generated file.
        names=("VersionInfo.h",),
        marker=r"Paho",
        declarations=(
            single(_define("CLIENT_VERSION"), "CLIENT_VERSION"),
            single(_define("PAHO_MQTT_C_VERSION"), "PAHO_MQTT_C_VERSION"),
        ),
        layouts=("src/VersionInfo.h", "VersionInfo.h"),
        note="not a release version (an unfilled build template?)",
    ),
    SourceRule(
        component="coremqtt",
        names=("core_mqtt.h",),
        declarations=(
            single(_define("MQTT_LIBRARY_VERSION", r'"v?([^"\s]+)"'), "MQTT_LIBRARY_VERSION"),
            single(r"^[ \t]*\*[ \t]*coreMQTT v(\d+\.\d+\.\d+\S*)", "coreMQTT banner"),
        ),
        layouts=("source/include/core_mqtt.h",),
        note="a development version ('+': after the numbered release)",
    ),
    SourceRule(
        component="corehttp",
        names=("core_http_client.h",),
        declarations=(
            single(_define("HTTP_LIBRARY_VERSION", r'"v?([^"\s]+)"'), "HTTP_LIBRARY_VERSION"),
            single(r"^[ \t]*\*[ \t]*coreHTTP v(\d+\.\d+\.\d+\S*)", "coreHTTP banner"),
        ),
        layouts=("source/include/core_http_client.h",),
        note="a development version ('+': after the numbered release)",
    ),
    SourceRule(
        component="libcoap",
        names=("coap.h",),
        suffixes=("coap3/coap.h", "coap2/coap.h", "coap/coap.h"),
        marker=r"LIBCOAP_PACKAGE",
        declarations=(single(_define("LIBCOAP_PACKAGE_VERSION"), "LIBCOAP_PACKAGE_VERSION"),),
        layouts=("include/coap3/coap.h", "include/coap2/coap.h", "include/coap/coap.h"),
    ),
    SourceRule(
        component="curl",
        names=("curlver.h",),
        declarations=(single(_define("LIBCURL_VERSION"), "LIBCURL_VERSION"),),
        layouts=("include/curl/curlver.h",),
        note="a development version ('-DEV')",
    ),
    SourceRule(
        component="sqlite",
        names=("sqlite3.h",),
        declarations=(single(_define("SQLITE_VERSION"), "SQLITE_VERSION"),),
        layouts=("sqlite3.h",),
    ),
    SourceRule(
        component="expat",
        names=("expat.h",),
        marker=r"XML_",
        declarations=(
            Declaration(
                (
                    ("major", _define("XML_MAJOR_VERSION", r"(\d+)")),
                    ("minor", _define("XML_MINOR_VERSION", r"(\d+)")),
                    ("micro", _define("XML_MICRO_VERSION", r"(\d+)")),
                ),
                build=dotted("major", "minor", "micro"),
                what="XML_MAJOR/MINOR/MICRO_VERSION",
            ),
        ),
        # The version macros sit at the end of a 40+ KiB header.
        head=128 * 1024,
        layouts=("lib/expat.h", "expat.h"),
    ),
    SourceRule(
        component="libpng",
        names=("png.h",),
        marker=r"libpng|PNG_LIBPNG_VER",
        declarations=(single(_define("PNG_LIBPNG_VER_STRING"), "PNG_LIBPNG_VER_STRING"),),
        layouts=("png.h",),
        note="a development version ('.git')",
    ),
    SourceRule(
        component="busybox",
        names=("Makefile",),
        marker=r"^VERSION = 1\nPATCHLEVEL = \d+\nSUBLEVEL = \d+\nEXTRAVERSION =.*\nNAME = Unnamed",
        confirm=r"(?i)\bbusybox\b",
        declarations=(
            Declaration(
                (
                    ("version", r"^VERSION = (\d+)[ \t]*$"),
                    ("patchlevel", r"^PATCHLEVEL = (\d+)[ \t]*$"),
                    ("sublevel", r"^SUBLEVEL = (\d+)[ \t]*$"),
                    ("extra", r"^EXTRAVERSION =[ \t]*(\S*)[ \t]*$"),
                ),
                build=_kbuild,
                optional=frozenset({"extra"}),
                what="VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION",
            ),
        ),
        release=r"\d+\.\d+\.\d+",
        layouts=("Makefile",),
        note="an untagged EXTRAVERSION (a development tree)",
    ),
    SourceRule(
        component="u-boot",
        names=("Makefile",),
        marker=r"^VERSION = 20\d\d\nPATCHLEVEL = \d\d\n",
        confirm=r"UBOOTVERSION|(?i:\bu-boot\b)",
        reject=r"(?i)barebox",
        declarations=(
            Declaration(
                (
                    ("version", r"^VERSION = (\d+)[ \t]*$"),
                    ("patchlevel", r"^PATCHLEVEL =[ \t]*(\d*)[ \t]*$"),
                    ("sublevel", r"^SUBLEVEL =[ \t]*(\d*)[ \t]*$"),
                    ("extra", r"^EXTRAVERSION =[ \t]*(\S*)[ \t]*$"),
                ),
                build=_uboot,
                optional=frozenset({"sublevel", "extra"}),
                what="VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION",
            ),
        ),
        release=r"\d{4}\.\d{2}(?:\.\d+)?(?:-rc\d+)?",
        layouts=("Makefile",),
        note="an untagged EXTRAVERSION (a development tree)",
    ),
    SourceRule(
        component="segger-rtt",
        names=("SEGGER_RTT.h",),
        declarations=(
            single(r"^\*[ \t]+RTT version:[ \t]+V?(\d+\.\d+[a-z]?)\b", "RTT version banner"),
        ),
        release=r"\d+\.\d+[a-z]?",
        layouts=("RTT/SEGGER_RTT.h", "SEGGER/SEGGER_RTT.h"),
    ),
    SourceRule(
        component="segger-systemview",
        names=("SEGGER_SYSVIEW.h",),
        # Only the banner: SEGGER_SYSVIEW_MAJOR/MINOR/REV are the protocol compatibility
        # version, which SEGGER documents as not the version of the target source release
        # (SystemView 3.40 sources carry 3.32 there).
        declarations=(
            single(
                r"^\*[ \t]+SystemView version:[ \t]+V?(\d+\.\d+[a-z]?)\b",
                "SystemView version banner",
            ),
        ),
        release=r"\d+\.\d+[a-z]?",
        layouts=("SEGGER/SEGGER_SYSVIEW.h", "SYSVIEW/SEGGER_SYSVIEW.h"),
    ),
    SourceRule(
        component="percepio-trace-recorder",
        names=("trcRecorder.h",),
        marker=r"Tracealyzer",
        declarations=(
            single(
                r"Trace Recorder (?:Library )?for Tracealyzer v(\d+\.\d+\.\d+\S*)",
                "Trace Recorder banner",
            ),
        ),
        release=r"\d+\.\d+\.\d+",
        layouts=("include/trcRecorder.h", "trcRecorder.h"),
        note="a release candidate ('(RC0)')",
    ),
    SourceRule(
        component="arduinojson",
        names=("version.hpp",),
        suffixes=("ArduinoJson/version.hpp",),
        declarations=(
            single(_define("ARDUINOJSON_VERSION"), "ARDUINOJSON_VERSION"),
            Declaration(
                (
                    ("major", _define("ARDUINOJSON_VERSION_MAJOR", r"(\d+)")),
                    ("minor", _define("ARDUINOJSON_VERSION_MINOR", r"(\d+)")),
                    ("revision", _define("ARDUINOJSON_VERSION_REVISION", r"(\d+)")),
                ),
                build=dotted("major", "minor", "revision"),
                what="ARDUINOJSON_VERSION_MAJOR/MINOR/REVISION",
            ),
        ),
        layouts=("src/ArduinoJson/version.hpp",),
    ),
    SourceRule(
        component=ARDUINO_LIBRARY,
        names=("library.properties",),
        marker=r"\A(?=[\s\S]*^name=\S)(?=[\s\S]*^version=\S)",
        declarations=(single(r"^version=[ \t]*(\S[^\r\n]*?)[ \t]*\r?$", "version="),),
        release=r"\d+(?:\.\d+)*(?:-(?:alpha|beta|rc)\.?\d*)?",
        head=16 * 1024,
        layouts=("library.properties",),
        # Libraries whose library.properties is published by the component's own authors;
        # any other library.properties (an Arduino port of FreeRTOS, say, versioned
        # 11.1.0-1) describes an Arduino package, not the upstream component.
        extra=(("ArduinoJson", "arduinojson"),),
    ),
)

_JS_RULES: tuple[SourceRule, ...] = (
    SourceRule(
        component="jquery",
        name_pattern=r".+\.js",
        declarations=(
            single(r"^/\*! jQuery v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\s", "jQuery banner"),
            single(r"^[ \t]*\*[ \t]*jQuery JavaScript Library v(\S+)[ \t]*$", "jQuery banner"),
        ),
        release=_semver_pre(),
        head=JS_HEAD,
        note="a development build ('-pre')",
    ),
    SourceRule(
        component="bootstrap",
        name_pattern=r".+\.js",
        declarations=(
            single(
                r"^[ \t]*\*[ \t]*Bootstrap(?: [^\n]{1,40}?)? v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)"
                r" \(https?://getbootstrap\.com/?\)",
                "Bootstrap banner",
            ),
        ),
        release=_semver_pre(),
        head=JS_HEAD,
    ),
    SourceRule(
        component="chartjs",
        name_pattern=r".+\.js",
        declarations=(
            single(
                r"^[ \t]*\*[ \t]*Chart\.js v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)[ \t]*$",
                "Chart.js banner",
            ),
        ),
        release=_semver_pre(),
        head=JS_HEAD,
    ),
    SourceRule(
        component="moment",
        name_pattern=r".+\.js",
        declarations=(
            single(
                r"^//! moment\.js[ \t]*\r?\n//! version : (\d+\.\d+\.\d+\S*)", "moment.js banner"
            ),
        ),
        release=_semver_pre(),
        head=JS_HEAD,
    ),
    SourceRule(
        component="lodash",
        name_pattern=r"lodash[\w.-]*\.js",
        marker=r"[Ll]odash",
        declarations=(
            # lodash.js: "var VERSION = '4.17.21';"; a re-minified build: var VERSION="4.17.21".
            single(r"\bvar VERSION ?= ?['\"](\d+\.\d+\.\d+)['\"]", "VERSION"),
            # lodash.min.js: the minified VERSION, followed by LARGE_ARRAY_SIZE (200).
            single(r"[\w$]+=\"(\d+\.\d+\.\d+)\",[\w$]+=200[,;]", "minified VERSION"),
        ),
        head=JS_HEAD,
    ),
    SourceRule(
        component="angularjs",
        name_pattern=r".+\.js",
        declarations=(
            single(
                r"^[ \t]*(?:\*[ \t]*)?(?:@license )?"
                r"AngularJS v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)[ \t]*$",
                "AngularJS banner",
            ),
        ),
        release=_semver_pre(),
        head=JS_HEAD,
    ),
)

RULES: tuple[SourceRule, ...] = (*_C_RULES, *_JS_RULES)


@cache
def by_name() -> dict[str, tuple[SourceRule, ...]]:
    """Rules by exact file name."""
    table: dict[str, list[SourceRule]] = {}
    for rule in RULES:
        for name in rule.names:
            table.setdefault(name, []).append(rule)
    return {name: tuple(rules) for name, rules in table.items()}


PATTERNED: tuple[SourceRule, ...] = tuple(rule for rule in RULES if rule.name_pattern)
PATTERNED_SUFFIXES: frozenset[str] = frozenset({".js"})
"""Extensions of the files ``name_pattern`` rules may match: other files skip the patterns."""


@cache
def pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.MULTILINE)
