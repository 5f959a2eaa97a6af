"""Benchmark ``mdrgate check`` on the example device with a warm database.

The console script runs as a subprocess (interpreter start included), once against a database
holding the example's bundled OSV excerpt and once against one holding every OSV export under
``--data`` (skipped when absent). For scale, it also times ``python -c pass`` and
``mdrgate --version``, and records ``python -X importtime`` of one check. Goal: <= 2 s wall.

    .venv/bin/python benchmarks/bench_check.py [--data ../shared/data/osv] [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from harness import MDRGATE, REPO, SHARED, WORK, Json, import_profile, log, shown, time_command

EXAMPLE = REPO / "examples" / "infusion-pump"
CONFIG = EXAMPLE / "mdrgate.yml"
EXCERPT = EXAMPLE / "osv" / "PyPI" / "all.zip"
GOAL_S = 2.0
POLICY_VERDICTS = (0, 1)  # pass or policy violated; anything else is an error, not a figure


def import_db(db: Path, archives: list[Path]) -> None:
    subprocess.run(
        [str(MDRGATE), "db", "import", "-q", "--db", str(db), *map(str, archives)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def findings(evidence: Path) -> int:
    decision = json.loads((evidence / "decision.json").read_text())
    return len(decision["findings"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "osv")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not MDRGATE.exists():
        reason = f"{MDRGATE} is not installed (run make venv)"
        print(f"bench_check: skipped: {reason}", file=sys.stderr)
        print(json.dumps({"benchmark": "check", "skipped": reason}))
        return 0
    all_zips = sorted(args.data.glob("*/all.zip")) if args.data.is_dir() else []
    measurements: list[Json] = [
        time_command(
            "python -c pass (interpreter floor)", [sys.executable, "-c", "pass"], runs=args.runs
        ),
        time_command("mdrgate --version (CLI start)", [MDRGATE, "--version"], runs=args.runs),
    ]
    notes: Json = {}
    work = WORK / "check"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    dbs = {"example excerpt": (work / "excerpt.db", [EXCERPT])}
    if all_zips:
        dbs["all of ../shared/data/osv"] = (work / "all.db", all_zips)
    else:
        notes["skipped"] = {"full DB": f"no OSV export zips under {args.data}"}
    checks = []
    for name, (db, archives) in dbs.items():
        import_db(db, archives)
        evidence = work / f"evidence-{db.stem}"
        argv = ["check", "--config", str(CONFIG), "--db", str(db), "--out", str(evidence)]
        m = time_command(
            f"mdrgate check, DB = {name}",
            [MDRGATE, *argv],
            runs=args.runs,
            ok_codes=POLICY_VERDICTS,
        )
        m["db_import"] = shown([MDRGATE, "db", "import", "--db", db, *archives])
        m["db_bytes"] = db.stat().st_size
        m["findings"] = findings(evidence)
        checks.append(m)
        if db.stem == "excerpt":
            cold = time_command(
                f"mdrgate check, DB = {name}, no bytecode cache",
                [MDRGATE, *argv],
                runs=args.runs,
                ok_codes=POLICY_VERDICTS,
                bytecode_cache=False,
            )
            cold["env"] = "PYTHONDONTWRITEBYTECODE=1, PYTHONPYCACHEPREFIX=<empty directory>"
            checks.append(cold)
    log("profiling imports (python -X importtime)")
    notes["importtime"] = import_profile(argv)
    measurements.extend(checks)
    result = {
        "benchmark": "check",
        "goal": f"<= {GOAL_S} s wall, interpreter start included",
        "goal_met": all(m["median_s"] <= GOAL_S for m in checks),
        "measurements": measurements,
        "notes": notes,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
