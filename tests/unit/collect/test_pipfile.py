"""Pipfile.lock (pipfile-spec 6): default and develop categories, VCS and path entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.pipfile import collect_pipfile_lock
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, Hash, Origin

LOCK = Path(__file__).resolve().parents[2] / "assets" / "python" / "pipfile" / "Pipfile.lock"


def collect(path: Path = LOCK, *, include_dev: bool = False) -> Collected:
    spec = InputSpec(InputKind.PIPFILE_LOCK, path, "svc/Pipfile.lock", include_dev)
    return collect_pipfile_lock(spec)


def test_default_category() -> None:
    result = collect()
    assert [(c.name, c.version) for c in result.components] == [
        ("certifi", "2024.7.4"),
        ("pyserial-asyncio", None),
        ("requests", "2.28.1"),
        ("zipp", "3.19.2"),
    ]
    certifi, serial, requests, zipp = result.components
    assert certifi.origins == (Origin("pipfile-lock", "svc/Pipfile.lock", 24),)
    assert certifi.hashes == (
        Hash("SHA-256", "5a1e7645bc0ec61a09e26c36f6106dd4cf40c6db3a1fb6352b0244e7fb057c7b"),
        Hash("SHA-256", "c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90"),
    )
    assert certifi.properties == (("mdrgate:python:marker", "python_version >= '3.6'"),)
    assert requests.properties == (
        ("mdrgate:python:extras", "socks"),
        ("mdrgate:python:marker", "python_version >= '3.7' and python_version < '4'"),
    )
    assert ("mdrgate:python:index", "https://pypi.example-medtech.internal/simple") in (
        zipp.properties
    )
    assert serial.version_spec == (
        "git+https://github.com/pyserial/pyserial-asyncio.git@d86e3ea0d0b9a2ab8e6c4ee4bc46a4e1a3b21b5b"
    )


def test_diagnostics_of_the_default_category() -> None:
    result = collect()
    assert [(d.code, d.level, d.line, d.component) for d in result.diagnostics] == [
        ("dev-dependencies-skipped", DiagnosticLevel.INFO, None, None),
        ("local-project-skipped", DiagnosticLevel.WARNING, 33, None),
        ("no-exact-version", DiagnosticLevel.WARNING, 37, "pkg:pypi/pyserial-asyncio"),
    ]
    assert "astroid 2.4.2, pyfiglet 0.8.post1" in result.diagnostics[0].message
    assert "pump-service" in result.diagnostics[1].message


def test_credentials_of_private_index_are_not_kept() -> None:
    assert "s3cr3t" not in repr(collect().components)


def test_include_dev() -> None:
    result = collect(include_dev=True)
    names = {c.name: c for c in result.components}
    assert set(names) == {"astroid", "certifi", "pyfiglet", "pyserial-asyncio", "requests", "zipp"}
    assert names["astroid"].properties == (
        ("mdrgate:python:groups", "develop"),
        ("mdrgate:python:marker", "python_version >= '3.5'"),
    )
    assert "dev-dependencies-skipped" not in {d.code for d in result.diagnostics}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "Pipfile.lock"
    path.write_text(json.dumps(data, indent=4), encoding="utf-8")
    return path


def test_custom_categories_are_development_only(tmp_path: Path) -> None:
    data = {
        "_meta": {"pipfile-spec": 6},
        "default": {"idna": {"version": "==3.10"}},
        "docs": {"sphinx": {"version": "==8.0.0"}},
    }
    result = collect(write(tmp_path, data))
    assert [c.name for c in result.components] == ["idna"]
    assert "sphinx 8.0.0" in result.diagnostics[0].message
    assert [c.name for c in collect(write(tmp_path, data), include_dev=True).components] == [
        "idna",
        "sphinx",
    ]


def test_wildcard_version_and_file_entries_are_unpinned(tmp_path: Path) -> None:
    data = {
        "_meta": {"pipfile-spec": 6},
        "default": {
            "idna": {"version": "*"},
            "pump-ui": {"file": "https://u:p@host/pump_ui-2.0.0.tar.gz"},
        },
    }
    result = collect(write(tmp_path, data))
    assert [(c.name, c.version, c.version_spec) for c in result.components] == [
        ("idna", None, "*"),
        ("pump-ui", None, "https://host/pump_ui-2.0.0.tar.gz"),
    ]
    assert [d.code for d in result.diagnostics] == ["no-exact-version", "no-exact-version"]


@pytest.mark.parametrize("text", ["", "\n", " \t\n "])
def test_empty_file_is_an_input_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "Pipfile.lock"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.source == "svc/Pipfile.lock"
    assert caught.value.message == (
        "empty file; a Pipfile.lock always has a '_meta' object and a 'default' category"
    )


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"_meta": {"pipfile-spec": 7}, "default": {}}, "pipfile-spec 7 is not supported"),
        ({"_meta": {}, "default": []}, "'default' must be an object"),
        ({"_meta": {}, "default": {"idna": "==3.10"}}, "default.idna must be an object"),
        (
            {"_meta": {}, "default": {"idna": {"version": "==3.10", "hashes": ["sha256:12"]}}},
            "64 hex digits",
        ),
        ({"default": {}}, "there is no '_meta' object"),
        ({"_meta": {}, "default": {"": {}}}, "'default' has a package with an empty name"),
        (
            {"_meta": {}, "default": {"idna": [[[[[[[["deep"]]]]]]]]}},
            "default.idna must be an object, got [[[[[[[...]]]]]]]",
        ),
        ([1, 2], "looks like a JSON document"),
    ],
)
def test_malformed(tmp_path: Path, data: object, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        collect(write(tmp_path, data))
    assert fragment in caught.value.message
    assert caught.value.source == "svc/Pipfile.lock"
