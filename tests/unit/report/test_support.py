"""endoflife.date facts (real excerpt) as decision.json, summary.md and the SBOM show them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from mdrgate.enrich.end_of_life import support_for
from mdrgate.model import Component, ComponentClass, Inventory
from mdrgate.report.cyclonedx import render_sbom
from mdrgate.report.decision import decision_document
from mdrgate.report.markdown import render_summary
from mdrgate.validation import packaged_schema
from mdrgate.vulndb import VulnDb, import_feeds
from tests.unit.report.sample import COMPONENTS, FINISHED, PRODUCT, TOOL_VERSION, run_result
from tests.unit.vulndb.osv_assets import NOW

EOL_ZIP = Path(__file__).resolve().parents[2] / "assets" / "support" / "endoflife-support.zip"
OPENSSL = Component(
    name="OpenSSL",
    version="1.1.1k",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:generic/openssl@1.1.1k",
    cpes=("cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*",),
)


def test_end_of_life_facts_reach_every_report(tmp_path: Path) -> None:
    db_path = tmp_path / "vuln.db"
    import_feeds(db_path, [EOL_ZIP], now=NOW)
    components = (*COMPONENTS, OPENSSL)
    with VulnDb.open(db_path) as db:
        facts, _ = support_for(Inventory(components=components), db)
    openssl = [f for f in facts if f.component == OPENSSL.bom_ref]
    assert [(f.product, f.cycle) for f in openssl] == [("openssl", "1.1.1")]
    result = replace(run_result(components=components), support=facts)

    document = decision_document(result)
    schema = dict(packaged_schema("schemas", "decision.schema.json"))
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)
    (entry,) = [s for s in document["support"] if s["component"] == OPENSSL.bom_ref]
    assert (entry["product"], entry["cycle"], entry["eol"], entry["version"]) == (
        "openssl",
        "1.1.1",
        "2023-09-11",
        "1.1.1k",
    )
    assert entry["matchedBy"] == ["cpe openssl:openssl"]

    summary = render_summary(result).decode()
    assert "## End of life (endoflife.date," in summary
    row = next(r for r in summary.splitlines() if r.startswith("| OpenSSL 1.1.1k |"))
    assert row.startswith("| OpenSSL 1.1.1k | openssl | 1.1.1 | 2023-09-11 | **ended** |")

    sbom = render_sbom(
        PRODUCT,
        Inventory(components=components),
        timestamp=FINISHED,
        tool_version=TOOL_VERSION,
        support=facts,
    )
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(sbom.decode()) is None
    (cdx,) = [c for c in json.loads(sbom)["components"] if c["bom-ref"] == OPENSSL.bom_ref]
    props = {(p["name"], p["value"]) for p in cdx["properties"]}
    assert {
        ("mdrgate:eol:product", "openssl"),
        ("mdrgate:eol:cycle", "1.1.1"),
        ("mdrgate:eol:date", "2023-09-11"),
    } <= props
