"""Command-line interface: parse arguments, run one verb, map the outcome to an exit code.

This package is the only place that prints, reads the environment and exits. Every verb returns
an ``ExitCode``; expected failures are ``MdrgateError``s shown as one clear message; anything else
is a bug, reported as such with exit code 70 (and its traceback with ``-v``).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from mdrgate import __version__
from mdrgate.cli.common import Context
from mdrgate.errors import ExitCode, MdrgateError
from mdrgate.gate import exit_code


def build_parser() -> argparse.ArgumentParser:
    from mdrgate.cli import check, db, policy, sbom

    parser = argparse.ArgumentParser(
        prog="mdrgate",
        description=(
            "Gate a medical device's software on its SOUP, known vulnerabilities and policy, "
            "and write the evidence."
        ),
        epilog="Exit codes: 0 pass, 1 policy violated, 2 usage or configuration invalid, "
        "3 input unreadable, 4 vulnerability data missing or unusable, 70 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"mdrgate {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND", required=True)
    db.register(verbs)
    sbom.register(verbs)
    check.register(verbs)
    policy.register(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context.from_args(args, env=os.environ, cwd=Path.cwd())
    try:
        code: ExitCode = args.handler(args, ctx)
    except MdrgateError as exc:
        ctx.error(exc.diagnostics())
        if ctx.verbose:
            traceback.print_exc(file=sys.stderr)
        return int(exit_code(exc))
    except KeyboardInterrupt as exc:
        ctx.error("interrupted; nothing was concluded")
        return int(exit_code(exc))
    except Exception as exc:  # noqa: BLE001 - the one catch-all: a bug must not look like a verdict
        ctx.error(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "  This is a bug in mdrgate; nothing was concluded about the gate. "
            "Run again with -v for the traceback and report it."
        )
        if ctx.verbose:
            traceback.print_exc(file=sys.stderr)
        return int(exit_code(exc))
    return int(code)
