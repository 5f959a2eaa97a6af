"""The official endpoints of ``db update``, played by the local test server with real excerpts.

Files are served as the publishers serve them (``tests/assets/update``, PROVENANCE.md): the OSV
exports, the KEV catalog, the endoflife.date answers and the EPSS scores (gzip, as FIRST
publishes them) as static resources with ``ETag``/``Last-Modified``; the NVD CVE API as an
answer paged by ``startIndex``/``resultsPerPage`` over real CVE records.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mdrgate.vulndb.update import Endpoints
from tests.support.http_server import LocalServer, Reply, Request

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "update"
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
MODIFIED = 1_795_000_000.0  # Last-Modified: Wed, 18 Nov 2026 11:06:40 GMT
MODIFIED_TEXT = "2026-11-18T11:06:40Z"

PYPI_ZIP = (ASSETS / "osv-PyPI-all.zip").read_bytes()
GO_ZIP = (ASSETS / "osv-Go-all.zip").read_bytes()
KEV = (ASSETS / "known_exploited_vulnerabilities.json").read_bytes()
EPSS_GZ = gzip.compress((ASSETS / "epss_scores-current.csv").read_bytes(), mtime=0)
EOL_FULL = (ASSETS / "eol-v1-products-full.json").read_bytes()
EOL_OPENSSL = (ASSETS / "eol-openssl.json").read_bytes()
NVD_ANSWER = json.loads((ASSETS / "nvd-api-answer.json").read_text("utf-8"))
NVD_2015 = ASSETS / "nvdcve-2.0-2015-excerpt.json"
NVD_ITEMS: list[dict[str, Any]] = NVD_ANSWER["vulnerabilities"]
NVD_IDS = [item["cve"]["id"] for item in NVD_ITEMS]


class NvdApi:
    """``GET /rest/json/cves/2.0``: pages of ``items_for(request)`` as the NVD builds them."""

    def __init__(self, items_for: Callable[[Request], list[dict[str, Any]]] | None = None) -> None:
        self.items_for = items_for or (lambda request: NVD_ITEMS)
        self.faults: dict[int, Reply] = {}
        """A reply served instead of the page at a startIndex."""

    def __call__(self, request: Request) -> Reply:
        start = int(request.query["startIndex"][0])
        per = int(request.query["resultsPerPage"][0])
        if start in self.faults:
            return self.faults[start]
        items = self.items_for(request)
        page = items[start : start + per]
        return Reply.json(
            {
                "resultsPerPage": len(page),
                "startIndex": start,
                "totalResults": len(items),
                "format": "NVD_CVE",
                "version": "2.0",
                "timestamp": NVD_ANSWER["timestamp"],
                "vulnerabilities": page,
            }
        )


def serve(server: LocalServer, nvd: NvdApi | None = None) -> Endpoints:
    """Every endpoint on ``server``; the Endpoints that point at them."""
    for path, body, kind in (
        ("/osv/PyPI/all.zip", PYPI_ZIP, "application/zip"),
        ("/osv/Go/all.zip", GO_ZIP, "application/zip"),
        ("/kev.json", KEV, "application/json"),
        ("/epss.csv.gz", EPSS_GZ, "application/gzip"),
        ("/eol/api/v1/products/full", EOL_FULL, "application/json"),
        ("/eol/api/openssl.json", EOL_OPENSSL, "application/json"),
    ):
        server.resource(path, body, etag=f'"{path}-1"', last_modified=MODIFIED, content_type=kind)
    server.route("/nvd", nvd or NvdApi())
    return Endpoints(
        osv=server.url("/osv"),
        nvd=server.url("/nvd"),
        kev=server.url("/kev.json"),
        epss=server.url("/epss.csv.gz"),
        eol=server.url("/eol"),
    )


def sources(db: Path) -> dict[str, tuple[str, int, str | None, dict[str, Any]]]:
    """name → (kind, records, captured_at, details) of a database."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT name, kind, records, captured_at, details FROM sources"
        ).fetchall()
    finally:
        conn.close()
    return {n: (k, r, c, json.loads(d)) for n, k, r, c, d in rows}


def cve_ids(db: Path, source: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [
            r[0]
            for r in conn.execute("SELECT id FROM cves WHERE source = ? ORDER BY id", (source,))
        ]
    finally:
        conn.close()
