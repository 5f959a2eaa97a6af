"""The local vulnerability database: built from OSV, NVD, KEV, EPSS and endoflife.date files."""

from __future__ import annotations

from mdrgate.vulndb.build import (
    ImportReport,
    SourceImport,
    import_contents,
    import_feeds,
    import_osv,
    read_feed,
    read_feed_file,
)
from mdrgate.vulndb.feeds import FeedFile, FeedKind, Origin, detect_kind
from mdrgate.vulndb.osv import InvalidRecord
from mdrgate.vulndb.records import (
    CvssMetric,
    EolCycle,
    EolProduct,
    EpssScore,
    KevEntry,
    NvdCve,
    NvdReference,
)
from mdrgate.vulndb.schema import SCHEMA_VERSION
from mdrgate.vulndb.severity import score_vector
from mdrgate.vulndb.store import DbStatus, SourceStatus, VulnDb

__all__ = [
    "SCHEMA_VERSION",
    "CvssMetric",
    "DbStatus",
    "EolCycle",
    "EolProduct",
    "EpssScore",
    "FeedFile",
    "FeedKind",
    "ImportReport",
    "InvalidRecord",
    "KevEntry",
    "NvdCve",
    "NvdReference",
    "Origin",
    "SourceImport",
    "SourceStatus",
    "VulnDb",
    "detect_kind",
    "import_contents",
    "import_feeds",
    "import_osv",
    "read_feed",
    "read_feed_file",
    "score_vector",
]
