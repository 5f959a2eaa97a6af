"""soup-no-release on the real endoflife.date excerpt: CPython 3.8's last release (3.8.20,
2024-09-06) against limits below and above its age on 2026-11-28."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mdrgate.enrich.end_of_life import support_for
from mdrgate.model import Component, ComponentClass, Inventory, OutcomeStatus, Product, SafetyClass
from mdrgate.policy import EvaluationContext, evaluate, load_policies
from mdrgate.vulndb import VulnDb

CPYTHON = Component(
    name="CPython",
    version="3.8.10",
    component_class=ComponentClass.HOST,
    purl="pkg:generic/cpython@3.8.10",
    cpes=("cpe:2.3:a:python:python:3.8.10:*:*:*:*:*:*:*",),
)
POLICY = """apiVersion: mdrgate/v1
kind: Policy
metadata: {{name: t, version: '1'}}
rules:
  - id: T-REL
    type: soup-no-release
    action: warn
    within_days: {days}
"""


@pytest.mark.parametrize(
    ("days", "status", "message"),
    [
        (
            730,
            OutcomeStatus.WARN,
            "CPython 3.8.10: endoflife.date python cycle 3.8 has had no release for 813 days "
            "(last 3.8.20 (2024-09-06); limit 730)",
        ),
        (
            1000,
            OutcomeStatus.PASS,
            "endoflife.date python cycle 3.8: last release 3.8.20 (2024-09-06), 813 days ago",
        ),
    ],
)
def test_release_activity(
    eol_db: VulnDb, tmp_path: Path, days: int, status: OutcomeStatus, message: str
) -> None:
    inventory = Inventory(components=(CPYTHON,))
    support, _ = support_for(inventory, eol_db)
    path = tmp_path / "p.yml"
    path.write_text(POLICY.format(days=days))
    ctx = EvaluationContext(
        product=Product("p", "1", None, SafetyClass.C),
        inventory=inventory,
        findings=(),
        diagnostics=(),
        today=date(2026, 11, 28),
        support=support,
        support_sources=("eol",),
    )
    (found,) = [o for o in evaluate(load_policies([str(path)], cwd=tmp_path), ctx).outcomes
                if o.rule_id == "T-REL"]  # fmt: skip
    assert (found.status, found.message) == (status, message)
    if status is OutcomeStatus.WARN:
        assert found.evidence[-1].startswith("to pass: move CPython 3.8.10 to a release line")
