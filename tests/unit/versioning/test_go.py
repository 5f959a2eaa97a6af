"""Go module versions: v prefix, shorthands, +incompatible, pseudo-versions, toolchain tags."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.versioning import GO, PseudoVersion, pseudo_version, scheme_for_ecosystem
from tests.unit.versioning.strategies import check_sorted, check_total_order, semver_texts


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("v1.2.3", "1.2.3"),  # go.mod spelling = Go vulnerability database spelling
        ("v1", "v1.0.0"),  # golang.org/x/mod/semver shorthands
        ("v1.2", "v1.2.0"),
        ("v10.5.0+incompatible", "10.5.0"),  # +incompatible is build metadata
        ("v2.7.0-rc.0+incompatible", "2.7.0-rc.0"),  # as in the Go vulnerability database
        ("go1.21.3", "1.21.3"),  # toolchain tags of the stdlib and toolchain packages
        ("go1.20", "1.20.0"),
        ("go1", "1.0.0"),
        ("go1.21rc2", "1.21.0-rc.2"),
        ("go1.9beta1", "v1.9.0-beta.1"),
    ],
)
def test_spellings_of_one_version(a: str, b: str) -> None:
    assert GO.parse(a) is not None
    assert GO.parse(a) == GO.parse(b)


@pytest.mark.parametrize(
    "text",
    ["v1.2-pre", "v1.2+build", "v01.2.3", "v1.02.3", "1.2.3.4", "v1.2.3-01", "go1.21.1rc1", "vx"],
)
def test_not_go_versions(text: str) -> None:
    assert GO.parse(text) is None


# https://go.dev/ref/mod#pseudo-versions: the three forms and their place among releases.
PSEUDO_ORDER = [
    "v0.0.0-20191109021931-daa7c04131f5",  # no tag before the commit: vX.0.0-<time>-<rev>
    "v0.0.0-20200101000000-0123456789ab",  # later commit, same form: ordered by commit time
    "v0.1.0",
    "v1.2.3",
    "v1.2.4-0.20191109021931-daa7c04131f5",  # after v1.2.3: vX.Y.(Z+1)-0.<time>-<rev>
    "v1.2.4-0.20201109021931-daa7c04131f5",
    "v1.2.4-pre",
    "v1.2.4-pre.0.20191109021931-daa7c04131f5",  # after v1.2.4-pre: vX.Y.Z-pre.0.<time>-<rev>
    "v1.2.4-pre.1",
    "v1.2.4",
    "v2.0.0+incompatible",
    "v2.0.1-0.20180125103619-43913f2f4fbd+incompatible",
    "v2.0.1",
]


def test_pseudo_versions_sort_between_their_neighbours() -> None:
    check_sorted(GO.parse, PSEUDO_ORDER)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "v0.0.0-20191109021931-daa7c04131f5",
            PseudoVersion(None, "20191109021931", "daa7c04131f5"),
        ),
        (
            "v1.2.4-0.20191109021931-daa7c04131f5",
            PseudoVersion("v1.2.3", "20191109021931", "daa7c04131f5"),
        ),
        (
            "v1.2.3-pre.0.20191109021931-daa7c04131f5",
            PseudoVersion("v1.2.3-pre", "20191109021931", "daa7c04131f5"),
        ),
        # Bounds as the Go vulnerability database writes them (GO-2022-0617 and others).
        (
            "0.5.0-alpha.5.0.20200423152442-f4b650b51dc4",
            PseudoVersion("v0.5.0-alpha.5", "20200423152442", "f4b650b51dc4"),
        ),
        (
            "2.1.1-0.20170519163204-f913f5f9c7c6+incompatible",
            PseudoVersion("v2.1.0", "20170519163204", "f913f5f9c7c6"),
        ),
        ("v1.2.3", None),
        ("v1.2.3-pre", None),
        ("v1.2.0-0.20191109021931-daa7c04131f5", None),  # nothing precedes v1.2.0 on its line
        ("v1.2.3-20191109021931-daa7c04131f5", None),  # no-base form needs vX.0.0
        ("v1.2.3-0.2019110902193-daa7c04131f5", None),  # 13 digits: not a commit time
    ],
)
def test_pseudo_version_parts(text: str, expected: PseudoVersion | None) -> None:
    assert pseudo_version(text) == expected


def test_ecosystem() -> None:
    assert scheme_for_ecosystem("Go") is GO


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(semver_texts(), st.booleans()), min_size=2, max_size=6))
def test_order_properties(drawn: list[tuple[str, bool]]) -> None:
    texts = [("v" if prefixed else "") + text for text, prefixed in drawn]
    values = [GO.parse(t) for t in texts]
    assert None not in values
    check_total_order(values)
    for value, (text, _) in zip(values, drawn, strict=True):
        assert GO.parse(text) == value  # with or without the v: one version
        assert GO.parse("v" + str(value)) == value  # parse is stable
