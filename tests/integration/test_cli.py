"""The CLI end to end on the example device and the bundled real OSV excerpt, code by code."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from mdrgate.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "infusion-pump"
CONFIG = EXAMPLE / "mdrgate.yml"
EXCERPT = EXAMPLE / "osv" / "PyPI" / "all.zip"
NVD_EXCERPT = EXAMPLE / "nvd" / "nvd-excerpt.json.gz"
KEV = EXAMPLE / "kev" / "known_exploited_vulnerabilities.json.gz"
EOL = EXAMPLE / "eol" / "endoflife-date.zip"
GO_EXPORT = REPO / "tests" / "assets" / "osv" / "Go" / "all.zip"
EPOCH = "1795867200"  # 2026-11-28T12:00:00Z: the suite judges dates as of this instant

# What the example must yield against the bundled records: every advisory id per component.
# The NVD findings were checked by hand against each CVE's configurations: Mbed TLS 2.28.3 is
# before 2.28.5 (CVE-2023-43615) and 2.28.7 (CVE-2024-23170); FreeRTOS 10.3.1 before 10.4.3
# (CVE-2021-31571/31572); CPython 3.8.10 is within CVE-2007-4559's and CVE-2015-20107's ranges.
# Not affected: cJSON 1.7.15 (CVE-2023-50471 names 1.7.16 only), Mbed TLS before 2.28.1 etc.
NVD_FINDINGS = {
    ("pkg:github/mbed-tls/mbedtls@v2.28.3", "CVE-2023-43615"),
    ("pkg:github/mbed-tls/mbedtls@v2.28.3", "CVE-2024-23170"),
    ("pkg:github/freertos/freertos-kernel@V10.3.1", "CVE-2021-31571"),
    ("pkg:github/freertos/freertos-kernel@V10.3.1", "CVE-2021-31572"),
    ("pkg:generic/cpython@3.8.10", "CVE-2007-4559"),
    ("pkg:generic/cpython@3.8.10", "CVE-2015-20107"),
}
EXPECTED_FINDINGS = NVD_FINDINGS | {
    ("pkg:pypi/certifi@2020.12.5", "PYSEC-2022-42986"),
    ("pkg:pypi/certifi@2020.12.5", "PYSEC-2023-135"),
    ("pkg:pypi/cryptography@3.3.1", "PYSEC-2021-63"),
    ("pkg:pypi/cryptography@3.3.1", "PYSEC-2023-11"),
    ("pkg:pypi/cryptography@3.3.1", "PYSEC-2023-254"),
    ("pkg:pypi/idna@2.10", "PYSEC-2024-60"),
    ("pkg:pypi/jinja2@2.11.2", "PYSEC-2021-66"),
    ("pkg:pypi/pyyaml@5.3.1", "PYSEC-2021-142"),
    ("pkg:pypi/requests@2.25.1", "PYSEC-2023-74"),
    ("pkg:pypi/urllib3@1.26.4", "PYSEC-2021-108"),
    ("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-192"),
    ("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-212"),
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment: fixed clock, no database from the user's cache, a temp cwd."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # The committed excerpts are fixed snapshots, years old at EPOCH: the data-age check has
    # its own tests (test_data_age_cli.py).
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "off")
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's bundled data imported once (as make demo does); each test gets a copy."""
    path = tmp_path_factory.mktemp("example-db") / "vulndb.sqlite3"
    feeds = [str(f) for f in (EXCERPT, NVD_EXCERPT, KEV, EOL)]
    assert main(["db", "import", "-q", "--db", str(path), *feeds]) == 0
    return path


@pytest.fixture
def db(env: Path, example_db: Path) -> Path:
    path = env / "vulndb.sqlite3"
    shutil.copyfile(example_db, path)
    return path


def _check(db: Path, out: Path, *extra: str) -> int:
    return main(["check", "--config", str(CONFIG), "--db", str(db), "--out", str(out), *extra])


def test_example_gate_fails_for_real_reasons(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = env / "evidence"
    assert _check(db, out) == 1
    printed = capsys.readouterr().out
    assert "FAIL" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "decision.json",
        "junit.xml",
        "results.sarif",
        "sbom.cdx.json",
        "summary.md",
    ]

    decision = json.loads((out / "decision.json").read_text())
    assert decision["verdict"]["status"] == "fail"
    found = {(f["component"]["ref"], f["advisory"]["id"]) for f in decision["findings"]}
    assert found == EXPECTED_FINDINGS
    failed = {
        (o["ruleId"], o["subject"]["name"]) for o in decision["outcomes"] if o["status"] == "fail"
    }
    assert ("MDR-SOUP-001", "Mbed TLS 2.28.3") in failed
    assert ("MDR-SOUP-001", "CPython 3.8.10") in failed
    assert ("MDR-SOUP-003", "SEGGER RTT 7.54") in failed
    # The register names HAL 1.7.13; the vendored sources are 1.7.9.
    assert ("MDR-SOUP-006", "STM32F4 HAL and LL drivers 1.7.13") in failed
    assert ("MDR-VULN-001", "requests 2.25.1") in failed
    # urllib3's CVSS 4.2 finding is below the threshold: a warning, not a failure.
    statuses = {
        o["advisory"]: o["status"] for o in decision["outcomes"] if o["ruleId"] == "MDR-VULN-001"
    }
    assert statuses["PYSEC-2023-212"] == "warn"
    assert statuses["PYSEC-2023-192"] == "fail"
    inputs = sorted((i["kind"], Path(i["path"]).name) for i in decision["inputs"])
    assert inputs == [
        ("config", "mdrgate.yml"),
        ("firmware-image", "aurora-boot.elf"),
        ("firmware-image", "aurora-boot.hex"),
        ("firmware-source", "FreeRTOS_IP.h"),
        ("firmware-source", "SEGGER_RTT.h"),
        ("firmware-source", "cJSON.h"),
        ("firmware-source", "ff.h"),
        ("firmware-source", "init.h"),
        ("firmware-source", "stm32f4xx.h"),
        ("firmware-source", "stm32f4xx_hal.c"),
        ("firmware-source", "task.h"),
        ("firmware-source", "version.h"),
        ("linker-map", "aurora-boot.map"),
        ("requirements", "requirements.txt"),
        ("soup-register", "soup.yml"),
        ("vex", "cpython-mailcap.openvex.json"),
        ("vex", "requests-proxy-auth.cdx.vex.json"),
        ("waivers", "waivers.yml"),
    ]
    elf = next(i for i in decision["inputs"] if i["path"].endswith(".elf"))
    assert ["toolchain", "GCC: (15:12.2.rel1-1) 12.2.1 20221205"] in elf["properties"]

    sbom = json.loads((out / "sbom.cdx.json").read_text())
    assert sbom["specVersion"] == "1.6"
    refs = {c["bom-ref"] for c in sbom["components"]}
    assert "pkg:pypi/requests@2.25.1" in refs
    assert "pkg:github/mbed-tls/mbedtls@v2.28.3" in refs
    # Firmware components carry their evidence: the register, the vendored header, the image.
    mbedtls = next(c for c in sbom["components"] if c["name"] == "Mbed TLS")
    props = {p["name"]: p["value"] for p in mbedtls["properties"]}
    assert props["mdrgate:presence"] == "in-image"
    contexts = {o["additionalContext"].split(":")[0] for o in mbedtls["evidence"]["occurrences"]}
    assert contexts == {"soup-register", "firmware-source", "firmware-image"}
    image = [o for o in mbedtls["evidence"]["occurrences"] if o["location"].endswith(".elf")]
    assert image and image[0]["offset"] > 0
    assert "mbed TLS 2.28.3" in image[0]["additionalContext"]
    assert {v["id"] for v in sbom["vulnerabilities"]} == {a for _, a in EXPECTED_FINDINGS}

    junit = ET.fromstring((out / "junit.xml").read_bytes())
    failures = sum(int(s.get("failures", "0")) for s in junit.iter("testsuite"))
    assert failures == decision["counts"]["outcomes"]["fail"]


def test_evidence_is_schema_valid(db: Path, env: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    out = env / "evidence"
    _check(db, out)
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(
        (out / "sbom.cdx.json").read_text()
    )
    assert errors is None

    import jsonschema

    schema = json.loads((REPO / "src/mdrgate/schemas/decision.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(
        json.loads((out / "decision.json").read_text())
    )


def test_evidence_is_reproducible(db: Path, env: Path) -> None:
    first, second = env / "a", env / "b"
    assert _check(db, first) == 1
    assert _check(db, second) == 1
    for name in (
        "sbom.cdx.json",
        "decision.json",
        "junit.xml",
        "results.sarif",
        "summary.md",
    ):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_rerun_replaces_evidence_but_refuses_foreign_directories(db: Path, env: Path) -> None:
    out = env / "evidence"
    assert _check(db, out) == 1
    assert _check(db, out) == 1  # its own evidence is replaced
    precious = env / "work"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    assert _check(db, precious) == 2
    assert (precious / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in precious.iterdir()) == ["notes.txt"]


def test_passing_gate_exits_zero(db: Path, env: Path) -> None:
    (env / "requirements.txt").write_text("pyserial==3.5\nchardet==4.0.0\n")
    out = env / "evidence"
    assert main(["check", str(env / "requirements.txt"), "--db", str(db), "--out", str(out)]) == 0
    decision = json.loads((out / "decision.json").read_text())
    assert decision["verdict"]["status"] == "pass"
    assert decision["findings"] == []


def test_discovery_mode_without_config(db: Path, env: Path) -> None:
    repo = env / "repo"
    shutil.copytree(EXAMPLE / "host", repo / "host")
    shutil.copy(EXAMPLE / "firmware" / "soup.yml", repo / "soup.yml")
    out = env / "evidence"
    assert main(["check", str(repo), "--db", str(db), "--out", str(out)]) == 1
    decision = json.loads((out / "decision.json").read_text())
    assert decision["product"]["name"] == "repo"
    assert decision["product"]["safetyClass"] == "C"
    assert {
        (f["component"]["ref"], f["advisory"]["id"]) for f in decision["findings"]
    } == EXPECTED_FINDINGS


def test_unpinned_requirement_is_not_a_silent_pass(db: Path, env: Path) -> None:
    (env / "requirements.txt").write_text("pyserial==3.5\nrequests>=2.31\n")
    out = env / "evidence"
    assert main(["check", str(env / "requirements.txt"), "--db", str(db), "--out", str(out)]) == 1
    decision = json.loads((out / "decision.json").read_text())
    failed = [o for o in decision["outcomes"] if o["status"] == "fail"]
    assert [(o["ruleId"], o["subject"]["name"]) for o in failed] == [
        ("MDR-INV-001", "requests (version unknown)")
    ]
    assert "no exact version" in failed[0]["message"]


def test_sbom_verb(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sbom", "--config", str(CONFIG)]) == 0
    sbom = json.loads(capsys.readouterr().out)
    assert sbom["bomFormat"] == "CycloneDX"
    assert len(sbom["components"]) == 27  # with newlib, linked from libc_nano.a (the map)
    assert "vulnerabilities" not in sbom or sbom["vulnerabilities"] == []
    target = env / "out" / "sbom.json"
    assert main(["sbom", "--config", str(CONFIG), "-o", str(target)]) == 0
    assert json.loads(target.read_text())["components"] == sbom["components"]


def test_db_status(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["db", "status", "--db", str(db), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [(s["source"], s["kind"], s["records"]) for s in status["sources"]] == [
        ("eol", "eol", 8351),
        ("kev", "kev", 1404),
        ("nvd/2002-2024", "nvd", 40),
        ("osv/PyPI/PYSEC", "osv", 35),
    ]
    assert all(len(source["sha256"]) == 64 for source in status["sources"])


# --- every exit code, end to end -------------------------------------------------------------


def test_no_database_is_exit_4(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(env / "missing.sqlite3", env / "evidence") == 4
    err = capsys.readouterr().err
    assert "mdrgate db import" in err
    assert not (env / "evidence").exists()
    assert main(["db", "status", "--db", str(env / "missing.sqlite3")]) == 4


def test_database_without_the_inventorys_ecosystem_is_exit_4(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    go_only = env / "go.sqlite3"
    assert main(["db", "import", "--db", str(go_only), str(GO_EXPORT)]) == 0
    assert _check(go_only, env / "evidence") == 4
    assert "PyPI" in capsys.readouterr().err


def test_not_a_database_is_exit_4(env: Path) -> None:
    junk = env / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite" * 100)
    assert _check(junk, env / "evidence") == 4


def test_invalid_config_is_exit_2(db: Path, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = env / "mdrgate.yml"
    bad.write_text("apiVersion: mdrgate/v1\nproduct:\n  name: x\n  version: 1.0\n")
    assert main(["check", "--config", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "mdrgate.yml:4: product.version: expected a string, got number 1.0" in err
    assert "Traceback" not in err


def test_config_and_paths_together_is_exit_2(db: Path, env: Path) -> None:
    assert main(["check", "--config", str(CONFIG), str(env), "--db", str(db)]) == 2


def test_unknown_flag_is_exit_2(env: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", "--frobnicate"])
    assert caught.value.code == 2


def test_unreadable_input_is_exit_3(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (env / "requirements.txt").write_text("pyserial==3.5\nrequests==2.31.0 ; python_version <\n")
    assert main(["check", str(env / "requirements.txt"), "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert "requirements.txt:2" in err
    assert "Traceback" not in err


def test_truncated_export_is_exit_3_and_keeps_the_database(db: Path, env: Path) -> None:
    before = db.read_bytes()
    truncated = env / "all.zip"
    truncated.write_bytes(EXCERPT.read_bytes()[:2000])
    assert main(["db", "import", "--db", str(db), str(truncated)]) == 3
    assert db.read_bytes() == before


def test_internal_error_is_exit_70_never_1(
    db: Path, env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import mdrgate.policy.evaluation as evaluate_module

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(evaluate_module, "_evaluate_rule", broken)
    assert _check(db, env / "evidence") == 70
    err = capsys.readouterr().err
    assert "internal error" in err
    assert "bug" in err
    assert not (env / "evidence").exists()


def test_interrupt_is_exit_130(db: Path, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mdrgate.pipeline as pipeline

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "take_inventory", interrupted)
    assert _check(db, env / "evidence") == 130


def test_quiet_prints_one_line(db: Path, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _check(db, env / "evidence", "-q") == 1
    assert capsys.readouterr().out.strip() == "mdrgate: FAIL (exit 1)"


# --- malformed inputs through the CLI: a message and the documented code, never a traceback ---

ASSETS = REPO / "tests" / "assets"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("setup", "expected_code", "expected_text"),
    [
        (
            lambda d: (d / "soup.yml").write_text("apiVersion: mdrgate/v1\nitems: [\n"),
            3,
            "soup.yml:3: invalid YAML",
        ),
        (
            lambda d: (d / "soup.yml").write_text(
                "apiVersion: mdrgate/v1\nkind: SoupRegister\nitems:\n  - {name: x, version: 1}\n"
            ),
            3,
            "soup.yml:4: items[0].version: expected a string, got integer 1",
        ),
        (
            lambda d: (d / "poetry.lock").write_text(
                (ASSETS / "python" / "pipfile" / "Pipfile.lock").read_text()
            ),
            3,
            "poetry.lock",
        ),
        (
            lambda d: (d / "requirements.txt").write_text(
                (ASSETS / "python" / "requirements" / "invalid-line.txt").read_text()
            ),
            3,
            "requirements.txt:2",
        ),
    ],
    ids=["register-bad-yaml", "register-wrong-type", "lock-of-wrong-kind", "invalid-requirement"],
)
def test_malformed_inputs(
    db: Path,
    env: Path,
    capsys: pytest.CaptureFixture[str],
    setup: Callable[[Path], object],
    expected_code: int,
    expected_text: str,
) -> None:
    project = env / "project"
    project.mkdir()
    setup(project)
    capsys.readouterr()
    assert main(["check", str(project), "--db", str(db), "--out", str(env / "ev")]) == expected_code
    err = capsys.readouterr().err
    assert expected_text in err
    assert "Traceback" not in err
    assert not (env / "ev").exists()


@pytest.mark.parametrize(
    ("members", "expected_text"),
    [
        ({"PYSEC-2023-74.json": b"{not json"}, "PYSEC-2023-74.json"),
        ({"PYSEC-2023-74.json": b"\xff\xfe binary"}, "PYSEC-2023-74.json"),
        ({}, "all.zip"),
    ],
    ids=["entry-not-json", "entry-not-utf8", "empty-zip"],
)
def test_malformed_exports(
    db: Path,
    env: Path,
    capsys: pytest.CaptureFixture[str],
    members: dict[str, bytes],
    expected_text: str,
) -> None:
    before = db.read_bytes()
    archive = _zip(env / "all.zip", members)
    capsys.readouterr()
    assert main(["db", "import", "--db", str(db), str(archive)]) == 3
    err = capsys.readouterr().err
    assert expected_text in err
    assert "Traceback" not in err
    assert db.read_bytes() == before


def test_invalid_policy_is_exit_2(db: Path, env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = env / "policy.yml"
    policy.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: p, version: '1'}\nrules:\n"
        "  - {id: X-1, type: vulnerability-severity, action: fail, min_cvss: high, "
        "unknown_severity: fail}\n"
    )
    assert _check(db, env / "ev", "--policy", str(policy)) == 2
    err = capsys.readouterr().err
    assert "policy.yml:5: rules[0].min_cvss: expected a number, got string 'high'" in err


def test_readme_documents_every_exit_code() -> None:
    from mdrgate.errors import ExitCode

    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("## Exit codes") :].split("\n## ")[0]
    rows = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")]
    documented = {int(cell) for cell in rows if cell.isdigit()}
    assert documented == {int(code) for code in ExitCode}


@pytest.mark.parametrize("register_first", [True, False])
def test_register_title_does_not_hide_a_package(db: Path, env: Path, register_first: bool) -> None:
    """A register entry titled unlike its package is matched by its purl, in any input order."""
    (env / "soup.yml").write_text(
        "apiVersion: mdrgate/v1\nkind: SoupRegister\nitems:\n"
        "  - name: Python Requests library\n    version: '2.25.1'\n    class: host\n"
        "    supplier: Python Software Foundation\n    purl: pkg:pypi/requests@2.25.1\n"
    )
    (env / "requirements.txt").write_text("requests==2.25.1\n")
    inputs = ["soup.yml", "requirements.txt"]
    if not register_first:
        inputs.reverse()
    (env / "mdrgate.yml").write_text(
        "apiVersion: mdrgate/v1\nproduct: {name: p, version: '1'}\ninputs: ["
        + ", ".join(inputs)
        + "]\n"
    )
    out = env / "evidence"
    assert main(["check", "--db", str(db), "--out", str(out)]) == 1
    decision = json.loads((out / "decision.json").read_text())
    assert [(f["component"]["name"], f["advisory"]["id"]) for f in decision["findings"]] == [
        ("requests", "PYSEC-2023-74")
    ]
    sbom = json.loads((out / "sbom.cdx.json").read_text())
    (component,) = sbom["components"]
    props = {p["name"]: p["value"] for p in component.get("properties", [])}
    assert props.get("mdrgate:soup:title") == "Python Requests library"
    assert component["supplier"]["name"] == "Python Software Foundation"


def test_register_alone_is_matched_by_purl(db: Path, env: Path) -> None:
    (env / "soup.yml").write_text(
        "apiVersion: mdrgate/v1\nkind: SoupRegister\nitems:\n"
        "  - name: Python Requests library\n    version: '2.25.1'\n    class: host\n"
        "    purl: pkg:pypi/requests@2.25.1\n"
    )
    out = env / "evidence"
    assert main(["check", str(env / "soup.yml"), "--db", str(db), "--out", str(out)]) == 1
    decision = json.loads((out / "decision.json").read_text())
    assert [f["advisory"]["id"] for f in decision["findings"]] == ["PYSEC-2023-74"]


def test_nothing_to_assess_is_an_error(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = env / "empty"
    empty.mkdir()
    (empty / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert main(["check", str(empty), "--db", str(db), "--out", str(env / "ev")]) == 2
    assert "nothing to assess" in capsys.readouterr().err
    (env / "mdrgate.yml").write_text("apiVersion: mdrgate/v1\nproduct: {name: p, version: '1'}\n")
    assert main(["check", "--db", str(db), "--out", str(env / "ev")]) == 2
    assert "lists no inputs" in capsys.readouterr().err


def test_empty_inventory_fails_the_gate(db: Path, env: Path) -> None:
    (env / "requirements.txt").write_text("# no requirements yet\n")
    out = env / "ev"
    assert main(["check", str(env / "requirements.txt"), "--db", str(db), "--out", str(out)]) == 1
    decision = json.loads((out / "decision.json").read_text())
    assert [o["ruleId"] for o in decision["outcomes"]] == ["MDRGATE-EMPTY"]


def test_a_symlink_leaving_the_tree_is_reported(db: Path, env: Path) -> None:
    outside = env / "outside"
    outside.mkdir()
    (outside / "requirements.txt").write_text("requests==2.25.1\n")
    repo = env / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("pyserial==3.5\n")
    (repo / "vendor").symlink_to(outside, target_is_directory=True)
    out = env / "ev"
    assert main(["check", str(repo), "--db", str(db), "--out", str(out)]) == 0
    decision = json.loads((out / "decision.json").read_text())
    assert [d["code"] for d in decision["diagnostics"]] == [
        "no-soup-register",
        "symlink-outside-tree",
    ]
    assert [f["advisory"]["id"] for f in decision["findings"]] == []


# --- firmware inputs ---------------------------------------------------------------------------


def test_a_fifo_with_a_firmware_name_does_not_block_the_scan(env: Path) -> None:
    import os

    tree = env / "fw"
    tree.mkdir()
    os.mkfifo(tree / "task.h")
    (tree / "link.h").symlink_to(tree / "task.h")
    (tree / "requirements.txt").write_text("pyserial==3.5\n")
    # Would block forever if a claimer opened the FIFO.
    assert main(["sbom", str(tree), "-o", str(env / "sbom.json")]) == 0


def test_sbom_quiet_still_prints_warnings(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (env / "requirements.txt").write_text("requests>=2.31\n")
    assert main(["sbom", str(env / "requirements.txt"), "-q", "-o", str(env / "s.json")]) == 0
    assert "no exact version" in capsys.readouterr().err


def test_an_explicit_source_file_that_declares_nothing_is_reported(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (env / "app_version.h").write_text('#define APP_VERSION "2.4.0"\n')
    (env / "mdrgate.yml").write_text(
        "apiVersion: mdrgate/v1\nproduct: {name: p, version: '1'}\n"
        "inputs:\n  - {path: app_version.h, kind: firmware-source}\n"
    )
    assert main(["sbom", "-o", str(env / "s.json")]) == 0
    sbom = json.loads((env / "s.json").read_text())
    assert sbom.get("components", []) == []
    assert "declares the version of no component mdrgate knows" in capsys.readouterr().err


def test_messages_on_a_pipe_are_verbatim(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Paths are printed as they are: no markup eaten, no ``:name:`` turned into an emoji."""
    odd = env / "[bold]x:smile:"
    odd.mkdir()
    (odd / "requirements.txt").write_text("pyserial==3.5\nrequests==2.31.0 ; python_version <\n")
    assert main(["sbom", str(odd / "requirements.txt")]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "[bold]x:smile:/requirements.txt:2" in err
