"""mdrgate.yml and its precedence rules: flag, environment, file, default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mdrgate.collect.base import InputKind
from mdrgate.config import DEFAULT_POLICY, Settings, load_config, resolve_settings
from mdrgate.errors import ExitCode, InputError, UsageError
from mdrgate.model import SafetyClass

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "infusion-pump"


def _resolve(cwd: Path, **overrides: Any) -> Settings:
    args: dict[str, Any] = {
        "config": None,
        "paths": [],
        "database": None,
        "policies": [],
        "evidence_dir": None,
        "env": {},
        "cwd": cwd,
    }
    args.update(overrides)
    return resolve_settings(**args)


def test_example_config() -> None:
    loaded = load_config(EXAMPLE / "mdrgate.yml", cwd=REPO)
    assert loaded.product.name == "Aurora IP-300 infusion pump"
    assert loaded.product.version == "2.4.0"
    assert loaded.product.safety_class is SafetyClass.C
    kinds = [(s.kind, s.display) for s in loaded.inputs]
    assert kinds[0] == (InputKind.SOUP_REGISTER, "examples/infusion-pump/firmware/soup.yml")
    assert kinds[-1] == (InputKind.REQUIREMENTS, "examples/infusion-pump/host/requirements.txt")
    found = {(k, d.rsplit("/", 1)[-1]) for k, d in kinds[1:-1]}
    assert (InputKind.FIRMWARE_IMAGE, "aurora-boot.elf") in found
    assert (InputKind.LINKER_MAP, "aurora-boot.map") in found
    assert (InputKind.FIRMWARE_SOURCE, "task.h") in found
    # The register is not read twice: the firmware directory's entry excludes it.
    assert all(k is not InputKind.SOUP_REGISTER for k, _ in kinds[1:])
    assert loaded.policies == ("builtin:mdr-default",)
    assert loaded.evidence_dir == EXAMPLE.resolve() / "evidence"
    assert loaded.database is None


def test_database_precedence(tmp_path: Path) -> None:
    config = tmp_path / "mdrgate.yml"
    config.write_text(
        "apiVersion: mdrgate/v1\nproduct: {name: p, version: '1'}\ndatabase: from-file.db\n"
    )
    from_file = _resolve(tmp_path, config=config)
    assert from_file.database == tmp_path / "from-file.db"
    from_env = _resolve(tmp_path, config=config, env={"MDRGATE_DB": "/env.db"})
    assert from_env.database == Path("/env.db")
    from_flag = _resolve(
        tmp_path, config=config, env={"MDRGATE_DB": "/env.db"}, database=Path("/flag.db")
    )
    assert from_flag.database == Path("/flag.db")


def test_defaults_without_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = tmp_path / "pump-tool"
    project.mkdir()
    (project / "requirements.txt").write_text("pyserial==3.5\n")
    settings = _resolve(tmp_path, paths=[project])
    assert settings.product.name == "pump-tool"
    assert settings.product.safety_class is SafetyClass.C
    assert settings.policies == (DEFAULT_POLICY,)
    assert settings.evidence_dir == tmp_path / "evidence"
    assert settings.database.name == "vulndb.sqlite3"
    assert [s.kind for s in settings.inputs] == [InputKind.REQUIREMENTS]


def test_mdrgate_yml_in_cwd_is_used(tmp_path: Path) -> None:
    (tmp_path / "mdrgate.yml").write_text(
        "apiVersion: mdrgate/v1\nproduct: {name: here, version: '3'}\n"
    )
    assert _resolve(tmp_path).product.name == "here"


def test_policy_flag_replaces_config_policies(tmp_path: Path) -> None:
    config = tmp_path / "mdrgate.yml"
    config.write_text(
        "apiVersion: mdrgate/v1\nproduct: {name: p, version: '1'}\n"
        "policies: [builtin:mdr-default, local.yml]\n"
    )
    assert _resolve(tmp_path, config=config).policies == (
        "builtin:mdr-default",
        str(tmp_path / "local.yml"),
    )
    assert _resolve(tmp_path, config=config, policies=["mine.yml"]).policies == (
        str(tmp_path / "mine.yml"),
    )


def test_input_forms(tmp_path: Path) -> None:
    (tmp_path / "tool").mkdir()
    (tmp_path / "tool" / "poetry.lock").write_text("")
    (tmp_path / "deps.txt").write_text("pyserial==3.5\n")
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    config = tmp_path / "mdrgate.yml"
    config.write_text(
        "apiVersion: mdrgate/v1\nproduct: {name: p, version: '1'}\ninputs:\n"
        "  - tool\n"
        "  - {path: deps.txt, kind: requirements}\n"
        "  - {path: venv, kind: python-environment}\n"
        "  - {path: tool/poetry.lock, include_dev: true}\n"
    )
    inputs = load_config(config, cwd=tmp_path).inputs
    assert [(s.kind, s.display, s.include_dev) for s in inputs] == [
        (InputKind.POETRY_LOCK, "tool/poetry.lock", False),
        (InputKind.REQUIREMENTS, "deps.txt", False),
        (InputKind.PYTHON_ENVIRONMENT, "venv", False),
        (InputKind.POETRY_LOCK, "tool/poetry.lock", True),
    ]


HEAD = "apiVersion: mdrgate/v1\n"


@pytest.mark.parametrize(
    ("text", "error", "expected"),
    [
        (
            HEAD + "product: {name: p, version: '1', safety_class: D}\n",
            UsageError,
            "mdrgate.yml:2: product.safety_class: expected one of 'A', 'B', 'C', got string 'D'",
        ),
        (
            HEAD + "product:\n  name: p\n  version: 2.10\n",
            UsageError,
            "mdrgate.yml:4: product.version: expected a string, got number 2.1",
        ),
        (
            HEAD + "product: {name: p, version: '1'}\nevidense: out/\n",
            UsageError,
            "mdrgate.yml:3: evidense: unknown key",
        ),
        (
            HEAD + "product: {name: p, version: '1'}\ninputs:\n  - {path: x.txt, kind: npm}\n",
            UsageError,
            "mdrgate.yml:4: inputs[0].kind: expected one of 'requirements'",
        ),
        (
            HEAD + "product: {name: p, version: '1'}\ninputs:\n  - missing/requirements.txt\n",
            InputError,
            "mdrgate.yml:4: inputs[0]: input 'missing/requirements.txt' not found",
        ),
        (
            HEAD + "product: {name: p, version: '1'}\ninputs:\n  - notes.md\n",
            UsageError,
            "mdrgate.yml:4: inputs[0]: cannot tell what kind of input 'notes.md' is",
        ),
        (HEAD + "product: [p]\n", UsageError, "mdrgate.yml:2: product: expected a mapping"),
        (HEAD + "product: {name: p\n", UsageError, "mdrgate.yml:3: invalid YAML"),
        ("product: {name: p, version: '1'}\n", UsageError, "missing required key 'apiVersion'"),
    ],
)
def test_mistakes(tmp_path: Path, text: str, error: type[Exception], expected: str) -> None:
    (tmp_path / "notes.md").write_text("# notes\n")
    config = tmp_path / "mdrgate.yml"
    config.write_text(text)
    with pytest.raises(error) as caught:
        load_config(config, cwd=tmp_path)
    assert expected in str(caught.value)


def test_unknown_key_suggests(tmp_path: Path) -> None:
    config = tmp_path / "mdrgate.yml"
    config.write_text(HEAD + "product: {name: p, version: '1'}\npolicy: [x.yml]\n")
    with pytest.raises(UsageError) as caught:
        load_config(config, cwd=tmp_path)
    assert "did you mean 'policies'?" in str(caught.value)
    assert caught.value.exit_code is ExitCode.USAGE


def test_missing_config_and_conflicting_arguments(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="configuration file not found"):
        _resolve(tmp_path, config=tmp_path / "nope.yml")
    with pytest.raises(UsageError, match="either --config or paths"):
        _resolve(tmp_path, config=tmp_path / "nope.yml", paths=[tmp_path])


def test_globs_and_excludes(tmp_path: Path) -> None:
    host = tmp_path / "host"
    (host / "tools").mkdir(parents=True)
    (host / "requirements.txt").write_text("pyserial==3.5\n")
    (host / "requirements-dev.txt").write_text("pytest==8.0.0\n")
    (host / "tools" / "requirements.txt").write_text("black==24.1.0\n")
    config = tmp_path / "mdrgate.yml"
    config.write_text(
        "apiVersion: mdrgate/v1\nproduct: {name: p, version: '1'}\n"
        "exclude: ['*-dev.txt']\n"
        "inputs:\n"
        "  - {path: host, exclude: [tools]}\n"
        "  - {path: 'host/requirements*.txt', kind: requirements}\n"
    )
    inputs = load_config(config, cwd=tmp_path).inputs
    assert [s.display for s in inputs] == [
        "host/requirements.txt",
        "host/requirements-dev.txt",
        "host/requirements.txt",
    ]
    flagged = _resolve(tmp_path, paths=[host], excludes=["tools", "*-dev.txt"])
    assert [s.display for s in flagged.inputs] == ["host/requirements.txt"]


def test_unmatched_glob_is_an_input_error(tmp_path: Path) -> None:
    config = tmp_path / "mdrgate.yml"
    config.write_text(HEAD + "product: {name: p, version: '1'}\ninputs:\n  - 'build/*.elf'\n")
    with pytest.raises(
        InputError, match=r"mdrgate.yml:4: inputs\[0\]: no file matches 'build/\*.elf'"
    ):
        load_config(config, cwd=tmp_path)


def test_library_directories_reach_only_linker_maps(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    header = "Archive member included to satisfy reference by file (symbol)\n"
    (build / "app.map").write_text(header)
    (build / "requirements.txt").write_text("pyserial==3.5\n")
    sysroot = tmp_path / "sysroot" / "usr" / "lib"
    sysroot.mkdir(parents=True)
    config = tmp_path / "mdrgate.yml"
    config.write_text(
        HEAD + "product: {name: p, version: '1'}\n"
        "inputs:\n  - {path: build, libraries: [sysroot/usr/lib]}\n"
    )
    by_kind = {s.kind: s for s in load_config(config, cwd=tmp_path).inputs}
    assert by_kind[InputKind.LINKER_MAP].libraries == (sysroot,)
    assert by_kind[InputKind.REQUIREMENTS].libraries == ()
    flagged = _resolve(tmp_path, paths=[build], libraries=[Path("sysroot/usr/lib")])
    by_kind = {s.kind: s for s in flagged.inputs}
    assert by_kind[InputKind.LINKER_MAP].libraries == (tmp_path / "sysroot/usr/lib",)
    assert by_kind[InputKind.REQUIREMENTS].libraries == ()
    config.write_text(
        HEAD + "product: {name: p, version: '1'}\n"
        "inputs:\n  - path: build\n    libraries: [sysroot, nowhere]\n"
    )
    (tmp_path / "sysroot").mkdir(exist_ok=True)
    with pytest.raises(
        InputError, match=r"mdrgate.yml:5: inputs\[0\].libraries\[1\]: libraries: 'nowhere' is not"
    ):
        load_config(config, cwd=tmp_path)
    with pytest.raises(UsageError, match="--libraries nowhere: not a directory"):
        _resolve(tmp_path, paths=[build], libraries=[Path("nowhere")])
