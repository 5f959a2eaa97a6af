"""Licence and SBOM-quality rules, outcome by outcome, on real inventories.

The example device (its SOUP register, vendored firmware and pinned host requirements) under
mdr-default + licenses-firmware, and components of real SBOMs from tests/assets/sbom (the SPDX
2.3 and CycloneDX 1.4 specification examples, Zephyr's build SBOM, syft's busybox SBOM).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from mdrgate.collect import collect_inputs
from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.collect.sbom import collect_sbom
from mdrgate.config import load_config
from mdrgate.errors import ExitCode, UsageError
from mdrgate.model import Action, Component, Inventory, OutcomeStatus, RuleOutcome
from mdrgate.policy import EvaluationContext, Policy, evaluate, load_policies
from mdrgate.policy.rules import (
    LicenceRule,
    NtiaElementName,
    SbomKnownUnknownsRule,
    SbomNtiaElementsRule,
)

REPO = Path(__file__).resolve().parents[3]
SBOM = REPO / "tests" / "assets" / "sbom"
TODAY = date(2026, 11, 28)
HEAD = 'apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: "1"}\nrules:\n'

PASS, WARN, FAIL, INFO = (
    OutcomeStatus.PASS,
    OutcomeStatus.WARN,
    OutcomeStatus.FAIL,
    OutcomeStatus.INFO,
)
UNDECLARED = "no licence is declared: its terms cannot be checked"
ALL_STATED = (
    "states the NTIA elements checked: supplier name, version, unique identifier (purl or CPE)"
)
NO_SUPPLIER = "lacks the NTIA minimum element: supplier name"
ID_LABEL = "unique identifier (purl or CPE)"
ALL_THREE = "supplier name, version, " + ID_LABEL
ID_STATED = "states the NTIA elements checked: " + ID_LABEL
ID_MISSING = "lacks the NTIA minimum element: " + ID_LABEL
WITHIN = "within the limit"
UNKNOWN = "2 of 7 components (28.6%) without a version: "
TOMCAT = "licence EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0: "
EXCEPTION = "GPL-2.0-only WITH Classpath-exception-2.0"
TOMCAT_NOT_ALLOWED = TOMCAT + "EPL-2.0, " + EXCEPTION + " are not on the allow list"
TOMCAT_DENIED = TOMCAT + "EPL-2.0, " + EXCEPTION + " are denied, and no alternative avoids it"
NONE_STATED = "lacks the NTIA minimum elements: " + ALL_THREE


@cache
def _example() -> EvaluationContext:
    config = load_config(REPO / "examples" / "infusion-pump" / "mdrgate.yml", cwd=REPO)
    inventory, _ = collect_inputs(config.inputs)
    return EvaluationContext(
        product=config.product, inventory=inventory, findings=(), diagnostics=(), today=TODAY
    )


@cache
def _example_outcomes() -> dict[tuple[str, str], RuleOutcome]:
    policy = load_policies(["builtin:mdr-default", "builtin:licenses-firmware"], cwd=REPO)
    verdict = evaluate(policy, _example())
    return {(o.rule_id, o.subject_name): o for o in verdict.outcomes}


def _sbom(*names: str) -> tuple[Component, ...]:
    found: list[Component] = []
    for name in names:
        path = SBOM / name
        found += collect_sbom(InputSpec(InputKind.SBOM, path, path.name)).components
    return tuple(found)


def _policy(tmp_path: Path, rules: str) -> Policy:
    path = tmp_path / "p.yml"
    path.write_text(HEAD + rules, encoding="utf-8")
    return load_policies([str(path)], cwd=tmp_path)


def _run(policy: Policy, components: tuple[Component, ...]) -> list[RuleOutcome]:
    ctx = dataclasses.replace(_example(), inventory=Inventory(components))
    return [o for o in evaluate(policy, ctx).outcomes if o.rule_id.startswith("T-")]


# --- the example device under mdr-default + licenses-firmware ---------------------------------

FIRMWARE_LICENCES = [
    ("FatFs R0.14b", FAIL, "licence LicenseRef-FatFs: LicenseRef-FatFs is not on the allow list"),
    ("newlib 3.3.0", FAIL, "licence LicenseRef-newlib: LicenseRef-newlib is not on the allow list"),
    ("SEGGER RTT 7.54", FAIL, UNDECLARED),
    ("STM32F4xx HAL and LL drivers 1.7.9", FAIL, UNDECLARED),
    ("lwIP 2.1.3", PASS, "licence BSD-3-Clause: allowed"),
    ("CMSIS 5.9.0", PASS, "licence Apache-2.0: allowed"),
    ("cJSON 1.7.15", PASS, "licence MIT: allowed"),
    ("FreeRTOS Kernel 10.3.1", PASS, "licence MIT: allowed"),
    ("FreeRTOS-Plus-TCP 2.3.4", PASS, "licence MIT: allowed"),
    ("Mbed TLS 2.28.3", PASS, "licence Apache-2.0: allowed"),
    ("nanopb 0.4.7", PASS, "licence Zlib: allowed"),
    ("STM32F4xx CMSIS device headers 2.6.5", PASS, "licence BSD-3-Clause: allowed"),
    ("STM32F4 HAL and LL drivers 1.7.13", PASS, "licence BSD-3-Clause: allowed"),
]
HOST_PYPI = [
    "certifi 2020.12.5",
    "cffi 1.14.4",
    "chardet 4.0.0",
    "cryptography 3.3.1",
    "idna 2.10",
    "Jinja2 2.11.2",
    "MarkupSafe 1.1.1",
    "pycparser 2.20",
    "PyYAML 5.3.1",
    "requests 2.25.1",
    "six 1.15.0",
    "urllib3 1.26.4",
]
HOST_LICENCES = [
    ("CPython 3.8.10", PASS, "licence PSF-2.0: allowed"),
    ("pyserial 3.5", PASS, "licence BSD-3-Clause: allowed"),
    *[(name, INFO, UNDECLARED) for name in HOST_PYPI],
]


@pytest.mark.parametrize(("rule_id", "subject", "status", "message"), [
    *[("LIC-FW-001", *row) for row in FIRMWARE_LICENCES],
    *[("LIC-HOST-001", *row) for row in HOST_LICENCES],
    *[("MDR-SBOM-001", name, WARN, NO_SUPPLIER) for name in HOST_PYPI],
    *[("MDR-SBOM-001", name, PASS, ALL_STATED) for name, _, _ in FIRMWARE_LICENCES],
    ("MDR-SBOM-001", "CPython 3.8.10", PASS, ALL_STATED),
    ("MDR-SBOM-001", "pyserial 3.5", PASS, ALL_STATED),
    ("MDR-SBOM-002", "inventory", PASS, "0 of 27 components (0%) without a version: " + WITHIN),
])  # fmt: skip
def test_example_device(rule_id: str, subject: str, status: OutcomeStatus, message: str) -> None:
    found = _example_outcomes()[(rule_id, subject)]
    assert (found.status, found.message) == (status, message)
    if status is not PASS:
        assert found.evidence[-1].startswith("to pass: ")
    else:
        assert not any(line.startswith("to pass") for line in found.evidence)


def test_example_device_every_component_is_judged_once_per_rule() -> None:
    outcomes = _example_outcomes()
    for rule_id, rows in (
        ("LIC-FW-001", FIRMWARE_LICENCES),
        ("LIC-HOST-001", HOST_LICENCES),
    ):
        subjects = sorted(s for r, s in outcomes if r == rule_id)
        assert subjects == sorted(name for name, _, _ in rows)
    assert len([1 for r, _ in outcomes if r == "MDR-SBOM-001"]) == 27


def test_licence_evidence_names_the_terms_and_the_declaration() -> None:
    fatfs = _example_outcomes()[("LIC-FW-001", "FatFs R0.14b")]
    assert fatfs.rule_type == "licence"
    assert fatfs.clause == (
        "licence obligations of distributed firmware; IEC 81001-5-1 4.3 (third-party components)"
    )
    assert fatfs.evidence[:3] == (
        "declared licence: LicenseRef-FatFs",
        "allowed: MIT, BSD-*, Apache-2.0, Zlib, ISC, BSL-1.0, 0BSD",
        "denied: GPL-*, LGPL-*, AGPL-*",
    )
    assert "declared in examples/infusion-pump/firmware/soup.yml:65 (soup-register)" in (
        fatfs.evidence
    )
    assert fatfs.evidence[-1] == (
        "to pass: replace the component, obtain it under an allowed licence, or allow the "
        "licence for this scope in a product policy composed after this one, with the decision "
        "documented"
    )
    rtt = _example_outcomes()[("LIC-FW-001", "SEGGER RTT 7.54")]
    assert rtt.evidence[0] == "declared licence: none"
    assert rtt.evidence[-1] == (
        "to pass: state the licence (SPDX id or expression) in the SOUP register's 'license' "
        "field or in the component's SBOM entry"
    )


def test_product_override_allows_its_licenseref_keys(tmp_path: Path) -> None:
    # The override the licenses-firmware header documents: FatFs and newlib pass after review.
    override = tmp_path / "aurora.yml"
    override.write_text(
        HEAD + "  - id: LIC-FW-001\n    type: licence\n    action: fail\n"
        "    clause: licence review LR-014\n    scope: {component_class: [firmware]}\n"
        "    allow: [MIT, BSD-*, Apache-2.0, Zlib, ISC, BSL-1.0, 0BSD, LicenseRef-FatFs, "
        "LicenseRef-newlib]\n    deny: [GPL-*, LGPL-*, AGPL-*]\n    undeclared: fail\n",
        encoding="utf-8",
    )
    policy = load_policies(
        ["builtin:mdr-default", "builtin:licenses-firmware", str(override)], cwd=tmp_path
    )
    verdict = evaluate(policy, _example())
    failing = sorted(
        o.subject_name
        for o in verdict.outcomes
        if o.rule_id == "LIC-FW-001" and o.status is not PASS
    )
    assert failing == ["SEGGER RTT 7.54", "STM32F4xx HAL and LL drivers 1.7.9"]


# --- licence rule on real SBOM components -----------------------------------------------------

REAL_SBOMS = (
    "cyclonedx/spec/valid-license-expression-1.4.xml",  # tomcat-catalina 9.0.14
    "spdx/spec/SPDXJSONExample-v2.3.spdx.json",  # Apache Commons Lang, Saxon 8.8, Jena 3.12.0
    "spdx/yocto/recipe-shadow.spdx.json",  # shadow 4.14.2
    "spdx/tools/syft-busybox.spdx.json",  # busybox 1.35.0
    "spdx/zephyr/zephyr.spdx.tag",  # zephyr-sources (no version)
)


@pytest.mark.parametrize(("terms", "expected"), [
    (
        "    allow: [MIT, BSD-*, Apache-2.0]\n    deny: [GPL-*]\n    undeclared: warn\n",
        {
            "tomcat-catalina 9.0.14": (FAIL, TOMCAT_NOT_ALLOWED),
            "Apache Commons Lang (version unknown)": (WARN, UNDECLARED),
            "Saxon 8.8": (FAIL, "licence MPL-1.0: MPL-1.0 is not on the allow list"),
            "Jena 3.12.0": (WARN, UNDECLARED),
            "shadow 4.14.2": (PASS, "licence BSD-3-Clause: allowed"),
            "busybox 1.35.0": (WARN, UNDECLARED),
            "zephyr-sources (version unknown)": (PASS, "licence Apache-2.0: allowed"),
        },
    ),
    (
        "    deny: [EPL-*, GPL-*]\n    undeclared: pass\n",
        {
            "tomcat-catalina 9.0.14": (FAIL, TOMCAT_DENIED),
            "Apache Commons Lang (version unknown)": (PASS, UNDECLARED),
            "Saxon 8.8": (PASS, "licence MPL-1.0: allowed"),
            "Jena 3.12.0": (PASS, UNDECLARED),
            "shadow 4.14.2": (PASS, "licence BSD-3-Clause: allowed"),
            "busybox 1.35.0": (PASS, UNDECLARED),
            "zephyr-sources (version unknown)": (PASS, "licence Apache-2.0: allowed"),
        },
    ),
    (
        # The exception allowed by name beats the deny of GPL-*: tomcat passes choosing it (the
        # deprecated id GPL-2.0, in the pattern and in the SBOM, is read as GPL-2.0-only).
        "    allow: [GPL-2.0 WITH Classpath-exception-2.0, BSD-3-Clause]\n    deny: [GPL-*]\n"
        "    undeclared: info\n",
        {
            "tomcat-catalina 9.0.14": (PASS, TOMCAT + "allowed (choosing " + EXCEPTION + ")"),
            "Apache Commons Lang (version unknown)": (INFO, UNDECLARED),
            "Saxon 8.8": (FAIL, "licence MPL-1.0: MPL-1.0 is not on the allow list"),
            "Jena 3.12.0": (INFO, UNDECLARED),
            "shadow 4.14.2": (PASS, "licence BSD-3-Clause: allowed"),
            "busybox 1.35.0": (INFO, UNDECLARED),
            "zephyr-sources (version unknown)": (
                FAIL, "licence Apache-2.0: Apache-2.0 is not on the allow list"
            ),
        },
    ),
    (
        # Deprecated ids on the deny list deny what the SBOM declares with them: no silent pass.
        "    deny: [GPL-2.0, EPL-2.0]\n    undeclared: pass\n",
        {
            "tomcat-catalina 9.0.14": (FAIL, TOMCAT_DENIED),
            "Apache Commons Lang (version unknown)": (PASS, UNDECLARED),
            "Saxon 8.8": (PASS, "licence MPL-1.0: allowed"),
            "Jena 3.12.0": (PASS, UNDECLARED),
            "shadow 4.14.2": (PASS, "licence BSD-3-Clause: allowed"),
            "busybox 1.35.0": (PASS, UNDECLARED),
            "zephyr-sources (version unknown)": (PASS, "licence Apache-2.0: allowed"),
        },
    ),
])  # fmt: skip
def test_licence_rule_on_real_sbom_components(
    tmp_path: Path, terms: str, expected: dict[str, tuple[OutcomeStatus, str]]
) -> None:
    policy = _policy(tmp_path, "  - id: T-LIC\n    type: licence\n    action: fail\n" + terms)
    outcomes = _run(policy, _sbom(*REAL_SBOMS))
    assert {o.subject_name: (o.status, o.message) for o in outcomes} == expected
    assert len(outcomes) == len(expected)


def test_unreadable_licence_gets_its_own_outcome(tmp_path: Path) -> None:
    (shadow,) = _sbom("spdx/yocto/recipe-shadow.spdx.json")
    garbled = dataclasses.replace(shadow, licenses=("BSD-3-Clause AND OR MIT",))
    rule = "  - id: T-LIC\n    type: licence\n    action: fail\n    allow: [BSD-*, MIT]\n"
    default = _run(_policy(tmp_path, rule + "    undeclared: warn\n"), (garbled,))
    (judged,) = default
    assert judged.status is FAIL
    assert judged.message.startswith(
        "licence 'BSD-3-Clause AND OR MIT' cannot be judged: not an SPDX licence expression ("
    )
    assert judged.evidence[-1] == (
        "to pass: write the licence as an SPDX expression (e.g. 'MIT OR Apache-2.0'; "
        "LicenseRef-NAME for a licence without an SPDX id)"
    )
    (relaxed,) = _run(
        _policy(tmp_path, rule + "    undeclared: warn\n    unreadable: info\n"), (garbled,)
    )
    assert relaxed.status is INFO


def test_scope_keeps_the_licence_rule_to_its_components(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        "  - id: T-LIC\n    type: licence\n    action: fail\n    deny: [GPL-*]\n"
        "    undeclared: warn\n    scope: {component_class: [host]}\n",
    )
    components = _sbom(*REAL_SBOMS)
    judged = {o.subject for o in _run(policy, components)}
    assert judged == {c.bom_ref for c in components if c.component_class.value == "host"}
    assert judged  # the SBOMs hold host components (tomcat-catalina, Jena)


# --- SBOM quality on real SBOM components ------------------------------------------------------


@pytest.mark.parametrize(("elements", "expected"), [
    (
        "",
        {
            "tomcat-catalina 9.0.14": (PASS, ALL_STATED),
            "Apache Commons Lang (version unknown)": (WARN, NONE_STATED),
            "Saxon 8.8": (WARN, "lacks the NTIA minimum elements: supplier name, " + ID_LABEL),
            "Jena 3.12.0": (WARN, NO_SUPPLIER),
            "shadow 4.14.2": (PASS, ALL_STATED),
            "busybox 1.35.0": (PASS, ALL_STATED),
            "zephyr-sources (version unknown)": (WARN, "lacks the NTIA minimum element: version"),
        },
    ),
    (
        # Components without purl or CPE.
        "    elements: [identifier]\n",
        {
            "tomcat-catalina 9.0.14": (PASS, ID_STATED),
            "Apache Commons Lang (version unknown)": (WARN, ID_MISSING),
            "Saxon 8.8": (WARN, ID_MISSING),
            "Jena 3.12.0": (PASS, ID_STATED),
            "shadow 4.14.2": (PASS, ID_STATED),
            "busybox 1.35.0": (PASS, ID_STATED),
            "zephyr-sources (version unknown)": (PASS, ID_STATED),
        },
    ),
])  # fmt: skip
def test_ntia_elements_on_real_sbom_components(
    tmp_path: Path, elements: str, expected: dict[str, tuple[OutcomeStatus, str]]
) -> None:
    policy = _policy(
        tmp_path, "  - id: T-NTIA\n    type: sbom-ntia-elements\n    action: warn\n" + elements
    )
    outcomes = _run(policy, _sbom(*REAL_SBOMS))
    assert {o.subject_name: (o.status, o.message) for o in outcomes} == expected
    assert len(outcomes) == len(expected)


def test_ntia_evidence_shows_what_is_stated_and_how_to_pass(tmp_path: Path) -> None:
    policy = _policy(tmp_path, "  - id: T-NTIA\n    type: sbom-ntia-elements\n    action: fail\n")
    (saxon,) = [o for o in _run(policy, _sbom(REAL_SBOMS[1])) if o.subject_name == "Saxon 8.8"]
    assert saxon.status is FAIL
    assert saxon.evidence[:3] == ("supplier: none", "version: 8.8", "identifier: none")
    assert saxon.evidence[-1] == (
        "to pass: name the supplier (the SOUP register's 'supplier', or the component's "
        "supplier in an imported SBOM); give a purl or a CPE (the SOUP register's 'purl'/'cpe')"
    )


@pytest.mark.parametrize(("limits", "status", "message"), [
    ("    max_unknown: 2\n", PASS, UNKNOWN + WITHIN),
    ("    max_unknown: 1\n", FAIL, UNKNOWN + "more than 1 (known unknowns)"),
    ("    max_unknown_ratio: 0.3\n", PASS, UNKNOWN + WITHIN),
    ("    max_unknown_ratio: 0.25\n", FAIL, UNKNOWN + "more than 25% (known unknowns)"),
    ("    max_unknown: 0\n    max_unknown_ratio: 0.05\n", FAIL,
     UNKNOWN + "more than 0 and more than 5% (known unknowns)"),
    ("    max_unknown: 5\n    max_unknown_ratio: 0.1\n", FAIL,
     UNKNOWN + "more than 10% (known unknowns)"),
])  # fmt: skip
def test_known_unknowns_on_real_sbom_components(
    tmp_path: Path, limits: str, status: OutcomeStatus, message: str
) -> None:
    policy = _policy(
        tmp_path, "  - id: T-UNK\n    type: sbom-known-unknowns\n    action: fail\n" + limits
    )
    (judged,) = _run(policy, _sbom(*REAL_SBOMS))
    assert (judged.subject, judged.status, judged.message) == ("inventory", status, message)
    assert [e for e in judged.evidence if e.startswith("version unknown")] == [
        "version unknown: Apache Commons Lang [firmware:Apache Commons Lang@unknown]",
        "version unknown: zephyr-sources [pkg:github/zephyrproject-rtos/zephyr]",
    ]
    assert judged.evidence[-1].startswith("to pass: ") is (status is not PASS)


def test_known_unknowns_counts_only_components_in_scope(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        "  - id: T-UNK\n    type: sbom-known-unknowns\n    action: fail\n    max_unknown: 0\n"
        "    scope: {component_class: [host]}\n",
    )
    (judged,) = _run(policy, _sbom(*REAL_SBOMS))
    assert (judged.status, judged.message) == (
        PASS,
        "0 of 2 components (0%) without a version: within the limit",
    )


# --- reading the parameters ---------------------------------------------------------------------


def test_parameters_are_read(tmp_path: Path) -> None:
    (rule,) = _policy(
        tmp_path,
        "  - id: A\n    type: licence\n    action: fail\n    allow: [MIT, BSD-*]\n"
        "    deny: [GPL-*]\n    undeclared: pass\n    unreadable: warn\n",
    ).rules
    assert isinstance(rule, LicenceRule)
    assert (rule.allow, rule.deny, rule.undeclared, rule.unreadable) == (
        ("MIT", "BSD-*"),
        ("GPL-*",),
        None,
        Action.WARN,
    )
    assert rule.clause == "licence obligations of third-party components (IEC 81001-5-1 4.3)"
    (rule,) = _policy(tmp_path, "  - id: A\n    type: sbom-ntia-elements\n    action: warn\n").rules
    assert isinstance(rule, SbomNtiaElementsRule)
    assert rule.elements == (
        NtiaElementName.SUPPLIER,
        NtiaElementName.VERSION,
        NtiaElementName.IDENTIFIER,
    )
    (rule,) = _policy(
        tmp_path,
        "  - id: A\n    type: sbom-known-unknowns\n    action: warn\n    max_unknown_ratio: 0.1\n",
    ).rules
    assert isinstance(rule, SbomKnownUnknownsRule)
    assert (rule.max_unknown, rule.max_unknown_ratio) == (None, 0.1)


@pytest.mark.parametrize(("rules", "expected"), [
    (
        "  - id: X\n    type: licence\n    action: fail\n    allow: [1]\n    undeclared: warn\n",
        "p.yml:8: rules[0].allow[0]: expected a string, got integer 1",
    ),
    (
        "  - id: X\n    type: licence\n    action: fail\n    deny: [GPL-2.0 OR MIT]\n"
        "    undeclared: warn\n",
        "p.yml:8: rules[0].deny[0]: expected an SPDX licence id or pattern",
    ),
    (
        "  - id: X\n    type: licence\n    action: fail\n    allow: MIT\n    undeclared: warn\n",
        "p.yml:8: rules[0].allow:",
    ),
    (
        "  - id: X\n    type: licence\n    action: fail\n    allow: [MIT]\n",
        "p.yml:5: rules[0]: missing required key 'undeclared'",
    ),
    (
        "  - id: X\n    type: licence\n    action: fail\n    undeclared: warn\n",
        "p.yml:5: rules[0]: expected 'allow' and/or 'deny'",
    ),
    (
        "  - id: X\n    type: licence\n    action: fail\n    allow: [MIT, GPL-3.0-only]\n"
        "    deny: [GPL-*]\n    undeclared: warn\n",
        "p.yml:8: rules[0].allow[1]: 'GPL-3.0-only' is allowed, but the deny pattern 'GPL-*' "
        "covers it",
    ),
    (
        "  - id: X\n    type: sbom-ntia-elements\n    action: warn\n"
        "    elements: [supplier, name]\n",
        "p.yml:8: rules[0].elements[1]: expected one of 'supplier', 'version', 'identifier'",
    ),
    (
        "  - id: X\n    type: sbom-known-unknowns\n    action: warn\n    max_unknown: -1\n",
        "p.yml:8: rules[0].max_unknown: expected a number from 0 to 100000, got integer -1",
    ),
    (
        "  - id: X\n    type: sbom-known-unknowns\n    action: warn\n    max_unknown_ratio: 1.5\n",
        "p.yml:8: rules[0].max_unknown_ratio: expected a number from 0 to 1, got number 1.5",
    ),
    (
        "  - id: X\n    type: sbom-known-unknowns\n    action: warn\n",
        "p.yml:5: rules[0]: expected 'max_unknown' and/or 'max_unknown_ratio'",
    ),
])  # fmt: skip
def test_malformed_parameters_exit_2_with_file_and_line(
    tmp_path: Path, rules: str, expected: str
) -> None:
    with pytest.raises(UsageError) as caught:
        _policy(tmp_path, rules)
    assert expected in str(caught.value)
    assert caught.value.exit_code is ExitCode.USAGE


def test_schema_describes_every_parameter() -> None:
    from mdrgate.validation import packaged_schema

    schema = packaged_schema("policies", "schema", "policy.schema.json")
    ours = {"licence", "sbom-ntia-elements", "sbom-known-unknowns"}
    described = {}
    for branch in schema["$defs"]["rule"]["allOf"][1:]:
        rule_type = branch["if"]["properties"]["type"]["const"]
        if rule_type in ours:
            described[rule_type] = sorted(branch["then"]["properties"])
            for name, spec in branch["then"]["properties"].items():
                assert spec.get("description"), name
    assert described == {
        "licence": ["allow", "deny", "undeclared", "unreadable"],
        "sbom-ntia-elements": ["elements"],
        "sbom-known-unknowns": ["max_unknown", "max_unknown_ratio"],
    }
