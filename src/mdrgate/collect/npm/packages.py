"""npm components as the three lock-file collectors build them.

A package is identified by its real name and exact version (an alias such as
``strip-ansi-cjs@npm:strip-ansi@6.0.1`` is the package ``strip-ansi``). npm installs the same
package at several places of ``node_modules`` and different versions of one package side by side
(``node_modules/debug/node_modules/ms`` next to ``node_modules/ms``): each version is its own
component, and every place a version is installed is kept (``mdrgate:npm:path``) with the line of
the lock file that records it. Different versions of one package are normal in npm and are not
reported as a conflict.

A package kept for production is marked ``mdrgate:npm:optional`` when every copy of it is
installed only through optional dependencies (a failed optional install does not fail the
product's install, but a successful one ships it), and ``mdrgate:npm:bundled`` when a copy comes
inside another package's tarball.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from packageurl import PackageURL

from mdrgate.collect.python.package import redact_url
from mdrgate.model import Component, ComponentClass, Diagnostic, DiagnosticLevel, Hash, Origin

ECOSYSTEM = "npm"

# Component properties (CycloneDX name/value pairs); names are part of the SBOM contract.
PROP_PATH = "mdrgate:npm:path"
"""Where the lock file installs this version (``node_modules/debug/node_modules/ms``); one
property per place."""
PROP_ALIAS = "mdrgate:npm:alias"
"""The name the project depends on the package by, when it is an alias of another package."""
PROP_SOURCE = "mdrgate:npm:source"
"""Where the package comes from when not from a registry: git URL, tarball URL or local path."""
PROP_REGISTRY = "mdrgate:npm:registry"
"""A registry other than the public npm registry that the lock file resolved the package from."""
PROP_OPTIONAL = "mdrgate:npm:optional"
"""``true`` when every copy is installed only through optional dependencies."""
PROP_DEV = "mdrgate:npm:dev"
"""``true`` when every copy is a development-only dependency (collected with ``include_dev``)."""
PROP_BUNDLED = "mdrgate:npm:bundled"
"""``true`` when a copy is bundled inside another package's tarball (``bundleDependencies``)."""
PROP_VERSION_FROM = "mdrgate:npm:version-from"
"""The ``package.json`` a local folder dependency's version was read from, when the lock file
records the folder but not the version."""
PROP_COMMIT = "mdrgate:vcs:commit"
"""The commit a git dependency was locked at (the matchers read it for OSV GIT ranges)."""

PUBLIC_REGISTRIES = frozenset({"registry.npmjs.org", "registry.yarnpkg.com", "registry.npmjs.com"})
_SRI_ALGORITHMS = {"sha256": ("SHA-256", 32), "sha384": ("SHA-384", 48), "sha512": ("SHA-512", 64)}
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


def split_name(spec: str) -> tuple[str, str]:
    """``@scope/name@range`` → (``@scope/name``, ``range``); the range may hold ``@`` itself
    (``npm:other@1.0``, ``git+ssh://git@host/...``). Without ``@`` after the name it is ``""``."""
    at = spec.find("@", 1)
    if at < 0:
        return spec, ""
    return spec[:at], spec[at + 1 :]


def purl_for(name: str, version: str | None) -> str:
    """``pkg:npm/%40scope/name@1.2.3`` as the purl specification spells npm packages."""
    namespace, slash, bare = name.rpartition("/")
    if not slash or not namespace.startswith("@"):
        namespace, bare = "", name
    return PackageURL(
        type="npm", namespace=namespace or None, name=bare, version=version
    ).to_string()


def parse_integrity(text: str) -> list[Hash]:
    """Subresource-integrity strings (``sha512-<base64>``, several separated by spaces) as hashes.

    SHA-1 digests (old lock files) are not carried, like everywhere in the SBOM. A digest that is
    not base64 of the algorithm's length raises ``ValueError`` with a message for people.
    """
    hashes = []
    for token in text.split():
        algorithm, sep, digest = token.partition("-")
        if not sep:
            raise ValueError(f"expected 'algorithm-base64digest', got {token[:80]!r}")
        known = _SRI_ALGORITHMS.get(algorithm.lower())
        if known is None:
            continue
        name, size = known
        digest = digest.split("?", 1)[0]  # SRI options
        try:
            raw = base64.b64decode(digest, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"the {algorithm} digest is not base64: {digest[:80]!r}") from None
        if len(raw) != size:
            raise ValueError(f"a {algorithm} digest has {size} bytes, got {len(raw)}")
        hashes.append(Hash(name, raw.hex()))
    return hashes


def commit_of(url: str) -> str | None:
    """The full commit hash a git URL's fragment names (``#<sha>`` or ``#commit=<sha>``)."""
    fragment = url.rpartition("#")[2] if "#" in url else ""
    for part in re.split(r"[&#]", fragment):
        value = part.partition("=")[2] if part.startswith("commit=") else part
        if _COMMIT.match(value.lower()):
            return value.lower()
    return None


def is_git(url: str) -> bool:
    if url.startswith(("git+", "git:", "git@", "github:", "gitlab:", "bitbucket:")):
        return True
    if not url.startswith(("http://", "https://")):
        return False
    try:
        return urlsplit(url).path.endswith(".git")
    except ValueError:  # a damaged URL (unbalanced brackets): not a git source we can name
        return False


def source_properties(resolved: str | None) -> list[tuple[str, str]]:
    """What a ``resolved`` location says about where a package comes from (nothing for the public
    registry): the registry host, or the git, tarball or local source."""
    if not resolved:
        return []
    if is_git(resolved):
        text = redact_url(resolved.split("#", 1)[0])
        properties = [(PROP_SOURCE, text)]
        commit = commit_of(resolved)
        if commit:
            properties.append((PROP_COMMIT, commit))
        return properties
    if resolved.startswith(("http://", "https://")):
        try:
            parts = urlsplit(resolved)
            host = (parts.hostname or "").lower()
        except ValueError:  # a damaged URL: recorded as it is (credentials removed)
            return [(PROP_SOURCE, redact_url(resolved.split("#", 1)[0]))]
        if host in PUBLIC_REGISTRIES:
            return []
        if "/-/" in parts.path and parts.path.endswith(".tgz"):
            return [(PROP_REGISTRY, redact_url(f"{parts.scheme}://{parts.netloc}"))]
        return [(PROP_SOURCE, redact_url(resolved.split("#", 1)[0]))]
    return [(PROP_SOURCE, resolved)]


@dataclass
class _Entry:
    name: str
    version: str | None
    origins: set[Origin] = field(default_factory=set)
    hashes: set[Hash] = field(default_factory=set)
    properties: set[tuple[str, str]] = field(default_factory=set)
    dev: bool = True
    optional: bool = True
    unpinned: list[tuple[Origin, str]] = field(default_factory=list)


class NpmPackages:
    """Accumulates one lock file's installed packages, then yields components and diagnostics."""

    def __init__(self, collector: str, display: str) -> None:
        self._collector = collector
        self._display = display
        self._entries: dict[tuple[str, str | None], _Entry] = {}
        self._skipped: set[tuple[str, str | None]] = set()

    def add(
        self,
        name: str,
        version: str | None,
        *,
        line: int | None,
        install_path: str | None = None,
        hashes: Iterable[Hash] = (),
        properties: Iterable[tuple[str, str]] = (),
        dev: bool = False,
        optional: bool = False,
        why_unpinned: str = "",
    ) -> None:
        """Record one installed copy of a package."""
        key = (name, version)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(name, version)
        origin = Origin(collector=self._collector, path=self._display, line=line)
        entry.origins.add(origin)
        entry.hashes.update(hashes)
        entry.properties.update(properties)
        if install_path:
            entry.properties.add((PROP_PATH, install_path))
        entry.dev = entry.dev and dev
        entry.optional = entry.optional and optional
        if version is None:
            entry.unpinned.append((origin, why_unpinned))

    def skip(self, name: str, version: str | None) -> None:
        """A development-only copy left out (reported unless another copy is kept)."""
        self._skipped.add((name, version))

    def components(self) -> tuple[Component, ...]:
        made = [self._component(e) for e in self._entries.values()]
        return tuple(sorted(made, key=lambda c: (c.bom_ref, c.name)))

    def diagnostics(self) -> list[Diagnostic]:
        notes: list[Diagnostic] = []
        skipped = sorted(
            f"{name} {version or '(version unknown)'}"
            for name, version in self._skipped - self._entries.keys()
        )
        if skipped:
            notes.append(dev_skipped(skipped, self._display))
        for entry in self._entries.values():
            for origin, why in sorted(entry.unpinned):
                notes.append(
                    Diagnostic(
                        code="no-exact-version",
                        message=(
                            f"{entry.name}: cannot be assessed: the lock file records no version "
                            f"({why or 'no version'})"
                        ),
                        level=DiagnosticLevel.WARNING,
                        path=origin.path,
                        line=origin.line,
                        component=purl_for(entry.name, None),
                    )
                )
        return notes

    def _component(self, entry: _Entry) -> Component:
        properties = set(entry.properties)
        if entry.dev:
            properties.add((PROP_DEV, "true"))
        elif entry.optional:
            properties.add((PROP_OPTIONAL, "true"))
        return Component(
            name=entry.name,
            version=entry.version,
            component_class=ComponentClass.HOST,
            ecosystem=ECOSYSTEM,
            purl=purl_for(entry.name, entry.version),
            hashes=tuple(sorted(entry.hashes)),
            origins=tuple(sorted(entry.origins)),
            properties=tuple(sorted(properties)),
        )


def dev_skipped(names: Iterable[str], display: str) -> Diagnostic:
    """The one notice that development-only packages were left out (never silently)."""
    listed = sorted(set(names))
    return Diagnostic(
        code="dev-dependencies-skipped",
        message=(
            f"{len(listed)} development-only package(s) not inventoried: {', '.join(listed)} "
            "(set include_dev to inventory them)"
        ),
        level=DiagnosticLevel.INFO,
        path=display,
    )


def not_distinguished(display: str, count: int, why: str) -> Diagnostic:
    """The notice that development-only packages could not be told apart, so all were kept."""
    return Diagnostic(
        code="dev-dependencies-not-distinguished",
        message=(
            f"{why}, so development-only packages cannot be told apart: all {count} locked "
            "packages are inventoried"
        ),
        level=DiagnosticLevel.INFO,
        path=display,
    )
