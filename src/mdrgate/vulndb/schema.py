"""The SQLite layout of the vulnerability database and its version.

Bump ``SCHEMA_VERSION`` whenever a table, a column or the meaning of a stored value changes: a
database built by another version is refused when read (the user re-imports) instead of being
misread. Ranges, versions, severities and references are stored as compact JSON in the shapes
documented below; they are only ever read back whole, never queried into.
"""

from __future__ import annotations

SCHEMA_VERSION = 1
"""The layout version written into ``meta.schema_version``."""

APPLICATION_ID = 0x6D647267
"""``PRAGMA application_id`` (ASCII ``mdrg``): marks a file as an mdrgate database."""

TABLES = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per imported archive; ``name`` is derived from the archive's content (see build.py).
CREATE TABLE sources (
    name              TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    file_name         TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    records           INTEGER NOT NULL,   -- records imported (incl. schema-invalid but usable)
    invalid_records   INTEGER NOT NULL,   -- entries that failed the OSV schema or were unusable
    skipped_records   INTEGER NOT NULL,   -- of those, entries not imported (no usable id/affected)
    withdrawn_records INTEGER NOT NULL,
    newest_modified   TEXT,               -- as written in the record; placeholders ignored
    imported_at       TEXT NOT NULL,
    ecosystems        TEXT NOT NULL       -- JSON {"PyPI": advisory count, ...}
) WITHOUT ROWID;

-- Every entry that failed the OSV schema or could not be used, with a short reason.
CREATE TABLE invalid_records (
    source   TEXT NOT NULL,
    entry    TEXT NOT NULL,
    id       TEXT,
    reason   TEXT NOT NULL,
    imported INTEGER NOT NULL
);

-- aliases: JSON [str]; severity: JSON [[type, vector]]; refs: JSON [[type, url]];
-- timestamps are the record's own RFC 3339 text.
CREATE TABLE advisories (
    rowid        INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    id           TEXT NOT NULL,
    summary      TEXT,
    details      TEXT,
    aliases      TEXT NOT NULL,
    published    TEXT,
    modified     TEXT,
    withdrawn    TEXT,
    severity     TEXT NOT NULL,
    refs         TEXT NOT NULL,
    schema_valid INTEGER NOT NULL
);

-- ranges: JSON [[type, repo|null, [[event kind, version], ...]], ...] in record order;
-- versions: JSON [str]; severity as in advisories. ``name_key`` is the name as the ecosystem
-- compares it (PEP 503 for PyPI).
CREATE TABLE affected (
    advisory  INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    ecosystem TEXT NOT NULL,
    name_key  TEXT NOT NULL,
    name      TEXT NOT NULL,
    purl      TEXT,
    ranges    TEXT NOT NULL,
    versions  TEXT NOT NULL,
    severity  TEXT NOT NULL
);

-- Every alias an advisory declares (CVE-..., GHSA-...), for lookups by any known identifier.
CREATE TABLE aliases (
    alias    TEXT NOT NULL,
    advisory INTEGER NOT NULL
);
"""

# Created after the bulk insert: building an index once over sorted data is much faster than
# maintaining it row by row.
INDEXES = """
CREATE UNIQUE INDEX advisories_by_source_id ON advisories (source, id);
CREATE INDEX advisories_by_id ON advisories (id);
CREATE INDEX affected_by_package ON affected (ecosystem, name_key);
CREATE INDEX affected_by_advisory ON affected (advisory, position);
CREATE INDEX aliases_by_alias ON aliases (alias);
CREATE INDEX invalid_by_source ON invalid_records (source);
"""
