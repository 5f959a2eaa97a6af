"""The only module that knows the order of the stages: collect → enrich → evaluate.

It returns values; writing evidence and choosing the exit code happen after it, in the CLI and in
``gate``. Policies, waivers and VEX documents are loaded first so that a mistyped file fails
before any slow work is done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mdrgate import __version__
from mdrgate.collect import collect_inputs
from mdrgate.collect.base import digest_file
from mdrgate.config import Settings, display_path
from mdrgate.errors import DataError, UsageError
from mdrgate.model import InputFile, Inventory, Product, RunResult
from mdrgate.model.assessment import Assessment

if TYPE_CHECKING:
    from mdrgate.vulndb import VulnDb
    from mdrgate.vulndb.osv_api import OsvApi

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Inventoried:
    """What ``mdrgate sbom`` needs: the product and its inventory, no vulnerability data."""

    product: Product
    inventory: Inventory
    inputs: tuple[InputFile, ...]


def take_inventory(settings: Settings) -> Inventoried:
    if not settings.inputs:
        where = (
            f"the configuration {settings.config_path.name} lists no inputs"
            if settings.config_path
            else "no inputs were found under the given paths"
        )
        raise UsageError(
            f"nothing to assess: {where}",
            hint="mdrgate reads Python requirements, lock files and environments, npm/yarn/pnpm, "
            "Go and Cargo lock files, the SOUP register (soup.yml), firmware sources, build "
            "manifests, images and linker maps, and SBOMs; name them under 'inputs:' or pass "
            "their paths",
        )
    inventory, inputs = collect_inputs(settings.inputs)
    if settings.notes:
        notes = tuple(sorted({*inventory.diagnostics, *settings.notes}))
        inventory = Inventory(inventory.components, notes)
    return Inventoried(settings.product, inventory, inputs)


def run(settings: Settings, *, clock: Clock, cwd: Path, online: OsvApi | None = None) -> RunResult:
    """Collect, match and evaluate; raises ``MdrgateError`` subclasses for expected failures.

    ``online``: also ask the OSV API about the inventory (``check --online``); its advisories are
    merged with the local database's and its provenance joins the database's sources.
    """
    from mdrgate.enrich import match_inventory
    from mdrgate.enrich.end_of_life import support_for
    from mdrgate.enrich.exploitation import attach_exploitation
    from mdrgate.policy import EvaluationContext, evaluate, load_policies
    from mdrgate.policy.assessment_rules import match_assessments
    from mdrgate.vulndb import VulnDb

    started = clock()
    policy = load_policies(settings.policies, cwd=cwd)
    assessments, assessment_files = load_assessments(settings, cwd=cwd, today=started.date())
    inventoried = take_inventory(settings)
    inputs = tuple(sorted({*inventoried.inputs, *assessment_files}))
    if settings.config_path is not None:
        config_file = digest_file(
            settings.config_path, display=display_path(settings.config_path, cwd), kind="config"
        )
        inputs = tuple(sorted({*inputs, config_file}))
    with VulnDb.open(settings.database) as db:
        _require_fresh(db, settings.max_data_age_days, started)
        matches = None
        if online is not None:  # after the local database opened: its problems come first
            from mdrgate.enrich.online import match_online

            matches = match_online(inventoried.inventory, online, now=started)
        findings, match_notes = match_inventory(inventoried.inventory, db, online=matches)
        findings, exploitation_notes = attach_exploitation(findings, db)
        support, support_notes = support_for(inventoried.inventory, db)
        match_notes = (*match_notes, *exploitation_notes, *support_notes)
        sources = db.sources()
    if matches is not None:
        sources = (*sources, matches.provenance)
    diagnostics = tuple(sorted(set(inventoried.inventory.diagnostics) | set(match_notes)))
    from mdrgate.vulndb.freshness import age_days

    ctx = EvaluationContext(
        product=settings.product,
        inventory=inventoried.inventory,
        findings=findings,
        diagnostics=diagnostics,
        today=started.date(),
        sources=tuple(sorted({s.source for s in sources})),
        support=support,
        support_sources=tuple(sorted({s.source for s in sources if s.kind == "eol"})),
        assessments=assessments,
        source_ages=tuple((s.source, age_days(s, started)) for s in sources),
    )
    verdict = evaluate(policy, ctx)
    # The same pure matching evaluate applied, kept for the reports' per-finding records.
    applied = match_assessments(assessments, ctx.inventory, findings, ctx.today).applied
    return RunResult(
        product=settings.product,
        inventory=inventoried.inventory,
        findings=tuple(findings),
        support=support,
        diagnostics=diagnostics,
        verdict=verdict,
        inputs=inputs,
        policies=policy.sources,
        database=sources,
        database_path=str(settings.database),
        started_at=started,
        finished_at=clock(),
        tool_version=__version__,
        max_data_age_days=settings.max_data_age_days,
        assessments=assessments,
        applied=applied,
    )


def load_assessments(
    settings: Settings, *, cwd: Path, today: date
) -> tuple[tuple[Assessment, ...], tuple[InputFile, ...]]:
    """The waivers and VEX statements of the configured files, and the files as inputs.

    Any invalid file raises :class:`UsageError` (exit 2) naming the file and line.
    """
    from mdrgate.policy.waivers import load_waivers
    from mdrgate.vex import load_vex

    assessments: list[Assessment] = []
    files: list[InputFile] = []
    for path in settings.waivers:
        shown = display_path(path, cwd)
        _require_file(path, shown, "waivers")
        assessments.extend(load_waivers(path, display=shown, today=today))
        files.append(digest_file(path, display=shown, kind="waivers"))
    for path in settings.vex:
        shown = display_path(path, cwd)
        _require_file(path, shown, "vex")
        assessments.extend(load_vex(path, display=shown))
        files.append(digest_file(path, display=shown, kind="vex"))
    return tuple(assessments), tuple(files)


def _require_file(path: Path, shown: str, key: str) -> None:
    if not path.is_file():
        raise UsageError(
            f"{key} file not found",
            source=shown,
            hint=f"correct the path under '{key}:' in the configuration or in --{key}",
        )


def _require_fresh(db: VulnDb, max_days: float | None, now: datetime) -> None:
    """Refuse to gate on data older than the limit: old data would pass what new data fails."""
    from mdrgate.vulndb.freshness import too_old

    if max_days is None:
        return
    problems = too_old(db.sources(), now, max_days)
    if problems:
        raise DataError(
            "the vulnerability data is too old to gate on: " + "; ".join(problems),
            source=str(db.path),
            hint="update it (mdrgate db update, or mdrgate db import newer files), or set "
            "--max-data-age / max_data_age to the age your process accepts",
        )
