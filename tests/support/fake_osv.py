"""An OSV API on the local test server: ``POST /v1/querybatch`` and ``GET /v1/vulns/{id}``.

The answers have the shapes the API documents (google/osv.dev ``docs/api/post-v1-querybatch.md``
and ``get-v1-vulns.md``): ``{"results": [{"vulns": [{"id", "modified"}], "next_page_token"}]}``
with one result per query in query order (``{}`` when nothing is known), and the full OSV record
per id. The records served are real ones from ``tests/assets`` (bytes unchanged); which ids the
fake lists for which package version is set by each test — it stands in for OSV.dev's matching,
it does not reproduce it.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tests.support.http_server import LocalServer, Reply, Request

ASSETS = Path(__file__).resolve().parents[1] / "assets"
OSV_ARCHIVES = (
    ASSETS / "osv" / "PyPI" / "all.zip",
    ASSETS / "osv" / "osv-ghsa" / "PyPI" / "sample.zip",
    ASSETS / "osv" / "crates.io" / "all.zip",
    ASSETS / "osv" / "Go" / "all.zip",
)


def real_records(archives: Iterable[Path] = OSV_ARCHIVES) -> dict[str, bytes]:
    """Every committed OSV record, id → bytes as published."""
    out: dict[str, bytes] = {}
    for archive in archives:
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                out[name.removesuffix(".json")] = zf.read(name)
    return out


def query_key(query: Mapping[str, Any]) -> str:
    """``pkg:pypi/requests@2.25.1`` or ``PyPI/requests@2.25.1``: how tests name a query."""
    package = query.get("package", {})
    if "purl" in package:
        return str(package["purl"])
    return f"{package.get('ecosystem')}/{package.get('name')}@{query.get('version')}"


class FakeOsv:
    """Answers from ``listed`` (query key → ids) with ``records``; ``page_size`` paginates."""

    def __init__(
        self,
        server: LocalServer,
        listed: Mapping[str, Sequence[str]],
        *,
        records: Mapping[str, bytes] | None = None,
        page_size: int | None = None,
    ) -> None:
        self.server = server
        self.listed = dict(listed)
        self.records = dict(records) if records is not None else real_records()
        self.page_size = page_size
        self.batches: list[list[dict[str, Any]]] = []
        server.route("/v1/querybatch", self.querybatch)
        for adv_id in sorted({i for ids in self.listed.values() for i in ids}):
            if adv_id in self.records:
                self.serve_record(adv_id, Reply(body=self.records[adv_id], headers=_JSON))

    @property
    def url(self) -> str:
        return self.server.url("")

    def serve_record(self, adv_id: str, reply: Reply | Sequence[Reply]) -> None:
        self.server.route(f"/v1/vulns/{adv_id}", reply)

    def querybatch(self, request: Request) -> Reply:
        queries = request.json()["queries"]
        self.batches.append(queries)
        return Reply.json({"results": [self._result(q) for q in queries]})

    def _result(self, query: Mapping[str, Any]) -> dict[str, Any]:
        ids = list(self.listed.get(query_key(query), ()))
        start = int(query.get("page_token", "0"))
        end = len(ids) if self.page_size is None else start + self.page_size
        result: dict[str, Any] = {}
        if ids[start:end]:
            result["vulns"] = [{"id": i, "modified": self._modified(i)} for i in ids[start:end]]
        if end < len(ids):
            result["next_page_token"] = str(end)
        return result

    def _modified(self, adv_id: str) -> str:
        record = self.records.get(adv_id)
        return str(json.loads(record)["modified"]) if record else "2024-01-01T00:00:00Z"


_JSON = {"Content-Type": "application/json"}
