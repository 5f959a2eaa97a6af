"""An OSV export as a feed: :mod:`mdrgate.vulndb.osv`'s archive content behind ``FeedContent``."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdrgate.vulndb.feeds import FeedKind, Origin
from mdrgate.vulndb.osv import ArchiveContent, InvalidRecord, read_archive_data


@dataclass
class OsvContent:
    archive: ArchiveContent
    origin: Origin
    kind: FeedKind = FeedKind.OSV
    warnings: list[str] = field(default_factory=list)

    @property
    def source_name(self) -> str:
        return self.origin.source or self.archive.source_name

    @property
    def records(self) -> int:
        return len(self.archive.advisories)

    @property
    def newest_modified(self) -> str | None:
        return self.archive.newest_modified

    @property
    def captured_at(self) -> str | None:
        return self.origin.captured_at

    @property
    def invalid(self) -> list[InvalidRecord]:
        return self.archive.invalid

    @property
    def skipped(self) -> int:
        return self.archive.skipped

    @property
    def withdrawn(self) -> int:
        return self.archive.withdrawn

    @property
    def ecosystems(self) -> dict[str, int]:
        return dict(sorted(self.archive.ecosystems.items()))

    @property
    def details(self) -> dict[str, Any]:
        return {"entries": self.archive.entries}

    def insert(self, conn: sqlite3.Connection, first_rowid: int) -> int:
        content = self.archive
        source = self.source_name
        conn.executemany(
            "INSERT INTO advisories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first_rowid + i, source, *row) for i, row in enumerate(content.advisories)],
        )
        conn.executemany(
            "INSERT INTO affected VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first_rowid + index, *row) for index, row in content.affected],
        )
        conn.executemany(
            "INSERT INTO aliases VALUES (?, ?)",
            [(alias, first_rowid + index) for alias, index in content.aliases],
        )
        return first_rowid + len(content.advisories)


def read_osv(data: bytes, origin: Origin) -> OsvContent:
    """Read an OSV export zip (``<Ecosystem>/all.zip``); rules in :mod:`mdrgate.vulndb.osv`."""
    archive = read_archive_data(data, Path(origin.file_name), origin.sha256)
    return OsvContent(archive=archive, origin=origin)
