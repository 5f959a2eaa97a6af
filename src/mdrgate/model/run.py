"""The product under test, the inputs and data a run used, and the run's whole result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mdrgate.model.assessment import AppliedAssessment, Assessment
from mdrgate.model.component import Inventory
from mdrgate.model.diagnostic import Diagnostic
from mdrgate.model.finding import Finding
from mdrgate.model.support import SupportFacts
from mdrgate.model.verdict import Verdict


class SafetyClass(StrEnum):
    """IEC 62304 software safety class."""

    A = "A"
    B = "B"
    C = "C"


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    version: str
    manufacturer: str | None = None
    safety_class: SafetyClass = SafetyClass.C


@dataclass(frozen=True, slots=True, order=True)
class InputFile:
    """An input the run read, with its digest, so evidence can show exactly what was assessed."""

    path: str
    kind: str
    sha256: str
    properties: tuple[tuple[str, str], ...] = ()
    """What the input says about itself, as (name, value) pairs: a compiled image's format,
    build-id and toolchain (``firmware-image`` inputs); empty for other inputs."""


@dataclass(frozen=True, slots=True)
class PolicyRef:
    path: str
    name: str
    version: str
    sha256: str


@dataclass(frozen=True, slots=True)
class DbProvenance:
    """One source imported into the vulnerability database."""

    source: str
    kind: str
    file_name: str
    sha256: str
    records: int
    invalid_records: int
    newest_modified: str | None
    imported_at: str
    captured_at: str | None = None
    """When the publisher produced the data (RFC 3339, UTC), as the data states it (NVD feed
    timestamp, KEV release, EPSS score date) or as the importer was told; ``None`` if unknown."""
    checked_at: str | None = None
    """When ``db update`` last confirmed this is the publisher's current data (downloaded it, or
    was answered *304 Not Modified*); ``None`` for data only imported from files."""


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything a run concluded; reports render it, the gate turns it into an exit code."""

    product: Product
    inventory: Inventory
    findings: tuple[Finding, ...]
    diagnostics: tuple[Diagnostic, ...]
    verdict: Verdict
    inputs: tuple[InputFile, ...]
    policies: tuple[PolicyRef, ...]
    database: tuple[DbProvenance, ...]
    database_path: str | None
    started_at: datetime
    finished_at: datetime
    tool_version: str
    max_data_age_days: float | None = None
    """The data-age limit the database was checked against; ``None``: not checked."""
    support: tuple[SupportFacts, ...] = ()
    """endoflife.date product and release cycle of each component one names, by bom-ref."""
    assessments: tuple[Assessment, ...] = ()
    """The waivers and VEX statements the run read, in the order of their files."""
    applied: tuple[AppliedAssessment, ...] = ()
    """Which of them spoke about which finding, and with what effect."""
