"""poetry.lock in its three published shapes (lock-version 1.1, 2.0, 2.1)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.poetry import collect_poetry_lock
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, Hash, Origin

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "python" / "poetry"


def collect(path: Path, *, include_dev: bool = False) -> Collected:
    spec = InputSpec(InputKind.POETRY_LOCK, path, "app/poetry.lock", include_dev=include_dev)
    return collect_poetry_lock(spec)


def versions(result: Collected) -> list[tuple[str, str | None]]:
    return [(c.name, c.version) for c in result.components]


def test_lock_1_1_main_only_with_hashes_from_metadata_files() -> None:
    result = collect(ASSETS / "lock-1.1" / "poetry.lock")
    assert versions(result) == [
        ("anyio", "3.6.1"),
        ("certifi", "2024.7.4"),
        ("pyserial-asyncio", "0.6"),
    ]
    anyio = result.components[0]
    assert anyio.purl == "pkg:pypi/anyio@3.6.1"
    assert anyio.hashes == (
        Hash("SHA-256", "413adf95f93886e442aea925f3ee43baa5a765a64a0f52c6081894f9992fdd0b"),
        Hash("SHA-256", "cb29b9c70620506a9a8f87a309591713446953302d7d995344d0d7c6c0c9a7be"),
    )
    assert anyio.origins == (Origin("poetry-lock", "app/poetry.lock", 1),)
    assert anyio.description == (
        "High level compatibility layer for multiple asynchronous event loop implementations"
    )
    (note,) = result.diagnostics
    assert note.code == "dev-dependencies-skipped"
    assert note.level is DiagnosticLevel.INFO
    assert "2 development-only package(s)" in note.message
    assert "astroid 2.4.2, pyfiglet 0.8.post1" in note.message


def test_lock_1_1_git_source_and_optional_are_recorded() -> None:
    result = collect(ASSETS / "lock-1.1" / "poetry.lock")
    serial = result.components[2]
    assert serial.version == "0.6"
    assert serial.properties == (
        ("mdrgate:python:optional", "true"),
        (
            "mdrgate:python:source",
            "git+https://github.com/pyserial/pyserial-asyncio.git"
            "@d86e3ea0d0b9a2ab8e6c4ee4bc46a4e1a3b21b5b",
        ),
    )
    assert serial.origins[0].line == 34


def test_lock_1_1_include_dev() -> None:
    result = collect(ASSETS / "lock-1.1" / "poetry.lock", include_dev=True)
    assert versions(result) == [
        ("anyio", "3.6.1"),
        ("astroid", "2.4.2"),
        ("certifi", "2024.7.4"),
        ("pyfiglet", "0.8.post1"),
        ("pyserial-asyncio", "0.6"),
    ]
    astroid = result.components[1]
    assert ("mdrgate:python:groups", "dev") in astroid.properties
    assert len(astroid.hashes) == 2
    assert result.diagnostics == ()


def test_lock_2_0_cannot_tell_groups_apart_and_says_so() -> None:
    result = collect(ASSETS / "lock-2.0" / "poetry.lock")
    assert versions(result) == [
        ("backports-tarfile", "1.2.0"),
        ("build", "1.2.2"),
        ("cachecontrol", "0.14.0"),
        ("zipp", "3.19.2"),
    ]
    assert all(len(c.hashes) == 2 for c in result.components)
    (note,) = result.diagnostics
    assert note.code == "dev-dependencies-not-distinguished"
    assert note.level is DiagnosticLevel.INFO
    assert "all 4 locked packages are inventoried" in note.message


def test_lock_2_1_groups_markers_sources() -> None:
    result = collect(ASSETS / "lock-2.1" / "poetry.lock")
    assert versions(result) == [
        ("click", "8.1.7"),
        ("colorama", "0.4.6"),
        ("pump-protocol", "0.4.0"),
        ("zipp", "3.19.2"),
    ]
    click, colorama, protocol, zipp = result.components
    assert click.properties == (("mdrgate:python:groups", "dev,main"),)
    assert colorama.properties == (
        ("mdrgate:python:groups", "dev,main"),
        ("mdrgate:python:marker", 'platform_system == "Windows"'),
    )
    assert protocol.properties == (
        ("mdrgate:python:editable", "true"),
        ("mdrgate:python:source", "directory:../pump-protocol"),
    )
    assert protocol.hashes == ()
    assert zipp.properties == (
        ("mdrgate:python:index", "https://pypi.example-medtech.internal/simple"),
        ("mdrgate:python:marker", 'python_version < "3.10"'),
    )
    (note,) = result.diagnostics
    assert note.code == "dev-dependencies-skipped"
    assert "cfgv 3.4.0, pyfiglet 0.8.post1" in note.message


def test_lock_2_1_include_dev_keeps_every_group() -> None:
    result = collect(ASSETS / "lock-2.1" / "poetry.lock", include_dev=True)
    names = {c.name: c for c in result.components}
    assert set(names) == {"cfgv", "click", "colorama", "pump-protocol", "pyfiglet", "zipp"}
    assert names["pyfiglet"].properties == (("mdrgate:python:groups", "docs"),)


def test_file_digest() -> None:
    path = ASSETS / "lock-2.1" / "poetry.lock"
    (file,) = collect(path).files
    assert (file.path, file.kind, file.sha256) == (
        "app/poetry.lock",
        "poetry-lock",
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )


LOCK_TAIL = '\n[metadata]\nlock-version = "2.1"\npython-versions = ">=3.10"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "poetry.lock"
    path.write_text(text, encoding="utf-8")
    return path


def test_same_name_two_versions_is_a_warning(tmp_path: Path) -> None:
    text = (
        '[[package]]\nname = "numpy"\nversion = "1.24.4"\ngroups = ["main"]\n'
        'markers = "python_version < \\"3.9\\""\n\n'
        '[[package]]\nname = "numpy"\nversion = "1.26.4"\ngroups = ["main"]\n' + LOCK_TAIL
    )
    result = collect(write(tmp_path, text))
    assert versions(result) == [("numpy", "1.24.4"), ("numpy", "1.26.4")]
    (note,) = result.diagnostics
    assert (note.code, note.line) == ("conflicting-versions", 1)


def test_markers_per_group_table(tmp_path: Path) -> None:
    text = (
        '[[package]]\nname = "tomli"\nversion = "2.0.1"\ngroups = ["main", "dev"]\n'
        'markers = {main = "python_version < \\"3.11\\"", dev = "python_version < \\"3.12\\""}\n'
        + LOCK_TAIL
    )
    (tomli,) = collect(write(tmp_path, text)).components
    assert (
        "mdrgate:python:marker",
        'dev: python_version < "3.12"; main: python_version < "3.11"',
    ) in (tomli.properties)


@pytest.mark.parametrize("text", ["", " \n\t\n"])
def test_empty_file_is_an_input_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError) as caught:
        collect(write(tmp_path, text))
    assert caught.value.source == "app/poetry.lock"
    assert caught.value.message == (
        "empty file; a poetry.lock always has [[package]] tables or [metadata]"
    )


def test_lock_without_packages(tmp_path: Path) -> None:
    result = collect(write(tmp_path, 'package = []\n\n[metadata]\nlock-version = "1.1"\n'))
    assert result.components == ()
    assert result.diagnostics == ()


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ('[[package]]\nname = "idna"\n' + LOCK_TAIL, "app/poetry.lock:1", "has no 'version'"),
        ('[[package]]\nversion = "1"\n' + LOCK_TAIL, "app/poetry.lock:1", "has no 'name'"),
        (
            '[[package]]\nname = "a"\nversion = "1"\ngroups = "main"\n' + LOCK_TAIL,
            "app/poetry.lock:1",
            "'groups' must be a list",
        ),
        (
            '[[package]]\nname = "a"\nversion = "1"\n'
            'files = [{file = "a-1.tar.gz", hash = "sha256:123"}]\n' + LOCK_TAIL,
            "app/poetry.lock:1",
            "64 hex digits",
        ),
        (
            '[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "3.0"\n',
            "app/poetry.lock",
            "lock-version 3.0 is not supported",
        ),
        (
            '[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "two"\n',
            "app/poetry.lock",
            "is not a version",
        ),
    ],
)
def test_malformed_locks(tmp_path: Path, text: str, where: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        collect(write(tmp_path, text))
    assert caught.value.where() == where
    assert fragment in caught.value.message


def test_lock_truncated_before_metadata(tmp_path: Path) -> None:
    full = (ASSETS / "lock-2.1" / "poetry.lock").read_text(encoding="utf-8")
    cut = full[: full.index("[metadata]")]
    with pytest.raises(InputError) as caught:
        collect(write(tmp_path, cut))
    assert "expected a poetry.lock" in caught.value.message
    assert "no lock metadata (truncated?)" in caught.value.message


def test_lock_truncated_mid_string(tmp_path: Path) -> None:
    full = (ASSETS / "lock-2.1" / "poetry.lock").read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        collect(write(tmp_path, full[:1500]))
    assert "invalid TOML" in caught.value.message
    assert "is the file truncated?" in caught.value.message
