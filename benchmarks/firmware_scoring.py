"""Scoring binary detections of mdrgate, cve-bin-tool and syft against a truth table.

Each tool's output is turned into ``Detection`` values (which file, which component, which
version), its own component names translated to the truth's names through the committed table
``benchmarks/inputs/firmware-component-names.csv``. A name the table does not list is compared
as it is (lower-cased). Then every truth row (file, component, upstream version) is scored:

- **right**: the tool reports the component in that file with the truth's version;
- **wrong**: it reports the component in that file, only with other versions;
- **no version**: it reports the component in that file, without any version;
- **missed**: it does not report the component in that file;

and every reported (file, component) the truth does not list is a **false positive**.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import INPUTS, REPO, child_env, log, shown, summary

NAMES = INPUTS / "firmware-component-names.csv"
OUTCOMES = ("right", "wrong", "no_version", "missed")
Json = dict[str, Any]

# cve-bin-tool logs through rich, which wraps lines at the terminal width: a wide COLUMNS keeps
# each log record on one line so that file names can be read back.
CBT_ENV = {"COLUMNS": "10000"}
SYFT_ENV = {"SYFT_CHECK_FOR_APP_UPDATE": "false"}


@dataclass(frozen=True)
class TruthRow:
    file: str
    component: str
    version: str
    source: str  # where the truth comes from (Debian package and version)


@dataclass(frozen=True)
class Detection:
    file: str
    reported: str  # the tool's own name
    component: str  # the truth's name for it (through the mapping table)
    version: str | None


def norm_version(version: str) -> str:
    return version.strip().lower().removeprefix("v")


def load_names(path: Path = NAMES) -> dict[tuple[str, str], str]:
    with path.open(newline="") as handle:
        return {
            (row["tool"], row["reported_name"].lower()): row["component"]
            for row in csv.DictReader(handle)
        }


def component_name(tool: str, reported: str, names: Mapping[tuple[str, str], str]) -> str:
    return names.get((tool, reported.lower()), reported.lower())


def load_truth(path: Path) -> list[TruthRow]:
    """``truth.csv`` of make-corpus.sh: file,component,upstream_version,deb_package,deb_version."""
    with path.open(newline="") as handle:
        return [
            TruthRow(
                row["file"],
                row["component"],
                row["upstream_version"],
                f"{row['deb_package']} {row['deb_version']}",
            )
            for row in csv.DictReader(handle)
        ]


def relative_key(base: Path, cwd: Path = REPO) -> Callable[[str], str]:
    """A location as a tool writes it (absolute, relative to ``cwd``, ``/``-rooted at the scanned
    directory, or ``archive.a(member.o)``) → the path relative to ``base``."""
    root = Path(os.path.normpath(base.resolve()))

    def key(location: str) -> str:
        path = Path(location)
        candidates = [path] if path.is_absolute() else [cwd / path]
        if path.is_absolute():
            candidates.append(root / location.lstrip("/"))  # syft: rooted at the scanned dir
        for candidate in candidates:
            normal = Path(os.path.normpath(candidate))
            try:
                relative = normal.relative_to(root)
            except ValueError:
                continue
            if candidate is candidates[0] or (root / relative).exists():
                return relative.as_posix()
        return location

    return key


def _properties(component: Json) -> list[tuple[str, str]]:
    return [(p.get("name", ""), p.get("value", "")) for p in component.get("properties", [])]


def _all_components(items: Iterable[Json]) -> Iterable[Json]:
    for item in items:
        yield item
        yield from _all_components(item.get("components", []))


def mdrgate_detections(
    sbom: Path, key: Callable[[str], str], names: Mapping[tuple[str, str], str]
) -> list[Detection]:
    """One detection per evidence occurrence (a file the component was found in)."""
    found = []
    for component in _all_components(json.loads(sbom.read_text()).get("components", [])):
        props = dict(_properties(component))
        reported = props.get("mdrgate:catalogue_id") or component.get("name", "")
        mapped = component_name("mdrgate", reported, names)
        occurrences = component.get("evidence", {}).get("occurrences", [])
        locations = {o["location"] for o in occurrences if "location" in o} or {"(no location)"}
        for location in sorted(locations):
            found.append(Detection(key(location), reported, mapped, component.get("version")))
    return found


def mdrgate_presence(sbom: Path) -> dict[str, str]:
    """Catalogue id → its ``mdrgate:presence`` values (of every version reported), joined."""
    result: dict[str, set[str]] = {}
    for component in _all_components(json.loads(sbom.read_text()).get("components", [])):
        props = dict(_properties(component))
        ident = props.get("mdrgate:catalogue_id") or component.get("name", "")
        result.setdefault(ident, set()).add(props.get("mdrgate:presence", "(none)"))
    return {ident: ", ".join(sorted(values)) for ident, values in result.items()}


_CBT_FOUND = re.compile(
    r"VersionScanner - (?P<file>/\S+) contains (?P<name>\S+) (?P<version>\S+)\s+version_scanner\.py"
)
_CBT_UNKNOWN = re.compile(
    r"VersionScanner - (?P<name>\S+) was detected with version UNKNOWN in file (?P<file>/\S+)"
    r"\s+version_scanner\.py"
)


def cbt_detections(
    log_text: str, key: Callable[[str], str], names: Mapping[tuple[str, str], str]
) -> list[Detection]:
    """Per-file results of ``cve-bin-tool -l debug``: its log is the only place that has them."""
    found = []
    for line in log_text.splitlines():
        match = _CBT_FOUND.search(line)
        version: str | None
        if match:
            version = match["version"]
        else:
            match = _CBT_UNKNOWN.search(line)
            version = None
        if match:
            name = match["name"]
            found.append(
                Detection(
                    key(match["file"]), name, component_name("cve-bin-tool", name, names), version
                )
            )
    expected = log_text.count("version_scanner.py:282") + log_text.count("version UNKNOWN in file")
    if len(found) != expected:
        raise RuntimeError(
            f"read {len(found)} cve-bin-tool results from its log, which has {expected}: "
            "the log format is not the one this script knows (wrapped lines?)"
        )
    return found


def syft_detections(
    sbom: Path, key: Callable[[str], str], names: Mapping[tuple[str, str], str]
) -> list[Detection]:
    found = []
    for component in _all_components(json.loads(sbom.read_text()).get("components", [])):
        if component.get("type") == "file":
            continue
        props = _properties(component)
        locations = {v for k, v in props if re.fullmatch(r"syft:location:\d+:path", k)}
        name = component.get("name", "")
        mapped = component_name("syft", name, names)
        for location in sorted(locations or {"(no location)"}):
            found.append(Detection(key(location), name, mapped, component.get("version")))
    return found


def score(truth: Sequence[TruthRow], detections: Sequence[Detection]) -> Json:
    """Outcome per truth row, totals, distinct components right, and the false positives."""
    rows = []
    counts = dict.fromkeys(OUTCOMES, 0)
    for row in truth:
        hits = [d for d in detections if d.file == row.file and d.component == row.component]
        versions = sorted({d.version for d in hits if d.version})
        normal = {norm_version(v) for v in versions}
        if norm_version(row.version) in normal:
            outcome = "right"
        elif versions:
            outcome = "wrong"
        elif hits:
            outcome = "no_version"
        else:
            outcome = "missed"
        counts[outcome] += 1
        rows.append(
            {
                "file": row.file,
                "component": row.component,
                "truth": row.version,
                "outcome": outcome,
                "reported_versions": versions,
            }
        )
    listed = {(row.file, row.component) for row in truth}
    false_positives = sorted(
        {
            (d.file, d.reported, d.version or "(no version)")
            for d in detections
            if (d.file, d.component) not in listed
        }
    )
    return {
        **counts,
        "truth_rows": len(truth),
        "false_positives": len(false_positives),
        "false_positive_list": [
            {"file": f, "reported": n, "version": v} for f, n, v in false_positives
        ],
        "components_right": sorted({r["component"] for r in rows if r["outcome"] == "right"}),
        "rows": rows,
    }


def per_component(truth: Sequence[TruthRow], scores: Mapping[str, Json]) -> list[Json]:
    """One line per truth component: rows, and per tool right/wrong/no version/missed."""
    table = []
    for component in sorted({row.component for row in truth}):
        line: Json = {
            "component": component,
            "version": sorted({r.version for r in truth if r.component == component}),
            "rows": sum(1 for r in truth if r.component == component),
        }
        for tool, result in scores.items():
            outcomes = [r["outcome"] for r in result["rows"] if r["component"] == component]
            line[tool] = {o: outcomes.count(o) for o in OUTCOMES}
        table.append(line)
    return table


def component_table_md(table: Sequence[Json], tools: Sequence[str]) -> str:
    """right / wrong / no version / missed per component and tool, as Markdown."""
    head = "| component | version | rows | " + " | ".join(tools) + " |"
    lines = [head, "|---|---|---:|" + "---|" * len(tools)]
    for line in table:
        cells = [
            "{right} / {wrong} / {no_version} / {missed}".format(**line[tool]) for tool in tools
        ]
        lines.append(
            f"| {line['component']} | {', '.join(line['version'])} | {line['rows']} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def timed_runs(
    label: str,
    argv: Sequence[str | Path],
    *,
    runs: int,
    log_file: Path,
    warmup: int = 1,
    env: Mapping[str, str] | None = None,
    ok_codes: tuple[int, ...] = (0,),
    cwd: Path = REPO,
) -> Json:
    """Wall time of ``argv`` (interpreter start included), warm-up runs dropped; stdout and
    stderr of every run go to ``log_file`` (the last run's stay there, for scoring)."""
    args = [str(a) for a in argv]
    full_env = child_env(extra=env)
    seconds = []
    log_file.parent.mkdir(parents=True, exist_ok=True)
    for run in range(warmup + runs):
        with log_file.open("wb") as out:
            started = time.perf_counter()
            done = subprocess.run(
                args, check=False, env=full_env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
            )
            elapsed = time.perf_counter() - started
        if done.returncode not in ok_codes:
            tail = log_file.read_text(errors="replace")[-2000:]
            raise RuntimeError(
                f"{shown(args)} exited with {done.returncode} (expected {ok_codes}):\n{tail}"
            )
        if run >= warmup:
            seconds.append(elapsed)
    result = {"label": label, "command": shown(args), **summary(seconds)}
    log(f"{label}: median {result['median_s']:.3f} s")
    return result


def upstream_version(debian_version: str) -> str:
    """The upstream part of a Debian version, as make-corpus.sh cuts it (epoch, revision,
    +dfsg/.dfsg repack suffixes, +… and ~… suffixes dropped)."""
    version = debian_version.split(":", 1)[-1]
    version = version.rsplit("-", 1)[0] if "-" in version else version
    for cut in ("+dfsg", ".dfsg", "+", "~"):
        version = version.split(cut, 1)[0]
    return version
