"""The published JSON schemas of the three VEX formats, loaded offline.

OpenVEX 0.2.0 and CSAF 2.0 (with the FIRST CVSS schemas it references) ship in
``mdrgate/vex/schemas/``, copied unchanged from their upstream repositories. The CycloneDX
schemas are the ones ``cyclonedx-python-lib`` ships (they reference its SPDX licence-id and JSF
schemas, which it ships too). References are resolved from these files only: validation must
never reach for the network, in CI or on an air-gapped site.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

_CVSS = {
    "https://www.first.org/cvss/cvss-v2.0.json": "first-cvss-v2.0.json",
    "https://www.first.org/cvss/cvss-v3.0.json": "first-cvss-v3.0.json",
    "https://www.first.org/cvss/cvss-v3.1.json": "first-cvss-v3.1.json",
}

OPENVEX = "openvex-0.2.0.json"
CSAF = "csaf-2.0.json"


_FORMATS = {
    "date-time": "an RFC 3339 date and time (2024-01-31T12:00:00Z)",
    "date": "a date YYYY-MM-DD",
    "uri": "an absolute URI",
    "uri-reference": "a URI reference",
    "iri": "an absolute IRI (https://..., urn:..., pkg:...)",
    "iri-reference": "an IRI reference",
    "email": "an email address",
    "idn-email": "an email address",
}


def _phrased(node: Any) -> Any:
    """The schema with ``x-expected`` phrases for format checks, the words errors then use.

    The published schemas only describe their fields, and a description ("Timestamp is the time
    at which...") reads badly after "expected". The files themselves stay unchanged.
    """
    if isinstance(node, dict):
        out = {k: _phrased(v) for k, v in node.items()}
        if isinstance(node.get("format"), str) and "x-expected" not in node:
            out["x-expected"] = _FORMATS.get(node["format"], f"a value of format {node['format']}")
        return out
    if isinstance(node, list):
        return [_phrased(v) for v in node]
    return node


def _packaged(name: str) -> dict[str, Any]:
    text = resources.files("mdrgate.vex").joinpath("schemas", name).read_text(encoding="utf-8")
    schema: dict[str, Any] = _phrased(json.loads(text))
    return schema


def _no_network(uri: str) -> Any:
    raise ValueError(f"schema reference {uri} is not shipped with mdrgate")


def _packaged_ref(uri: str) -> Any:
    name = _CVSS.get(uri)
    return _packaged(name) if name else _no_network(uri)


@cache
def packaged(name: str) -> tuple[dict[str, Any], Any]:
    """(schema, validator) of a schema shipped in this package."""
    schema = _packaged(name)
    return schema, jsonschema_rs.validator_for(
        schema, retriever=_packaged_ref, validate_formats=True
    )


def _cyclonedx_dir() -> Path:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.schema._res import BOM_JSON  # the library's bundled schema files

    path = BOM_JSON[SchemaVersion.V1_6]
    assert path is not None
    return Path(path).parent


def _cyclonedx_ref(uri: str) -> Any:
    name = uri.rsplit("/", 1)[-1]
    if not uri.startswith("http://cyclonedx.org/schema/") or not name.endswith(".schema.json"):
        return _no_network(uri)
    return json.loads((_cyclonedx_dir() / name).read_text(encoding="utf-8"))


@cache
def cyclonedx(spec_version: str) -> tuple[dict[str, Any], Any]:
    """(schema, validator) of CycloneDX JSON ``spec_version`` (``1.4`` … ``1.7``)."""
    path = _cyclonedx_dir() / f"bom-{spec_version}.SNAPSHOT.schema.json"
    schema: dict[str, Any] = _phrased(json.loads(path.read_text(encoding="utf-8")))
    return schema, jsonschema_rs.validator_for(
        schema, retriever=_cyclonedx_ref, validate_formats=True
    )
