"""Release-cycle choice on real endoflife.date products: the longest cycle-number prefix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.enrich.end_of_life import cycle_for, cycle_numbers, release_numbers
from mdrgate.model import Component, ComponentClass
from mdrgate.vulndb import VulnDb
from mdrgate.vulndb.records import EolProduct


def _component(version: str | None, ecosystem: str | None = None) -> Component:
    return Component("x", version, ComponentClass.FIRMWARE, ecosystem=ecosystem)


@pytest.mark.parametrize(
    ("version", "ecosystem", "numbers"),
    [
        ("3.8.10", None, (3, 8, 10)),
        ("1.1.1k", None, (1, 1, 1)),
        ("1.0.2zh", None, (1, 0, 2)),
        ("v22.11.0", None, (22, 11, 0)),
        ("V10.4.3", None, (10, 4, 3)),
        ("R0.14b", None, (0, 14)),
        ("3.0.0-alpha17", None, (3, 0, 0)),
        ("2023.01", None, (2023, 1)),
        ("  6.0  ", None, (6, 0)),
        ("4.2.post1", "PyPI", (4, 2)),
        ("1!2.0.1", "PyPI", (2, 0, 1)),
        ("5.0rc1", "PyPI", (5, 0)),
        ("master", None, None),
        ("", None, None),
        ("vx", None, None),
    ],
)
def test_release_numbers(version: str, ecosystem: str | None, numbers: tuple[int, ...]) -> None:
    assert release_numbers(version, ecosystem) == numbers


@pytest.mark.parametrize(
    ("name", "numbers"),
    [("3.12", (3, 12)), ("1.1.1", (1, 1, 1)), ("22", (22,)), ("3.0", (3, 0)), ("2012-r2", None)],
)
def test_cycle_numbers(name: str, numbers: tuple[int, ...] | None) -> None:
    assert cycle_numbers(name) == numbers


@pytest.mark.parametrize(
    ("product", "version", "ecosystem", "cycle"),
    [
        ("openssl", "1.1.1k", None, "1.1.1"),
        ("openssl", "1.1.1w", None, "1.1.1"),
        ("openssl", "1.1.0l", None, "1.1.0"),
        ("openssl", "1.0.2u", None, "1.0.2"),  # not 1.0.0: numbers compare as written
        ("openssl", "1.0.0", None, "1.0.0"),
        ("openssl", "0.9.8zh", None, "0.9.8"),
        ("openssl", "3.0.13", None, "3.0"),
        ("openssl", "3.5.0", None, "3.5"),
        ("openssl", "1.1", None, None),  # fewer numbers than every 1.1.x cycle
        ("openssl", "2.0.0", None, None),  # there never was an OpenSSL 2
        ("python", "3.8.10", None, "3.8"),
        ("python", "3.10.4", None, "3.10"),  # not 3.1
        ("python", "3.1.5", None, "3.1"),
        ("python", "2.7.18", None, "2.7"),
        ("python", "3.15.0", None, None),  # not yet in the data
        ("python", "3", None, None),
        ("nodejs", "v22.11.0", None, "22"),
        ("nodejs", "18.19.1", None, "18"),
        ("django", "4.2.7", "PyPI", "4.2"),
        ("django", "1.11.29", "PyPI", "1.11"),
        ("django", "1.1", "PyPI", None),  # 1.1 is not 1.11
        ("django", "5.0rc1", "PyPI", "5.0"),
        ("django", "7.0", "PyPI", None),
        ("sqlite", "3.45.1", None, "3"),
        ("sqlite", "2.8.17", None, "2"),
        ("ansible", "9.1.0", "PyPI", "9"),
        ("ansible", "2.9.27", "PyPI", "2.9"),
        ("ansible-core", "2.15.3", None, "2.15"),
        ("ansible-core", "9.1.0", None, None),
    ],
)
def test_cycle_for_real_products(
    eol_db: VulnDb, product: str, version: str, ecosystem: str | None, cycle: str | None
) -> None:
    found = eol_db.eol_product(product)
    assert found is not None
    chosen = cycle_for(found.cycles, _component(version, ecosystem))
    assert (chosen.cycle if chosen else None) == cycle


def test_no_version_no_cycle(eol_db: VulnDb) -> None:
    python = eol_db.eol_product("python")
    assert python is not None
    assert cycle_for(python.cycles, _component(None)) is None


@given(data=st.data())
def test_every_release_of_a_cycle_maps_to_it(
    eol_products: tuple[EolProduct, ...], data: st.DataObject
) -> None:
    """Any version that extends a numeric cycle's numbers (more numbers, an OpenSSL letter, a
    pre-release tag, build metadata) maps to that cycle or to a longer cycle it also extends."""
    product = data.draw(st.sampled_from(eol_products))
    numbered = [c for c in product.cycles if cycle_numbers(c.cycle) is not None]
    cycle = data.draw(st.sampled_from(numbered))
    extra = data.draw(st.lists(st.integers(0, 99), max_size=3))
    suffix = data.draw(st.sampled_from(["", "k", "-rc1", "+build.7", "zh"]))
    version = ".".join([cycle.cycle, *map(str, extra)]) + suffix
    chosen = cycle_for(product.cycles, _component(version))
    assert chosen is not None
    chosen_numbers = cycle_numbers(chosen.cycle)
    numbers = release_numbers(version)
    assert chosen_numbers is not None and numbers is not None
    assert numbers[: len(chosen_numbers)] == chosen_numbers
    assert len(chosen_numbers) >= len(cycle_numbers(cycle.cycle) or ())
    if not extra:
        assert chosen.cycle == cycle.cycle  # the exact cycle number is that cycle


@given(st.lists(st.integers(0, 999), min_size=1, max_size=4))
def test_a_version_maps_only_to_a_cycle_it_extends(
    eol_products: tuple[EolProduct, ...], numbers: list[int]
) -> None:
    version = ".".join(map(str, numbers))
    for product in eol_products:
        chosen = cycle_for(product.cycles, _component(version))
        prefixes = [
            key
            for c in product.cycles
            if (key := cycle_numbers(c.cycle)) is not None and tuple(numbers[: len(key)]) == key
        ]
        if not prefixes:
            assert chosen is None
        else:
            assert chosen is not None
            assert cycle_numbers(chosen.cycle) == max(prefixes, key=len)
