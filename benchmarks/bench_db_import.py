"""Benchmark ``mdrgate db import``: every OSV export zip under a data directory.

Three timings, each the median of ``--runs`` after one discarded warm-up run:
- in process, a fresh database each run (the full work: read, validate, insert, index, swap);
- in process, re-importing the same archives over that database (every source replaced);
- the console script as a subprocess on a fresh database (interpreter start included).
Goal: >= 10,000 records/s (figure of merit: records / in-process fresh median).

    .venv/bin/python benchmarks/bench_db_import.py [--data ../shared/data/osv] [--runs 5]
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
from mdrgate.vulndb import import_osv

GOAL_RECORDS_PER_S = 10_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "osv")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    archives = sorted(args.data.glob("*/all.zip")) if args.data.is_dir() else []
    if not archives:
        reason = f"no OSV export zips under {args.data}"
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
            report = import_osv(db, archives, now=datetime.now(UTC))
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            import_osv(db, archives, now=datetime.now(UTC))
            elapsed_again = time.perf_counter() - started
            if run > 0:
                fresh.append(elapsed)
                reimport.append(elapsed_again)
        records = report.records
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
    call = f"import_osv(db, {shown(archives)})"
    measurements = [
        {"label": "import_osv, fresh DB (in process)", "command": call, **summary(fresh)},
        {
            "label": "import_osv, re-import over it (in process)",
            "command": call,
            **summary(reimport),
        },
        cli,
    ]
    for m in measurements:
        m["records_per_s"] = round(records / m["median_s"])
    rate = measurements[0]["records_per_s"]
    result = {
        "benchmark": "db_import",
        "goal": f">= {GOAL_RECORDS_PER_S:,} records/s",
        "goal_met": rate >= GOAL_RECORDS_PER_S,
        "measurements": measurements,
        "notes": {
            "archives": [shown([a]) for a in archives],
            "records": records,
            "database_bytes": size,
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
