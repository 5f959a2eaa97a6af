"""YAML documents from untrusted hands: what is refused, where, and that nothing else escapes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.documents import MAX_DEPTH, load_json, parse_yaml
from mdrgate.errors import InputError, MdrgateError, UsageError


def parse(text: str) -> object:
    return parse_yaml(text, display="soup.yml", error=InputError).data


def refusal(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(text)
    assert caught.value.source == "soup.yml"
    return caught.value


BILLION_LAUGHS = "\n".join(
    [
        "apiVersion: mdrgate/v1",
        'a0: &a0 ["x","x","x","x","x","x","x","x","x"]',
        *(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)),
        "items: []",
    ]
)


def test_alias_bomb_is_refused_at_its_first_anchor() -> None:
    error = refusal(BILLION_LAUGHS)
    assert (error.location, error.message) == (
        "2",
        "YAML anchors (&a0) are not supported; write the value out",
    )


def test_recursive_alias_is_refused() -> None:
    error = refusal("apiVersion: mdrgate/v1\nitems: &a [*a]\n")
    assert (error.location, error.message) == (
        "2",
        "YAML anchors (&a) are not supported; write the value out",
    )


def test_alias_without_anchor_is_refused() -> None:
    error = refusal("a: 1\nb: *a\n")
    assert error.location == "2"
    assert error.message == "YAML aliases (*a) are not supported; write the value out"


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!timestamp 2020-01-01 12:00:00", "!!timestamp"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!!pairs [a: 1]", "!!pairs"),
        ("!!python/object:os.system x", "!!python/object:os.system"),
        ("!custom x", "!custom"),
        ("!!str [a]", "!!str"),
        ("!!map [a]", "!!map"),
        ("!!seq {a: 1}", "!!seq"),
    ],
)
def test_tags_other_than_the_core_ones_are_refused(value: str, tag: str) -> None:
    error = refusal(f"items:\n  - name: X\n    notes: {value}\n")
    assert error.location == "3"
    assert error.message == (
        f"the YAML tag {tag} is not supported here (only plain text, numbers, true/false, null, "
        "mappings and lists)"
    )


def test_core_tags_are_accepted() -> None:
    text = 'a: !!str 1\nb: !!int "3"\nc: !!float 2\nd: !!bool "true"\ne: !!null x\nf: !!seq [1]\n'
    assert parse(text) == {"a": "1", "b": 3, "c": 2.0, "d": True, "e": None, "f": [1]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!int abc", "'abc' is not a valid !!int value"),
        ("a: !!bool maybe", "'maybe' is not a valid !!bool value"),
        ("a: !!float x", "'x' is not a valid !!float value"),
        ("a: " + "9" * 5000, "'" + "9" * 37 + "...' is a number too long to read"),
    ],
)
def test_scalar_that_does_not_fit_its_tag_is_located(text: str, message: str) -> None:
    error = refusal("x: 1\n" + text)
    assert (error.location, error.message) == ("2", message)


def test_plain_scalars_stay_text_where_yaml_1_1_would_guess() -> None:
    assert parse("a: 2020-01-01\nb: 2020-01-01 12:00:00\nc: =\nd: <<\n") == {
        "a": "2020-01-01",
        "b": "2020-01-01 12:00:00",
        "c": "=",
        "d": "<<",
    }


def test_merge_key_is_refused() -> None:
    error = refusal("a: {x: 1}\nb:\n  <<: {x: 1}\n")
    assert error.location == "3"
    assert error.message.startswith("YAML merge keys (<<) are not supported")


def test_complex_key_is_refused() -> None:
    error = refusal("items:\n  ? [a, b]\n  : 1\n")
    assert error.location == "2"
    assert error.message == "items: a key must be plain text, not a list or a mapping"


def test_nesting_up_to_the_limit_is_accepted() -> None:
    data = parse("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    for _ in range(MAX_DEPTH - 1):
        assert isinstance(data, list)
        (data,) = data
    assert data == []


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 100_000])
def test_deeper_nesting_is_a_located_error(depth: int) -> None:
    error = refusal("items:\n  - " + "[" * depth + "]" * depth + "\n")
    assert error.location == "2"
    assert error.message == f"nested more than {MAX_DEPTH} levels deep"


def test_deep_block_nesting_is_a_located_error() -> None:
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(150)) + "  " * 150 + "v: 1\n"
    error = refusal(text)  # line n holds the mapping at depth n; its keys are one deeper
    assert (error.location, error.message) == (
        str(MAX_DEPTH),
        f"nested more than {MAX_DEPTH} levels deep",
    )


def test_deeply_nested_json_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_json(path, display="deep.json", error=UsageError)
    assert (caught.value.source, caught.value.message) == (
        "deep.json",
        "JSON nested too deeply to be read",
    )


# Whatever the text, parse_yaml returns a document or raises the error class it was given.

TOKENS = [
    *"ab1.-:[]{},&*!|>?%@#'\"\\ \t<=~\x00\ufeff",
    "\n",
    "\n  ",
    "- ",
    ": ",
    "&a ",
    "*a",
    "!!binary ",
    "!!int ",
    "!!set ",
    "!x ",
    "? ",
    "---\n",
    "2020-01-01",
    "9" * 20,
]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
ALL_TEXT = st.text(max_size=200)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None)
@given(text=YAMLISH | ALL_TEXT)
def test_any_text_parses_or_raises_the_given_error(text: str) -> None:
    for error in (InputError, UsageError):
        try:
            parse_yaml(text, display="f.yml", error=error)
        except MdrgateError as exc:
            assert type(exc) is error
            assert exc.source == "f.yml"
