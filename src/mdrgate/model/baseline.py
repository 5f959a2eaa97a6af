"""A run's failures compared with a previous run's (a pull request's evidence vs its base branch's).

Values only; how failures are matched is ``mdrgate.baseline``, what the gate makes of the
comparison is ``mdrgate.gate``. A comparison never changes an outcome: a carried-over failure is
still a failed outcome, the comparison only says that the baseline already had it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mdrgate.model.verdict import RuleOutcome


class MatchedBy(StrEnum):
    """How a current failure was recognised in the baseline."""

    SAME = "same"
    """Same rule, same subject (bom-ref) and same advisory id."""
    COMPONENT = "component"
    """Same rule and vulnerability, same component at another version (or under another advisory
    id of the same vulnerability)."""


@dataclass(frozen=True, slots=True)
class BaselineFailure:
    """A failed outcome as the baseline's ``decision.json`` recorded it."""

    rule_id: str
    subject: str
    subject_name: str
    advisory: str | None
    message: str
    vulnerability: tuple[str, ...] = ()
    """Every name of the outcome's vulnerability the baseline knew (advisory id, its aliases and
    the ids merged into its finding), upper-cased and sorted; empty for other rules."""


@dataclass(frozen=True, slots=True)
class BaselineSource:
    """Which document the comparison was made with, so the evidence can name it exactly."""

    path: str
    sha256: str
    schema_version: str
    tool_version: str
    product_name: str
    product_version: str
    started_at: str
    finished_at: str
    verdict: str
    failures: tuple[BaselineFailure, ...]


@dataclass(frozen=True, slots=True)
class CarriedOver:
    """A current failure the baseline already had (``was``)."""

    outcome: RuleOutcome
    was: BaselineFailure
    matched_by: MatchedBy


@dataclass(frozen=True, slots=True)
class BaselineComparison:
    """Every current failure is either ``new`` or ``carried_over``; ``resolved`` are the baseline's
    failures that no current failure matches."""

    source: BaselineSource
    new: tuple[RuleOutcome, ...]
    carried_over: tuple[CarriedOver, ...]
    resolved: tuple[BaselineFailure, ...]
