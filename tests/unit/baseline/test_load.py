"""Reading a baseline: every bad baseline is exit 2 naming the file, never "no baseline"."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from mdrgate.baseline import check_product, load_baseline
from mdrgate.errors import ExitCode, UsageError
from mdrgate.model.baseline import BaselineFailure

GOLDEN = Path(__file__).resolve().parents[2] / "assets" / "report" / "golden" / "decision.json"


def _golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text())
    return data


def _write(tmp_path: Path, data: Any, name: str = "decision.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def _as_1_0(data: dict[str, Any]) -> dict[str, Any]:
    """The document in the shape schema 1.0 had (before sameAs, kev, epss, support, baseline)."""
    old = copy.deepcopy(data)
    old["schemaVersion"] = "1.0"
    for key in ("support", "baseline"):
        old.pop(key, None)
    old["verdict"].pop("gateStatus", None)
    for outcome in old["outcomes"]:
        outcome.pop("baseline", None)
    for finding in old["findings"]:
        for key in ("sameAs", "kev", "epss"):
            finding.pop(key, None)
    return old


def test_reads_the_failures_with_their_vulnerability_names(tmp_path: Path) -> None:
    path = _write(tmp_path, _golden())
    source = load_baseline(path, display="base/decision.json")
    data = _golden()
    assert source.path == "base/decision.json"
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (source.schema_version, source.product_name, source.verdict) == (
        data["schemaVersion"],
        data["product"]["name"],
        "fail",
    )
    assert source.started_at == data["run"]["startedAt"]
    failed = [o for o in data["outcomes"] if o["status"] == "fail"]
    assert len(source.failures) == len(failed) > 0
    requests = next(f for f in source.failures if f.advisory == "PYSEC-2023-74")
    assert requests == BaselineFailure(
        rule_id="MDR-VULN-001",
        subject="pkg:pypi/requests@2.25.1",
        subject_name="requests 2.25.1",
        advisory="PYSEC-2023-74",
        message=next(o["message"] for o in failed if o["advisory"] == "PYSEC-2023-74"),
        vulnerability=("CVE-2023-32681", "GHSA-J8R2-6X86-Q33Q", "PYSEC-2023-74"),
    )


def test_an_evidence_directory_means_its_decision_json(tmp_path: Path) -> None:
    _write(tmp_path, _golden())
    assert load_baseline(tmp_path, display="ev").path == "ev/decision.json"


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.9"])
def test_every_1_x_document_is_read(tmp_path: Path, version: str) -> None:
    data = _as_1_0(_golden())
    data["schemaVersion"] = version
    data["addedLater"] = {"any": "thing"}  # later 1.x versions only add keys
    source = load_baseline(_write(tmp_path, data), display="b.json")
    assert len(source.failures) == len(
        load_baseline(_write(tmp_path, _golden(), "g"), display="g").failures
    )


def _refusal(tmp_path: Path, data: Any, display: str = "b.json") -> UsageError:
    with pytest.raises(UsageError) as caught:
        load_baseline(_write(tmp_path, data), display=display)
    assert caught.value.exit_code is ExitCode.USAGE
    assert caught.value.source == display
    return caught.value


def test_an_unknown_major_version_is_refused(tmp_path: Path) -> None:
    data = _golden()
    data["schemaVersion"] = "2.0"
    error = _refusal(tmp_path, data)
    assert error.message == (
        "baseline has decision schema version '2.0'; this mdrgate reads version 1.x"
    )
    data["schemaVersion"] = 1
    assert "schema version 1;" in _refusal(tmp_path, data).message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "baseline is not valid JSON: Expecting property name enclosed in double quotes"),
        ("[]", "baseline is not an mdrgate decision record (no schemaVersion)"),
        ('{"sbom": 1}', "baseline is not an mdrgate decision record (no schemaVersion)"),
    ],
)
def test_a_corrupt_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    assert _refusal(tmp_path, text).message == message


def test_a_document_without_what_the_comparison_needs_is_refused(tmp_path: Path) -> None:
    data = _golden()
    del data["outcomes"][0]["subject"]["ref"]
    error = _refusal(tmp_path, data)
    assert error.message.startswith("baseline is not a usable decision record: outcomes[0]")
    assert "ref" in error.message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_baseline(tmp_path / "nothing.json", display="nothing.json")
    assert str(caught.value).startswith("nothing.json: baseline file not found")
    with pytest.raises(UsageError) as caught:
        load_baseline(tmp_path, display="ev")  # a directory without decision.json
    assert str(caught.value).startswith("ev/decision.json: baseline file not found")


def test_a_baseline_of_another_product_is_refused(tmp_path: Path) -> None:
    source = load_baseline(_write(tmp_path, _golden()), display="b.json")
    check_product(source, source.product_name)
    with pytest.raises(UsageError) as caught:
        check_product(source, "Other pump")
    assert caught.value.message == (
        f"baseline is the decision for product {source.product_name!r}, "
        "but this check is for 'Other pump'"
    )
    assert caught.value.source == "b.json"
