"""The local vulnerability database: built from OSV exports, read by the matchers."""

from __future__ import annotations

from mdrgate.vulndb.build import ImportReport, SourceImport, import_osv
from mdrgate.vulndb.osv import InvalidRecord
from mdrgate.vulndb.schema import SCHEMA_VERSION
from mdrgate.vulndb.severity import score_vector
from mdrgate.vulndb.store import DbStatus, SourceStatus, VulnDb

__all__ = [
    "SCHEMA_VERSION",
    "DbStatus",
    "ImportReport",
    "InvalidRecord",
    "SourceImport",
    "SourceStatus",
    "VulnDb",
    "import_osv",
    "score_vector",
]
