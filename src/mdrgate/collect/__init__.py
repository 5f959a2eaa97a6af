"""Collectors: one per input kind, each turning a file into components and diagnostics.

``collect_inputs`` runs the collector for every input and merges the results into one inventory.
Collectors are imported on first use so that a run pays only for the formats it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.merge import merge
from mdrgate.collect.reconcile import reconcile
from mdrgate.model import Component, Diagnostic, InputFile, Inventory, LinkedFile

FIRMWARE_EVIDENCE = frozenset(
    {
        InputKind.FIRMWARE_SOURCE,
        InputKind.BUILD_MANIFEST,
        InputKind.FIRMWARE_IMAGE,
        InputKind.LINKER_MAP,
        InputKind.SBOM,
    }
)
"""Inputs that can show a firmware component exists; without any, the register is not checked
for entries nothing evidenced."""


def collect_one(spec: InputSpec) -> Collected:
    """Run the collector that reads ``spec.kind``."""
    kind = spec.kind
    if kind is InputKind.REQUIREMENTS:
        from mdrgate.collect.python.requirements import collect_requirements

        return collect_requirements(spec)
    if kind is InputKind.POETRY_LOCK:
        from mdrgate.collect.python.poetry import collect_poetry_lock

        return collect_poetry_lock(spec)
    if kind is InputKind.PIPFILE_LOCK:
        from mdrgate.collect.python.pipfile import collect_pipfile_lock

        return collect_pipfile_lock(spec)
    if kind is InputKind.UV_LOCK:
        from mdrgate.collect.python.uvlock import collect_uv_lock

        return collect_uv_lock(spec)
    if kind is InputKind.PYTHON_ENVIRONMENT:
        from mdrgate.collect.python.environment import collect_environment

        return collect_environment(spec)
    if kind is InputKind.SOUP_REGISTER:
        from mdrgate.collect.soup import collect_soup_register

        return collect_soup_register(spec)
    if kind is InputKind.FIRMWARE_SOURCE:
        from mdrgate.collect.firmware.sources import collect_firmware_source

        return collect_firmware_source(spec)
    if kind is InputKind.BUILD_MANIFEST:
        from mdrgate.collect.firmware.manifests import collect_build_manifest

        return collect_build_manifest(spec)
    if kind is InputKind.FIRMWARE_IMAGE:
        from mdrgate.collect.firmware.images import collect_firmware_image

        return collect_firmware_image(spec)
    if kind is InputKind.LINKER_MAP:
        from mdrgate.collect.firmware.linkmap import collect_linker_map

        return collect_linker_map(spec)
    if kind is InputKind.SBOM:
        from mdrgate.collect.sbom import collect_sbom

        return collect_sbom(spec)
    if kind is InputKind.NPM_LOCK:
        from mdrgate.collect.npm import collect_npm_lock

        return collect_npm_lock(spec)
    if kind is InputKind.YARN_LOCK:
        from mdrgate.collect.npm import collect_yarn_lock

        return collect_yarn_lock(spec)
    if kind is InputKind.PNPM_LOCK:
        from mdrgate.collect.npm import collect_pnpm_lock

        return collect_pnpm_lock(spec)
    if kind is InputKind.GO_MOD:
        from mdrgate.collect.golang import collect_go_mod

        return collect_go_mod(spec)
    if kind is InputKind.GO_SUM:
        from mdrgate.collect.golang import collect_go_sum

        return collect_go_sum(spec)
    if kind is InputKind.CARGO_LOCK:
        from mdrgate.collect.rust import collect_cargo_lock

        return collect_cargo_lock(spec)
    assert_never(kind)


def collect_inputs(specs: Sequence[InputSpec]) -> tuple[Inventory, tuple[InputFile, ...]]:
    """Every input collected and merged; the files read, with digests, for the evidence."""
    components: list[Component] = []
    diagnostics: list[Diagnostic] = []
    linked: list[LinkedFile] = []
    files: dict[str, InputFile] = {}
    for spec in specs:
        result = collect_one(spec)
        components.extend(result.components)
        diagnostics.extend(result.diagnostics)
        linked.extend(result.linked)
        for file in result.files:
            files.setdefault(file.path, file)
    kinds = {spec.kind for spec in specs}
    inventory = reconcile(
        merge(components, diagnostics, linked),
        register_read=InputKind.SOUP_REGISTER in kinds,
        firmware_read=bool(kinds & FIRMWARE_EVIDENCE),
        image_read=bool(kinds & {InputKind.FIRMWARE_IMAGE, InputKind.LINKER_MAP}),
    )
    return inventory, tuple(sorted(files.values()))


__all__ = ["Collected", "InputKind", "InputSpec", "collect_inputs", "collect_one"]
