"""Discovery of inputs under the paths given on the command line."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.collect.discovery import discover_inputs, is_environment, kind_for_file
from mdrgate.errors import ExitCode, InputError, UsageError
from mdrgate.model import Diagnostic, DiagnosticLevel

R, P, PL, UV, S, ENV = (
    InputKind.REQUIREMENTS,
    InputKind.POETRY_LOCK,
    InputKind.PIPFILE_LOCK,
    InputKind.UV_LOCK,
    InputKind.SOUP_REGISTER,
    InputKind.PYTHON_ENVIRONMENT,
)


def discover(paths: list[Path], *, cwd: Path) -> list[InputSpec]:
    """The inputs found, for tests that do not look at the notes."""
    return discover_inputs(paths, cwd=cwd)[0]


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
        ("package.json", None),
        ("package-lock.json", InputKind.NPM_LOCK),
        ("npm-shrinkwrap.json", InputKind.NPM_LOCK),
        ("yarn.lock", InputKind.YARN_LOCK),
        ("pnpm-lock.yaml", InputKind.PNPM_LOCK),
        ("go.mod", InputKind.GO_MOD),
        ("go.sum", InputKind.GO_SUM),
        ("Cargo.lock", InputKind.CARGO_LOCK),
        ("Cargo.toml", None),
    ],
)
def test_kind_for_file(name: str, kind: InputKind | None) -> None:
    assert kind_for_file(Path("project") / name) is kind


# --------------------------------------------------------------------------------------------
# Nothing that could be an input is skipped silently


def test_dangling_symlink_with_an_input_name_is_an_input_error(tmp_path: Path) -> None:
    touch(tmp_path, "proj/host/poetry.lock")
    (tmp_path / "proj" / "requirements.txt").symlink_to("../missing.txt")
    with pytest.raises(InputError) as caught:
        discover_inputs([Path("proj")], cwd=tmp_path)
    assert caught.value.source == "proj/requirements.txt"
    assert caught.value.message == (
        "is a symbolic link to '../missing.txt', which cannot be followed (No such file or "
        "directory), but its name says it is an input"
    )


def test_symlink_loop_with_an_input_name_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").symlink_to("uv.lock")
    with pytest.raises(InputError) as caught:
        discover_inputs([tmp_path], cwd=tmp_path)
    assert caught.value.source == "uv.lock"
    assert "Too many levels of symbolic links" in caught.value.message


def test_dangling_symlinks_of_other_names_are_ignored(tmp_path: Path) -> None:
    touch(tmp_path, "requirements.txt")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "build").symlink_to("/nonexistent/build", target_is_directory=True)
    specs, notes = discover_inputs([tmp_path], cwd=tmp_path)
    assert [s.display for s in specs] == ["requirements.txt"]
    assert notes == []


def test_fifo_with_an_input_name_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    os.mkfifo(tmp_path / "requirements" / "base.txt")
    with pytest.raises(InputError) as caught:
        discover_inputs([tmp_path], cwd=tmp_path)
    assert caught.value.source == "requirements/base.txt"
    assert caught.value.message == (
        "is a FIFO (named pipe), not a regular file, but its name says it is an input"
    )


def test_socket_with_an_input_name_is_an_input_error(tmp_path: Path) -> None:
    # AF_UNIX paths are short: bind with a relative name from inside the directory.
    with socket.socket(socket.AF_UNIX) as sock:
        cwd = Path.cwd()
        os.chdir(tmp_path)
        try:
            sock.bind("uv.lock")
        finally:
            os.chdir(cwd)
        with pytest.raises(InputError) as caught:
            discover_inputs([tmp_path], cwd=tmp_path)
    assert caught.value.source == "uv.lock"
    assert caught.value.message.startswith("is a socket, not a regular file")


def test_other_non_regular_files_are_ignored(tmp_path: Path) -> None:
    touch(tmp_path, "Pipfile.lock")
    os.mkfifo(tmp_path / "events.fifo")
    specs, _ = discover_inputs([tmp_path], cwd=tmp_path)
    assert [s.display for s in specs] == ["Pipfile.lock"]


def test_entry_that_cannot_be_examined_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "requirements.txt")
    real_scandir = os.scandir

    class Unexaminable:
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self.name, self.path = entry.name, entry.path

        def is_symlink(self) -> bool:
            raise PermissionError(13, "Permission denied")

    class Listing:
        def __init__(self, path: str) -> None:
            self._inner = real_scandir(path)

        def __enter__(self) -> list[Unexaminable]:
            return [Unexaminable(e) for e in self._inner]

        def __exit__(self, *exc: object) -> None:
            self._inner.close()

    monkeypatch.setattr("mdrgate.collect.discovery.os.scandir", Listing)
    with pytest.raises(InputError) as caught:
        discover_inputs([tmp_path], cwd=tmp_path)
    assert caught.value.source == "requirements.txt"
    assert caught.value.message == (
        "cannot be examined while searching for inputs: Permission denied"
    )


def test_symlinked_directory_outside_the_tree_is_noted_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "real/req.txt", "proj/requirements.txt")
    (tmp_path / "proj" / "requirements").symlink_to("../real", target_is_directory=True)
    specs, notes = discover_inputs([Path("proj")], cwd=tmp_path)
    assert [s.display for s in specs] == ["proj/requirements.txt"]
    assert notes == [
        Diagnostic(
            code="symlink-outside-tree",
            message=(
                f"proj/requirements is a symbolic link to the directory {tmp_path / 'real'}, "
                "outside the tree being scanned; it was not searched for inputs (give it as a "
                "path of its own to scan it)"
            ),
            level=DiagnosticLevel.WARNING,
            path="proj/requirements",
        )
    ]


def test_symlinked_input_file_outside_the_tree_is_an_error_note(tmp_path: Path) -> None:
    touch(tmp_path, "shared/poetry.lock", "proj/requirements.txt")
    (tmp_path / "proj" / "poetry.lock").symlink_to("../shared/poetry.lock")
    (tmp_path / "proj" / "README.md").symlink_to("../shared/poetry.lock")
    specs, notes = discover_inputs([Path("proj")], cwd=tmp_path)
    assert [s.display for s in specs] == ["proj/requirements.txt"]
    (note,) = notes
    assert (note.code, note.level, note.path) == (
        "symlink-outside-tree",
        DiagnosticLevel.ERROR,
        "proj/poetry.lock",
    )
    assert note.message.startswith(
        f"proj/poetry.lock is a symbolic link to {tmp_path / 'shared' / 'poetry.lock'}, outside"
    )


def test_symlinked_input_file_inside_the_tree_is_read(tmp_path: Path) -> None:
    touch(tmp_path, "locks/app.lock")
    (tmp_path / "poetry.lock").symlink_to("locks/app.lock")
    specs, notes = discover_inputs([tmp_path], cwd=tmp_path)
    assert [(s.kind, s.display, s.path) for s in specs] == [
        (P, "poetry.lock", tmp_path / "poetry.lock")
    ]
    assert notes == []


def test_symlinked_directory_inside_the_tree_is_followed_once(tmp_path: Path) -> None:
    touch(tmp_path, "shared/requirements.txt", "node_modules/py/requirements.txt")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "shared").symlink_to("../shared", target_is_directory=True)
    (tmp_path / "app" / "vendored").symlink_to("../node_modules/py", target_is_directory=True)
    (tmp_path / "app" / "up").symlink_to("..", target_is_directory=True)
    (tmp_path / "app" / "requirements").symlink_to("../node_modules/py", target_is_directory=True)
    specs, notes = discover_inputs([tmp_path], cwd=tmp_path)
    # The real path wins over a link to it; a link into a skipped directory is searched once.
    assert [s.display for s in specs] == [
        "app/requirements/requirements.txt",
        "shared/requirements.txt",
    ]
    assert notes == []


def test_symlinked_virtualenv_outside_the_tree_is_not_noted(tmp_path: Path) -> None:
    touch(tmp_path, "venvs/app/pyvenv.cfg", "proj/requirements.txt")
    (tmp_path / "proj" / ".venv").symlink_to("../venvs/app", target_is_directory=True)
    specs, notes = discover_inputs([Path("proj")], cwd=tmp_path)
    assert [s.display for s in specs] == ["proj/requirements.txt"]
    assert notes == []


def test_explicit_fifo_is_an_input_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "requirements.txt")
    with pytest.raises(InputError) as caught:
        discover_inputs([Path("requirements.txt")], cwd=tmp_path)
    assert caught.value.source == "requirements.txt"
    assert caught.value.message == (
        "is a FIFO (named pipe), not a regular file; an input must be a file"
    )


def test_explicit_dangling_symlink_names_its_target(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").symlink_to("gone/uv.lock")
    with pytest.raises(InputError) as caught:
        discover_inputs([Path("uv.lock")], cwd=tmp_path)
    assert caught.value.source == "uv.lock"
    assert caught.value.message.startswith("is a symbolic link to 'gone/uv.lock'")


def test_explicit_symlink_is_classified_by_its_own_name(tmp_path: Path) -> None:
    touch(tmp_path, "locks/app.lock")
    (tmp_path / "poetry.lock").symlink_to("locks/app.lock")
    specs, _ = discover_inputs([Path("poetry.lock")], cwd=tmp_path)
    assert [(s.kind, s.display) for s in specs] == [(P, "locks/app.lock")]


def test_discover_is_discover_inputs_without_notes(repo: Path) -> None:
    assert discover([repo], cwd=repo) == discover_inputs([repo], cwd=repo)[0]


def test_is_environment(tmp_path: Path) -> None:
    touch(tmp_path, "venv/pyvenv.cfg", "plain/x.txt")
    assert is_environment(tmp_path / "venv")
    assert is_environment(tmp_path / "lib" / "site-packages")
    assert is_environment(tmp_path / "dist-packages")
    assert not is_environment(tmp_path / "plain")
