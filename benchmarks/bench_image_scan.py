"""Binary scanning throughput: MB/s of ``collect_firmware_image`` on one large image.

The image is a concatenation of the real ELF files of the binary corpus (``bash
../shared/peers/make-corpus.sh .corpus``), repeated until it reaches ``--megabytes`` (300 by
default), written once to ``benchmarks/.work/image-scan/corpus-concat.bin``. The figure is the
median of ``--runs`` full collections (read, sha256, signature scan, component building) after
one discarded warm-up run, in one process; the page cache is warm, so this measures the scanner,
not the disk. Goal (issue 3): >= 100 MB/s. Skips cleanly when the corpus is absent.

    .venv/bin/python benchmarks/bench_image_scan.py [--corpus .corpus] [--megabytes 300] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / ".work" / "image-scan"


def build_image(corpus: Path, megabytes: int) -> Path | None:
    files = sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file() and not p.is_symlink() and p.read_bytes()[:4] == b"\x7fELF"
    )
    if not files:
        return None
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / "corpus-concat.bin"
    wanted = megabytes * 1_000_000
    if target.is_file() and target.stat().st_size >= wanted:
        return target
    written = 0
    with target.open("wb") as out:
        while written < wanted:
            for path in files:
                data = path.read_bytes()
                out.write(data)
                written += len(data)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".corpus")
    parser.add_argument("--megabytes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: no corpus at {args.corpus} (bash ../shared/peers/make-corpus.sh .corpus)")
        return 0
    image = build_image(args.corpus, args.megabytes)
    if image is None:
        print(f"skipped: no ELF file in {args.corpus}")
        return 0
    sys.path.insert(0, str(REPO / "src"))
    from mdrgate.collect.base import InputKind, InputSpec
    from mdrgate.collect.firmware.images import collect_firmware_image

    spec = InputSpec(InputKind.FIRMWARE_IMAGE, image, image.name)
    size = image.stat().st_size
    seconds: list[float] = []
    result = None
    for run in range(args.runs + 1):
        start = time.perf_counter()
        result = collect_firmware_image(spec)
        if run:  # the first run warms the page cache and is discarded
            seconds.append(time.perf_counter() - start)
    assert result is not None
    median = statistics.median(seconds)
    found = sorted({f"{c.catalogue_id} {c.version}" for c in result.components})
    print(
        json.dumps(
            {
                "bytes": size,
                "runs_s": [round(s, 3) for s in seconds],
                "median_s": round(median, 3),
                "mb_per_s": round(size / median / 1e6, 1),
                "components": found,
            },
            indent=2,
        )
    )
    print(f"image scan: {size / 1e6:.0f} MB in {median:.2f} s = {size / median / 1e6:.0f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
