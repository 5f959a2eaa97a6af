"""Reading the committed SBOM assets the way discovery would hand them to the collector."""

from __future__ import annotations

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.sbom import collect_sbom
from mdrgate.model import Component, Diagnostic

SBOM = Path(__file__).resolve().parents[2] / "assets" / "sbom"
CDX = SBOM / "cyclonedx"
SPDX = SBOM / "spdx"


def collect(path: Path, *, include_dev: bool = False) -> Collected:
    return collect_sbom(InputSpec(InputKind.SBOM, path, path.name, include_dev=include_dev))


def by_name(result: Collected) -> dict[str, Component]:
    return {c.name: c for c in result.components}


def codes(result: Collected) -> list[str]:
    return [d.code for d in result.diagnostics]


def only(result: Collected, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


def prop(component: Component, name: str) -> list[str]:
    return [value for key, value in component.properties if key == name]
