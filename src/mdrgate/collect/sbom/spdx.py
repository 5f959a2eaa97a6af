"""SPDX 2.x documents (JSON and tag-value) read into entries.

Which packages are components. SPDX says what a document is about with ``DESCRIBES``
relationships (or ``documentDescribes``), and how packages relate with relationships. mdrgate
imports every package except:

- the *subject*: a described package that has parts (``CONTAINS``, ``DEPENDS_ON``, links, and their
  reverse forms) among the document's packages or in other documents. A described package without
  parts is what the document inventories, and is imported: Yocto writes one document per recipe
  that describes the recipe itself, Zephyr's ``zephyr-sources`` document describes Zephyr and each
  module;
- build-only inputs: packages that are only ``BUILD_DEPENDENCY_OF``, ``BUILD_TOOL_OF``,
  ``DEV_*`` or ``TEST_*`` something (Yocto's source downloads), unless development dependencies
  are included;
- grouping entries: packages without version or identifier whose only content is other packages
  (trivy lists each scanned lock file this way);
- ``DEVICE`` packages (hardware), and ``FILE`` packages without purl or CPE.

Two producers are recognised by their ``Creator: Tool:`` line, because their documents mean more
than the relationships say:

- OpenEmbedded/Yocto ``create-spdx``: recipes built for the build host (``-native``, ``-cross``,
  ``nativesdk-``) are build tools, not device software; a binary package document's package
  (``libz1``, ``zlib-dev``...) is ``GENERATED_FROM`` its recipe and is imported as the recipe
  (``zlib``), so that the recipe document and its packages' documents give one component;
- Zephyr ``west spdx``: the ``app-sources``, ``build`` and ``sdk`` documents describe the
  application, its build targets and the toolchain, not third-party components; the
  ``-sources``/``-deps`` suffixes of module packages are dropped to look them up in the catalogue.

``NOASSERTION`` and ``NONE`` mean "not stated". JSON documents are validated against the SPDX 2.3
JSON schema; its violations are warnings (many real producers deviate from it without consequence
for what is imported), except two quirks that are only noted: a top-level ``$schema`` key and the
underscore forms ``PACKAGE_MANAGER``/``PERSISTENT_ID`` that some tools write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from mdrgate.collect.sbom.entries import (
    PROP_DOWNLOAD,
    PROP_PURL,
    PROP_TYPE,
    PROP_YOCTO_PACKAGE,
    Entry,
    Parsed,
    clip,
)
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel

SPDX_VERSIONS = ("SPDX-2.0", "SPDX-2.1", "SPDX-2.2", "SPDX-2.3")
SCHEMA = ("schemas", "spdx-2.3.schema.json")
MAX_SCHEMA_NOTES = 20
"""Schema violations reported one by one; the rest are counted in one more diagnostic."""

UNSTATED = frozenset({"NOASSERTION", "NONE", ""})

# Relationship types where the first element is the whole and the second a part, and the reverse.
_PARTS_FORWARD = frozenset(
    {"CONTAINS", "DEPENDS_ON", "DYNAMIC_LINK", "STATIC_LINK", "HAS_PREREQUISITE"}
)
_PARTS_REVERSE = frozenset(
    {
        "CONTAINED_BY",
        "DEPENDENCY_OF",
        "PREREQUISITE_FOR",
        "RUNTIME_DEPENDENCY_OF",
        "OPTIONAL_DEPENDENCY_OF",
        "OPTIONAL_COMPONENT_OF",
        "PROVIDED_DEPENDENCY_OF",
        "PACKAGE_OF",
    }
)
# The first element is only needed to build, develop or test the second.
_BUILD_ONLY = frozenset(
    {
        "BUILD_DEPENDENCY_OF",
        "BUILD_TOOL_OF",
        "DEV_DEPENDENCY_OF",
        "DEV_TOOL_OF",
        "TEST_DEPENDENCY_OF",
        "TEST_TOOL_OF",
        "TEST_OF",
        "TEST_CASE_OF",
    }
)
_HASHES = {
    "SHA1": "SHA-1",
    "SHA256": "SHA-256",
    "SHA384": "SHA-384",
    "SHA512": "SHA-512",
    "SHA3-256": "SHA3-256",
    "SHA3-384": "SHA3-384",
    "SHA3-512": "SHA3-512",
    "MD5": "MD5",
    "BLAKE2B-256": "BLAKE2b-256",
    "BLAKE2B-384": "BLAKE2b-384",
    "BLAKE2B-512": "BLAKE2b-512",
    "BLAKE3": "BLAKE3",
}
_HEX = frozenset("0123456789abcdefABCDEF")

SKIP_SUBJECT = "the document's subject (described, and made of the other packages)"
SKIP_BUILD = (
    "build-only inputs (only BUILD_/DEV_/TEST_ relationships; imported when development "
    "dependencies are included)"
)
SKIP_GROUPING = "grouping entries without version or identifier, made of other packages"
SKIP_DEVICE = "DEVICE packages (hardware, not software)"
SKIP_FILE = "FILE packages without purl or CPE (evidence of a package, not packages)"
SKIP_NATIVE = "Yocto recipes built for the build host (-native, -cross, nativesdk-): build tools"
SKIP_ZEPHYR = (
    "packages of Zephyr's {doc} document (the application, its build targets or the "
    "toolchain, not third-party components)"
)

_OE_TOOL = "OpenEmbedded Core create-spdx"
_ZEPHYR_TOOL = "Zephyr SPDX builder"
_ZEPHYR_OWN = {"app-sources", "app", "build", "sdk"}
_NATIVE = re.compile(r"(?:-native|-cross(?:-[\w.]+)?|-crosssdk(?:-[\w.]+)?)$|^nativesdk-")
_RECIPE_REF = re.compile(r"(?:^|:)SPDXRef-Recipe-(.+)$")
_PURL_CATEGORIES = frozenset({"PACKAGE-MANAGER", "PACKAGE_MANAGER"})
_UNDERSCORED = frozenset({"PACKAGE_MANAGER", "PERSISTENT_ID"})


def check_version(data: Any, display: str, fmt: str) -> str:
    """The document's ``spdxVersion`` (``SPDX-2.3``) when supported, else an InputError."""
    if not isinstance(data, dict):
        raise InputError("the top level is not a JSON object", source=display)
    version = data.get("spdxVersion")
    if version not in SPDX_VERSIONS:
        shown = repr(version) if isinstance(version, str) else "missing"
        if "@context" in data or "@graph" in data:
            shown = "SPDX 3 (JSON-LD)"
        raise InputError(
            f"spdxVersion {shown}: this SPDX version is not supported by mdrgate "
            f"({fmt}; supported: SPDX 2.0 to 2.3)",
            source=display,
            hint="export the SBOM as SPDX 2.3 (or CycloneDX)",
        )
    assert isinstance(version, str)
    return version


def read_json(data: Any, display: str, *, include_dev: bool) -> Parsed:
    """Entries of an SPDX JSON document (already parsed from JSON), after schema validation."""
    version = check_version(data, display, "JSON")
    parsed = Parsed(display=display, format=f"SPDX {version[5:]} (JSON)")
    _validate(data, parsed)
    return _Reader(parsed, data, include_dev).read()


def read_tag_value(text: str, display: str, *, include_dev: bool) -> Parsed:
    """Entries of an SPDX tag-value document."""
    from mdrgate.collect.sbom.tagvalue import to_document

    doc = to_document(text, display)
    version = check_version(doc.data, display, "tag-value")
    parsed = Parsed(display=display, format=f"SPDX {version[5:]} (tag-value)")
    for line, message in doc.problems:
        parsed.note("sbom-invalid-field", message, line=line)
    reader = _Reader(parsed, doc.data, include_dev)
    reader.package_lines = doc.package_lines
    return reader.read()


# --- schema ---------------------------------------------------------------------------------


@cache
def _validator() -> Any:
    import jsonschema_rs

    from mdrgate.validation import packaged_schema

    return jsonschema_rs.validator_for(dict(packaged_schema(*SCHEMA)))


def _validate(data: dict[str, Any], parsed: Parsed) -> None:
    quirks: set[str] = set()
    problems: list[str] = []
    for error in _validator().iter_errors(data):
        path = list(error.instance_path)
        pointer = "/" + "/".join(str(p) for p in path)
        kind = type(error.kind).__name__
        if kind == "AdditionalProperties":
            unexpected = [str(k) for k in error.kind.unexpected]
            if not path and unexpected == ["$schema"]:
                quirks.add("a top-level '$schema' key, which the SPDX 2.3 schema does not allow")
                continue
            if len(path) == 2 and path[0] == "packages" and unexpected == ["packageSupplier"]:
                quirks.add("'packageSupplier' for 'supplier' (early OpenEmbedded create-spdx)")
                continue
        if (
            path
            and path[-1] == "referenceCategory"
            and isinstance(error.instance, str)
            and error.instance in _UNDERSCORED
        ):
            quirks.add(f"the category {error.instance} (the schema's form is with a hyphen)")
            continue
        problems.append(f"{pointer}: {clip(str(error.message), 200)}")
    for quirk in sorted(quirks):
        parsed.note(
            "sbom-producer-quirk",
            f"the document uses {quirk}; accepted",
            level=DiagnosticLevel.INFO,
        )
    for message in problems[:MAX_SCHEMA_NOTES]:
        parsed.note(
            "sbom-schema",
            f"does not follow the SPDX 2.3 JSON schema at {message}",
        )
    if len(problems) > MAX_SCHEMA_NOTES:
        parsed.note(
            "sbom-schema",
            f"{len(problems) - MAX_SCHEMA_NOTES} more SPDX 2.3 JSON schema violations not listed",
        )


# --- interpretation -------------------------------------------------------------------------


def _stated(value: Any) -> str | None:
    """The value when it is a stated string (not NOASSERTION/NONE/empty)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return None if text.upper() in UNSTATED else text


def _party(value: Any) -> str | None:
    """``Organization: Acme (x@y)`` → ``Acme``; ``Person: Jane Doe ()`` → ``Jane Doe``."""
    text = _stated(value)
    if text is None:
        return None
    kind, sep, rest = text.partition(":")
    if sep and kind.strip() in ("Organization", "Person", "Tool"):
        text = rest.strip()
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
    return clip(text, 200) if text else None


class _Reader:
    def __init__(self, parsed: Parsed, data: dict[str, Any], include_dev: bool) -> None:
        self.parsed = parsed
        self.data = data
        self.include_dev = include_dev
        self.package_lines: Mapping[int, int] = {}
        creators = data.get("creationInfo", {})
        tools = creators.get("creators") if isinstance(creators, dict) else None
        self.tools = (
            " ".join(t for t in tools if isinstance(t, str)) if isinstance(tools, list) else ""
        )
        self.doc_id = data.get("SPDXID") if isinstance(data.get("SPDXID"), str) else None
        name = data.get("name")
        self.doc_name = name.strip() if isinstance(name, str) else ""

    def _list(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise InputError(
                f"/{key}: expected a list, found {type(value).__name__}",
                source=self.parsed.display,
            )
        return value

    def read(self) -> Parsed:
        packages = self._list("packages")
        ids: dict[str, int] = {}
        for index, package in enumerate(packages):
            if not isinstance(package, dict):
                raise InputError(
                    f"/packages/{index}: expected a package object, found {type(package).__name__}",
                    source=self.parsed.display,
                    location=self._line(index),
                )
            spdx_id = package.get("SPDXID")
            if isinstance(spdx_id, str):
                ids.setdefault(spdx_id, index)
        described, wholes, parts, build_only, recipes = self._relationships(ids)
        subjects = [
            self._label(packages[ids[r]]) for r in sorted(described) if r in ids and r in wholes
        ]
        if subjects:
            self.parsed.subject = ", ".join(subjects)
        elif self.doc_name:
            self.parsed.subject = self.doc_name
        zephyr_own = _ZEPHYR_TOOL in self.tools and self.doc_name in _ZEPHYR_OWN
        for index, package in enumerate(packages):
            spdx_id = package.get("SPDXID") if isinstance(package.get("SPDXID"), str) else None
            label = self._label(package)
            if zephyr_own:
                self.parsed.skip(SKIP_ZEPHYR.format(doc=self.doc_name), label)
                continue
            if spdx_id in described and spdx_id in wholes:
                self.parsed.skip(SKIP_SUBJECT, label)
                continue
            if spdx_id in build_only and spdx_id not in parts and not self.include_dev:
                self.parsed.skip(SKIP_BUILD, label)
                continue
            entry = self._entry(package, index, recipes.get(spdx_id or ""))
            if entry is None:
                continue
            grouping = not (entry.version or entry.purl or entry.cpes or entry.hashes)
            if spdx_id in wholes and spdx_id not in described and grouping:
                self.parsed.skip(SKIP_GROUPING, label)
                continue
            self.parsed.entries.append(entry)
        return self.parsed

    def _relationships(
        self, ids: Mapping[str, int]
    ) -> tuple[set[str], set[str], set[str], set[str], dict[str, str]]:
        """Described packages, packages with parts, packages that are parts, build-only
        packages, and (Yocto) the recipe each package was generated from."""
        described: set[str] = set()
        raw_describes = self.data.get("documentDescribes")
        if isinstance(raw_describes, list):
            described.update(r for r in raw_describes if isinstance(r, str))
        wholes: set[str] = set()
        parts: set[str] = set()
        build_only: set[str] = set()
        recipes: dict[str, str] = {}
        oe = _OE_TOOL in self.tools
        for item in self._list("relationships"):
            if not isinstance(item, dict):
                continue
            a, kind, b = (
                item.get("spdxElementId"),
                item.get("relationshipType"),
                item.get("relatedSpdxElement"),
            )
            if not (isinstance(a, str) and isinstance(kind, str) and isinstance(b, str)):
                continue
            kind = kind.strip().upper()
            if kind == "DESCRIBES" and a == self.doc_id:
                described.add(b)
            elif kind == "DESCRIBED_BY" and b == self.doc_id:
                described.add(a)
            elif kind in _PARTS_FORWARD or kind in _PARTS_REVERSE:
                whole, part = (a, b) if kind in _PARTS_FORWARD else (b, a)
                if whole == self.doc_id:
                    continue
                if part in ids or _external(part):
                    wholes.add(whole)
                parts.add(part)
            elif kind in _BUILD_ONLY:
                build_only.add(a)
            elif kind == "GENERATED_FROM" and oe:
                match = _RECIPE_REF.search(b)
                if match and _external(b):
                    recipes[a] = match.group(1)
        return described, wholes, parts, build_only, recipes

    def _line(self, index: int) -> str | None:
        line = self.package_lines.get(index)
        return str(line) if line else None

    def _label(self, package: dict[str, Any]) -> str:
        name = _stated(package.get("name")) or _stated(package.get("SPDXID")) or "(unnamed)"
        version = _stated(package.get("versionInfo"))
        return clip(f"{name}@{version}" if version else name, 120)

    def _entry(self, package: dict[str, Any], index: int, recipe: str | None) -> Entry | None:
        parsed = self.parsed
        line = self.package_lines.get(index)
        spdx_id = _stated(package.get("SPDXID"))
        where = f"/packages/{index}" + (f" ({spdx_id})" if spdx_id else "")
        if line:
            where = f"package {spdx_id or index} (line {line})"
        name = _stated(package.get("name"))
        version = _stated(package.get("versionInfo"))
        purpose = _stated(package.get("primaryPackagePurpose"))
        kind = purpose.upper().replace("_", "-").lower() if purpose else None
        purls, cpes = self._refs(package, where, line)
        label = self._label(package)
        if kind == "device":
            parsed.skip(SKIP_DEVICE, label)
            return None
        if kind == "file" and not purls and not cpes:
            parsed.skip(SKIP_FILE, label)
            return None
        oe = _OE_TOOL in self.tools
        if oe and name and _NATIVE.search(name):
            parsed.skip(SKIP_NATIVE, label)
            return None
        if not name and not purls:
            parsed.note(
                "sbom-invalid-entry",
                f"{where}: a package without name or purl cannot be imported; it is left out "
                "of the inventory",
                level=DiagnosticLevel.ERROR,
                line=line,
            )
            return None
        properties: list[tuple[str, str]] = []
        if kind:
            properties.append((PROP_TYPE, kind))
        download = _stated(package.get("downloadLocation"))
        if download:
            properties.append((PROP_DOWNLOAD, clip(download)))
        properties.extend((PROP_PURL, p) for p in purls[1:])
        lookup_name = None
        if recipe and name and recipe != name:
            properties.append((PROP_YOCTO_PACKAGE, clip(name, 200)))
            name = recipe
        if _ZEPHYR_TOOL in self.tools and name:
            lookup_name = re.sub(r"-(?:sources|deps)$", "", name)
        licence = _stated(package.get("licenseConcluded")) or _stated(
            package.get("licenseDeclared")
        )
        supplier = (
            _party(package.get("supplier"))
            or _party(package.get("packageSupplier"))  # early OpenEmbedded create-spdx
            or _party(package.get("originator"))
        )
        description = _stated(package.get("description")) or _stated(package.get("summary"))
        return Entry(
            name=name,
            version=version,
            kind=kind,
            where=where,
            line=line,
            ref=spdx_id,
            purl=purls[0] if purls else None,
            cpes=tuple(cpes),
            supplier=supplier,
            licenses=(clip(licence),) if licence else (),
            hashes=self._hashes(package.get("checksums"), where, line),
            description=clip(description) if description else None,
            lookup_name=lookup_name,
            properties=tuple(properties),
        )

    def _refs(
        self, package: dict[str, Any], where: str, line: int | None
    ) -> tuple[list[str], list[str]]:
        purls: list[str] = []
        cpes: list[str] = []
        refs = package.get("externalRefs")
        if not isinstance(refs, list):
            return purls, cpes
        for ref in refs:
            if not isinstance(ref, dict):
                continue
            category = ref.get("referenceCategory")
            kind = ref.get("referenceType")
            locator = ref.get("referenceLocator")
            if not (isinstance(category, str) and isinstance(kind, str)):
                continue
            if not isinstance(locator, str) or not locator.strip():
                continue
            kind = kind.strip().rsplit("/", 1)[-1]  # Yocto writes the full URI
            category = category.strip().upper()
            if category in _PURL_CATEGORIES and kind == "purl":
                purls.append(locator.strip())
            elif category == "SECURITY" and kind in ("cpe23Type", "cpe22Type"):
                cpes.append(locator.strip())
        return list(dict.fromkeys(purls)), list(dict.fromkeys(cpes))

    def _hashes(self, raw: Any, where: str, line: int | None) -> tuple[tuple[str, str], ...]:
        if not isinstance(raw, list):
            return ()
        found: list[tuple[str, str]] = []
        for item in raw:
            if not isinstance(item, dict):
                continue
            algorithm, value = item.get("algorithm"), item.get("checksumValue")
            if not (isinstance(algorithm, str) and isinstance(value, str)):
                continue
            name = _HASHES.get(algorithm.strip().upper())
            value = value.strip()
            if name is None:
                continue  # SHA224, MD2, ADLER32...: not carried in the inventory
            if not value or not _HEX.issuperset(value) or set(value) == {"0"}:
                self.parsed.note(
                    "sbom-invalid-field",
                    f"{where}: checksum {algorithm}: {clip(value, 80)!r} is not a digest; ignored",
                    line=line,
                )
                continue
            found.append((name, value.lower()))
        return tuple(sorted(set(found)))


def _external(ref: str) -> bool:
    """``DocumentRef-x:SPDXRef-y``: an element of another document."""
    return ref.startswith("DocumentRef-") and ":" in ref
