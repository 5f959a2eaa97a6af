"""IEC 62304 7.1.3: a register item's anomaly-list evaluation against the publication of the
real advisories that affect it (Mbed TLS 2.28.3 and CVE-2024-23170, published 2024-01-31)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mdrgate.enrich import match_inventory
from mdrgate.model import (
    Component,
    ComponentClass,
    Inventory,
    Origin,
    OutcomeStatus,
    Product,
    SafetyClass,
    SoupRecord,
)
from mdrgate.policy import EvaluationContext, evaluate, load_policies
from mdrgate.vulndb import VulnDb, import_feeds
from tests.unit.vulndb.osv_assets import NOW

EMBEDDED_NVD = Path(__file__).resolve().parents[2] / "assets" / "nvd" / "embedded-api.json"
REPO = Path(__file__).resolve().parents[3]


def _mbedtls(evaluated: date | None) -> Component:
    return Component(
        name="Mbed TLS",
        version="2.28.3",
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/mbed-tls/mbedtls@v2.28.3",
        cpes=("cpe:2.3:a:arm:mbed_tls:2.28.3:*:*:*:*:*:*:*",),
        supplier="Arm Limited",
        soup=SoupRecord(register_id="SOUP-003", anomaly_list_evaluated=evaluated),
        origins=(Origin("soup-register", "firmware/soup.yml", 37),),
    )


def _outcome(tmp_path: Path, component: Component, safety: SafetyClass = SafetyClass.C):
    db_path = tmp_path / "vuln.db"
    import_feeds(db_path, (EMBEDDED_NVD,), now=NOW)
    with VulnDb.open(db_path) as db:
        findings, diagnostics = match_inventory(Inventory(components=(component,)), db)
    assert [f.advisory.id for f in findings] == ["CVE-2024-23170"]
    ctx = EvaluationContext(
        product=Product("Aurora IP-300", "2.4.0", None, safety),
        inventory=Inventory(components=(component,)),
        findings=findings,
        diagnostics=diagnostics,
        today=NOW.date(),
    )
    verdict = evaluate(load_policies(["builtin:mdr-default"], cwd=REPO), ctx)
    found = [o for o in verdict.outcomes if o.rule_id == "MDR-SOUP-008"]
    return found[0] if found else None


def test_an_evaluation_before_the_advisory_is_a_violation(tmp_path: Path) -> None:
    result = _outcome(tmp_path, _mbedtls(date(2023, 11, 30)))
    assert result is not None
    assert result.status is OutcomeStatus.FAIL
    assert result.message == (
        "Mbed TLS 2.28.3: the anomaly list was evaluated 2023-11-30, before 1 advisory affecting "
        "it was published: CVE-2024-23170 (2024-01-31)"
    )
    assert result.evidence[:3] == (
        "anomaly_list_evaluated: 2023-11-30",
        "CVE-2024-23170 published 2024-01-31",
        "to pass: evaluate the supplier's anomaly list against CVE-2024-23170 and later "
        "advisories and record the date as anomaly_list_evaluated in the SOUP register entry "
        "SOUP-003 (firmware/soup.yml:37)",
    )
    assert result.clause == "IEC 62304 7.1.3 (evaluation of published SOUP anomaly lists)"


@pytest.mark.parametrize(
    ("evaluated", "message"),
    [
        (
            date(2024, 2, 1),
            "anomaly list evaluated 2024-02-01, after the publication of every advisory known to "
            "affect it (1)",
        ),
        (None, "no anomaly-list evaluation date stated (soup-register-fields judges that)"),
    ],
)
def test_an_evaluation_after_the_advisories_passes(
    tmp_path: Path, evaluated: date | None, message: str
) -> None:
    result = _outcome(tmp_path, _mbedtls(evaluated))
    assert result is not None
    assert (result.status, result.message) == (OutcomeStatus.PASS, message)


def test_class_a_products_are_not_asked(tmp_path: Path) -> None:
    assert _outcome(tmp_path, _mbedtls(date(2023, 11, 30)), SafetyClass.A) is None
