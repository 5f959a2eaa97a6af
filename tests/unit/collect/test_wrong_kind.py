"""A file of the wrong kind fails with a message naming what was expected and what was found."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.pipfile import collect_pipfile_lock
from mdrgate.collect.python.poetry import collect_poetry_lock
from mdrgate.collect.python.requirements import collect_requirements
from mdrgate.collect.python.sniff import describe
from mdrgate.collect.python.uvlock import collect_uv_lock
from mdrgate.errors import ExitCode, InputError

PY = Path(__file__).resolve().parents[2] / "assets" / "python"
SOURCES = {
    "poetry.lock": PY / "poetry" / "lock-2.1" / "poetry.lock",
    "Pipfile.lock": PY / "pipfile" / "Pipfile.lock",
    "uv.lock": PY / "uv" / "uv.lock",
    "requirements.txt": PY / "requirements" / "constraints.txt",
}
SOUP = "items:\n  - name: FreeRTOS-Kernel\n    version: '10.4.3'\n    supplier: Amazon\n"
PYPROJECT = '[project]\nname = "pump-service"\nversion = "0.4.0"\ndependencies = ["idna"]\n'

Collector = Callable[[InputSpec], Collected]
COLLECTORS: dict[str, tuple[InputKind, Collector, str]] = {
    "poetry.lock": (InputKind.POETRY_LOCK, collect_poetry_lock, "expected a poetry.lock"),
    "Pipfile.lock": (InputKind.PIPFILE_LOCK, collect_pipfile_lock, "expected a Pipfile.lock"),
    "uv.lock": (InputKind.UV_LOCK, collect_uv_lock, "expected a uv.lock"),
    "requirements.txt": (
        InputKind.REQUIREMENTS,
        collect_requirements,
        "expected a pip requirements file",
    ),
}
FOUND = {
    "poetry.lock": "looks like a poetry.lock",
    "Pipfile.lock": "looks like a Pipfile.lock",
    "uv.lock": "looks like a uv.lock",
    "requirements.txt": "looks like a pip requirements file",
    "soup.yml": "looks like a SOUP register",
    "pyproject.toml": "looks like a pyproject.toml",
}
CASES = [
    (given_as, actual)
    for given_as in COLLECTORS
    for actual in [*SOURCES, "soup.yml", "pyproject.toml"]
    if actual != given_as and not (given_as == "requirements.txt" and actual == "requirements.txt")
]


@pytest.mark.parametrize(("given_as", "actual"), CASES)
def test_wrong_kind(tmp_path: Path, given_as: str, actual: str) -> None:
    target = tmp_path / given_as
    if actual == "soup.yml":
        target.write_text(SOUP, encoding="utf-8")
    elif actual == "pyproject.toml":
        target.write_text(PYPROJECT, encoding="utf-8")
    else:
        shutil.copyfile(SOURCES[actual], target)
    kind, collector, expected = COLLECTORS[given_as]
    with pytest.raises(InputError) as caught:
        collector(InputSpec(kind, target, f"device/{given_as}"))
    error = caught.value
    assert error.exit_code is ExitCode.INPUT_UNREADABLE
    assert error.source == f"device/{given_as}"
    assert expected in error.message
    assert FOUND[actual] in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("   \n", None),
        ('{"lockfileVersion": 3, "packages": {}}', "an npm package-lock.json"),
        ('{"bomFormat": "CycloneDX", "specVersion": "1.6"}', "a CycloneDX SBOM (JSON)"),
        ('{"spdxVersion": "SPDX-2.3"}', "an SPDX SBOM (JSON)"),
        ('{"_meta": {}, "default": {', "JSON that is invalid or truncated"),
        ("---\nfoo: bar\n", "a YAML document"),
        ("- requests\n- urllib3\n", "a YAML document"),
        ('lock-version = "1.0"\n[[packages]]\nname = "a"\n', "a pylock.toml (PEP 751)"),
        ('[packages]\nidna = "*"\n[dev-packages]\n', "a Pipfile (TOML), not its lock file"),
        ("# pinned\nrequests==2.31.0\n", "a pip requirements file"),
        ("just some words\n", None),
    ],
)
def test_describe(text: str, expected: str | None) -> None:
    assert describe(text) == expected
