"""Real findings for the vulnerability-rule tests, matched by mdrgate itself from real records.

``assets``: the NVD API excerpt (Mbed TLS CVE-2024-23170, zlib CVE-2023-45853), the NVD and KEV
records of CVE-2006-1547 (Apache Struts, KEV-listed), the crates.io OSV excerpt (RUSTSEC-2021-0006
without fix, RUSTSEC-2026-0024 with a CVSS v4 vector) and the EPSS format sample — **not FIRST
data** (tests/assets/PROVENANCE.md): no EPSS file could be obtained, so the EPSS tests use its
illustrative scores. ``example``: the example device's bundled OSV, NVD and KEV data and inventory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from mdrgate.config import resolve_settings
from mdrgate.enrich import match_inventory
from mdrgate.enrich.exploitation import attach_exploitation
from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    Finding,
    Inventory,
    Product,
    RuleOutcome,
    SafetyClass,
)
from mdrgate.policy import EvaluationContext, evaluate, load_policies
from mdrgate.vulndb import VulnDb, import_feeds

REPO = Path(__file__).resolve().parents[3]
ASSETS = REPO / "tests" / "assets"
EXAMPLE = REPO / "examples" / "infusion-pump"
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
TODAY = date(2026, 11, 28)

ZLIB = Component(
    name="zlib",
    version="1.2.13",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:generic/zlib@1.2.13",
    cpes=("cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*",),
)
MBEDTLS = Component(
    name="Mbed TLS",
    version="2.28.3",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:github/mbed-tls/mbedtls@v2.28.3",
    cpes=("cpe:2.3:a:arm:mbed_tls:2.28.3:*:*:*:*:*:*:*",),
)
STRUTS = Component(
    name="Apache Struts",
    version="1.2.7",
    component_class=ComponentClass.HOST,
    purl="pkg:generic/struts@1.2.7",
    cpes=("cpe:2.3:a:apache:struts:1.2.7:*:*:*:*:*:*:*",),
)
CACHE = Component(
    name="cache",
    version="0.2.1",
    component_class=ComponentClass.HOST,
    ecosystem="crates.io",
    purl="pkg:cargo/cache@0.2.1",
)
LIBCRUX = Component(
    name="libcrux-psq",
    version="0.0.6",
    component_class=ComponentClass.HOST,
    ecosystem="crates.io",
    purl="pkg:cargo/libcrux-psq@0.0.6",
)
COMPONENTS = (ZLIB, MBEDTLS, STRUTS, CACHE, LIBCRUX)
FEEDS = (
    ASSETS / "nvd" / "embedded-api.json",
    ASSETS / "epss" / "epss-format-sample.csv",
    ASSETS / "exploitation" / "nvd-CVE-2006-1547.json",
    ASSETS / "exploitation" / "kev-CVE-2006-1547.json",
    ASSETS / "osv" / "crates.io" / "all.zip",
)
EXAMPLE_FEEDS = (
    EXAMPLE / "osv" / "PyPI" / "all.zip",
    EXAMPLE / "nvd" / "nvd-excerpt.json.gz",
    EXAMPLE / "kev" / "known_exploited_vulnerabilities.json.gz",
)


@dataclass(frozen=True)
class Matched:
    inventory: Inventory
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    sources: tuple[str, ...]

    def context(self, product: Product, **extra: object) -> EvaluationContext:
        return EvaluationContext(
            product=product,
            inventory=self.inventory,
            findings=self.findings,
            diagnostics=self.diagnostics,
            today=TODAY,
            sources=self.sources,
            **extra,  # type: ignore[arg-type]
        )


def match(db_path: Path, feeds: Sequence[Path], inventory: Inventory) -> Matched:
    import_feeds(db_path, feeds, now=NOW)
    with VulnDb.open(db_path) as db:
        found, notes = match_inventory(inventory, db)
        findings, missing = attach_exploitation(found, db)
        sources = tuple(sorted({s.source for s in db.sources()}))
    diagnostics = tuple(sorted({*inventory.diagnostics, *notes, *missing}))
    return Matched(inventory, tuple(findings), diagnostics, sources)


def asset_findings(tmp: Path) -> Matched:
    return match(tmp / "assets.db", FEEDS, Inventory(components=COMPONENTS))


def example_findings(tmp: Path) -> Matched:
    from mdrgate.pipeline import take_inventory

    db_path = tmp / "example.db"
    settings = resolve_settings(
        config=EXAMPLE / "mdrgate.yml",
        paths=(),
        database=db_path,
        policies=(),
        evidence_dir=None,
        env={},
        cwd=REPO,
    )
    return match(db_path, EXAMPLE_FEEDS, take_inventory(settings).inventory)


HEAD = 'apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: "1"}\nrules:\n'


def outcomes_of(
    tmp: Path, rules: str, ctx: EvaluationContext, rule_id: str = "T-1"
) -> dict[tuple[str, str | None], RuleOutcome]:
    """Evaluate a one-file policy; the outcomes of ``rule_id`` by (subject, advisory)."""
    path = tmp / "p.yml"
    path.write_text(HEAD + rules)
    verdict = evaluate(load_policies([str(path)], cwd=tmp), ctx)
    found = {(o.subject, o.advisory): o for o in verdict.outcomes if o.rule_id == rule_id}
    assert len(found) == len([o for o in verdict.outcomes if o.rule_id == rule_id])
    return found


PRODUCT_C = Product(name="Aurora IP-300", version="2.4.0", safety_class=SafetyClass.C)
PRODUCT_B = Product(name="Aurora IP-300", version="2.4.0", safety_class=SafetyClass.B)
