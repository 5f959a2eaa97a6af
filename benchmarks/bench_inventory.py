"""Benchmark the inventory of a 6-pin requirements file and of a small venv, against peer tools.

Every tool writes a CycloneDX JSON SBOM of the same inputs in the same run: ``mdrgate sbom``,
``cyclonedx-py``, ``trivy`` and ``syft`` (the peers from ``bash ../shared/peers/setup-peers.sh
.peers``; those absent are skipped). Each figure is the median wall time of the subprocess
(interpreter start included) after one discarded warm-up run; next to it, how many of the six
pinned components the tool's SBOM lists. Goal: mdrgate <= 0.5 s on each input.

The requirements file is copied to ``benchmarks/.work/inventory/req6/requirements.txt`` (trivy
and syft recognise only that file name); the venv is built once in
``benchmarks/.work/inventory/venv6`` with ``python -m venv`` and ``pip install -r`` of the file.

    .venv/bin/python benchmarks/bench_inventory.py [--peers .peers] [--runs 10]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from harness import (
    INPUTS,
    MDRGATE,
    REPO,
    WORK,
    Json,
    count_components,
    import_profile,
    log,
    read_pins,
    time_command,
    tool_version,
)

PINS = INPUTS / "requirements-6.txt"
GOAL_S = 0.5
SYFT_ENV = {"SYFT_CHECK_FOR_APP_UPDATE": "false"}


def build_venv(venv: Path) -> str | None:
    """Build (or reuse) the venv of the six pins; the reason it cannot be had, or None."""
    digest = hashlib.sha256(PINS.read_bytes()).hexdigest()
    stamp = venv / "bench-stamp"
    if stamp.exists() and stamp.read_text() == digest:
        return None
    shutil.rmtree(venv, ignore_errors=True)
    log(f"building {venv.relative_to(REPO)} (pip install -r {PINS.relative_to(REPO)})")
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-r", str(PINS)],
    ]
    for step in steps:
        done = subprocess.run(step, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            return f"{' '.join(step[1:4])} failed: {done.stderr.strip()[-300:]}"
    stamp.write_text(digest)
    return None


def commands(peers: Path, req: Path, venv: Path, out: Path, cache: Path) -> dict[str, Json]:
    """Per tool: its binary and, per input, the argv that writes the SBOM into ``out``."""
    bin_ = peers / "venv" / "bin"

    def sbom(tool: str, kind: str) -> Path:
        return out / f"{tool}-{kind}.cdx.json"

    return {
        "mdrgate": {
            "binary": MDRGATE,
            "requirements": [MDRGATE, "sbom", req, "-o", sbom("mdrgate", "requirements")],
            "venv": [MDRGATE, "sbom", venv, "-o", sbom("mdrgate", "venv")],
        },
        "cyclonedx-py": {
            "binary": bin_ / "cyclonedx-py",
            "requirements": [
                *[bin_ / "cyclonedx-py", "requirements", req],
                *["-o", sbom("cyclonedx-py", "requirements")],
            ],
            "venv": [
                bin_ / "cyclonedx-py",
                "environment",
                venv,
                "-o",
                sbom("cyclonedx-py", "venv"),
            ],
        },
        "trivy": {
            "binary": bin_ / "trivy",
            "requirements": [
                *[bin_ / "trivy", "fs", "--format", "cyclonedx", "--cache-dir", cache],
                *["--output", sbom("trivy", "requirements"), req.parent],
            ],
            "venv": [
                *[bin_ / "trivy", "rootfs", "--format", "cyclonedx", "--cache-dir", cache],
                *["--output", sbom("trivy", "venv"), venv],
            ],
        },
        "syft": {
            "binary": bin_ / "syft-go",
            "requirements": [
                *[bin_ / "syft-go", "scan", f"dir:{req.parent}", "-q"],
                f"-o=cyclonedx-json={sbom('syft', 'requirements')}",
            ],
            "venv": [
                *[bin_ / "syft-go", "scan", f"dir:{venv}", "-q"],
                f"-o=cyclonedx-json={sbom('syft', 'venv')}",
            ],
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=Path, default=REPO / ".peers")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not MDRGATE.exists():
        reason = f"{MDRGATE} is not installed (run make venv)"
        print(f"bench_inventory: skipped: {reason}", file=sys.stderr)
        print(json.dumps({"benchmark": "inventory", "skipped": reason}))
        return 0
    work = WORK / "inventory"
    req = work / "req6" / "requirements.txt"
    venv = work / "venv6"
    out = work / "out"
    for folder in (req.parent, out):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    shutil.copyfile(PINS, req)
    notes: Json = {"input": str(PINS.relative_to(REPO)), "tool_versions": {}, "skipped": {}}
    inputs = ["requirements"]
    venv_problem = build_venv(venv)
    if venv_problem is None:
        inputs.append("venv")
    else:
        notes["skipped"]["venv"] = venv_problem
        print(f"bench_inventory: venv input skipped: {venv_problem}", file=sys.stderr)
    tools = commands(args.peers.resolve(), req, venv, out, work / "trivy-cache")
    for tool, spec in list(tools.items()):
        if not Path(spec["binary"]).exists():
            notes["skipped"][tool] = (
                f"{spec['binary']} absent (bash ../shared/peers/setup-peers.sh .peers)"
            )
            print(f"bench_inventory: {tool} skipped: not installed", file=sys.stderr)
            del tools[tool]
            continue
        notes["tool_versions"][tool] = tool_version([spec["binary"], "--version"])
    expected = read_pins(PINS)
    measurements = []
    for kind in inputs:
        baseline = None
        for tool, spec in tools.items():
            m = time_command(
                f"{tool}, {kind}",
                spec[kind],
                runs=args.runs,
                env=SYFT_ENV if tool == "syft" else None,
            )
            m.update({"tool": tool, "input": kind})
            m.update(count_components(out / f"{tool}-{kind}.cdx.json", expected))
            if tool == "mdrgate":
                baseline = m["median_s"]
            elif baseline:
                m["ratio_vs_mdrgate"] = round(m["median_s"] / baseline, 2)
            measurements.append(m)
    if "venv" in inputs:
        log("profiling imports (python -X importtime)")
        notes["importtime"] = import_profile(["sbom", venv, "-o", out / "importtime.cdx.json"])
    ours = [m for m in measurements if m["tool"] == "mdrgate"]
    result = {
        "benchmark": "inventory",
        "goal": f"mdrgate <= {GOAL_S} s per input, interpreter start included",
        "goal_met": (
            all(m["median_s"] <= GOAL_S and m["expected_found"] == m["expected"] for m in ours)
            if len(ours) == 2
            else None  # an input could not be measured
        ),
        "measurements": measurements,
        "notes": notes,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
