"""Which files discovery hands to the SBOM importer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdrgate.collect.base import InputKind
from mdrgate.collect.discovery import discover_inputs
from mdrgate.collect.sbom import claim
from tests.unit.sbom.support import CDX, SBOM, SPDX


@pytest.mark.parametrize(
    "name",
    [
        "bom.json",
        "BOM.XML",
        "image.cdx.json",
        "image.cdx.xml",
        "recipe-zlib.spdx.json",
        "zephyr.spdx",
        "app.SPDX.tv",
        "build.spdx.tag",
    ],
)
def test_sbom_names_are_claimed_without_reading(tmp_path: Path, name: str) -> None:
    assert claim(tmp_path / name) is InputKind.SBOM  # the file does not even exist


@pytest.mark.parametrize(
    "source",
    [
        CDX / "tools" / "cyclonedx-py-requirements-1.6.cdx.json",
        CDX / "tools" / "trivy-requirements.cdx.json",
        CDX / "tools" / "cyclonedx-py-requirements-1.4.cdx.xml",
        SPDX / "tools" / "syft-busybox.spdx.json",
        SPDX / "yocto" / "recipe-shadow.spdx.json",  # spdxVersion is its last key: SPDXID is first
    ],
)
def test_other_json_and_xml_names_are_claimed_by_their_first_kilobyte(
    tmp_path: Path, source: Path
) -> None:
    renamed = tmp_path / ("export" + source.suffix)
    shutil.copyfile(source, renamed)
    assert claim(renamed) is InputKind.SBOM


@pytest.mark.parametrize(
    "source",
    [SBOM.parent / "report" / "osv" / "PYSEC-2023-74.json", SBOM.parent / "report" / "golden"],
)
def test_other_documents_are_not_claimed(source: Path) -> None:
    paths = sorted(source.glob("*.json")) if source.is_dir() else [source]
    assert paths
    for path in paths:
        if path.name.endswith(".cdx.json"):
            continue
        assert claim(path) is None, path.name


def test_unreadable_or_unknown_names(tmp_path: Path) -> None:
    assert claim(tmp_path / "missing.json") is None
    (tmp_path / "dir.json").mkdir()
    assert claim(tmp_path / "dir.json") is None
    assert claim(tmp_path / "notes.txt") is None
    assert claim(tmp_path / "bom.yaml") is None


def test_discovery_finds_the_sboms_of_a_tree(tmp_path: Path) -> None:
    tree = tmp_path / "device"
    shutil.copytree(SBOM, tree)
    specs, notes = discover_inputs([tree], cwd=tmp_path)
    sboms = sorted(s.display for s in specs if s.kind is InputKind.SBOM)
    assert notes == []
    assert "device/cyclonedx/spec/valid-bom-1.2.json" in sboms
    assert "device/spdx/zephyr/app.spdx.tag" in sboms
    assert "device/spdx/yocto/python3-pyyaml.spdx.json" in sboms
    expected = sorted(
        "device/" + p.relative_to(SBOM).as_posix() for p in SBOM.rglob("*") if p.is_file()
    )
    assert sboms == expected
