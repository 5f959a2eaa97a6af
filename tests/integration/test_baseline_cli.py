"""``check --baseline`` end to end: the example device as the base branch, modified copies as PRs.

The PRs change host/requirements.txt only, to versions whose advisories in the bundled real OSV
excerpt are known: requests 2.19.1 is also affected by PYSEC-2018-28 (CVE-2018-18074, fixed in
2.20.0) and still by PYSEC-2023-74; urllib3 1.26.5 is no longer affected by PYSEC-2021-108
(CVE-2021-33503, fixed in 1.26.5) but still by PYSEC-2023-192 (fixed in 1.26.17).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from mdrgate.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "infusion-pump"
FEEDS = [
    EXAMPLE / "osv" / "PyPI" / "all.zip",
    EXAMPLE / "nvd" / "nvd-excerpt.json.gz",
    EXAMPLE / "kev" / "known_exploited_vulnerabilities.json.gz",
    EXAMPLE / "eol" / "endoflife-date.zip",
]
SCHEMA = REPO / "src" / "mdrgate" / "schemas" / "decision.schema.json"
EPOCH = "1795867200"  # 2026-11-28T12:00:00Z, as in test_cli.py


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("baseline-db") / "vulndb.sqlite3"
    assert main(["db", "import", "-q", "--db", str(path), *map(str, FEEDS)]) == 0
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, example_db: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "off")
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(example_db, tmp_path / "vulndb.sqlite3")
    return tmp_path


def _check(config: Path, out: str, *extra: str) -> int:
    return main(["check", "--config", str(config), "--db", "vulndb.sqlite3", "--out", out, *extra])


@pytest.fixture
def base(env: Path) -> Path:
    """The base branch's evidence: the example as it is."""
    assert _check(EXAMPLE / "mdrgate.yml", "base") == 1
    return env / "base"


def _pr(env: Path, *bumps: tuple[str, str]) -> Path:
    """A copy of the example whose requirements pin other versions (hash lines dropped)."""
    copy = env / "pr"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("evidence"))
    requirements = copy / "host" / "requirements.txt"
    text = requirements.read_text()
    for old, new in bumps:
        pattern = rf"{re.escape(old)} \\\n    --hash=sha256:[0-9a-f]+\n"
        text, count = re.subn(pattern, f"{new}\n", text)
        assert count == 1, old
    requirements.write_text(text)
    return copy / "mdrgate.yml"


def _decision(out: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((out / "decision.json").read_text())
    jsonschema_rs.validator_for(json.loads(SCHEMA.read_text())).validate(document)
    return document


def _key(entry: dict[str, Any]) -> tuple[str, str, str | None]:
    return (entry["ruleId"], entry["subject"]["ref"], entry["advisory"])


def _failed(out: Path) -> list[tuple[str, str, str | None]]:
    """The failed outcomes of a run (the example's count moves with the shipped policy)."""
    outcomes = json.loads((out / "decision.json").read_text())["outcomes"]
    failed = [_key(o) for o in outcomes if o["status"] == "fail"]
    assert len(failed) > 10  # the example violates the policy for many real reasons
    return failed


def test_identical_pr_passes_with_everything_carried_over(
    base: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failures = len(_failed(base))
    capsys.readouterr()
    assert _check(EXAMPLE / "mdrgate.yml", "pr", "--baseline", "base") == 0
    printed = capsys.readouterr().out
    assert f"0 new, {failures} carried over, 0 resolved relative to the baseline" in printed
    assert "PASS" in printed

    decision = _decision(env / "pr")
    # Truthful evidence: the policy still fails; the gate, relative to the baseline, passes.
    assert decision["verdict"] == {"status": "fail", "gateStatus": "pass"}
    baseline = decision["baseline"]
    raw = (base / "decision.json").read_bytes()
    assert baseline["path"] == "base/decision.json"
    assert baseline["sha256"] == hashlib.sha256(raw).hexdigest()
    assert baseline["product"] == {"name": "Aurora IP-300 infusion pump", "version": "2.4.0"}
    assert baseline["run"] == {
        "startedAt": "2026-11-28T12:00:00Z",
        "finishedAt": "2026-11-28T12:00:00Z",
    }
    assert baseline["counts"] == {"new": 0, "carriedOver": failures, "resolved": 0}
    assert {c["matchedBy"] for c in baseline["carriedOver"]} == {"same"}
    marks = {o["baseline"] for o in decision["outcomes"] if o["status"] == "fail"}
    assert marks == {"carried-over"}
    assert {o["baseline"] for o in decision["outcomes"] if o["status"] != "fail"} == {None}

    junit = ET.parse(env / "pr" / "junit.xml").getroot()
    assert junit.get("failures") == "0"
    skipped = [
        s.get("message", "")
        for s in junit.iter("skipped")
        if s.get("message", "").startswith("carried over from baseline")
    ]
    assert len(skipped) == failures
    summary = (env / "pr" / "summary.md").read_text()
    assert "## Compared with baseline" in summary
    assert "### New violations (0)" in summary
    assert f"### Carried over from baseline ({failures})" in summary


def test_a_version_bump_fails_on_exactly_what_it_brings(
    base: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _pr(env, ("requests==2.25.1", "requests==2.19.1"))
    failures = len(_failed(base))
    capsys.readouterr()
    assert _check(config, "out", "--baseline", "base/decision.json") == 1
    printed = capsys.readouterr().out

    decision = _decision(env / "out")
    assert decision["verdict"] == {"status": "fail", "gateStatus": "fail"}
    baseline = decision["baseline"]
    new = [_key(n) for n in baseline["new"]]
    assert new == [_key(o) for o in decision["outcomes"] if o["baseline"] == "new"]
    # Everything new is about the bumped component. Of the vulnerabilities, exactly PYSEC-2018-28
    # (fixed in 2.20.0) is new; rules that judge assessments may add violations of their own for
    # it, or for an advisory whose assessment (a VEX statement, a waiver) named 2.25.1 only.
    assert {ref for _, ref, _ in new} == {"pkg:pypi/requests@2.19.1"}
    assert [k for k in new if k[0] == "MDR-VULN-001"] == [
        ("MDR-VULN-001", "pkg:pypi/requests@2.19.1", "PYSEC-2018-28")
    ]
    assert baseline["resolved"] == []
    assert baseline["counts"] == {"new": len(new), "carriedOver": failures, "resolved": 0}
    assert (
        f"{len(new)} new, {failures} carried over, 0 resolved relative to the baseline" in printed
    )
    assert "requests 2.19.1  PYSEC-2018-28" in printed
    # PYSEC-2023-74 still affects requests after the bump: carried over, not new.
    moved = [
        c
        for c in baseline["carriedOver"]
        if c["matchedBy"] == "component" and c["ruleId"] == "MDR-VULN-001"
    ]
    assert moved == [
        {
            "ruleId": "MDR-VULN-001",
            "subject": {"ref": "pkg:pypi/requests@2.19.1", "name": "requests 2.19.1"},
            "advisory": "PYSEC-2023-74",
            "matchedBy": "component",
            "was": {
                "subject": {"ref": "pkg:pypi/requests@2.25.1", "name": "requests 2.25.1"},
                "advisory": "PYSEC-2023-74",
            },
        }
    ]

    junit = ET.parse(env / "out" / "junit.xml").getroot()
    assert junit.get("failures") == str(len(new))
    failed = [
        (c.get("classname"), c.get("name"))
        for c in junit.iter("testcase")
        if c.find("failure") is not None
    ]
    assert sorted(failed) == sorted((rule, f"requests 2.19.1 {adv}") for rule, _, adv in new)


def test_a_fix_is_listed_as_resolved(base: Path, env: Path) -> None:
    failed = _failed(base)
    # What 1.26.5 fixes: the finding's failure, and any other failure about it (the example's
    # expired waiver for it, when the policy judges waivers).
    fixed = [k for k in failed if k[1:] == ("pkg:pypi/urllib3@1.26.4", "PYSEC-2021-108")]
    assert ("MDR-VULN-001", "pkg:pypi/urllib3@1.26.4", "PYSEC-2021-108") in fixed
    config = _pr(env, ("urllib3==1.26.4", "urllib3==1.26.5"))
    assert _check(config, "out", "--baseline", "base") == 0
    decision = _decision(env / "out")
    baseline = decision["baseline"]
    assert baseline["counts"] == {
        "new": 0,
        "carriedOver": len(failed) - len(fixed),
        "resolved": len(fixed),
    }
    assert sorted(_key(r) for r in baseline["resolved"]) == sorted(fixed)
    vuln = next(r for r in baseline["resolved"] if r["ruleId"] == "MDR-VULN-001")
    assert vuln == {
        "ruleId": "MDR-VULN-001",
        "subject": {"ref": "pkg:pypi/urllib3@1.26.4", "name": "urllib3 1.26.4"},
        "advisory": "PYSEC-2021-108",
        "message": "PYSEC-2021-108 affects urllib3 1.26.4: severity unknown (no CVSS score "
        "published); fixed in 1.26.5",
    }
    # PYSEC-2023-192 (fixed in 1.26.17) is still there: carried over across the version change.
    moved = {(c["advisory"], c["was"]["subject"]["ref"]) for c in baseline["carriedOver"]}
    assert ("PYSEC-2023-192", "pkg:pypi/urllib3@1.26.4") in moved
    summary = (env / "out" / "summary.md").read_text()
    assert f"### Resolved since baseline ({len(fixed)})" in summary
    assert "| `MDR-VULN-001` | urllib3 1.26.4 | `PYSEC-2021-108` |" in summary
    junit = ET.parse(env / "out" / "junit.xml").getroot()
    resolved = next(
        s for s in junit.iter("testsuite") if s.get("name") == "mdrgate.baseline.resolved"
    )
    assert "urllib3 1.26.4 PYSEC-2021-108" in [c.get("name") for c in resolved.iter("testcase")]
    assert resolved.get("tests") == str(len(fixed))


def test_the_baseline_may_be_the_directory_being_replaced(base: Path) -> None:
    # Read before the run: writing the new evidence cannot change what is compared with.
    assert _check(EXAMPLE / "mdrgate.yml", "base", "--baseline", "base") == 0
    assert json.loads((base / "decision.json").read_text())["baseline"]["counts"]["new"] == 0


def test_a_1_1_baseline_is_read(base: Path, env: Path) -> None:
    document = json.loads((base / "decision.json").read_text())
    document["schemaVersion"] = "1.1"
    del document["baseline"]
    del document["verdict"]["gateStatus"]
    for outcome in document["outcomes"]:
        del outcome["baseline"]
    (env / "old.json").write_text(json.dumps(document))
    assert _check(EXAMPLE / "mdrgate.yml", "out", "--baseline", "old.json") == 0
    assert _decision(env / "out")["baseline"]["schemaVersion"] == "1.1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (None, "error: missing.json: baseline file not found"),
        ("{not json", "error: bad.json:1: baseline is not valid JSON"),
        (
            {"schemaVersion": "2.0"},
            "error: bad.json: baseline has decision schema version '2.0'; this mdrgate reads "
            "version 1.x",
        ),
        (
            "product",
            "error: bad.json: baseline is the decision for product 'Other pump', but this check "
            "is for 'Aurora IP-300 infusion pump'",
        ),
    ],
)
def test_a_bad_baseline_is_a_usage_error_and_no_evidence_is_written(
    base: Path, env: Path, capsys: pytest.CaptureFixture[str], change: Any, message: str
) -> None:
    name = "missing.json" if change is None else "bad.json"
    if change == "product":
        document = json.loads((base / "decision.json").read_text())
        document["product"]["name"] = "Other pump"
        (env / name).write_text(json.dumps(document))
    elif isinstance(change, str):
        (env / name).write_text(change)
    elif change is not None:
        (env / name).write_text(json.dumps(change))
    capsys.readouterr()
    assert _check(EXAMPLE / "mdrgate.yml", "out", "--baseline", name) == 2
    assert message in capsys.readouterr().err
    assert not (env / "out").exists()
