"""What an SBOM says about one package, before it becomes an inventory component.

Both formats (CycloneDX components, SPDX packages) are read into ``Entry`` values; ``build``
turns them into components. A ``Parsed`` document also carries what was deliberately *not*
imported (the subject, files, hardware, build-only inputs...), so that nothing is left out
silently: every skip is reported with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mdrgate.model import Diagnostic, DiagnosticLevel

COLLECTOR = "sbom"
"""``Origin.collector`` of imported components (the ``sbom`` input kind)."""

PREFIX = "mdrgate:sbom:"
PROP_TYPE = PREFIX + "type"
"""The CycloneDX component type or SPDX primary package purpose, as written (lower case)."""
PROP_PARENT = PREFIX + "parent"
"""The bom-ref (or name@version) of the component a nested CycloneDX component was inside."""
PROP_GROUP = PREFIX + "group"
"""The CycloneDX ``group`` (Maven groupId, npm scope...)."""
PROP_PURL = PREFIX + "purl"
"""The purl as the SBOM wrote it, when mdrgate could not use it unchanged."""
PROP_DOWNLOAD = PREFIX + "download"
"""The SPDX ``downloadLocation``."""
PROP_IDENTITY = PREFIX + "identity"
"""CycloneDX ``evidence.identity``: the field identified and the producer's confidence."""
PROP_SCOPE = PREFIX + "scope"
"""CycloneDX ``scope`` when not ``required`` (``optional``, or ``excluded`` when imported)."""
PROP_SWID = PREFIX + "swid"
"""The SWID ``tagId``."""
PROP_YOCTO_PACKAGE = PREFIX + "yocto-package"
"""The Yocto binary package(s) an OpenEmbedded package document names for its recipe."""

MAX_PROPERTIES = 100
"""Properties kept per component from the SBOM's own ``properties`` (the rest are counted)."""
MAX_VALUE = 500
"""Characters kept of any one imported text value."""
MAX_NESTING = 32
"""CycloneDX components nested deeper than this are refused (no real SBOM needs more)."""


def clip(text: str, limit: int = MAX_VALUE) -> str:
    """``text`` shortened to ``limit`` characters, marked with an ellipsis when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Entry:
    """One package or component as the SBOM states it."""

    name: str | None
    version: str | None
    kind: str | None
    """CycloneDX ``type`` / SPDX ``primaryPackagePurpose``, lower case, ``-`` separated."""
    where: str
    """Where the entry is in the document: a JSON pointer (``/components/3``) or an SPDXID."""
    line: int | None = None
    ref: str | None = None
    """The ``bom-ref`` or ``SPDXID``."""
    group: str | None = None
    purl: str | None = None
    purls: tuple[str, ...] = ()
    """Further purls the entry names (SPDX allows several), kept as properties."""
    cpes: tuple[str, ...] = ()
    supplier: str | None = None
    licenses: tuple[str, ...] = ()
    hashes: tuple[tuple[str, str], ...] = ()
    """``(algorithm, hex digest)`` with CycloneDX algorithm names (``SHA-256``)."""
    description: str | None = None
    parent: str | None = None
    lookup_name: str | None = None
    """The name to look the entry up by in the firmware catalogue, when not ``name``."""
    properties: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """``name@version``, ``name`` or the reference: how messages name the entry."""
        name = self.name or self.ref or self.where
        return f"{name}@{self.version}" if self.version else name


@dataclass
class Parsed:
    """A read SBOM: what it describes, what to import, what was left out and why."""

    display: str
    format: str
    """``CycloneDX 1.6 (JSON)``, ``SPDX 2.3 (tag-value)``..."""
    subject: str | None = None
    """What the SBOM describes (``name version (type)``); not imported as a component."""
    entries: list[Entry] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    """Reason → labels of the entries not imported for that reason."""
    notes: list[Diagnostic] = field(default_factory=list)

    def skip(self, reason: str, label: str) -> None:
        self.skipped.setdefault(reason, []).append(label)

    def note(
        self,
        code: str,
        message: str,
        *,
        level: DiagnosticLevel = DiagnosticLevel.WARNING,
        line: int | None = None,
        component: str | None = None,
    ) -> None:
        self.notes.append(
            Diagnostic(
                code=code,
                message=message,
                level=level,
                path=self.display,
                line=line,
                component=component,
            )
        )


def listing(labels: list[str], limit: int = 10) -> str:
    """Up to ``limit`` labels, sorted, then "and N more"."""
    shown = sorted(set(labels))
    if len(shown) <= limit:
        return ", ".join(shown)
    return ", ".join(shown[:limit]) + f" and {len(shown) - limit} more"
