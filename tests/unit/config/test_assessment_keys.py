"""The configuration's 'waivers' and 'vex' lists, and the flags that replace them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.config import resolve_settings
from mdrgate.errors import UsageError

CONFIG = """\
apiVersion: mdrgate/v1
kind: Config
product: {name: Pump, version: "1.0"}
inputs: [requirements.txt]
waivers: [waivers.yml, more/waivers.yml]
vex: [vex/a.openvex.json]
"""


def settings(tmp_path: Path, **flags: list[Path]):  # type: ignore[no-untyped-def]
    return resolve_settings(
        config=tmp_path / "cfg" / "mdrgate.yml",
        paths=[],
        database=None,
        policies=[],
        evidence_dir=None,
        env={},
        cwd=tmp_path,
        **flags,
    )


@pytest.fixture
def configured(tmp_path: Path) -> Path:
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "mdrgate.yml").write_text(CONFIG)
    (tmp_path / "cfg" / "requirements.txt").write_text("requests==2.25.1\n")
    return tmp_path


def test_lists_are_relative_to_the_configuration(configured: Path) -> None:
    resolved = settings(configured)
    base = configured / "cfg"
    assert resolved.waivers == (base / "waivers.yml", base / "more" / "waivers.yml")
    assert resolved.vex == (base / "vex" / "a.openvex.json",)


def test_flags_replace_the_lists_and_are_relative_to_the_working_directory(
    configured: Path,
) -> None:
    resolved = settings(configured, waivers=[Path("w.yml")], vex=[Path("/abs/v.json")])
    assert resolved.waivers == (configured / "w.yml",)
    assert resolved.vex == (Path("/abs/v.json"),)


def test_a_waivers_key_of_the_wrong_shape_is_refused(configured: Path) -> None:
    (configured / "cfg" / "mdrgate.yml").write_text(
        CONFIG.replace("[waivers.yml, more/waivers.yml]", "waivers.yml")
    )
    with pytest.raises(UsageError) as caught:
        settings(configured)
    assert "waivers" in str(caught.value) or "waivers" in (caught.value.location or "")
