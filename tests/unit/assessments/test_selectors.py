"""Selectors against real components: every stated part must hold; unknowable is a problem."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mdrgate.model import Component
from mdrgate.model.assessment import ComponentSelector
from mdrgate.policy.assessments import MatchProblem, parse_purl_pattern, selector_matches
from tests.unit.assessments.components import (
    ALL,
    CARGO_FORM_URLENCODED,
    CPYTHON,
    FATFS,
    FREERTOS,
    FREERTOS_TCP,
    GO_WINIO,
    JINJA2,
    LWIP,
    MBEDTLS,
    NPM_IS,
    PYYAML,
    SEGGER_RTT,
    URLLIB3,
)


def _covered(selector: ComponentSelector) -> list[str]:
    """The components of ALL the selector covers (asserting none is a problem)."""
    out = []
    for component in ALL:
        answer = selector_matches(selector, component)
        assert not isinstance(answer, MatchProblem), answer.describe()
        if answer:
            out.append(component.name)
    return out


@pytest.mark.parametrize(
    ("selector", "covered"),
    [
        # purl: exact package, any namespace member, case and PEP 503 normalisation
        (
            ComponentSelector(purl="pkg:github/freertos/freertos-kernel", versions="==10.3.1"),
            ["FreeRTOS Kernel"],
        ),
        (
            ComponentSelector(purl="pkg:github/FreeRTOS/FreeRTOS-Kernel", versions="==10.3.1"),
            ["FreeRTOS Kernel"],
        ),  # github names are case-insensitive
        (
            ComponentSelector(purl="pkg:github/freertos/*", versions="<10.4.3"),
            ["FreeRTOS Kernel", "FreeRTOS-Plus-TCP"],
        ),
        (
            ComponentSelector(purl="pkg:github/freertos/freertos-*", versions=">=2.3.4"),
            ["FreeRTOS Kernel", "FreeRTOS-Plus-TCP"],
        ),
        (
            ComponentSelector(purl="pkg:github/*", versions="<3"),
            ["FreeRTOS-Plus-TCP", "Mbed TLS"],
        ),  # '*' spans '/'; FreeRTOS 10.3.1 is not <3
        (ComponentSelector(purl="pkg:github/freertos-kernel", versions="==10.3.1"), []),
        (ComponentSelector(purl="pkg:pypi/URLLIB3", versions="==1.26.4"), ["urllib3"]),
        (ComponentSelector(purl="pkg:pypi/PyYAML", versions="<5.4"), ["PyYAML"]),
        (ComponentSelector(purl="pkg:pypi/py_yaml", versions="<5.4"), []),
        (ComponentSelector(purl="pkg:pypi/jinja2", versions="<2.11.3"), ["Jinja2"]),
        (ComponentSelector(purl="pkg:pypi/*", versions=">=2.11,<2.12"), ["Jinja2"]),
        (ComponentSelector(purl="pkg:pypi/urllib3", versions=">=1.26.5"), []),
        # types must agree: a generic purl never covers the github one of the same name
        (ComponentSelector(purl="pkg:generic/freertos-kernel", versions="==10.3.1"), []),
        (
            ComponentSelector(purl="pkg:generic/*", versions=">=2,<8"),
            ["lwIP", "SEGGER RTT", "CPython"],
        ),
        # Go keeps case (module paths are case-sensitive), npm scopes, Cargo names
        (
            ComponentSelector(purl="pkg:golang/github.com/Microsoft/go-winio", versions="<v0.6.0"),
            ["github.com/Microsoft/go-winio"],
        ),
        (
            ComponentSelector(purl="pkg:golang/github.com/microsoft/go-winio", versions="<v0.6.0"),
            [],
        ),
        (
            ComponentSelector(purl="pkg:golang/github.com/*", versions=">=v0.5.2"),
            ["github.com/Microsoft/go-winio"],
        ),
        (
            ComponentSelector(purl="pkg:npm/%40sindresorhus/is", versions="==4.6.0"),
            ["@sindresorhus/is"],
        ),
        (ComponentSelector(purl="pkg:npm/is", versions="==4.6.0"), []),
        (
            ComponentSelector(purl="pkg:cargo/form_urlencoded", versions="<1.1.0"),
            ["form_urlencoded"],
        ),
        # a pinned purl: that version only (in the component's scheme: V10.3.1 = 10.3.1)
        (
            ComponentSelector(purl="pkg:github/freertos/freertos-kernel@10.3.1", versions=">=10"),
            ["FreeRTOS Kernel"],
        ),
        (
            ComponentSelector(purl="pkg:github/freertos/freertos-kernel@V10.4.3", versions=">=10"),
            [],
        ),
        (ComponentSelector(purl="pkg:pypi/urllib3@1.26.4", versions="<2"), ["urllib3"]),
        (ComponentSelector(purl="pkg:pypi/urllib3@1.26.5", versions="<2"), []),
        # qualifiers stated must be the component's
        (
            ComponentSelector(
                purl="pkg:generic/lwip?download_url=https://download.savannah.nongnu.org/releases/"
                "lwip/lwip-2.1.3.zip",
                versions="==2.1.3",
            ),
            ["lwIP"],
        ),
        (
            ComponentSelector(
                purl="pkg:generic/lwip?download_url=https://example.org/lwip.zip",
                versions="==2.1.3",
            ),
            [],
        ),
        # CPE: vendor:product, a full name with version, the part
        (ComponentSelector(cpe="amazon:freertos", versions="<10.4.3"), ["FreeRTOS Kernel"]),
        (
            ComponentSelector(
                cpe="cpe:2.3:o:amazon:freertos:10.3.1:*:*:*:*:*:*:*", versions="==10.3.1"
            ),
            ["FreeRTOS Kernel"],
        ),
        (
            ComponentSelector(
                cpe="cpe:2.3:o:amazon:freertos:10.4.3:*:*:*:*:*:*:*", versions=">=10"
            ),
            [],
        ),
        (
            ComponentSelector(cpe="cpe:2.3:a:amazon:freertos:*:*:*:*:*:*:*:*", versions=">=10"),
            [],
        ),  # FreeRTOS is named as an operating system ('o'), not an application
        (
            ComponentSelector(cpe="cpe:2.3:*:amazon:*:*:*:*:*:*:*:*:*", versions=">=2"),
            ["FreeRTOS Kernel", "FreeRTOS-Plus-TCP"],
        ),
        (
            ComponentSelector(
                cpe="cpe:2.3:a:arm:mbed_tls:2.28.*:*:*:*:*:*:*:*", versions="<2.28.5"
            ),
            ["Mbed TLS"],
        ),
        (
            ComponentSelector(
                cpe="cpe:2.3:a:elm-chan:fatfs:r0.14b:*:*:*:*:*:*:*", versions="==0.14b"
            ),
            ["FatFs"],
        ),
        (
            ComponentSelector(
                cpe="cpe:2.3:a:arm:mbed_tls:2.28.3:*:*:*:*:*:x86:*", versions="==2.28.3"
            ),
            [],
        ),  # target_hw stated, the component's is ANY
        (ComponentSelector(cpe="python:python", versions=">=3.8,<3.9"), ["CPython"]),
        # name: case-insensitive, '*' wildcards, the purl's name counts too
        (ComponentSelector(name="segger rtt", versions="==7.54"), ["SEGGER RTT"]),
        (
            ComponentSelector(name="FreeRTOS*", versions=">=2"),
            ["FreeRTOS Kernel", "FreeRTOS-Plus-TCP"],
        ),
        (ComponentSelector(name="pyyaml", versions="==5.3.1"), ["PyYAML"]),
        (ComponentSelector(name="freertos-kernel", versions="==10.3.1"), ["FreeRTOS Kernel"]),
        (ComponentSelector(name="RTT", versions="==7.54"), []),
        # several parts: all must hold
        (
            ComponentSelector(purl="pkg:github/freertos/*", cpe="amazon:freertos", versions=">=10"),
            ["FreeRTOS Kernel"],
        ),
        (ComponentSelector(purl="pkg:github/freertos/*", name="Mbed TLS", versions=">=1"), []),
    ],
)
def test_selector_covers_exactly(selector: ComponentSelector, covered: list[str]) -> None:
    assert _covered(selector) == covered


def test_vex_selector_without_versions_covers_every_version_of_what_it_names() -> None:
    assert selector_matches(ComponentSelector(purl="pkg:pypi/urllib3"), URLLIB3) is True
    assert selector_matches(ComponentSelector(purl="pkg:pypi/urllib3@1.26.4"), URLLIB3) is True
    assert selector_matches(ComponentSelector(purl="pkg:pypi/urllib3@1.26.18"), URLLIB3) is False


@pytest.mark.parametrize(
    ("selector", "component", "reason"),
    [
        (
            ComponentSelector(purl="pkg:github/freertos/freertos-kernel", versions="==master"),
            FREERTOS,
            "versions '==master' cannot be checked against '10.3.1': 'master' in '==master' is "
            "not a valid firmware version",
        ),
        (
            ComponentSelector(purl="pkg:github/freertos/freertos-kernel", versions="<10.4.3"),
            replace(FREERTOS, version="V10.3.1-12-g4a5b6c7"),
            "versions '<10.4.3' cannot be checked against 'V10.3.1-12-g4a5b6c7': "
            "'V10.3.1-12-g4a5b6c7' is not a valid firmware version",
        ),
        (
            ComponentSelector(purl="pkg:pypi/urllib3", versions="<1.26.5"),
            replace(URLLIB3, version=None, purl="pkg:pypi/urllib3"),
            "the component's version is unknown, so the range cannot be checked",
        ),
        (
            ComponentSelector(purl="pkg:github/freertos/freertos-kernel@a1b2c3d"),
            FREERTOS,
            "version 'a1b2c3d' is not a valid firmware version, so 'a1b2c3d' and 'V10.3.1' "
            "cannot be compared",
        ),
        (
            ComponentSelector(cpe="cpe:2.3:o:amazon:freertos:10.3.1:*:*:*:*:*:*:*"),
            replace(FREERTOS, version=None, cpes=("cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:*",)),
            "the component's version is unknown",
        ),
        (
            # SemVer has three numbers: '1.1' is not a crates.io version (the loader refuses it
            # for a pkg:cargo selector; a name-only selector meets it here)
            ComponentSelector(name="form_urlencoded", versions="<1.1"),
            CARGO_FORM_URLENCODED,
            "versions '<1.1' cannot be checked against '1.0.1': '1.1' in '<1.1' is not a valid "
            "SemVer 2.0 version",
        ),
        (
            ComponentSelector(versions="<10.4.3"),
            FREERTOS,
            "the selector names no purl, CPE or name",
        ),
        (
            ComponentSelector(purl="pkg:pypi", versions="<2"),
            URLLIB3,
            "'pkg:pypi' is not a package URL (pkg:TYPE/[NAMESPACE/]NAME[@VERSION])",
        ),
    ],
)
def test_what_cannot_be_checked_is_a_problem(
    selector: ComponentSelector, component: Component, reason: str
) -> None:
    answer = selector_matches(selector, component)
    assert answer == MatchProblem(selector, component.bom_ref, reason)


def test_a_part_that_fails_outweighs_one_that_cannot_be_checked() -> None:
    # the range cannot be read for firmware, but the purl names another package: a clean miss
    selector = ComponentSelector(purl="pkg:github/mbed-tls/mbedtls", versions="==master")
    assert selector_matches(selector, FREERTOS) is False
    assert isinstance(selector_matches(selector, MBEDTLS), MatchProblem)


def test_a_problem_is_neither_true_nor_false() -> None:
    problem = selector_matches(ComponentSelector(name="lwIP", versions="==latest"), LWIP)
    assert isinstance(problem, MatchProblem)
    with pytest.raises(TypeError, match="neither a match nor a miss"):
        bool(problem)
    assert problem.describe() == (
        f"lwIP ==latest cannot be checked against {LWIP.bom_ref}: versions '==latest' cannot be "
        "checked against '2.1.3': 'latest' in '==latest' is not a valid firmware version"
    )


def test_components_without_the_stated_identifier_are_not_covered() -> None:
    # SEGGER RTT has no CPE, the PyPI packages neither; none has the name of another
    assert selector_matches(ComponentSelector(cpe="segger:rtt", versions="==7.54"), SEGGER_RTT) is (
        False
    )
    no_purl = replace(FATFS, purl=None)
    assert selector_matches(
        ComponentSelector(purl="pkg:generic/fatfs", versions="<1"), no_purl
    ) is (False)
    broken = replace(FATFS, cpes=("cpe:2.3:a:elm-chan",))
    assert selector_matches(ComponentSelector(cpe="elm-chan:fatfs", versions="<1"), broken) is False


def test_pattern_parsing() -> None:
    pattern = parse_purl_pattern("pkg:PyPI/Flask_SQLAlchemy@3.0.0?extra=x#sub")
    assert (pattern.type, pattern.path, pattern.version, pattern.qualifiers, pattern.subpath) == (
        "pypi",
        "flask-sqlalchemy",
        "3.0.0",
        (("extra", "x"),),
        "sub",
    )
    assert parse_purl_pattern("pkg:github/freertos/*").path == "freertos/*"
    with pytest.raises(ValueError, match="the purl type takes no wildcard"):
        parse_purl_pattern("pkg:py*/urllib3")


def test_other_components_of_the_example_are_untouched() -> None:
    """The example waiver's selectors cover one component each of the whole device."""
    freertos = ComponentSelector(purl="pkg:github/freertos/freertos-kernel", versions="==10.3.1")
    urllib3 = ComponentSelector(purl="pkg:pypi/urllib3", versions="==1.26.4")
    assert [c for c in ALL if selector_matches(freertos, c) is True] == [FREERTOS]
    assert [c for c in ALL if selector_matches(urllib3, c) is True] == [URLLIB3]
    for other in (FREERTOS_TCP, CPYTHON, PYYAML, JINJA2, GO_WINIO, NPM_IS, CARGO_FORM_URLENCODED):
        assert selector_matches(freertos, other) is False
