"""Components of the device's software and the inventory they form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from urllib.parse import unquote

from mdrgate.model.diagnostic import Diagnostic

REGISTER_COLLECTOR = "soup-register"
"""The collector name of the SOUP register: its origins declare, every other origin evidences."""


class ComponentClass(StrEnum):
    """Where a component runs: on the device (firmware) or on a host computer."""

    FIRMWARE = "firmware"
    HOST = "host"


class Presence(StrEnum):
    """Whether a component is in the shipped image, as far as the inputs show."""

    IN_IMAGE = "in-image"
    """Found in a compiled image, or linked into it according to a linker map."""
    SOURCE_ONLY = "source-only"
    """Found in sources or manifests, but an image was scanned and it was not found there."""


class LevelOfSupport(StrEnum):
    """The supplier's support for a SOUP item, as FDA premarket guidance and IEC 81001-5-1 ask."""

    ACTIVELY_MAINTAINED = "actively-maintained"
    NO_LONGER_MAINTAINED = "no-longer-maintained"
    ABANDONED = "abandoned"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a component was declared or found, and the evidence seen there.

    ``line`` locates it in a text file, ``offset`` (bytes) in a binary; ``text`` is the matched
    evidence itself (a version macro, a banner, a manifest entry), shortened for reports.
    """

    collector: str
    path: str
    line: int | None = None
    offset: int | None = None
    text: str | None = None

    def sort_key(self) -> tuple[str, str, int, int, str]:
        offset = -1 if self.offset is None else self.offset
        return (self.collector, self.path, self.line or 0, offset, self.text or "")

    def __lt__(self, other: Origin) -> bool:
        return self.sort_key() < other.sort_key()

    @property
    def location(self) -> str:
        """``path:line``, ``path@0x1f2e`` or ``path``."""
        if self.line:
            return f"{self.path}:{self.line}"
        if self.offset is not None:
            return f"{self.path}@0x{self.offset:x}"
        return self.path

    def __str__(self) -> str:
        return f"{self.location} ({self.collector})"


@dataclass(frozen=True, slots=True, order=True)
class Hash:
    """A digest of a distribution of the component (algorithm as in CycloneDX: ``SHA-256``)."""

    algorithm: str
    value: str


@dataclass(frozen=True, slots=True)
class SoupRecord:
    """The IEC 62304 register entry for a SOUP item, as the manufacturer declared it.

    ``None`` means "not stated"; policy decides which fields are required for which safety class.
    """

    register_id: str | None = None
    title: str | None = None
    level_of_support: LevelOfSupport | None = None
    end_of_support: date | None = None
    requirements: str | None = None
    """Functional and performance requirements of the SOUP item (IEC 62304 5.3.3)."""
    prerequisites: str | None = None
    """Hardware and software the SOUP item requires (IEC 62304 5.3.4)."""
    anomaly_list_evaluated: date | None = None
    """When the supplier's anomaly list for this version was last evaluated (IEC 62304 7.1.3)."""
    safety_relevant: bool | None = None
    website: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Component:
    """One third-party item of the device's software.

    ``version`` is ``None`` when no exact version is known ("known unknown"); ``version_spec`` then
    keeps what was declared (``>=2.0``, a VCS URL...). ``ecosystem`` is the OSV ecosystem name used
    for vulnerability matching (``PyPI``), ``None`` for items identified only by purl type or CPE.
    """

    name: str
    version: str | None
    component_class: ComponentClass
    ecosystem: str | None = None
    purl: str | None = None
    cpes: tuple[str, ...] = ()
    supplier: str | None = None
    licenses: tuple[str, ...] = ()
    hashes: tuple[Hash, ...] = ()
    origins: tuple[Origin, ...] = ()
    soup: SoupRecord | None = None
    version_spec: str | None = None
    description: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    catalogue_id: str | None = None
    """The id of this component in mdrgate's firmware catalogue (``mbedtls``), when it is one."""
    presence: Presence | None = None
    """In the image or in sources only; ``None`` when no image or linker map was read."""

    @property
    def bom_ref(self) -> str:
        """A stable reference: the purl when there is one, else class, name and version."""
        if self.purl:
            return self.purl
        return f"{self.component_class.value}:{self.name}@{self.version or 'unknown'}"

    @property
    def found(self) -> bool:
        """Whether an input other than the SOUP register showed this component."""
        return any(o.collector != REGISTER_COLLECTOR for o in self.origins)

    @property
    def package_name(self) -> str:
        """The name the component's ecosystem knows it by: the purl's name when there is a purl.

        A register entry may be titled "Python Requests library" while its purl says ``requests``;
        matching must use the latter, whatever the title.
        """
        if self.purl and self.purl.startswith("pkg:"):
            path = self.purl[4:].split("?", 1)[0].split("#", 1)[0].split("@", 1)[0]
            return unquote(path.rstrip("/").rsplit("/", 1)[-1]) or self.name
        return self.name

    @property
    def display(self) -> str:
        return f"{self.name} {self.version}" if self.version else f"{self.name} (version unknown)"


@dataclass(frozen=True, slots=True)
class LinkedFile:
    """An object file or archive member a linker map says was linked into an image."""

    map_file: str
    path: str
    """The object file, or the archive, as the map names it."""
    member: str | None = None
    """The member of ``path`` when ``path`` is an archive (``libmbedcrypto.a(aes.o)``)."""
    size: int | None = None
    """Bytes it contributes to the image, when the map says."""


@dataclass(frozen=True, slots=True)
class Inventory:
    """The components found by the collectors and the problems met while collecting them."""

    components: tuple[Component, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    linked: tuple[LinkedFile, ...] = ()
    """What the linker maps say went into the images (empty when no map was read)."""

    def by_ref(self) -> dict[str, Component]:
        return {c.bom_ref: c for c in self.components}
