"""Statically linked images that bundle real Debian static libraries: is every library found?

The script downloads Debian 12 ``-dev`` packages (``apt-get download``, not installed), unpacks
them with ``dpkg-deb -x`` into ``benchmarks/.work/static-image/root``, and compiles with gcc
(``-O2 -static``) one program per image in the table ``IMAGES``. Each bundled library gets its
own C file that uses it the way a device program would (compress a buffer, open a database,
parse a document, create a TLS context ...) and returns the library's own version text, so the
library is linked in; ``main`` prints those texts. The link writes a GNU ld map
(``-Wl,-Map=image.map``). Before any tool runs, the script checks its truth two ways: the map
must list members of every bundled archive, and the image, when run, must print every
library's upstream version as the Debian package states it.

Then, on the same image, it times (``--runs``, one warm-up run discarded) and scores:
``mdrgate sbom image.elf image.map --libraries <unpacked lib dir>`` (the map's archives lie
outside the image's directory; the link ran here, so their directory is declared), ``mdrgate
sbom image.elf`` (the image alone),
``cve-bin-tool`` and ``syft`` on the directory holding ``image.elf`` and ``image.map``. A
library counts as found when the tool reports it, anywhere in its output for that image, with
the truth's version (names mapped through ``benchmarks/inputs/firmware-component-names.csv``);
for mdrgate the component must also be marked ``mdrgate:presence=in-image``. The toolchain
runtime (glibc from libc6-dev, libgcc from the package holding gcc's ``libgcc.a``), when the map
shows its members linked, is part of the image: it is scored and shown, but it is not one of the
bundled libraries the goal is about.

Goal (issue 3): mdrgate (image + map) finds every bundled library with the right version,
marked present, and reports nothing else. Skips cleanly without gcc, apt-get, dpkg-deb or the
packages.

    .venv/bin/python benchmarks/bench_static_image.py [--peers .peers] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from firmware_scoring import (
    CBT_ENV,
    SYFT_ENV,
    TruthRow,
    cbt_detections,
    load_names,
    mdrgate_detections,
    mdrgate_presence,
    score,
    syft_detections,
    timed_runs,
    upstream_version,
)
from harness import MDRGATE, REPO, WORK, Json, log, shown, tool_version

HERE = WORK / "static-image"
ROOT = HERE / "root"
DEBS = HERE / "debs"
LIBDIR = ROOT / "usr" / "lib" / "x86_64-linux-gnu"
RUNTIME = ("glibc", "libgcc")
"""The toolchain runtime of a static image: scored and shown, not a bundled library."""
RUNTIME_ARCHIVES = {
    "glibc": ("libc.a", "libm.a", "libm-2.36.a"),
    "libgcc": ("libgcc.a", "libgcc_eh.a"),
}
"""Archives whose members in the map show that a runtime component was linked."""


@dataclass(frozen=True)
class Library:
    component: str  # the truth's (and the name table's) component name
    package: str  # the Debian -dev package holding the static archives
    archives: tuple[str, ...]  # in link order
    source: str  # one C file defining ``const char *use_<symbol>(void)``

    @property
    def symbol(self) -> str:
        return self.component.replace("-", "_")


def _lib(component: str, package: str, archives: tuple[str, ...], body: str) -> Library:
    symbol = component.replace("-", "_")
    return Library(component, package, archives, body.replace("USE", f"use_{symbol}"))


# In link order: a library comes before the libraries it needs.
LIBRARIES: tuple[Library, ...] = (
    _lib(
        "libpng",
        "libpng-dev",
        ("libpng16.a",),
        """#include <png.h>
const char *USE(void) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_destroy_read_struct(&png, NULL, NULL);
    return png_get_libpng_ver(NULL);
}
""",
    ),
    _lib(
        "libjpeg-turbo",
        "libjpeg62-turbo-dev",
        ("libjpeg.a",),
        """#include <stdio.h>
#include <jpeglib.h>
#define JPEG_TURBO_STR2(x) #x
#define JPEG_TURBO_STR(x) JPEG_TURBO_STR2(x)
const char *USE(void) {
    static struct jpeg_compress_struct cinfo;
    static struct jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    /* The libjpeg API has no call that returns libjpeg-turbo's version (its JMSG_VERSION is the
       emulated IJG "6b"): print the one of the package's jconfig.h, as a bare number. */
    return JPEG_TURBO_STR(LIBJPEG_TURBO_VERSION);
}
""",
    ),
    _lib(
        "sqlite",
        "libsqlite3-dev",
        ("libsqlite3.a",),
        """#include <sqlite3.h>
const char *USE(void) {
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) == SQLITE_OK) {
        sqlite3_exec(db, "create table alarms(at text, code int)", 0, 0, 0);
        sqlite3_close(db);
    }
    return sqlite3_libversion();
}
""",
    ),
    _lib(
        "expat",
        "libexpat1-dev",
        ("libexpat.a",),
        """#include <expat.h>
const char *USE(void) {
    XML_Parser parser = XML_ParserCreate(NULL);
    XML_Parse(parser, "<pump rate=\\"42\\"/>", 17, 1);
    XML_ParserFree(parser);
    return XML_ExpatVersion();
}
""",
    ),
    _lib(
        "pcre2",
        "libpcre2-dev",
        ("libpcre2-8.a",),
        """#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
const char *USE(void) {
    static char version[64];
    int error;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR) "rate=([0-9]+)", PCRE2_ZERO_TERMINATED, 0,
                                   &error, &offset, NULL);
    if (re) {
        pcre2_match_data *match = pcre2_match_data_create_from_pattern(re, NULL);
        pcre2_match(re, (PCRE2_SPTR) "rate=42", 7, 0, 0, match, NULL);
        pcre2_match_data_free(match);
        pcre2_code_free(re);
    }
    pcre2_config(PCRE2_CONFIG_VERSION, version);
    return version;
}
""",
    ),
    _lib(
        "zstd",
        "libzstd-dev",
        ("libzstd.a",),
        """#include <zstd.h>
const char *USE(void) {
    static char plain[64] = "infusion pump event log", packed[256];
    ZSTD_compress(packed, sizeof packed, plain, sizeof plain, 3);
    return ZSTD_versionString();
}
""",
    ),
    _lib(
        "xz",
        "liblzma-dev",
        ("liblzma.a",),
        """#include <lzma.h>
const char *USE(void) {
    static uint8_t plain[64] = "infusion pump event log", packed[256];
    size_t used = 0;
    lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, plain, sizeof plain, packed, &used,
                            sizeof packed);
    return lzma_version_string();
}
""",
    ),
    _lib(
        "bzip2",
        "libbz2-dev",
        ("libbz2.a",),
        """#include <bzlib.h>
const char *USE(void) {
    static char plain[64] = "infusion pump event log", packed[256];
    unsigned int packed_len = sizeof packed;
    BZ2_bzBuffToBuffCompress(packed, &packed_len, plain, sizeof plain, 9, 0, 0);
    return BZ2_bzlibVersion();
}
""",
    ),
    _lib(
        "zlib",
        "zlib1g-dev",
        ("libz.a",),
        """#include <zlib.h>
const char *USE(void) {
    static unsigned char plain[64] = "infusion pump event log", packed[128], back[64];
    uLongf packed_len = sizeof packed, back_len = sizeof back;
    if (compress(packed, &packed_len, plain, sizeof plain) == Z_OK)
        uncompress(back, &back_len, packed, packed_len);
    return zlibVersion();
}
""",
    ),
    _lib(
        "mbedtls",
        "libmbedtls-dev",
        ("libmbedtls.a", "libmbedx509.a", "libmbedcrypto.a"),
        """#include <mbedtls/version.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
const char *USE(void) {
    static char version[32];
    mbedtls_ssl_context ssl;
    mbedtls_x509_crt chain;
    mbedtls_ssl_init(&ssl);
    mbedtls_x509_crt_init(&chain);
    mbedtls_x509_crt_free(&chain);
    mbedtls_ssl_free(&ssl);
    mbedtls_version_get_string_full(version);
    return version;
}
""",
    ),
    _lib(
        "wolfssl",
        "libwolfssl-dev",
        ("libwolfssl.a",),
        """#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
const char *USE(void) {
    wolfSSL_Init();
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfTLSv1_2_client_method());
    wolfSSL_CTX_free(ctx);
    return wolfSSL_lib_version();
}
""",
    ),
    _lib(
        "openssl",
        "libssl-dev",
        ("libssl.a", "libcrypto.a"),
        """#include <openssl/crypto.h>
#include <openssl/ssl.h>
const char *USE(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_free(ctx);
    return OpenSSL_version(OPENSSL_VERSION);
}
""",
    ),
)

# wolfSSL's static archive defines OpenSSL-compatible symbols (SSL_CTX_set_tmp_dh_callback ...)
# that clash with libssl.a, so the two TLS stacks go into separate images.
IMAGES: dict[str, tuple[str, ...]] = {
    "gateway": (
        "zlib",
        "bzip2",
        "xz",
        "zstd",
        "pcre2",
        "expat",
        "sqlite",
        "libpng",
        "libjpeg-turbo",
        "openssl",
        "mbedtls",
    ),
    "sensor": ("wolfssl", "sqlite", "zlib"),
}


def skipped(reason: str) -> int:
    print(f"bench_static_image: skipped: {reason}", file=sys.stderr)
    print(json.dumps({"benchmark": "static_image", "skipped": reason}))
    return 0


def fetch_packages(packages: list[str]) -> str | None:
    """Download and unpack the packages (once); the reason they cannot be had, or None."""
    DEBS.mkdir(parents=True, exist_ok=True)
    missing = [p for p in packages if not list(DEBS.glob(f"{p}_*.deb"))]
    if missing:
        log(f"apt-get download {' '.join(missing)}")
        done = subprocess.run(
            ["apt-get", "download", *missing], check=False, cwd=DEBS, capture_output=True, text=True
        )
        still = [p for p in missing if not list(DEBS.glob(f"{p}_*.deb"))]
        if still:
            return f"apt-get download failed for {', '.join(still)}: {done.stderr.strip()[-300:]}"
        shutil.rmtree(ROOT, ignore_errors=True)
    if not (ROOT / ".unpacked").exists():
        shutil.rmtree(ROOT, ignore_errors=True)
        for deb in sorted(DEBS.glob("*.deb")):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(ROOT)], check=True)
        (ROOT / ".unpacked").write_text("")
    return None


def deb_of(package: str) -> Path:
    return sorted(DEBS.glob(f"{package}_*.deb"))[-1]


def deb_version(package: str) -> str:
    done = subprocess.run(
        ["dpkg-deb", "-f", str(deb_of(package)), "Version"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _run(argv: list[str]) -> str | None:
    done = subprocess.run(argv, check=False, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def runtime_packages() -> dict[str, str]:
    """The Debian package of each runtime component: libc6-dev, and the one holding the
    ``libgcc.a`` gcc links (``gcc -print-libgcc-file-name``, ``dpkg -S``)."""
    packages = {"glibc": "libc6-dev"}
    libgcc = _run(["gcc", "-print-libgcc-file-name"])
    owner = _run(["dpkg", "-S", str(Path(libgcc).resolve())]) if libgcc else None
    if owner:
        packages["libgcc"] = owner.split(":", 1)[0]
    return packages


def deb_version_of(package: str) -> str | None:
    return _run(["dpkg-query", "-W", "-f", "${Version}", package])


def main_source(libraries: list[Library]) -> str:
    lines = ["#include <stdio.h>"]
    lines += [f"const char *use_{lib.symbol}(void);" for lib in libraries]
    lines += ["", "int main(void) {"]
    lines += [f'    printf("{lib.component}\\t%s\\n", use_{lib.symbol}());' for lib in libraries]
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines)


def build(name: str, libraries: list[Library]) -> tuple[Path, Path, Json]:
    """Compile and link one image; its ELF file, its map and the build facts."""
    src = HERE / name / "src"
    out = HERE / name / "out"
    for folder in (src, out):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    (src / "main.c").write_text(main_source(libraries))
    for lib in libraries:
        (src / f"use_{lib.symbol}.c").write_text(lib.source)
    elf, linker_map = out / "image.elf", out / "image.map"
    archives = [LIBDIR / archive for lib in libraries for archive in lib.archives]
    argv: list[str | Path] = [
        *["gcc", "-O2", "-static", f"-I{ROOT}/usr/include"],
        f"-I{ROOT}/usr/include/x86_64-linux-gnu",
        *sorted(src.glob("*.c")),
        "-o",
        elf,
        f"-Wl,-Map={linker_map}",
        *archives,
        *["-lm", "-lpthread", "-ldl"],
    ]
    log(f"{name}: gcc ... ({len(libraries)} libraries, {len(archives)} archives)")
    done = subprocess.run([str(a) for a in argv], check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{shown(argv)} failed:\n{done.stderr[-3000:]}")
    map_text = linker_map.read_text(errors="replace")
    linked = {a: f"{LIBDIR / a}(" in map_text for lib in libraries for a in lib.archives}
    unlinked = [lib.component for lib in libraries if not any(linked[a] for a in lib.archives)]
    if unlinked:
        raise RuntimeError(f"{name}: the map lists no member of {', '.join(unlinked)}")
    ran = subprocess.run([str(elf)], check=False, capture_output=True, text=True, timeout=60)
    printed = dict(line.split("\t", 1) for line in ran.stdout.splitlines() if "\t" in line)
    facts = {
        "command": shown(argv),
        "elf_bytes": elf.stat().st_size,
        "map_lines": map_text.count("\n"),
        "archives_linked": dict(sorted(linked.items())),
        "runtime_linked": sorted(
            component
            for component, archives in RUNTIME_ARCHIVES.items()
            if any(f"/{archive}(" in map_text for archive in archives)
        ),
        "printed_by_image": printed,
        "image_exit_code": ran.returncode,
    }
    return elf, linker_map, facts


def image_truth(
    name: str, libraries: list[Library], printed: dict[str, str], linked_runtime: set[str]
) -> list[TruthRow]:
    rows = []
    for lib in libraries:
        version = deb_version(lib.package)
        upstream = upstream_version(version)
        if upstream not in printed.get(lib.component, ""):
            raise RuntimeError(
                f"{name}: {lib.component} printed {printed.get(lib.component)!r}, "
                f"but {lib.package} {version} says {upstream}: the truth would be wrong"
            )
        rows.append(TruthRow(name, lib.component, upstream, f"{lib.package} {version}"))
    for component, package in runtime_packages().items():
        version = deb_version_of(package)
        if version and component in linked_runtime:
            rows.append(
                TruthRow(name, component, upstream_version(version), f"{package} {version}")
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=Path, default=REPO / ".peers")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not MDRGATE.exists():
        return skipped(f"{MDRGATE} is not installed (run make venv)")
    for tool in ("gcc", "apt-get", "dpkg-deb"):
        if shutil.which(tool) is None:
            return skipped(f"{tool} is not installed")
    by_name = {lib.component: lib for lib in LIBRARIES}
    problem = fetch_packages(sorted({lib.package for lib in LIBRARIES}))
    if problem:
        return skipped(problem)
    peers = args.peers.resolve()
    cbt = peers / "bin" / "cbt-offline"
    syft = peers / "venv" / "bin" / "syft-go"
    names = load_names()
    notes: Json = {
        "tool_versions": {
            "mdrgate": tool_version([MDRGATE, "--version"]),
            "gcc": tool_version(["gcc", "--version"]),
        },
        "skipped": {},
        "images": {},
    }
    tools = ["mdrgate (image + map)", "mdrgate (image only)"]
    for tool, binary in (("cve-bin-tool", cbt), ("syft", syft)):
        if binary.exists():
            tools.append(tool)
            notes["tool_versions"][tool] = tool_version([binary, "--version"])
        else:
            notes["skipped"][tool] = f"{binary} absent (bash ../shared/peers/setup-peers.sh .peers)"

    measurements: list[Json] = []
    table: list[Json] = []
    goal_parts: list[bool] = []
    for name, members in IMAGES.items():
        libraries = [lib for lib in LIBRARIES if lib.component in members]  # link order
        assert len(libraries) == len(members), set(members) - set(by_name)
        elf, linker_map, facts = build(name, libraries)
        truth = image_truth(
            name, libraries, facts["printed_by_image"], set(facts["runtime_linked"])
        )
        facts["truth"] = [
            {"component": r.component, "version": r.version, "from": r.source} for r in truth
        ]
        notes["images"][name] = facts

        def whole_image(location: str, image: str = name) -> str:
            return image  # every location a tool names for this image counts for the image

        out = elf.parent.parent / "results"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        commands: dict[str, list[str | Path]] = {
            "mdrgate (image + map)": [
                *[MDRGATE, "sbom", elf, linker_map, "--libraries", LIBDIR],
                *["-o", out / "mdrgate.json"],
            ],
            "mdrgate (image only)": [MDRGATE, "sbom", elf, "-o", out / "mdrgate-elf.json"],
            "cve-bin-tool": [
                cbt,
                *["-l", "debug", "--sbom-output", str(out / "cbt.json"), "--sbom-type"],
                *["cyclonedx", "--sbom-format", "json", str(elf.parent)],
            ],
            "syft": [
                syft,
                "scan",
                f"dir:{elf.parent}",
                "-q",
                f"-o=cyclonedx-json={out / 'syft.json'}",
            ],
        }
        scores: dict[str, Json] = {}
        presence: dict[str, str] = {}
        for tool in tools:
            logfile = out / f"{tool.split()[0]}{'-elf' if 'only' in tool else ''}.log"
            env = CBT_ENV if tool == "cve-bin-tool" else SYFT_ENV if tool == "syft" else None
            m = timed_runs(
                f"{tool}, {name}", commands[tool], runs=args.runs, log_file=logfile, env=env
            )
            if tool.startswith("mdrgate"):
                sbom = commands[tool][-1]
                assert isinstance(sbom, Path)
                detections = mdrgate_detections(sbom, whole_image, names)
                if "map" in tool:
                    presence = mdrgate_presence(sbom)
            elif tool == "cve-bin-tool":
                detections = cbt_detections(logfile.read_text(errors="replace"), whole_image, names)
            else:
                detections = syft_detections(out / "syft.json", whole_image, names)
            result = score(truth, detections)
            scores[tool] = result
            m.update({"tool": tool, "image": name})
            m.update({k: v for k, v in result.items() if k != "rows"})
            measurements.append(m)
        for row in truth:
            line: Json = {
                "image": name,
                "component": row.component,
                "truth": row.version,
                "from": row.source,
                "bundled": row.component not in RUNTIME,
            }
            for tool, result in scores.items():
                scored = next(r for r in result["rows"] if r["component"] == row.component)
                line[tool] = {k: scored[k] for k in ("outcome", "reported_versions")}
            line["mdrgate_presence"] = presence.get(row.component, "")
            table.append(line)
        ours = scores["mdrgate (image + map)"]
        goal_parts.append(ours["false_positives"] == 0)
        goal_parts += [
            line["mdrgate (image + map)"]["outcome"] == "right"
            and line["mdrgate_presence"] == "in-image"
            for line in table
            if line["image"] == name and line["bundled"]
        ]
    notes["libraries"] = table
    notes["tables"] = [table_md(table, tools)]
    result_json = {
        "benchmark": "static_image",
        "goal": (
            "mdrgate sbom image.elf image.map finds every bundled library with the right "
            "version, marked in-image, and no false positive"
        ),
        "goal_met": all(goal_parts),
        "measurements": measurements,
        "notes": notes,
    }
    print(json.dumps(result_json, indent=2))
    return 0


def table_md(table: list[Json], tools: list[str]) -> str:
    def cell(entry: Json) -> str:
        versions = ", ".join(entry["reported_versions"])
        text = {"right": "right", "wrong": "WRONG", "no_version": "no version", "missed": "-"}[
            entry["outcome"]
        ]
        return f"{text} ({versions})" if entry["outcome"] == "wrong" else text

    lines = [
        "| image | library | truth | " + " | ".join(tools) + " | mdrgate presence |",
        "|---|---|---|" + "---|" * len(tools) + "---|",
    ]
    for line in table:
        label = line["component"] + ("" if line["bundled"] else " (C runtime)")
        cells = [cell(line[tool]) for tool in tools]
        lines.append(
            f"| {line['image']} | {label} | {line['truth']} | "
            + " | ".join(cells)
            + f" | {line['mdrgate_presence'] or '-'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
