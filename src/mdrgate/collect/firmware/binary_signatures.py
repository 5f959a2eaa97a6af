"""How components are recognised in compiled images: the version strings they embed themselves.

Each signature is keyed by a catalogue id (``catalogue.py``). It names a literal *anchor* that
every match contains (the scanner looks for all anchors in one pass and tries the precise pattern
only in a small window around each hit), the *pattern* itself with a ``version`` group, and what
a version of that component looks like. Every pattern was derived from strings found in real
binaries (Debian 12 packages and their ``-dev`` static archives; the table in
``tests/assets/firmware/images/SIGNATURES.md`` says which string came from which file). A
signature anchors on text unique to its library: a bare ``1.2.13`` is never enough.

Some libraries embed no version a scanner can trust (cJSON formats it at run time, the FreeRTOS
kernel and FatFs keep theirs in macros): they have no signature here and are found through
sources, manifests and linker maps instead. liblzma and libzstd store a bare ``5.4.1``: it is
read only in their static archives' members that define it (``MEMBER_SIGNATURES``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


def _from_packed(text: str) -> str:
    """libxml2 stores its version as ``MAJOR*10000 + MINOR*100 + PATCH`` ("20914")."""
    number = int(text)
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def _strip_v(text: str) -> str:
    return text[1:] if text[:1] in "vV" else text


@dataclass(frozen=True, slots=True)
class Signature:
    """One way a component shows its version in a binary."""

    id: str
    """Stable name of this signature (tests and evidence refer to it)."""
    component: str
    """The catalogue id of the component."""
    anchor: bytes
    """A literal every match contains; the scanner's prefilter looks for it (a regex with a
    literal prefix when ``anchor_is_regex``: for evidence without fixed text, a pass of its own)."""
    pattern: bytes
    """Tried around each anchor hit; group ``version`` carries the version when there is one."""
    scheme: str
    """What a version of this component looks like (full match), after ``normalize``."""
    before: int = 96
    """Bytes before the anchor hit that a match may start at."""
    after: int = 160
    """Bytes after the anchor hit that a match may reach."""
    requires: bytes | None = None
    """A literal that must also occur somewhere in the same file (or archive member)."""
    version_near: bytes | None = None
    """When ``pattern`` has no version: a pattern for it, searched within ``near`` bytes."""
    near: int = 0
    normalize: Callable[[str], str] | None = field(default=None, compare=False)
    """Turns the captured text into the component's version (``20914`` → ``2.9.14``)."""
    note: str = ""
    """What the string is, for people reading the evidence."""
    anchor_is_regex: bool = False
    program: bool = False
    """The text is a program's or a module's own version (the curl tool's version line, the
    ``openssl`` program's, an OpenSSL provider's): it names that file, a part of the component,
    not the library code. Such a hit is kept in a file that loads the component's shared
    library; a library signature's hit there names the headers the file was compiled with
    (``SHARED_LIBRARIES``)."""
    member: str | None = None
    """For a ``MEMBER_SIGNATURES`` entry: the archive member names (full match) it reads."""

    def compiled(self) -> re.Pattern[bytes]:
        return _compile(self.pattern)

    def compiled_sweep(self) -> re.Pattern[bytes]:
        """The pattern without its leading look-behinds: searched through a whole chunk where the
        anchor is too frequent to try one hit at a time (a literal start lets ``re`` skip ahead
        fast); every match of ``pattern`` starts where this one matches."""
        return _compile(_LEADING_LOOKBEHIND.sub(b"", self.pattern, count=1))

    def compiled_near(self) -> re.Pattern[bytes] | None:
        return _compile(self.version_near) if self.version_near else None

    def version_of(self, captured: str) -> str | None:
        """The component's version from the captured text, or ``None`` if it is not one."""
        version = self.normalize(captured) if self.normalize else captured
        return version if re.fullmatch(self.scheme, version) else None


_CACHE: dict[bytes, re.Pattern[bytes]] = {}
_LEADING_LOOKBEHIND = re.compile(rb"^(?:\(\?<[!=](?:\\.|\[(?:\\.|[^\]])*\]|[^()\\])*\))+")


def _compile(pattern: bytes) -> re.Pattern[bytes]:
    compiled = _CACHE.get(pattern)
    if compiled is None:
        compiled = _CACHE[pattern] = re.compile(pattern, re.DOTALL)
    return compiled


_START = rb"(?<![0-9A-Za-z_]{3}[0-9A-Za-z_])"
"""Where a name or number may start: not inside a word of four or more letters, digits or ``_``.

String tables pack strings back to back, and not always after a NUL: the linker puts a merged
string section right after the data before it, so the byte before ``mbed TLS 2.28.3`` in a
statically linked image can be anything (``\\x19Dl`` ending a table of constants in the Debian
``libmbedcrypto.a`` linked by ``bench_static_image.py``), and in a static archive the text may
follow code (``\\xc3``, a ``ret``). A NUL, a control or non-ASCII byte, a space or punctuation
before the name is a boundary, and so is a short run of letters or digits after such a byte
(what ends the previous string or table). What is refused is the name continuing a longer word
(``XYZAmbed TLS``), which is not the component's text. The rest of each pattern (version,
terminator, date, neighbouring strings) is what makes a match specific."""
_SEMVER = r"\d{1,3}\.\d{1,3}\.\d{1,4}"
_DATE = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"

SIGNATURES: tuple[Signature, ...] = (
    Signature(
        id="mbedtls-version-full",
        component="mbedtls",
        anchor=b"bed TLS ",
        pattern=_START + rb"[Mm]bed TLS (?P<version>\d{1,2}\.\d{1,3}\.\d{1,3})(?![\d.])",
        scheme=_SEMVER,
        note="MBEDTLS_VERSION_STRING_FULL, returned by mbedtls_version_get_string_full()",
    ),
    Signature(
        id="polarssl-version-full",
        component="polarssl",
        anchor=b"PolarSSL ",
        pattern=_START + rb"PolarSSL (?P<version>[01]\.\d{1,2}\.\d{1,2})\x00",
        scheme=_SEMVER,
        note="POLARSSL_VERSION_STRING_FULL (the predecessor of MBEDTLS_VERSION_STRING_FULL)",
    ),
    Signature(
        id="openssl-version-text",
        component="openssl",
        anchor=b"OpenSSL ",
        pattern=(
            _START + rb"OpenSSL (?P<version>\d\.\d{1,2}\.\d{1,2}[a-z]{0,2}"
            rb"(?:-(?:alpha|beta)\d{1,2}|-dev)?)(?:-fips)?  ?[0-3]?\d " + _DATE + rb" (?:19|20)\d\d"
        ),
        scheme=r"\d\.\d{1,2}\.\d{1,2}[a-z]{0,2}(?:-(?:alpha|beta)\d{1,2}|-dev)?",
        note='OPENSSL_VERSION_TEXT ("OpenSSL 3.0.11 19 Sep 2023", 1.x: two spaces before the date)',
    ),
    Signature(
        id="openssl-app-version",
        component="openssl",
        anchor=b"OpenSSL ",
        pattern=(
            _START + rb"OpenSSL (?P<version>\d\.\d{1,2}\.\d{1,2}[a-z]{0,2}"
            rb"(?:-(?:alpha|beta)\d{1,2}|-dev)?)(?:-fips)?  ?[0-3]?\d " + _DATE + rb" (?:19|20)\d\d"
            rb"\x00%s \(Library: %s\)\n\x00"
        ),
        scheme=r"\d\.\d{1,2}\.\d{1,2}[a-z]{0,2}(?:-(?:alpha|beta)\d{1,2}|-dev)?",
        after=200,
        program=True,
        note=(
            "the openssl program's own version line (apps/version.c: its OPENSSL_VERSION_TEXT, "
            'then "%s (Library: %s)" with the libcrypto it runs with)'
        ),
    ),
    Signature(
        id="openssl-provider-buildinfo",
        component="openssl",
        anchor=b"OpenSSL ",
        pattern=(
            rb"OpenSSL (?:Legacy|Default|Base) Provider\x00(?:[a-z]{1,12}\x00){1,2}"
            rb"(?P<version>3\.\d{1,2}\.\d{1,2})\x00"
        ),
        scheme=r"3\.\d{1,2}\.\d{1,2}",
        program=True,
        note=(
            "an OpenSSL 3 provider's name parameter followed by its buildinfo/version value: "
            "the provider module's own version (it loads libcrypto, but is OpenSSL itself)"
        ),
    ),
    Signature(
        id="wolfssl-version",
        component="wolfssl",
        anchor=b"wolfSSL ",
        pattern=_START + rb"wolfSSL (?P<version>\d{1,2}\.\d{1,2}\.\d{1,2})\x00",
        scheme=_SEMVER,
        note='"wolfSSL " LIBWOLFSSL_VERSION_STRING, returned by wolfSSL_OpenSSL_version()',
    ),
    Signature(
        id="zlib-copyright",
        component="zlib",
        anchor=b"yright 1995-",
        pattern=(
            rb"(?:de|in)flate (?P<version>1\.\d{1,2}(?:\.\d{1,2}){0,2}(?:-motley)?)"
            rb" Copyright 1995-(?:19|20)\d\d "
        ),
        scheme=r"1\.\d{1,2}(?:\.\d{1,2}){0,2}(?:-motley)?",
        note="deflate_copyright[] / inflate_copyright[] in deflate.c and inftrees.c",
    ),
    Signature(
        id="curl-dict-client",
        component="curl",
        anchor=b"curl",
        pattern=rb"CLIENT libcurl (?P<version>\d{1,2}\.\d{1,2}\.\d{1,2}(?:-DEV)?)\r\n",
        scheme=r"\d{1,2}\.\d{1,2}\.\d{1,2}(?:-DEV)?",
        note='the DICT protocol\'s "CLIENT libcurl " LIBCURL_VERSION greeting (lib/dict.c)',
    ),
    Signature(
        id="curl-tool-version",
        component="curl",
        anchor=b"curl",
        pattern=(
            rb"(?<!/)" + _START + rb"curl (?P<version>\d{1,2}\.\d{1,2}\.\d{1,2}(?:-DEV)?)"
            rb" \([\w.\-]{1,64}\) %s"
        ),
        scheme=r"\d{1,2}\.\d{1,2}\.\d{1,2}(?:-DEV)?",
        program=True,
        note='the curl tool\'s "curl " CURL_VERSION " (" OS ") %s" version line',
    ),
    Signature(
        id="curl-version-string",
        component="curl",
        anchor=b"curl",
        pattern=rb"\x00libcurl/(?P<version>\d{1,2}\.\d{1,2}\.\d{1,2}(?:-DEV)?)\x00",
        scheme=r"\d{1,2}\.\d{1,2}\.\d{1,2}(?:-DEV)?",
        note='"libcurl/" LIBCURL_VERSION, the start of curl_version()\'s text',
    ),
    Signature(
        id="sqlite-source-id",
        component="sqlite",
        anchor=rb"20\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d [0-9a-f]{40}",
        anchor_is_regex=True,
        pattern=(
            _START + rb"20\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d "
            rb"[0-9a-f]{60}[0-9a-z]{4}(?=\x00)"
        ),
        scheme=r"3\.\d{1,2}\.\d{1,2}",
        before=0,
        after=96,
        requires=b"QLite format 3\x00",
        version_near=rb"\x00(?P<version>3\.\d{1,2}\.\d{1,2})\x00",
        near=8192,
        note=(
            "SQLITE_SOURCE_ID (check-in date and hash) in a file that also holds the SQLite "
            "database header; the version is the SQLITE_VERSION string nearest to it"
        ),
    ),
    Signature(
        id="expat-version",
        component="expat",
        anchor=b"xpat_",
        pattern=_START + rb"expat_(?P<version>\d\.\d{1,2}\.\d{1,2})\x00",
        scheme=_SEMVER,
        note="XML_EXPAT_VERSION, returned by XML_ExpatVersion()",
    ),
    Signature(
        id="libpng-header-version",
        component="libpng",
        anchor=b"bpng version ",
        pattern=(
            rb"libpng version (?P<version>1\.\d{1,2}\.\d{1,2}(?:beta\d{1,2}|rc\d{1,2})?)"
            rb"[\s\x00]"
        ),
        scheme=r"1\.\d{1,2}\.\d{1,2}(?:beta\d{1,2}|rc\d{1,2})?",
        note="PNG_HEADER_VERSION_STRING and the copyright text of png_get_copyright()",
    ),
    Signature(
        id="busybox-banner",
        component="busybox",
        anchor=b"yBox v",
        pattern=rb"BusyBox v(?P<version>\d\.\d{1,2}\.\d{1,2}(?:\.git)?)[ \x00]",
        scheme=r"\d\.\d{1,2}\.\d{1,2}(?:\.git)?",
        note='BB_BANNER "BusyBox v" BB_VER',
    ),
    Signature(
        id="u-boot-version-string",
        component="u-boot",
        anchor=b"-Boot ",
        pattern=(
            rb"U-Boot (?:[ST]PL )?(?P<version>20\d\d\.\d\d(?:-rc\d{1,2})?)[^\x00\n]{0,80}? \("
            rb"(?:" + _DATE + rb" [ 0-3]\d 20\d\d|20\d\d-\d\d-\d\d) - \d\d:\d\d"
        ),
        scheme=r"20\d\d\.\d\d(?:-rc\d{1,2})?",
        note="U_BOOT_VERSION_STRING: release, build date and time",
    ),
    Signature(
        id="u-boot-mkimage-creator",
        component="u-boot",
        anchor=b"-Boot ",
        pattern=rb"\x00(?P<version>20\d\d\.\d\d(?:-rc\d{1,2})?)\x00U-Boot mkimage %s\x00",
        scheme=r"20\d\d\.\d\d(?:-rc\d{1,2})?",
        before=24,
        note="mkimage/dumpimage: PLAIN_VERSION next to the FIT creator text",
    ),
    Signature(
        id="u-boot-kwboot-version",
        component="u-boot",
        anchor=b"kwboot version %s",
        pattern=rb"\x00(?P<version>20\d\d\.\d\d(?:-rc\d{1,2})?)\x00kwboot version %s",
        scheme=r"20\d\d\.\d\d(?:-rc\d{1,2})?",
        before=24,
        note="kwboot: PLAIN_VERSION next to its version format",
    ),
    Signature(
        id="openssh-release",
        component="openssh",
        anchor=b"OpenSSH_",
        pattern=_START + rb"OpenSSH_(?P<version>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?p\d{1,2})(?=[ \x00])",
        scheme=r"\d{1,2}\.\d{1,2}(?:\.\d{1,2})?p\d{1,2}",
        note='SSH_RELEASE (SSH_VERSION SSH_PORTABLE: "OpenSSH_9.2p1")',
    ),
    Signature(
        id="libjpeg-turbo-version",
        component="libjpeg-turbo",
        anchor=b"jpeg-turbo version ",
        pattern=rb"libjpeg-turbo version (?P<version>\d\.\d{1,2}\.\d{1,2}) \(build \d{8}\)",
        scheme=_SEMVER,
        note="the JVERSION text of jversion.h",
    ),
    Signature(
        id="gnutls-logging",
        component="gnutls",
        anchor=b"GnuTLS ",
        pattern=rb"Enabled GnuTLS (?P<version>\d\.\d{1,2}\.\d{1,2}) logging",
        scheme=_SEMVER,
        note="the debug-logging greeting of gnutls_global_init()",
    ),
    Signature(
        id="bzip2-version",
        component="bzip2",
        anchor=b"RROR_MAGIC",
        pattern=(
            _START + rb"(?P<version>1\.0\.\d{1,2}), [0-3]?\d-" + _DATE + rb"-20\d\d\x00"
            rb"(?:[\x20-\x7e]{1,40}\x00){0,8}?(?:[A-Z_]{2,20}\x00){4,8}DATA_ERROR_MAGIC\x00"
        ),
        scheme=r"1\.0\.\d{1,2}",
        before=320,
        after=24,
        note=(
            "BZ_VERSION returned by BZ2_bzlibVersion(), a few strings before bzlib's error-name "
            "table (the shared library: right before it; the static archive and images: after "
            "the compressor's format strings, following code or data)"
        ),
    ),
    Signature(
        id="libxml2-parser-version",
        component="libxml2",
        anchor=b"xmlGetGlobalState: out of memory",
        pattern=_START + rb"(?P<version>2\d{4})\x00{1,16}xmlGetGlobalState: out of memory",
        scheme=_SEMVER,
        before=40,
        after=40,
        normalize=_from_packed,
        note="xmlParserVersion (LIBXML_VERSION_STRING) next to a message of the same file",
    ),
    Signature(
        id="pcre2-version",
        component="pcre2",
        anchor=rb"10\.\d\d 20\d\d-[01]\d-[0-3]\d\x00",
        anchor_is_regex=True,
        pattern=_START + rb"(?P<version>10\.\d\d) 20\d\d-[01]\d-[0-3]\d\x00",
        scheme=r"10\.\d\d",
        before=0,
        after=24,
        requires=b"NICODE)",
        note=(
            "PCRE2's version and release date (pcre2_config), in a file with PCRE verbs; after a "
            "NUL in the shared library, right after code in the static archive"
        ),
    ),
    Signature(
        id="paho-mqtt-c-version",
        component="paho-mqtt-c",
        anchor=b"V3_Version ",
        pattern=rb"MQTT(?:Client|Async)V3_Version (?P<version>\d\.\d{1,2}\.\d{1,2})\x00",
        scheme=_SEMVER,
        note='"MQTTClientV3_Version " CLIENT_VERSION (the library\'s version eye-catcher)',
    ),
    Signature(
        id="libcoap-package-string",
        component="libcoap",
        anchor=b"bcoap ",
        pattern=rb"\x00libcoap (?P<version>\d\.\d{1,2}\.\d{1,2}(?:rc\d{1,2})?)\x00",
        scheme=r"\d\.\d{1,2}\.\d{1,2}(?:rc\d{1,2})?",
        note="PACKAGE_STRING as coap_package_version() reports it",
    ),
    Signature(
        id="lwip-agent",
        component="lwip",
        anchor=b"wIP/",
        pattern=(
            rb"lwIP/(?P<version>\d\.\d{1,2}\.\d{1,2}(?:d|\.?[rR][cC]\d{1,2})?)"
            rb" \(http://savannah\.nongnu\.org/projects/lwip\)"
        ),
        scheme=r"\d\.\d{1,2}\.\d{1,2}(?:d|\.?[rR][cC]\d{1,2})?",
        note='HTTPD_SERVER_AGENT / HTTPC_CLIENT_AGENT: "lwIP/" LWIP_VERSION_STRING',
    ),
    Signature(
        id="freertos-banner",
        component="freertos-kernel",
        anchor=b"FreeRTOS",
        pattern=(
            rb"FreeRTOS(?: [Kk]ernel)?(?: version)? (?P<version>V\d{1,2}\.\d{1,2}\.\d{1,2})"
            rb"(?![\w+]|\.\d)"
        ),
        scheme=r"\d{1,2}\.\d{1,2}\.\d{1,2}",
        normalize=_strip_v,
        note=(
            'an application banner built from tskKERNEL_VERSION_NUMBER ("FreeRTOS V10.4.3"); '
            "the kernel embeds no version itself"
        ),
    ),
)

MEMBER_SIGNATURES: tuple[Signature, ...] = (
    Signature(
        id="xz-common-member",
        component="xz",
        anchor=b"",
        pattern=rb"(?P<version>5\.\d{1,2}\.\d{1,2})\x00",
        scheme=r"5\.\d{1,2}\.\d{1,2}",
        member=r"(?:liblzma_la-)?common(?:\.c)?\.o(?:bj)?",
        note=(
            "LZMA_VERSION_STRING, returned by lzma_version_string(): the only string of "
            "liblzma's common.c"
        ),
    ),
    Signature(
        id="zstd-common-member",
        component="zstd",
        anchor=b"",
        pattern=rb"(?P<version>1\.\d{1,2}\.\d{1,2})\x00",
        scheme=r"1\.\d{1,2}\.\d{1,2}",
        member=r"zstd_common(?:\.c)?\.o(?:bj)?",
        note=(
            "ZSTD_VERSION_STRING, returned by ZSTD_versionString(): the only string of "
            "libzstd's common/zstd_common.c"
        ),
    ),
)
"""Versions kept as bare text (``5.4.1``), readable only where the context says whose they are:
in an archive of the component (its ``archive_names``: ``liblzma.a``, by the archive's file name
or the name a linker map gives), in the member compiled from the file that defines the version
function, and only when that member holds exactly one text of the version's form. A bare
``5.4.1`` anywhere else (the shared library, an image) is not evidence of anything."""

SHARED_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("openssl", r"libcrypto|libssl"),
    ("mbedtls", r"libmbedtls|libmbedcrypto|libmbedx509"),
    ("polarssl", r"libpolarssl"),
    ("wolfssl", r"libwolfssl"),
    ("zlib", r"libz"),
    ("curl", r"libcurl(?:-gnutls|-nss|-openssl)?"),
    ("sqlite", r"libsqlite3"),
    ("expat", r"libexpatw?"),
    ("libpng", r"libpng(?:1\d)?"),
    ("libjpeg-turbo", r"libjpeg|libturbojpeg"),
    ("gnutls", r"libgnutls(?:-dane|-openssl|xx)?"),
    ("bzip2", r"libbz2"),
    ("libxml2", r"libxml2"),
    ("pcre2", r"libpcre2-(?:8|16|32|posix)"),
    ("paho-mqtt-c", r"libpaho-mqtt3(?:a|as|c|cs)"),
    ("libcoap", r"libcoap-\d(?:-(?:notls|openssl|gnutls|mbedtls|tinydtls|wolfssl))?"),
    ("lwip", r"liblwip"),
)
"""Per catalogue id, the names (before ``.so``) of the shared libraries the component is built as.

A library signature's hit in a program whose ``DT_NEEDED`` names one of them comes from the
headers the program was compiled with (``OPENSSL_VERSION_TEXT`` in ``osslsigncode``): the code is
loaded at run time from the library, whose own version is what runs, so such a hit is not a copy
of the component. A ``program`` signature's hit is kept: the curl tool's banner and the
``openssl`` program's version line ("OpenSSL 3.0.22 25 Aug 2026" before "%s (Library: %s)")
are those programs' own versions, and the programs are part of curl and OpenSSL; so is an
OpenSSL provider module's version parameter (``legacy.so``). Debian's
``sqlite3`` shell holds no version of its own (its banner prints ``sqlite3_libversion()`` at run
time): its ``SQLITE_SOURCE_ID``, next to "SQLite header and source version mismatch", is the
header's, compared with the library's at start-up, so it stays "built against".
"""

_SONAMES = tuple(
    (component, re.compile(rf"(?:{names})\.so(?:\.\d+)*")) for component, names in SHARED_LIBRARIES
)


def shared_library_component(soname: str) -> str | None:
    """The catalogue id of the component built as the shared library ``soname``, if any."""
    for component, pattern in _SONAMES:
        if pattern.fullmatch(soname):
            return component
    return None


LONGEST_REACH = max(s.before + s.after + 128 + 2 * s.near for s in SIGNATURES) + 256
"""How far one match's evidence can stretch: chunks overlap by at least this much."""


def by_id() -> dict[str, Signature]:
    return {s.id: s for s in SIGNATURES}
