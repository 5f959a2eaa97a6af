"""Where a declared dependency comes from: repository URLs, download URLs and git revisions.

Every manifest kind names its dependencies partly by URL (``.gitmodules``, west, CMake, PlatformIO
``lib_deps``, ESP-IDF git sources). This module turns such a URL into a package URL and tells what a
git revision is, without ever guessing a version:

- ``pkg:github/<owner>/<repo>`` and ``pkg:bitbucket/<owner>/<repo>`` for those hosts (registered
  purl types, whose version may be a tag or a commit); any other repository is
  ``pkg:generic/<host>/<path>/<repo>?vcs_url=git+<url>``; a plain download is
  ``pkg:generic/<name>?download_url=<url>``. Credentials in URLs never reach the SBOM.
- A revision is a **commit** when it is hexadecimal (7 to 64 digits, with at least one letter
  unless it has 40 or 64); a **tag** with a version when its text, less a ``v``/``V``, ``release-``
  or ``<repo>-`` prefix, is plainly a release number (``v3.5.0``, ``nanopb-0.4.9.1``,
  ``curl-8_4_0``); anything else (``main``, ``v3.5-branch``, ``pull/104/head``, ``6.x``) is a
  **branch or other ref** and never a version. Manifests cannot tell a tag from a branch of the
  same name; a name that reads as a release number is taken as the tag it almost always is, and
  the component records that its version was read from a revision name.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit, urlunsplit

from packageurl import PackageURL

_HEX = re.compile(r"^[0-9a-fA-F]+$")
# A release number: digits with dots (or underscores, as curl tags them), an optional letter
# (OpenSSL 1.1.1w, FatFs 0.15a) and an optional pre-release or build suffix.
_RELEASE = re.compile(
    r"^(?P<core>\d+(?:[._]\d+)+|\d+)(?P<letter>[a-z])?"
    r"(?P<suffix>[-+~.]?(?:rc|alpha|beta|a|b|pre|preview|dev|post|p|patch|lts|m)\.?\d*"
    r"(?:[-+.][0-9A-Za-z]+)*|[-+~][0-9][0-9A-Za-z.]*)?$",
    re.IGNORECASE,
)
_PREFIXES = ("release-", "release_", "rel-", "version-", "ver-")
_ARCHIVE_SUFFIXES = (
    ".tar.gz",
    ".tar.bz2",
    ".tar.xz",
    ".tar.zst",
    ".tgz",
    ".tbz2",
    ".txz",
    ".zip",
    ".tar",
    ".7z",
)
_SCP_LIKE = re.compile(r"^(?:(?P<user>[^@/]+)@)?(?P<host>[A-Za-z0-9.-]+):(?P<path>(?!//).+)$")


class RefKind(StrEnum):
    COMMIT = "commit"
    TAG = "tag"
    BRANCH = "branch"
    """A branch or any other ref that is not a release (``main``, ``pull/104/head``)."""


@dataclass(frozen=True, slots=True)
class Ref:
    """A git revision as declared, and what it says about the version."""

    text: str
    kind: RefKind
    version: str | None = None
    """The release a tag names (``v3.5.0`` → ``3.5.0``); ``None`` for commits and branches."""

    @property
    def commit(self) -> str | None:
        return self.text.lower() if self.kind is RefKind.COMMIT else None


def is_commit(text: str) -> bool:
    """A full or abbreviated commit id (a short all-digit string is a number, not a commit)."""
    if not _HEX.match(text):
        return False
    if len(text) in (40, 64):
        return True
    return 7 <= len(text) < 40 and any(c in "abcdefABCDEF" for c in text)


def release_number(text: str) -> str | None:
    """``text`` as a release number when it plainly is one (``3.5.0``, ``8_4_0`` → ``8.4.0``)."""
    match = _RELEASE.match(text)
    if match is None:
        return None
    core = match.group("core")
    if "." not in core and "_" not in core:
        return None  # a bare number is too often a branch ("6") or a date-less build id
    if "_" in core and "." in core:
        return None
    core = core.replace("_", ".")
    return core + (match.group("letter") or "") + (match.group("suffix") or "")


def version_from_tag(tag: str, repo_name: str | None = None) -> str | None:
    """The release number a tag names, or ``None`` when the tag is not plainly a release."""
    text = tag.strip()
    if not text or "/" in text or " " in text:
        return None
    lowered = text.lower()
    candidates = [text]
    if repo_name:
        for sep in ("-", "_"):
            prefix = repo_name.lower() + sep
            if lowered.startswith(prefix):
                candidates.append(text[len(prefix) :])
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            candidates.append(text[len(prefix) :])
    for candidate in candidates:
        prefixed = candidate[:1] in ("v", "V", "r", "R") and candidate[1:2].isdigit()
        bare = candidate[1:] if prefixed else candidate
        if prefixed and bare.isdigit():
            return bare  # "v2": a release named by its major number alone
        found = release_number(bare)
        if found is not None:
            return found
    return None


def classify_ref(text: str, repo_name: str | None = None) -> Ref:
    """What a declared revision is: a commit, a release tag (with its version), or a branch."""
    ref = text.strip()
    if is_commit(ref):
        return Ref(ref, RefKind.COMMIT)
    version = version_from_tag(ref, repo_name)
    if version is not None:
        return Ref(ref, RefKind.TAG, version)
    return Ref(ref, RefKind.BRANCH)


@dataclass(frozen=True, slots=True)
class Repository:
    """A repository a URL points at, with the URL as it may be shown (credentials removed)."""

    url: str
    host: str | None
    path: tuple[str, ...]
    """The path segments without a trailing ``.git`` (``("espressif", "esp-idf")``)."""

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else self.url.rstrip("/").rsplit("/", 1)[-1]

    def purl(self) -> PackageURL:
        host = (self.host or "").lower()
        if host in ("github.com", "www.github.com") and len(self.path) >= 2:
            return PackageURL(type="github", namespace=self.path[0], name=self.path[1])
        if host in ("bitbucket.org", "www.bitbucket.org") and len(self.path) >= 2:
            return PackageURL(type="bitbucket", namespace=self.path[0], name=self.path[1])
        namespace = "/".join(p for p in (host, *self.path[:-1]) if p) or None
        vcs = self.url if "+" in self.url.split(":", 1)[0] else f"git+{self.url}"
        return PackageURL(
            type="generic", namespace=namespace, name=self.name, qualifiers={"vcs_url": vcs}
        )


def redact(url: str) -> str:
    """The URL without user name or password: manifests sometimes embed tokens."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme and "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def parse_repository(url: str) -> Repository | None:
    """The repository a git URL names (https, ssh, git, scp-like ``git@host:owner/repo``)."""
    text = url.strip()
    if not text:
        return None
    for prefix in ("git+", "hg+", "svn+"):
        if text.lower().startswith(prefix) and "://" in text:
            text = text[len(prefix) :]
            break
    if "://" in text:
        try:
            parts = urlsplit(text)
        except ValueError:
            return None
        host = parts.hostname
        segments = [unquote(s) for s in parts.path.split("/") if s]
        shown = redact(text)
    else:
        scp = _SCP_LIKE.match(text)
        if scp is None or len(scp.group("host")) < 2:
            return None  # a local path: no host to name the repository by
        host = scp.group("host")
        segments = [s for s in scp.group("path").split("/") if s]
        shown = f"{host}:{scp.group('path')}"
    if segments and segments[-1].endswith(".git"):
        segments[-1] = segments[-1][:-4]
    segments = [s for s in segments if s]
    if not segments:
        return None
    return Repository(shown, host, tuple(segments))


def resolve_relative(url: str, base: str) -> str | None:
    """A submodule URL relative to the superproject's remote (``../../o/repo.git``), as git does.

    Each leading ``../`` removes one path segment of ``base``; ``./`` keeps it. ``None`` when
    ``base`` has no path left to climb.
    """
    if not (url.startswith("./") or url.startswith("../")):
        return url
    base = base.rstrip("/")
    scp = None if "://" in base else _SCP_LIKE.match(base)
    if scp is not None:
        prefix = base[: len(base) - len(scp.group("path"))]
        path = scp.group("path")
    elif "://" in base:
        try:
            parts = urlsplit(base)
        except ValueError:  # a damaged remote URL: nothing to resolve against
            return None
        prefix = f"{parts.scheme}://{parts.netloc}"
        path = parts.path.lstrip("/")
    else:
        prefix, path = "", base
    rest = url
    segments = [s for s in path.split("/") if s]
    while True:
        if rest.startswith("./"):
            rest = rest[2:]
        elif rest.startswith("../"):
            if not segments:
                return None
            segments.pop()
            rest = rest[3:]
        else:
            break
    joined = posixpath.join(*segments, rest) if segments else rest
    if scp is not None:
        return f"{prefix}{joined}"
    if prefix:
        return f"{prefix}/{joined}"
    return joined


def strip_archive_suffix(file_name: str) -> str | None:
    lowered = file_name.lower()
    for suffix in _ARCHIVE_SUFFIXES:
        if lowered.endswith(suffix):
            return file_name[: -len(suffix)]
    return None


_NAME_VERSION = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_.+-]*?)[-_][vV]?(?P<version>\d[0-9A-Za-z._-]*)$"
)


@dataclass(frozen=True, slots=True)
class Download:
    """What a download URL says: the repository or file it comes from and the ref or version."""

    purl: PackageURL
    name: str
    ref: Ref | None = None
    """For GitHub archive and release URLs: the tag, branch or commit they are made from."""
    version: str | None = None
    """The release number, from the tag or plainly from the file name (``zlib-1.3.1.tar.gz``)."""
    version_from: str | None = None
    """``tag`` or ``file-name``."""


def analyse_download(url: str) -> Download | None:
    """A GitHub archive/release URL or an archive whose file name plainly carries its version."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "ftp") or not parts.hostname:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    host = parts.hostname.lower()
    if host in ("github.com", "www.github.com") and len(segments) >= 4:
        owner, repo = segments[0], segments[1]
        if repo.endswith(".git"):
            repo = repo[:-4]
        base = PackageURL(type="github", namespace=owner, name=repo)
        kind = segments[2]
        ref_text: str | None = None
        branch = False
        if kind == "archive":
            rest = segments[3:]
            if rest[:2] == ["refs", "tags"] and len(rest) >= 3:
                ref_text = strip_archive_suffix("/".join(rest[2:]))
            elif rest[:2] == ["refs", "heads"] and len(rest) >= 3:
                ref_text = strip_archive_suffix("/".join(rest[2:]))
                branch = True
            else:
                ref_text = strip_archive_suffix("/".join(rest))
        elif kind == "releases" and len(segments) >= 6 and segments[3] == "download":
            ref_text = segments[4]
        if ref_text:
            ref = Ref(ref_text, RefKind.BRANCH) if branch else classify_ref(ref_text, repo)
            return Download(base, repo, ref, ref.version, "tag" if ref.version else None)
        return Download(base, repo)
    file_name = segments[-1] if segments else ""
    stem = strip_archive_suffix(file_name)
    if stem is None:
        return None
    match = _NAME_VERSION.match(stem)
    shown = redact(url.strip())
    if match is None:
        purl = PackageURL(type="generic", name=stem, qualifiers={"download_url": shown})
        return Download(purl, stem)
    name = match.group("name")
    version = release_number(match.group("version"))
    purl = PackageURL(type="generic", name=name, qualifiers={"download_url": shown})
    return Download(purl, name, None, version, "file-name" if version else None)
