"""What every verb shares: the common flags, the consoles, the clock and path resolution."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mdrgate.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from mdrgate.config import Settings


def add_common(parser: argparse.ArgumentParser) -> None:
    out = parser.add_mutually_exclusive_group()
    out.add_argument("-q", "--quiet", action="store_true", help="print only the result line")
    out.add_argument(
        "-v", "--verbose", action="store_true", help="print more detail and tracebacks of errors"
    )


def add_db(parser: argparse.ArgumentParser, *, configured: bool = False) -> None:
    """``--db``; ``configured``: the verb also reads the configuration's ``database``."""
    where = "the configuration's 'database', " if configured else ""
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help=f"vulnerability database file (default: $MDRGATE_DB, {where}else vulndb.sqlite3 "
        "in the user cache directory)",
    )


def add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="directories or files to scan for inputs when no --config is given",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out paths below scanned directories matching GLOB (repeatable), "
        "e.g. 'build/*' or 'test_*'",
    )
    parser.add_argument(
        "--libraries",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="a directory outside the scanned paths whose static libraries a linker map names "
        "and that the link used on this machine (a sysroot, the toolchain's lib directory); "
        "its archives are read for their versions (repeatable)",
    )
    parser.add_argument(
        "-c",
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (default: ./mdrgate.yml when present and no PATH is given)",
    )


def add_policy(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="FILE",
        help="policy file, or builtin:NAME; repeat to compose (later files override earlier "
        "rules with the same id); replaces the configuration's policies",
    )


def add_assessments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--waivers",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="waivers file (waivers.yml); repeat for several; replaces the configuration's "
        "'waivers'",
    )
    parser.add_argument(
        "--vex",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="VEX document (OpenVEX, CycloneDX VEX or CSAF 2.0 VEX); repeat for several; "
        "replaces the configuration's 'vex'",
    )


@dataclass
class Context:
    """Per-invocation state: flags that shape output, the environment and the working directory."""

    quiet: bool
    verbose: bool
    env: Mapping[str, str]
    cwd: Path
    _out: Console | None = None
    _err: Console | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace, *, env: Mapping[str, str], cwd: Path) -> Context:
        return cls(
            quiet=bool(getattr(args, "quiet", False)),
            verbose=bool(getattr(args, "verbose", False)),
            env=env,
            cwd=cwd,
        )

    @property
    def out(self) -> Console:
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=True, emoji=False)
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
        return self._err

    def error(self, text: str) -> None:
        self._to_stderr(text, prefix="error: ", style="bold red")

    def warn(self, text: str) -> None:
        """Printed even with ``-q``: warnings and errors are never chatter."""
        self._to_stderr(text)

    def info(self, text: str) -> None:
        if not self.quiet:
            self._to_stderr(text)

    def _to_stderr(self, text: str, *, prefix: str = "", style: str = "") -> None:
        """A terminal gets rich's colours; a pipe or CI log gets the same line as plain text,
        without paying rich's import (a large part of a short run's time)."""
        if sys.stderr.isatty() or self.env.get("FORCE_COLOR"):
            label = f"[{style}]{_escape(prefix)}[/]" if prefix and style else _escape(prefix)
            self.err.print(f"{label}{_escape(text)}")
        else:
            sys.stderr.write(f"{prefix}{text}\n")
            sys.stderr.flush()

    def now(self) -> datetime:
        """The run's clock: ``SOURCE_DATE_EPOCH`` when set (reproducible evidence), else now."""
        epoch = self.env.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                return datetime.fromtimestamp(int(epoch), tz=UTC)
            except (ValueError, OverflowError, OSError):
                raise UsageError(
                    f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, got {epoch!r}"
                ) from None
        return datetime.now(tz=UTC).replace(microsecond=0)

    def settings(self, args: argparse.Namespace) -> Settings:
        from mdrgate.config import resolve_settings

        return resolve_settings(
            config=args.config,
            paths=args.paths,
            database=getattr(args, "db", None),
            policies=getattr(args, "policy", []),
            evidence_dir=getattr(args, "out", None),
            env=self.env,
            cwd=self.cwd,
            excludes=getattr(args, "exclude", []),
            libraries=getattr(args, "libraries", []),
            max_age=getattr(args, "max_data_age", None),
            waivers=getattr(args, "waivers", []),
            vex=getattr(args, "vex", []),
        )

    def database(self, args: argparse.Namespace) -> Path:
        """The database path for ``db`` verbs: flag, environment, default."""
        from mdrgate.config import database_path

        return database_path(args.db, self.env)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
