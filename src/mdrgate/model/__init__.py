"""Frozen domain values shared by every stage of the pipeline; no I/O happens here."""

from mdrgate.model.advisory import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    RangeEvent,
    Reference,
    SeverityVector,
)
from mdrgate.model.component import (
    REGISTER_COLLECTOR,
    Component,
    ComponentClass,
    Hash,
    Inventory,
    LevelOfSupport,
    LinkedFile,
    Origin,
    Presence,
    SoupRecord,
)
from mdrgate.model.diagnostic import UNASSESSED_CODES, Diagnostic, DiagnosticLevel
from mdrgate.model.exploitation import EpssScore, KevEntry
from mdrgate.model.finding import Finding, Rating
from mdrgate.model.run import DbProvenance, InputFile, PolicyRef, Product, RunResult, SafetyClass
from mdrgate.model.support import SupportFacts
from mdrgate.model.verdict import Action, OutcomeStatus, RuleOutcome, Verdict, VerdictStatus

__all__ = [
    "REGISTER_COLLECTOR",
    "UNASSESSED_CODES",
    "Action",
    "Advisory",
    "AffectedPackage",
    "AffectedRange",
    "Component",
    "ComponentClass",
    "DbProvenance",
    "Diagnostic",
    "DiagnosticLevel",
    "EpssScore",
    "Finding",
    "Hash",
    "InputFile",
    "Inventory",
    "KevEntry",
    "LevelOfSupport",
    "LinkedFile",
    "Origin",
    "OutcomeStatus",
    "PolicyRef",
    "Presence",
    "Product",
    "RangeEvent",
    "Rating",
    "Reference",
    "RuleOutcome",
    "RunResult",
    "SafetyClass",
    "SeverityVector",
    "SoupRecord",
    "SupportFacts",
    "Verdict",
    "VerdictStatus",
]
