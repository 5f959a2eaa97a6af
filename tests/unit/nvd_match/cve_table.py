"""The audited table: real CVEs of firmware components, checked by hand against their NVD
configurations (tests/assets/nvd-match/nvd/<CVE>.json, copied unchanged from the NVD feeds).

Every row was decided by reading the CVE's ``configurations`` — not by running mdrgate — and
says why in one line. ``entry`` is the cpeMatch entry expected to decide (criteria and bounds as
the record writes them); ``conditional`` marks a finding that holds only on a platform or target
the inventory cannot confirm. Components are identified as mdrgate's firmware catalogue
identifies them (catalogue id → NVD vendor:product pairs, version '*') unless a row names its own
CPE. CVE_TABLE.md is rendered from this module (MDRGATE_REGEN_GOLDEN=1 regenerates it).
"""

from __future__ import annotations

from dataclasses import dataclass

from mdrgate.enrich.nvd_configurations import MatchStatus

A = MatchStatus.AFFECTED
N = MatchStatus.NOT_AFFECTED
U = MatchStatus.UNDETERMINED

# The configuration of each CVE in words (vulnerable entries unless marked "platform").
SUMMARIES: dict[str, str] = {
    "CVE-2021-44732": "arm:mbed_tls < 2.16.12; 2.17.0 <= v < 2.28.0; = 3.0.0 update '-'; "
    "= 3.0.0 update preview1 (+ a Debian 10 configuration)",
    "CVE-2022-35409": "arm:mbed_tls < 2.28.1; trustedfirmware:mbed_tls 3.0.0 <= v < 3.2.0 "
    "(+ Debian 10)",
    "CVE-2011-4574": "polarssl:polarssl < 1.1.0",
    "CVE-2021-31571": "o:amazon:freertos < 10.4.3",
    "CVE-2018-16601": "a:amazon:amazon_web_services_freertos <= 1.3.1; a:amazon:freertos <= 10.0.1",
    "CVE-2020-22284": "lwip_project:lwip = 2.1.2",
    "CVE-2020-22283": "lwip_project:lwip version '-' (NA: the description says 'git head')",
    "CVE-2002-0059": "zlib:zlib <= 1.1.3",
    "CVE-2005-2096": "zlib:zlib = 1.2.0, = 1.2.1, = 1.2.2",
    "CVE-2023-45853": "zlib:zlib <= 1.3",
    "CVE-1999-0428": "openssl:openssl < 0.9.2b",
    "CVE-2002-0657": "openssl:openssl = 0.9.7 update beta1, = 0.9.7 update beta2 (nothing else)",
    "CVE-2003-0078": "openssl:openssl < 0.9.6i; = 0.9.6i; = 0.9.7 update '-'; = 0.9.7 updates "
    "beta1..beta6 (+ a FreeBSD/OpenBSD configuration)",
    "CVE-2011-4354": "openssl:openssl with target_hw x86 on all 59 entries: <= 0.9.8g and "
    "enumerated versions",
    "CVE-2015-0204": "openssl:openssl <= 0.9.8zc; = 1.0.0a..1.0.0o; = 1.0.1a..1.0.1j "
    "(1.0.0 and 1.0.1 themselves are not listed)",
    "CVE-2015-0207": "openssl:openssl = 1.0.2 (update '*'); = 1.0.2 updates beta1, beta2, beta3",
    "CVE-2015-3216": "openssl:openssl = '1.0.1e-25.el7' (a Red Hat package version) "
    "(+ a RHEL 7 configuration)",
    "CVE-2023-38545": "haxx:libcurl 7.69.0 <= v < 8.4.0 (+ Fedora, NetApp configurations)",
    "CVE-2015-3144": "haxx:curl = 7.37.0, 7.37.1, 7.38.0, 7.39.0, 7.40.0, 7.41.0; haxx:libcurl the "
    "same but '7.39' for 7.39.0 (separate configurations; + Oracle, Ubuntu, Debian)",
    "CVE-2003-1605": "haxx:curl 7.1.0 <= v < 7.10.7",
    "CVE-2021-42374": "busybox:busybox 1.27.0 <= v <= 1.33.1; netapp h300s_firmware '-' AND "
    "platform h:netapp:h300s '-' (and 6 more such pairs; + Fedora, NetApp applications)",
    "CVE-2022-48174": "busybox:busybox <= 1.36.1 (the description says 'before 1.35')",
    "CVE-2019-14192": "denx:u-boot <= 2019.07",
    "CVE-2022-30790": "denx:u-boot = 2022.01 (update '*')",
    "CVE-2022-25638": "wolfssl:wolfssl < 5.2.0",
    "CVE-2015-6925": "wolfssl:wolfssl <= 3.6.6",
    "CVE-2015-5895": "sqlite:sqlite <= 3.8.10.1 AND platform o:apple:iphone_os <= 8.4.1",
    "CVE-2015-6607": "sqlite:sqlite <= 3.8.8.3 AND platform o:google:android = 5.1",
    "CVE-2022-35737": "sqlite:sqlite 1.0.12 <= v < 3.39.2 (+ NetApp, Splunk configurations)",
    "CVE-2022-40674": "libexpat_project:libexpat < 2.4.9 (+ Debian, Fedora)",
    "CVE-2015-1283": "libexpat_project:libexpat <= 2.1.0 (+ Chrome, Python, distributions)",
    "CVE-2006-10002": "toddr:xml\\:\\:parser (escaped colons) with target_sw perl, < 2.48",
    "CVE-2015-2883": "h:philips:in.sight_b120\\\\37 (escaped backslash), version '-'",
}


@dataclass(frozen=True, slots=True)
class Row:
    cve: str
    component: str
    """A catalogue id (``mbedtls``) or a CPE name of the component."""
    version: str | None
    expected: MatchStatus
    reason: str
    entry: str | None = None
    conditional: bool = False


_MBED_LOW = "cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:* up to 2.16.12 (excluding)"
_MBED_MID = (
    "cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:* from 2.17.0 (including) up to 2.28.0 (excluding)"
)
_SQLITE_IOS = "cpe:2.3:a:sqlite:sqlite:*:*:*:*:*:*:*:* up to 3.8.10.1 (including)"
_SQLITE_ANDROID = "cpe:2.3:a:sqlite:sqlite:*:*:*:*:*:*:*:* up to 3.8.8.3 (including)"
_SQLITE_2022 = (
    "cpe:2.3:a:sqlite:sqlite:*:*:*:*:*:*:*:* from 1.0.12 (including) up to 3.39.2 (excluding)"
)
_OPENSSL_X86 = "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:x86:* up to 0.9.8g (including)"
_BUSYBOX_2021 = (
    "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:* from 1.27.0 (including) up to 1.33.1 (including)"
)
_LIBCURL_2023 = (
    "cpe:2.3:a:haxx:libcurl:*:*:*:*:*:*:*:* from 7.69.0 (including) up to 8.4.0 (excluding)"
)

ROWS: tuple[Row, ...] = (
    # --- Mbed TLS (catalogue: arm:mbed_tls, trustedfirmware:mbed_tls)
    Row(
        "CVE-2021-44732", "mbedtls", "2.16.11", A, "below the first range's end 2.16.12", _MBED_LOW
    ),
    Row(
        "CVE-2021-44732",
        "mbedtls",
        "2.16.12",
        N,
        "first range's end is excluded; the second starts at 2.17.0",
    ),
    Row("CVE-2021-44732", "mbedtls", "2.17.0", A, "second range's start is included", _MBED_MID),
    Row("CVE-2021-44732", "mbedtls", "2.28.0", N, "second range's end is excluded (2.28 LTS)"),
    Row(
        "CVE-2021-44732",
        "mbedtls",
        "3.0.0",
        A,
        "exact 3.0.0 with update '-' (the release)",
        "cpe:2.3:a:arm:mbed_tls:3.0.0:-:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2021-44732",
        "mbedtls",
        "3.0.0-preview1",
        A,
        "exact 3.0.0 update preview1, spelled in the version",
        "cpe:2.3:a:arm:mbed_tls:3.0.0:preview1:*:*:*:*:*:*",
    ),
    Row("CVE-2021-44732", "mbedtls", "3.0.1", N, "above every entry (3.0.1 is the fix)"),
    Row(
        "CVE-2022-35409",
        "mbedtls",
        "2.28.0",
        A,
        "below arm:mbed_tls's end 2.28.1",
        "cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:* up to 2.28.1 (excluding)",
    ),
    Row("CVE-2022-35409", "mbedtls", "2.28.1", N, "end excluded; the 3.x range starts at 3.0.0"),
    Row(
        "CVE-2022-35409",
        "mbedtls",
        "3.1.0",
        A,
        "in the 3.x range, filed under trustedfirmware:mbed_tls",
        "cpe:2.3:a:trustedfirmware:mbed_tls:*:*:*:*:*:*:*:* from "
        "3.0.0 (including) up to 3.2.0 (excluding)",
    ),
    Row("CVE-2022-35409", "mbedtls", "3.2.0", N, "3.x range's end is excluded"),
    Row(
        "CVE-2022-35409",
        "cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:*",
        "3.1.0",
        N,
        "known only as "
        "arm:mbed_tls, 3.1.0 is above that entry's 2.28.1: why the catalogue lists both pairs",
    ),
    Row(
        "CVE-2011-4574",
        "polarssl",
        "1.0.0",
        A,
        "below 1.1.0",
        "cpe:2.3:a:polarssl:polarssl:*:*:*:*:*:*:*:* up to 1.1.0 (excluding)",
    ),
    Row("CVE-2011-4574", "polarssl", "1.1.0", N, "end excluded"),
    # --- FreeRTOS (catalogue: o:amazon:freertos)
    Row(
        "CVE-2021-31571",
        "freertos-kernel",
        "10.4.2",
        A,
        "below 10.4.3",
        "cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:* up to 10.4.3 (excluding)",
    ),
    Row("CVE-2021-31571", "freertos-kernel", "10.4.3", N, "end excluded"),
    Row("CVE-2021-31571", "freertos-kernel", "V10.4.3", N, "the kernel's tag spelling is 10.4.3"),
    Row(
        "CVE-2018-16601",
        "freertos-kernel",
        "10.0.1",
        A,
        "end included; NVD files FreeRTOS as part 'a' here, the part does not tell products apart",
        "cpe:2.3:a:amazon:freertos:*:*:*:*:*:*:*:* up to 10.0.1 (including)",
    ),
    Row(
        "CVE-2018-16601",
        "freertos-kernel",
        "10.1.0",
        N,
        "above 10.0.1; amazon_web_services_freertos is another product",
    ),
    # --- lwIP (catalogue: lwip_project:lwip)
    Row(
        "CVE-2020-22284",
        "lwip",
        "2.1.2",
        A,
        "the listed version",
        "cpe:2.3:a:lwip_project:lwip:2.1.2:*:*:*:*:*:*:*",
    ),
    Row("CVE-2020-22284", "lwip", "2.1.3", N, "not the listed version"),
    Row("CVE-2020-22284", "lwip", "2.1.1", N, "not the listed version"),
    Row(
        "CVE-2020-22284",
        "lwip",
        "STABLE-2_1_2_RELEASE",
        U,
        "lwIP's tag name is no version to compare with 2.1.2",
        "cpe:2.3:a:lwip_project:lwip:2.1.2:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2020-22283",
        "lwip",
        "2.1.2",
        U,
        "NVD gives no version ('-'): affected releases unstated",
        "cpe:2.3:a:lwip_project:lwip:-:*:*:*:*:*:*:*",
    ),
    # --- zlib (catalogue: zlib:zlib)
    Row(
        "CVE-2002-0059",
        "zlib",
        "1.1.3",
        A,
        "end included",
        "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:* up to 1.1.3 (including)",
    ),
    Row("CVE-2002-0059", "zlib", "1.1.4", N, "above 1.1.3"),
    Row(
        "CVE-2005-2096",
        "zlib",
        "1.2",
        A,
        "1.2 is 1.2.0 as a version",
        "cpe:2.3:a:zlib:zlib:1.2.0:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2005-2096",
        "zlib",
        "1.2.2",
        A,
        "a listed version",
        "cpe:2.3:a:zlib:zlib:1.2.2:*:*:*:*:*:*:*",
    ),
    Row("CVE-2005-2096", "zlib", "1.2.2.1", N, "a later release, not listed"),
    Row("CVE-2005-2096", "zlib", "1.2.3", N, "not listed"),
    Row(
        "CVE-2023-45853",
        "zlib",
        "1.3",
        A,
        "end included",
        "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:* up to 1.3 (including)",
    ),
    Row(
        "CVE-2023-45853",
        "zlib",
        "1.2.13",
        A,
        "below 1.3",
        "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:* up to 1.3 (including)",
    ),
    Row("CVE-2023-45853", "zlib", "1.3.1", N, "above 1.3"),
    # --- OpenSSL (catalogue: openssl:openssl)
    Row(
        "CVE-1999-0428",
        "openssl",
        "0.9.2",
        A,
        "0.9.2 < 0.9.2a < 0.9.2b",
        "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:* up to 0.9.2b (excluding)",
    ),
    Row("CVE-1999-0428", "openssl", "0.9.2b", N, "end excluded (a letter release)"),
    Row(
        "CVE-2002-0657",
        "openssl",
        "0.9.7-beta1",
        A,
        "exact 0.9.7 update beta1",
        "cpe:2.3:a:openssl:openssl:0.9.7:beta1:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2002-0657",
        "openssl",
        "0.9.7-beta2",
        A,
        "exact 0.9.7 update beta2",
        "cpe:2.3:a:openssl:openssl:0.9.7:beta2:*:*:*:*:*:*",
    ),
    Row("CVE-2002-0657", "openssl", "0.9.7-beta3", N, "beta3 is not listed (the fix)"),
    Row("CVE-2002-0657", "openssl", "0.9.7", N, "the final 0.9.7 is not listed, only two betas"),
    Row(
        "CVE-2003-0078",
        "openssl",
        "0.9.7",
        A,
        "exact 0.9.7 update '-' (the release itself)",
        "cpe:2.3:a:openssl:openssl:0.9.7:-:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2003-0078",
        "openssl",
        "0.9.7-beta6",
        A,
        "exact 0.9.7 update beta6",
        "cpe:2.3:a:openssl:openssl:0.9.7:beta6:*:*:*:*:*:*",
    ),
    Row("CVE-2003-0078", "openssl", "0.9.7a", N, "a later letter release, not listed"),
    Row(
        "CVE-2003-0078",
        "openssl",
        "0.9.6h",
        A,
        "below 0.9.6i",
        "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:* up to 0.9.6i (excluding)",
    ),
    Row(
        "CVE-2003-0078",
        "openssl",
        "0.9.6i",
        A,
        "range end excluded, but 0.9.6i is listed exactly",
        "cpe:2.3:a:openssl:openssl:0.9.6i:*:*:*:*:*:*:*",
    ),
    Row("CVE-2003-0078", "openssl", "0.9.6j", N, "above the range, not listed"),
    Row(
        "CVE-2011-4354",
        "openssl",
        "0.9.8g",
        A,
        "end included, on x86 only: the component does not state its target hardware",
        _OPENSSL_X86,
        conditional=True,
    ),
    Row("CVE-2011-4354", "openssl", "0.9.8h", N, "above 0.9.8g, not listed"),
    Row(
        "CVE-2011-4354",
        "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:arm:*",
        "0.9.8g",
        N,
        "the component states target hardware arm, every entry says x86",
    ),
    Row(
        "CVE-2015-0204",
        "openssl",
        "0.9.8zc",
        A,
        "end included (two-letter release)",
        "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:* up to 0.9.8zc (including)",
    ),
    Row("CVE-2015-0204", "openssl", "0.9.8zd", N, "above 0.9.8zc"),
    Row(
        "CVE-2015-0204",
        "openssl",
        "0.9.8",
        A,
        "below 0.9.8zc",
        "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:* up to 0.9.8zc (including)",
    ),
    Row(
        "CVE-2015-0204",
        "openssl",
        "1.0.1j",
        A,
        "listed exactly",
        "cpe:2.3:a:openssl:openssl:1.0.1j:*:*:*:*:*:*:*",
    ),
    Row("CVE-2015-0204", "openssl", "1.0.1k", N, "not listed (the fix)"),
    Row(
        "CVE-2015-0204",
        "openssl",
        "1.0.1",
        N,
        "NVD lists 1.0.1a-1.0.1j but not 1.0.1 (the "
        "description says '1.0.1 before 1.0.1k'): the configurations are followed as published",
    ),
    Row(
        "CVE-2015-0207",
        "openssl",
        "1.0.2",
        A,
        "listed with update '*'",
        "cpe:2.3:a:openssl:openssl:1.0.2:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2015-0207",
        "openssl",
        "1.0.2-beta3",
        A,
        "update '*' covers 1.0.2's updates (beta3 is also listed)",
        "cpe:2.3:a:openssl:openssl:1.0.2:*:*:*:*:*:*:*",
    ),
    Row("CVE-2015-0207", "openssl", "1.0.2a", N, "a later letter release, not listed"),
    Row("CVE-2015-0207", "openssl", "1.0.1", N, "not listed"),
    Row(
        "CVE-2015-0207",
        "openssl",
        "1.0.2k-fips",
        U,
        "a FIPS build's version is no firmware version: whether it is 1.0.2 cannot be told",
        "cpe:2.3:a:openssl:openssl:1.0.2:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2015-0204",
        "openssl",
        "1.0.2k-fips",
        N,
        "no firmware version, but its release numbers 1.0.2 are above 0.9.8zc and none of the "
        "listed 1.0.0x/1.0.1x",
    ),
    Row(
        "CVE-2015-0207",
        "openssl",
        None,
        U,
        "the component's version is unknown",
        "cpe:2.3:a:openssl:openssl:1.0.2:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2015-3216",
        "openssl",
        "1.0.1e",
        U,
        "'1.0.1e-25.el7' is no firmware version: whether it is 1.0.1e cannot be told",
        "cpe:2.3:a:openssl:openssl:1.0.1e-25.el7:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2015-3216",
        "openssl",
        "1.0.1e-25.el7",
        A,
        "the very same version text",
        "cpe:2.3:a:openssl:openssl:1.0.1e-25.el7:*:*:*:*:*:*:*",
    ),
    Row("CVE-2015-3216", "openssl", "1.0.2", N, "release numbers 1.0.2 and 1.0.1 differ"),
    # --- curl (catalogue: haxx:libcurl, haxx:curl)
    Row("CVE-2023-38545", "curl", "7.69.0", A, "start included", _LIBCURL_2023),
    Row("CVE-2023-38545", "curl", "7.68.0", N, "below 7.69.0"),
    Row("CVE-2023-38545", "curl", "8.3.0", A, "below 8.4.0", _LIBCURL_2023),
    Row("CVE-2023-38545", "curl", "8.4.0", N, "end excluded"),
    Row(
        "CVE-2015-3144",
        "curl",
        "7.39.0",
        A,
        "listed as haxx:curl 7.39.0 (first configuration)",
        "cpe:2.3:a:haxx:curl:7.39.0:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2015-3144",
        "cpe:2.3:a:haxx:libcurl:*:*:*:*:*:*:*:*",
        "7.39.0",
        A,
        "libcurl's entry writes '7.39', the same version",
        "cpe:2.3:a:haxx:libcurl:7.39:*:*:*:*:*:*:*",
    ),
    Row("CVE-2015-3144", "curl", "7.36.0", N, "not listed"),
    Row("CVE-2015-3144", "curl", "7.42.0", N, "not listed"),
    Row(
        "CVE-2003-1605",
        "curl",
        "7.10.6",
        A,
        "below 7.10.7",
        "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:* from 7.1.0 (including) up to 7.10.7 (excluding)",
    ),
    Row(
        "CVE-2003-1605",
        "curl",
        "7.1",
        A,
        "7.1 is the included start 7.1.0",
        "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:* from 7.1.0 (including) up to 7.10.7 (excluding)",
    ),
    Row("CVE-2003-1605", "curl", "7.10.7", N, "end excluded"),
    Row("CVE-2003-1605", "curl", "6.5.2", N, "below 7.1.0"),
    # --- BusyBox (catalogue: busybox:busybox)
    Row("CVE-2021-42374", "busybox", "1.27.0", A, "start included", _BUSYBOX_2021),
    Row("CVE-2021-42374", "busybox", "1.26.2", N, "below 1.27.0"),
    Row("CVE-2021-42374", "busybox", "1.33.1", A, "end included", _BUSYBOX_2021),
    Row("CVE-2021-42374", "busybox", "1.33.2", N, "above 1.33.1"),
    Row(
        "CVE-2021-42374",
        "cpe:2.3:h:netapp:h300s:-:*:*:*:*:*:*:*",
        None,
        N,
        "the hardware is only the platform (vulnerable: false) of the affected firmware",
    ),
    Row(
        "CVE-2021-42374",
        "cpe:2.3:o:netapp:h300s_firmware:-:*:*:*:*:*:*:*",
        None,
        A,
        "the firmware ('-' both sides), only together with the H300S hardware",
        "cpe:2.3:o:netapp:h300s_firmware:-:*:*:*:*:*:*:*",
        conditional=True,
    ),
    Row(
        "CVE-2022-48174",
        "busybox",
        "1.36.1",
        A,
        "NVD's end is included (wider than the description's 'before 1.35')",
        "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:* up to 1.36.1 (including)",
    ),
    Row("CVE-2022-48174", "busybox", "1.37.0", N, "above 1.36.1"),
    # --- U-Boot (catalogue: denx:u-boot)
    Row(
        "CVE-2019-14192",
        "u-boot",
        "2019.07",
        A,
        "end included",
        "cpe:2.3:a:denx:u-boot:*:*:*:*:*:*:*:* up to 2019.07 (including)",
    ),
    Row(
        "CVE-2019-14192",
        "u-boot",
        "v2019.07",
        A,
        "U-Boot's tag spelling of 2019.07",
        "cpe:2.3:a:denx:u-boot:*:*:*:*:*:*:*:* up to 2019.07 (including)",
    ),
    Row(
        "CVE-2019-14192",
        "u-boot",
        "2019.07-rc4",
        A,
        "a release candidate precedes 2019.07",
        "cpe:2.3:a:denx:u-boot:*:*:*:*:*:*:*:* up to 2019.07 (including)",
    ),
    Row("CVE-2019-14192", "u-boot", "2019.10", N, "above 2019.07"),
    Row(
        "CVE-2022-30790",
        "u-boot",
        "2022.01",
        A,
        "the listed version",
        "cpe:2.3:a:denx:u-boot:2022.01:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2022-30790",
        "u-boot",
        "2022.01-rc1",
        A,
        "update '*' covers 2022.01's release candidates",
        "cpe:2.3:a:denx:u-boot:2022.01:*:*:*:*:*:*:*",
    ),
    Row("CVE-2022-30790", "u-boot", "2022.04", N, "not listed"),
    Row("CVE-2022-30790", "u-boot", "2021.10", N, "not listed"),
    # --- wolfSSL (catalogue: wolfssl:wolfssl)
    Row(
        "CVE-2022-25638",
        "wolfssl",
        "5.1.1",
        A,
        "below 5.2.0",
        "cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:* up to 5.2.0 (excluding)",
    ),
    Row(
        "CVE-2022-25638",
        "wolfssl",
        "v5.1.1-stable",
        A,
        "wolfSSL's tag spelling of 5.1.1",
        "cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:* up to 5.2.0 (excluding)",
    ),
    Row("CVE-2022-25638", "wolfssl", "5.2.0", N, "end excluded"),
    Row("CVE-2022-25638", "wolfssl", "v5.2.0-stable", N, "tag spelling of the excluded end"),
    Row(
        "CVE-2015-6925",
        "wolfssl",
        "3.6.6",
        A,
        "end included",
        "cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:* up to 3.6.6 (including)",
    ),
    Row("CVE-2015-6925", "wolfssl", "3.6.8", N, "above 3.6.6"),
    # --- SQLite (catalogue: sqlite:sqlite)
    Row(
        "CVE-2015-5895",
        "sqlite",
        "3.8.10.1",
        A,
        "end included; only running on iOS <= 8.4.1, which the inventory cannot confirm",
        _SQLITE_IOS,
        conditional=True,
    ),
    Row("CVE-2015-5895", "sqlite", "3.8.10.2", N, "above 3.8.10.1"),
    Row(
        "CVE-2015-5895",
        "cpe:2.3:o:apple:iphone_os:8.4:*:*:*:*:*:*:*",
        None,
        N,
        "iOS is only the platform (vulnerable: false): SQLite's CVE is not iOS's",
    ),
    Row(
        "CVE-2015-6607",
        "sqlite",
        "3.8.8.3",
        A,
        "end included; only running on Android 5.1",
        _SQLITE_ANDROID,
        conditional=True,
    ),
    Row("CVE-2015-6607", "sqlite", "3.8.9", N, "above 3.8.8.3"),
    Row(
        "CVE-2015-6607",
        "cpe:2.3:o:google:android:5.1:*:*:*:*:*:*:*",
        None,
        N,
        "Android 5.1 is only the platform (exact version, vulnerable: false)",
    ),
    Row("CVE-2022-35737", "sqlite", "1.0.12", A, "start included", _SQLITE_2022),
    Row("CVE-2022-35737", "sqlite", "1.0.11", N, "below 1.0.12"),
    Row("CVE-2022-35737", "sqlite", "3.39.1", A, "below 3.39.2", _SQLITE_2022),
    Row("CVE-2022-35737", "sqlite", "3.39.2", N, "end excluded"),
    # --- Expat (catalogue: libexpat_project:libexpat)
    Row(
        "CVE-2022-40674",
        "expat",
        "2.4.8",
        A,
        "below 2.4.9",
        "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:* up to 2.4.9 (excluding)",
    ),
    Row("CVE-2022-40674", "expat", "2.4.9", N, "end excluded"),
    Row(
        "CVE-2022-40674",
        "expat",
        "R_2_4_8",
        U,
        "Expat's tag name is no version to place against 2.4.9",
        "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:* up to 2.4.9 (excluding)",
    ),
    Row(
        "CVE-2015-1283",
        "expat",
        "2.1.0",
        A,
        "end included",
        "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:* up to 2.1.0 (including)",
    ),
    Row(
        "CVE-2015-1283",
        "expat",
        "2.1.1",
        N,
        "above 2.1.0; Chrome and Python entries are other products",
    ),
    # --- CPE escaping
    Row(
        "CVE-2006-10002",
        "cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:*:*:*",
        "2.47",
        A,
        "below 2.48, for target software perl, which the component does not state",
        "cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:perl:*:* up to 2.48 (excluding)",
        conditional=True,
    ),
    Row(
        "CVE-2006-10002",
        "cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:perl:*:*",
        "2.47",
        A,
        "below 2.48, and the component states perl",
        "cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:perl:*:* up to 2.48 (excluding)",
    ),
    Row(
        "CVE-2006-10002",
        "cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:*:*:*",
        "2.48",
        N,
        "end excluded",
    ),
    Row(
        "CVE-2015-2883",
        "cpe:2.3:h:philips:in.sight_b120\\\\37:-:*:*:*:*:*:*:*",
        None,
        A,
        "the device, version '-' on both sides",
        "cpe:2.3:h:philips:in.sight_b120\\\\37:-:*:*:*:*:*:*:*",
    ),
    Row(
        "CVE-2015-2883",
        "cpe:2.3:h:philips:in.sight_b120:-:*:*:*:*:*:*:*",
        None,
        N,
        "another product (no '\\37' suffix)",
    ),
)

PRODUCTS = {
    "Mbed TLS": ("mbedtls", "polarssl"),
    "FreeRTOS": ("freertos-kernel",),
    "lwIP": ("lwip",),
    "zlib": ("zlib",),
    "OpenSSL": ("openssl",),
    "curl": ("curl",),
    "BusyBox": ("busybox",),
    "U-Boot": ("u-boot",),
    "wolfSSL": ("wolfssl",),
    "SQLite": ("sqlite",),
    "Expat": ("expat",),
}
"""The firmware components the table must cover, by catalogue id."""
