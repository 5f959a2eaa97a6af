"""Whatever an SBOM file holds, the importer returns a result or raises ``InputError``.

Anything else (RecursionError, TypeError, KeyError, an XML library's own exception...) would end
the run with exit 70 instead of naming the file. Inputs: random bytes, real SBOMs of both formats
with random byte damage, and real JSON SBOMs whose values are replaced by random JSON values.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import Collected
from mdrgate.collect.merge import merge
from mdrgate.errors import InputError
from tests.unit.sbom.support import CDX, SPDX, collect

REAL = {
    "bom.cdx.json": CDX / "spec" / "valid-bom-1.2.json",
    "nested.cdx.json": CDX / "spec" / "valid-assembly-1.6.json",
    "bom.cdx.xml": CDX / "spec" / "valid-license-expression-1.4.xml",
    "nested.cdx.xml": CDX / "spec" / "valid-assembly-1.4.xml",
    "example.spdx.json": SPDX / "tools" / "trivy-requirements.spdx.json",
    "recipe.spdx.json": SPDX / "yocto" / "recipe-shadow.spdx.json",
    "example.spdx": SPDX / "tools" / "syft-busybox.spdx",
    "zephyr.spdx": SPDX / "zephyr" / "zephyr.spdx.tag",
}
NAMES = sorted(REAL)
JSON_NAMES = [n for n in NAMES if n.endswith(".json")]
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def run(workdir: Path, name: str, data: bytes, *, include_dev: bool = False) -> None:
    path = workdir / name
    path.write_bytes(data)
    try:
        result = collect(path, include_dev=include_dev)
    except InputError as exc:
        assert exc.source == name  # every error names the file
        return
    assert isinstance(result, Collected)
    for component in result.components:
        assert component.name
        assert component.origins and component.origins[0].collector == "sbom"
    # merged, the components must have distinct bom-refs (the SBOM writer refuses duplicates)
    merged = merge(result.components, result.diagnostics)
    refs = [c.bom_ref for c in merged.components]
    assert len(set(refs)) == len(refs)


def mutate(original: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    data = bytearray(original)
    for position, length, insert in edits:
        at = position % (len(data) + 1)
        data[at : at + length] = insert
    return bytes(data)


EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1 << 16),
        st.integers(min_value=0, max_value=40),
        st.binary(max_size=12)
        | st.sampled_from(
            [
                b"{",
                b"}",
                b"[",
                b"]",
                b"<",
                b">",
                b"</",
                b'"',
                b"\n",
                b"<text>",
                b"</text>",
                b"<!DOCTYPE x>",
                b"\x00",
                b"&amp;",
                b"&x;",
                b"null",
                b"NOASSERTION",
                b": ",
            ]
        ),
    ),
    min_size=1,
    max_size=6,
)

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=512))
def test_random_bytes(workdir: Path, name: str, data: bytes) -> None:
    run(workdir, name, data)


@FUZZ
@given(name=st.sampled_from(NAMES), edits=EDITS, include_dev=st.booleans())
def test_damaged_real_documents(
    workdir: Path, name: str, edits: list[tuple[int, int, bytes]], include_dev: bool
) -> None:
    run(workdir, name, mutate(REAL[name].read_bytes(), edits), include_dev=include_dev)


def _paths(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*here, index))


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any = dict(node) if isinstance(node, dict) else list(node)
    copy[head] = _replace(node[head], rest, value)
    return copy


@FUZZ
@given(name=st.sampled_from(JSON_NAMES), pick=st.integers(min_value=0), value=JSON_VALUES)
def test_real_json_with_a_value_replaced(workdir: Path, name: str, pick: int, value: Any) -> None:
    document = json.loads(REAL[name].read_text(encoding="utf-8"))
    paths = list(_paths(document))
    target = paths[pick % len(paths)]
    run(workdir, name, json.dumps(_replace(document, target, value)).encode())
