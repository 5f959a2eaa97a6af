"""Licence expressions against allow/deny terms: real declarations from the example device and
the SPDX list, and properties of the judgement."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.policy.licences import LicenceTerms, LicenceVerdict, judge_licences

# Firmware terms of the kind a manufacturer ships: permissive allowed, copyleft denied.
FIRMWARE = LicenceTerms(
    allow=("MIT", "BSD-*", "Apache-2.0", "Zlib", "LicenseRef-FatFs", "LicenseRef-newlib"),
    deny=("GPL-*", "AGPL-*", "LGPL-*"),
)


@pytest.mark.parametrize(
    ("declared", "verdict", "reason"),
    [
        # the example register's declarations (examples/infusion-pump/firmware/soup.yml)
        (("MIT",), LicenceVerdict.ALLOWED, "allowed"),
        (("Apache-2.0",), LicenceVerdict.ALLOWED, "allowed"),
        (("LicenseRef-FatFs",), LicenceVerdict.ALLOWED, "allowed"),
        (("PSF-2.0",), LicenceVerdict.NOT_ALLOWED, "PSF-2.0 is not on the allow list"),
        # dual licensing: the licensee may choose (Mbed TLS 2.x is Apache-2.0 OR GPL-2.0-or-later)
        (
            ("Apache-2.0 OR GPL-2.0-or-later",),
            LicenceVerdict.ALLOWED,
            "allowed (choosing Apache-2.0)",
        ),
        (("GPL-2.0-or-later",), LicenceVerdict.DENIED, "GPL-2.0-or-later is denied"),
        (
            ("GPL-2.0-only OR LGPL-2.1-only",),
            LicenceVerdict.DENIED,
            "GPL-2.0-only, LGPL-2.1-only are denied, and no alternative avoids it",
        ),
        # an exception adds permissions but does not lift a deny of its licence
        (
            ("GPL-2.0-only WITH Classpath-exception-2.0",),
            LicenceVerdict.DENIED,
            "GPL-2.0-only WITH Classpath-exception-2.0 is denied",
        ),
        (("Apache-2.0 WITH LLVM-exception",), LicenceVerdict.ALLOWED, "allowed"),
        # several declarations all apply
        (
            ("BSD-3-Clause", "MPL-2.0"),
            LicenceVerdict.NOT_ALLOWED,
            "MPL-2.0 is not on the allow list",
        ),
        ((), LicenceVerdict.UNDECLARED, "no licence is declared"),
        (("  ",), LicenceVerdict.UNDECLARED, "no licence is declared"),
        (("MIT AND (",), LicenceVerdict.UNREADABLE, "not an SPDX licence expression"),
    ],
)
def test_firmware_terms(declared: tuple[str, ...], verdict: LicenceVerdict, reason: str) -> None:
    judged = judge_licences(declared, FIRMWARE)
    assert judged.verdict is verdict
    assert judged.reason.startswith(reason)


def test_a_combination_allowed_by_name_beats_the_deny_of_its_licence() -> None:
    terms = LicenceTerms(allow=("GPL-2.0-only WITH Classpath-exception-2.0",), deny=("GPL-*",))
    judged = judge_licences(("GPL-2.0-only WITH Classpath-exception-2.0",), terms)
    assert judged.verdict is LicenceVerdict.ALLOWED


def test_an_expression_nobody_can_review_is_not_judged() -> None:
    many = " AND ".join(f"(MIT OR BSD-{n}-Clause)" for n in range(2, 12))  # 2**10 alternatives
    judged = judge_licences((many,), FIRMWARE)
    assert judged.verdict is LicenceVerdict.UNREADABLE
    assert "ways to comply" in judged.reason


SPDX = st.sampled_from(
    ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-2.0-only", "GPL-3.0-or-later", "LGPL-2.1-only",
     "MPL-2.0", "Zlib", "ISC", "AGPL-3.0-only"]
)  # fmt: skip


@st.composite
def expressions(draw: st.DrawFn) -> str:
    terms = draw(st.lists(SPDX, min_size=1, max_size=4))
    ops = draw(st.lists(st.sampled_from([" AND ", " OR "]), min_size=len(terms) - 1,
                        max_size=len(terms) - 1))  # fmt: skip
    text = terms[0]
    for op, term in zip(ops, terms[1:], strict=True):
        text += op + term
    return text


@given(expressions(), st.lists(SPDX, max_size=3))
def test_denying_more_never_allows_more(expression: str, extra: list[str]) -> None:
    base = judge_licences((expression,), FIRMWARE).verdict
    stricter = LicenceTerms(FIRMWARE.allow, (*FIRMWARE.deny, *extra))
    after = judge_licences((expression,), stricter).verdict
    if base is not LicenceVerdict.ALLOWED:
        assert after is not LicenceVerdict.ALLOWED


@given(expressions())
def test_without_terms_everything_declared_is_allowed(expression: str) -> None:
    assert judge_licences((expression,), LicenceTerms()).verdict is LicenceVerdict.ALLOWED
