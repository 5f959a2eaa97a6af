"""Discovery of inputs under the paths given on the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdrgate.collect.base import InputKind
from mdrgate.collect.discovery import discover, kind_for_file
from mdrgate.errors import ExitCode, InputError, UsageError

R, P, PL, UV, S, ENV = (
    InputKind.REQUIREMENTS,
    InputKind.POETRY_LOCK,
    InputKind.PIPFILE_LOCK,
    InputKind.UV_LOCK,
    InputKind.SOUP_REGISTER,
    InputKind.PYTHON_ENVIRONMENT,
)


def touch(root: Path, *relative: str) -> None:
    for rel in relative:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    touch(
        root,
        "requirements.txt",
        "requirements-dev.txt",
        "requirements_test.txt",
        "requirements/base.txt",
        "requirements/prod.txt",
        "requirements/README.md",
        "requirements/nested/deep.txt",
        "constraints.txt",
        "reqs.txt",
        "setup.py",
        "pyproject.toml",
        "host/poetry.lock",
        "host/Pipfile.lock",
        "host/Pipfile",
        "tools/uv.lock",
        "firmware/soup.yml",
        "docs/soup.yaml",
        # skipped: VCS data, tool caches, dependency folders
        ".git/requirements.txt",
        "node_modules/pkg/requirements.txt",
        "host/__pycache__/requirements.txt",
        ".tox/py311/requirements.txt",
        ".nox/tests/uv.lock",
        ".mypy_cache/requirements.txt",
        ".pytest_cache/requirements.txt",
        ".ruff_cache/requirements.txt",
        # virtualenvs and site-packages inside the tree are not descended into
        ".venv/pyvenv.cfg",
        ".venv/requirements.txt",
        "envs/tooling/pyvenv.cfg",
        "envs/tooling/lib/python3.11/site-packages/x/requirements.txt",
        "vendor/site-packages/y/poetry.lock",
    )
    return root


def test_walk_claims_known_names_and_skips_the_rest(repo: Path) -> None:
    found = discover([repo], cwd=repo)
    assert [(s.kind, s.display) for s in found] == [
        (S, "docs/soup.yaml"),
        (S, "firmware/soup.yml"),
        (PL, "host/Pipfile.lock"),
        (P, "host/poetry.lock"),
        (R, "requirements-dev.txt"),
        (R, "requirements.txt"),
        (R, "requirements/base.txt"),
        (R, "requirements/prod.txt"),
        (R, "requirements_test.txt"),
        (UV, "tools/uv.lock"),
    ]
    assert found[3].path == repo / "host" / "poetry.lock"
    assert all(s.path.is_absolute() for s in found)
    assert not any(s.include_dev for s in found)


def test_display_paths_relative_to_cwd(repo: Path) -> None:
    found = discover([Path("host")], cwd=repo)
    assert [s.display for s in found] == ["host/Pipfile.lock", "host/poetry.lock"]
    outside = discover([repo / "tools"], cwd=repo / "host")
    assert [s.display for s in outside] == [(repo / "tools" / "uv.lock").as_posix()]


def test_overlapping_paths_give_each_file_once(repo: Path) -> None:
    found = discover([repo, repo / "host", repo / "host" / "poetry.lock"], cwd=repo)
    assert len(found) == 10


def test_explicit_venv_and_site_packages_are_environments(repo: Path) -> None:
    found = discover([repo / ".venv", repo / "envs/tooling/lib/python3.11/site-packages"], cwd=repo)
    assert [(s.kind, s.display) for s in found] == [
        (ENV, ".venv"),
        (ENV, "envs/tooling/lib/python3.11/site-packages"),
    ]


def test_explicit_file_is_classified_by_name(repo: Path) -> None:
    (spec,) = discover([Path("requirements/base.txt")], cwd=repo)
    assert (spec.kind, spec.display) == (R, "requirements/base.txt")
    (spec,) = discover([repo / "host" / "Pipfile.lock"], cwd=repo)
    assert spec.kind is PL


def test_unknown_file_name_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError) as caught:
        discover([repo / "constraints.txt"], cwd=repo)
    error = caught.value
    assert error.exit_code is ExitCode.USAGE
    assert error.source == "constraints.txt"
    assert error.hint is not None
    for name in ("requirements*.txt", "poetry.lock", "Pipfile.lock", "uv.lock", "soup.yml"):
        assert name in error.hint


def test_missing_path_is_an_input_error(repo: Path) -> None:
    with pytest.raises(InputError) as caught:
        discover([Path("no/such/dir")], cwd=repo)
    assert caught.value.exit_code is ExitCode.INPUT_UNREADABLE
    assert caught.value.source == "no/such/dir"


def test_empty_directory_finds_nothing(tmp_path: Path) -> None:
    assert discover([tmp_path], cwd=tmp_path) == []


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "app/requirements.txt")
    (tmp_path / "app" / "loop").symlink_to(tmp_path / "app", target_is_directory=True)
    found = discover([tmp_path], cwd=tmp_path)
    assert [s.display for s in found] == ["app/requirements.txt"]


def test_cwd_itself_displays_as_dot(tmp_path: Path) -> None:
    (tmp_path / "pyvenv.cfg").write_text("", encoding="utf-8")
    (spec,) = discover([Path()], cwd=tmp_path)
    assert (spec.kind, spec.display) == (ENV, ".")


def test_unreadable_directory_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "locked/requirements.txt")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr("mdrgate.collect.discovery.os.scandir", scandir)
    with pytest.raises(InputError) as caught:
        discover([tmp_path], cwd=tmp_path)
    assert caught.value.source == "locked"
    assert "cannot be read" in caught.value.message
    assert "Permission denied" in caught.value.message


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("requirements.txt", R),
        ("requirements-prod.txt", R),
        ("requirements.in", None),
        ("dev-requirements.txt", None),
        ("requirements/ci.txt", R),
        ("poetry.lock", P),
        ("Pipfile.lock", PL),
        ("Pipfile", None),
        ("uv.lock", UV),
        ("soup.yml", S),
        ("soup.yaml", S),
        ("pyproject.toml", None),
        ("package-lock.json", None),
    ],
)
def test_kind_for_file(name: str, kind: InputKind | None) -> None:
    assert kind_for_file(Path("project") / name) is kind
