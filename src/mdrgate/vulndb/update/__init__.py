"""``mdrgate db update``: the vulnerability sources fetched from their official endpoints.

:mod:`.sources` names the sources and their URLs, :mod:`.nvd_api` pages through the NVD API,
:mod:`.eol_api` reads the endoflife.date v1 catalog, :mod:`.run` fetches and swaps atomically.
"""

from __future__ import annotations

from mdrgate.vulndb.update.nvd_api import NOTICE, RateLimit, windows
from mdrgate.vulndb.update.run import Reporter, SourceOutcome, Updater, UpdateReport
from mdrgate.vulndb.update.sources import (
    ENV_EOL,
    ENV_EPSS,
    ENV_KEV,
    ENV_NVD,
    ENV_NVD_KEY,
    ENV_OSV,
    Endpoints,
    Feed,
    SourceSpec,
    parse_spec,
    specs_for,
)

__all__ = [
    "ENV_EOL",
    "ENV_EPSS",
    "ENV_KEV",
    "ENV_NVD",
    "ENV_NVD_KEY",
    "ENV_OSV",
    "NOTICE",
    "Endpoints",
    "Feed",
    "RateLimit",
    "Reporter",
    "SourceOutcome",
    "SourceSpec",
    "UpdateReport",
    "Updater",
    "parse_spec",
    "specs_for",
    "windows",
]
