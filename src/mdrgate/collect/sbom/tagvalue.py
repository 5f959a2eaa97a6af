"""SPDX 2.x tag-value documents, turned into the shape of the SPDX JSON format.

The grammar (SPDX 2.3 specification, annex "tag-value format"): one ``Tag: value`` per line;
a value may span lines between ``<text>`` and ``</text>``; lines starting with ``#`` are comments;
blank lines separate nothing in particular. Elements are introduced by their first tag
(``PackageName``, ``FileName``, ``SnippetSPDXID``, ``LicenseID``, ``Annotator``) and the tags
that follow belong to the latest one; ``Relationship`` lines may appear anywhere.

Only what the importer reads is carried over; every package and relationship keeps the line it
was written on, so that components and errors point into the file. Unknown tags are ignored
(tools add their own); a line that is not ``Tag: value`` at all is an error with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mdrgate.errors import InputError

_TAG = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")

# Package tags → SPDX JSON keys (single-valued).
_PACKAGE_FIELDS = {
    "SPDXID": "SPDXID",
    "PackageVersion": "versionInfo",
    "PackageSupplier": "supplier",
    "PackageOriginator": "originator",
    "PackageDownloadLocation": "downloadLocation",
    "PackageHomePage": "homepage",
    "PackageLicenseConcluded": "licenseConcluded",
    "PackageLicenseDeclared": "licenseDeclared",
    "PackageDescription": "description",
    "PackageSummary": "summary",
    "PackageFileName": "packageFileName",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
    "FilesAnalyzed": "filesAnalyzed",
}
_DOCUMENT_FIELDS = {
    "SPDXVersion": "spdxVersion",
    "DataLicense": "dataLicense",
    "SPDXID": "SPDXID",
    "DocumentName": "name",
    "DocumentNamespace": "documentNamespace",
}
_STARTS = {
    "PackageName": "package",
    "FileName": "file",
    "SnippetSPDXID": "snippet",
    "LicenseID": "license",
    "Annotator": "annotation",
}


@dataclass(frozen=True, slots=True)
class Line:
    tag: str
    value: str
    line: int


@dataclass
class TagValueDocument:
    """The document in SPDX JSON shape, plus where each package and relationship was written."""

    data: dict[str, Any]
    package_lines: dict[int, int] = field(default_factory=dict)
    """Index in ``data["packages"]`` → line of its ``PackageName``."""
    relationship_lines: dict[int, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    """``(line, message)`` for tags that were out of place (ignored)."""


def tokenize(text: str, display: str) -> list[Line]:
    """The ``Tag: value`` pairs of a tag-value document, multi-line ``<text>`` values joined."""
    lines = text.splitlines()
    found: list[Line] = []
    index = 0
    while index < len(lines):
        raw = lines[index]
        number = index + 1
        index += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _TAG.match(stripped)
        if match is None:
            shown = stripped if len(stripped) <= 60 else stripped[:57] + "..."
            raise InputError(
                f"expected 'Tag: value' (SPDX tag-value), found {shown!r}",
                source=display,
                location=str(number),
            )
        tag, value = match.group(1), match.group(2)
        start = value.find("<text>")
        if start != -1 and value[:start].strip() == "":
            body = value[start + len("<text>") :]
            end = body.find("</text>")
            while end == -1:
                if index >= len(lines):
                    raise InputError(
                        f"{tag}: a <text> value is not closed by </text> before the end of "
                        "the file",
                        source=display,
                        location=str(number),
                    )
                body += "\n" + lines[index]
                index += 1
                end = body.find("</text>")
            value = body[:end]
        found.append(Line(tag, value.strip(), number))
    return found


def to_document(text: str, display: str) -> TagValueDocument:
    """The document's tags in the SPDX JSON shape (``packages``, ``relationships``...)."""
    data: dict[str, Any] = {"creationInfo": {"creators": []}}
    packages: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    doc = TagValueDocument(data)
    element = "document"
    current: dict[str, Any] | None = None
    for item in tokenize(text, display):
        tag, value, line = item.tag, item.value, item.line
        if tag == "Relationship":
            parts = value.split()
            if len(parts) != 3:
                doc.problems.append(
                    (line, f"Relationship: expected 'A TYPE B', found {value[:60]!r}")
                )
                continue
            doc.relationship_lines[len(relationships)] = line
            relationships.append(
                {
                    "spdxElementId": parts[0],
                    "relationshipType": parts[1],
                    "relatedSpdxElement": parts[2],
                }
            )
            continue
        if tag in _STARTS:
            element = _STARTS[tag]
            if element == "package":
                current = {"name": value}
                doc.package_lines[len(packages)] = line
                packages.append(current)
            elif element == "file":
                current = {"fileName": value}
                files.append(current)
            else:
                current = None
            continue
        if element == "document":
            _document_tag(data, tag, value)
        elif element == "package" and current is not None:
            _package_tag(current, tag, value, line, doc)
        elif element == "file" and current is not None and tag == "SPDXID":
            current["SPDXID"] = value
        elif tag.startswith("Package") or tag in ("ExternalRef", "PrimaryPackagePurpose"):
            doc.problems.append((line, f"{tag} outside a package (after another element); ignored"))
    data["packages"] = packages
    data["files"] = files
    data["relationships"] = relationships
    return doc


def _document_tag(data: dict[str, Any], tag: str, value: str) -> None:
    if tag in _DOCUMENT_FIELDS:
        data.setdefault(_DOCUMENT_FIELDS[tag], value)
    elif tag == "Creator":
        data["creationInfo"]["creators"].append(value)
    elif tag == "Created":
        data["creationInfo"]["created"] = value


def _package_tag(
    package: dict[str, Any], tag: str, value: str, line: int, doc: TagValueDocument
) -> None:
    if tag in _PACKAGE_FIELDS:
        package.setdefault(_PACKAGE_FIELDS[tag], value)
    elif tag == "PackageChecksum":
        algorithm, sep, digest = value.partition(":")
        if not sep:
            doc.problems.append(
                (line, f"PackageChecksum: expected 'ALGORITHM: digest', found {value[:60]!r}")
            )
            return
        package.setdefault("checksums", []).append(
            {"algorithm": algorithm.strip(), "checksumValue": digest.strip()}
        )
    elif tag == "ExternalRef":
        parts = value.split(None, 2)
        if len(parts) != 3:
            doc.problems.append(
                (line, f"ExternalRef: expected 'CATEGORY TYPE LOCATOR', found {value[:60]!r}")
            )
            return
        package.setdefault("externalRefs", []).append(
            {"referenceCategory": parts[0], "referenceType": parts[1], "referenceLocator": parts[2]}
        )
