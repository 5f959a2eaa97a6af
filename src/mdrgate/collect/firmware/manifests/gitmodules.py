"""Git submodules: ``.gitmodules`` plus the commits the superproject records for them.

``.gitmodules`` (git-config syntax) names each submodule's path and URL. The commit is read from the
superproject's index (its gitlink entry, mode ``160000``), never by running git. When the index is
absent (a source export without ``.git``), the commits are unknown and a warning says so; the HEAD
tree objects are not read.

When the submodule's clone is present (``<path>/.git``, a directory or a ``gitdir:`` link into
``.git/modules``), its tags are read; a tag pointing at the recorded commit gives the version
(``v1.2.3`` → ``1.2.3``; the tag text stays in the purl). Without such a tag the submodule is a
known unknown: no version, the commit in ``mdrgate:vcs:commit`` and in the purl
(``pkg:github/owner/repo@<commit>``, which the purl spec allows for repository types), never
presented as a release. A clone checked out at another commit than the recorded one is reported:
the build uses what is checked out.

Relative URLs (``../../owner/repo.git``) are resolved against the superproject's ``origin`` remote,
as git does; without one they stay as written (a generic purl named after the repository).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from packageurl import PackageURL

from mdrgate.collect.base import InputSpec, digest_file
from mdrgate.collect.firmware.manifests import gitrepo
from mdrgate.collect.firmware.manifests.declared import (
    PROP_REF,
    PROP_URL,
    PROP_VERSION_FROM,
    Declared,
    Manifest,
    sibling_display,
)
from mdrgate.collect.firmware.manifests.vcs import (
    parse_repository,
    redact,
    resolve_relative,
    version_from_tag,
)
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, InputFile

PROP_PATH = "mdrgate:git:submodule-path"
PROP_BRANCH = "mdrgate:git:submodule-branch"
PROP_TAGS = "mdrgate:git:tags"
_SECTION = re.compile(
    r'^\[\s*(?P<section>[A-Za-z0-9.-]+)(?:\s+"(?P<sub>(?:[^"\\]|\\.)*)")?\s*\]\s*(?:[#;].*)?$'
)
_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(?P<value>.*))?$")


@dataclass
class Submodule:
    name: str
    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)


def parse(spec: InputSpec, text: str) -> list[Submodule]:
    """The ``[submodule "name"]`` sections of a ``.gitmodules`` file, with their lines."""
    submodules: list[Submodule] = []
    current: Submodule | None = None
    in_other = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        header = _SECTION.match(line)
        if header is not None:
            if header.group("section").lower() == "submodule" and header.group("sub") is not None:
                current = Submodule(header.group("sub").replace('\\"', '"'), number)
                submodules.append(current)
                in_other = False
            else:
                current, in_other = None, True
            continue
        if line.startswith("["):
            raise InputError(
                f'expected a section header like [submodule "name"], got {line[:60]!r}',
                source=spec.display,
                location=str(number),
            )
        match = _KEY.match(line)
        if match is None:
            raise InputError(
                f"expected 'key = value', got {line[:60]!r}",
                source=spec.display,
                location=str(number),
            )
        if current is None:
            if in_other:
                continue
            raise InputError(
                f'{line[:60]!r} comes before any [submodule "name"] section',
                source=spec.display,
                location=str(number),
            )
        value = gitrepo._config_value(match.group("value") or "true")
        current.values[match.group("key").lower()] = (value, number)
    return submodules


def read(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    submodules = parse(spec, text)
    work_tree = spec.path.parent
    files: list[InputFile] = []
    links: dict[str, str] | None = None
    origin: str | None = None
    try:
        git_dir = gitrepo.find_git_dir(work_tree)
    except gitrepo.GitError as exc:
        manifest.note("git-metadata-unreadable", f"{exc}; submodule commits are unknown")
        git_dir = None
    if git_dir is None:
        if submodules:
            manifest.note(
                "no-git-index",
                f"{spec.display}: there is no .git beside it (a source export?), so the commits "
                "the superproject records for its submodules are unknown",
            )
    else:
        index = git_dir / "index"
        if index.is_file():
            try:
                links = gitrepo.read_gitlinks(index, gitrepo.hash_length(git_dir))
                files.append(
                    digest_file(index, display=sibling_display(spec, index), kind="git-index")
                )
            except (gitrepo.GitError, InputError) as exc:
                manifest.note(
                    "git-index-unreadable",
                    f"the git index cannot be read ({exc}); submodule commits are unknown",
                )
        else:
            manifest.note(
                "no-git-index",
                f"{sibling_display(spec, index)} does not exist, so the commits the superproject "
                "records for its submodules are unknown (mdrgate does not read tree objects)",
            )
        origin = _origin_url(git_dir)
    declared_paths: set[str] = set()
    for submodule in submodules:
        declared = submodule.values.get("path")
        if declared is None:
            manifest.note(
                "unparsable-entry",
                f"submodule {submodule.name!r} has no path",
                submodule.line,
                level=DiagnosticLevel.ERROR,
            )
            continue
        declared_paths.add(declared[0].strip("/"))
        _submodule(spec, manifest, submodule, work_tree, links, origin)
    if links is not None:
        for link, commit in sorted(links.items()):
            if link not in declared_paths:
                manifest.note(
                    "gitlink-without-url",
                    f"{link}: the index records a submodule at commit {commit} that .gitmodules "
                    "does not list; where it comes from is unknown",
                )
                purl = PackageURL(type="generic", name=link.rsplit("/", 1)[-1])
                manifest.add(
                    Declared(
                        link.rsplit("/", 1)[-1],
                        purl,
                        None,
                        f"gitlink {link} {commit}",
                        version_spec=f"git commit {commit}",
                        commit=commit,
                        unknown_because=f"a submodule pinned to commit {commit} with no URL",
                    )
                )
    return tuple(files)


def _origin_url(git_dir: Path) -> str | None:
    config = gitrepo.common_dir(git_dir) / "config"
    if not config.is_file():
        return None
    try:
        sections = gitrepo.read_config(config)
    except gitrepo.GitError:
        return None
    return sections.get(("remote", "origin"), {}).get("url")


def _submodule(
    spec: InputSpec,
    manifest: Manifest,
    submodule: Submodule,
    work_tree: Path,
    links: dict[str, str] | None,
    origin: str | None,
) -> None:
    path, path_line = submodule.values["path"]
    path = path.strip("/")
    url_entry = submodule.values.get("url")
    url = url_entry[0] if url_entry else ""
    line = url_entry[1] if url_entry else path_line
    properties: list[tuple[str, str]] = [(PROP_PATH, path)]
    branch = submodule.values.get("branch")
    if branch:
        properties.append((PROP_BRANCH, branch[0]))
    resolved: str | None = url
    if url.startswith(("./", "../")):
        resolved = resolve_relative(url, origin) if origin else None
        if resolved is None:
            manifest.note(
                "unresolved-url",
                f"submodule {submodule.name!r}: the relative URL {url!r} cannot be resolved "
                "(the superproject has no 'origin' remote here)",
                line,
                level=DiagnosticLevel.INFO,
            )
    repository = parse_repository(resolved) if resolved else None
    if repository is not None:
        purl = repository.purl()
        repo_name = repository.name
        properties.append((PROP_URL, repository.url))
    else:
        repo_name = _last_segment(url) or path.rsplit("/", 1)[-1]
        purl = PackageURL(type="generic", name=repo_name)
        if url:
            properties.append((PROP_URL, redact(url)))
    text = f'[submodule "{submodule.name}"] path = {path} url = {url}'
    names = (repo_name, path.rsplit("/", 1)[-1])
    commit = links.get(path) if links is not None else None
    if commit is None:
        why = (
            "the git index records no commit for it"
            if links is not None
            else "the commit the superproject records is unknown (no git index)"
        )
        if links is not None:
            manifest.note(
                "submodule-not-in-index",
                f"submodule {submodule.name!r} ({path}) is in .gitmodules but the index has no "
                "gitlink for it",
                line,
            )
        manifest.add(
            Declared(
                repo_name,
                purl,
                line,
                text,
                unknown_because=why,
                properties=tuple(properties),
                lookup_names=names,
            )
        )
        return
    _pinned(manifest, work_tree / path, path, commit, line, text, repo_name, purl, properties)


def _pinned(
    manifest: Manifest,
    clone: Path,
    path: str,
    commit: str,
    line: int,
    text: str,
    repo_name: str,
    purl: PackageURL,
    properties: list[tuple[str, str]],
) -> None:
    """A submodule whose commit is known: its version is the release tag at that commit."""
    names = (repo_name, path.rsplit("/", 1)[-1])
    tags, checked_out, problem = _clone(clone)
    if problem:
        manifest.note("git-metadata-unreadable", f"{path}: {problem}", line)
    if checked_out is not None and checked_out != commit:
        manifest.note(
            "submodule-checkout-differs",
            f"{path} is checked out at {checked_out}, but the superproject records {commit}; "
            "a build from this tree uses the checked-out sources",
            line,
        )
    properties.append((PROP_REF, commit))
    at_commit = tags.by_commit.get(commit, ()) if tags is not None else ()
    if at_commit:
        properties.append((PROP_TAGS, ",".join(at_commit)))
    chosen = _release_tag(at_commit, repo_name)
    if chosen is not None:
        tag, version = chosen
        properties.append((PROP_VERSION_FROM, "tag"))
        manifest.add(
            Declared(
                repo_name,
                purl,
                line,
                text,
                version=version,
                purl_version=tag,
                commit=commit,
                properties=tuple(properties),
                lookup_names=names,
            )
        )
        return
    if tags is None:
        why = (
            f"pinned to commit {commit}; the submodule is not cloned here, so its tags are unknown"
        )
    elif at_commit:
        tagged = ", ".join(at_commit)
        why = f"pinned to commit {commit}, tagged {tagged}, which is not a release number"
    else:
        why = f"pinned to commit {commit}, which no tag of the clone points at"
        if tags.unpeeled:
            why += f" ({len(tags.unpeeled)} tags are in packed objects mdrgate cannot read)"
    manifest.add(
        Declared(
            repo_name,
            purl,
            line,
            text,
            version_spec=f"git commit {commit}",
            commit=commit,
            unknown_because=why,
            properties=tuple(properties),
            lookup_names=names,
        )
    )


def _last_segment(url: str) -> str | None:
    tail = url.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    if tail.endswith(".git"):
        tail = tail[:-4]
    return tail or None


def _clone(work_tree: Path) -> tuple[gitrepo.Tags | None, str | None, str | None]:
    """The submodule clone's tags and checked-out commit (``None`` when it is not cloned)."""
    try:
        git_dir = gitrepo.find_git_dir(work_tree)
        if git_dir is None:
            return None, None, None
        return gitrepo.read_tags(git_dir), gitrepo.read_head(git_dir), None
    except gitrepo.GitError as exc:
        return None, None, str(exc)


def _release_tag(tags: tuple[str, ...], repo_name: str) -> tuple[str, str] | None:
    """The tag at the commit that names a release, preferring the highest-looking one."""
    found = [(tag, v) for tag in tags if (v := version_from_tag(tag, repo_name)) is not None]
    if not found:
        return None
    found.sort(key=lambda tv: (_numeric(tv[1]), tv[0]))
    return found[-1]


def _numeric(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:6])
