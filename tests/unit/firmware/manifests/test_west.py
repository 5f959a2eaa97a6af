"""Zephyr west manifests: remotes, defaults, tag / commit / branch revisions, group filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.errors import InputError
from tests.unit.firmware.manifests.conftest import by_name, codes, collect_file, props


def test_tagged_zephyr_maps_to_the_catalogue(manifests: Path) -> None:
    result = collect_file(manifests / "west" / "anjay" / "west.yml")
    found = by_name(result)
    (zephyr,) = [c for c in result.components if c.catalogue_id == "zephyr"]
    assert zephyr.version == "2.5.0"
    assert props(zephyr)["mdrgate:vcs:ref"] == "v2.5.0"
    assert props(zephyr)["mdrgate:west:import"] == "true"
    assert zephyr.origins[0].line == 23
    (anjay,) = found["Anjay-zephyr"]
    assert (anjay.version, anjay.purl) == ("2.11.1", "pkg:github/avsystem/anjay-zephyr@2.11.1")
    assert props(anjay)["mdrgate:west:path"] == "modules/lib/anjay"
    assert result.diagnostics == ()


def test_branch_revision_is_not_a_version(manifests: Path) -> None:
    result = collect_file(manifests / "west" / "example-application" / "west.yml")
    (zephyr,) = result.components
    assert (zephyr.version, zephyr.version_spec) == (None, "git branch main")
    assert codes(result) == [("no-exact-version", 13)]


def test_upstream_manifest_commits_groups_and_refs(manifests: Path) -> None:
    result = collect_file(manifests / "west" / "zephyr" / "west.yml")
    found = by_name(result)
    # inactive only when every group is disabled: psa-arch-tests is also in "tee"
    assert "babblesim_base" not in found and "psa-arch-tests" in found
    (acpica,) = found["acpica"]
    commit = "8d24867bc9c9d81c81eeac59391cda59333affd4"
    assert acpica.version is None
    assert acpica.purl == f"pkg:github/zephyrproject-rtos/acpica@{commit}"
    assert props(acpica)["mdrgate:vcs:commit"] == commit
    (cmsis,) = found["cmsis_6"]
    assert props(cmsis)["mdrgate:vcs:url"] == "https://github.com/zephyrproject-rtos/CMSIS_6"
    (xen,) = found["zephyr-xenlib"]
    assert xen.purl == "pkg:github/xen-troops/zephyr-xenlib"
    assert xen.version_spec == "git branch pull/104/head"
    # Zephyr's fork of Mbed TLS is Mbed TLS, but the fork's commit is not put in upstream's purl
    mbedtls = next(c for c in result.components if c.origins[0].line == 51)
    assert mbedtls.catalogue_id == "mbedtls"
    assert "@" not in (mbedtls.purl or "")
    assert props(mbedtls)["mdrgate:manifest:purl"] == (
        "pkg:github/zephyrproject-rtos/mbedtls@c5b06d89c9c498d8fc8659ce31f7e53137b6270f"
    )
    (inactive,) = [d for d in result.diagnostics if d.code == "inactive-projects"]
    assert inactive.message.endswith("not inventoried: babblesim_base")
    assert inactive.line == 29


def test_aliases_are_refused_with_a_line(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "west" / "anjay" / "west.yml").read_text()
    text = text.replace("revision: v2.5.0", "revision: &rev v2.5.0").replace(
        "revision: 2.11.1", "revision: *rev"
    )
    (tmp_path / "west.yml").write_text(text)
    with pytest.raises(InputError) as caught:
        collect_file(tmp_path / "west.yml")
    assert caught.value.location == "26"


def test_not_a_west_manifest(tmp_path: Path) -> None:
    (tmp_path / "west.yml").write_text("projects: []\n")
    with pytest.raises(InputError, match="manifest:"):
        collect_file(tmp_path / "west.yml")


def test_submanifest_is_claimed_by_content(tmp_path: Path, manifests: Path) -> None:
    folder = tmp_path / "submanifests"
    folder.mkdir()
    (folder / "extra.yaml").write_bytes((manifests / "west" / "anjay" / "west.yml").read_bytes())
    assert len(collect_file(folder / "extra.yaml").components) == 2
