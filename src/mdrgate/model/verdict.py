"""Policy outcomes and the verdict they add up to: the verdict is a value, not an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mdrgate.model.baseline import BaselineComparison


class Action(StrEnum):
    """What a rule does when its condition holds."""

    FAIL = "fail"
    WARN = "warn"
    INFO = "info"


class OutcomeStatus(StrEnum):
    """The result of one rule for one subject."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    INFO = "info"
    SUPPRESSED = "suppressed"
    """A failing or warning outcome about a finding that a valid waiver or a VEX ``not_affected``
    / ``fixed`` statement covers: shown with the assessment in its evidence, never failing."""

    @classmethod
    def for_action(cls, action: Action) -> OutcomeStatus:
        return cls(action.value)


class VerdictStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """One rule applied to one subject (a component, a component x advisory, or the inventory).

    ``subject`` is a bom-ref (or ``inventory``); ``advisory`` is set for vulnerability rules.
    ``evidence`` lists the facts the outcome rests on, for people and auditors.
    """

    rule_id: str
    rule_type: str
    status: OutcomeStatus
    subject: str
    subject_name: str
    message: str
    clause: str | None = None
    advisory: str | None = None
    evidence: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.rule_id, self.subject, self.advisory or "")


@dataclass(frozen=True, slots=True)
class Verdict:
    """All outcomes of a run and the overall status: ``fail`` if any outcome failed."""

    status: VerdictStatus
    outcomes: tuple[RuleOutcome, ...]
    baseline: BaselineComparison | None = None
    """Set by ``check --baseline``: which failures a previous run already had. ``status`` still
    counts every failure; ``mdrgate.gate`` decides what the comparison excuses."""

    @classmethod
    def from_outcomes(cls, outcomes: list[RuleOutcome] | tuple[RuleOutcome, ...]) -> Verdict:
        ordered = tuple(sorted(outcomes, key=lambda o: o.sort_key))
        failed = any(o.status is OutcomeStatus.FAIL for o in ordered)
        return cls(VerdictStatus.FAIL if failed else VerdictStatus.PASS, ordered)

    def count(self, status: OutcomeStatus) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def failures(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is OutcomeStatus.FAIL)

    @property
    def warnings(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status is OutcomeStatus.WARN)
