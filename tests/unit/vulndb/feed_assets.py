"""The committed NVD, KEV, EPSS and endoflife.date excerpts (tests/assets/PROVENANCE.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"
NVD_API = ASSETS / "nvd" / "embedded-api.json"
NVD_FEED = ASSETS / "nvd" / "nvdcve-2.0-2015-excerpt.json"
KEV = ASSETS / "kev" / "kev-excerpt.json"
EPSS = ASSETS / "epss" / "epss-format-sample.csv"
EOL_ZIP = ASSETS / "eol" / "endoflife-excerpt.zip"
EOL_OPENSSL = ASSETS / "eol" / "openssl.json"
FEEDS = (NVD_API, NVD_FEED, KEV, EPSS, EOL_ZIP)

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
