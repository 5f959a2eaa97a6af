"""``mdrgate sbom``: the CycloneDX SBOM of the inputs, without vulnerability matching."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mdrgate.cli.common import Context, add_common, add_inputs
from mdrgate.errors import ExitCode, OutputError
from mdrgate.model import DiagnosticLevel


def register(verbs: Any) -> None:
    parser: argparse.ArgumentParser = verbs.add_parser(
        "sbom",
        help="write the CycloneDX 1.6 SBOM of the inputs",
        description="Inventory the inputs and write a CycloneDX 1.6 JSON SBOM "
        "(no vulnerability database needed).",
    )
    add_inputs(parser)
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout"
    )
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: Context) -> ExitCode:
    from mdrgate import __version__
    from mdrgate.atomic import write_file
    from mdrgate.config import display_path
    from mdrgate.pipeline import take_inventory
    from mdrgate.report.cyclonedx import render_sbom

    settings = ctx.settings(args)
    inventoried = take_inventory(settings)
    data = render_sbom(
        inventoried.product,
        inventoried.inventory,
        timestamp=ctx.now(),
        tool_version=__version__,
    )
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            write_file(args.output, data)
        except OSError as exc:
            raise OutputError(
                f"cannot write the SBOM: {exc.strerror or exc}",
                source=display_path(args.output, ctx.cwd),
            ) from None
        ctx.info(
            f"SBOM with {len(inventoried.inventory.components)} components written to "
            f"{display_path(args.output, ctx.cwd)}"
        )
    for diag in inventoried.inventory.diagnostics:
        where = f"{diag.location()}: " if diag.location() else ""
        text = f"{diag.level.value}: {where}{diag.message}"
        # -q silences the chatter, never a warning or an error about the inventory itself.
        if diag.level is DiagnosticLevel.INFO:
            ctx.info(text)
        else:
            ctx.warn(text)
    return ExitCode.PASS
