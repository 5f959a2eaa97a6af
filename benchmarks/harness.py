"""Shared plumbing of the benchmark scripts: timing subprocesses, machine facts, counting SBOMs.

Every benchmark script prints one JSON object on stdout (progress goes to stderr) of the shape
``{"benchmark", "goal", "goal_met", "measurements": [...], "notes": {...}}`` or
``{"benchmark", "skipped": reason}``; ``run_all.py`` collects them.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
WORK = REPO / "benchmarks" / ".work"
INPUTS = REPO / "benchmarks" / "inputs"
MDRGATE = REPO / ".venv" / "bin" / "mdrgate"

PYCACHE = WORK / "pycache"
Json = dict[str, Any]


def child_env(
    *, bytecode_cache: bool = True, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of every timed subprocess.

    Bytecode caching is on (as after ``pip install``, or the first run of an editable install),
    even where the calling shell sets PYTHONDONTWRITEBYTECODE: the warm-up run fills a cache of
    our own under benchmarks/.work/pycache. With ``bytecode_cache=False`` every module, ours
    and the libraries', is compiled from source on every run: the worst case.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    if not bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache-never-written")
    return {**env, **(extra or {})}


def log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def shown(argv: Sequence[str | Path]) -> str:
    """The command as a reader can re-run it from the repository root."""
    parts = [str(arg).replace(f"{REPO}/", "").replace(f"{REPO.parent}/", "../") for arg in argv]
    return shlex.join(parts)


def summary(seconds: Sequence[float]) -> Json:
    return {
        "runs": len(seconds),
        "median_s": round(statistics.median(seconds), 4),
        "min_s": round(min(seconds), 4),
        "max_s": round(max(seconds), 4),
        "seconds": [round(s, 4) for s in seconds],
    }


def time_command(
    label: str,
    argv: Sequence[str | Path],
    *,
    runs: int,
    warmup: int = 1,
    ok_codes: tuple[int, ...] = (0,),
    env: Mapping[str, str] | None = None,
    bytecode_cache: bool = True,
    before: Callable[[], None] | None = None,
) -> Json:
    """Wall time of ``argv`` as a subprocess (interpreter start included), warm-up runs dropped.

    A run that ends with an unexpected exit code aborts the benchmark: a figure for a command
    that failed would be meaningless.
    """
    args = [str(a) for a in argv]
    full_env = child_env(bytecode_cache=bytecode_cache, extra=env)
    seconds: list[float] = []
    for run in range(warmup + runs):
        if before is not None:
            before()
        started = time.perf_counter()
        done = subprocess.run(
            args,
            check=False,
            env=full_env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        elapsed = time.perf_counter() - started
        if done.returncode not in ok_codes:
            raise RuntimeError(
                f"{shown(args)} exited with {done.returncode} (expected {ok_codes}):\n"
                + done.stderr.decode(errors="replace")[-2000:]
            )
        if run >= warmup:
            seconds.append(elapsed)
    result = {"label": label, "command": shown(args), **summary(seconds)}
    log(f"{label}: median {result['median_s']:.3f} s")
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> Json:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "loadavg_1min_at_start": round(os.getloadavg()[0], 2),
    }


def tool_version(argv: Sequence[str | Path]) -> str:
    try:
        done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=False)
    except OSError as error:
        return f"absent ({error.strerror})"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def normalize(name: str) -> str:
    """PEP 503 name normalization, so that tools spelling a name differently still match."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(requirements: Path) -> set[tuple[str, str]]:
    pins = set()
    for raw in requirements.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins.add((normalize(name), version.strip()))
    return pins


def _components(items: list[Json]) -> list[Json]:
    found = []
    for item in items:
        found.append(item)
        found.extend(_components(item.get("components", [])))
    return found


def count_components(sbom: Path, expected: set[tuple[str, str]]) -> Json:
    """How many of the expected (name, version) pairs a CycloneDX JSON SBOM lists, and its size."""
    document = json.loads(sbom.read_text())
    components = _components(document.get("components", []))
    seen = {(normalize(c.get("name", "")), c.get("version", "")) for c in components}
    return {
        "expected_found": len(expected & seen),
        "expected": len(expected),
        "components_total": len(components),
    }


def import_profile(argv: Sequence[str | Path]) -> Json:
    """``python -X importtime -m mdrgate ARGV``: total import time, and self time per package.

    Self times are summed by top-level package name (``cyclonedx.model.bom`` counts for
    ``cyclonedx``), which attributes every microsecond exactly once.
    """
    command = [sys.executable, "-X", "importtime", "-m", "mdrgate", *map(str, argv)]
    done = subprocess.run(
        command, check=False, capture_output=True, text=True, cwd=REPO, env=child_env()
    )
    by_package: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0) + int(self_us)
    largest = sorted(by_package.items(), key=lambda item: -item[1])[:12]
    return {
        "command": shown(command),
        "total_import_s": round(sum(by_package.values()) / 1e6, 3),
        "self_time_by_package_s": {name: round(us / 1e6, 3) for name, us in largest},
    }
