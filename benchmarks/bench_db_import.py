"""Benchmark ``mdrgate db import``: every OSV export zip under a data directory, N times.

Each run builds a fresh database (the full work: read, validate, insert, index, check, swap) and
a second timing re-imports the same archives over that database (every source replaced). Prints
one JSON object; the figure of merit is ``records_per_second_median`` (goal: >= 10,000 records/s).

    .venv/bin/python benchmarks/bench_db_import.py [--data /work/shared/data/osv] [--runs 5]
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

from mdrgate.vulndb import import_osv

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "osv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    archives = sorted(args.data.glob("*/all.zip")) if args.data.is_dir() else []
    if not archives:
        print(json.dumps({"benchmark": "db_import", "skipped": f"no OSV zips under {args.data}"}))
        return 0
    fresh: list[float] = []
    reimport: list[float] = []
    records = 0
    with tempfile.TemporaryDirectory(prefix="mdrgate-bench-") as tmp:
        for run in range(args.runs):
            db = Path(tmp) / f"run{run}.db"
            started = time.perf_counter()
            report = import_osv(db, archives, now=datetime.now(UTC))
            fresh.append(time.perf_counter() - started)
            records = report.records
            started = time.perf_counter()
            import_osv(db, archives, now=datetime.now(UTC))
            reimport.append(time.perf_counter() - started)
            size = db.stat().st_size
            db.unlink()
    median = statistics.median(fresh)
    result = {
        "benchmark": "db_import",
        "archives": [str(a) for a in archives],
        "records": records,
        "runs": args.runs,
        "seconds": [round(s, 3) for s in fresh],
        "median_seconds": round(median, 3),
        "records_per_second_median": round(records / median),
        "reimport_median_seconds": round(statistics.median(reimport), 3),
        "database_bytes": size,
        "python": sys.version.split()[0],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
