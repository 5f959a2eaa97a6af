"""Benchmark ``mdrgate db import``: every feed file under the shared data directory.

Files: the OSV exports (``osv/*/all.zip``, ``osv-ghsa/*/sample.zip``), the NVD JSON 2.0 yearly
feeds and API-shaped subset, the CISA KEV catalog and the endoflife.date zip (no EPSS file exists
in the data). Three timings, each the median of ``--runs`` after one discarded warm-up run:
- in process, a fresh database each run (the full work: read, check, insert, index, swap);
- in process, re-importing the same files over that database (every source replaced);
- the console script as a subprocess on a fresh database (interpreter start included).
Goal: >= 10,000 records/s for the OSV + NVD records (figure of merit: those records / in-process
fresh median of the whole import, KEV and endoflife.date included in the time), and the size of
the database.

    .venv/bin/python benchmarks/bench_db_import.py [--data ../shared/data] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from harness import MDRGATE, SHARED, WORK, log, shown, summary, time_command
from mdrgate.vulndb import import_feeds

GOAL_RECORDS_PER_S = 10_000
PATTERNS = (
    "osv/*/all.zip",
    "osv-ghsa/*/sample.zip",
    "nvd/feeds/*.json.zip",
    "nvd/*.json.zip",
    "kev/*.json",
    "eol/*.zip",
    "epss/*.csv*",
)
"""Feed files under the data directory, in import order (a schema file is not a feed)."""


def feed_files(data: Path) -> list[Path]:
    found: list[Path] = []
    for pattern in PATTERNS:
        found.extend(p for p in sorted(data.glob(pattern)) if not p.name.endswith("_schema.json"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    archives = feed_files(args.data) if args.data.is_dir() else []
    if not archives:
        reason = f"no feed files under {args.data}"
        print(f"bench_db_import: skipped: {reason}", file=sys.stderr)
        print(json.dumps({"benchmark": "db_import", "skipped": reason}))
        return 0
    fresh: list[float] = []
    reimport: list[float] = []
    with tempfile.TemporaryDirectory(prefix="mdrgate-bench-") as tmp:
        for run in range(1 + args.runs):
            db = Path(tmp) / "inprocess.db"
            db.unlink(missing_ok=True)
            started = time.perf_counter()
            report = import_feeds(db, archives, now=datetime.now(UTC))
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            import_feeds(db, archives, now=datetime.now(UTC))
            elapsed_again = time.perf_counter() - started
            if run > 0:
                fresh.append(elapsed)
                reimport.append(elapsed_again)
        records = report.records
        by_kind: dict[str, int] = {}
        for source in report.sources:
            kind = source.provenance.kind
            by_kind[kind] = by_kind.get(kind, 0) + source.provenance.records
        goal_records = by_kind.get("osv", 0) + by_kind.get("nvd", 0)
        size = db.stat().st_size
        log(f"in process: median {statistics.median(fresh):.3f} s for {records} records")
    cli_db = WORK / "db_import" / "vulndb.sqlite3"
    cli_db.parent.mkdir(parents=True, exist_ok=True)
    cli = time_command(
        "mdrgate db import (subprocess, fresh DB)",
        [MDRGATE, "db", "import", "-q", "--db", cli_db, *archives],
        runs=args.runs,
        before=lambda: cli_db.unlink(missing_ok=True),
    )
    call = f"import_feeds(db, {shown(archives)})"
    measurements = [
        {"label": "import_feeds, fresh DB (in process)", "command": call, **summary(fresh)},
        {
            "label": "import_feeds, re-import over it (in process)",
            "command": call,
            **summary(reimport),
        },
        cli,
    ]
    for m in measurements:
        m["records_per_s"] = round(records / m["median_s"])
        m["osv_nvd_records_per_s"] = round(goal_records / m["median_s"])
    rate = measurements[0]["osv_nvd_records_per_s"]
    result = {
        "benchmark": "db_import",
        "goal": f">= {GOAL_RECORDS_PER_S:,} OSV + NVD records/s",
        "goal_met": rate >= GOAL_RECORDS_PER_S,
        "measurements": measurements,
        "notes": {
            "archives": [shown([a]) for a in archives],
            "records": records,
            "records_by_kind": by_kind,
            "osv_nvd_records": goal_records,
            "database_bytes": size,
            "database_mb": round(size / 1e6, 1),
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
