"""The SQLite layout of the vulnerability database and its version.

Bump ``SCHEMA_VERSION`` whenever a table, a column or the meaning of a stored value changes: a
database built by another version is refused when read (the user re-imports) instead of being
misread. Ranges, versions, severities, references and NVD configurations are stored as compact
JSON in the shapes documented below; they are only ever read back whole, never queried into.
What lookups need (package names, CPE vendor:product pairs, CVE ids, EOL identifiers) has its own
indexed column.

Version history: 1 OSV only; 2 adds NVD CVE records with a CPE product index, CISA KEV, EPSS and
endoflife.date, and ``sources.captured_at`` / ``sources.details``.
"""

from __future__ import annotations

SCHEMA_VERSION = 2
"""The layout version written into ``meta.schema_version``."""

APPLICATION_ID = 0x6D647267
"""``PRAGMA application_id`` (ASCII ``mdrg``): marks a file as an mdrgate database."""

TABLES = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per imported file; ``name`` is derived from the file's content (see build.py);
-- ``kind`` is osv, nvd, kev, epss or eol.
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
    ecosystems        TEXT NOT NULL,      -- JSON {"PyPI": advisory count, ...}; {} unless OSV
    captured_at       TEXT,               -- when the publisher produced the data (RFC 3339, UTC)
    details           TEXT NOT NULL       -- JSON object, per kind (feed format, score date, ...)
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

-- NVD CVE records (JSON 2.0 feeds and API 2.0 answers). The JSON columns keep NVD's own shapes
-- with unknown keys dropped: descriptions [{lang, value}]; metrics {cvssMetricV2|V30|V31|V40:
-- [{source, type, cvssData: {version, vectorString, baseScore, baseSeverity}}]}; weaknesses
-- [{source, type, description: [{lang, value}]}]; refs [{url, source, tags}]; configurations
-- [{operator?, negate?, nodes: [{operator, negate?, cpeMatch: [{vulnerable, criteria,
-- matchCriteriaId?, versionStart/EndIncluding/Excluding?}]}]}]. Timestamps as NVD writes them
-- (UTC without a zone).
CREATE TABLE cves (
    rowid          INTEGER PRIMARY KEY,
    source         TEXT NOT NULL,
    id             TEXT NOT NULL,
    published      TEXT,
    last_modified  TEXT,
    vuln_status    TEXT,
    descriptions   TEXT NOT NULL,
    metrics        TEXT NOT NULL,
    weaknesses     TEXT NOT NULL,
    refs           TEXT NOT NULL,
    configurations TEXT NOT NULL
);

-- One row per CVE and CPE vendor:product its configurations name (lower case, quoting as in a
-- CPE 2.3 formatted string); ``vulnerable`` is 1 when some entry naming the pair is vulnerable.
CREATE TABLE cve_products (
    vendor     TEXT NOT NULL,
    product    TEXT NOT NULL,
    cve        INTEGER NOT NULL,
    vulnerable INTEGER NOT NULL
);

-- CISA Known Exploited Vulnerabilities; dates YYYY-MM-DD; cwes JSON [str].
CREATE TABLE kev (
    source             TEXT NOT NULL,
    cve_id             TEXT NOT NULL,
    vendor_project     TEXT NOT NULL,
    product            TEXT NOT NULL,
    vulnerability_name TEXT NOT NULL,
    date_added         TEXT NOT NULL,
    due_date           TEXT,
    ransomware         TEXT NOT NULL,   -- knownRansomwareCampaignUse: Known / Unknown
    short_description  TEXT NOT NULL,
    required_action    TEXT NOT NULL,
    notes              TEXT NOT NULL,
    cwes               TEXT NOT NULL
);

-- FIRST EPSS scores; the score date and model version are the source's (sources.details).
CREATE TABLE epss (
    source     TEXT NOT NULL,
    cve        TEXT NOT NULL,
    epss       REAL NOT NULL,
    percentile REAL
);

-- endoflife.date: products (identifiers JSON [[type, value]]) and their release cycles. Dates
-- are YYYY-MM-DD; eol, support, extended_support, lts and discontinued are a date or the text
-- 'true'/'false' (endoflife.date gives either), NULL when not stated.
CREATE TABLE eol_products (
    source      TEXT NOT NULL,
    product     TEXT NOT NULL,
    title       TEXT,
    category    TEXT,
    identifiers TEXT NOT NULL
);

CREATE TABLE eol_cycles (
    source              TEXT NOT NULL,
    product             TEXT NOT NULL,
    position            INTEGER NOT NULL,
    cycle               TEXT NOT NULL,
    codename            TEXT,
    release_date        TEXT,
    eol                 TEXT,
    support             TEXT,
    extended_support    TEXT,
    lts                 TEXT,
    discontinued        TEXT,
    latest              TEXT,
    latest_release_date TEXT,
    link                TEXT
);

-- Lookup keys of the products' identifiers: a purl without version, qualifiers and subpath
-- (``pkg:pypi/django``), or a CPE's ``vendor:product`` (lower case), with its type.
CREATE TABLE eol_identifiers (
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    product TEXT NOT NULL,
    source  TEXT NOT NULL
);
"""

KIND_TABLES = {
    "osv": "advisories",
    "nvd": "cves",
    "kev": "kev",
    "epss": "epss",
    "eol": "eol_cycles",
}
"""The table whose rows of a source must number the source's ``records``."""

# Created after the bulk insert: building an index once over sorted data is much faster than
# maintaining it row by row.
INDEXES = """
CREATE UNIQUE INDEX advisories_by_source_id ON advisories (source, id);
CREATE INDEX advisories_by_id ON advisories (id);
CREATE INDEX affected_by_package ON affected (ecosystem, name_key);
CREATE INDEX affected_by_advisory ON affected (advisory, position);
CREATE INDEX aliases_by_alias ON aliases (alias);
CREATE INDEX invalid_by_source ON invalid_records (source);
CREATE UNIQUE INDEX cves_by_source_id ON cves (source, id);
CREATE INDEX cves_by_id ON cves (id);
CREATE INDEX cve_products_by_product ON cve_products (vendor, product);
CREATE INDEX kev_by_cve ON kev (cve_id);
CREATE INDEX epss_by_cve ON epss (cve);
CREATE INDEX eol_products_by_name ON eol_products (product);
CREATE INDEX eol_cycles_by_product ON eol_cycles (product, position);
CREATE INDEX eol_identifiers_by_key ON eol_identifiers (key);
"""
