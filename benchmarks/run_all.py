"""Run every benchmark, write ``benchmarks/results/latest.json`` and print a Markdown summary.

Each ``bench_*.py`` runs as its own process (so one benchmark's imports and caches do not flatter
another) and prints one JSON object; a benchmark whose data or tools are absent reports itself
skipped. ``make bench`` runs this with the project venv's Python.

    .venv/bin/python benchmarks/run_all.py [--runs N] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from harness import MDRGATE, REPO, Json, machine, tool_version

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"
BENCHMARKS = (
    "bench_db_import",
    "bench_check",
    "bench_inventory",
    "bench_firmware_accuracy",
    "bench_firmware_throughput",
    "bench_static_image",
    "bench_match",
    "bench_osv_accuracy",
)
CONDITIONS = (
    "wall time (time.perf_counter around subprocess.run, or around the call in process); "
    "1 warm-up run discarded; timed subprocesses run with Python bytecode caching on "
    "(cache in benchmarks/.work/pycache, PYTHONDONTWRITEBYTECODE removed) "
    "unless a row says otherwise"
)


def source_revision() -> str:
    """The commit the measured code comes from, marked when src/ differs from it."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True
    )
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "src"], check=False, capture_output=True, text=True
    )
    return head.stdout.strip() + (" + uncommitted changes in src/" if dirty.stdout.strip() else "")


def run(name: str, runs: int | None) -> Json:
    argv = [sys.executable, str(HERE / f"{name}.py")]
    if runs is not None:
        argv += ["--runs", str(runs)]
    print(f"{name} ...", file=sys.stderr, flush=True)
    done = subprocess.run(argv, check=False, cwd=REPO, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return {"benchmark": name, "error": f"exit code {done.returncode}"}
    result: Json = json.loads(done.stdout)
    result["script"] = f"benchmarks/{name}.py" + (f" --runs {runs}" if runs is not None else "")
    return result


def details(m: Json) -> str:
    parts = []
    if "records_per_s" in m:
        parts.append(f"{m['records_per_s']:,} records/s")
    if "findings" in m:
        parts.append(f"{m['findings']} findings, DB {m['db_bytes'] / 1e6:.1f} MB")
    if "expected_found" in m:
        parts.append(f"{m['expected_found']}/{m['expected']} pins ({m['components_total']} comp.)")
    if "right" in m:
        parts.append(
            f"{m['right']}/{m['truth_rows']} right, {m['wrong']} wrong, "
            f"{m['no_version']} no version, {m['missed']} missed, {m['false_positives']} FP"
        )
    if "mb_per_s" in m:
        parts.append(f"{m['mb_per_s']:,} MB/s")
    if "ratio_vs_mdrgate" in m:
        parts.append(f"x{m['ratio_vs_mdrgate']} mdrgate")
    return "; ".join(parts)


def markdown(report: Json) -> str:
    facts = report["machine"]
    lines = [
        f"# mdrgate benchmarks, {facts['date']}",
        "",
        f"{facts['cpu_model']}, nproc {facts['nproc']}, Python {facts['python']}, "
        f"{facts['platform']}, load {facts['loadavg_1min_at_start']} at start, "
        f"{report['mdrgate']} at {report['source']}",
        "",
        f"Conditions: {report['conditions']}.",
    ]
    for result in report["benchmarks"]:
        lines += ["", f"## {result['benchmark']}", ""]
        if "skipped" in result or "error" in result:
            lines.append(f"skipped: {result.get('skipped', result.get('error'))}")
            continue
        met = {True: "met", False: "NOT met", None: "not measured"}[result["goal_met"]]
        lines += [f"goal {result['goal']}: **{met}** (`{result['script']}`)", ""]
        timed = [m for m in result["measurements"] if "median_s" in m]
        if timed:
            lines += [
                "| measurement | median s | min s | max s | runs | details |",
                "|---|---:|---:|---:|---:|---|",
            ]
            lines += [
                f"| {m.get('label', m.get('components', ''))} | {m['median_s']:.3f} "
                f"| {m['min_s']:.3f} | {m['max_s']:.3f} | {m['runs']} | {details(m)} |"
                for m in timed
            ]
        for m in result["measurements"]:
            if "median_s" not in m:
                facts = ", ".join(
                    f"{key} {value}"
                    for key, value in m.items()
                    if isinstance(value, int | float | str) and not isinstance(value, bool)
                )
                lines.append(f"- {facts}")
        for table in result.get("notes", {}).get("tables", []):
            lines += ["", table]
        for key, value in result.get("notes", {}).get("skipped", {}).items():
            lines.append(f"\nskipped {key}: {value}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="timed runs per measurement (default: per script)")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    args = parser.parse_args()
    report = {
        "machine": machine(),
        "mdrgate": tool_version([MDRGATE, "--version"]),
        "source": source_revision(),
        "conditions": CONDITIONS,
        "benchmarks": [run(name, args.runs) for name in args.only],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown(report))
    print(f"\n(results: {RESULTS.relative_to(REPO)})")
    return 1 if any("error" in r for r in report["benchmarks"]) else 0


if __name__ == "__main__":
    sys.exit(main())
