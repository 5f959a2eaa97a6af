"""PlatformIO: environments, [env] inheritance, package specifications, git and archive URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.errors import InputError
from tests.unit.firmware.manifests.conftest import by_name, codes, collect_file, props


def test_espconnect_environments(manifests: Path) -> None:
    result = collect_file(manifests / "platformio" / "espconnect" / "platformio.ini")
    found = by_name(result)
    json14 = [c for c in found["ArduinoJson"] if c.origins[0].line == 14]
    (arduinojson,) = json14
    assert arduinojson.version == "7.1.0"
    assert arduinojson.catalogue_id == "arduinojson"
    # [env] lib_deps reach the environments that do not set their own
    assert props(arduinojson)["mdrgate:platformio:environments"] == (
        "arduino-2-esp32_poe,arduino-2-esp32dev,arduino-3-esp32dev,pioarduino-esp32dev"
    )
    assert props(arduinojson)["mdrgate:manifest:version-from"] == "pin"
    assert [c.origins[0].line for c in found["ArduinoJson"]] == [14, 34, 42]
    pinned = [c for c in found["platformio/espressif32"] if c.version == "6.8.1"]
    assert [c.origins[0].line for c in pinned] == [50, 54]
    assert pinned[0].purl == (
        "pkg:generic/platformio/espressif32@6.8.1?repository_url=https://registry.platformio.org"
    )
    assert props(pinned[0])["mdrgate:platformio:frameworks"] == "arduino"
    (framework,) = found["platformio/framework-arduinoespressif32"]
    assert (framework.version, framework.purl) == (
        "3.0.4",
        "pkg:github/espressif/arduino-esp32@3.0.4",
    )
    (platform_zip,) = found["platform-espressif32"]
    assert platform_zip.version == "51.03.04"
    unpinned = sorted(d.line for d in result.diagnostics if d.code == "no-exact-version")
    assert unpinned == [31, 39, 62]


def test_docs_lib_deps_forms(manifests: Path) -> None:
    result = collect_file(manifests / "platformio" / "docs" / "platformio.ini")
    found = by_name(result)
    assert "SPI" not in found  # built into the framework
    (pubsub,) = found["knolleary/PubSubClient"]
    assert (pubsub.version, pubsub.version_spec) == (None, "*")
    (json,) = found["ArduinoJson"]
    assert (json.version, json.version_spec) == (None, "~5.6,!=5.4")
    (pjon,) = found["PJON"]
    assert (pjon.version, pjon.purl) == ("2.0", "pkg:github/gioblu/pjon@v2.0")
    (ir,) = found["IRremoteESP8266"]
    assert (ir.version, ir.version_spec) == (None, "git branch master")
    assert codes(result) == [
        ("no-exact-version", 7),
        ("no-exact-version", 10),
        ("no-exact-version", 16),
    ]


def test_interpolation_extends_and_unresolved_references(tmp_path: Path, manifests: Path) -> None:
    # The espconnect file with its lib_deps moved into a section reached by reference and by
    # extends, and one reference to the environment of the build machine.
    text = (manifests / "platformio" / "espconnect" / "platformio.ini").read_text()
    text = text.replace("[env:esp8266]\n", "[common]\n", 1)
    text += (
        "\n[env:from-common]\nextends = common\n\n[env:by-reference]\n"
        "lib_deps =\n  ${common.lib_deps}\n  ${sysenv.EXTRA_LIB}\n"
    )
    (tmp_path / "platformio.ini").write_text(text)
    result = collect_file(tmp_path / "platformio.ini")
    (prefs,) = by_name(result)["vshymanskyy/Preferences"][:1]
    assert props(prefs)["mdrgate:platformio:environments"] == "by-reference,from-common"
    unresolved = [d for d in result.diagnostics if d.code == "unresolved-reference"]
    assert [d.message.split(":")[0] for d in unresolved] == ["'${sysenv.EXTRA_LIB}'"]


def test_garbage_line_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "platformio.ini").write_text("[env:x]\nplatform = ststm32\n!!!\n")
    with pytest.raises(InputError) as caught:
        collect_file(tmp_path / "platformio.ini")
    assert caught.value.location == "3"


def test_reference_cycle_ends(tmp_path: Path) -> None:
    (tmp_path / "platformio.ini").write_text(
        "[a]\nlib_deps = ${b.lib_deps}\n[b]\nlib_deps = ${a.lib_deps}\n"
        "[env:x]\nlib_deps = ${a.lib_deps}\n"
    )
    result = collect_file(tmp_path / "platformio.ini")
    assert result.components == ()
    assert {d.code for d in result.diagnostics} == {"unresolved-reference"}


def test_platform_range_and_local_folders(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "platformio" / "espconnect" / "platformio.ini").read_text()
    text = text.replace(
        "[env:arduino-2-esp32dev]\nplatform = espressif32@6.8.1",
        "[env:arduino-2-esp32dev]\nplatform = platformio/espressif32@^6.8.1",
    ).replace(
        "  vshymanskyy/Preferences @ 2.1.0\n\n[env:esp8266-no-mdns]",
        "  symlink://../Preferences\n\n[env:esp8266-no-mdns]",
    )
    (tmp_path / "platformio.ini").write_text(text)
    result = collect_file(tmp_path / "platformio.ini")
    ranged = next(c for c in result.components if c.origins[0].line == 50)
    assert (ranged.version, ranged.version_spec) == (None, "^6.8.1")
    assert ("local-component", 36) in codes(result)
    assert [c.origins[0].line for c in by_name(result)["vshymanskyy/Preferences"]] == [44]
