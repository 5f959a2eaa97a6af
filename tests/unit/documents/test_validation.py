"""Schema violations explained to people; whatever a YAML file holds, only a located error."""

from __future__ import annotations

import os
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.documents import parse_yaml
from mdrgate.errors import InputError, UsageError
from mdrgate.validation import validate

CONFIG = ("schemas", "config.schema.json")
REGISTER = ("schemas", "soup-register.schema.json")
VALID_CONFIG = 'apiVersion: mdrgate/v1\nproduct: {name: Pump, version: "1.0"}\n'
VALID_REGISTER = "apiVersion: mdrgate/v1\nkind: SoupRegister\nitems: []\n"


def violation(text: str, schema: tuple[str, ...] = CONFIG) -> UsageError:
    doc = parse_yaml(text, display="mdrgate.yml", error=UsageError)
    with pytest.raises(UsageError) as caught:
        validate(doc, schema, what="configuration")
    return caught.value


def test_valid_documents_pass() -> None:
    validate(parse_yaml(VALID_CONFIG, display="c", error=UsageError), CONFIG, what="c")
    validate(parse_yaml(VALID_REGISTER, display="r", error=InputError), REGISTER, what="r")


def test_number_for_a_version_gets_the_version_hint() -> None:
    error = violation("apiVersion: mdrgate/v1\nproduct: {name: Pump, version: 2.10}\n")
    assert (error.location, error.message, error.hint) == (
        "2",
        "product.version: expected a string, got number 2.1",
        "put it in quotes so YAML keeps it as text (2.10 would otherwise become 2.1)",
    )


def test_number_for_other_text_gets_a_neutral_hint() -> None:
    error = violation(VALID_CONFIG + "database: 5\n")
    assert (error.location, error.message, error.hint) == (
        "3",
        "database: expected a string, got integer 5",
        "put it in quotes so YAML keeps it as text",
    )


def test_number_in_a_list_of_text_gets_a_neutral_hint() -> None:
    error = violation(VALID_CONFIG + "policies: [7]\n")
    assert error.message == "policies[0]: expected a string, got integer 7"
    assert error.hint == "put it in quotes so YAML keeps it as text"


def test_not_a_number_is_shown_as_it_was_written() -> None:
    error = violation("apiVersion: mdrgate/v1\nproduct: {name: .nan, version: '1'}\n")
    assert error.message == "product.name: expected a string, got number nan"
    assert error.hint == "put it in quotes so YAML keeps it as text"


# Any YAML value anywhere in a valid document: validation passes or raises UsageError.

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
KEYS = st.sampled_from(
    ["apiVersion", "product", "name", "version", "inputs", "path", "kind", "items", "database"]
)


def place(data: Any, path: list[int], key: str, value: Any) -> Any:
    """``data`` with ``key: value`` set in the mapping found by walking ``path``."""
    if isinstance(data, dict):
        if path and data:
            keys = sorted(data)
            child = keys[path[0] % len(keys)]
            if isinstance(data[child], dict | list) and data[child]:
                return {**data, child: place(data[child], path[1:], key, value)}
        return {**data, key: value}
    if isinstance(data, list) and data:
        index = (path[0] if path else 0) % len(data)
        return [*data[:index], place(data[index], path[1:], key, value), *data[index + 1 :]]
    return value


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None)
@given(
    schema=st.sampled_from([CONFIG, REGISTER]),
    path=st.lists(st.integers(0, 20), max_size=4),
    key=KEYS,
    value=VALUES,
)
def test_any_value_validates_or_raises_a_usage_error(
    schema: tuple[str, ...], path: list[int], key: str, value: Any
) -> None:
    base = VALID_CONFIG if schema == CONFIG else VALID_REGISTER
    data = place(yaml.safe_load(base), path, key, value)
    try:  # parsing may refuse too (a generated "<<" key is a YAML merge key mdrgate refuses)
        doc = parse_yaml(yaml.safe_dump(data), display="f.yml", error=UsageError)
        validate(doc, schema, what="document")
    except UsageError as exc:
        assert exc.source == "f.yml"
        assert exc.message
