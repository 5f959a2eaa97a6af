"""``mdrgate db import`` and ``mdrgate db status``: the local vulnerability database."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdrgate.cli.common import Context, add_common, add_db
from mdrgate.errors import ExitCode

if TYPE_CHECKING:
    from mdrgate.vulndb import DbStatus, ImportReport, SourceStatus


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
    add_db(imp)
    add_common(imp)
    imp.set_defaults(handler=handle_import)

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

    db_path = ctx.database(args)
    report = import_feeds(db_path, args.archives, now=ctx.now(), allow_older=args.allow_older)
    shown = display_path(db_path, ctx.cwd)
    if not ctx.quiet:
        _print_import(report, shown, ctx)
    ctx.out.print(
        f"imported {report.records} records from {len(report.sources)} "
        f"file{'s' if len(report.sources) != 1 else ''} into {shown} "
        f"in {report.seconds:.2f} s ({report.size_bytes / 1e6:.1f} MB)"
    )
    return ExitCode.PASS


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
