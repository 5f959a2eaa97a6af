"""NTIA minimum elements per component, on the example device's real inventory."""

from __future__ import annotations

from pathlib import Path

from mdrgate.collect import collect_inputs
from mdrgate.config import load_config
from mdrgate.model import Component, ComponentClass
from mdrgate.policy.sbom_quality import NtiaElement, known_unknowns, missing_elements

REPO = Path(__file__).resolve().parents[3]


def test_example_inventory() -> None:
    config = load_config(REPO / "examples" / "infusion-pump" / "mdrgate.yml", cwd=REPO)
    inventory, _ = collect_inputs(config.inputs)
    gaps = {c.display: missing_elements(c) for c in inventory.components}
    # The register states a supplier for each item; the service tool's pinned packages have
    # purls and versions but no supplier in a requirements file.
    assert gaps["Mbed TLS 2.28.3"] == ()
    assert gaps["requests 2.25.1"] == (NtiaElement.SUPPLIER,)
    assert known_unknowns(inventory.components) == ()


def test_each_element() -> None:
    bare = Component(name="bootloader", version=None, component_class=ComponentClass.FIRMWARE)
    assert missing_elements(bare) == (
        NtiaElement.SUPPLIER,
        NtiaElement.VERSION,
        NtiaElement.IDENTIFIER,
    )
    named = Component(
        name="lwIP",
        version="2.1.3",
        component_class=ComponentClass.FIRMWARE,
        supplier=" ",
        cpes=("cpe:2.3:a:lwip_project:lwip:2.1.3:*:*:*:*:*:*:*",),
    )
    assert missing_elements(named) == (NtiaElement.SUPPLIER,)
    assert known_unknowns((bare, named)) == (bare,)
