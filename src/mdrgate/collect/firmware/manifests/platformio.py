"""PlatformIO project files (``platformio.ini``).

Read as PlatformIO reads them (an INI file: ``;`` and ``#`` comments, inline comments after
whitespace, values continued on indented lines, ``${section.option}`` interpolation, ``extends``,
and ``[env]`` as every ``[env:NAME]``'s base). Every ``[env:NAME]`` is resolved; its ``platform``,
``platform_packages`` and ``lib_deps`` are declarations, each kept at the line that writes it and
recorded with the environments that use it (``mdrgate:platformio:environments``). Sections no
environment of this file uses (for instance ones meant for ``extra_configs`` files) are read too,
so that nothing declared is left out. ``${sysenv.X}`` and other unresolvable references are
reported, not guessed.

Package specifications (PlatformIO's "Package Specifications"):

- ``owner/name@1.2.3`` (or ``name@1.2.3``, ``owner/name @ =1.2.3``) pins a version;
- ``@^1.2.3``, ``@~1.2``, ``@>=1,<2``, no version at all: a range, kept as the version spec;
- a git URL ``...#v1.2.3`` is a tag (version ``1.2.3``), ``#<sha>`` a commit, ``#main`` a branch;
  a GitHub archive URL (``/archive/refs/tags/1.0.1.zip``) likewise; ``name=URL`` renames;
- ``file://`` and ``symlink://`` are local folders, left to the source scan.

Package URL: PlatformIO's registry has no purl type (one is only proposed), so registry packages
are ``pkg:generic/<owner>/<name>?repository_url=https://registry.platformio.org`` (``platformio``
as owner for platforms given without one). Libraries that the frameworks build in (``SPI``,
``Wire``, ``WiFi``...) come with the platform and are recorded on it
(``mdrgate:platformio:framework-libraries``) rather than as unversioned components.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from packageurl import PackageURL

from mdrgate.collect.base import InputSpec
from mdrgate.collect.firmware.manifests.declared import (
    PROP_REF,
    PROP_URL,
    PROP_VERSION_FROM,
    Declared,
    Manifest,
)
from mdrgate.collect.firmware.manifests.vcs import (
    RefKind,
    analyse_download,
    classify_ref,
    parse_repository,
    redact,
    strip_archive_suffix,
)
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, InputFile

REGISTRY = "https://registry.platformio.org"
PROP_ENVIRONMENTS = "mdrgate:platformio:environments"
PROP_FRAMEWORKS = "mdrgate:platformio:frameworks"
PROP_FRAMEWORK_LIBRARIES = "mdrgate:platformio:framework-libraries"
PROP_KIND = "mdrgate:platformio:package-kind"
MAX_DEPTH = 20

FRAMEWORK_LIBRARIES = frozenset(
    name.lower()
    for name in (
        "SPI",
        "Wire",
        "EEPROM",
        "SoftwareSerial",
        "HID",
        "WiFi",
        "WiFiClientSecure",
        "FS",
        "SPIFFS",
        "LittleFS",
        "SD",
        "SD_MMC",
        "Preferences",
        "Update",
        "HTTPClient",
        "WebServer",
        "ESPmDNS",
        "Ticker",
        "BLE",
        "ESP8266WiFi",
        "ESP8266WebServer",
        "ESP8266mDNS",
        "ESP8266HTTPClient",
        "ESP8266httpUpdate",
        "ArduinoOTA",
        "DNSServer",
        "Ethernet",
        "NetworkClientSecure",
        "Network",
        "USB",
        "I2S",
        "ESP32",
        "AsyncUDP",
    )
)
"""Libraries the Arduino cores for AVR, ESP8266 and ESP32 ship inside the framework package."""

_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]\s*(?:[;#].*)?$")
_OPTION = re.compile(r"^(?P<key>[^=:\s][^=:]*?)\s*[=:]\s*(?P<value>.*)$")
_INLINE_COMMENT = re.compile(r"\s+[;#].*$")
_REFERENCE = re.compile(r"\$\{(?P<section>[^}.]+)\.(?P<option>[^}]+)\}")
_REGISTRY_SPEC = re.compile(
    r"^(?:(?P<owner>[^/@=\s][^/@=]*?)\s*/\s*)?(?P<name>[^/@]+?)\s*(?:@\s*(?P<req>.+))?$"
)
_EXACT = re.compile(r"^=?=?\s*(?P<v>\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.+-]+)?)$")


@dataclass(frozen=True, slots=True)
class Value:
    """One line of an option's value, with the line it is on."""

    text: str
    line: int


@dataclass
class Section:
    name: str
    line: int
    options: dict[str, list[Value]] = field(default_factory=dict)
    option_lines: dict[str, int] = field(default_factory=dict)


def parse_ini(spec: InputSpec, text: str) -> dict[str, Section]:
    sections: dict[str, Section] = {}
    current: Section | None = None
    key: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped[0] in ";#":
            continue
        if raw[:1] in (" ", "\t") and key is not None and current is not None:
            value = _INLINE_COMMENT.sub("", stripped).strip()
            if value:
                current.options[key].append(Value(value, number))
            continue
        header = _SECTION.match(stripped)
        if header is not None:
            name = header.group("name").strip()
            current = sections.setdefault(name, Section(name, number))
            key = None
            continue
        option = _OPTION.match(stripped)
        if option is None or current is None:
            raise InputError(
                f"expected '[section]' or 'option = value', got {stripped[:60]!r}",
                source=spec.display,
                location=str(number),
            )
        key = option.group("key").strip().lower()
        value = _INLINE_COMMENT.sub("", option.group("value")).strip()
        current.options[key] = [Value(value, number)] if value else []
        current.option_lines[key] = number
    return sections


class _Config:
    def __init__(self, spec: InputSpec, manifest: Manifest, sections: dict[str, Section]) -> None:
        self.spec = spec
        self.manifest = manifest
        self.sections = sections
        self.unresolved: set[tuple[str, int]] = set()

    def option(self, section: str, key: str, depth: int = 0) -> list[Value] | None:
        """An option's raw lines as an environment sees it: own, ``extends``, then ``[env]``."""
        if depth > MAX_DEPTH:
            return None
        found = self.sections.get(section)
        if found is not None and key in found.options:
            return found.options[key]
        if found is not None and "extends" in found.options:
            for parent in self.items(found.options["extends"], depth + 1):
                result = self.option(parent.text, key, depth + 1)
                if result is not None:
                    return result
        if section.startswith("env:") and section != "env":
            return self.option("env", key, depth + 1)
        return None

    def items(self, values: list[Value], depth: int = 0) -> list[Value]:
        """Values split into items (by line and by ``,``), with references expanded."""
        items: list[Value] = []
        for value in values:
            for piece in _split(value.text):
                items.extend(self._expand(Value(piece, value.line), depth))
        return items

    def _expand(self, value: Value, depth: int) -> list[Value]:
        match = _REFERENCE.search(value.text)
        if match is None:
            return [value]
        if depth > MAX_DEPTH:
            self._unresolved(value, "references nest too deeply (a cycle?)")
            return []
        section, option = match.group("section"), match.group("option").lower()
        if match.group(0) == value.text.strip():
            target = self.sections.get(section)
            if target is not None and option in target.options:
                return self.items(target.options[option], depth + 1)
            if section == "env" and option in self.sections.get("env", Section("env", 0)).options:
                return self.items(self.sections["env"].options[option], depth + 1)
        self._unresolved(value, f"${{{section}.{option}}} cannot be resolved from this file")
        return []

    def _unresolved(self, value: Value, why: str) -> None:
        key = (value.text, value.line)
        if key in self.unresolved:
            return
        self.unresolved.add(key)
        self.manifest.note(
            "unresolved-reference",
            f"{value.text!r}: {why}; what it stands for was not inventoried",
            value.line,
        )


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r",\s+|\n", text) if p.strip()]


@dataclass
class _Seen:
    declared: Declared
    environments: set[str]
    is_platform: bool


def read(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    sections = parse_ini(spec, text)
    config = _Config(spec, manifest, sections)
    seen: dict[tuple[int, str], _Seen] = {}
    builtins: dict[tuple[int, str], str] = {}
    environments = sorted(n for n in sections if n.startswith("env:"))
    for env in environments:
        label = env[4:]
        frameworks = config.items(config.option(env, "framework") or [])
        for key, kind in (
            ("platform", "platform"),
            ("platform_packages", "tool"),
            ("lib_deps", "library"),
        ):
            for item in config.items(config.option(env, key) or []):
                _record(manifest, item, kind, label, seen, builtins, frameworks)
    # Declarations no environment of this file reaches are read as well.
    for section in sections.values():
        for key, kind in (
            ("platform", "platform"),
            ("platform_packages", "tool"),
            ("lib_deps", "library"),
        ):
            for item in config.items(section.options.get(key, [])):
                _record(manifest, item, kind, None, seen, builtins, [])
    libraries = ",".join(sorted(set(builtins.values()), key=str.lower))
    for entry in sorted(seen.values(), key=lambda s: (s.declared.line or 0, s.declared.text)):
        props = list(entry.declared.properties)
        if entry.environments:
            props.append((PROP_ENVIRONMENTS, ",".join(sorted(entry.environments))))
        if entry.is_platform and libraries:
            props.append((PROP_FRAMEWORK_LIBRARIES, libraries))
        manifest.add(replace(entry.declared, properties=tuple(props)))
    return ()


def _record(
    manifest: Manifest,
    item: Value,
    kind: str,
    env: str | None,
    seen: dict[tuple[int, str], _Seen],
    builtins: dict[tuple[int, str], str],
    frameworks: list[Value],
) -> None:
    key = (item.line, item.text)
    if key in seen:
        if env:
            seen[key].environments.add(env)
        return
    if key in builtins:
        return
    if kind == "library" and item.text.lower() in FRAMEWORK_LIBRARIES:
        builtins[key] = item.text
        return
    declared = _declare(manifest, item, kind, [f.text for f in frameworks])
    if declared is not None:
        seen[key] = _Seen(declared, {env} if env else set(), kind == "platform")


def _declare(manifest: Manifest, item: Value, kind: str, frameworks: list[str]) -> Declared | None:
    text = item.text
    props: list[tuple[str, str]] = [(PROP_KIND, kind)]
    if kind == "platform" and frameworks:
        props.append((PROP_FRAMEWORKS, ",".join(sorted(set(frameworks)))))
    custom, _, rest = text.partition("=")
    if rest and "://" in rest and "://" not in custom and " @" not in custom:
        custom_name: str | None = custom.strip()
        source = rest.strip()
    else:
        custom_name, source = None, text
    # "owner/name @ https://..." (platform_packages) names the package, the URL is its source
    named, sep, url_part = source.partition("@")
    if sep and ("://" in url_part or url_part.strip().startswith("git@")) and "://" not in named:
        custom_name = custom_name or named.strip()
        source = url_part.strip()
    lowered = source.lower()
    if lowered.startswith(("file://", "symlink://")) or source.startswith(("/", "./", "../")):
        manifest.note(
            "local-component",
            f"{text!r}: a local folder; it is inventoried from its sources, not from "
            "platformio.ini",
            item.line,
            level=DiagnosticLevel.INFO,
        )
        return None
    if "://" in source or source.startswith("git@"):
        return _from_url(item, source, custom_name, props)
    return _from_registry(manifest, item, source, kind, props)


def _from_url(
    item: Value, source: str, custom_name: str | None, props: list[tuple[str, str]]
) -> Declared | None:
    url, _, fragment = source.partition("#")
    props.append((PROP_URL, redact(url)))
    download = analyse_download(url) if strip_archive_suffix(url.rsplit("/", 1)[-1]) else None
    if download is not None:
        name = custom_name or download.name
        ref = download.ref
        if ref is None and download.version:
            props.append((PROP_VERSION_FROM, download.version_from or "file-name"))
            return Declared(
                name,
                download.purl,
                item.line,
                item.text,
                version=download.version,
                properties=tuple(props),
                lookup_names=(name, download.name),
            )
        if ref is None:
            return Declared(
                name,
                download.purl,
                item.line,
                item.text,
                unknown_because="a download whose name carries no version",
                properties=tuple(props),
                lookup_names=(name, download.name),
            )
        return _with_ref(item, name, download.purl, ref.text, download.name, props)
    repository = parse_repository(url)
    if repository is None:
        purl = PackageURL(type="generic", name=custom_name or unquote(url.rsplit("/", 1)[-1]))
        repo_name = purl.name
    else:
        purl = repository.purl()
        repo_name = repository.name
    name = custom_name or repo_name
    if not fragment:
        return Declared(
            name,
            purl,
            item.line,
            item.text,
            version_spec="git default branch",
            unknown_because="a repository without a revision (its default branch)",
            properties=tuple(props),
            lookup_names=(name, repo_name),
        )
    return _with_ref(item, name, purl, fragment, repo_name, props)


def _with_ref(
    item: Value,
    name: str,
    purl: PackageURL,
    revision: str,
    repo_name: str,
    props: list[tuple[str, str]],
) -> Declared:
    ref = classify_ref(unquote(revision), repo_name)
    props.append((PROP_REF, ref.text))
    if ref.kind is RefKind.TAG:
        props.append((PROP_VERSION_FROM, "tag"))
        return Declared(
            name,
            purl,
            item.line,
            item.text,
            version=ref.version,
            purl_version=ref.text,
            properties=tuple(props),
            lookup_names=(name, repo_name),
        )
    why = (
        f"pinned to git commit {ref.text}, not to a release"
        if ref.kind is RefKind.COMMIT
        else f"follows the git branch or ref {ref.text!r}"
    )
    return Declared(
        name,
        purl,
        item.line,
        item.text,
        version_spec=f"git {ref.kind.value} {ref.text}",
        commit=ref.commit,
        unknown_because=why,
        properties=tuple(props),
        lookup_names=(name, repo_name),
    )


def _from_registry(
    manifest: Manifest, item: Value, source: str, kind: str, props: list[tuple[str, str]]
) -> Declared | None:
    match = _REGISTRY_SPEC.match(source)
    if match is None or not match.group("name").strip():
        manifest.note(
            "unparsable-entry",
            f"{source!r} is not a PlatformIO package specification; it was not inventoried",
            item.line,
            level=DiagnosticLevel.ERROR,
        )
        return None
    owner = (match.group("owner") or "").strip() or ("platformio" if kind != "library" else None)
    name = match.group("name").strip()
    requirement = (match.group("req") or "").strip()
    purl = PackageURL(
        type="generic", namespace=owner, name=name, qualifiers={"repository_url": REGISTRY}
    )
    shown = f"{owner}/{name}" if owner else name
    exact = _EXACT.match(requirement) if requirement else None
    if exact is not None:
        props.append((PROP_VERSION_FROM, "pin"))
        return Declared(
            shown,
            purl,
            item.line,
            item.text,
            version=exact.group("v"),
            properties=tuple(props),
            lookup_names=(name,),
        )
    why = (
        f"version requirement {requirement}" if requirement else "no version requested (the latest)"
    )
    return Declared(
        shown,
        purl,
        item.line,
        item.text,
        version_spec=requirement or "*",
        unknown_because=why,
        properties=tuple(props),
        lookup_names=(name,),
    )
