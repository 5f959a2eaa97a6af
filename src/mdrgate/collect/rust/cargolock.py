"""``Cargo.lock``, versions 1 to 4: every crate of the build, with its source and checksum.

- Version 1 (no top-level ``version``, checksums under ``[metadata]`` as ``"checksum <name>
  <version> (<source>)"``), version 2 (no top-level ``version``, ``checksum`` per package) and
  ``version = 3`` / ``version = 4`` (the same shape; 4 changes how some sources are encoded).
- Sources: ``registry+https://github.com/rust-lang/crates.io-index`` and
  ``sparse+https://index.crates.io/`` are crates.io; another registry keeps the crates.io
  ecosystem (its crates are usually mirrors) with ``mdrgate:cargo:registry`` and the purl's
  ``repository_url``; ``git+<url>?<ref>#<commit>`` keeps the commit (``mdrgate:vcs:commit``, the
  purl's ``vcs_url``) so that advisories with GIT ranges can be decided.
- A package without ``source`` is the workspace's own (a member or a ``path`` dependency): not
  inventoried as third-party, and listed in one ``info`` diagnostic, because a vendored crate
  copied into the tree would hide there.

A Cargo.lock does not say which crates are only development or build dependencies, or only for
another target platform: all are inventoried, and an ``info`` diagnostic says so. ``checksum`` is
the SHA-256 of the ``.crate`` file and is kept as the component's hash.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from packageurl import PackageURL

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.package import brief, redact_url
from mdrgate.collect.python.sniff import wrong_kind
from mdrgate.collect.python.tomllock import read_toml_lock, table_lines
from mdrgate.errors import InputError
from mdrgate.model import Component, ComponentClass, Diagnostic, DiagnosticLevel, Hash, Origin

COLLECTOR = InputKind.CARGO_LOCK.value
ECOSYSTEM = "crates.io"
EXPECTED = "a Cargo.lock (TOML with [[package]] tables)"
NEVER_EMPTY = "a Cargo.lock always has the workspace's own [[package]]"
SUPPORTED_VERSIONS = (3, 4)
"""Explicit ``version`` values; versions 1 and 2 have none."""
CRATES_IO = frozenset(
    {
        "registry+https://github.com/rust-lang/crates.io-index",
        "sparse+https://index.crates.io/",
    }
)
PROP_REGISTRY = "mdrgate:cargo:registry"
"""The registry index a crate comes from, when it is not crates.io."""
PROP_SOURCE = "mdrgate:cargo:source"
"""The git repository (and branch, tag or rev asked for) a crate is built from."""
PROP_COMMIT = "mdrgate:vcs:commit"
"""The commit a git source is locked at (the matchers read it for OSV GIT ranges)."""

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COMMIT = re.compile(r"^[0-9a-f]{7,64}$")
_LEGACY_CHECKSUM = re.compile(r"^checksum (\S+) (\S+) \((.+)\)$")


def collect_cargo_lock(spec: InputSpec) -> Collected:
    text, file, data = read_toml_lock(spec, expected=EXPECTED, never_empty=NEVER_EMPTY)
    version = data.get("version")
    if version is not None and (
        not isinstance(version, int)
        or isinstance(version, bool)
        or version not in SUPPORTED_VERSIONS
    ):
        raise InputError(
            f"Cargo.lock version {brief(version)} is not supported (supported: 1 to 4)",
            source=spec.display,
            hint="a newer Cargo may have changed the format; please report this file's shape",
        )
    metadata = data.get("metadata")
    if "requires-python" in data or (
        isinstance(metadata, dict) and ("lock-version" in metadata or "content-hash" in metadata)
    ):
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem="it is a Python lock file"
        )
    packages = data.get("package", [])
    if not isinstance(packages, list):
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem="'package' is not an array"
        )
    if not packages and "metadata" not in data and version is None:
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem="there is no [[package]]"
        )
    lines = table_lines(text, "package")
    legacy = _legacy_checksums(data, spec.display)
    made: dict[str, Component] = {}
    local: list[str] = []
    for index, raw in enumerate(packages):
        line = lines[index] if index < len(lines) else None
        name, crate_version, source = _package(raw, index, spec.display, line)
        if source is None:
            local.append(f"{name} {crate_version}")
            continue
        checksum = raw.get("checksum")
        if checksum is None:
            checksum = legacy.get((name, crate_version, source))
        component = _component(name, crate_version, source, checksum, spec.display, line)
        previous = made.get(component.bom_ref)
        if previous is not None:
            component = _combine(previous, component)
        made[component.bom_ref] = component
    notes: list[Diagnostic] = []
    if local:
        notes.append(
            Diagnostic(
                code="local-packages-not-inventoried",
                message=(
                    f"{len(local)} package(s) without a source are the workspace's own (members "
                    f"or path dependencies) and are not inventoried as third-party: "
                    f"{', '.join(sorted(local))}; declare a vendored third-party crate among them "
                    "in the SOUP register"
                ),
                level=DiagnosticLevel.INFO,
                path=spec.display,
            )
        )
    if made:
        notes.append(
            Diagnostic(
                code="dev-dependencies-not-distinguished",
                message=(
                    "Cargo.lock does not record which crates are only development or build "
                    "dependencies, or only for another target, so they cannot be told apart: all "
                    f"{len(made)} locked third-party crates are inventoried"
                ),
                level=DiagnosticLevel.INFO,
                path=spec.display,
            )
        )
    components = tuple(sorted(made.values(), key=lambda c: (c.bom_ref, c.name)))
    return Collected(components, tuple(sorted(notes)), (file,))


def _package(raw: Any, index: int, display: str, line: int | None) -> tuple[str, str, str | None]:
    where = str(line) if line else None
    if not isinstance(raw, dict):
        raise InputError(f"package[{index}] is not a table", source=display, location=where)
    name, version, source = raw.get("name"), raw.get("version"), raw.get("source")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"package[{index}] has no 'name'", source=display, location=where)
    if not isinstance(version, str) or not version.strip():
        raise InputError(
            f"package {name!r} has no 'version' (a lock file pins every package)",
            source=display,
            location=where,
        )
    if source is not None and (not isinstance(source, str) or "+" not in source):
        raise InputError(
            f"package {name!r}: 'source' must be 'kind+url', got {brief(source)}",
            source=display,
            location=where,
        )
    return name.strip(), version.strip(), source


def _legacy_checksums(data: dict[str, Any], display: str) -> dict[tuple[str, str, str], str]:
    """Version 1's ``[metadata]`` checksums, by (name, version, source)."""
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return {}
    found = {}
    for key, value in metadata.items():
        match = _LEGACY_CHECKSUM.match(key)
        if match and isinstance(value, str):
            found[(match.group(1), match.group(2), match.group(3))] = value
    return found


def _component(
    name: str, version: str, source: str, checksum: Any, display: str, line: int | None
) -> Component:
    kind, _, url = source.partition("+")
    properties: list[tuple[str, str]] = []
    qualifiers: dict[str, str] = {}
    if kind == "git":
        locator, _, commit = url.partition("#")
        base = locator.split("?", 1)[0]
        properties.append((PROP_SOURCE, redact_url(f"git+{locator}")))
        if _COMMIT.match(commit.lower()):
            properties.append((PROP_COMMIT, commit.lower()))
            qualifiers["vcs_url"] = redact_url(f"git+{base}@{commit.lower()}")
        else:
            qualifiers["vcs_url"] = redact_url(f"git+{base}")
    elif source not in CRATES_IO:
        try:
            scheme = urlsplit(url).scheme
        except ValueError:  # a damaged URL ("Invalid IPv6 URL"): not a registry mdrgate knows
            scheme = ""
        if kind not in ("registry", "sparse") or not scheme:
            raise InputError(
                f"package {name!r}: unknown source {brief(source)}",
                source=display,
                location=str(line) if line else None,
            )
        properties.append((PROP_REGISTRY, redact_url(source)))
        qualifiers["repository_url"] = redact_url(url)
    hashes: tuple[Hash, ...] = ()
    if checksum is not None:
        if not isinstance(checksum, str) or not _SHA256.match(checksum.lower()):
            raise InputError(
                f"package {name!r}: 'checksum' must be 64 hex digits (SHA-256), got "
                f"{brief(checksum)}",
                source=display,
                location=str(line) if line else None,
            )
        hashes = (Hash("SHA-256", checksum.lower()),)
    purl = PackageURL(
        type="cargo", name=name, version=version, qualifiers=qualifiers or None
    ).to_string()
    return Component(
        name=name,
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem=ECOSYSTEM,
        purl=purl,
        hashes=hashes,
        origins=(Origin(COLLECTOR, display, line),),
        properties=tuple(sorted(properties)),
    )


def _combine(a: Component, b: Component) -> Component:
    from dataclasses import replace

    return replace(
        a,
        hashes=tuple(sorted({*a.hashes, *b.hashes})),
        origins=tuple(sorted({*a.origins, *b.origins})),
        properties=tuple(sorted({*a.properties, *b.properties})),
    )
