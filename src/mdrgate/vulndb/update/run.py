"""``mdrgate db update``: fetch every chosen source, then rebuild and swap the database once.

Order of work, and why. Every source is downloaded into a temporary directory beside the
database and read by its importer before anything is written; only when all of them arrived
whole and read cleanly is the new database built (:func:`mdrgate.vulndb.build.import_contents`:
beside the old one, integrity-checked, renamed into place). A source that fails after the
client's retries — or that arrives but is not usable — ends the update with a ``DataError``
(exit 4) naming the source, its URL and the reason, and the old database stays byte-identical.

Conditional requests. The validators a server gave (``ETag``, ``Last-Modified``) are kept in
the database itself, in the source's ``details.download`` with the URL, so they are committed
atomically with the records they describe: a failed or interrupted update can never leave
validators that claim data the database does not hold (which a sidecar file could, turning the
next ``304`` into silently stale data). A ``304`` keeps that source exactly as it is; when every
source answers ``304`` (and the NVD is not asked), no rebuild happens: only the confirmation time
(``details.download.checkedAt``, what the data-age limit counts from) is written to those
sources, in one transaction.

OSV. Each ecosystem's complete export becomes the source ``osv/<Ecosystem>``; OSV sources of
that ecosystem alone imported before (``osv/PyPI/PYSEC`` from a local file, say) are dropped, as
the export holds all of their records. The NVD: see :mod:`mdrgate.vulndb.update.nvd_api`.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from mdrgate.errors import DataError, InputError, MdrgateError, UsageError
from mdrgate.fetch import Downloaded, HttpClient, Progress, Validators, display_url
from mdrgate.vulndb.build import ImportReport, import_contents, read_feed
from mdrgate.vulndb.feeds import FeedContent, FeedKind, Origin, rfc3339, utc_text
from mdrgate.vulndb.osv import InvalidRecord
from mdrgate.vulndb.schema import APPLICATION_ID, SCHEMA_VERSION
from mdrgate.vulndb.update.eol_api import catalog_zip
from mdrgate.vulndb.update.nvd_api import (
    MAX_PAGE,
    RATE_PERIOD,
    RATE_WITH_KEY,
    RATE_WITHOUT_KEY,
    HeldNvd,
    NvdFetcher,
    RateLimit,
    held_nvd,
    merge,
)
from mdrgate.vulndb.update.sources import Endpoints, Feed, SourceSpec, specs_for

_KINDS = {
    Feed.OSV: FeedKind.OSV,
    Feed.KEV: FeedKind.KEV,
    Feed.EPSS: FeedKind.EPSS,
    Feed.EOL: FeedKind.EOL,
}


class Reporter(Protocol):
    """Where progress goes (the CLI draws bars on a terminal, prints lines otherwise)."""

    def begin(self, label: str, url: str) -> Progress:
        """A source starts; the callback takes (units done, units expected or None)."""
        ...

    def end(self, label: str, text: str) -> None: ...


class _Silent:
    def begin(self, label: str, url: str) -> Progress:
        return lambda done, total: None

    def end(self, label: str, text: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What happened to one chosen source."""

    spec: str
    url: str
    status: str
    """``downloaded``, ``not modified`` or ``merged`` (NVD changes)."""
    sources: tuple[str, ...]
    """The database sources it filled."""
    text: str


@dataclass(frozen=True, slots=True)
class UpdateReport:
    db_path: Path
    outcomes: tuple[SourceOutcome, ...]
    imported: ImportReport | None
    """The rebuild; ``None`` when nothing changed and the database was not touched."""
    dropped: tuple[str, ...]
    seconds: float

    @property
    def changed(self) -> bool:
        return self.imported is not None


@dataclass(frozen=True, slots=True)
class _Held:
    name: str
    kind: str
    ecosystems: dict[str, int]
    details: dict[str, Any]


@dataclass
class Updater:
    """Fetches sources with one client; clocks and sleep injectable for tests."""

    client: HttpClient
    endpoints: Endpoints = field(default_factory=Endpoints)
    nvd_api_key: str | None = None
    nvd_full: bool = False
    nvd_page_size: int = MAX_PAGE
    reporter: Reporter = field(default_factory=_Silent)
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] | None = None
    """For the NVD rate limit; ``None`` looks up ``time.sleep`` when needed."""

    def update(
        self, db_path: Path, specs: Sequence[SourceSpec] | None, *, now: datetime
    ) -> UpdateReport:
        """Fetch ``specs`` (``None``: whatever the database holds) and swap in the result."""
        started = time.perf_counter()
        held = _held_sources(db_path)
        chosen = (
            sorted(set(specs), key=str)
            if specs
            else specs_for((h.name, h.kind, h.ecosystems) for h in held)
        )
        if not chosen:
            raise UsageError(
                "nothing to update: the database holds no sources yet",
                hint="choose sources, e.g. mdrgate db update --source osv:PyPI --source nvd "
                "--source kev --source epss --source eol",
            )
        contents: list[FeedContent] = []
        outcomes: list[SourceOutcome] = []
        dropped: set[str] = set()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(
            prefix=f".{db_path.name}.update-", dir=db_path.parent
        ) as tmp:
            for spec in chosen:
                if spec.feed is Feed.NVD:
                    merged, outcome = self._nvd(db_path, now)
                    contents.extend(merged)
                    outcomes.append(outcome)
                    continue
                content, outcome = self._download(spec, held, Path(tmp), now)
                outcomes.append(outcome)
                if content is not None:
                    contents.append(content)
                    if spec.feed is Feed.OSV:
                        dropped.update(_superseded(spec, held))
            imported = None
            if contents:
                try:
                    imported = import_contents(db_path, contents, now=now, drop=dropped)
                except (InputError, UsageError) as exc:
                    raise DataError(
                        f"the downloaded data was not imported: {exc.diagnostics()}",
                        source=str(db_path),
                        hint="the database was left unchanged",
                    ) from None
        confirmed = [n for o in outcomes if o.status == "not modified" for n in o.sources]
        if confirmed:
            _record_checked(db_path, confirmed, now)
        return UpdateReport(
            db_path=db_path,
            outcomes=tuple(outcomes),
            imported=imported,
            dropped=tuple(sorted(dropped)) if imported is not None else (),
            seconds=time.perf_counter() - started,
        )

    # -- one downloaded file ------------------------------------------------------------------

    def _download(
        self, spec: SourceSpec, held: list[_Held], tmp: Path, now: datetime
    ) -> tuple[FeedContent | None, SourceOutcome]:
        url = self.endpoints.url(spec)
        shown = display_url(url)
        label = str(spec)
        previous = next((h for h in held if h.name == spec.source_name), None)
        validators = _validators(previous, url)
        dest = tmp / (re.sub(r"[^A-Za-z0-9._-]+", "-", label) + _suffix(url))
        progress = self.reporter.begin(label, shown)
        try:
            got = self.client.download(url, dest, validators=validators, progress=progress)
        except DataError as exc:
            raise _failed(spec, exc) from None
        if not isinstance(got, Downloaded):
            text = "not modified since the last update; kept as it is"
            self.reporter.end(label, text)
            return None, SourceOutcome(label, shown, "not modified", (spec.source_name,), text)
        content = self._read(spec, got, now)
        text = f"{content.records} {_unit(spec.feed)} ({got.size / 1e6:.1f} MB)"
        self.reporter.end(label, text)
        outcome = SourceOutcome(label, shown, "downloaded", (content.source_name,), text)
        return content, outcome

    def _read(self, spec: SourceSpec, got: Downloaded, now: datetime) -> FeedContent:
        shown = display_url(got.url)
        data = got.path.read_bytes()
        captured = _http_time(got.validators.last_modified)
        try:
            if spec.feed is Feed.EOL and spec.item is None:
                data, generated = catalog_zip(data, shown)
                captured = rfc3339(generated) or captured
            origin = Origin(shown, got.sha256, None, spec.source_name)
            inner = read_feed(data, origin, _KINDS[spec.feed])
        except InputError as exc:
            raise DataError(
                f"{spec} not updated (the database is unchanged): the download is not usable: "
                f"{exc.message}",
                source=shown,
                hint="the service may be down or a proxy may have answered in its place; "
                "try again later",
            ) from None
        download = {
            "url": shown,
            "etag": got.validators.etag,
            "lastModified": got.validators.last_modified,
            "fetchedAt": utc_text(now),
        }
        return _Fetched(inner, download, captured or utc_text(now))

    # -- the NVD ----------------------------------------------------------------------------

    def _nvd(self, db_path: Path, now: datetime) -> tuple[list[FeedContent], SourceOutcome]:
        url = self.endpoints.nvd
        shown = display_url(url)
        label = "nvd"
        sleep = self.sleep if self.sleep is not None else time.sleep
        rate = RATE_WITH_KEY if self.nvd_api_key else RATE_WITHOUT_KEY
        fetcher = NvdFetcher(
            self.client,
            url,
            RateLimit(rate, RATE_PERIOD, clock=self.monotonic, sleep=sleep),
            api_key=self.nvd_api_key,
            page_size=self.nvd_page_size,
        )
        with _open_previous(db_path) as conn:
            held = held_nvd(conn) if conn is not None else []
            since = None if self.nvd_full or not held else _since(held, shown)
            progress = self.reporter.begin(label, shown)
            try:
                changes = fetcher.fetch(
                    since, now, lambda done, total, pages: progress(done, total)
                )
            except DataError as exc:
                raise _failed(SourceSpec(Feed.NVD), exc) from None
            merged = merge(conn, held, changes, url=url, since=since, until=now)
        what = "all" if since is None else f"changed since {utc_text(since)}"
        text = (
            f"{len(changes.rows)} CVEs ({what}) in {changes.pages} "
            f"page{'s' if changes.pages != 1 else ''}, merged into "
            f"{', '.join(c.source_name for c in merged) or 'no source'}"
        )
        self.reporter.end(label, text)
        names = tuple(c.source_name for c in merged)
        return list(merged), SourceOutcome(label, shown, "merged", names, text)


class _Fetched:
    """A downloaded feed's content, with its download facts added to the source's details."""

    def __init__(self, inner: FeedContent, download: dict[str, Any], captured: str) -> None:
        self.inner = inner
        self.kind: FeedKind = inner.kind
        self.origin: Origin = inner.origin
        self._download = download
        self._captured = captured

    @property
    def source_name(self) -> str:
        return self.inner.source_name

    @property
    def records(self) -> int:
        return self.inner.records

    @property
    def newest_modified(self) -> str | None:
        return self.inner.newest_modified

    @property
    def captured_at(self) -> str | None:
        """The data's own date when it states one (NVD, KEV, EPSS), else the server's
        ``Last-Modified``, else the time of the download (a live catalog is current then)."""
        return self.inner.captured_at or self._captured

    @property
    def invalid(self) -> list[InvalidRecord]:
        return self.inner.invalid

    @property
    def skipped(self) -> int:
        return self.inner.skipped

    @property
    def withdrawn(self) -> int:
        return self.inner.withdrawn

    @property
    def ecosystems(self) -> dict[str, int]:
        return self.inner.ecosystems

    @property
    def details(self) -> dict[str, Any]:
        return {**self.inner.details, "download": self._download}

    @property
    def warnings(self) -> list[str]:
        return self.inner.warnings

    def insert(self, conn: sqlite3.Connection, first_rowid: int) -> int:
        return self.inner.insert(conn, first_rowid)


def _failed(spec: SourceSpec, exc: MdrgateError) -> DataError:
    return DataError(
        f"{spec} not updated (the database is unchanged): {exc.message}",
        source=exc.source,
        hint=exc.hint,
    )


def _unit(feed: Feed) -> str:
    return {
        Feed.OSV: "records",
        Feed.NVD: "CVE records",
        Feed.KEV: "KEV entries",
        Feed.EPSS: "EPSS scores",
        Feed.EOL: "release cycles",
    }[feed]


def _suffix(url: str) -> str:
    name = url.rsplit("/", 1)[-1]
    for suffix in (".zip", ".csv.gz", ".json.gz", ".json", ".csv"):
        if name.endswith(suffix):
            return suffix
    return ".json" if "/api/" in url else ""


def _record_checked(db_path: Path, names: Sequence[str], now: datetime) -> None:
    """Note on each source its server confirmed unchanged when it did (``checkedAt``), so the
    data-age limit counts from the confirmation: one small transaction, records untouched."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.executemany(
                "UPDATE sources SET details = json_set(details, '$.download.checkedAt', ?) "
                "WHERE name = ?",
                [(utc_text(now), name) for name in names],
            )
    except sqlite3.Error as exc:
        raise DataError(
            f"could not record that {', '.join(names)} were confirmed current: {exc}",
            source=str(db_path),
            hint="the records are unchanged; run the update again",
        ) from None
    finally:
        conn.close()


def _http_time(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return utc_text(moment) if moment.tzinfo is not None else None


def _validators(previous: _Held | None, url: str) -> Validators | None:
    if previous is None:
        return None
    download = previous.details.get("download")
    if not isinstance(download, dict) or download.get("url") != display_url(url):
        return None
    etag, modified = download.get("etag"), download.get("lastModified")
    found = Validators(
        etag if isinstance(etag, str) else None,
        modified if isinstance(modified, str) else None,
    )
    return found or None


def _superseded(spec: SourceSpec, held: list[_Held]) -> set[str]:
    """OSV sources of this ecosystem alone, other than the one the export fills."""
    found = set()
    for source in held:
        if source.kind != "osv" or source.name == spec.source_name or not source.ecosystems:
            continue
        if {eco.split(":", 1)[0] for eco in source.ecosystems} == {spec.item}:
            found.add(source.name)
    return found


def _since(held: list[HeldNvd], shown: str) -> datetime:
    moments = []
    for source in held:
        text = source.updated_until
        parsed = rfc3339(text) if text else None
        if parsed is None:
            raise DataError(
                f"cannot ask the NVD for changes: it is not known up to when the source "
                f"{source.name} holds them (no capture time)",
                source=shown,
                hint="download every CVE again with --nvd-full",
            )
        moments.append(datetime.fromisoformat(parsed.replace("Z", "+00:00")))
    return min(moments)


def _ro_uri(path: Path) -> str:
    return f"file:{quote(str(path.resolve()))}?mode=ro"


@contextlib.contextmanager
def _open_previous(db_path: Path) -> Any:
    """The current database read-only, or ``None`` when there is none of this schema."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        yield None
        return
    try:
        conn = sqlite3.connect(_ro_uri(db_path), uri=True)
    except sqlite3.Error:
        yield None
        return
    try:
        if not _ours(conn):
            yield None
        else:
            yield conn
    finally:
        conn.close()


def _ours(conn: sqlite3.Connection) -> bool:
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return False
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == str(SCHEMA_VERSION)


def _held_sources(db_path: Path) -> list[_Held]:
    with _open_previous(db_path) as conn:
        if conn is None:
            return []
        try:
            rows = conn.execute(
                "SELECT name, kind, ecosystems, details FROM sources ORDER BY name"
            ).fetchall()
        except sqlite3.Error as exc:
            raise DataError(
                f"cannot read the database's sources: {exc}", source=str(db_path)
            ) from exc
    return [_Held(n, k, _object(e), _object(d)) for n, k, e, d in rows]


def _object(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
