"""An imported SBOM through the CLI: its PyPI components are matched against real advisories,
and they merge with what the Python collectors find in the same run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mdrgate.cli import main
from mdrgate.collect import collect_inputs
from mdrgate.collect.base import InputKind, InputSpec
from tests.unit.sbom.support import CDX

REPO = Path(__file__).resolve().parents[3]
EXCERPT = REPO / "examples" / "infusion-pump" / "osv" / "PyPI" / "all.zip"
REQUIREMENTS = REPO / "examples" / "infusion-pump" / "host" / "requirements.txt"
SERVICE_TOOL_SBOM = CDX / "tools" / "cyclonedx-py-requirements-1.6.cdx.json"
EPOCH = "1795867200"  # 2026-11-28T12:00:00Z


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # The committed excerpts are fixed snapshots, years old at EPOCH: the data-age check has
    # its own tests (test_data_age_cli.py).
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "off")
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_matches_imported_pypi_components_against_real_advisories(env: Path) -> None:
    inputs = env / "host-sbom"
    inputs.mkdir()
    shutil.copyfile(SERVICE_TOOL_SBOM, inputs / "service-tool.cdx.json")
    db = env / "vulndb.sqlite3"
    assert main(["db", "import", "--db", str(db), str(EXCERPT)]) == 0

    out = env / "evidence"
    assert main(["check", str(inputs), "--db", str(db), "--out", str(out)]) == 1

    decision = json.loads((out / "decision.json").read_text())
    found = {(f["component"]["ref"], f["advisory"]["id"]) for f in decision["findings"]}
    assert ("pkg:pypi/requests@2.25.1", "PYSEC-2023-74") in found
    assert ("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-192") in found
    assert len(found) == 12  # as for the same pins read from requirements.txt
    assert [(i["kind"], i["path"]) for i in decision["inputs"]] == [
        ("sbom", "host-sbom/service-tool.cdx.json")
    ]
    sbom = json.loads((out / "sbom.cdx.json").read_text())
    requests = next(c for c in sbom["components"] if c["bom-ref"] == "pkg:pypi/requests@2.25.1")
    assert {"name": "mdrgate:collector", "value": "sbom"} in requests["properties"]
    assert requests["evidence"]["occurrences"] == [
        {
            "additionalContext": "sbom: requirements-L5",
            "location": "host-sbom/service-tool.cdx.json",
        }
    ]


def test_sbom_command_lists_the_imported_components(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = env / "service-tool.cdx.json"
    shutil.copyfile(SERVICE_TOOL_SBOM, path)
    assert main(["sbom", str(path)]) == 0
    written = json.loads(capsys.readouterr().out)
    refs = sorted(c["bom-ref"] for c in written["components"])
    assert len(refs) == 13
    assert "pkg:pypi/pyyaml@5.3.1" in refs


def test_imported_and_collected_pins_are_one_component_with_both_origins() -> None:
    inventory, files = collect_inputs(
        [
            InputSpec(InputKind.REQUIREMENTS, REQUIREMENTS, "host/requirements.txt"),
            InputSpec(InputKind.SBOM, SERVICE_TOOL_SBOM, "host/service-tool.cdx.json"),
        ]
    )
    by_ref = inventory.by_ref()
    assert len(by_ref) == 13
    requests = by_ref["pkg:pypi/requests@2.25.1"]
    assert sorted((o.collector, o.path, o.line) for o in requests.origins) == [
        ("requirements", "host/requirements.txt", 5),
        ("sbom", "host/service-tool.cdx.json", None),
    ]
    assert [f.kind for f in files] == ["requirements", "sbom"]
