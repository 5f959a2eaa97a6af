"""What an SBOM entry lacks of the NTIA minimum elements, for the SBOM-quality rules.

The NTIA's *Minimum Elements for a Software Bill of Materials* (2021) ask, per component: the
supplier name, the component name, its version, other unique identifiers, and its dependency
relationship; and, per SBOM, its author and a timestamp. mdrgate writes the SBOM-level elements
itself (author: the tool and manufacturer; timestamp; every component a dependency of the
product), so only the per-component ones can be missing — they come from the inputs.

The supplier is the component's (the SOUP register's ``supplier`` for register items). "Other
unique identifiers" is a purl or a CPE: the identifiers vulnerability data is keyed by.
"""

from __future__ import annotations

from enum import StrEnum

from mdrgate.model import Component


class NtiaElement(StrEnum):
    SUPPLIER = "supplier"
    VERSION = "version"
    IDENTIFIER = "identifier"


def missing_elements(component: Component) -> tuple[NtiaElement, ...]:
    """The per-component NTIA minimum elements this component does not state, in order."""
    missing: list[NtiaElement] = []
    if not (component.supplier and component.supplier.strip()):
        missing.append(NtiaElement.SUPPLIER)
    if component.version is None:
        missing.append(NtiaElement.VERSION)
    if not component.purl and not component.cpes:
        missing.append(NtiaElement.IDENTIFIER)
    return tuple(missing)


def known_unknowns(components: tuple[Component, ...]) -> tuple[Component, ...]:
    """Components whose version is not known: the SBOM's "known unknowns"."""
    return tuple(c for c in components if c.version is None)
