"""Accuracy of mdrgate's OSV range evaluation on every real record of the shared exports.

PyPI: every record that enumerates its affected ``versions`` is checked against that enumeration.
The test points of an ``affected[]`` entry are its enumerated versions, its range bounds, and the
published versions right below and above each bound (a version counts as published when some
record of the package enumerates it). For each point, mdrgate's verdict from the ranges alone
(the ``versions`` list withheld) is compared with the enumeration; every disagreement is put in a
class that explains it, and the verdict of the full matcher (list and ranges) is checked never to
miss an enumerated version.

Go and crates.io publish SEMVER ranges without enumerations. Every range bound is tested with
its neighbours: the bound itself, just below it (its lowest pre-release ``X.Y.Z-0``, the previous
patch, or a smaller pre-release), just above it (the next patch and its ``-0`` pre-release, a
longer pre-release), the same version with build metadata, and for Go with the ``v`` prefix and
``+incompatible``. The expected verdict comes from a reference evaluation written here from the
OSV schema's pseudocode and semver.org §11 (independent of mdrgate's code and of the ``semver``
package); when node and npm's bundled node-semver are installed, every comparison the reference
makes is also checked against node-semver.

Prints one JSON object; skips when the OSV exports are absent.

    .venv/bin/python benchmarks/bench_osv_accuracy.py [--data ../shared/data/osv]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import SHARED, Json, log
from mdrgate.enrich.osv_eval import evaluate
from mdrgate.model import AffectedPackage, AffectedRange, RangeEvent
from mdrgate.versioning import GO, PEP440, SEMVER, VersionScheme

NODE_SEMVER = Path("/usr/lib/node_modules/npm/node_modules")

# Why the ranges of a PyPI record and its enumeration can disagree; each class is a fact about
# the data, explained in the report. A disagreement in no class fails the goal.
PYPI_CLASSES = {
    "enumerated-not-pep440": (
        "the enumerated version is not PEP 440 ('2.0.0-final', '0.9-doduo'), so no range can "
        "place it; the matcher still finds it, by its exact text in the versions list"
    ),
    "bound-not-published": (
        "the point is a range bound that no record of the package enumerates (for instance an "
        "introduced '4.3a0' written by hand): not a published release, so no enumeration can "
        "list it; the ranges rightly include an introduced bound"
    ),
    "listed-interval-not-enumerated": (
        "the record lists an interval that OSV's enumeration dropped (intervals that touch, "
        "like 'introduced 3.2.0, fixed 3.2.2' beside 'introduced 3.1.1, fixed 3.2.0'); mdrgate "
        "matches the interval as listed, with a note"
    ),
    "pre-release-of-introduced": (
        "the enumeration lists pre-releases of a release the range introduces ('3.2a1' for "
        "'introduced 3.2'); PEP 440 orders them before it; the versions list still matches them"
    ),
    "enumerated-at-or-after-fix": (
        "the enumeration lists versions at or after the record's own fixed version (an "
        "upstream inconsistency); the versions list still matches them (a conservative finding)"
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "osv")
    parser.add_argument("--examples", type=int, default=5, help="examples kept per class")
    args = parser.parse_args()
    needed = [args.data / eco / "all.zip" for eco in ("PyPI", "Go", "crates.io")]
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        reason = f"OSV exports absent: {', '.join(missing)}"
        print(f"bench_osv_accuracy: skipped: {reason}", file=sys.stderr)
        print(json.dumps({"benchmark": "osv_accuracy", "skipped": reason}))
        return 0
    started = time.perf_counter()
    pypi = pypi_report(needed[0], args.examples)
    log(f"PyPI: {pypi['points']} points, {pypi['ranges_agree']} agree")
    node = NodeSemver.start()
    semver = [
        boundary_report("Go", needed[1], GO, node, args.examples),
        boundary_report("crates.io", needed[2], SEMVER, node, args.examples),
    ]
    for report in semver:
        log(f"{report['ecosystem']}: {report['points']} points, {report['agree']} agree")
    if node is not None:
        node.close()
    unexplained = pypi["disagreements_by_class"].get("unexplained", 0)
    goal_met = (
        unexplained == 0
        and pypi["matcher_missed_enumerated"] == 0
        and all(r["agree"] == r["points"] for r in semver)
        and all(r["reference_vs_node_semver"].get("disagree", 0) == 0 for r in semver)
    )
    result = {
        "benchmark": "osv_accuracy",
        "goal": (
            "PyPI: range verdicts agree with OSV's enumerations, every disagreement explained, "
            "no enumerated version missed by the matcher; Go and crates.io: 100 % agreement "
            "with the reference evaluation at every range bound and its neighbours"
        ),
        "goal_met": goal_met,
        "measurements": [pypi, *semver],
        "notes": {
            "pypi_classes": PYPI_CLASSES,
            "seconds": round(time.perf_counter() - started, 1),
        },
    }
    print(json.dumps(result, indent=2))
    return 0


# --- records -------------------------------------------------------------------------------


def records(archive: Path) -> Iterator[dict[str, Any]]:
    with zipfile.ZipFile(archive) as zf:
        for name in sorted(zf.namelist()):
            if name.endswith(".json"):
                yield json.loads(zf.read(name))


def affected_package(entry: dict[str, Any], *, with_versions: bool) -> AffectedPackage:
    """An ``affected[]`` entry as the database hands it to the matcher."""
    ranges = tuple(
        AffectedRange(
            rng["type"],
            tuple(RangeEvent(k, str(v)) for event in rng["events"] for k, v in event.items()),
            rng.get("repo"),
        )
        for rng in entry.get("ranges", [])
    )
    package = entry["package"]
    versions = tuple(entry.get("versions", [])) if with_versions else ()
    return AffectedPackage(
        package["ecosystem"], package["name"], package.get("purl"), ranges, versions
    )


def bounds(entry: dict[str, Any], types: Iterable[str]) -> list[tuple[str, str]]:
    return [
        (kind, str(value))
        for rng in entry.get("ranges", [])
        if rng["type"] in types
        for event in rng["events"]
        for kind, value in event.items()
        if not (kind == "introduced" and value == "0") and not (kind == "limit" and value == "*")
    ]


# --- PyPI: ranges against enumerations -----------------------------------------------------


def pypi_report(archive: Path, examples: int) -> Json:
    all_records = list(records(archive))
    published: dict[str, set[Any]] = defaultdict(set)  # package -> enumerated versions (parsed)
    for record in all_records:
        for entry in record.get("affected", []):
            name = entry["package"]["name"].lower()
            for text in entry.get("versions", []):
                value = PEP440.parse(text)
                if value is not None:
                    published[name].add(value)
    ordered = {name: sorted(values) for name, values in published.items()}
    counts: Counter[str] = Counter()
    classes: Counter[str] = Counter()
    shown: dict[str, list[Json]] = defaultdict(list)
    ids: dict[str, set[str]] = defaultdict(set)
    enumerating = 0
    missed = 0
    extra = 0
    git_only = 0
    for record in all_records:
        entries = [e for e in record.get("affected", []) if e.get("versions")]
        if not entries:
            continue
        enumerating += 1
        for entry in entries:
            if not bounds(entry, ("ECOSYSTEM", "SEMVER")) and not any(
                r["type"] in ("ECOSYSTEM", "SEMVER") for r in entry.get("ranges", [])
            ):
                git_only += 1
                continue
            name = entry["package"]["name"].lower()
            for text, listed, verdict, full in _pypi_points(entry, ordered.get(name, [])):
                counts["points"] += 1
                missed += listed and not full.affected
                extra += full.affected and not listed
                if verdict.affected == listed:
                    counts["agree"] += 1
                    continue
                klass = _pypi_class(entry, text, listed, verdict, published[name])
                classes[klass] += 1
                ids[klass].add(record["id"])
                if len(shown[klass]) < examples:
                    shown[klass].append(
                        {"id": record["id"], "package": name, "version": text, "enumerated": listed}
                    )
    points = counts["points"]
    explained = counts["agree"] + sum(classes.values()) - classes["unexplained"]
    return {
        "label": "PyPI: range verdicts vs OSV enumerations",
        "records": len(all_records),
        "records_enumerating_versions": enumerating,
        "entries_without_version_ranges": git_only,
        "points": points,
        "ranges_agree": counts["agree"],
        "ranges_agree_pct": round(100 * counts["agree"] / points, 3) if points else None,
        "disagreements": sum(classes.values()),
        "disagreements_by_class": dict(sorted(classes.items())),
        "records_by_class": {k: sorted(v) for k, v in sorted(ids.items())},
        "agree_or_explained_pct": round(100 * explained / points, 3) if points else None,
        "matcher_missed_enumerated": missed,
        "matcher_affected_not_enumerated": extra,
        "examples": dict(sorted(shown.items())),
    }


def _pypi_points(
    entry: dict[str, Any], published: list[Any]
) -> Iterator[tuple[str, bool, Any, Any]]:
    """(version text, enumerated?, verdict of the ranges alone, verdict of the full matcher)."""
    ranges_only = affected_package(entry, with_versions=False)
    full = affected_package(entry, with_versions=True)
    enumerated = {PEP440.parse(t) or t for t in entry["versions"]}
    texts = dict.fromkeys(entry["versions"])
    for _, bound in bounds(entry, ("ECOSYSTEM",)):
        texts.setdefault(bound)
        value = PEP440.parse(bound)
        if value is None:
            continue
        below = [v for v in published if v < value]
        above = [v for v in published if v > value]
        for neighbour in below[-1:] + above[:1]:
            texts.setdefault(str(neighbour))
    for text in texts:
        listed = (PEP440.parse(text) or text) in enumerated
        yield text, listed, evaluate(ranges_only, text, PEP440), evaluate(full, text, PEP440)


def _pypi_class(
    entry: dict[str, Any], text: str, listed: bool, verdict: Any, published: set[Any]
) -> str:
    value = PEP440.parse(text)
    if value is None:
        return "enumerated-not-pep440" if listed else "unexplained"
    if not listed and value not in published:
        return "bound-not-published"
    if not listed and any("as the record lists it" in note for note in verdict.notes):
        return "listed-interval-not-enumerated"
    if listed:
        introduced = {
            PEP440.parse(v) for k, v in bounds(entry, ("ECOSYSTEM",)) if k == "introduced"
        }
        if value.pre is not None and PEP440.parse(value.base_version) in introduced:
            return "pre-release-of-introduced"
        fixed = [PEP440.parse(v) for k, v in bounds(entry, ("ECOSYSTEM",)) if k == "fixed"]
        if any(f is not None and value >= f for f in fixed):
            return "enumerated-at-or-after-fix"
    return "unexplained"


# --- Go and crates.io: boundaries against a reference evaluation ----------------------------


@dataclass(frozen=True)
class Ref:
    """A SemVer 2.0 version as semver.org §11 orders it (reference, independent of mdrgate)."""

    core: tuple[int, int, int]
    pre: tuple[str, ...]
    build: str

    @classmethod
    def parse(cls, text: str) -> Ref:
        text = text[1:] if text.startswith("v") else text
        text, _, build = text.partition("+")
        core, _, pre = text.partition("-")
        major, minor, patch = (int(n) for n in core.split("."))
        return cls((major, minor, patch), tuple(pre.split(".")) if pre else (), build)

    def key(self) -> tuple[Any, ...]:
        if not self.pre:
            return (self.core, 1, ())
        ids = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in self.pre)
        return (self.core, 0, ids)

    def text(self, *, build: str | None = None) -> str:
        out = ".".join(map(str, self.core)) + ("-" + ".".join(self.pre) if self.pre else "")
        build = self.build if build is None else build
        return out + (f"+{build}" if build else "")


def neighbours(bound: str, *, go: bool) -> list[str]:
    """The bound, just below it, just above it, with build metadata, and Go's spellings."""
    ref = Ref.parse(bound)
    major, minor, patch = ref.core
    plain = Ref(ref.core, ref.pre, "")
    points = [bound, plain.text(), plain.text(build="build.1")]
    if ref.pre:
        last = ref.pre[-1]
        if last.isdigit() and int(last) > 0:
            points.append(Ref(ref.core, (*ref.pre[:-1], str(int(last) - 1)), "").text())
        if len(ref.pre) > 1:
            points.append(Ref(ref.core, ref.pre[:-1], "").text())
        points.append(Ref(ref.core, (*ref.pre, "0"), "").text())  # just above
        points.append(Ref(ref.core, (), "").text())  # the release itself, above
    else:
        points.append(Ref(ref.core, ("0",), "").text())  # lowest pre-release, just below
        points.append(Ref((major, minor, patch + 1), ("0",), "").text())
        points.append(Ref((major, minor, patch + 1), (), "").text())
        if patch:
            points.append(Ref((major, minor, patch - 1), (), "").text())
        elif minor:
            points.append(Ref((major, minor - 1, 999), (), "").text())
    if go:
        points += ["v" + p for p in points]
        points += [p + "+incompatible" for p in points if "+" not in p]
    return list(dict.fromkeys(points))


def reference_affected(events: list[tuple[str, str]], version: str, compare: Any) -> bool:
    """The OSV schema's evaluation pseudocode: events sorted by version, walked in order."""
    limits = [v for k, v in events if k == "limit" and v != "*"]
    if limits and not any(compare(version, limit) < 0 for limit in limits):
        return False
    order = {"introduced": 0, "fixed": 1, "last_affected": 2}
    walk = sorted(
        ((k, v) for k, v in events if k in order),
        key=lambda e: (0, (), 0) if e[1] == "0" else (1, Ref.parse(e[1]).key(), order[e[0]]),
    )
    affected = False
    for kind, value in walk:
        if kind == "introduced":
            affected = affected or value == "0" or compare(version, value) >= 0
        elif kind == "fixed":
            affected = affected and compare(version, value) < 0
        else:  # last_affected
            affected = affected and compare(version, value) <= 0
    return affected


class NodeSemver:
    """node-semver (npm's bundled copy) answering ``compare`` for a batch of pairs."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process

    @classmethod
    def start(cls) -> NodeSemver | None:
        node = shutil.which("node")
        if node is None or not (NODE_SEMVER / "semver").is_dir():
            return None
        script = (
            "const s=require('semver');const rl=require('readline').createInterface({input:"
            "process.stdin});rl.on('line',l=>{const p=JSON.parse(l);console.log(JSON.stringify("
            "p.map(([a,b])=>s.compare(a,b))))});"
        )
        process = subprocess.Popen(
            [node, "-e", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={"NODE_PATH": str(NODE_SEMVER), "PATH": "/usr/bin:/bin"},
        )
        return cls(process)

    def compare(self, pairs: list[tuple[str, str]]) -> list[int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(pairs) + "\n")
        self.process.stdin.flush()
        return list(json.loads(self.process.stdout.readline()))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def boundary_report(
    ecosystem: str, archive: Path, scheme: VersionScheme, node: NodeSemver | None, examples: int
) -> Json:
    compared: dict[tuple[str, str], int] = {}

    def compare(a: str, b: str) -> int:
        ka, kb = Ref.parse(a).key(), Ref.parse(b).key()
        result = (ka > kb) - (ka < kb)
        compared[(a, b)] = result
        return result

    go = ecosystem == "Go"
    counts: Counter[str] = Counter()
    wrong: list[Json] = []
    forms: Counter[str] = Counter()
    for record in records(archive):
        for entry in record.get("affected", []):
            for rng in entry.get("ranges", []):
                if rng["type"] != "SEMVER":
                    continue
                counts["ranges"] += 1
                events = [(k, str(v)) for event in rng["events"] for k, v in event.items()]
                package = AffectedPackage(
                    entry["package"]["ecosystem"],
                    entry["package"]["name"],
                    None,
                    (AffectedRange("SEMVER", tuple(RangeEvent(k, v) for k, v in events)),),
                    (),
                )
                points: dict[str, None] = {}
                for kind, value in events:
                    if value in ("0", "*"):
                        continue
                    counts[f"bounds_{kind}"] += 1
                    points.update(dict.fromkeys(neighbours(value, go=go)))
                for point in points:
                    counts["points"] += 1
                    forms[_form(point)] += 1
                    expected = reference_affected(events, point, compare)
                    got = evaluate(package, point, scheme).affected
                    if got == expected:
                        counts["agree"] += 1
                    elif len(wrong) < examples:
                        wrong.append(
                            {"id": record["id"], "version": point, "expected": expected, "got": got}
                        )
    cross: Json = {"checked_by": "node-semver" if node else "not available (node absent)"}
    if node is not None:
        pairs = list(compared)
        disagree = 0
        for i in range(0, len(pairs), 5000):
            chunk = pairs[i : i + 5000]
            answers = node.compare(chunk)
            disagree += sum(compared[p] != a for p, a in zip(chunk, answers, strict=True))
        cross.update({"comparisons": len(pairs), "disagree": disagree})
    return {
        "label": f"{ecosystem}: SEMVER bounds and neighbours vs reference evaluation",
        "ecosystem": ecosystem,
        **{k: counts[k] for k in sorted(counts) if k.startswith("bounds_") or k == "ranges"},
        "points": counts["points"],
        "agree": counts["agree"],
        "agree_pct": round(100 * counts["agree"] / counts["points"], 3)
        if counts["points"]
        else None,
        "points_by_form": dict(sorted(forms.items())),
        "reference_vs_node_semver": cross,
        "disagreements": wrong,
    }


def _form(point: str) -> str:
    parts = []
    if point.startswith("v"):
        parts.append("v-prefix")
    if "+incompatible" in point:
        parts.append("+incompatible")
    elif "+" in point:
        parts.append("build")
    core = point.split("+", 1)[0]
    if "-" in core:
        pre = core.split("-", 1)[1]
        parts.append("pseudo-version" if _is_pseudo(pre) else "pre-release")
    return " ".join(parts) or "release"


def _is_pseudo(pre: str) -> bool:
    tail = pre.rsplit(".", 1)[-1] if "." in pre else pre
    stamp, _, revision = tail.partition("-")
    return len(stamp) == 14 and stamp.isdigit() and len(revision) >= 12


if __name__ == "__main__":
    sys.exit(main())
