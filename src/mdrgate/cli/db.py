"""``mdrgate db import`` and ``mdrgate db status``: the local vulnerability database."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdrgate.cli.common import Context, add_common, add_db
from mdrgate.errors import ExitCode

if TYPE_CHECKING:
    from mdrgate.vulndb import DbStatus, ImportReport


def register(verbs: Any) -> None:
    parser: argparse.ArgumentParser = verbs.add_parser(
        "db", help="build and inspect the local vulnerability database"
    )
    actions = parser.add_subparsers(dest="db_verb", metavar="ACTION", required=True)

    imp = actions.add_parser(
        "import",
        help="import OSV export zips (<Ecosystem>/all.zip)",
        description="Import OSV exports into the database. Each export replaces the records of "
        "the source it came from; other sources are kept. The database is replaced atomically.",
    )
    imp.add_argument("archives", nargs="+", type=Path, metavar="ZIP", help="OSV export zip")
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
    add_common(status)
    status.set_defaults(handler=handle_status)


def handle_import(args: argparse.Namespace, ctx: Context) -> ExitCode:
    from mdrgate.config import display_path
    from mdrgate.vulndb import import_osv

    db_path = ctx.database(args)
    report = import_osv(db_path, args.archives, now=ctx.now(), allow_older=args.allow_older)
    shown = display_path(db_path, ctx.cwd)
    if not ctx.quiet:
        _print_import(report, shown, ctx)
    ctx.out.print(
        f"imported {report.records} records from {len(report.sources)} "
        f"export{'s' if len(report.sources) != 1 else ''} into {shown} "
        f"in {report.seconds:.2f} s"
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
        line = (
            f"  {escape(prov.source)}: {prov.records} records from {escape(prov.file_name)} "
            f"({was}; {source.withdrawn_records} withdrawn"
        )
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
    return ExitCode.PASS


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
        invalid = f", {prov.invalid_records} violate the OSV schema" if prov.invalid_records else ""
        ctx.out.print(
            f"source     {escape(prov.source)}: {source.advisories} advisories "
            f"({source.withdrawn} withdrawn{invalid})\n"
            f"             newest record {prov.newest_modified or 'unknown'} "
            f"({_age(source.newest_modified_age_days)} old), imported {prov.imported_at} "
            f"({_age(source.import_age_days)} ago) from {escape(prov.file_name)}"
        )
    if ctx.verbose:
        for source in status.sources:
            prov = source.provenance
            ctx.out.print(f"{escape(prov.source)}: {escape(prov.file_name)} sha256 {prov.sha256}")
            for bad in source.invalid:
                state = "imported" if bad.imported else "skipped"
                ctx.out.print(f"    {escape(bad.id or bad.entry)} ({state}): {escape(bad.reason)}")


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
                "invalid": [
                    {"entry": b.entry, "id": b.id, "reason": b.reason, "imported": b.imported}
                    for b in s.invalid
                ],
            }
            for s in status.sources
        ],
    }
