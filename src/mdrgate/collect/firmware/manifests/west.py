"""Zephyr west manifests (``west.yml`` and ``submanifests/*.yml``).

Each project is fetched from ``url`` or from its remote's ``url-base`` + ``repo-path`` (default:
the project name) at ``revision`` (default: ``defaults.revision``, else west's default
``master``). The revision is a release tag (``v3.5.0`` → version ``3.5.0``), a commit (kept as the
``mdrgate:vcs:commit`` property; no version) or a branch or other ref (kept as the version spec; no
version). Projects whose every group is disabled by the manifest's ``group-filter`` are not fetched
by west by default and are left out with an ``info`` note. ``import`` is recorded, not followed:
an imported manifest in the scanned tree is read on its own.
"""

from __future__ import annotations

from typing import Any

from packageurl import PackageURL

from mdrgate.collect.base import InputSpec
from mdrgate.collect.firmware.manifests.declared import (
    PROP_REF,
    PROP_URL,
    PROP_VERSION_FROM,
    Declared,
    Manifest,
)
from mdrgate.collect.firmware.manifests.vcs import RefKind, classify_ref, parse_repository
from mdrgate.documents import Document, parse_yaml
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, InputFile

PROP_PATH = "mdrgate:west:path"
PROP_GROUPS = "mdrgate:west:groups"
PROP_IMPORT = "mdrgate:west:import"
DEFAULT_REVISION = "master"


def read(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    document = parse_yaml(text, display=spec.display, error=InputError)
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("manifest"), dict):
        raise InputError(
            "is not a west manifest: expected a top-level 'manifest:' mapping",
            source=spec.display,
        )
    body: dict[str, Any] = data["manifest"]
    remotes = _remotes(document, body)
    raw_defaults = body.get("defaults")
    defaults: dict[str, Any] = raw_defaults if isinstance(raw_defaults, dict) else {}
    disabled = _disabled_groups(body.get("group-filter"))
    projects = body.get("projects") or []
    if not isinstance(projects, list):
        raise document.error(
            ("manifest", "projects"), "expected a list of projects", error=InputError
        )
    skipped: list[str] = []
    for index, project in enumerate(projects):
        path = ("manifest", "projects", index)
        if not isinstance(project, dict) or not isinstance(project.get("name"), str):
            manifest.note(
                "unparsable-entry",
                f"manifest.projects[{index}]: expected a mapping with a 'name'",
                document.line_of(path),
                level=DiagnosticLevel.ERROR,
            )
            continue
        groups = [str(g) for g in project.get("groups") or []]
        if groups and all(g in disabled for g in groups):
            skipped.append(project["name"])
            continue
        _project(manifest, document, path, project, remotes, defaults)
    if skipped:
        manifest.note(
            "inactive-projects",
            f"{len(skipped)} projects are in groups the manifest's group-filter disables, so west "
            f"does not fetch them by default; they are not inventoried: {', '.join(skipped)}",
            document.line_of(("manifest", "group-filter")),
            level=DiagnosticLevel.INFO,
        )
    return ()


def _remotes(document: Document, body: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for index, remote in enumerate(body.get("remotes") or []):
        if isinstance(remote, dict) and isinstance(remote.get("name"), str):
            base = remote.get("url-base")
            if isinstance(base, str):
                found[remote["name"]] = base.rstrip("/")
                continue
        raise document.error(
            ("manifest", "remotes", index),
            "expected a mapping with 'name' and 'url-base'",
            error=InputError,
        )
    return found


def _disabled_groups(group_filter: Any) -> set[str]:
    items = group_filter if isinstance(group_filter, list) else []
    return {str(g)[1:] for g in items if str(g).startswith("-")}


def _project(
    manifest: Manifest,
    document: Document,
    path: tuple[str | int, ...],
    project: dict[str, Any],
    remotes: dict[str, str],
    defaults: dict[str, Any],
) -> None:
    name: str = project["name"]
    line = document.line_of((*path, "name"))
    url = project.get("url")
    if not isinstance(url, str):
        remote = project.get("remote") or defaults.get("remote")
        base = remotes.get(str(remote)) if remote is not None else None
        if base is None:
            manifest.note(
                "unresolved-remote",
                f"{name}: no url and no known remote ({remote!r}); the project was inventoried "
                "by name only",
                line,
            )
            url = None
        else:
            url = f"{base}/{project.get('repo-path') or name}"
    revision = str(project.get("revision") or defaults.get("revision") or DEFAULT_REVISION)
    properties: list[tuple[str, str]] = []
    if project.get("path"):
        properties.append((PROP_PATH, str(project["path"])))
    if project.get("groups"):
        properties.append((PROP_GROUPS, ",".join(str(g) for g in project["groups"])))
    if project.get("import") not in (None, False):
        properties.append((PROP_IMPORT, "true"))
    repository = parse_repository(url) if url else None
    if repository is not None:
        purl = repository.purl()
        repo_name = repository.name
        properties.append((PROP_URL, repository.url))
    else:
        purl = PackageURL(type="generic", name=name)
        repo_name = name
    ref = classify_ref(revision, repo_name)
    properties.append((PROP_REF, ref.text))
    text = f"{name} revision: {revision}"
    lookup_names = (name, repo_name)
    if ref.kind is RefKind.TAG:
        properties.append((PROP_VERSION_FROM, "tag"))
        manifest.add(
            Declared(
                name,
                purl,
                line,
                text,
                version=ref.version,
                purl_version=ref.text,
                properties=tuple(properties),
                lookup_names=lookup_names,
            )
        )
        return
    why = (
        f"pinned to git commit {ref.text}, not to a release tag"
        if ref.kind is RefKind.COMMIT
        else f"follows the branch or ref {ref.text!r}"
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
            properties=tuple(properties),
            lookup_names=lookup_names,
        )
    )
