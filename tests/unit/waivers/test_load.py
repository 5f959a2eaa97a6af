"""waivers.yml → Assessment values; every incomplete or contradictory waiver is refused, located."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from mdrgate.errors import ExitCode, UsageError
from mdrgate.model.assessment import (
    Assessment,
    AssessmentKind,
    AssessmentSource,
    ComponentSelector,
    Justification,
    VexStatus,
)
from mdrgate.policy.waivers import load_waivers
from mdrgate.validation import packaged_schema

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "infusion-pump" / "waivers.yml"
TODAY = date(2026, 11, 28)

# A valid file: the example device's expired urllib3 waiver, one line per key so that tests can
# replace or drop a line. Line numbers: the waiver starts at line 4.
HEAD = "apiVersion: mdrgate/v1\nkind: Waivers\nwaivers:\n"
WAIVER = {
    "id": "  - id: WVR-2025-003",  # line 4
    "vulnerability": "    vulnerability: PYSEC-2021-108",  # 5
    "components": "    components:",  # 6
    "purl": "      - purl: pkg:pypi/urllib3",  # 7
    "versions": '        versions: "==1.26.4"',  # 8
    "status": "    status: not_affected",  # 9
    "justification": "    justification: vulnerable_code_cannot_be_controlled_by_adversary",  # 10
    "impact": "    impact: Only URLs built from the pump's fixed service address are opened.",  # 11
    "approver": "    approver: Dr. Jana Novak, Head of Product Security",  # 12
    "approved": "    approved: 2025-05-12",  # 13
    "expires": "    expires: 2026-05-31",  # 14
    "links": "    links: [CAPA-2025-031]",  # 15
}


def _text(**changes: str | None) -> str:
    """The valid file with lines replaced (a string) or dropped (None)."""
    lines = dict(WAIVER)
    for key, value in changes.items():
        if value is None:
            lines.pop(key)
        else:
            lines[key] = value
    return HEAD + "\n".join(lines.values()) + "\n"


def _load(tmp_path: Path, text: str, today: date = TODAY) -> tuple[Assessment, ...]:
    path = tmp_path / "waivers.yml"
    path.write_text(text, encoding="utf-8")
    return load_waivers(path, display="waivers.yml", today=today)


def _refused(tmp_path: Path, text: str, today: date = TODAY) -> str:
    with pytest.raises(UsageError) as caught:
        _load(tmp_path, text, today)
    assert caught.value.exit_code is ExitCode.USAGE
    return caught.value.diagnostics()


def test_valid_waiver_becomes_an_assessment(tmp_path: Path) -> None:
    text = _text()
    (waiver,) = _load(tmp_path, text)
    assert waiver == Assessment(
        id="WVR-2025-003",
        vulnerability="PYSEC-2021-108",
        status=VexStatus.NOT_AFFECTED,
        components=(ComponentSelector(purl="pkg:pypi/urllib3", versions="==1.26.4"),),
        source=AssessmentSource(
            kind=AssessmentKind.WAIVER,
            path="waivers.yml",
            line=4,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        ),
        justification=Justification.VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY,
        impact="Only URLs built from the pump's fixed service address are opened.",
        approver="Dr. Jana Novak, Head of Product Security",
        approved_on=date(2025, 5, 12),
        expires_on=date(2026, 5, 31),
        links=("CAPA-2025-031",),
    )
    # Loaded although expired: an expired waiver is a record, and a violation for policy to report.
    assert waiver.expired(TODAY)
    assert waiver.source.location() == "waivers.yml:4"


def test_example_device_waivers() -> None:
    waivers = load_waivers(EXAMPLE, display="examples/infusion-pump/waivers.yml", today=TODAY)
    assert [
        (w.id, w.vulnerability, w.status, w.components, w.source.line, w.expired(TODAY))
        for w in waivers
    ] == [
        (
            "WVR-2026-007",
            "CVE-2021-31571",
            VexStatus.AFFECTED,
            (ComponentSelector(purl="pkg:github/freertos/freertos-kernel", versions="==10.3.1"),),
            9,
            False,
        ),
        (
            "WVR-2025-003",
            "PYSEC-2021-108",
            VexStatus.NOT_AFFECTED,
            (ComponentSelector(purl="pkg:pypi/urllib3", versions="==1.26.4"),),
            31,
            True,
        ),
    ]
    freertos = waivers[0]
    assert freertos.action is not None and freertos.action.startswith(
        "Update the FreeRTOS Kernel to 10.4.3"
    )
    assert freertos.links == (
        "https://tracker.example-medical.test/browse/AIP-2291",
        "RMF-IP300 hazard H-SEC-014",
        "CR-2291",
    )
    assert (freertos.approved_on, freertos.expires_on) == (date(2026, 10, 2), date(2027, 3, 31))


def test_empty_list_and_every_selector_kind(tmp_path: Path) -> None:
    assert _load(tmp_path, HEAD.replace("waivers:\n", "waivers: []\n")) == ()
    selectors = (
        "      - purl: pkg:github/freertos/*\n"
        '        versions: ">=10.0,<10.4.3"\n'
        "      - cpe: cpe:2.3:o:amazon:freertos:10.3.1:*:*:*:*:*:*:*\n"
        '        versions: "==10.3.1"\n'
        "      - name: FreeRTOS Kernel\n"
        "        cpe: amazon:freertos\n"
        '        versions: "<10.4.3 || ==10.4.3-rc1"'
    )
    (waiver,) = _load(
        tmp_path,
        _text(
            vulnerability="    vulnerability: CVE-2021-31571",
            purl=selectors,
            versions=None,
            status="    status: affected",
            justification=None,
            action="    action: Update to 10.4.3 in release 2.5.0.",
        ),
    )
    assert waiver.components == (
        ComponentSelector(purl="pkg:github/freertos/*", versions=">=10.0,<10.4.3"),
        ComponentSelector(
            cpe="cpe:2.3:o:amazon:freertos:10.3.1:*:*:*:*:*:*:*", versions="==10.3.1"
        ),
        ComponentSelector(
            cpe="amazon:freertos", name="FreeRTOS Kernel", versions="<10.4.3 || ==10.4.3-rc1"
        ),
    )
    assert (waiver.status, waiver.action, waiver.justification) == (
        VexStatus.AFFECTED,
        "Update to 10.4.3 in release 2.5.0.",
        None,
    )


def test_not_affected_with_impact_alone_and_fixed_without_statements(tmp_path: Path) -> None:
    (waiver,) = _load(tmp_path, _text(justification=None))
    assert (waiver.justification, waiver.impact) == (
        None,
        "Only URLs built from the pump's fixed service address are opened.",
    )
    (waiver,) = _load(
        tmp_path, _text(status="    status: fixed", justification=None, impact=None, links=None)
    )
    assert (waiver.status, waiver.impact, waiver.links) == (VexStatus.FIXED, None, ())


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"approver": None},
            "waivers.yml:4: waivers[0]: missing required key 'approver'\n"
            "  hint: name the person who approved the waiver; mdrgate never assumes an approver",
        ),
        (
            {"expires": None},
            "waivers.yml:4: waivers[0]: missing required key 'expires'\n"
            "  hint: give an expiry date (YYYY-MM-DD) after the approval date; a waiver without "
            "expiry is never accepted",
        ),
        (
            {"approved": None},
            "waivers.yml:4: waivers[0]: missing required key 'approved'\n"
            "  hint: give the approval date (YYYY-MM-DD)",
        ),
        (
            {"approver": '    approver: "  "'},
            "waivers.yml:12: waivers[0].approver: expected some text (not blank), got string '  '",
        ),
        (
            {"approver": "    approver:"},
            "waivers.yml:12: waivers[0].approver: expected a string, got nothing (null)",
        ),
        (
            {"expires": "    expires: 31.05.2026"},
            "waivers.yml:14: waivers[0].expires: expected a calendar date YYYY-MM-DD, "
            "got string '31.05.2026'",
        ),
        (
            {"expires": "    expires: 2026-02-30"},
            "waivers.yml:14: waivers[0].expires: expected a calendar date YYYY-MM-DD, "
            "got '2026-02-30'",
        ),
        (
            {"versions": None},
            "waivers.yml:7: waivers[0].components[0]: missing required key 'versions'\n"
            "  hint: state the versions the waiver covers, e.g. '==1.26.4' or '>=10.0,<10.4.3'; "
            "a waiver never covers every version by default",
        ),
        (
            {"purl": "      - versions: '==1.26.4'", "versions": None},
            "waivers.yml:7: waivers[0].components[0]: expected a selector with a purl, a cpe or "
            "a name besides its versions, got a mapping",
        ),
        (
            {"components": "    components: []", "purl": None, "versions": None},
            "waivers.yml:6: waivers[0].components: expected at least 1 item(s), got a list of "
            "0 items",
        ),
        (
            {"links": "    link: [CAPA-2025-031]"},
            "waivers.yml:15: waivers[0].link: unknown key (allowed keys: action, approved, "
            "approver, components, expires, id, impact, justification, links, status, "
            "vulnerability)\n"
            "  hint: did you mean 'links'?",
        ),
        (
            {"versions": '        versions: "==1.26.4"\n        version: "1.26.4"'},
            "waivers.yml:9: waivers[0].components[0].version: unknown key (allowed keys: cpe, "
            "name, purl, versions)\n"
            "  hint: did you mean 'versions'?",
        ),
        (
            {"status": "    status: affected", "justification": None},
            "waivers.yml:4: waivers[0]: missing required key 'action'\n"
            "  hint: an 'affected' waiver states the action taken or planned (CISA action "
            "statement)",
        ),
        (
            {"justification": None, "impact": None},
            "waivers.yml:4: waivers[0]: expected a 'justification' (a CISA code) or an 'impact' "
            "statement with status not_affected, got a mapping",
        ),
        (
            {"status": "    status: fixed"},
            "waivers.yml:10: waivers[0].justification: expected no justification: a "
            "justification explains status not_affected only, got string "
            "'vulnerable_code_cannot_be_controlled_by_adversary'",
        ),
        (
            {"justification": "    justification: not_reachable"},
            "waivers.yml:10: waivers[0].justification: expected one of 'component_not_present', "
            "'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', "
            "'vulnerable_code_cannot_be_controlled_by_adversary', "
            "'inline_mitigations_already_exist', got string 'not_reachable'",
        ),
        (
            {"status": "    status: wontfix"},
            "waivers.yml:9: waivers[0].status: expected one of 'not_affected', 'affected', "
            "'fixed', 'under_investigation', got string 'wontfix'\n"
            "  hint: did you mean 'fixed'?",
        ),
        (
            {"vulnerability": "    vulnerability: CVE 2021 33503"},
            "waivers.yml:5: waivers[0].vulnerability: expected an advisory id or alias without "
            "blanks, e.g. CVE-2021-31571, got string 'CVE 2021 33503'",
        ),
        (
            {"id": "  - id: waiver 3"},
            "waivers.yml:4: waivers[0].id: expected a waiver id made of letters, digits, '.', "
            "'_' and '-', e.g. WVR-2026-001, got string 'waiver 3'",
        ),
        (
            {"versions": "        versions: 1.26"},
            "waivers.yml:8: waivers[0].components[0].versions: expected a string, got number 1.26"
            "\n  hint: put it in quotes so YAML keeps it as text (2.10 would otherwise become 2.1)",
        ),
    ],
)
def test_schema_refusals(tmp_path: Path, changes: dict[str, str | None], expected: str) -> None:
    assert _refused(tmp_path, _text(**changes)) == expected


def test_refusal_names_how_many_more_problems(tmp_path: Path) -> None:
    assert _refused(tmp_path, _text(approver=None, expires=None)) == (
        "waivers.yml:4: waivers[0]: missing required key 'approver'\n"
        "  hint: name the person who approved the waiver; mdrgate never assumes an approver; "
        "1 more problem in this waivers file"
    )


@pytest.mark.parametrize(
    ("changes", "today", "expected"),
    [
        (
            {"expires": "    expires: 2025-05-01"},
            TODAY,
            "waivers.yml:14: waivers[0].expires: the waiver expires on 2025-05-01, before it was "
            "approved (2025-05-12)\n  hint: the expiry date must come after the approval date",
        ),
        (
            {"expires": "    expires: 2025-05-12"},
            TODAY,
            "waivers.yml:14: waivers[0].expires: the waiver expires on 2025-05-12, the day it was "
            "approved (2025-05-12)\n  hint: the expiry date must come after the approval date",
        ),
        (
            {"approved": "    approved: 2026-11-29", "expires": "    expires: 2027-11-29"},
            TODAY,
            "waivers.yml:13: waivers[0].approved: the approval date 2026-11-29 is in the future "
            "(today is 2026-11-28)\n"
            "  hint: a waiver counts from its approval; write the date it was approved",
        ),
        (
            {},
            date(2025, 5, 11),
            "waivers.yml:13: waivers[0].approved: the approval date 2025-05-12 is in the future "
            "(today is 2025-05-11)\n"
            "  hint: a waiver counts from its approval; write the date it was approved",
        ),
        (
            {"versions": '        versions: ">=1.26,<1.26.5,"'},
            TODAY,
            "waivers.yml:8: waivers[0].components[0].versions: '>=1.26,<1.26.5,': an empty "
            "clause (two commas, or a comma at an end)\n"
            "  hint: write clauses ==V, !=V, <V, <=V, >V, >=V joined by ',' (all hold) or '||' "
            "(any holds), e.g. '>=1.0,<1.26.5'",
        ),
        (
            {"versions": '        versions: "~=1.26"'},
            TODAY,
            "waivers.yml:8: waivers[0].components[0].versions: '~=1.26': the operator '~=' is "
            "not part of the range language (== != < <= > >=); write both bounds: '>=2.25,<3' "
            "for '~=2.25'\n"
            "  hint: write clauses ==V, !=V, <V, <=V, >V, >=V joined by ',' (all hold) or '||' "
            "(any holds), e.g. '>=1.0,<1.26.5'",
        ),
        (
            {"versions": '        versions: "==1.26.x"'},
            TODAY,
            "waivers.yml:8: waivers[0].components[0].versions: '==1.26.x' is not a valid "
            "PEP 440 version specifier\n"
            "  hint: versions of pkg:pypi components are compared as PEP 440 versions; write "
            "the bounds as such",
        ),
        (
            {
                "purl": "      - purl: pkg:github/freertos/freertos-kernel",
                "versions": '        versions: "<=latest"',
            },
            TODAY,
            "waivers.yml:8: waivers[0].components[0].versions: 'latest' in '<=latest' is not a "
            "valid firmware version\n"
            "  hint: versions of pkg:github components are compared as firmware versions; write "
            "the bounds as such",
        ),
        (
            {"purl": "      - name: urllib3", "versions": '        versions: "<=latest"'},
            TODAY,
            "waivers.yml:8: waivers[0].components[0].versions: 'latest' in '<=latest' is not a "
            "valid firmware version\n"
            "  hint: no version scheme mdrgate knows reads this bound; write a release number",
        ),
        (
            {"versions": '        versions: "1.26.4"'},
            TODAY,
            "waivers.yml:8: waivers[0].components[0].versions: '1.26.4': '1.26.4' has no "
            "operator; write '==1.26.4' for that version only\n"
            "  hint: write clauses ==V, !=V, <V, <=V, >V, >=V joined by ',' (all hold) or '||' "
            "(any holds), e.g. '>=1.0,<1.26.5'",
        ),
        (
            {"purl": "      - purl: pkg:pypi/urllib3@1.26.*"},
            TODAY,
            "waivers.yml:7: waivers[0].components[0].purl: 'pkg:pypi/urllib3@1.26.*': a purl "
            "version pins one version; drop it and state the range in 'versions'\n"
            "  hint: write a package URL such as pkg:pypi/urllib3 or pkg:github/freertos/*",
        ),
        (
            {
                "purl": "      - purl: pkg:pypi/urllib3@1.26.4",
                "versions": '        versions: ">=2"',
            },
            TODAY,
            "waivers.yml:8: waivers[0].components[0].versions: the purl pins version 1.26.4, "
            "which versions '>=2' excludes: the selector could cover nothing\n"
            "  hint: drop the version from the purl, or correct the range",
        ),
        (
            {
                "purl": "      - purl: pkg:github/freertos/freertos-kernel@main",
                "versions": '        versions: ">=10"',
            },
            TODAY,
            "waivers.yml:7: waivers[0].components[0].purl: the pinned version: 'main' is not a "
            "valid firmware version",
        ),
        (
            {"purl": "      - purl: pkg:pypi"},
            TODAY,
            "waivers.yml:7: waivers[0].components[0].purl: 'pkg:pypi' is not a package URL "
            "(pkg:TYPE/[NAMESPACE/]NAME[@VERSION])\n"
            "  hint: write a package URL such as pkg:pypi/urllib3 or pkg:github/freertos/*",
        ),
        (
            {"purl": "      - cpe: cpe:2.3:a:urllib3:urllib3"},
            TODAY,
            "waivers.yml:7: waivers[0].components[0].cpe: 'cpe:2.3:a:urllib3:urllib3': a CPE "
            "2.3 formatted string has 11 attributes after 'cpe:2.3:', found 3\n"
            "  hint: write a CPE 2.3 name (cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:*) or "
            "vendor:product",
        ),
    ],
)
def test_semantic_refusals(
    tmp_path: Path, changes: dict[str, str | None], today: date, expected: str
) -> None:
    assert _refused(tmp_path, _text(**changes), today) == expected


def test_duplicate_id_names_the_first(tmp_path: Path) -> None:
    body = "\n".join(WAIVER.values())
    assert _refused(tmp_path, HEAD + body + "\n" + body + "\n") == (
        "waivers.yml:16: waivers[1].id: waiver id 'WVR-2025-003' is used twice (first at line 4)"
        "\n  hint: give every waiver its own id; reports and audits refer to waivers by id"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: mdrgate/v1\nkind: Policy\nwaivers: []\n",
            "waivers.yml:2: kind: expected 'Waivers', got string 'Policy'",
        ),
        (
            "apiVersion: mdrgate/v1\nkind: Waivers\n",
            "waivers.yml:1: missing required key 'waivers'",
        ),
        (
            "apiVersion: mdrgate/v1\nkind: Waivers\nwaivers: []\nwaiver: []\n",
            "waivers.yml:4: waiver: unknown key (allowed keys: apiVersion, kind, waivers)\n"
            "  hint: did you mean 'waivers'?",
        ),
        (
            "apiVersion: mdrgate/v1\nkind: Waivers\nwaivers: [\n",
            "waivers.yml:4: invalid YAML: expected the node content, but found '<stream end>'",
        ),
    ],
)
def test_document_refusals(tmp_path: Path, text: str, expected: str) -> None:
    assert _refused(tmp_path, text) == expected


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_waivers(tmp_path / "nope.yml", display="nope.yml", today=TODAY)
    assert caught.value.diagnostics() == "nope.yml: file not found"


def test_schema_is_packaged_and_documents_every_key() -> None:
    schema = packaged_schema("policies", "schema", "waivers.schema.json")
    waiver = schema["$defs"]["waiver"]
    assert set(waiver["required"]) == {
        "id",
        "vulnerability",
        "components",
        "status",
        "approver",
        "approved",
        "expires",
    }
    for defn in (waiver, schema["$defs"]["selector"]):
        for key, prop in defn["properties"].items():
            assert prop.get("description"), key


def test_a_selector_without_purl_may_use_any_scheme_bounds(tmp_path: Path) -> None:
    # a Go pseudo-version is no firmware version, but the Go scheme reads it; the component's own
    # scheme decides when the waiver is matched
    selector = (
        "      - name: github.com/AdaLogics/go-fuzz-headers\n"
        '        versions: "<=v0.0.0-20210715213245-6c3934b029d8"'
    )
    (waiver,) = _load(tmp_path, _text(purl=selector, versions=None))
    assert waiver.components == (
        ComponentSelector(
            name="github.com/AdaLogics/go-fuzz-headers",
            versions="<=v0.0.0-20210715213245-6c3934b029d8",
        ),
    )
