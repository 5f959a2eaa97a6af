"""``mdrgate sbom DIR`` on a firmware tree laid out like an STM32Cube project with a web UI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mdrgate.cli import main
from tests.unit.firmware.sources.conftest import SOURCES

# Where each real excerpt goes in the tree (vendored the way STM32CubeMX lays a project out).
TREE = {
    "freertos-kernel/include/task.h": "Middlewares/Third_Party/FreeRTOS/Source/include/task.h",
    "mbedtls-3.3/include/mbedtls/build_info.h": (
        "Middlewares/Third_Party/mbedTLS/include/mbedtls/build_info.h"
    ),
    "fatfs/source/ff.h": "Middlewares/Third_Party/FatFs/src/ff.h",
    "lwip/src/include/lwip/init.h": "Middlewares/Third_Party/LwIP/src/include/lwip/init.h",
    "STM32CubeF4/Drivers/STM32F4xx_HAL_Driver/Src/stm32f4xx_hal.c": (
        "Drivers/STM32F4xx_HAL_Driver/Src/stm32f4xx_hal.c"
    ),
    "STM32CubeF4/Drivers/CMSIS/Device/ST/STM32F4xx/Include/stm32f4xx.h": (
        "Drivers/CMSIS/Device/ST/STM32F4xx/Include/stm32f4xx.h"
    ),
    "littlefs/lfs.h": "lib/littlefs/lfs.h",
    "cjson/cJSON.h": "lib/cJSON/cJSON.h",
    "webui/debian/jquery.min.js": "webui/js/jquery.min.js",
    "webui/npm/bootstrap.min.js": "webui/js/bootstrap.min.js",
    "webui/npm/moment.min.js": "webui/js/moment.min.js",
}


@pytest.fixture
def firmware(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795867200")
    monkeypatch.chdir(tmp_path)
    for asset, place in TREE.items():
        target = tmp_path / "fw" / place
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCES / asset, target)
    # The application's own files are not components.
    app = tmp_path / "fw" / "Core" / "Inc"
    app.mkdir(parents=True)
    (app / "main.h").write_text("#pragma once\nvoid Error_Handler(void);\n", encoding="utf-8")
    (tmp_path / "fw" / "Makefile").write_text("all:\n\tmake -C build\n", encoding="utf-8")
    return tmp_path


def test_sbom_lists_the_vendored_components(firmware: Path) -> None:
    assert main(["sbom", "fw", "-o", "sbom.json", "-q"]) == 0
    bom = json.loads((firmware / "sbom.json").read_text(encoding="utf-8"))
    found = {(c["name"], c.get("version"), c["purl"]) for c in bom["components"]}
    assert found == {
        ("FreeRTOS Kernel", "10.3.1", "pkg:github/freertos/freertos-kernel@V10.3.1"),
        ("Mbed TLS", "3.3.0", "pkg:github/mbed-tls/mbedtls@v3.3.0"),
        ("FatFs", "R0.14b", "pkg:generic/fatfs@R0.14b"),
        ("lwIP", "2.1.3", "pkg:generic/lwip@2.1.3"),
        (
            "STM32F4xx HAL and LL drivers",
            "1.7.9",
            "pkg:github/stmicroelectronics/stm32f4xx_hal_driver@v1.7.9",
        ),
        (
            "STM32F4xx CMSIS device headers",
            "2.6.5",
            "pkg:github/stmicroelectronics/cmsis_device_f4@v2.6.5",
        ),
        ("littlefs", None, "pkg:github/littlefs-project/littlefs"),
        ("cJSON", "1.7.15", "pkg:github/davegamble/cjson@v1.7.15"),
        ("jQuery", "3.6.1", "pkg:npm/jquery@3.6.1"),
        ("Bootstrap", "5.3.2", "pkg:npm/bootstrap@5.3.2"),
    }
    freertos = next(c for c in bom["components"] if c["name"] == "FreeRTOS Kernel")
    assert freertos["cpe"] == "cpe:2.3:o:amazon:freertos:10.3.1:*:*:*:*:*:*:*"
    occurrences = freertos["evidence"]["occurrences"]
    assert {(o["location"], o["line"]) for o in occurrences} == {
        ("fw/Middlewares/Third_Party/FreeRTOS/Source/include/task.h", 2),
        ("fw/Middlewares/Third_Party/FreeRTOS/Source/include/task.h", 47),
    }
    properties = {p["name"]: p["value"] for p in freertos["properties"]}
    assert properties["mdrgate:firmware:component-root"] == (
        "fw/Middlewares/Third_Party/FreeRTOS/Source"
    )
