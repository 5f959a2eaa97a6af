"""Whatever bytes a Python input holds, its collector returns a result or raises ``InputError``.

Anything else (RecursionError, TypeError, KeyError...) would end the run with exit 70 instead of
naming the file. The inputs are random bytes, real lock files with random damage, and real lock
files with values replaced by random values of any type, nested deep or not.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.environment import collect_environment
from mdrgate.collect.python.pipfile import collect_pipfile_lock
from mdrgate.collect.python.poetry import collect_poetry_lock
from mdrgate.collect.python.requirements import collect_requirements
from mdrgate.collect.python.uvlock import collect_uv_lock
from mdrgate.errors import InputError

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "python"
COLLECTORS: dict[str, tuple[InputKind, Callable[[InputSpec], Collected], Path]] = {
    "requirements.txt": (
        InputKind.REQUIREMENTS,
        collect_requirements,
        ASSETS / "requirements" / "requirements.txt",
    ),
    "poetry.lock": (
        InputKind.POETRY_LOCK,
        collect_poetry_lock,
        ASSETS / "poetry" / "lock-2.1" / "poetry.lock",
    ),
    "Pipfile.lock": (
        InputKind.PIPFILE_LOCK,
        collect_pipfile_lock,
        ASSETS / "pipfile" / "Pipfile.lock",
    ),
    "uv.lock": (InputKind.UV_LOCK, collect_uv_lock, ASSETS / "uv" / "uv.lock"),
}
NAMES = sorted(COLLECTORS)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def run(workdir: Path, name: str, data: bytes, *, include_dev: bool = False) -> None:
    kind, collector, _ = COLLECTORS[name]
    path = workdir / name
    path.write_bytes(data)
    try:
        result = collector(InputSpec(kind, path, name, include_dev))
    except InputError as exc:
        assert exc.source is not None  # every error names a file
        return
    assert isinstance(result, Collected)


def mutate(original: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, length to delete, bytes to insert) edits, positions taken modulo size."""
    data = bytearray(original)
    for position, length, insert in edits:
        at = position % (len(data) + 1)
        data[at : at + length] = insert
    return bytes(data)


EDITS = st.lists(
    st.tuples(st.integers(0, 1 << 16), st.integers(0, 40), st.binary(max_size=12)), max_size=6
)
DEPTH = st.integers(1, 5000)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(workdir: Path, name: str, data: bytes) -> None:
    run(workdir, name, data)


@pytest.mark.parametrize("name", NAMES)
@FUZZ
@given(edits=EDITS, include_dev=st.booleans())
def test_damaged_real_files(workdir: Path, name: str, edits: Any, include_dev: bool) -> None:
    original = COLLECTORS[name][2].read_bytes()
    run(workdir, name, mutate(original, edits), include_dev=include_dev)


@pytest.mark.parametrize("name", NAMES)
@given(depth=DEPTH, opener=st.sampled_from(["[", "{", "a = [", "a = {b = ", '{"a": ', "-r "]))
@FUZZ
def test_deep_nesting(workdir: Path, name: str, depth: int, opener: str) -> None:
    run(workdir, name, (opener * depth).encode())


@pytest.mark.parametrize("name", ["poetry.lock", "uv.lock", "Pipfile.lock"])
def test_deeply_nested_lock_is_an_input_error(workdir: Path, name: str) -> None:
    nested = "[" * 5000 + "]" * 5000
    text = (
        f'{{"_meta": {{}}, "default": {nested}}}'
        if name.endswith("Pipfile.lock")
        else f"a = {nested}"
    )
    kind, collector, _ = COLLECTORS[name]
    path = workdir / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        collector(InputSpec(kind, path, name))
    assert caught.value.source == name
    assert "nested too deeply" in caught.value.message


# Real lock files with one value replaced by a value of any type: the shapes a hand-edited or
# half-merged lock file takes.

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        items = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items() if v is not None]
        return "{" + ", ".join(items) + "}"
    return '""'


def replace_value(data: Any, path: list[int], value: Any) -> Any:
    """``data`` with the value found by walking ``path`` (indices modulo size) replaced."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    if isinstance(data, dict):
        keys = sorted(data)
        key = keys[path[0] % len(keys)]
        return {**data, key: replace_value(data[key], path[1:], value)}
    index = path[0] % len(data)
    return [*data[:index], replace_value(data[index], path[1:], value), *data[index + 1 :]]


def nest(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


DEEP_VALUES = st.builds(nest, JSON_VALUES, st.integers(0, 900))


@FUZZ
@given(
    path=st.lists(st.integers(0, 50), max_size=6),
    value=JSON_VALUES | DEEP_VALUES,
    dev=st.booleans(),
)
def test_pipfile_lock_with_a_value_of_another_type(
    workdir: Path, path: list[int], value: Any, dev: bool
) -> None:
    data = json.loads(COLLECTORS["Pipfile.lock"][2].read_text(encoding="utf-8"))
    text = json.dumps(replace_value(data, path, value))
    run(workdir, "Pipfile.lock", text.encode(), include_dev=dev)


@pytest.mark.parametrize("name", ["poetry.lock", "uv.lock"])
@FUZZ
@given(line=st.integers(0, 1 << 12), value=JSON_VALUES, dev=st.booleans())
def test_toml_lock_with_a_value_of_another_type(
    workdir: Path, name: str, line: int, value: Any, dev: bool
) -> None:
    lines = COLLECTORS[name][2].read_text(encoding="utf-8").splitlines()
    assignments = [i for i, text in enumerate(lines) if " = " in text and not text.startswith(" ")]
    index = assignments[line % len(assignments)]
    key = lines[index].split(" = ", 1)[0]
    lines[index] = f"{key} = {toml_value(value)}"
    run(workdir, name, "\n".join(lines).encode(), include_dev=dev)


# Installed environments: any METADATA bytes under any distribution directory name.

DIST_NAMES = st.from_regex(r"[A-Za-z0-9_.+-]{1,20}\.(dist|egg)-info", fullmatch=True)


@FUZZ
@given(directory=DIST_NAMES, metadata=st.binary(max_size=300), as_file=st.booleans())
def test_environment_with_any_metadata(
    workdir: Path, directory: str, metadata: bytes, as_file: bool
) -> None:
    with tempfile.TemporaryDirectory(dir=workdir) as name:
        site = Path(name) / "site-packages"
        site.mkdir()
        if as_file:
            (site / directory).write_bytes(metadata)
        else:
            (site / directory).mkdir()
            (site / directory / "METADATA").write_bytes(metadata)
            (site / directory / "direct_url.json").write_bytes(metadata)
        try:
            result = collect_environment(InputSpec(InputKind.PYTHON_ENVIRONMENT, site, "site"))
        except InputError:
            return
        # Every distribution is either a component or an error diagnostic, never dropped.
        assert len(result.components) + sum(d.level == "error" for d in result.diagnostics) >= 1
