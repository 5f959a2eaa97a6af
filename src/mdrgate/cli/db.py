"""``mdrgate db import``, ``db update`` and ``db status``: the local vulnerability database."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdrgate.cli.common import Context, add_common, add_db
from mdrgate.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from rich.progress import Progress as Bars
    from rich.progress import TaskID

    from mdrgate.fetch import Progress
    from mdrgate.vulndb import DbStatus, ImportReport, SourceStatus
    from mdrgate.vulndb.update import UpdateReport


def register(verbs: Any) -> None:
    parser: argparse.ArgumentParser = verbs.add_parser(
        "db", help="build and inspect the local vulnerability database"
    )
    actions = parser.add_subparsers(dest="db_verb", metavar="ACTION", required=True)

    imp = actions.add_parser(
        "import",
        help="import feed files (OSV, NVD, CISA KEV, EPSS, endoflife.date)",
        description="Import feed files into the database: OSV export zips (<Ecosystem>/all.zip), "
        "NVD CVE JSON 2.0 yearly feeds or API answers (.json, .json.gz, .json.zip), the CISA KEV "
        "JSON catalog, FIRST EPSS CSV (.csv, .csv.gz) and endoflife.date data. Each file's kind "
        "is recognised from its content. Each file replaces the records of the source it came "
        "from; other sources are kept. The database is replaced atomically: a file that cannot "
        "be read leaves it unchanged.",
    )
    imp.add_argument("archives", nargs="+", type=Path, metavar="FILE", help="feed file")
    imp.add_argument(
        "--allow-older",
        action="store_true",
        help="replace a source even with an export older than the one in the database",
    )
    imp.add_argument(
        "--captured-at",
        metavar="TIME",
        help="when the files were downloaded from their publishers (a date or RFC 3339 time): "
        "their data counts as current as of then, for the data-age limit of 'check' (an OSV "
        "export or endoflife.date data states no capture time of its own)",
    )
    add_db(imp)
    add_common(imp)
    imp.set_defaults(handler=handle_import)

    _register_update(actions)

    status = actions.add_parser("status", help="show sources, counts, ages and digests")
    add_db(status)
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.add_argument(
        "--max-age",
        type=float,
        metavar="DAYS",
        help="exit 4 when a source's data is older than DAYS (or of unknown age)",
    )
    add_common(status)
    status.set_defaults(handler=handle_status)


def handle_import(args: argparse.Namespace, ctx: Context) -> ExitCode:
    from mdrgate.config import display_path
    from mdrgate.vulndb import import_feeds
    from mdrgate.vulndb.feeds import FeedFile

    db_path = ctx.database(args)
    now = ctx.now()
    files: list[Path | FeedFile] = list(args.archives)
    if args.captured_at is not None:
        captured = _captured_at(args.captured_at, now)
        files = [FeedFile(path, captured_at=captured) for path in args.archives]
    report = import_feeds(db_path, files, now=now, allow_older=args.allow_older)
    shown = display_path(db_path, ctx.cwd)
    if not ctx.quiet:
        _print_import(report, shown, ctx)
    ctx.out.print(
        f"imported {report.records} records from {len(report.sources)} "
        f"file{'s' if len(report.sources) != 1 else ''} into {shown} "
        f"in {report.seconds:.2f} s ({report.size_bytes / 1e6:.1f} MB)"
    )
    return ExitCode.PASS


def _captured_at(text: str, now: datetime) -> str:
    """``--captured-at`` as RFC 3339 UTC; a UsageError for a time that is unreadable or ahead."""
    from mdrgate.vulndb.feeds import parse_timestamp, utc_text

    moment = parse_timestamp(text)
    if moment is None:
        raise UsageError(
            f"--captured-at: expected a date (2026-11-27) or an RFC 3339 time, got {text!r}"
        )
    if moment > now:
        raise UsageError(f"--captured-at: {utc_text(moment)} is later than now ({utc_text(now)})")
    return utc_text(moment)


def _print_import(report: ImportReport, shown: str, ctx: Context) -> None:
    from rich.markup import escape

    for source in report.sources:
        prov = source.provenance
        was = (
            "new source"
            if source.previous_records is None
            else f"replaces {source.previous_records} records"
        )
        withdrawn = "rejected" if prov.kind == "nvd" else "withdrawn"
        line = (
            f"  {escape(prov.source)}: {prov.records} {_unit(prov.kind)} from "
            f"{escape(prov.file_name)} ({was}"
        )
        if prov.kind in ("osv", "nvd"):
            line += f"; {source.withdrawn_records} {withdrawn}"
        if prov.invalid_records:
            line += f"; {prov.invalid_records} violate the OSV schema"
        if source.skipped_records:
            line += f"; {source.skipped_records} unusable, skipped"
        ctx.out.print(line + ")")
        if ctx.verbose:
            for bad in source.invalid:
                state = "imported" if bad.imported else "skipped"
                ctx.out.print(
                    f"      {escape(bad.id or bad.entry)} ({state}): {escape(bad.reason)}"
                )
    for kept in report.kept_sources:
        ctx.out.print(f"  {escape(kept)}: kept as it was")
    for warning in report.warnings:
        ctx.out.print(f"  [yellow]warning:[/] {escape(warning)}")
    del shown


def handle_status(args: argparse.Namespace, ctx: Context) -> ExitCode:
    from mdrgate.vulndb import VulnDb

    with VulnDb.open(ctx.database(args)) as db:
        status = db.status(now=ctx.now())
    if args.json:
        ctx.out.print_json(json.dumps(_status_json(status)), highlight=False)
    else:
        _print_status(status, ctx)
    if args.max_age is not None:
        stale = status.stale(args.max_age)
        if stale:
            from mdrgate.errors import DataError

            raise DataError(
                f"data older than {args.max_age:g} days: {'; '.join(stale)}",
                source=str(status.path),
                hint="import current files: mdrgate db import <feed files>",
            )
    return ExitCode.PASS


def _unit(kind: str) -> str:
    return {
        "osv": "records",
        "nvd": "CVE records",
        "kev": "KEV entries",
        "epss": "EPSS scores",
        "eol": "release cycles",
    }.get(kind, "records")


def _age(days: float | None) -> str:
    if days is None:
        return "unknown"
    if days < 1:
        return f"{days * 24:.0f} h"
    return f"{days:.0f} d"


def _print_status(status: DbStatus, ctx: Context) -> None:
    from rich.markup import escape

    ctx.out.print(f"database   {escape(str(status.path))}")
    ctx.out.print(
        f"schema     v{status.schema_version}, built by {escape(status.built_by)} "
        f"at {status.built_at}"
    )
    ctx.out.print(f"size       {status.size_bytes / 1e6:.1f} MB, sha256 {status.sha256}")
    for source in status.sources:
        prov = source.provenance
        ctx.out.print(f"source     {escape(prov.source)} ({prov.kind}): {_counts(source)}")
        captured = (
            f"captured {prov.captured_at} ({_age(source.captured_age_days)} old), "
            if prov.captured_at
            else "captured at an unknown time, "
        )
        ctx.out.print(
            f"             {captured}newest record {prov.newest_modified or 'unknown'} "
            f"({_age(source.newest_modified_age_days)} old)"
        )
        if prov.checked_at:
            ctx.out.print(
                f"             confirmed current by an update {prov.checked_at} "
                f"({_age(source.checked_age_days)} ago)"
            )
        ctx.out.print(
            f"             imported {prov.imported_at} ({_age(source.import_age_days)} ago) "
            f"from {escape(prov.file_name)}"
        )
        ctx.out.print(f"             sha256 {prov.sha256}")
    if ctx.verbose:
        for source in status.sources:
            prov = source.provenance
            for key, value in source.details:
                ctx.out.print(f"{escape(prov.source)}: {key} {escape(str(value))}")
            for bad in source.invalid:
                state = "imported" if bad.imported else "skipped"
                ctx.out.print(f"    {escape(bad.id or bad.entry)} ({state}): {escape(bad.reason)}")


def _counts(source: SourceStatus) -> str:
    prov = source.provenance
    text = f"{source.advisories} {_unit(prov.kind)}"
    if prov.kind == "osv":
        text += f" ({source.withdrawn} withdrawn"
        if prov.invalid_records:
            text += f", {prov.invalid_records} violate the OSV schema"
        text += ")"
    elif prov.kind == "nvd":
        text += f" ({source.withdrawn} rejected)"
    details = dict(source.details)
    if prov.kind == "eol" and "products" in details:
        text += f" of {details['products']} products"
    if prov.kind == "kev" and details.get("catalogVersion"):
        text += f", catalog version {details['catalogVersion']}"
    if prov.kind == "epss" and details.get("modelVersion"):
        text += f", model {details['modelVersion']}"
    return text


def _status_json(status: DbStatus) -> dict[str, Any]:
    return {
        "path": str(status.path),
        "sizeBytes": status.size_bytes,
        "sha256": status.sha256,
        "schemaVersion": status.schema_version,
        "builtBy": status.built_by,
        "builtAt": status.built_at,
        "ecosystems": dict(status.ecosystems),
        "sources": [
            {
                "source": s.provenance.source,
                "kind": s.provenance.kind,
                "file": s.provenance.file_name,
                "sha256": s.provenance.sha256,
                "records": s.provenance.records,
                "advisories": s.advisories,
                "withdrawn": s.withdrawn,
                "invalidRecords": s.provenance.invalid_records,
                "skippedRecords": s.skipped_records,
                "newestModified": s.provenance.newest_modified,
                "importedAt": s.provenance.imported_at,
                "capturedAt": s.provenance.captured_at,
                "checkedAt": s.provenance.checked_at,
                "ageDays": s.age_days,
                "details": dict(s.details),
                "invalid": [
                    {"entry": b.entry, "id": b.id, "reason": b.reason, "imported": b.imported}
                    for b in s.invalid
                ],
            }
            for s in status.sources
        ],
    }


# -- db update ----------------------------------------------------------------------------------

_UPDATE_DESCRIPTION = """\
Download the vulnerability sources from their official endpoints and swap the database once,
atomically: every source is downloaded into a temporary directory beside the database and
checked, then a new database is built beside the old one, integrity-checked and renamed into
place. If any source fails (after retries) or is unusable, the database is left byte-identical
and the exit code is 4.

Sources (--source, repeatable; default: every source the database already holds):
  osv:<Ecosystem>  OSV export of an ecosystem, e.g. osv:PyPI, osv:npm, osv:Go, osv:crates.io,
                   osv:Maven (https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip);
                   replaces the OSV sources of that ecosystem alone imported before
  nvd              NVD CVE API 2.0 (https://services.nvd.nist.gov/rest/json/cves/2.0): every CVE
                   the first time, then only the CVEs changed since the last update, merged into
                   the NVD sources already held (newer lastModified wins)
  kev              CISA Known Exploited Vulnerabilities catalog (JSON)
  epss             FIRST EPSS scores of the day (CSV, gzip)
  eol              endoflife.date catalog (API v1, /api/v1/products/full)
  eol:<product>    one endoflife.date product (API /api/<product>.json)

A source whose server answers 304 Not Modified to the validators (ETag, Last-Modified) kept
from the last download is left as it is.

Environment:
  NVD_API_KEY          NVD API key (sent as the apiKey header): 50 instead of 5 requests per
                       30 seconds
  MDRGATE_OSV_EXPORTS  base URL of the OSV exports     MDRGATE_NVD_API   NVD CVE API URL
  MDRGATE_KEV_URL      KEV catalog URL                 MDRGATE_EPSS_URL  EPSS scores URL
  MDRGATE_EOL_API      endoflife.date base URL
  HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE as usual.

Exit codes: 0 updated (or nothing changed), 2 usage error, 4 a source unreachable or unusable
(the database is left unchanged).

This product uses data from the NVD API but is not endorsed or certified by the NVD.
"""


def _register_update(actions: Any) -> None:
    update: argparse.ArgumentParser = actions.add_parser(
        "update",
        help="download OSV, NVD, CISA KEV, EPSS and endoflife.date data from their official "
        "endpoints",
        description=_UPDATE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    update.add_argument(
        "-s",
        "--source",
        action="append",
        default=[],
        metavar="SOURCE",
        help="a source to download: osv:<Ecosystem>, nvd, kev, epss, eol or eol:<product> "
        "(repeatable; default: the sources the database holds)",
    )
    update.add_argument(
        "--nvd-full",
        action="store_true",
        help="download every NVD CVE again instead of the changes since the last update",
    )
    update.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="seconds to wait for a connection and for each read of an answer (default 60)",
    )
    add_db(update)
    add_common(update)
    update.set_defaults(handler=handle_update)


def handle_update(args: argparse.Namespace, ctx: Context) -> ExitCode:
    import contextlib
    import sys

    from mdrgate.config import display_path
    from mdrgate.errors import UsageError
    from mdrgate.fetch import HttpClient, Timeouts
    from mdrgate.vulndb.update import ENV_NVD_KEY, Endpoints, Updater, parse_spec

    specs = [parse_spec(text) for text in args.source]
    if not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout:g}")
    endpoints = Endpoints.from_env(ctx.env)
    db_path = ctx.database(args)
    key = ctx.env.get(ENV_NVD_KEY, "").strip() or None
    bars = not ctx.quiet and sys.stderr.isatty()
    with contextlib.ExitStack() as stack:
        reporter: _Lines | _Bars = _Lines(ctx)
        if bars:
            reporter = _Bars(stack.enter_context(_progress(ctx)))
        client = stack.enter_context(
            HttpClient(timeouts=Timeouts(connect=min(args.timeout, 10.0), read=args.timeout))
        )
        updater = Updater(
            client, endpoints, nvd_api_key=key, nvd_full=args.nvd_full, reporter=reporter
        )
        report = updater.update(db_path, specs or None, now=ctx.now())
    _print_update(report, display_path(db_path, ctx.cwd), ctx)
    return ExitCode.PASS


class _Lines:
    """Progress as plain lines on stderr (a CI log, a pipe); nothing with -q."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def begin(self, label: str, url: str) -> Progress:
        self.ctx.info(f"{label}: fetching {url}")
        return lambda done, total: None

    def end(self, label: str, text: str) -> None:
        self.ctx.info(f"{label}: {text}")


class _Bars:
    """Progress bars on a terminal."""

    def __init__(self, bars: Bars) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}

    def begin(self, label: str, url: str) -> Progress:
        task = self.bars.add_task(label, total=None)
        self.tasks[label] = task

        def update(done: int, total: int | None) -> None:
            self.bars.update(task, completed=done, total=total)

        return update

    def end(self, label: str, text: str) -> None:
        from rich.markup import escape

        task = self.tasks.pop(label, None)
        if task is not None:
            self.bars.remove_task(task)
        self.bars.console.print(f"{escape(label)}: {escape(text)}")


def _progress(ctx: Context) -> Bars:
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=ctx.err,
        transient=True,
    )


def _print_update(report: UpdateReport, shown: str, ctx: Context) -> None:
    from rich.markup import escape

    from mdrgate.vulndb.update import NOTICE

    fresh = sum(1 for o in report.outcomes if o.status != "not modified")
    same = len(report.outcomes) - fresh
    if report.imported is None:
        ctx.out.print(
            f"{escape(shown)} unchanged: every source ({same}) was not modified since the last "
            f"update (checked in {report.seconds:.1f} s)"
        )
    else:
        if not ctx.quiet:
            _print_import(report.imported, shown, ctx)
            for name in report.dropped:
                ctx.out.print(f"  {escape(name)}: removed, superseded by its ecosystem's export")
        ctx.out.print(
            f"updated {escape(shown)} from {fresh} source{'s' if fresh != 1 else ''}"
            + (f" ({same} not modified)" if same else "")
            + f": {report.imported.records} records in {report.seconds:.1f} s "
            f"({report.imported.size_bytes / 1e6:.1f} MB)"
        )
    if not ctx.quiet and any(o.spec == "nvd" for o in report.outcomes):
        ctx.out.print(NOTICE)
