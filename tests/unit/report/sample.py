"""A RunResult built from real OSV records (tests/assets/report/osv), for the renderer tests.

The advisories are the PyPA records copied unchanged; they are turned into ``model.Advisory``
here in a few lines (the database's own conversion is tested elsewhere). Everything else is a
fictional device with real package versions that those advisories really affect.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import cvss

from mdrgate.model import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    Component,
    ComponentClass,
    DbProvenance,
    Diagnostic,
    DiagnosticLevel,
    Finding,
    Hash,
    InputFile,
    Inventory,
    LevelOfSupport,
    Origin,
    OutcomeStatus,
    PolicyRef,
    Product,
    RangeEvent,
    Reference,
    RuleOutcome,
    RunResult,
    SafetyClass,
    SeverityVector,
    SoupRecord,
    Verdict,
)

OSV_DIR = Path(__file__).resolve().parents[2] / "assets" / "report" / "osv"
STARTED = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
FINISHED = STARTED + timedelta(seconds=2)
TOOL_VERSION = "0.1.0"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _severity(raw: dict[str, str]) -> SeverityVector:
    vector = raw["score"]
    score: float | None
    try:
        if raw["type"] == "CVSS_V2":
            score = float(cvss.CVSS2(vector).scores()[0])
        elif raw["type"] == "CVSS_V3":
            score = float(cvss.CVSS3(vector).scores()[0])
        elif raw["type"] == "CVSS_V4":
            score = float(cvss.CVSS4(vector).base_score)
        else:
            score = None
    except cvss.CVSSError:
        score = None
    return SeverityVector(raw["type"], vector, score)


def load_advisory(advisory_id: str) -> Advisory:
    """An OSV record from the assets as the domain value."""
    data: dict[str, Any] = json.loads((OSV_DIR / f"{advisory_id}.json").read_text("utf-8"))
    affected = tuple(
        AffectedPackage(
            ecosystem=a["package"]["ecosystem"],
            name=a["package"]["name"],
            purl=a["package"].get("purl"),
            ranges=tuple(
                AffectedRange(
                    type=r["type"],
                    events=tuple(
                        RangeEvent(kind, version)
                        for e in r["events"]
                        for kind, version in e.items()
                    ),
                    repo=r.get("repo"),
                )
                for r in a.get("ranges", [])
            ),
            versions=tuple(a.get("versions", [])),
        )
        for a in data.get("affected", [])
    )
    return Advisory(
        id=data["id"],
        source="osv/PyPI/PYSEC",
        aliases=tuple(data.get("aliases", [])),
        summary=data.get("summary"),
        details=data.get("details"),
        published=_dt(data.get("published")),
        modified=_dt(data.get("modified")),
        withdrawn=_dt(data.get("withdrawn")),
        severities=tuple(_severity(s) for s in data.get("severity", [])),
        references=tuple(Reference(r["type"], r["url"]) for r in data.get("references", [])),
        affected=affected,
    )


def finding(component: Component, advisory_id: str, fixed: tuple[str, ...]) -> Finding:
    advisory = load_advisory(advisory_id)
    ranges = tuple(
        r.describe() for a in advisory.affected for r in a.ranges if r.type == "ECOSYSTEM"
    )
    return Finding(
        component_ref=component.bom_ref,
        advisory=advisory,
        severities=advisory.severities,
        affected_ranges=ranges,
        fixed_versions=fixed,
    )


def pypi(name: str, version: str | None, line: int, license_: str, **kw: Any) -> Component:
    return Component(
        name=name,
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl=f"pkg:pypi/{name}@{version}" if version else f"pkg:pypi/{name}",
        licenses=(license_,),
        origins=(Origin("requirements", "host/requirements.txt", line),),
        **kw,
    )


PRODUCT = Product(
    name="IP-200 infusion pump",
    version="2.4.0",
    manufacturer="Example Medical Devices GmbH",
    safety_class=SafetyClass.C,
)

REQUESTS = pypi("requests", "2.25.1", 3, "Apache-2.0", hashes=(Hash("SHA-256", EMPTY_SHA256),))
URLLIB3 = pypi("urllib3", "1.26.5", 4, "MIT")
AIOHTTP = pypi("aiohttp", "3.8.1", 5, "Apache-2.0")
NUMPY = pypi("numpy", None, 6, "BSD-3-Clause", version_spec=">=1.24")
FREERTOS = Component(
    name="FreeRTOS-Kernel",
    version="10.4.3",
    component_class=ComponentClass.FIRMWARE,
    cpes=("cpe:2.3:o:amazon:freertos:10.4.3:*:*:*:*:*:*:*",),
    supplier="Amazon Web Services",
    licenses=("MIT",),
    origins=(Origin("soup-register", "firmware/soup.yml", 4),),
    soup=SoupRecord(
        register_id="SOUP-001",
        title="FreeRTOS-Kernel",
        level_of_support=LevelOfSupport.ACTIVELY_MAINTAINED,
        end_of_support=date(2027, 6, 30),
        requirements="Pre-emptive scheduling of the pump control task within 1 ms",
        prerequisites="ARM Cortex-M4F, 64 KiB RAM",
        anomaly_list_evaluated=date(2026, 10, 1),
        safety_relevant=True,
        website="https://www.freertos.org/",
    ),
)
MBEDTLS = Component(
    name="Mbed TLS",
    version="2.28.0",
    component_class=ComponentClass.FIRMWARE,
    purl="pkg:github/mbed-tls/mbedtls@v2.28.0",
    cpes=(
        "cpe:2.3:a:arm:mbed_tls:2.28.0:*:*:*:*:*:*:*",
        "cpe:2.3:a:trustedfirmware:mbed_tls:2.28.0:*:*:*:*:*:*:*",
    ),
    supplier="Trusted Firmware",
    licenses=("Apache-2.0 OR GPL-2.0-or-later",),
    origins=(Origin("soup-register", "firmware/soup.yml", 17),),
    soup=SoupRecord(
        register_id="SOUP-002",
        title="Mbed TLS",
        level_of_support=LevelOfSupport.NO_LONGER_MAINTAINED,
        end_of_support=date(2024, 12, 31),
        requirements="TLS 1.2 for the hospital network link",
        safety_relevant=False,
        notes="LTS branch 2.28 ended in 2024",
    ),
)

COMPONENTS = (REQUESTS, URLLIB3, AIOHTTP, NUMPY, FREERTOS, MBEDTLS)

FINDINGS = (
    finding(REQUESTS, "PYSEC-2023-74", ("2.31.0",)),
    finding(URLLIB3, "PYSEC-2023-192", ("1.26.17", "2.0.6")),
    finding(URLLIB3, "PYSEC-2023-212", ("1.26.18", "2.0.7")),
    finding(AIOHTTP, "PYSEC-2024-24", ("3.9.2",)),
)

DIAGNOSTICS = (
    Diagnostic(
        code="no-exact-version",
        message="numpy: no exact version (>=1.24); it cannot be assessed",
        level=DiagnosticLevel.WARNING,
        path="host/requirements.txt",
        line=6,
        component=NUMPY.bom_ref,
    ),
    Diagnostic(
        code="hash-missing",
        message="requirements.txt pins without --hash for 3 packages",
        level=DiagnosticLevel.INFO,
        path="host/requirements.txt",
    ),
)


def _vuln_outcome(f: Finding, component: Component, status: OutcomeStatus) -> RuleOutcome:
    score = f.score
    judged = "severity unknown" if score is None else f"CVSS {score:.1f} ({f.rating.value})"
    return RuleOutcome(
        rule_id="MDR-VULN-001",
        rule_type="vulnerability-severity",
        status=status,
        subject=component.bom_ref,
        subject_name=component.display,
        message=f"{f.advisory.id} affects {component.display}: {judged}",
        clause="MDR Annex I 17.2; IEC 81001-5-1 7.3",
        advisory=f.advisory.id,
        evidence=(
            f"{f.advisory.id} ({', '.join(f.advisory.aliases)}): {f.advisory.title}",
            *(f"affected: {r}" for r in f.affected_ranges),
            *(f"{s.type} {s.vector}" for s in f.severities),
            *(f"declared in {o}" for o in component.origins),
        ),
    )


OUTCOMES = (
    _vuln_outcome(FINDINGS[0], REQUESTS, OutcomeStatus.FAIL),
    _vuln_outcome(FINDINGS[1], URLLIB3, OutcomeStatus.FAIL),
    _vuln_outcome(FINDINGS[2], URLLIB3, OutcomeStatus.WARN),
    _vuln_outcome(FINDINGS[3], AIOHTTP, OutcomeStatus.FAIL),
    RuleOutcome(
        rule_id="MDR-VULN-001",
        rule_type="vulnerability-severity",
        status=OutcomeStatus.PASS,
        subject=FREERTOS.bom_ref,
        subject_name=FREERTOS.display,
        message="no known vulnerabilities in osv/PyPI/PYSEC",
        clause="MDR Annex I 17.2; IEC 81001-5-1 7.3",
    ),
    RuleOutcome(
        rule_id="MDR-SOUP-EOS",
        rule_type="soup-end-of-support",
        status=OutcomeStatus.FAIL,
        subject=MBEDTLS.bom_ref,
        subject_name=MBEDTLS.display,
        message="Mbed TLS 2.28.0: end of support 2024-12-31 has passed",
        clause="FDA premarket cybersecurity (end-of-support date)",
        evidence=(
            "end_of_support: 2024-12-31",
            "to pass: upgrade Mbed TLS to a supported release or replace it, and update version "
            "and end_of_support in the SOUP register entry of Mbed TLS (firmware/soup.yml:17); "
            "if the supplier has extended support, record the new date as end_of_support in the "
            "register entry",
            "declared in firmware/soup.yml:17 (soup-register)",
        ),
    ),
    RuleOutcome(
        rule_id="MDR-SOUP-EOS",
        rule_type="soup-end-of-support",
        status=OutcomeStatus.PASS,
        subject=FREERTOS.bom_ref,
        subject_name=FREERTOS.display,
        message="FreeRTOS-Kernel 10.4.3: supported until 2027-06-30",
        clause="FDA premarket cybersecurity (end-of-support date)",
    ),
    RuleOutcome(
        rule_id="MDR-UNASSESSED",
        rule_type="unassessed-component",
        status=OutcomeStatus.WARN,
        subject=NUMPY.bom_ref,
        subject_name=NUMPY.display,
        message="numpy cannot be assessed: no exact version",
        evidence=(
            "no-exact-version: host/requirements.txt:6",
            "to pass: pin numpy to one exact version where it is declared",
        ),
    ),
)

INPUTS = (
    InputFile("host/requirements.txt", "requirements", hashlib.sha256(b"requirements").hexdigest()),
    InputFile("firmware/soup.yml", "soup-register", hashlib.sha256(b"soup").hexdigest()),
)
POLICIES = (
    PolicyRef("builtin:mdr-default", "mdr-default", "1", hashlib.sha256(b"policy").hexdigest()),
)
DATABASE = (
    DbProvenance(
        source="osv/PyPI/PYSEC",
        kind="osv-zip",
        file_name="PyPI/all.zip",
        sha256="be228aae2bc4adbf62be47e8d59f12cae8c22f740d5efddb54764bbacf4431f1",
        records=2661,
        invalid_records=7,
        newest_modified="2024-10-10T17:22:00.587279Z",
        imported_at="2026-11-27T09:30:00Z",
    ),
)


def run_result(
    *,
    components: tuple[Component, ...] = COMPONENTS,
    findings: tuple[Finding, ...] = FINDINGS,
    outcomes: tuple[RuleOutcome, ...] = OUTCOMES,
    diagnostics: tuple[Diagnostic, ...] = DIAGNOSTICS,
    product: Product = PRODUCT,
) -> RunResult:
    return RunResult(
        product=product,
        inventory=Inventory(components=components, diagnostics=diagnostics[:1]),
        findings=findings,
        diagnostics=diagnostics,
        verdict=Verdict.from_outcomes(outcomes),
        inputs=INPUTS,
        policies=POLICIES,
        database=DATABASE,
        database_path="/home/ci/.cache/mdrgate/vulns.sqlite",
        started_at=STARTED,
        finished_at=FINISHED,
        tool_version=TOOL_VERSION,
    )
