"""Component identifiers: package URLs, CPEs, and the OSV ecosystem a purl type belongs to."""

from __future__ import annotations

import re

from packageurl import PackageURL

from mdrgate.model import Component

# packaging.utils is imported where PyPI names are normalised: it pulls in packaging.tags (platform,
# subprocess, logging), which a firmware-only scan never needs.

# purl type → OSV ecosystem name (https://ossf.github.io/osv-schema/#affectedpackage-field).
PURL_TYPE_TO_ECOSYSTEM: dict[str, str] = {
    "pypi": "PyPI",
    "npm": "npm",
    "golang": "Go",
    "cargo": "crates.io",
    "maven": "Maven",
    "nuget": "NuGet",
    "gem": "RubyGems",
    "composer": "Packagist",
    "hex": "Hex",
    "pub": "Pub",
    "conan": "ConanCenter",
}

# CPE 2.3 formatted string (NISTIR 7695 §6.2): 13 colon-separated parts, escaped colons allowed.
_CPE23 = re.compile(r"^cpe:2\.3:[aho*\-](:(?:[^:\\]|\\.)+){10}$")
# CPE 2.2 URI binding.
_CPE22 = re.compile(r"^cpe:/[aho](:[^:]*){0,6}$")


def is_cpe(text: str) -> bool:
    return bool(_CPE23.match(text) or _CPE22.match(text))


def parse_purl(text: str) -> PackageURL:
    """Parse a purl; raises ``ValueError`` with the library's reason when it is not one."""
    return PackageURL.from_string(text)


def ecosystem_for_purl(purl: PackageURL) -> str | None:
    return PURL_TYPE_TO_ECOSYSTEM.get(purl.type)


def pypi_purl(name: str, version: str | None) -> str:
    """``pkg:pypi/<PEP 503 name>@<version>`` as the purl spec asks for PyPI."""
    from packaging.utils import canonicalize_name

    return PackageURL(type="pypi", name=canonicalize_name(name), version=version).to_string()


def canonical_purl(purl: PackageURL) -> PackageURL:
    """The purl with its name normalised the way its ecosystem compares names (PEP 503 for PyPI),
    so that the same package always gets the same bom-ref, whoever wrote the purl."""
    from packaging.utils import canonicalize_name

    if purl.type == "pypi":
        return purl._replace(name=canonicalize_name(purl.name))
    return purl


def purl_without_version(purl: str) -> str:
    """The purl's identity without version, qualifiers or subpath (for merging and patterns)."""
    parsed = PackageURL.from_string(purl)
    return PackageURL(type=parsed.type, namespace=parsed.namespace, name=parsed.name).to_string()


def normalize_name(ecosystem: str | None, name: str) -> str:
    """The key under which an ecosystem compares package names (PEP 503 for PyPI)."""
    from packaging.utils import canonicalize_name

    if ecosystem == "PyPI":
        return canonicalize_name(name)
    if ecosystem in ("npm", "crates.io", "NuGet"):
        return name.lower()
    return name


_TAG_PREFIX = re.compile(r"^(?:v|r|version[-_ ]?|release[-_ ]?)(?=\d)", re.IGNORECASE)


def version_key(version: str | None) -> str | None:
    """A version as firmware projects compare their tags: ``V10.4.3``, ``v10.4.3`` and
    ``10.4.3`` are one release; so are FatFs's ``R0.14b`` and ``0.14b``."""
    if version is None:
        return None
    return _TAG_PREFIX.sub("", version.strip()).lower()


def identity(component: Component) -> str:
    """What makes two records the same component, whatever their version: the firmware
    catalogue's id when known, else the purl without version, else class and name."""
    if component.catalogue_id:
        return f"catalogue:{component.catalogue_id}"
    if component.purl:
        return purl_without_version(component.purl)
    return f"{component.component_class.value}:{component.name.lower()}"


def merge_key(component: Component) -> tuple[str, str | None]:
    """Identity and comparable version: records with the same key are one component."""
    version = component.version
    if component.ecosystem is None:
        version = version_key(version)
    return identity(component), version
