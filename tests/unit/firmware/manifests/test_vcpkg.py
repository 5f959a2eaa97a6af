"""vcpkg manifests: overrides are exact, version>= is a minimum, the baseline is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.errors import InputError
from tests.unit.firmware.manifests.conftest import by_name, codes, collect_file, props


def test_versions_test_manifest(manifests: Path) -> None:
    result = collect_file(manifests / "vcpkg" / "versions-test" / "vcpkg.json")
    found = by_name(result)
    (fmt,) = found["fmt"]
    assert (fmt.version, fmt.purl, fmt.origins[0].line) == ("6.0.0", "pkg:vcpkg/fmt@6.0.0", 6)
    assert props(fmt)["mdrgate:manifest:version-from"] == "override"
    zlib = next(c for c in result.components if c.name != "fmt")
    assert (zlib.version, zlib.version_spec) == (None, ">=1.2.11#7")
    assert props(zlib)["mdrgate:vcpkg:builtin-baseline"] == (
        "3426db05b996481ca31e95fff3734cf23e0f51bc"
    )
    assert codes(result) == [("no-exact-version", 10)]


def test_port_version_of_an_override_is_a_qualifier(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "vcpkg" / "versions-test" / "vcpkg.json").read_text()
    (tmp_path / "vcpkg.json").write_text(text.replace('"version": "6.0.0"', '"version": "6.0.0#2"'))
    fmt = by_name(collect_file(tmp_path / "vcpkg.json"))["fmt"][0]
    assert fmt.purl == "pkg:vcpkg/fmt@6.0.0?port_version=2"


@pytest.mark.parametrize("text", ["[]", '{"dependencies": {}}', "{"])
def test_malformed_manifest(tmp_path: Path, text: str) -> None:
    (tmp_path / "vcpkg.json").write_text(text)
    with pytest.raises(InputError):
        collect_file(tmp_path / "vcpkg.json")
