"""Binary scanning throughput on one large image: the scanner in process and ``mdrgate sbom``.

The image is the concatenation of the corpus's ELF files, repeated to ``--megabytes`` (300 by
default), built by ``bench_image_scan.build_image`` in ``benchmarks/.work/image-scan/``. Two
figures, each the median of ``--runs`` runs after one discarded warm-up run, page cache warm:

- ``collect_firmware_image`` in one process (``bench_image_scan.py``, run as a subprocess);
- ``mdrgate sbom IMAGE -o OUT`` end to end (interpreter start, imports, SBOM writing included).

Goal (issue 3): >= 100 MB/s. Skips cleanly when the corpus is absent.

    .venv/bin/python benchmarks/bench_firmware_throughput.py [--corpus .corpus] [--megabytes 300]
        [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench_image_scan import build_image
from firmware_scoring import timed_runs
from harness import MDRGATE, REPO, WORK, Json, child_env, log, shown

GOAL_MB_S = 100.0
HERE = Path(__file__).resolve().parent


def skipped(reason: str) -> int:
    print(f"bench_firmware_throughput: skipped: {reason}", file=sys.stderr)
    print(json.dumps({"benchmark": "firmware_throughput", "skipped": reason}))
    return 0


def components(sbom: Path) -> list[str]:
    found = json.loads(sbom.read_text()).get("components", [])
    return sorted(f"{c.get('name')} {c.get('version')}" for c in found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".corpus")
    parser.add_argument("--megabytes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not MDRGATE.exists():
        return skipped(f"{MDRGATE} is not installed (run make venv)")
    if not args.corpus.is_dir():
        return skipped(f"no corpus at {args.corpus} (bash ../shared/peers/make-corpus.sh .corpus)")
    log(f"building a {args.megabytes} MB image from {args.corpus}")
    image = build_image(args.corpus, args.megabytes)
    if image is None:
        return skipped(f"no ELF file in {args.corpus}")
    size = image.stat().st_size
    work = WORK / "firmware-throughput"
    work.mkdir(parents=True, exist_ok=True)

    scan_argv = [
        *[sys.executable, HERE / "bench_image_scan.py", "--corpus", args.corpus],
        *["--megabytes", str(args.megabytes), "--runs", str(args.runs)],
    ]
    log(f"in process: {shown(scan_argv)}")
    done = subprocess.run(
        [str(a) for a in scan_argv],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_env(),
    )
    scan, _ = json.JSONDecoder().raw_decode(done.stdout)
    seconds = scan["runs_s"]
    in_process: Json = {
        "label": "collect_firmware_image, in process",
        "command": shown(scan_argv),
        "runs": len(seconds),
        "median_s": scan["median_s"],
        "min_s": min(seconds),
        "max_s": max(seconds),
        "seconds": seconds,
        "bytes": size,
        "mb_per_s": scan["mb_per_s"],
        "components_found": len(scan["components"]),
    }
    log(f"in process: {scan['mb_per_s']} MB/s")

    out = work / "mdrgate-concat.cdx.json"
    cli = timed_runs(
        "mdrgate sbom IMAGE, end to end",
        [MDRGATE, "sbom", image, "-o", out],
        runs=args.runs,
        log_file=work / "mdrgate.log",
    )
    cli.update(
        {
            "bytes": size,
            "mb_per_s": round(size / cli["median_s"] / 1e6, 1),
            "components_found": len(components(out)),
        }
    )
    measurements = [in_process, cli]
    result = {
        "benchmark": "firmware_throughput",
        "goal": f">= {GOAL_MB_S:g} MB/s on a {size / 1e6:.0f} MB image",
        "goal_met": all(m["mb_per_s"] >= GOAL_MB_S for m in measurements),
        "measurements": measurements,
        "notes": {
            "image": str(image.relative_to(REPO)),
            "image_bytes": size,
            "components": components(out),
            "components_in_process": scan["components"],
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
