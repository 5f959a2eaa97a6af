"""PR baseline: which of a run's failures a previous run (the base branch's evidence) already had.

``mdrgate check --baseline PATH`` reads a previous ``decision.json`` (or the evidence directory
holding one) and fails only on violations that are *new*; the others are reported as *carried
over*, and the baseline's violations that are gone as *resolved*. This is what a pull-request check
needs: a PR is judged by what it introduces, while the product's state stays fully visible.

Design (also in the README, "PR baseline"):

* A **violation** is a failed rule outcome. Warnings and passes are not compared: a baseline
  warning that is a failure now is a new violation.
* **Identity across runs.** A violation is identified by its rule id, its subject's component
  identity and, for vulnerability rules, its vulnerability:

  - component identity is the subject's bom-ref *without version*: a purl's type, namespace and
    name (version, qualifiers and subpath dropped — qualifiers such as ``download_url`` carry the
    version too), else mdrgate's own ``class:name@version`` reference without ``@version``, else
    the reference as it is (``inventory``);
  - the vulnerability is every name the finding carries: advisory id, aliases and the ids merged
    into it (``sameAs``); two violations concern the same vulnerability when these sets share a
    name (a PYSEC record in the baseline, the GHSA record of the same CVE now).

  So a PR that bumps requests 2.25.1 to 2.25.2 while CVE-X still affects it introduces no new
  violation: the product had CVE-X in requests before and has it still. (Dependency-Track loses
  its triage on a version change; the question here is different — *what did this PR add* — and a
  version bump that keeps a vulnerability adds nothing.) A bump that brings a vulnerability the old
  version did not have is new.
* **Matching** is one-to-one, in two passes over sorted lists (deterministic, independent of input
  order): first same rule, same bom-ref and same advisory id; then, among what is left, same rule
  and component identity and a shared vulnerability name (or both without advisory). One baseline
  violation excuses at most one current violation: a PR that adds a second copy of a component
  with the same vulnerability has one new violation.
* **Truthful evidence.** A carried-over failure stays a failed outcome; ``verdict.status`` in
  ``decision.json`` keeps its meaning (any failure → fail). The gate (``mdrgate.gate``) counts only
  the failures the comparison lists as carried over as excused; ``verdict.gateStatus`` records the
  result.
* **A bad baseline is an error, never "no baseline"** (that would hide everything, or nothing):
  a missing or unreadable file, invalid JSON, a document that is not a decision record, a schema
  major version other than 1, or a baseline of another product → exit 2 naming the file.

This module is not a renderer (``mdrgate.report`` renders a finished run; this reads an input
that shapes the verdict), hence its place beside ``gate``. ``load_baseline`` does the reading;
everything else is pure.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from mdrgate.documents import Document
from mdrgate.errors import UsageError
from mdrgate.model import ComponentClass, Finding, OutcomeStatus, RuleOutcome, RunResult
from mdrgate.model.baseline import (
    BaselineComparison,
    BaselineFailure,
    BaselineSource,
    CarriedOver,
    MatchedBy,
)
from mdrgate.textfiles import read_bytes_and_text

DECISION_FILE = "decision.json"
SUPPORTED_MAJOR = "1"
_SCHEMA = ("schemas", "decision-baseline.schema.json")
_CLASS_REF = re.compile(
    r"^(?P<cls>" + "|".join(re.escape(c.value) for c in ComponentClass) + r"):(?P<name>.+)@[^@]*$"
)


def load_baseline(path: Path, *, display: str) -> BaselineSource:
    """Read a previous ``decision.json`` (or the one in the evidence directory ``path``).

    Every problem is a ``UsageError`` (exit 2) naming the file: a baseline that cannot be read must
    stop the check, not turn it into a check without baseline.
    """
    file, shown = path, display
    if path.is_dir():
        file, shown = path / DECISION_FILE, f"{display.rstrip('/')}/{DECISION_FILE}"
    hint = "pass the base branch's decision.json, or the evidence directory holding it"
    try:
        raw, text = read_bytes_and_text(
            file, display=shown, error=UsageError, expected="a decision.json"
        )
    except UsageError as exc:
        raise UsageError(f"baseline {exc.message}", source=shown, hint=hint) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"baseline is not valid JSON: {exc.msg}", source=shown, location=str(exc.lineno)
        ) from None
    except RecursionError:
        raise UsageError("baseline JSON is nested too deeply to be read", source=shown) from None
    return baseline_from_document(data, path=shown, sha256=hashlib.sha256(raw).hexdigest())


def baseline_from_document(data: Any, *, path: str, sha256: str) -> BaselineSource:
    """A parsed ``decision.json`` as a baseline: schema major version 1, the keys it relies on.

    ``path`` names the document in errors and in the evidence; ``sha256`` is its digest.
    """
    hint = "pass the base branch's decision.json, or the evidence directory holding it"
    if not isinstance(data, dict) or "schemaVersion" not in data:
        raise UsageError(
            "baseline is not an mdrgate decision record (no schemaVersion)", source=path, hint=hint
        )
    version = data["schemaVersion"]
    major = version.split(".", 1)[0] if isinstance(version, str) else None
    if major != SUPPORTED_MAJOR:
        raise UsageError(
            f"baseline has decision schema version {version!r}; this mdrgate reads version "
            f"{SUPPORTED_MAJOR}.x",
            source=path,
            hint="produce the baseline with a compatible mdrgate, or run without --baseline",
        )
    from mdrgate.validation import validate

    try:
        validate(Document(path, data, {}), _SCHEMA, what="baseline", error=UsageError)
    except UsageError as exc:
        raise UsageError(
            f"baseline is not a usable decision record: {exc.message}",
            source=path,
            hint=exc.hint,
        ) from None
    return _source(data, path=path, sha256=sha256)


def _source(data: Mapping[str, Any], *, path: str, sha256: str) -> BaselineSource:
    names: dict[tuple[str, str], tuple[str, ...]] = {}
    for finding in data["findings"]:
        advisory = finding["advisory"]
        key = (finding["component"]["ref"], advisory["id"])
        names[key] = _names([advisory["id"], *advisory["aliases"], *finding.get("sameAs", [])])
    failures = tuple(
        sorted(
            (
                BaselineFailure(
                    rule_id=o["ruleId"],
                    subject=o["subject"]["ref"],
                    subject_name=o["subject"]["name"],
                    advisory=o["advisory"],
                    message=o["message"],
                    vulnerability=names.get((o["subject"]["ref"], o["advisory"]))
                    or _names([o["advisory"]]),
                )
                for o in data["outcomes"]
                if o["status"] == OutcomeStatus.FAIL.value
            ),
            key=_baseline_key,
        )
    )
    return BaselineSource(
        path=path,
        sha256=sha256,
        schema_version=data["schemaVersion"],
        tool_version=data["tool"]["version"],
        product_name=data["product"]["name"],
        product_version=data["product"]["version"],
        started_at=data["run"]["startedAt"],
        finished_at=data["run"]["finishedAt"],
        verdict=data["verdict"]["status"],
        failures=failures,
    )


def check_product(source: BaselineSource, product_name: str) -> None:
    """A baseline of another product compares nothing meaningful: refuse it (exit 2)."""
    if source.product_name != product_name:
        raise UsageError(
            f"baseline is the decision for product {source.product_name!r}, "
            f"but this check is for {product_name!r}",
            source=source.path,
            hint="pass the base branch's evidence of the same product",
        )


def component_identity(ref: str) -> str:
    """A subject's bom-ref without its version: what stays the same when the version changes."""
    if ref.startswith("pkg:"):
        from packageurl import PackageURL

        try:
            purl = PackageURL.from_string(ref)
        except ValueError:
            return ref
        versionless = PackageURL(type=purl.type, namespace=purl.namespace, name=purl.name)
        return str(versionless.to_string())
    match = _CLASS_REF.match(ref)
    if match:
        return f"{match['cls']}:{match['name']}"
    return ref


def _names(names: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({n.strip().upper() for n in names if n and n.strip()}))


def vulnerability_names(
    outcome: RuleOutcome, findings: Mapping[tuple[str, str], Finding]
) -> tuple[str, ...]:
    """Every name of an outcome's vulnerability: advisory id, aliases, merged ids (upper-case)."""
    if outcome.advisory is None:
        return ()
    finding = findings.get((outcome.subject, outcome.advisory))
    if finding is None:
        return _names([outcome.advisory])
    return _names([finding.advisory.id, *finding.advisory.aliases, *finding.same_as])


def _baseline_key(f: BaselineFailure) -> tuple[str, ...]:
    return (f.rule_id, f.subject, f.advisory or "", f.subject_name, f.message, *f.vulnerability)


def _outcome_key(o: RuleOutcome) -> tuple[str, ...]:
    return (*o.sort_key, o.subject_name, o.message, *o.evidence)


def compare(
    source: BaselineSource, outcomes: Iterable[RuleOutcome], findings: Iterable[Finding]
) -> BaselineComparison:
    """Split the failed ``outcomes`` into new and carried over; the baseline's rest is resolved."""
    index = {f.key: f for f in findings}
    current = sorted((o for o in outcomes if o.status is OutcomeStatus.FAIL), key=_outcome_key)
    baseline = sorted(source.failures, key=_baseline_key)
    taken = [False] * len(baseline)
    matched: dict[int, CarriedOver] = {}

    # Pass 1: the very same violation (rule, bom-ref, advisory id).
    same: dict[tuple[str, str, str | None], list[int]] = defaultdict(list)
    for j, was in enumerate(baseline):
        same[(was.rule_id, was.subject, was.advisory)].append(j)
    for i, outcome in enumerate(current):
        candidates = same.get((outcome.rule_id, outcome.subject, outcome.advisory))
        if candidates:
            j = candidates.pop(0)
            taken[j] = True
            matched[i] = CarriedOver(outcome, baseline[j], MatchedBy.SAME)

    # Pass 2: the same violation of the same component at another version, or under another name
    # of the same vulnerability.
    related: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, was in enumerate(baseline):
        if not taken[j]:
            related[(was.rule_id, component_identity(was.subject))].append(j)
    for i, outcome in enumerate(current):
        if i in matched:
            continue
        candidates = related.get((outcome.rule_id, component_identity(outcome.subject)), [])
        names = set(vulnerability_names(outcome, index))
        for position, j in enumerate(candidates):
            was = baseline[j]
            if (outcome.advisory is None) != (was.advisory is None):
                continue
            if outcome.advisory is None or names.intersection(was.vulnerability):
                del candidates[position]
                taken[j] = True
                matched[i] = CarriedOver(outcome, was, MatchedBy.COMPONENT)
                break

    return BaselineComparison(
        source=source,
        new=tuple(o for i, o in enumerate(current) if i not in matched),
        carried_over=tuple(matched[i] for i in sorted(matched)),
        resolved=tuple(was for j, was in enumerate(baseline) if not taken[j]),
    )


def with_baseline(result: RunResult, source: BaselineSource) -> RunResult:
    """``result`` with its verdict compared with ``source`` (outcomes unchanged)."""
    check_product(source, result.product.name)
    comparison = compare(source, result.verdict.outcomes, result.findings)
    return replace(result, verdict=replace(result.verdict, baseline=comparison))


NEW = "new"
CARRIED_OVER = "carried-over"


def marks(
    outcomes: Iterable[RuleOutcome], comparison: BaselineComparison | None
) -> list[str | None]:
    """For each outcome (in the order given): ``new``, ``carried-over``, or ``None`` (not a
    failure, or no baseline). Reports use this so they agree with the gate one for one."""
    if comparison is None:
        return [None for _ in outcomes]
    carried = Counter(c.outcome for c in comparison.carried_over)
    result: list[str | None] = []
    for outcome in outcomes:
        if outcome.status is not OutcomeStatus.FAIL:
            result.append(None)
        elif carried[outcome] > 0:
            carried[outcome] -= 1
            result.append(CARRIED_OVER)
        else:
            result.append(NEW)
    return result
