"""Matching at scale: 1,000 / 10,000 / 100,000 real components against the full database.

The database is built once from every vulnerability file under ``--data`` that ``mdrgate db
import`` accepts. The components are real (ecosystem, name, version) triples drawn from the same
data with a fixed seed: the versions an OSV record enumerates as affected and the versions its
range events name (so that both affected and unaffected versions occur), for every ecosystem
mdrgate has a matcher for. Each size runs in a fresh worker process (this script with
``--worker``) that opens the database, matches the inventory once to warm the page cache and
the imports, then times ``match_inventory`` ``--runs`` times, each after emptying mdrgate's
in-process caches (parsed versions, prepared ranges) and on a newly opened database handle (whose
advisories are read again; opening is not timed) so that every timed run costs what a fresh
process would, and reports its peak RSS (``ru_maxrss``, which includes the warming run).

Goal (issue 4): ≤ 2 s for 10,000 components warm, growth linear, peak RSS ≤ 300 MB.

    .venv/bin/python benchmarks/bench_match.py [--data ../shared/data] [--runs 3]
        [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from harness import MDRGATE, SHARED, WORK, Json, log, shown

HERE = WORK / "match"
DB = HERE / "vulndb.sqlite3"
POOL = HERE / "pool.json"
GOAL_SECONDS_10K = 2.0
GOAL_RSS_MB = 300.0
SEED = 20261128


def data_files(data: Path) -> list[Path]:
    """What the database is built from: every OSV export."""
    return sorted(data.glob("osv/*/all.zip"))


def _osv_records(archive: Path) -> Iterator[Json]:
    with zipfile.ZipFile(archive) as zf:
        for name in zf.namelist():
            if name.endswith(".json"):
                try:
                    yield json.loads(zf.read(name))
                except ValueError:
                    continue


def component_pool(data: Path, ecosystems: set[str]) -> list[tuple[str, str, str]]:
    """Every distinct (ecosystem, name, version) the OSV data names, for covered ecosystems."""
    pool: set[tuple[str, str, str]] = set()
    for archive in sorted(data.glob("osv/*/all.zip")):
        for record in _osv_records(archive):
            for affected in record.get("affected") or []:
                package = affected.get("package") or {}
                ecosystem, name = package.get("ecosystem"), package.get("name")
                if ecosystem not in ecosystems or not isinstance(name, str):
                    continue
                versions = [v for v in affected.get("versions") or [] if isinstance(v, str)]
                for rng in affected.get("ranges") or []:
                    for event in rng.get("events") or []:
                        versions.extend(
                            v for k, v in event.items() if isinstance(v, str) and v != "0"
                        )
                pool.update((ecosystem, name, v) for v in versions)
    return sorted(pool)


def worker(size: int, runs: int) -> int:
    from packageurl import PackageURL

    from mdrgate.enrich.match import match_inventory
    from mdrgate.identifiers import PURL_TYPE_TO_ECOSYSTEM
    from mdrgate.model.component import Component, ComponentClass, Inventory
    from mdrgate.vulndb.store import VulnDb

    purl_type = {eco: t for t, eco in PURL_TYPE_TO_ECOSYSTEM.items()}
    pool = [tuple(t) for t in json.loads(POOL.read_text())]
    rng = random.Random(SEED)
    chosen = rng.sample(pool, size) if size <= len(pool) else rng.choices(pool, k=size)
    components = []
    for index, (ecosystem, name, version) in enumerate(chosen):
        namespace, _, short = name.rpartition("/")
        purl = PackageURL(
            type=purl_type[ecosystem], namespace=namespace or None, name=short, version=version
        )
        components.append(
            Component(
                name=name,
                version=version,
                component_class=ComponentClass.HOST,
                ecosystem=ecosystem,
                # the index keeps draws with replacement distinct, as copies in different places
                purl=purl.to_string() + (f"#copy{index}" if size > len(pool) else ""),
            )
        )
    inventory = Inventory(components=tuple(components))
    seconds: list[float] = []
    with VulnDb.open(DB) as db:
        findings, diagnostics = match_inventory(inventory, db)  # warm-up: page cache, imports
    count = (len(findings), len(diagnostics))
    for _ in range(runs):
        del findings, diagnostics  # a run's results are not kept while the next run is measured
        _clear_caches()  # each timed run starts as a fresh process would
        # and on a fresh handle: nothing the database handle built in an earlier run is reused
        with VulnDb.open(DB) as db:
            start = time.perf_counter()
            findings, diagnostics = match_inventory(inventory, db)
            seconds.append(time.perf_counter() - start)
        assert (len(findings), len(diagnostics)) == count
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "size": size,
                "distinct": len(set(chosen)),
                "seconds": [round(s, 4) for s in seconds],
                "findings": len(findings),
                "diagnostics": len(diagnostics),
                "peak_rss_mb": round(rss_mb, 1),
            }
        )
    )
    return 0


def _clear_caches() -> None:
    """Empty every ``functools`` cache of mdrgate's modules (parsed versions, prepared ranges)."""
    import functools
    import gc

    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and getattr(
            obj, "__module__", ""
        ).startswith("mdrgate"):
            obj.cache_clear()


def skipped(reason: str) -> int:
    print(f"bench_match: skipped: {reason}", file=sys.stderr)
    print(json.dumps({"benchmark": "match", "skipped": reason}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.runs)
    if not MDRGATE.exists():
        return skipped(f"{MDRGATE} is not installed (run make venv)")
    files = data_files(args.data)
    if not files:
        return skipped(f"no vulnerability data under {args.data}")
    from mdrgate.enrich.matchers import matcher_for

    HERE.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    argv: list[str | Path] = [MDRGATE, "db", "import", "-q", "--db", DB, *files]
    log(f"building the database from {len(files)} files")
    subprocess.run([str(a) for a in argv], check=True, stdout=subprocess.DEVNULL)
    ecosystems = {"PyPI", "npm", "Go", "crates.io", "Maven", "NuGet", "RubyGems", "Packagist"}
    covered = {e for e in ecosystems if matcher_for(e) is not None}
    pool = component_pool(args.data, covered)
    POOL.write_text(json.dumps(pool))
    by_ecosystem: dict[str, int] = {}
    for ecosystem, _, _ in pool:
        by_ecosystem[ecosystem] = by_ecosystem.get(ecosystem, 0) + 1
    measurements: list[Json] = []
    for size in args.sizes:
        log(f"matching {size} components ({args.runs} runs + 1 warm-up)")
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(size), "--runs", str(args.runs)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        median = statistics.median(result["seconds"])
        measurements.append(
            {
                "label": f"match_inventory, {size:,} components",
                "runs": args.runs,
                "median_s": round(median, 4),
                "min_s": min(result["seconds"]),
                "max_s": max(result["seconds"]),
                "seconds": result["seconds"],
                "components": size,
                "distinct_components": result["distinct"],
                "findings": result["findings"],
                "per_1000_s": round(median / size * 1000, 4),
                "peak_rss_mb": result["peak_rss_mb"],
            }
        )
    by_size = {m["components"]: m for m in measurements}
    checks: dict[str, bool] = {}
    if 10000 in by_size:
        checks["<= 2 s for 10,000 warm"] = by_size[10000]["median_s"] <= GOAL_SECONDS_10K
    checks[f"peak RSS <= {GOAL_RSS_MB:g} MB"] = all(
        m["peak_rss_mb"] <= GOAL_RSS_MB for m in measurements
    )
    per = [m["per_1000_s"] for m in measurements]
    # linear: no size costs more per component than 1.5x the smallest size does. Cheaper is
    # allowed: components of one package share its advisories, read and prepared once, so the
    # cost per component falls as more of them share packages (sub-linear growth).
    smallest = min(measurements, key=lambda m: m["components"])["per_1000_s"] if per else 0
    checks["growth at most linear (per-component cost <= 1.5x the smallest size's)"] = (
        max(per) <= 1.5 * smallest if per else False
    )
    db_mb = DB.stat().st_size / 1e6
    print(
        json.dumps(
            {
                "benchmark": "match",
                "goal": "<= 2 s for 10,000 components warm, linear growth, peak RSS <= 300 MB",
                "goal_met": all(checks.values()),
                "measurements": measurements,
                "notes": {
                    "database": {
                        "files": [shown([f]) for f in files],
                        "size_mb": round(db_mb, 1),
                    },
                    "pool": {"distinct_components": len(pool), "by_ecosystem": by_ecosystem},
                    "covered_ecosystems": sorted(covered),
                    "goal_checks": checks,
                    "command": shown([sys.executable, __file__, "--runs", str(args.runs)]),
                },
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
