"""ESP-IDF component manager: idf_component.yml ranges, dependencies.lock exact versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdrgate.errors import InputError
from tests.unit.firmware.manifests.conftest import by_name, codes, collect_file, props


def test_lock_gives_exact_versions(manifests: Path) -> None:
    result = collect_file(manifests / "espidf" / "daikin" / "dependencies.lock")
    found = by_name(result)
    cjson = next(c for c in result.components if c.origins[0].line == 2)
    assert (cjson.catalogue_id, cjson.version) == ("cjson", "1.7.19")
    assert props(cjson)["mdrgate:espidf:registry-version"] == "1.7.19~2"
    (led,) = found["espressif/led_strip"]
    assert led.purl == (
        "pkg:generic/espressif/led_strip@3.0.3?repository_url=https://components.espressif.com"
    )
    assert props(led)["mdrgate:espidf:target"] == "esp32s3"
    idf = next(c for c in result.components if c.origins[0].line == 32)
    assert idf.version == "6.0.2"
    assert idf.catalogue_id == "esp-idf"
    assert result.diagnostics == ()


def test_local_source_is_left_to_the_source_scan(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "espidf" / "daikin" / "dependencies.lock").read_text()
    text = text.replace(
        "      registry_url: https://components.espressif.com/\n"
        "      type: service\n    version: 3.0.3",
        "      path: components/led_strip\n      type: local\n    version: 3.0.3",
    )
    (tmp_path / "dependencies.lock").write_text(text)
    result = collect_file(tmp_path / "dependencies.lock")
    assert "espressif/led_strip" not in by_name(result)
    assert codes(result) == [("local-component", 12)]


def test_manifest_ranges_without_a_lock(manifests: Path) -> None:
    path = manifests / "espidf" / "spi_lcd_touch" / "main" / "idf_component.yml"
    result = collect_file(path)
    found = by_name(result)
    (lvgl,) = [c for c in result.components if c.origins[0].line == 2]
    assert lvgl.version == "9.2.0"
    (ili,) = found["espressif/esp_lcd_ili9341"]
    assert (ili.version, ili.version_spec) == (None, "^1.0")
    assert codes(result) == [("no-exact-version", n) for n in (3, 4, 5, 6)]


def test_manifest_range_pinned_by_the_project_lock(tmp_path: Path, manifests: Path) -> None:
    project = tmp_path / "project"
    (project / "main").mkdir(parents=True)
    shutil.copy(manifests / "espidf" / "daikin" / "dependencies.lock", project)
    # the daikin lock locks espressif/mdns; a manifest asking for a range of it
    text = (manifests / "espidf" / "mqtt_tcp" / "main" / "idf_component.yml").read_text()
    (project / "main" / "idf_component.yml").write_text(
        text.replace("espressif/esp_wifi_remote", "espressif/mdns")
    )
    result = collect_file(project / "main" / "idf_component.yml", "project/main/idf_component.yml")
    (mdns,) = result.components
    assert (mdns.version, mdns.version_spec) == ("1.11.3", ">=0.1.12")
    assert props(mdns)["mdrgate:manifest:pinned-by"] == "project/dependencies.lock:22"
    assert props(mdns)["mdrgate:espidf:conditions"] == "target in [esp32p4, esp32h2]"
    assert sorted(f.path for f in result.files) == [
        "project/dependencies.lock",
        "project/main/idf_component.yml",
    ]
    assert codes(result) == [("local-component", 2)]


def test_dependencies_lock_of_another_tool_is_not_claimed(tmp_path: Path) -> None:
    from mdrgate.collect.firmware.manifests import claim

    (tmp_path / "dependencies.lock").write_text('{"lockfileVersion": 2}\n')
    assert claim(tmp_path / "dependencies.lock") is None


def test_lock_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "dependencies.lock").write_text("manifest_hash: x\ndependencies: [1, 2]\n")
    with pytest.raises(InputError) as caught:
        collect_file(tmp_path / "dependencies.lock")
    assert caught.value.location == "2"
