"""The firmware components mdrgate knows: who makes them and how the world identifies them.

One entry per third-party C/C++ (or vendored JavaScript) component: its name and supplier, the
package URL it is published under, and the CPE 2.3 vendor:product pairs the NVD uses for it, so
that NVD matching can follow. How a component is *recognised* lives elsewhere, keyed by the same
id: in sources (``source_rules.py``), in compiled images (``binary_signatures.py``) and in linker
maps (``archive_names`` here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from packageurl import PackageURL

from mdrgate.model import Component, ComponentClass, Origin


@dataclass(frozen=True, slots=True)
class ComponentDef:
    """A known component. ``purl`` has no version; ``tag`` says how a release is named there."""

    id: str
    name: str
    supplier: str
    purl: str
    cpes: tuple[str, ...]
    """NVD ``vendor:product`` pairs, the one the NVD uses most first (``arm:mbed_tls``)."""
    tag: str = "{version}"
    """The purl version for a release: ``v{version}``, ``V{version}``, ``mbedtls-{version}``."""
    cpe_part: str = "a"
    """CPE part: ``a`` application/library, ``o`` operating system (FreeRTOS, Zephyr)."""
    aliases: tuple[str, ...] = ()
    """Other names people write for it (matched case-insensitively, ignoring spaces, - and _)."""
    archive_names: tuple[str, ...] = ()
    """Library archives it is built as (``libmbedcrypto.a``), as linker maps name them."""
    website: str | None = None
    component_class: ComponentClass = ComponentClass.FIRMWARE

    def purl_for(self, version: str | None) -> str:
        base = PackageURL.from_string(self.purl)
        tagged = self.tag.format(version=version) if version else None
        return base._replace(version=tagged).to_string()

    def cpes_for(self, version: str | None) -> tuple[str, ...]:
        """CPE 2.3 formatted strings; ``*`` (any) as version when the version is unknown."""
        ver = _cpe_escape(version) if version else "*"
        return tuple(f"cpe:2.3:{self.cpe_part}:{pair}:{ver}:*:*:*:*:*:*:*" for pair in self.cpes)


def _cpe_escape(text: str) -> str:
    # CPE 2.3 formatted-string binding (NISTIR 7695 §6.2.3): escape characters other than
    # alphanumerics, '_', '-' and '.'.
    return re.sub(r"([^A-Za-z0-9._\-])", r"\\\1", text)


CATALOGUE: tuple[ComponentDef, ...] = (
    ComponentDef(
        id="freertos-kernel",
        name="FreeRTOS Kernel",
        supplier="Amazon Web Services (FreeRTOS project)",
        purl="pkg:github/freertos/freertos-kernel",
        tag="V{version}",
        cpes=("amazon:freertos",),
        cpe_part="o",
        aliases=("FreeRTOS", "FreeRTOS-Kernel"),
        website="https://www.freertos.org/",
    ),
    ComponentDef(
        id="mbedtls",
        name="Mbed TLS",
        supplier="Trusted Firmware project (Arm Limited)",
        purl="pkg:github/mbed-tls/mbedtls",
        tag="v{version}",
        cpes=("arm:mbed_tls",),
        aliases=("mbedtls", "mbed-tls", "ARM mbed TLS"),
        archive_names=("libmbedtls.a", "libmbedcrypto.a", "libmbedx509.a"),
        website="https://www.trustedfirmware.org/projects/mbed-tls/",
    ),
    ComponentDef(
        id="cjson",
        name="cJSON",
        supplier="Dave Gamble and cJSON contributors",
        purl="pkg:github/davegamble/cjson",
        tag="v{version}",
        cpes=("cjson_project:cjson",),
        archive_names=("libcjson.a",),
        website="https://github.com/DaveGamble/cJSON",
    ),
)


@cache
def _index() -> dict[str, ComponentDef]:
    return {d.id: d for d in CATALOGUE}


def by_id(component_id: str) -> ComponentDef:
    return _index()[component_id]


def _squash(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


@cache
def _by_name() -> dict[str, ComponentDef]:
    table: dict[str, ComponentDef] = {}
    for d in CATALOGUE:
        for name in (d.id, d.name, *d.aliases):
            table.setdefault(_squash(name), d)
    return table


@cache
def _by_purl() -> dict[tuple[str, str | None, str], ComponentDef]:
    table: dict[tuple[str, str | None, str], ComponentDef] = {}
    for d in CATALOGUE:
        p = PackageURL.from_string(d.purl)
        table[(p.type, (p.namespace or "").lower() or None, p.name.lower())] = d
    return table


@cache
def _by_cpe() -> dict[str, ComponentDef]:
    return {pair: d for d in CATALOGUE for pair in d.cpes}


def lookup(
    *, name: str | None = None, purl: str | None = None, cpes: Iterable[str] = ()
) -> ComponentDef | None:
    """The catalogue entry a record refers to, by purl first, then CPE, then name."""
    if purl:
        try:
            p = PackageURL.from_string(purl)
        except ValueError:
            p = None
        if p is not None:
            hit = _by_purl().get((p.type, (p.namespace or "").lower() or None, p.name.lower()))
            if hit:
                return hit
    for cpe in cpes:
        parts = cpe.split(":")
        if len(parts) > 5 and parts[1] == "2.3":
            hit = _by_cpe().get(f"{parts[3]}:{parts[4]}")
            if hit:
                return hit
        elif len(parts) > 3 and cpe.startswith("cpe:/"):
            hit = _by_cpe().get(f"{parts[2]}:{parts[3]}")
            if hit:
                return hit
    if name:
        return _by_name().get(_squash(name))
    return None


def make_component(
    definition: ComponentDef,
    version: str | None,
    origin: Origin,
    *,
    version_spec: str | None = None,
    properties: tuple[tuple[str, str], ...] = (),
) -> Component:
    """The component ``definition`` describes, found at ``origin`` (``version`` None: unknown)."""
    return Component(
        name=definition.name,
        version=version,
        component_class=definition.component_class,
        purl=definition.purl_for(version),
        cpes=definition.cpes_for(version),
        supplier=definition.supplier,
        origins=(origin,),
        version_spec=version_spec,
        properties=properties,
        catalogue_id=definition.id,
    )
