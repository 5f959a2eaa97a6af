"""Any JSON is either read or refused with a UsageError: never a crash, never a silent skip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.errors import UsageError
from mdrgate.vex import load_vex
from mdrgate.vex.jsondoc import parse_json, pointer
from tests.unit.vex.support import load_asset

REAL = [
    "openvex/demo.vex.json",
    "cyclonedx/vex-not_affected.json",
    "cyclonedx/vex-affected.json",
    "csaf/2022-evd-uc-01-na-001.json",
    "csaf/csaf-relationships.json",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*at, i))
    return out


def _replace(doc: Any, at: tuple[Any, ...], value: Any) -> Any:
    if not at:
        return value
    parent = doc
    for part in at[:-1]:
        parent = parent[part]
    parent[at[-1]] = value
    return doc


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(REAL), pick=st.integers(min_value=0), value=json_values)
def test_a_real_document_with_one_part_replaced_is_read_or_refused(
    tmp_path: Path, name: str, pick: int, value: Any
) -> None:
    doc = load_asset(name)
    paths = _paths(doc)
    broken = _replace(doc, paths[pick % len(paths)], value)
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(broken, indent=2), encoding="utf-8")
    try:
        assessments = load_vex(path, display="doc.json")
    except UsageError as exc:
        assert exc.source == "doc.json"
        return
    for assessment in assessments:  # what is read is complete
        assert assessment.vulnerability and assessment.components and assessment.status


@given(value=json_values)
def test_every_key_path_has_its_line(value: Any) -> None:
    text = json.dumps({"root": value}, indent=2)
    doc = parse_json(text, display="x.json")
    assert doc.data == {"root": value}
    lines = text.splitlines()
    for at in _paths(doc.data):
        line = doc.lines[at]
        if at and isinstance(at[-1], str):  # a key: its own line starts with it quoted
            assert lines[line - 1].lstrip().startswith(json.dumps(at[-1]))


def test_pointer_escapes_per_rfc_6901() -> None:
    assert pointer(("a/b", "m~n", 0)) == "/a~1b/m~0n/0"
    assert pointer(()) == ""
