"""The toolchain's own runtime in a linker map: whose C library an archive is, and its version.

``libc.a`` is glibc's, newlib's or musl's, and so is ``libm.a``: the name does not say which.
The path does. A toolchain keeps its libraries under its target triplet: a bare-metal target
(``arm-none-eabi``, ``xtensa-esp32-elf``, ``riscv64-unknown-elf``) has newlib, a Linux target
(``x86_64-linux-gnu``, ``arm-poky-linux-gnueabi``, ``x86_64-redhat-linux``) glibc, and a
``-linux-musl`` one musl; some paths name the library (``newlib``, ``musl``, ``picolibc``). An
archive whose own path names no target (``/usr/lib64/libc.a``) is decided by the other files the
map links (crt files, ``gcc/<triplet>/<version>/libgcc.a``) when they agree. A C library that
mdrgate has no entry for (picolibc, uClibc, bionic, mingw's) is left to the generic fallback.

Versions, where the build left them: glibc installs its static math library as ``libm-2.36.a``;
GCC's runtime lives in ``gcc/<triplet>/<version>/`` (``12.2.1``; Debian keeps only the major,
``12``), and the compiler that built the image writes its version into the image's ``.comment``
section (``GCC: (Debian 12.2.0-14+deb12u1) 12.2.0``), which is used when it agrees with the
directory. newlib and musl leave no version in either place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mdrgate.collect.firmware.linkmap import archive_basename

RUNTIME_IDS = frozenset({"glibc", "newlib", "musl", "libgcc", "libstdcxx"})
"""Catalogue ids of the toolchain runtime: their archives are not read (they carry no version
text), their versions come from paths and the image's ``.comment``."""
GCC_RUNTIME_IDS = frozenset({"libgcc", "libstdcxx"})

_SHARED_NAMES: dict[str, frozenset[str]] = {
    "glibc": frozenset(
        {
            "libc.a",
            "libm.a",
            "libg.a",
            "libmvec.a",
            "libpthread.a",
            "libdl.a",
            "librt.a",
            "libresolv.a",
            "libutil.a",
            "libanl.a",
            "libbrokenlocale.a",
            "libmcheck.a",
        }
    ),
    "newlib": frozenset({"libc.a", "libm.a", "libg.a"}),
    "musl": frozenset(
        {
            "libc.a",
            "libm.a",
            "libpthread.a",
            "libdl.a",
            "librt.a",
            "libresolv.a",
            "libutil.a",
            "libcrypt.a",
            "libxnet.a",
        }
    ),
}
"""Archive names each C library installs that other C libraries install too."""
_AMBIGUOUS = frozenset().union(*_SHARED_NAMES.values())
_GLIBC_VERSIONED = re.compile(
    r"^lib(?:c|m|mvec|pthread|dl|rt|resolv|util|anl)-(?P<version>2\.\d{1,2})\.a$"
)
_OTHER_LIBC = ("picolibc", "uclibc", "bionic", "dietlibc", "klibc", "mingw")
_LINUX = re.compile(r"-linux(?:-(?P<abi>[a-z0-9_]+))?$")
_BARE_METAL = re.compile(r"-(?:none-eabi(?:hf)?|elf|eabi(?:hf)?)(?:$|-\d)")
_TRIPLET = re.compile(r"^[a-z0-9_]+(?:-[a-z0-9_.]+){1,4}$")
_GCC_DIR = re.compile(r"/(?:gcc|gcc-cross|gcc-lib)/[^/]+/(?P<version>\d{1,2}(?:\.\d{1,2}){0,2})/")
_GCC_COMMENT = re.compile(r"^GCC: \([^()]*\) (?P<version>\d{1,2}\.\d{1,2}\.\d{1,2})(?![\d.])")


def libc_of(path: str) -> str | None:
    """What a path says about the C library it belongs to: ``glibc``, ``newlib``, ``musl``,
    ``other`` (one mdrgate has no entry for) or ``None`` (nothing)."""
    text = path.replace("\\", "/").lower()
    if any(name in text for name in _OTHER_LIBC):
        return "other"
    if "newlib" in text:
        return "newlib"
    if "musl" in text:
        return "musl"
    for segment in text.split("/"):
        if not _TRIPLET.match(segment):
            continue
        linux = _LINUX.search(segment)
        if linux:
            abi = linux["abi"] or "gnu"
            if abi.startswith("gnu"):
                return "glibc"
            return "musl" if abi.startswith("musl") else "other"
        if _BARE_METAL.search(segment):
            return "newlib"
    return None


def map_libc(paths: Iterable[str]) -> str | None:
    """The C library the files a map links point to, when those that say anything agree."""
    said = {libc_of(path) for path in paths} - {None}
    return said.pop() if len(said) == 1 else None


def runtime_id(path: str, hint: str | None) -> str | None:
    """The catalogue id of an archive with a name several C libraries use (``libc.a``), decided
    from its path, else from ``hint`` (``map_libc``); ``None`` when it cannot be told."""
    name = archive_basename(path)
    if _GLIBC_VERSIONED.match(name):
        return "glibc"
    if name not in _AMBIGUOUS:
        return None
    libc = libc_of(path) or hint
    if libc in _SHARED_NAMES and name in _SHARED_NAMES[libc]:
        return libc
    return None


def glibc_version(paths: Iterable[str]) -> tuple[str, str] | None:
    """glibc's release from the name of a versioned archive (``libm-2.36.a``) and that path,
    when the names agree."""
    found: dict[str, str] = {}
    for path in paths:
        m = _GLIBC_VERSIONED.match(archive_basename(path))
        if m:
            found.setdefault(m["version"], path)
    return next(iter(found.items())) if len(found) == 1 else None


def gcc_directory_versions(paths: Iterable[str]) -> set[str]:
    """The versions of the ``gcc/<triplet>/<version>/`` directories the archives lie in."""
    out = set()
    for path in paths:
        m = _GCC_DIR.search(path.replace("\\", "/"))
        if m:
            out.add(m["version"])
    return out


def gcc_version(directories: set[str], comments: Iterable[str]) -> tuple[str, str | None] | None:
    """GCC's version for its runtime: the directory's when it is complete (``12.2.1``), else the
    one the image's ``.comment`` names that agrees with the directory (``12`` → ``12.2.0``),
    with that comment; ``None`` when they do not tell one version."""
    complete = {d for d in directories if d.count(".") == 2}
    if len(complete) == 1 and all(_agrees(next(iter(complete)), d) for d in directories):
        return next(iter(complete)), None
    named: dict[str, str] = {}
    for comment in comments:
        m = _GCC_COMMENT.match(comment)
        if m and all(_agrees(m["version"], d) for d in directories):
            named.setdefault(m["version"], comment)
    if len(named) == 1:
        version, comment = next(iter(named.items()))
        return version, comment
    return None


def _agrees(version: str, prefix: str) -> bool:
    return version == prefix or version.startswith(prefix + ".")
