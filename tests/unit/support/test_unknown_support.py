"""soup-end-of-support's 'unknown': an end of support nobody states is judged, not passed, when a
policy says so (the example register's SEGGER RTT states none; endoflife.date has no page)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

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

RTT = Component(
    name="SEGGER RTT",
    version="7.54",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:generic/segger-rtt@7.54",
    supplier="SEGGER Microcontroller GmbH",
    soup=SoupRecord(register_id="SOUP-012"),
    origins=(Origin("soup-register", "firmware/soup.yml", 143),),
)
POLICY = """apiVersion: mdrgate/v1
kind: Policy
metadata: {{name: t, version: '1'}}
rules:
  - id: T-EOS
    type: soup-end-of-support
    action: fail
{extra}"""


def _outcome(tmp_path: Path, extra: str):
    path = tmp_path / "p.yml"
    path.write_text(POLICY.format(extra=extra))
    ctx = EvaluationContext(
        product=Product("p", "1", None, SafetyClass.C),
        inventory=Inventory(components=(RTT,)),
        findings=(),
        diagnostics=(),
        today=date(2026, 11, 28),
        support_sources=("eol",),
    )
    verdict = evaluate(load_policies([str(path)], cwd=tmp_path), ctx)
    (found,) = [o for o in verdict.outcomes if o.rule_id == "T-EOS"]
    return found


def test_unknown_passes_by_default_saying_why(tmp_path: Path) -> None:
    found = _outcome(tmp_path, "")
    assert found.status is OutcomeStatus.PASS
    assert found.message.startswith("end of support unknown: no end-of-support date stated")


@pytest.mark.parametrize(
    ("word", "status"), [("warn", OutcomeStatus.WARN), ("fail", OutcomeStatus.FAIL)]
)
def test_unknown_is_judged_when_the_policy_says_so(
    tmp_path: Path, word: str, status: OutcomeStatus
) -> None:
    found = _outcome(tmp_path, f"    unknown: {word}\n")
    assert found.status is status
    assert found.message.startswith(
        "SEGGER RTT 7.54: end of support unknown: no end-of-support date stated in the register"
    )
    assert (
        "to pass: state the supplier's end_of_support date (or level_of_support) in the SOUP "
        "register entry SOUP-012 (firmware/soup.yml:143), or give the item a purl or CPE that "
        "endoflife.date covers"
    ) in found.evidence
