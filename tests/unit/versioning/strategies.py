"""Hypothesis strategies and order checks shared by the version-scheme tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import strategies as st

# Small domains on purpose: equal and neighbouring versions must come up often, or the order
# properties would only ever be tried on versions that differ in their first number.
small_numbers = st.sampled_from(["0", "1", "2", "10", "11"])
words = st.sampled_from(["alpha", "beta", "rc", "a", "b", "x-y", "-", "0a", "A", "Z"])
identifiers = st.one_of(small_numbers, words)
prereleases = st.lists(identifiers, min_size=1, max_size=3).map(".".join)
builds = st.lists(st.sampled_from(["1", "001", "build", "exp-sha"]), min_size=1, max_size=2).map(
    ".".join
)


@st.composite
def semver_texts(draw: st.DrawFn) -> str:
    core = ".".join(draw(small_numbers) for _ in range(3))
    if draw(st.booleans()):
        core += "-" + draw(prereleases)
    if draw(st.booleans()):
        core += "+" + draw(builds)
    return core


def check_total_order(values: Sequence[Any]) -> None:
    """Exactly one of <, ==, > for every pair; <= agrees; antisymmetry; transitivity."""
    for a in values:
        for b in values:
            relations = [a < b, a == b, a > b]
            assert relations.count(True) == 1, (a, b)
            assert (a <= b) == (a < b or a == b)
            assert (a >= b) == (a > b or a == b)
            assert (a < b) == (b > a)
            if a <= b and b <= a:
                assert a == b
                assert hash(a) == hash(b)
            for c in values:
                if a <= b and b <= c:
                    assert a <= c, (a, b, c)


def check_sorted(parse: Callable[[str], Any], ascending: Sequence[str]) -> None:
    """Each version of ``ascending`` sorts strictly before the next one."""
    values = [parse(text) for text in ascending]
    assert None not in values, dict(zip(ascending, values, strict=True))
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        assert a < b, f"{ascending[i]} < {ascending[i + 1]}"
        assert not b < a, f"not {ascending[i + 1]} < {ascending[i]}"
