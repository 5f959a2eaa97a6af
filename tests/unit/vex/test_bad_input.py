"""Malformed VEX documents: each refused with exit 2, its line, JSON pointer and the fix.

Every case starts from a real published document (tests/assets/vex) and breaks one thing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mdrgate.errors import ExitCode, UsageError
from mdrgate.vex import load_vex
from tests.unit.vex.support import load_asset

CISA_VULN = (
    "the statement names no vulnerability (CISA VEX minimum: every statement identifies one)"
)
CISA_PRODUCT = (
    "the statement names no product "
    "(CISA VEX minimum: every statement names the products it is about)"
)
CISA_STATUS = "the statement has no status (CISA VEX minimum: every statement states one)"


def _openvex(change: Callable[[dict[str, Any]], Any]) -> Any:
    doc = load_asset("openvex/demo.vex.json")
    change(doc["statements"][0])
    return doc


def _cyclonedx(change: Callable[[dict[str, Any]], Any]) -> Any:
    doc = load_asset("cyclonedx/vex-not_affected.json")
    change(doc["vulnerabilities"][0])
    return doc


def _csaf(change: Callable[[dict[str, Any]], Any]) -> Any:
    doc = load_asset("csaf/2022-evd-uc-01-na-001.json")
    change(doc)
    return doc


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d.__setitem__(key, value)


def _pop(*keys: str) -> Callable[[dict[str, Any]], Any]:
    return lambda d: [d.pop(k) for k in keys]


def _vuln0(change: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    return lambda d: change(d["vulnerabilities"][0])


CASES: list[tuple[str, Any, str]] = [
    # --- OpenVEX: each CISA minimum, a wrong word, products that match nothing ---
    (
        "openvex-no-vulnerability",
        _openvex(_pop("vulnerability")),
        f"doc.json:9: /statements/0: {CISA_VULN}\n"
        "  hint: add vulnerability.name, e.g. CVE-2023-32681",
    ),
    (
        "openvex-blank-vulnerability-name",
        _openvex(_set("vulnerability", {"name": " "})),
        f"doc.json:10: /statements/0/vulnerability: {CISA_VULN}\n"
        "  hint: add vulnerability.name, e.g. CVE-2023-32681",
    ),
    (
        "openvex-no-products",
        _openvex(_pop("products")),
        f"doc.json:9: /statements/0: {CISA_PRODUCT}\n"
        '  hint: add products: [{"@id": <package URL or CPE>}]',
    ),
    (
        "openvex-no-status",
        _openvex(_pop("status")),
        f"doc.json:9: /statements/0: {CISA_STATUS}\n"
        "  hint: add status: one of not_affected, affected, fixed, under_investigation",
    ),
    (
        "openvex-wrong-status-word",
        _openvex(_set("status", "not-affected")),
        "doc.json:22: /statements/0/status: 'not-affected' is not a VEX status; expected one "
        "of not_affected, affected, fixed, under_investigation\n"
        "  hint: did you mean 'not_affected'?",
    ),
    (
        "openvex-not-affected-without-justification-or-impact",
        _openvex(_set("status", "not_affected")),
        "doc.json:9: /statements/0: status not_affected needs a justification or an impact "
        "statement (CISA VEX minimum)\n"
        "  hint: add justification or impact_statement",
    ),
    (
        "openvex-affected-without-action",
        _openvex(_set("status", "affected")),
        "doc.json:9: /statements/0: status affected needs an action statement "
        "(CISA VEX minimum): what users should do\n"
        "  hint: add action_statement",
    ),
    (
        "openvex-cyclonedx-justification-word",
        _openvex(lambda s: s.update(status="not_affected", justification="code_not_reachable")),
        "doc.json:23: /statements/0/justification: 'code_not_reachable' is not a CISA "
        "justification; expected one of component_not_present, vulnerable_code_not_present, "
        "vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary, "
        "inline_mitigations_already_exist\n"
        "  hint: 'code_not_reachable' is CycloneDX's word; OpenVEX writes "
        "'vulnerable_code_not_in_execute_path'",
    ),
    (
        "openvex-product-neither-purl-nor-cpe",
        _openvex(_set("products", [{"@id": "nginx"}])),
        "doc.json:15: /statements/0/products/0: the product 'nginx' is neither a package URL "
        "nor a CPE, so no component can be matched to it\n"
        '  hint: give it "identifiers": {"purl": "pkg:..."} or {"cpe23": "cpe:2.3:..."}',
    ),
    (
        "openvex-broken-purl",
        _openvex(_set("products", [{"@id": "pkg:pypi"}])),
        "doc.json:16: /statements/0/products/0/@id: 'pkg:pypi' is not a valid package URL: "
        "purl is missing the required type component: 'pkg:pypi'.",
    ),
    (
        "openvex-broken-cpe",
        _openvex(_set("products", [{"identifiers": {"cpe23": "cpe:2.3:a:python"}}])),
        "doc.json:17: /statements/0/products/0/identifiers/cpe23: 'cpe:2.3:a:python' is not a "
        "valid CPE name: 'cpe:2.3:a:python': a CPE 2.3 formatted string has 11 attributes "
        "after 'cpe:2.3:', found 2",
    ),
    (
        "openvex-misspelt-key (schema)",
        _openvex(_set("impact_statment", "x")),
        "doc.json:23: /statements/0/impact_statment: unknown key (allowed keys: @id, "
        "action_statement, action_statement_timestamp, impact_statement, justification, "
        "last_updated, products, status, status_notes, supplier, timestamp, version, "
        "vulnerability)\n"
        "  hint: did you mean 'impact_statement'?",
    ),
    (
        "openvex-timestamp-not-rfc3339 (schema)",
        _openvex(_set("timestamp", "yesterday")),
        "doc.json:13: /statements/0/timestamp: expected an RFC 3339 date and time "
        "(2024-01-31T12:00:00Z), got string 'yesterday'",
    ),
    # --- JSON itself ---
    (
        "broken-json",
        '{\n  "a": 1,\n}\n',
        "doc.json:3: invalid JSON: Expecting property name enclosed in double quotes "
        "(column 1)\n"
        "  hint: a VEX document must be one JSON object",
    ),
    (
        "duplicate-key",
        '{\n  "@context": "https://openvex.dev/ns/v0.2.0",\n  "statements": [\n'
        '    {"status": "fixed",\n     "status": "affected"}\n  ]\n}\n',
        "doc.json:5: duplicate key 'status' (JSON readers disagree on which value counts)\n"
        "  hint: keep one of them",
    ),
    (
        "not-a-vex-document",
        {"bomFormat": "SPDX"},
        "doc.json:1: /: not a VEX document mdrgate reads\n"
        "  hint: expected OpenVEX 0.2.0 (@context https://openvex.dev/ns/v0.2.0), CycloneDX "
        "VEX (bomFormat CycloneDX with vulnerabilities[].analysis) or CSAF 2.0 VEX "
        "(document.category csaf_vex)",
    ),
    # --- CycloneDX ---
    (
        "cyclonedx-no-id",
        _cyclonedx(_pop("id")),
        f"doc.json:15: /vulnerabilities/0: {CISA_VULN}\n  hint: add id, e.g. CVE-2023-32681",
    ),
    (
        "cyclonedx-no-analysis",
        _cyclonedx(_pop("analysis")),
        f"doc.json:15: /vulnerabilities/0: {CISA_STATUS}\n"
        "  hint: add analysis.state: one of resolved, resolved_with_pedigree, exploitable, "
        "in_triage, false_positive, not_affected",
    ),
    (
        "cyclonedx-wrong-state-word",
        _cyclonedx(lambda v: v["analysis"].__setitem__("state", "affected")),
        "doc.json:34: /vulnerabilities/0/analysis/state: 'affected' is not a CycloneDX "
        "analysis state; expected one of resolved, resolved_with_pedigree, exploitable, "
        "in_triage, false_positive, not_affected\n"
        "  hint: did you mean 'not_affected'?",
    ),
    (
        "cyclonedx-not-affected-without-justification-or-detail",
        _cyclonedx(lambda v: [v["analysis"].pop(k) for k in ("justification", "detail")]),
        "doc.json:33: /vulnerabilities/0/analysis: status not_affected needs a justification "
        "or an impact statement (CISA VEX minimum)\n"
        "  hint: add analysis.justification or analysis.detail",
    ),
    (
        "cyclonedx-exploitable-without-action",
        _cyclonedx(_set("analysis", {"state": "exploitable"})),
        "doc.json:33: /vulnerabilities/0/analysis: status exploitable needs an action "
        "statement (CISA VEX minimum): what users should do\n"
        "  hint: add analysis.response, analysis.detail, recommendation or workaround",
    ),
    (
        "cyclonedx-no-affects",
        _cyclonedx(_pop("affects")),
        f"doc.json:15: /vulnerabilities/0: {CISA_PRODUCT}\n"
        '  hint: add affects: [{"ref": <bom-ref of a component with a purl or CPE>}]',
    ),
    (
        "cyclonedx-ref-resolves-to-nothing",
        _cyclonedx(_set("affects", [{"ref": "nothing-here"}])),
        "doc.json:43: /vulnerabilities/0/affects/0/ref: 'nothing-here' is no bom-ref of a "
        "component in this document, nor a package URL or CPE\n"
        "  hint: add the component to components[] with this bom-ref and its purl or CPE",
    ),
    (
        "cyclonedx-version-status-contradicts-state",
        _cyclonedx(
            lambda v: v["affects"][0].update(versions=[{"version": "4.2", "status": "affected"}])
        ),
        "doc.json:47: /vulnerabilities/0/affects/0/versions/0/status: version status "
        "'affected' contradicts the analysis state of this vulnerability (not_affected)\n"
        "  hint: split the versions into separate vulnerability entries, one per state",
    ),
    (
        "cyclonedx-unsupported-vers-range",
        _cyclonedx(lambda v: v["affects"][0].update(versions=[{"range": "vers:generic/!=4.0"}])),
        "doc.json:46: /vulnerabilities/0/affects/0/versions/0/range: the vers range "
        "'vers:generic/!=4.0' is not supported here\n"
        "  hint: state one interval ('>=1.0|<2.0'), one bound, or single versions ('1.0|1.1')",
    ),
    (
        "cyclonedx-spec-1.3",
        {**load_asset("cyclonedx/vex-not_affected.json"), "specVersion": "1.3"},
        "doc.json:3: /specVersion: CycloneDX specVersion '1.3' is not read as VEX; expected "
        "one of 1.4, 1.5, 1.6, 1.7\n"
        "  hint: VEX (vulnerabilities with an analysis) exists in CycloneDX 1.4 and later",
    ),
    # --- CSAF ---
    (
        "csaf-no-vulnerability-id",
        _csaf(_vuln0(_pop("cve"))),
        f"doc.json:65: /vulnerabilities/0: {CISA_VULN}\n"
        "  hint: add cve or ids, e.g. CVE-2023-32681",
    ),
    (
        "csaf-no-product-status",
        _csaf(_vuln0(_pop("product_status"))),
        f"doc.json:65: /vulnerabilities/0: {CISA_STATUS}\n"
        "  hint: add product_status: one of known_not_affected, known_affected, "
        "first_affected, last_affected, fixed, first_fixed, under_investigation",
    ),
    (
        "csaf-not-affected-without-flag-or-impact",
        _csaf(_vuln0(_pop("threats"))),
        "doc.json:76: /vulnerabilities/0/product_status/known_not_affected/0: status "
        "known_not_affected needs a justification or an impact statement (CISA VEX minimum)\n"
        "  hint: add a flag or an impact threat naming 'CSAFPID-0001' in this vulnerability",
    ),
    (
        "csaf-affected-without-remediation",
        _csaf(_vuln0(_set("product_status", {"known_affected": ["CSAFPID-0001"]}))),
        "doc.json:76: /vulnerabilities/0/product_status/known_affected/0: status "
        "known_affected needs an action statement (CISA VEX minimum): what users should do\n"
        "  hint: add a remediation naming 'CSAFPID-0001' in this vulnerability",
    ),
    (
        "csaf-undefined-product-id",
        _csaf(_vuln0(_set("product_status", {"fixed": ["CSAFPID-0009"]}))),
        "doc.json:76: /vulnerabilities/0/product_status/fixed/0: product id 'CSAFPID-0009' is "
        "not defined in the product_tree\n"
        "  hint: define it in product_tree (branches, full_product_names or relationships)",
    ),
    (
        "csaf-wrong-flag-label (schema)",
        _csaf(
            _vuln0(_set("flags", [{"label": "code_not_present", "product_ids": ["CSAFPID-0001"]}]))
        ),
        "doc.json:90: /vulnerabilities/0/flags/0/label: expected one of "
        "'component_not_present', 'inline_mitigations_already_exist', "
        "'vulnerable_code_cannot_be_controlled_by_adversary', "
        "'vulnerable_code_not_in_execute_path', 'vulnerable_code_not_present', "
        "got string 'code_not_present'\n"
        "  hint: did you mean 'component_not_present'?",
    ),
    (
        "csaf-contradicting-flags",
        _csaf(
            _vuln0(
                _set(
                    "flags",
                    [
                        {"label": "component_not_present", "product_ids": ["CSAFPID-0001"]},
                        {"label": "vulnerable_code_not_present", "product_ids": ["CSAFPID-0001"]},
                    ],
                )
            )
        ),
        "doc.json:88: /vulnerabilities/0/flags: flags give product 'CSAFPID-0001' "
        "contradicting justifications: component_not_present, vulnerable_code_not_present\n"
        "  hint: keep one flag label per product",
    ),
    (
        "csaf-security-advisory-is-not-vex",
        _csaf(lambda d: d["document"].__setitem__("category", "csaf_security_advisory")),
        "doc.json:3: /document/category: a CSAF document of category 'csaf_security_advisory' "
        "is not a VEX document\n"
        "  hint: mdrgate reads the CSAF VEX profile: document.category 'csaf_vex'",
    ),
]


@pytest.mark.parametrize(
    ("document", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_with_location_and_fix(
    write: Callable[..., Path], document: Any, expected: str
) -> None:
    with pytest.raises(UsageError) as caught:
        load_vex(write(copy.deepcopy(document)), display="doc.json")
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.diagnostics() == expected


def test_bom_link_into_another_bom_is_not_resolved(write: Callable[..., Path]) -> None:
    """CycloneDX/bom-examples VEX/vex.json (its response made a list) points into another BOM."""
    doc = load_asset("cyclonedx/vex.json")
    doc["vulnerabilities"][0]["analysis"]["response"] = ["will_not_fix"]
    with pytest.raises(UsageError) as caught:
        load_vex(write(doc), display="doc.json")
    assert caught.value.diagnostics() == (
        "doc.json:93: /vulnerabilities/0/affects/0/ref: "
        "'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/com.fasterxml.jackson.core/"
        "jackson-databind@2.10.0?type=jar' is a BOM-link into another BOM, which cannot be "
        "resolved here\n"
        "  hint: list the component in this document's components (with its purl or CPE) and "
        "refer to its bom-ref"
    )


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_vex(tmp_path / "absent.json", display="vex/absent.json")
    assert str(caught.value) == "vex/absent.json: file not found"
