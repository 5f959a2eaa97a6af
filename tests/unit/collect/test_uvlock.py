"""uv.lock (version 1): runtime packages by reachability from the project, dev groups on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.uvlock import collect_uv_lock
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, Hash, Origin

LOCK = Path(__file__).resolve().parents[2] / "assets" / "python" / "uv" / "uv.lock"


def collect(path: Path = LOCK, *, include_dev: bool = False) -> Collected:
    return collect_uv_lock(InputSpec(InputKind.UV_LOCK, path, "svc/uv.lock", include_dev))


def test_runtime_packages() -> None:
    result = collect()
    assert [(c.name, c.version) for c in result.components] == [
        ("anyio", "4.12.1"),
        ("babel", "2.17.0"),
        ("certifi", "2025.11.12"),
        ("colorama", "0.4.6"),
        ("exceptiongroup", "1.2.2"),
        ("idna", "3.10"),
        ("pump-wire", "1.3.0"),
        ("pyserial-asyncio", "0.6"),
        ("pyserial", "3.5"),
    ]


def test_project_itself_is_not_a_component() -> None:
    assert "pump-service" not in {c.name for c in collect(include_dev=True).components}


def test_hashes_from_sdist_and_wheels() -> None:
    anyio = collect().components[0]
    assert anyio.hashes == (
        Hash("SHA-256", "41cfcc3a4c85d3f05c932da7c26d0201ac36f72abd4435ba90d0464a3ffed703"),
        Hash("SHA-256", "d405828884fc140aa80a3c667b8beed277f1dfedec42ba031bd6ac3db606ab6c"),
    )
    assert anyio.origins == (Origin("uv-lock", "svc/uv.lock", 18),)


def test_properties() -> None:
    components = {c.name: c for c in collect().components}
    assert components["babel"].properties == (("mdrgate:python:optional", "true"),)
    assert components["pump-wire"].properties == (
        ("mdrgate:python:source", "directory:../pump-wire"),
    )
    assert components["pyserial-asyncio"].properties == (
        (
            "mdrgate:python:source",
            "git+https://github.com/pyserial/pyserial-asyncio.git?rev=v0.6"
            "#d86e3ea0d0b9a2ab8e6c4ee4bc46a4e1a3b21b5b",
        ),
    )
    # colorama is reached only through pump-wire's "color" extra, requested by the project
    assert components["colorama"].properties[0][1].endswith("colorama-0.4.6-py2.py3-none-any.whl")
    assert components["certifi"].properties == ()  # reached by nothing: kept, unmarked


def test_dev_groups_are_skipped_and_named() -> None:
    (note,) = collect().diagnostics
    assert note.code == "dev-dependencies-skipped"
    assert note.level is DiagnosticLevel.INFO
    assert "3 development-only package(s)" in note.message
    assert "annotated-types 0.7.0, iniconfig 2.0.0, pytest 8.3.4" in note.message


def test_include_dev() -> None:
    result = collect(include_dev=True)
    components = {c.name: c for c in result.components}
    assert len(components) == 12
    assert components["pytest"].properties == (("mdrgate:python:groups", "dev"),)
    assert components["iniconfig"].properties == (("mdrgate:python:groups", "dev"),)
    assert components["annotated-types"].properties == (("mdrgate:python:groups", "docs"),)
    assert result.diagnostics == ()


HEAD = 'version = 1\nrevision = 3\nrequires-python = ">=3.11"\n\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "uv.lock"
    path.write_text(text, encoding="utf-8")
    return path


def test_lock_without_a_project_keeps_everything(tmp_path: Path) -> None:
    text = HEAD + (
        '[[package]]\nname = "idna"\nversion = "3.10"\n'
        'source = { registry = "https://pypi.org/simple" }\n\n'
        '[[package]]\nname = "six"\nversion = "1.16.0"\n'
        'source = { registry = "https://mirror.example/simple/" }\n'
    )
    result = collect(write(tmp_path, text))
    assert [(c.name, c.version) for c in result.components] == [("idna", "3.10"), ("six", "1.16.0")]
    assert result.components[1].properties == (
        ("mdrgate:python:index", "https://mirror.example/simple"),
    )


def test_workspace_members_are_projects(tmp_path: Path) -> None:
    text = HEAD + (
        '[manifest]\nmembers = ["pump-app", "pump-lib"]\n\n'
        '[[package]]\nname = "pump-app"\nversion = "1.0.0"\nsource = { virtual = "." }\n'
        'dependencies = [{ name = "pump-lib" }]\n\n'
        '[[package]]\nname = "pump-lib"\nversion = "1.0.0"\nsource = { directory = "libs/pump" }\n'
        'dependencies = [{ name = "idna" }]\n\n'
        '[[package]]\nname = "idna"\nversion = "3.10"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    )
    assert [c.name for c in collect(write(tmp_path, text)).components] == ["idna"]


def test_dependency_on_one_of_two_versions(tmp_path: Path) -> None:
    text = HEAD + (
        '[[package]]\nname = "app"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "numpy", version = "1.26.4", source = { registry = "x" } }]\n'
        "\n[package.dev-dependencies]\n"
        'dev = [{ name = "numpy", version = "2.1.0", source = { registry = "x" } }]\n\n'
        '[[package]]\nname = "numpy"\nversion = "1.26.4"\nsource = { registry = "x" }\n\n'
        '[[package]]\nname = "numpy"\nversion = "2.1.0"\nsource = { registry = "x" }\n'
    )
    result = collect(write(tmp_path, text))
    assert [(c.name, c.version) for c in result.components] == [("numpy", "1.26.4")]
    both = collect(write(tmp_path, text), include_dev=True)
    assert [c.version for c in both.components] == ["1.26.4", "2.1.0"]
    assert [d.code for d in both.diagnostics] == ["conflicting-versions"]


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ('version = 2\n[[package]]\nname = "a"\n', "svc/uv.lock", "uv.lock version 2 is not"),
        (
            HEAD + '[[package]]\nname = "a"\nsource = { registry = "x" }\n',
            "svc/uv.lock:5",
            "has no 'version'",
        ),
        (HEAD + '[[package]]\nversion = "1"\n', "svc/uv.lock:5", "has no 'name'"),
        (
            HEAD + '[[package]]\nname = "a"\nversion = "1"\ndependencies = "b"\n',
            "svc/uv.lock:5",
            "dependencies must be an array",
        ),
        (
            HEAD + '[[package]]\nname = "a"\nversion = "1"\nsdist = { hash = "sha256:zz" }\n',
            "svc/uv.lock:5",
            "64 hex digits",
        ),
    ],
)
def test_malformed(tmp_path: Path, text: str, where: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        collect(write(tmp_path, text))
    assert caught.value.where() == where
    assert fragment in caught.value.message


@pytest.mark.parametrize("text", ["", "\n  \n"])
def test_empty_file_is_an_input_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError) as caught:
        collect(write(tmp_path, text))
    assert caught.value.source == "svc/uv.lock"
    assert caught.value.message == (
        "empty file; a uv.lock always has a top-level 'version' and the project's [[package]]"
    )
