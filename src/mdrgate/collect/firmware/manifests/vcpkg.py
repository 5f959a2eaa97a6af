"""vcpkg manifests (``vcpkg.json``).

Package URL: ``pkg:vcpkg/<port>@<version>?port_version=<n>``, the type the purl specification
registered for vcpkg (namespace prohibited; the port revision is a qualifier, not part of the
version). What the manifest says about versions:

- ``overrides`` give exact versions (vcpkg uses exactly that version, whatever else asks);
- ``version>=`` is a minimum: vcpkg may pick a newer version (the baseline's, or one a transitive
  dependency needs), so it is kept as the version spec and the component has no exact version;
- a dependency with neither takes its version from the ``builtin-baseline`` registry commit,
  which the manifest alone does not tell.

Host dependencies (``"host": true``: tools that run during the build) are inventoried only with
``include_dev``. A ``platform`` expression is recorded, not evaluated.
"""

from __future__ import annotations

import json
from typing import Any

from packageurl import PackageURL

from mdrgate.collect.base import InputSpec
from mdrgate.collect.firmware.manifests.declared import (
    PROP_SCOPE,
    PROP_VERSION_FROM,
    Declared,
    LineFinder,
    Manifest,
)
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, InputFile

PROP_BASELINE = "mdrgate:vcpkg:builtin-baseline"
PROP_FEATURES = "mdrgate:vcpkg:features"
PROP_PLATFORM = "mdrgate:vcpkg:platform"
_VERSION_KEYS = ("version", "version-semver", "version-date", "version-string")


def _split_port_version(text: str) -> tuple[str, str | None]:
    """``1.2.11#9`` → (``1.2.11``, ``9``): vcpkg's ``#`` separates the port revision."""
    version, sep, port = text.partition("#")
    return version, (port if sep else None)


def read(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", source=spec.display, location=str(exc.lineno)
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to be read", source=spec.display) from None
    if not isinstance(data, dict):
        raise InputError("a vcpkg.json manifest is a JSON object", source=spec.display)
    finder = LineFinder(text)
    baseline = data.get("builtin-baseline")
    overrides = _overrides(spec, data.get("overrides"), finder, manifest)
    dependencies = data.get("dependencies", [])
    if not isinstance(dependencies, list):
        raise InputError("dependencies: expected a list", source=spec.display)
    for index, entry in enumerate(dependencies):
        _dependency(spec, index, entry, finder, manifest, overrides, baseline)
    return ()


def _overrides(
    spec: InputSpec, raw: Any, finder: LineFinder, manifest: Manifest
) -> dict[str, tuple[str, str | None]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise InputError("overrides: expected a list", source=spec.display)
    found: dict[str, tuple[str, str | None]] = {}
    for index, entry in enumerate(raw):
        name = entry.get("name") if isinstance(entry, dict) else None
        version_text = next(
            (entry[k] for k in _VERSION_KEYS if isinstance(entry, dict) and k in entry), None
        )
        if not isinstance(name, str) or not isinstance(version_text, str):
            manifest.note(
                "unparsable-entry",
                f'overrides[{index}]: expected {{"name": ..., "version": ...}}, got '
                f"{json.dumps(entry)[:80]}",
                level=DiagnosticLevel.ERROR,
            )
            continue
        version, port = _split_port_version(version_text)
        port_version = entry.get("port-version")
        if isinstance(port_version, int) and port is None:
            port = str(port_version)
        found[name] = (version, port)
    return found


def _dependency(
    spec: InputSpec,
    index: int,
    entry: Any,
    finder: LineFinder,
    manifest: Manifest,
    overrides: dict[str, tuple[str, str | None]],
    baseline: Any,
) -> None:
    if isinstance(entry, str):
        features: list[Any] = []
        name, minimum, host, platform = entry, None, False, None
    elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
        name = entry["name"]
        minimum = entry.get("version>=")
        host = entry.get("host") is True
        features = entry.get("features") or []
        platform = entry.get("platform")
    else:
        manifest.note(
            "unparsable-entry",
            f'dependencies[{index}]: expected a port name or an object with "name", got '
            f"{json.dumps(entry)[:80]}",
            level=DiagnosticLevel.ERROR,
        )
        return
    if host and not spec.include_dev:
        return
    line = finder.line(name)
    properties: list[tuple[str, str]] = []
    if host:
        properties.append((PROP_SCOPE, "build"))
    if isinstance(baseline, str):
        properties.append((PROP_BASELINE, baseline))
    names = sorted(
        f if isinstance(f, str) else str(f.get("name"))
        for f in features
        if isinstance(f, str | dict)
    )
    if names:
        properties.append((PROP_FEATURES, ",".join(names)))
    if isinstance(platform, str):
        properties.append((PROP_PLATFORM, platform))
    override = overrides.get(name)
    if override is not None:
        version, port = override
        purl = PackageURL(
            type="vcpkg", name=name, qualifiers={"port_version": port} if port else None
        )
        properties.append((PROP_VERSION_FROM, "override"))
        manifest.add(
            Declared(
                name,
                purl,
                line,
                f"{name} (override {version})",
                version=version,
                properties=tuple(properties),
            )
        )
        return
    purl = PackageURL(type="vcpkg", name=name)
    if isinstance(minimum, str):
        why = f"version>= {minimum} is a minimum; vcpkg may use a newer version"
        manifest.add(
            Declared(
                name,
                purl,
                line,
                f'{name} "version>=": "{minimum}"',
                version_spec=f">={minimum}",
                unknown_because=why,
                properties=tuple(properties),
            )
        )
        return
    why = (
        f"the version comes from the vcpkg baseline {baseline}, which the manifest does not list"
        if isinstance(baseline, str)
        else "no version and no baseline: vcpkg uses whatever its ports tree holds"
    )
    manifest.add(
        Declared(name, purl, line, name, unknown_because=why, properties=tuple(properties))
    )
