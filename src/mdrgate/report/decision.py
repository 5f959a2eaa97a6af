"""``decision.json``: the machine-readable record of what was decided, on what evidence.

Its shape is fixed by ``mdrgate/schemas/decision.schema.json`` (``SCHEMA_VERSION`` below); a field
is added only with a new schema version. Keys are sorted (object order carries no meaning);
arrays are in a defined order: outcomes and findings sorted by subject, policies as given (their
order is the order in which they were applied).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from mdrgate.baseline import marks
from mdrgate.gate import gate_status
from mdrgate.model import (
    Advisory,
    Component,
    DbProvenance,
    Diagnostic,
    DiagnosticLevel,
    EpssScore,
    Finding,
    InputFile,
    KevEntry,
    RuleOutcome,
    RunResult,
)
from mdrgate.model.assessment import AppliedAssessment
from mdrgate.model.baseline import BaselineComparison
from mdrgate.model.support import SupportFacts
from mdrgate.report.facts import (
    all_diagnostics,
    assessments_by_finding,
    iso,
    outcome_counts,
    rating_counts,
    sorted_findings,
    sorted_outcomes,
    unassessed_components,
)

SCHEMA_VERSION = "1.2"
"""1.1 added: findings' kev/epss, support (endoflife.date), sources' capturedAt/checkedAt,
database.maxDataAgeDays. 1.2 added: verdict.gateStatus, outcomes' baseline mark and the baseline
block (``check --baseline``); outcome status ``suppressed`` (and its count), findings'
``assessments`` (waivers and VEX statements applied)."""


def render_decision(result: RunResult) -> bytes:
    return dump(decision_document(result))


def dump(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def decision_document(result: RunResult) -> dict[str, Any]:
    """The document as plain JSON values (what ``render_decision`` serializes)."""
    diagnostics = all_diagnostics(result)
    by_ref = result.inventory.by_ref()
    findings = sorted_findings(result.findings)
    outcomes = sorted_outcomes(result.verdict.outcomes)
    assessed = assessments_by_finding(result)
    return {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "mdrgate", "version": result.tool_version},
        "product": {
            "name": result.product.name,
            "version": result.product.version,
            "manufacturer": result.product.manufacturer,
            "safetyClass": result.product.safety_class.value,
        },
        "verdict": {
            "status": result.verdict.status.value,
            "gateStatus": gate_status(result.verdict).value,
        },
        "counts": {
            "outcomes": {s.value: n for s, n in outcome_counts(result).items()},
            "findings": {
                "total": len(findings),
                "byRating": {r.value: n for r, n in rating_counts(findings).items()},
            },
            "components": len(result.inventory.components),
            "unassessedComponents": len(unassessed_components(result)),
            "diagnostics": {
                "total": len(diagnostics),
                **{
                    level.value: sum(1 for d in diagnostics if d.level is level)
                    for level in DiagnosticLevel
                },
            },
        },
        "outcomes": [
            _outcome(o, mark)
            for o, mark in zip(outcomes, marks(outcomes, result.verdict.baseline), strict=True)
        ],
        "findings": [
            _finding(f, by_ref.get(f.component_ref), assessed.get(f.key, ())) for f in findings
        ],
        "diagnostics": [_diagnostic(d) for d in diagnostics],
        "inputs": [_input(i) for i in sorted(result.inputs)],
        "policies": [
            {"path": p.path, "name": p.name, "version": p.version, "sha256": p.sha256}
            for p in result.policies
        ],
        "support": [_support(f) for f in sorted(result.support, key=lambda f: f.component)],
        "database": {
            "path": result.database_path,
            "maxDataAgeDays": result.max_data_age_days,
            "sources": [
                _source(s)
                for s in sorted(result.database, key=lambda s: (s.source, s.file_name, s.sha256))
            ],
        },
        "run": {"startedAt": iso(result.started_at), "finishedAt": iso(result.finished_at)},
        "baseline": _baseline(result.verdict.baseline),
    }


def _outcome(outcome: RuleOutcome, mark: str | None = None) -> dict[str, Any]:
    return {
        "baseline": mark,
        "ruleId": outcome.rule_id,
        "ruleType": outcome.rule_type,
        "clause": outcome.clause,
        "status": outcome.status.value,
        "subject": {"ref": outcome.subject, "name": outcome.subject_name},
        "advisory": outcome.advisory,
        "message": outcome.message,
        "evidence": list(outcome.evidence),
    }


def _baseline(comparison: BaselineComparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    source = comparison.source
    return {
        "path": source.path,
        "sha256": source.sha256,
        "schemaVersion": source.schema_version,
        "toolVersion": source.tool_version,
        "product": {"name": source.product_name, "version": source.product_version},
        "run": {"startedAt": source.started_at, "finishedAt": source.finished_at},
        "verdict": {"status": source.verdict},
        "counts": {
            "new": len(comparison.new),
            "carriedOver": len(comparison.carried_over),
            "resolved": len(comparison.resolved),
        },
        "new": [
            _violation(o.rule_id, o.subject, o.subject_name, o.advisory) for o in comparison.new
        ],
        "carriedOver": [
            {
                **_violation(
                    c.outcome.rule_id, c.outcome.subject, c.outcome.subject_name, c.outcome.advisory
                ),
                "matchedBy": c.matched_by.value,
                "was": {
                    "subject": {"ref": c.was.subject, "name": c.was.subject_name},
                    "advisory": c.was.advisory,
                },
            }
            for c in comparison.carried_over
        ],
        "resolved": [
            {**_violation(f.rule_id, f.subject, f.subject_name, f.advisory), "message": f.message}
            for f in comparison.resolved
        ],
    }


def _violation(rule_id: str, ref: str, name: str, advisory: str | None) -> dict[str, Any]:
    return {"ruleId": rule_id, "subject": {"ref": ref, "name": name}, "advisory": advisory}


def _finding(
    finding: Finding, component: Component | None, applied: Iterable[AppliedAssessment] = ()
) -> dict[str, Any]:
    advisory: Advisory = finding.advisory
    return {
        "component": {
            "ref": finding.component_ref,
            "name": component.name if component else None,
            "version": component.version if component else None,
        },
        "advisory": {
            "id": advisory.id,
            "source": advisory.source,
            "aliases": sorted(set(advisory.aliases)),
            "summary": advisory.summary,
            "title": advisory.title,
            "published": iso(advisory.published) if advisory.published else None,
            "modified": iso(advisory.modified) if advisory.modified else None,
        },
        "rating": finding.rating.value,
        "score": finding.score,
        "severities": [
            {"type": s.type, "vector": s.vector, "score": s.score}
            for s in sorted(set(finding.severities), key=lambda s: (s.type, s.vector))
        ],
        "affectedRanges": list(finding.affected_ranges),
        "fixedVersions": list(finding.fixed_versions),
        "notes": list(finding.notes),
        "sameAs": list(finding.same_as),
        "kev": _kev(finding.kev) if finding.kev else None,
        "epss": _epss(finding.epss) if finding.epss else None,
        "assessments": [_assessment(a) for a in applied],
    }


def _assessment(item: AppliedAssessment) -> dict[str, Any]:
    a = item.assessment
    return {
        "id": a.id,
        "kind": a.source.kind.value,
        "vulnerability": a.vulnerability,
        "status": a.status.value,
        "justification": a.justification.value if a.justification else None,
        "impact": a.impact,
        "action": a.action,
        "approver": a.approver,
        "approvedOn": a.approved_on.isoformat() if a.approved_on else None,
        "expiresOn": a.expires_on.isoformat() if a.expires_on else None,
        "links": list(a.links),
        "source": {
            "path": a.source.path,
            "line": a.source.line,
            "pointer": a.source.pointer,
            "documentId": a.source.document_id,
            "sha256": a.source.sha256,
        },
        "effect": item.effect.value,
        "reason": item.reason,
    }


def _support(fact: SupportFacts) -> dict[str, Any]:
    return {
        "component": fact.component,
        "product": fact.product,
        "matchedBy": [str(m) for m in fact.matched],
        "cycle": fact.cycle,
        "version": fact.version,
        "eol": _date_or_flag(fact.eol),
        "support": _date_or_flag(fact.support),
        "extendedSupport": _date_or_flag(fact.extended_support),
        "latest": fact.latest,
        "latestReleaseDate": fact.latest_release_date.isoformat()
        if fact.latest_release_date
        else None,
        "source": fact.source,
        "link": fact.link,
        "notes": list(fact.notes),
    }


def _date_or_flag(value: date | bool | None) -> str | bool | None:
    return value.isoformat() if isinstance(value, date) else value


def _kev(entry: KevEntry) -> dict[str, Any]:
    return {
        "cveId": entry.cve_id,
        "dateAdded": entry.date_added.isoformat(),
        "dueDate": entry.due_date.isoformat() if entry.due_date else None,
        "knownRansomwareCampaignUse": entry.known_ransomware_campaign_use,
        "vulnerabilityName": entry.vulnerability_name,
        "requiredAction": entry.required_action,
        "source": entry.source,
    }


def _epss(score: EpssScore) -> dict[str, Any]:
    return {
        "cve": score.cve,
        "score": score.epss,
        "percentile": score.percentile,
        "scoreDate": score.score_date,
        "modelVersion": score.model_version,
        "source": score.source,
    }


def _diagnostic(diag: Diagnostic) -> dict[str, Any]:
    return {
        "code": diag.code,
        "level": diag.level.value,
        "message": diag.message,
        "path": diag.path,
        "line": diag.line,
        "component": diag.component,
    }


def _source(source: DbProvenance) -> dict[str, Any]:
    return {
        "source": source.source,
        "kind": source.kind,
        "fileName": source.file_name,
        "sha256": source.sha256,
        "records": source.records,
        "invalidRecords": source.invalid_records,
        "newestModified": source.newest_modified,
        "importedAt": source.imported_at,
        "capturedAt": source.captured_at,
        "checkedAt": source.checked_at,
    }


def _input(item: InputFile) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": item.path, "kind": item.kind, "sha256": item.sha256}
    if item.properties:
        entry["properties"] = [list(p) for p in item.properties]
    return entry
