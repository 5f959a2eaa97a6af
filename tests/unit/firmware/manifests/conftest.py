"""Helpers for the build-manifest tests: collecting an asset, and real git repositories.

The git repositories are made with the ``git`` binary in ``tmp_path`` (the product itself never
runs git); commits and tags are therefore real git objects, written by git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.firmware.manifests import claim, collect_build_manifest
from mdrgate.model import Component

MANIFESTS = Path(__file__).parents[3] / "assets" / "firmware" / "manifests"

Collect = Callable[..., Collected]


def collect_file(path: Path, display: str | None = None, *, include_dev: bool = False) -> Collected:
    assert claim(path) is InputKind.BUILD_MANIFEST, path
    spec = InputSpec(InputKind.BUILD_MANIFEST, path, display or path.name, include_dev=include_dev)
    return collect_build_manifest(spec)


def by_name(result: Collected) -> dict[str, list[Component]]:
    found: dict[str, list[Component]] = {}
    for component in result.components:
        found.setdefault(component.name, []).append(component)
    return found


def props(component: Component) -> dict[str, str]:
    return dict(component.properties)


def codes(result: Collected) -> list[tuple[str, int | None]]:
    return sorted((d.code, d.line) for d in result.diagnostics)


@pytest.fixture
def manifests() -> Path:
    return MANIFESTS


class Git:
    """Runs git in a sandboxed environment (no user or system configuration)."""

    def __init__(self, home: Path) -> None:
        if shutil.which("git") is None:
            pytest.skip("git is needed to build the repository fixtures")
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Fixture",
            "GIT_AUTHOR_EMAIL": "fixture@example.org",
            "GIT_COMMITTER_NAME": "Fixture",
            "GIT_COMMITTER_EMAIL": "fixture@example.org",
            "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
        }

    def __call__(self, cwd: Path, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "protocol.file.allow=always", "-c", "init.defaultBranch=main", *args],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()


@pytest.fixture
def git(tmp_path: Path) -> Git:
    return Git(tmp_path)
