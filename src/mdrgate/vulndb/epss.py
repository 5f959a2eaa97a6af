"""Reading FIRST's EPSS scores, as FIRST publishes them (``epss_scores-YYYY-MM-DD.csv[.gz]``).

The file is CSV: a comment line ``#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z``,
then the header ``cve,epss,percentile`` and one line per CVE. The comment line gives the source's
score date (its captured-at) and model version; a file without it is imported with an unknown
score date and a warning. Columns are found by name in the header (extra columns are ignored);
``cve`` and ``epss`` are required. Every line is checked — a CVE id, a probability between 0 and
1, a CVE listed once — and any bad line refuses the whole file with its line number: a file cut
off in the middle would otherwise import as a smaller, wrong, score list.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from mdrgate.errors import InputError
from mdrgate.vulndb.feeds import ContentBase, FeedKind, Origin, gunzip, rfc3339

SOURCE = "epss"

_CVE_ID = re.compile(r"CVE-\d{4}-\d{4,}")


@dataclass
class EpssContent(ContentBase):
    kind: FeedKind = FeedKind.EPSS
    rows: list[tuple[str, float, float | None]] = field(default_factory=list)
    model_version: str | None = None
    score_date: str | None = None

    @property
    def source_name(self) -> str:
        return self.origin.source or SOURCE

    @property
    def records(self) -> int:
        return len(self.rows)

    @property
    def newest_modified(self) -> str | None:
        return rfc3339(self.score_date)

    @property
    def captured_at(self) -> str | None:
        return self.origin.captured_at or rfc3339(self.score_date)

    @property
    def details(self) -> dict[str, Any]:
        return {"modelVersion": self.model_version, "scoreDate": self.score_date}

    def insert(self, conn: sqlite3.Connection, first_rowid: int) -> int:
        source = self.source_name
        conn.executemany(
            "INSERT INTO epss VALUES (?, ?, ?, ?)", [(source, *row) for row in self.rows]
        )
        return first_rowid


def read_epss(data: bytes, origin: Origin) -> EpssContent:
    """Read an EPSS CSV (plain or gzip); see the module docstring for what is refused."""
    shown = origin.file_name
    raw = gunzip(data, shown) if data.startswith(b"\x1f\x8b") else data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"is not UTF-8 text (invalid byte on line {line})", source=shown) from None
    content = EpssContent(origin=origin)
    lines = text.splitlines()
    number = 0
    while number < len(lines) and lines[number].startswith("#"):
        _comment(lines[number], content)
        number += 1
    if number >= len(lines):
        raise InputError("holds no header line (expected 'cve,epss,percentile')", source=shown)
    header = [name.strip().lower() for name in lines[number].split(",")]
    number += 1
    if "cve" not in header or "epss" not in header:
        raise InputError(
            f"line {number}: the header is {lines[number - 1]!r}, expected 'cve,epss,percentile'",
            source=shown,
        )
    if content.score_date is None:
        content.warnings.append(
            f"{shown} has no '#model_version:...,score_date:...' line: the scores' date is unknown"
        )
    _rows(lines, number, header, content, shown)
    if not content.rows:
        raise InputError("holds no scores", source=shown)
    return content


def _comment(line: str, content: EpssContent) -> None:
    for part in line.lstrip("#").split(","):
        key, _, value = part.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "model_version" and value:
            content.model_version = value
        elif key == "score_date" and value:
            content.score_date = value


def _rows(
    lines: list[str], start: int, header: list[str], content: EpssContent, shown: str
) -> None:
    width = len(header)
    cve_at, epss_at = header.index("cve"), header.index("epss")
    pct_at = header.index("percentile") if "percentile" in header else None
    seen: set[str] = set()
    rows = content.rows
    for offset, line in enumerate(lines[start:]):
        if not line.strip():
            continue
        number = start + offset + 1
        fields = line.split(",")
        if len(fields) != width:
            raise InputError(
                f"line {number}: {len(fields)} fields, the header names {width}; "
                "the file is damaged or cut off",
                source=shown,
            )
        cve = fields[cve_at].strip()
        if not _CVE_ID.fullmatch(cve):
            raise InputError(f"line {number}: {cve!r} is not a CVE id", source=shown)
        if cve in seen:
            raise InputError(f"line {number}: {cve} is listed twice", source=shown)
        seen.add(cve)
        epss = _probability(fields[epss_at], "epss", number, shown)
        percentile = (
            _probability(fields[pct_at], "percentile", number, shown)
            if pct_at is not None
            else None
        )
        rows.append((cve, epss, percentile))


def _probability(text: str, name: str, number: int, shown: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise InputError(
            f"line {number}: {name} {text.strip()!r} is not a number between 0 and 1",
            source=shown,
        )
    return value
