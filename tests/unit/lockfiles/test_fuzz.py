"""Whatever bytes a lock file holds, its collector returns a result or raises ``InputError``.

Anything else (RecursionError, TypeError, KeyError...) would end the run with exit 70 instead of
naming the file. The inputs are random bytes, the real lock files of ``tests/assets`` with random
damage, and JSON/YAML lock files with one value replaced by a value of any type.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.golang.gomod import collect_go_mod, collect_go_sum
from mdrgate.collect.npm.packagelock import collect_package_lock
from mdrgate.collect.npm.pnpmlock import collect_pnpm_lock
from mdrgate.collect.npm.yarnlock import collect_yarn_lock
from mdrgate.collect.rust.cargolock import collect_cargo_lock
from mdrgate.errors import InputError

ASSETS = Path(__file__).resolve().parents[2] / "assets"
Collector = Callable[[InputSpec], Collected]
CASES: dict[str, tuple[str, InputKind, Collector, Path]] = {
    "npm-v1": (
        "package-lock.json",
        InputKind.NPM_LOCK,
        collect_package_lock,
        ASSETS / "npm" / "npm-v1" / "package-lock.json",
    ),
    "npm-v3": (
        "package-lock.json",
        InputKind.NPM_LOCK,
        collect_package_lock,
        ASSETS / "npm" / "npm-v3" / "package-lock.json",
    ),
    "yarn-v1": (
        "yarn.lock",
        InputKind.YARN_LOCK,
        collect_yarn_lock,
        ASSETS / "npm" / "yarn-v1" / "yarn.lock",
    ),
    "yarn-berry": (
        "yarn.lock",
        InputKind.YARN_LOCK,
        collect_yarn_lock,
        ASSETS / "npm" / "yarn-berry" / "yarn.lock",
    ),
    "pnpm-5.4": (
        "pnpm-lock.yaml",
        InputKind.PNPM_LOCK,
        collect_pnpm_lock,
        ASSETS / "npm" / "pnpm-5.4" / "pnpm-lock.yaml",
    ),
    "pnpm-9.0": (
        "pnpm-lock.yaml",
        InputKind.PNPM_LOCK,
        collect_pnpm_lock,
        ASSETS / "npm" / "pnpm-9.0" / "pnpm-lock.yaml",
    ),
    "go.mod": (
        "go.mod",
        InputKind.GO_MOD,
        collect_go_mod,
        ASSETS / "golang" / "containerd" / "go.mod",
    ),
    "go.sum": (
        "go.sum",
        InputKind.GO_SUM,
        collect_go_sum,
        ASSETS / "golang" / "gosum-only" / "go.sum",
    ),
    "cargo-v1": (
        "Cargo.lock",
        InputKind.CARGO_LOCK,
        collect_cargo_lock,
        ASSETS / "rust" / "v1" / "Cargo.lock",
    ),
    "cargo-v4": (
        "Cargo.lock",
        InputKind.CARGO_LOCK,
        collect_cargo_lock,
        ASSETS / "rust" / "v4-git-path" / "Cargo.lock",
    ),
}
NAMES = sorted(CASES)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def run(workdir: Path, case: str, data: bytes, *, include_dev: bool = False) -> None:
    name, kind, collector, _ = CASES[case]
    folder = workdir / case  # one folder per case: no go.mod or package.json beside by accident
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    try:
        result = collector(InputSpec(kind, path, name, include_dev))
    except InputError as exc:
        assert exc.source is not None  # every error names a file
        return
    assert isinstance(result, Collected)


def mutate(original: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(original)
    for position, length, insert in edits:
        at = position % (len(data) + 1)
        data[at : at + length] = insert
    return bytes(data)


EDITS = st.lists(
    st.tuples(
        st.integers(0, 1 << 16),
        st.integers(0, 40),
        st.binary(max_size=12) | st.sampled_from([b'"', b":", b"\n  ", b"{", b"[", b"(", b"@"]),
    ),
    max_size=6,
)


@pytest.mark.parametrize("case", NAMES)
@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(workdir: Path, case: str, data: bytes) -> None:
    run(workdir, case, data)


@pytest.mark.parametrize("case", NAMES)
@FUZZ
@given(edits=EDITS, include_dev=st.booleans())
def test_damaged_real_files(workdir: Path, case: str, edits: Any, include_dev: bool) -> None:
    run(workdir, case, mutate(CASES[case][3].read_bytes(), edits), include_dev=include_dev)


@pytest.mark.parametrize("case", NAMES)
@given(depth=st.integers(1, 5000), opener=st.sampled_from(["[", "{", '{"a": ', "a: ", "- "]))
@FUZZ
def test_deep_nesting(workdir: Path, case: str, depth: int, opener: str) -> None:
    run(workdir, case, (opener * depth).encode())


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


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


@pytest.mark.parametrize("case", ["npm-v1", "npm-v3", "yarn-berry", "pnpm-5.4", "pnpm-9.0"])
@FUZZ
@given(path=st.lists(st.integers(0, 200), max_size=6), value=VALUES, dev=st.booleans())
def test_value_of_another_type(
    workdir: Path, case: str, path: list[int], value: Any, dev: bool
) -> None:
    source = CASES[case][3]
    if source.suffix == ".json":
        data = json.loads(source.read_text(encoding="utf-8"))
        text = json.dumps(replace_value(data, path, value))
    else:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        text = yaml.safe_dump(replace_value(data, path, value))
    run(workdir, case, text.encode(), include_dev=dev)
