"""The example device's waivers against its real findings: each covers exactly one finding."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from mdrgate.config import resolve_settings
from mdrgate.enrich import match_inventory
from mdrgate.pipeline import take_inventory
from mdrgate.policy.assessments import MatchProblem, assessment_matches
from mdrgate.policy.waivers import load_waivers
from mdrgate.vulndb import VulnDb, import_feeds

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "infusion-pump"
TODAY = date(2026, 11, 28)


def test_each_example_waiver_covers_one_real_finding(tmp_path: Path) -> None:
    db_path = tmp_path / "vuln.db"
    import_feeds(
        db_path,
        [EXAMPLE / "osv" / "PyPI" / "all.zip", EXAMPLE / "nvd" / "nvd-excerpt.json.gz"],
        now=datetime(2026, 11, 28, 12, tzinfo=UTC),
    )
    settings = resolve_settings(
        config=EXAMPLE / "mdrgate.yml",
        paths=(),
        database=db_path,
        policies=(),
        evidence_dir=None,
        env={},
        cwd=REPO,
    )
    inventory = take_inventory(settings).inventory
    with VulnDb.open(db_path) as db:
        findings, _ = match_inventory(inventory, db)
    components = inventory.by_ref()
    waivers = load_waivers(EXAMPLE / "waivers.yml", display="waivers.yml", today=TODAY)

    covered = {}
    for waiver in waivers:
        answers = [
            (
                f.component_ref,
                f.advisory.id,
                assessment_matches(waiver, f, components[f.component_ref]),
            )
            for f in findings
        ]
        assert not [a for a in answers if isinstance(a[2], MatchProblem)]
        covered[waiver.id] = [(ref, advisory) for ref, advisory, hit in answers if hit is True]

    assert covered == {
        "WVR-2026-007": [("pkg:github/freertos/freertos-kernel@V10.3.1", "CVE-2021-31571")],
        "WVR-2025-003": [("pkg:pypi/urllib3@1.26.4", "PYSEC-2021-108")],
    }
    # CVE-2021-31572, fixed by the same FreeRTOS release, is not waived: the record names one CVE
    assert ("pkg:github/freertos/freertos-kernel@V10.3.1", "CVE-2021-31572") in {
        (f.component_ref, f.advisory.id) for f in findings
    }
    assert [w.expired(TODAY) for w in waivers] == [False, True]
