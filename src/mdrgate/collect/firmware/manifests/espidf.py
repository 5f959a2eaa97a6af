"""ESP-IDF component manager: ``idf_component.yml`` manifests and ``dependencies.lock``.

Package URL: the ESP Component Registry has no purl type (none is registered or proposed in the
purl specification), so registry components are ``pkg:generic/<namespace>/<name>@<version>`` with
``repository_url=https://components.espressif.com`` (the purl spec's qualifier for "the registry
this comes from"); shorthand names without a namespace are in the registry's default ``espressif``
namespace. ESP-IDF itself (the ``idf`` dependency) is the catalogue's ESP-IDF when the catalogue has
it, else ``pkg:github/espressif/esp-idf``. Git sources are named by their repository
(``vcs.Repository.purl``), local sources are not third-party packages and are left to the source
scan (an ``info`` note says so).

The lock gives exact versions. A registry version ``1.7.19~2`` is upstream release ``1.7.19`` in
the registry's packaging revision 2: the version is ``1.7.19`` (what advisories name), the full
text stays in the purl and in ``mdrgate:espidf:registry-version``. A manifest's range is a
version spec; when a ``dependencies.lock`` of the same project (beside the manifest or in a
parent directory of the scanned tree) locks that component, its locked version is used and the
component records ``mdrgate:manifest:pinned-by``. ``rules``/``matches`` conditions are recorded,
not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from mdrgate.collect.base import InputSpec, digest_bytes
from mdrgate.collect.firmware.manifests.declared import (
    PROP_PINNED_BY,
    PROP_REF,
    PROP_URL,
    PROP_VERSION_FROM,
    Declared,
    Manifest,
    sibling_display,
)
from mdrgate.collect.firmware.manifests.vcs import RefKind, classify_ref, parse_repository, redact
from mdrgate.documents import Document, parse_yaml
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, InputFile

REGISTRY = "https://components.espressif.com"
PROP_REGISTRY_VERSION = "mdrgate:espidf:registry-version"
PROP_CONDITIONS = "mdrgate:espidf:conditions"
PROP_TARGET = "mdrgate:espidf:target"
_IDF_PURL = PackageURL(type="github", namespace="espressif", name="esp-idf")


def _full_name(name: str) -> str:
    return name if "/" in name else f"espressif/{name}"


def _registry_purl(name: str, registry: str | None) -> PackageURL:
    namespace, _, short = _full_name(name).partition("/")
    url = (registry or REGISTRY).rstrip("/")
    return PackageURL(
        type="generic", namespace=namespace, name=short, qualifiers={"repository_url": url}
    )


def _split_registry_version(text: str) -> tuple[str, str | None]:
    version, sep, _ = text.partition("~")
    return version, (text if sep else None)


def _load(spec: InputSpec, text: str) -> Document:
    document = parse_yaml(text, display=spec.display, error=InputError)
    if not isinstance(document.data, dict):
        raise InputError("expected a YAML mapping at the top level", source=spec.display)
    return document


def _source_line(document: Document, *path: str | int) -> int | None:
    return document.line_of(tuple(path))


# --- dependencies.lock ------------------------------------------------------------------------


def read_lock(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    document = _load(spec, text)
    data = document.data
    dependencies = data.get("dependencies") or {}
    if not isinstance(dependencies, dict):
        raise document.error(
            ("dependencies",), "expected a mapping of components", error=InputError
        )
    target = data.get("target")
    for name, entry in dependencies.items():
        line = _source_line(document, "dependencies", name)
        if not isinstance(entry, dict):
            manifest.note(
                "unparsable-entry",
                f"dependencies.{name}: expected a mapping with version and source",
                line,
                level=DiagnosticLevel.ERROR,
            )
            continue
        _locked(manifest, name, entry, line, target)
    return ()


def _locked(
    manifest: Manifest, name: str, entry: dict[str, Any], line: int | None, target: Any
) -> None:
    raw_version = entry.get("version")
    version_text = str(raw_version) if raw_version is not None else None
    raw_source = entry.get("source")
    source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
    kind = source.get("type")
    properties: list[tuple[str, str]] = []
    if isinstance(target, str):
        properties.append((PROP_TARGET, target))
    text = f"{name}: {version_text}" if version_text else name
    if name == "idf" or kind == "idf":
        _idf(manifest, version_text, None, line, text, properties, "lock")
        return
    if kind == "local":
        manifest.note(
            "local-component",
            f"{name}: a local component ({source.get('path', 'path not given')}); it is "
            "inventoried from its sources, not from the lock",
            line,
            level=DiagnosticLevel.INFO,
        )
        return
    if kind == "git" or "git" in source:
        _git(manifest, name, str(source.get("git", "")), version_text, line, text, properties)
        return
    registry = source.get("registry_url") or source.get("service_url")
    purl = _registry_purl(name, registry if isinstance(registry, str) else None)
    if version_text is None or version_text == "*":
        manifest.add(
            Declared(
                _full_name(name),
                purl,
                line,
                text,
                unknown_because="the lock gives no version",
                properties=tuple(properties),
                lookup_names=(purl.name,),
            )
        )
        return
    version, registry_version = _split_registry_version(version_text)
    properties.append((PROP_VERSION_FROM, "lock"))
    if registry_version:
        properties.append((PROP_REGISTRY_VERSION, registry_version))
    manifest.add(
        Declared(
            _full_name(name),
            purl,
            line,
            text,
            version=version,
            purl_version=version_text,
            properties=tuple(properties),
            lookup_names=(purl.name,),
        )
    )


def _idf(
    manifest: Manifest,
    version: str | None,
    spec: str | None,
    line: int | None,
    text: str,
    properties: list[tuple[str, str]],
    version_from: str,
) -> None:
    props = list(properties)
    if version:
        props.append((PROP_VERSION_FROM, version_from))
    manifest.add(
        Declared(
            "ESP-IDF",
            _IDF_PURL,
            line,
            text,
            version=version,
            purl_version=f"v{version}" if version else None,
            version_spec=spec,
            unknown_because=f"the manifest asks for ESP-IDF {spec}" if spec else None,
            properties=tuple(props),
            lookup_names=("ESP-IDF", "esp-idf"),
        )
    )


def _git(
    manifest: Manifest,
    name: str,
    url: str,
    revision: str | None,
    line: int | None,
    text: str,
    properties: list[tuple[str, str]],
) -> None:
    repository = parse_repository(url) if url else None
    props = list(properties)
    if url:
        props.append((PROP_URL, redact(url)))
    if repository is None:
        purl = PackageURL(type="generic", name=name.rsplit("/", 1)[-1])
        repo_name = purl.name
    else:
        purl = repository.purl()
        repo_name = repository.name
    if not revision:
        manifest.add(
            Declared(
                name,
                purl,
                line,
                text,
                unknown_because="a git source without a revision (the repository's default branch)",
                properties=tuple(props),
                lookup_names=(name.rsplit("/", 1)[-1], repo_name),
            )
        )
        return
    ref = classify_ref(revision, repo_name)
    props.append((PROP_REF, ref.text))
    if ref.kind is RefKind.TAG:
        props.append((PROP_VERSION_FROM, "tag"))
        manifest.add(
            Declared(
                name,
                purl,
                line,
                text,
                version=ref.version,
                purl_version=ref.text,
                properties=tuple(props),
                lookup_names=(name.rsplit("/", 1)[-1], repo_name),
            )
        )
        return
    why = (
        f"pinned to git commit {ref.text}, not to a release"
        if ref.kind is RefKind.COMMIT
        else f"follows the git branch or ref {ref.text!r}"
    )
    manifest.add(
        Declared(
            name,
            purl,
            line,
            text,
            version_spec=f"git {ref.kind.value} {ref.text}",
            commit=ref.commit,
            unknown_because=why,
            properties=tuple(props),
            lookup_names=(name.rsplit("/", 1)[-1], repo_name),
        )
    )


# --- idf_component.yml ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lock:
    display: str
    versions: dict[str, tuple[str, int | None]]


def _find_lock(spec: InputSpec) -> tuple[_Lock | None, InputFile | None]:
    """The project's ``dependencies.lock``: beside the manifest or up to two directories above
    (``main/idf_component.yml`` → the project root), never above the scanned tree."""
    directory = spec.path.parent
    stop = spec.root.resolve() if spec.root is not None else None
    for _ in range(3):
        candidate = directory / "dependencies.lock"
        if candidate.is_file():
            return _read_lock_versions(candidate, spec)
        if stop is not None and directory.resolve() == stop:
            break
        if directory.parent == directory:
            break
        directory = directory.parent
    return None, None


def _read_lock_versions(path: Path, spec: InputSpec) -> tuple[_Lock | None, InputFile | None]:
    shown = sibling_display(spec, path)
    try:
        data = path.read_bytes()
        document = parse_yaml(data.decode("utf-8-sig"), display=shown, error=InputError)
    except (OSError, UnicodeDecodeError, InputError):
        return None, None
    deps = document.data.get("dependencies") if isinstance(document.data, dict) else None
    if not isinstance(deps, dict):
        return None, None
    versions: dict[str, tuple[str, int | None]] = {}
    for name, entry in deps.items():
        if isinstance(entry, dict) and entry.get("version") is not None:
            versions[name] = (str(entry["version"]), document.line_of(("dependencies", name)))
    return _Lock(shown, versions), digest_bytes(data, display=shown, kind=spec.kind.value)


def read_manifest(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    document = _load(spec, text)
    dependencies = document.data.get("dependencies") or {}
    if not isinstance(dependencies, dict):
        raise document.error(
            ("dependencies",), "expected a mapping of components", error=InputError
        )
    lock, lock_file = _find_lock(spec)
    for name, entry in dependencies.items():
        line = _source_line(document, "dependencies", name)
        _declared(manifest, document, name, entry, line, lock)
    return (lock_file,) if lock_file is not None else ()


def _declared(
    manifest: Manifest,
    document: Document,
    name: str,
    entry: Any,
    line: int | None,
    lock: _Lock | None,
) -> None:
    if isinstance(entry, str | int | float):
        entry = {"version": str(entry)}
    if not isinstance(entry, dict):
        manifest.note(
            "unparsable-entry",
            f"dependencies.{name}: expected a version or a mapping",
            line,
            level=DiagnosticLevel.ERROR,
        )
        return
    properties: list[tuple[str, str]] = []
    conditions = [
        str(rule.get("if"))
        for key in ("rules", "matches")
        for rule in (entry.get(key) or [])
        if isinstance(rule, dict) and rule.get("if") is not None
    ]
    if conditions:
        properties.append((PROP_CONDITIONS, "; ".join(conditions)))
    requested = entry.get("version")
    requested_text = str(requested) if requested is not None else None
    text = f"{name}: {requested_text}" if requested_text else name
    if ("path" in entry and "git" not in entry) or "override_path" in entry:
        manifest.note(
            "local-component",
            f"{name}: a local component ({entry.get('path') or entry.get('override_path')}); it "
            "is inventoried from its sources, not from the manifest",
            line,
            level=DiagnosticLevel.INFO,
        )
        return
    locked = lock.versions.get(name if name == "idf" else _full_name(name)) if lock else None
    if locked is None and lock is not None and "git" in entry:
        locked = lock.versions.get(name)
    if locked is not None:
        properties.append((PROP_PINNED_BY, f"{lock.display}:{locked[1]}" if lock else ""))
    if "git" in entry:
        revision = locked[0] if locked else requested_text
        _git(manifest, name, str(entry["git"]), revision, line, text, properties)
        return
    if name == "idf":
        if locked is not None:
            _idf(manifest, locked[0], requested_text, line, text, properties, "lock")
        elif requested_text is not None and _is_exact(requested_text):
            _idf(manifest, requested_text, None, line, text, properties, "pin")
        else:
            _idf(manifest, None, requested_text or "*", line, text, properties, "pin")
        return
    registry = entry.get("registry_url")
    purl = _registry_purl(name, registry if isinstance(registry, str) else None)
    full = _full_name(name)
    if locked is not None:
        version, registry_version = _split_registry_version(locked[0])
        properties.append((PROP_VERSION_FROM, "lock"))
        if registry_version:
            properties.append((PROP_REGISTRY_VERSION, registry_version))
        manifest.add(
            Declared(
                full,
                purl,
                line,
                text,
                version=version,
                purl_version=locked[0],
                version_spec=requested_text if requested_text != locked[0] else None,
                properties=tuple(properties),
                lookup_names=(purl.name,),
            )
        )
        return
    if requested_text is not None and _is_exact(requested_text):
        version, registry_version = _split_registry_version(requested_text)
        properties.append((PROP_VERSION_FROM, "pin"))
        if registry_version:
            properties.append((PROP_REGISTRY_VERSION, registry_version))
        manifest.add(
            Declared(
                full,
                purl,
                line,
                text,
                version=version,
                purl_version=requested_text,
                properties=tuple(properties),
                lookup_names=(purl.name,),
            )
        )
        return
    spec_text = requested_text or "*"
    manifest.add(
        Declared(
            full,
            purl,
            line,
            text,
            version_spec=spec_text,
            unknown_because=f"version range {spec_text} and no dependencies.lock locks it",
            properties=tuple(properties),
            lookup_names=(purl.name,),
        )
    )


def _is_exact(text: str) -> bool:
    """A specific version (``2.0.0``, ``==2.0.0``), not a range (``^2.0``, ``>=1``, ``*``)."""
    stripped = text.strip().removeprefix("==").strip()
    if not stripped or stripped[0] in "^~<>=!*" or "," in stripped or " " in stripped:
        return False
    return stripped[0].isdigit()
