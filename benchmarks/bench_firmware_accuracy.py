"""Binary corpus accuracy and speed: mdrgate, cve-bin-tool and syft on the same real binaries.

The corpus is ``bash ../shared/peers/make-corpus.sh .corpus``: the ELF files of 20 Debian 12
packages, with ``truth.csv`` (file, component, upstream version) from the package metadata. In
one run, each tool scans the whole corpus directory ``--runs`` times after one discarded warm-up
run (wall time of the subprocess, interpreter start included), and the output of its last run is
scored per truth row: right version, wrong version, no version, missed, plus false positives
(see ``firmware_scoring.py``; tool names are translated through the committed table
``benchmarks/inputs/firmware-component-names.csv``).

Goals (issue 3): more truth rows with the right version than cve-bin-tool, zero false positives,
at least 20x faster than cve-bin-tool, no slower than syft. Skips cleanly without the corpus;
a peer that is absent is left out (and the goal is then not judged).

    .venv/bin/python benchmarks/bench_firmware_accuracy.py [--corpus .corpus] [--peers .peers]
        [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from firmware_scoring import (
    CBT_ENV,
    NAMES,
    SYFT_ENV,
    cbt_detections,
    component_table_md,
    load_names,
    load_truth,
    mdrgate_detections,
    per_component,
    relative_key,
    score,
    syft_detections,
    timed_runs,
)
from harness import MDRGATE, REPO, WORK, Json, log, tool_version

GOAL_SPEEDUP_VS_CBT = 20.0
TOOLS = ("mdrgate", "cve-bin-tool", "syft")


def skipped(reason: str) -> int:
    print(f"bench_firmware_accuracy: skipped: {reason}", file=sys.stderr)
    print(json.dumps({"benchmark": "firmware_accuracy", "skipped": reason}))
    return 0


def corpus_facts(corpus: Path) -> Json:
    files = [p for p in corpus.rglob("*") if p.is_file() and p.name != "truth.csv"]
    return {
        "path": str(corpus.relative_to(REPO)) if corpus.is_relative_to(REPO) else str(corpus),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".corpus")
    parser.add_argument("--peers", type=Path, default=REPO / ".peers")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    peers = args.peers.resolve()
    if not MDRGATE.exists():
        return skipped(f"{MDRGATE} is not installed (run make venv)")
    if not (corpus / "truth.csv").is_file():
        return skipped(f"no corpus at {corpus} (bash ../shared/peers/make-corpus.sh .corpus)")
    truth = load_truth(corpus / "truth.csv")
    names = load_names()
    key = relative_key(corpus)
    work = WORK / "firmware-accuracy"
    work.mkdir(parents=True, exist_ok=True)
    out = {tool: work / f"{tool}.cdx.json" for tool in TOOLS}
    logs = {tool: work / f"{tool}.log" for tool in TOOLS}
    cbt = peers / "bin" / "cbt-offline"
    syft = peers / "venv" / "bin" / "syft-go"
    commands: dict[str, list[str | Path]] = {
        "mdrgate": [MDRGATE, "sbom", corpus, "-o", out["mdrgate"]],
        "cve-bin-tool": [
            *[cbt, "-l", "debug", "--sbom-output", out["cve-bin-tool"]],
            *["--sbom-type", "cyclonedx", "--sbom-format", "json", corpus],
        ],
        "syft": [syft, "scan", f"dir:{corpus}", "-q", f"-o=cyclonedx-json={out['syft']}"],
    }
    envs = {"mdrgate": None, "cve-bin-tool": CBT_ENV, "syft": SYFT_ENV}
    notes: Json = {
        "corpus": corpus_facts(corpus),
        "truth_rows": len(truth),
        "name_mapping": str(NAMES.relative_to(REPO)),
        "tool_versions": {"mdrgate": tool_version([MDRGATE, "--version"])},
        "skipped": {},
    }
    binaries = {"cve-bin-tool": cbt, "syft": syft}
    for tool, binary in binaries.items():
        if not binary.exists():
            notes["skipped"][tool] = f"{binary} absent (bash ../shared/peers/setup-peers.sh .peers)"
            del commands[tool]
    if "cve-bin-tool" in commands:
        notes["tool_versions"]["cve-bin-tool"] = tool_version([cbt, "--version"])
    if "syft" in commands:
        notes["tool_versions"]["syft"] = tool_version([syft, "--version"])

    measurements: list[Json] = []
    scores: dict[str, Json] = {}
    for tool, argv in commands.items():
        log(f"{tool} on {notes['corpus']['path']} ({args.runs} runs + 1 warm-up)")
        m = timed_runs(tool, argv, runs=args.runs, log_file=logs[tool], env=envs[tool])
        if tool == "mdrgate":
            detections = mdrgate_detections(out[tool], key, names)
        elif tool == "cve-bin-tool":
            detections = cbt_detections(logs[tool].read_text(errors="replace"), key, names)
        else:
            detections = syft_detections(out[tool], key, names)
        result = score(truth, detections)
        scores[tool] = result
        m.update({"tool": tool, **{k: v for k, v in result.items() if k != "rows"}})
        m["mb_per_s"] = round(notes["corpus"]["bytes"] / m["median_s"] / 1e6, 1)
        measurements.append(m)
    if "cve-bin-tool" in commands:
        # cve-bin-tool at its default log level, for a fair speed figure (not scored).
        quiet = [a for a in commands["cve-bin-tool"] if a not in ("-l", "debug")]
        m = timed_runs(
            "cve-bin-tool, default log level (not scored)",
            quiet,
            runs=args.runs,
            log_file=work / "cve-bin-tool-quiet.log",
            env=CBT_ENV,
        )
        m["tool"] = "cve-bin-tool"
        measurements.append(m)

    ours = next(m for m in measurements if m["tool"] == "mdrgate")
    for m in measurements:
        if m is not ours:
            m["ratio_vs_mdrgate"] = round(m["median_s"] / ours["median_s"], 2)
    goal_met = None
    if "cve-bin-tool" in commands and "syft" in commands:
        fastest_cbt = min(m["median_s"] for m in measurements if m["tool"] == "cve-bin-tool")
        syft_m = next(m for m in measurements if m["tool"] == "syft")
        checks = {
            "more rows right than cve-bin-tool": ours["right"] > scores["cve-bin-tool"]["right"],
            "zero false positives": ours["false_positives"] == 0,
            f">= {GOAL_SPEEDUP_VS_CBT:g}x faster than cve-bin-tool (its faster mode)": (
                fastest_cbt / ours["median_s"] >= GOAL_SPEEDUP_VS_CBT
            ),
            "no slower than syft": ours["median_s"] <= syft_m["median_s"],
        }
        notes["goal_checks"] = checks
        goal_met = all(checks.values())
    table = per_component(truth, scores)
    notes["per_component"] = table
    notes["rows"] = {tool: result["rows"] for tool, result in scores.items()}
    notes["tables"] = [
        "right / wrong / no version / missed, per truth row (file, component):\n\n"
        + component_table_md(table, list(scores))
    ]
    result_json = {
        "benchmark": "firmware_accuracy",
        "goal": (
            "more rows with the right version than cve-bin-tool, zero false positives, "
            f">= {GOAL_SPEEDUP_VS_CBT:g}x faster than cve-bin-tool, no slower than syft"
        ),
        "goal_met": goal_met,
        "measurements": measurements,
        "notes": notes,
    }
    print(json.dumps(result_json, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
