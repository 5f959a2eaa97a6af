"""``mdrgate check``: the full gate — inventory, match, evaluate, write evidence, exit code."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mdrgate.cli.common import (
    Context,
    add_assessments,
    add_common,
    add_db,
    add_inputs,
    add_policy,
)
from mdrgate.errors import ExitCode
from mdrgate.gate import exit_code, gate_status


def register(verbs: Any) -> None:
    parser: argparse.ArgumentParser = verbs.add_parser(
        "check",
        help="run the gate and write the evidence",
        description="Inventory the inputs, match them against the vulnerability database, "
        "evaluate the policy, write the evidence and exit with the verdict's code.",
    )
    add_inputs(parser)
    add_db(parser, configured=True)
    add_policy(parser)
    add_assessments(parser)
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="evidence directory (default: the configuration's 'evidence', else ./evidence); "
        "replaced as a whole",
    )
    parser.add_argument(
        "--max-data-age",
        metavar="DAYS",
        help="refuse (exit 4) a vulnerability database with a source older than DAYS, or of "
        "unknown age; 'off' disables the check (default: $MDRGATE_MAX_DATA_AGE, the "
        "configuration's 'max_data_age', else 7)",
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="also ask the OSV API (https://api.osv.dev, or $MDRGATE_OSV_API) about every "
        "component of an ecosystem mdrgate matches, and merge its advisories with the "
        "database's (one finding per advisory, its source named); the database is still "
        "required; if the API cannot be reached or answers incompletely, the check ends with "
        "exit code 4, never with a pass",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="PATH",
        help="a previous decision.json, or the evidence directory holding one (the base "
        "branch's, for a pull request): fail only on violations that are new relative to it; "
        "the others are listed as carried over, the baseline's that are gone as resolved. A "
        "baseline that cannot be read, or of another product, is a usage error (exit 2)",
    )
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: Context) -> ExitCode:
    from mdrgate.config import display_path
    from mdrgate.evidence import write_evidence
    from mdrgate.pipeline import run
    from mdrgate.report import render_evidence
    from mdrgate.report.terminal import print_summary

    settings = ctx.settings(args)
    baseline = None
    if args.baseline is not None:
        from mdrgate.baseline import check_product, load_baseline

        # Read before the run: the evidence directory written below may be the baseline's own.
        baseline = load_baseline(args.baseline, display=display_path(args.baseline, ctx.cwd))
        check_product(baseline, settings.product.name)
    if args.online:
        from mdrgate.fetch import HttpClient
        from mdrgate.vulndb.osv_api import API_ENV, OsvApi, api_url

        base = api_url(ctx.env.get(API_ENV))
        ctx.info(f"checking online as well: {base}")
        with HttpClient() as client:
            result = run(settings, clock=ctx.now, cwd=ctx.cwd, online=OsvApi(client, base))
    else:
        result = run(settings, clock=ctx.now, cwd=ctx.cwd)
    if baseline is not None:
        from mdrgate.baseline import with_baseline

        result = with_baseline(result, baseline)
    shown = display_path(settings.evidence_dir, ctx.cwd)
    # Evidence first, verdict second: a failing gate still leaves its reasons behind.
    write_evidence(settings.evidence_dir, render_evidence(result), display=shown)
    code = exit_code(result)
    if ctx.quiet:
        comparison = result.verdict.baseline
        against = (
            f"; {len(comparison.new)} new, {len(comparison.carried_over)} carried over"
            if comparison is not None
            else ""
        )
        status = gate_status(result.verdict).value.upper()
        ctx.out.print(f"mdrgate: {status} (exit {int(code)}){against}")
    else:
        print_summary(result, ctx.out, evidence_dir=shown, verbose=ctx.verbose)
    return code
