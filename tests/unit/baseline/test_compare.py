"""Identity of a violation across runs, and the comparison's invariants (hypothesis)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.baseline import (
    CARRIED_OVER,
    NEW,
    baseline_from_document,
    compare,
    component_identity,
    marks,
)
from mdrgate.model import (
    Advisory,
    Finding,
    Inventory,
    OutcomeStatus,
    Product,
    RuleOutcome,
    RunResult,
    Verdict,
)
from mdrgate.model.baseline import BaselineFailure, BaselineSource, MatchedBy
from mdrgate.report.decision import decision_document

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ref", "identity"),
    [
        ("pkg:pypi/requests@2.25.1", "pkg:pypi/requests"),
        ("pkg:pypi/requests@2.25.2", "pkg:pypi/requests"),
        ("pkg:github/mbed-tls/mbedtls@v2.28.3", "pkg:github/mbed-tls/mbedtls"),
        # Qualifiers go too: the download URL names the version as well.
        (
            "pkg:generic/lwip@2.1.3?download_url=https://download.savannah.nongnu.org/releases/"
            "lwip/lwip-2.1.3.zip",
            "pkg:generic/lwip",
        ),
        ("pkg:npm/%40angular/core@17.0.0", "pkg:npm/%40angular/core"),
        ("pkg:pypi/requests", "pkg:pypi/requests"),
        # mdrgate's own reference for a component without purl: class:name@version.
        ("firmware:FatFs@R0.14b", "firmware:FatFs"),
        ("host:Service Tool@unknown", "host:Service Tool"),
        ("firmware:name@with@at@1.0", "firmware:name@with@at"),
        # Anything else is its own identity (never guessed).
        ("inventory", "inventory"),
        ("other:thing@1.0", "other:thing@1.0"),
        ("pkg:", "pkg:"),
    ],
)
def test_component_identity(ref: str, identity: str) -> None:
    assert component_identity(ref) == identity


def _outcome(
    ref: str, advisory: str | None = None, rule: str = "MDR-VULN-001", status: str = "fail"
) -> RuleOutcome:
    name = ref.rsplit("/", 1)[-1].replace("@", " ")
    return RuleOutcome(
        rule, "t", OutcomeStatus(status), ref, name, f"{advisory} {name}", None, advisory
    )


def _failure(
    ref: str, advisory: str | None = None, *names: str, rule: str = "MDR-VULN-001"
) -> BaselineFailure:
    name = ref.rsplit("/", 1)[-1].replace("@", " ")
    vulnerability = tuple(sorted({n.upper() for n in (advisory, *names) if n}))
    return BaselineFailure(rule, ref, name, advisory, f"{advisory} {name}", vulnerability)


def _source(*failures: BaselineFailure) -> BaselineSource:
    return BaselineSource(
        "base/decision.json", "0" * 64, "1.1", "0.1", "p", "1", "t0", "t1", "fail", failures
    )


def _finding(ref: str, advisory: str, *aliases: str, same_as: tuple[str, ...] = ()) -> Finding:
    return Finding(ref, Advisory(advisory, "osv", aliases), (), same_as=same_as)


def test_same_violation_is_carried_over() -> None:
    now = _outcome("pkg:pypi/requests@2.25.1", "PYSEC-2023-74")
    result = compare(_source(_failure("pkg:pypi/requests@2.25.1", "PYSEC-2023-74")), [now], [])
    assert result.new == ()
    assert [(c.outcome, c.matched_by) for c in result.carried_over] == [(now, MatchedBy.SAME)]
    assert result.resolved == ()


def test_version_bump_keeping_the_vulnerability_is_not_new() -> None:
    now = _outcome("pkg:pypi/requests@2.25.2", "PYSEC-2023-74")
    was = _failure("pkg:pypi/requests@2.25.1", "PYSEC-2023-74", "CVE-2023-32681")
    result = compare(_source(was), [now], [_finding(now.subject, "PYSEC-2023-74")])
    assert result.new == ()
    assert [(c.was, c.matched_by) for c in result.carried_over] == [(was, MatchedBy.COMPONENT)]


def test_another_id_of_the_same_vulnerability_is_recognised_by_alias() -> None:
    # The baseline knew the PYSEC record; now the GHSA record of the same CVE is reported.
    now = _outcome("pkg:pypi/requests@2.25.2", "GHSA-j8r2-6x86-q33q")
    finding = _finding(now.subject, "GHSA-j8r2-6x86-q33q", "CVE-2023-32681")
    was = _failure("pkg:pypi/requests@2.25.1", "PYSEC-2023-74", "CVE-2023-32681")
    result = compare(_source(was), [now], [finding])
    assert result.new == () and result.resolved == ()
    # ... and by the ids merged into a finding (sameAs).
    merged = _finding(now.subject, "GHSA-j8r2-6x86-q33q", same_as=("PYSEC-2023-74",))
    assert compare(_source(was), [now], [merged]).new == ()


def test_another_vulnerability_of_the_same_component_is_new() -> None:
    now = _outcome("pkg:pypi/requests@2.19.1", "PYSEC-2018-28")
    was = _failure("pkg:pypi/requests@2.25.1", "PYSEC-2023-74", "CVE-2023-32681")
    result = compare(
        _source(was), [now], [_finding(now.subject, "PYSEC-2018-28", "CVE-2018-18074")]
    )
    assert result.new == (now,)
    assert result.resolved == (was,)


def test_one_baseline_violation_excuses_one_current_violation() -> None:
    # A second copy of the component with the same vulnerability is a new violation.
    host = _outcome("pkg:pypi/requests@2.25.1", "PYSEC-2023-74")
    second = _outcome("pkg:pypi/requests@2.31.0rc1", "PYSEC-2023-74")
    result = compare(_source(_failure(host.subject, "PYSEC-2023-74")), [second, host], [])
    assert [c.outcome for c in result.carried_over] == [host]
    assert result.new == (second,)


def test_other_rule_or_other_component_is_new() -> None:
    was = _failure("pkg:pypi/requests@2.25.1", "PYSEC-2023-74")
    other_rule = _outcome("pkg:pypi/requests@2.25.1", "PYSEC-2023-74", rule="MDR-VULN-002")
    other_component = _outcome("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-74")
    result = compare(_source(was), [other_rule, other_component], [])
    assert set(result.new) == {other_rule, other_component}
    assert result.resolved == (was,)


def test_only_failures_count() -> None:
    # A warning now is not a violation; a baseline warning is not in the baseline's failures.
    warned = _outcome("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-212", status="warn")
    result = compare(_source(), [warned], [])
    assert result.new == () and result.carried_over == ()


def test_component_rule_across_versions() -> None:
    now = _outcome("pkg:generic/cpython@3.8.20", None, rule="MDR-SOUP-001")
    was = _failure("pkg:generic/cpython@3.8.10", None, rule="MDR-SOUP-001")
    result = compare(_source(was), [now], [])
    assert [c.matched_by for c in result.carried_over] == [MatchedBy.COMPONENT]
    # A vulnerability outcome never matches a rule outcome without advisory, even of one rule.
    vuln = _outcome("pkg:generic/cpython@3.8.20", "CVE-2007-4559", rule="MDR-SOUP-001")
    assert compare(_source(was), [vuln], []).new == (vuln,)


def test_marks_follow_the_comparison_one_for_one() -> None:
    same = _outcome("pkg:pypi/requests@2.25.1", "PYSEC-2023-74")
    passed = _outcome("pkg:pypi/idna@3.7", None, rule="MDR-SOUP-005", status="pass")
    comparison = compare(_source(_failure(same.subject, "PYSEC-2023-74")), [same, same], [])
    assert marks([same, passed, same], comparison) == [CARRIED_OVER, None, NEW]
    assert marks([same, passed], None) == [None, None]


# --- properties -------------------------------------------------------------------------------

_REFS = [
    "pkg:pypi/requests@2.25.1",
    "pkg:pypi/requests@2.25.2",
    "pkg:pypi/urllib3@1.26.4",
    "firmware:FatFs@R0.14b",
    "firmware:FatFs@R0.15",
    "inventory",
]
_ADVISORIES: list[tuple[str, tuple[str, ...]]] = [
    ("PYSEC-2023-74", ("CVE-2023-32681",)),
    ("GHSA-j8r2-6x86-q33q", ("CVE-2023-32681",)),
    ("PYSEC-2018-28", ("CVE-2018-18074",)),
]
outcomes_st = st.lists(
    st.builds(
        lambda rule, ref, advisory, status, message: RuleOutcome(
            rule, "t", status, ref, ref.split("@")[0], message, None, advisory
        ),
        st.sampled_from(["MDR-VULN-001", "MDR-SOUP-001"]),
        st.sampled_from(_REFS),
        st.one_of(st.none(), st.sampled_from([a for a, _ in _ADVISORIES])),
        st.sampled_from(list(OutcomeStatus)),
        st.sampled_from(["m1", "m2"]),
    ),
    max_size=12,
)


def _findings(outcomes: list[RuleOutcome]) -> list[Finding]:
    aliases = dict(_ADVISORIES)
    keys = {(o.subject, o.advisory) for o in outcomes if o.advisory}
    return [_finding(ref, advisory, *aliases[advisory]) for ref, advisory in sorted(keys)]


def _as_baseline(outcomes: list[RuleOutcome]) -> BaselineSource:
    """The outcomes through a real decision.json document, as a baseline reads it."""
    result = RunResult(
        product=Product("p", "1"),
        inventory=Inventory(),
        findings=tuple(_findings(outcomes)),
        diagnostics=(),
        verdict=Verdict.from_outcomes(outcomes),
        inputs=(),
        policies=(),
        database=(),
        database_path=None,
        started_at=NOW,
        finished_at=NOW,
        tool_version="0",
    )
    document = decision_document(result)
    return baseline_from_document(document, path="base.json", sha256=hashlib.sha256().hexdigest())


@settings(max_examples=150, deadline=None)
@given(outcomes_st)
def test_a_decision_compared_with_itself_has_nothing_new(outcomes: list[RuleOutcome]) -> None:
    comparison = compare(_as_baseline(outcomes), outcomes, _findings(outcomes))
    failures = [o for o in outcomes if o.status is OutcomeStatus.FAIL]
    assert comparison.new == ()
    assert comparison.resolved == ()
    assert len(comparison.carried_over) == len(failures)
    assert {c.matched_by for c in comparison.carried_over} <= {MatchedBy.SAME}


@settings(max_examples=150, deadline=None)
@given(outcomes_st, outcomes_st, st.randoms(use_true_random=False))
def test_comparison_is_a_partition_independent_of_order(
    before: list[RuleOutcome], now: list[RuleOutcome], rnd: random.Random
) -> None:
    source = _as_baseline(before)
    findings = _findings(now)
    comparison = compare(source, now, findings)
    failures = [o for o in now if o.status is OutcomeStatus.FAIL]
    # Every current failure is new or carried over, every baseline failure carried or resolved.
    assert sorted([*comparison.new, *(c.outcome for c in comparison.carried_over)], key=repr) == (
        sorted(failures, key=repr)
    )
    assert sorted([*(c.was for c in comparison.carried_over), *comparison.resolved], key=repr) == (
        sorted(source.failures, key=repr)
    )
    shuffled_now, shuffled_findings = list(now), list(findings)
    rnd.shuffle(shuffled_now)
    rnd.shuffle(shuffled_findings)
    reordered = replace(source, failures=tuple(rnd.sample(source.failures, len(source.failures))))
    again = compare(reordered, shuffled_now, shuffled_findings)
    assert (again.new, again.carried_over, again.resolved) == (
        comparison.new,
        comparison.carried_over,
        comparison.resolved,
    )


@settings(max_examples=100, deadline=None)
@given(outcomes_st)
def test_idempotent(outcomes: list[RuleOutcome]) -> None:
    source = _as_baseline(outcomes)
    findings = _findings(outcomes)
    assert compare(source, outcomes, findings) == compare(source, outcomes, findings)
