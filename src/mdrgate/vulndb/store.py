"""Reading the vulnerability database: the only way the rest of mdrgate sees advisories.

Opening checks everything that would make a scan silently incomplete — no file, not an mdrgate
database, another schema version, no imported source, a source whose rows do not number what its
import recorded — and refuses with a DataError (exit 4) that says what to do. SQLite errors met
later (a damaged file) become DataErrors as well.

Read side per feed: OSV advisories by package (:meth:`VulnDb.affected`) or id/alias
(:meth:`VulnDb.lookup`); NVD CVE records by CPE ``vendor:product`` (:meth:`VulnDb.nvd_for_product`)
or id (:meth:`VulnDb.nvd_cve`); KEV entries, EPSS scores (one or many CVEs); endoflife.date
products by name or by purl/CPE identifier; provenance of every source (:meth:`VulnDb.sources`,
:meth:`VulnDb.status`). Which kinds of data the database holds is :meth:`VulnDb.kinds`: a caller
that needs NVD data and finds none must stop, not conclude "no CVE".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from mdrgate.errors import DataError
from mdrgate.identifiers import normalize_name
from mdrgate.model.advisory import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    RangeEvent,
    Reference,
    SeverityVector,
)
from mdrgate.model.run import DbProvenance
from mdrgate.vulndb.eol import identifier_key
from mdrgate.vulndb.freshness import age_problem, combined_age, moment
from mdrgate.vulndb.osv import InvalidRecord, dominant
from mdrgate.vulndb.records import (
    EolCycle,
    EolProduct,
    EpssScore,
    KevEntry,
    NvdCve,
    NvdReference,
    cvss_metrics,
    date_or_flag,
    day,
    nvd_time,
)
from mdrgate.vulndb.schema import APPLICATION_ID, KIND_TABLES, SCHEMA_VERSION
from mdrgate.vulndb.severity import score_vector

IMPORT_HINT = "build it with `mdrgate db import <OSV all.zip, NVD feeds, KEV, EPSS, EOL files> ...`"


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One imported source as ``mdrgate db status`` shows it."""

    provenance: DbProvenance
    advisories: int
    withdrawn: int
    skipped_records: int
    ecosystems: tuple[tuple[str, int], ...]
    invalid: tuple[InvalidRecord, ...]
    newest_modified_age_days: float | None
    """Days between the newest record change and ``now``; ``None`` when no record has a date."""
    import_age_days: float | None
    captured_age_days: float | None = None
    """Days between the data's capture (``provenance.captured_at``) and ``now``."""
    checked_age_days: float | None = None
    """Days since ``db update`` last confirmed the data current (``provenance.checked_at``)."""
    details: tuple[tuple[str, Any], ...] = ()
    """Per-kind facts (NVD feed format and timestamp, KEV catalog version, EPSS score date...)."""

    @property
    def age_days(self) -> float | None:
        """How old the data is (:func:`mdrgate.vulndb.freshness.combined_age`)."""
        return combined_age(
            self.captured_age_days, self.newest_modified_age_days, self.checked_age_days
        )


@dataclass(frozen=True, slots=True)
class DbStatus:
    path: Path
    size_bytes: int
    sha256: str
    schema_version: int
    built_by: str
    built_at: str
    sources: tuple[SourceStatus, ...]
    ecosystems: tuple[tuple[str, int], ...]

    def stale(self, max_age_days: float) -> tuple[str, ...]:
        """A sentence per source older than ``max_age_days`` (or of unknown age), else empty.

        Age is :attr:`SourceStatus.age_days` (from the data's capture, else its newest record):
        the import date says nothing about how old the data was when imported. A source whose
        age cannot be told is reported too — fail closed.
        """
        found = (age_problem(s.provenance.source, s.age_days, max_age_days) for s in self.sources)
        return tuple(problem for problem in found if problem is not None)


class VulnDb:
    """A read-only handle on a database built by :func:`mdrgate.vulndb.import_osv`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        """Use :meth:`open`, which checks the file before handing it out."""
        self.path = path
        self._conn = conn
        self._advisories: dict[int, Advisory] = {}
        self._packages: dict[int, dict[int, AffectedPackage]] = {}
        self._columns = ColumnReader()

    @classmethod
    def open(cls, path: Path) -> VulnDb:
        shown = str(path)
        if not path.exists():
            raise DataError(
                "no vulnerability database at this path", source=shown, hint=IMPORT_HINT
            )
        if not path.is_file():
            raise DataError("is not a vulnerability database file", source=shown, hint=IMPORT_HINT)
        not_ours = DataError(
            "is not an mdrgate vulnerability database (or it is damaged)",
            source=shown,
            hint=f"remove it and {IMPORT_HINT}",
        )
        try:
            conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise not_ours from exc
        try:
            conn.execute("PRAGMA query_only = 1")
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise not_ours
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None or row[0] != str(SCHEMA_VERSION):
                found = row[0] if row else "none"
                raise DataError(
                    f"was built by another mdrgate version (database schema version {found}, "
                    f"this mdrgate reads version {SCHEMA_VERSION})",
                    source=shown,
                    hint="re-import: mdrgate db import <feed files> ...",
                )
            if conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0:
                raise DataError("holds no imported source", source=shown, hint=IMPORT_HINT)
            _check_integrity(conn, shown)
        except sqlite3.Error as exc:
            conn.close()
            raise not_ours from exc
        except DataError:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise DataError(
                f"cannot read the vulnerability database: {exc}",
                source=str(self.path),
                hint=f"the file may be damaged; remove it and {IMPORT_HINT}",
            ) from exc

    def sources(self) -> tuple[DbProvenance, ...]:
        """Provenance of every imported source, by name."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT name, kind, file_name, sha256, records, invalid_records, "
                "newest_modified, imported_at, captured_at, "
                "max(coalesce(json_extract(details, '$.download.fetchedAt'), ''), "
                "coalesce(json_extract(details, '$.download.checkedAt'), '')) "
                "FROM sources ORDER BY name"
            ).fetchall()
        return tuple(
            DbProvenance(
                source=name,
                kind=kind,
                file_name=file_name,
                sha256=sha256,
                records=records,
                invalid_records=invalid,
                newest_modified=newest,
                imported_at=imported,
                captured_at=captured,
                checked_at=checked or None,
            )
            for (
                name,
                kind,
                file_name,
                sha256,
                records,
                invalid,
                newest,
                imported,
                captured,
                checked,
            ) in rows
        )

    def kinds(self) -> frozenset[str]:
        """The kinds of data imported (``osv``, ``nvd``, ``kev``, ``epss``, ``eol``)."""
        with self._reading() as conn:
            return frozenset(kind for (kind,) in conn.execute("SELECT DISTINCT kind FROM sources"))

    def ecosystems(self) -> dict[str, int]:
        """Ecosystem → number of advisories (withdrawn ones excluded) that name a package in it."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT f.ecosystem, count(DISTINCT f.advisory) FROM affected f "
                "JOIN advisories a ON a.rowid = f.advisory WHERE a.withdrawn IS NULL "
                "GROUP BY f.ecosystem ORDER BY f.ecosystem"
            ).fetchall()
        return dict(rows)

    def covered_ecosystems(self) -> frozenset[str]:
        """Ecosystems for which some imported source is an export *of that ecosystem*.

        A few PyPI records inside the OSS-Fuzz export do not make a database fit to assess PyPI
        packages; the main ecosystem of a source (the one most of its advisories name) does.
        """
        covered: set[str] = set()
        with self._reading() as conn:
            for (raw,) in conn.execute("SELECT ecosystems FROM sources WHERE kind = 'osv'"):
                counts: dict[str, int] = json.loads(raw)
                if counts:
                    covered.add(dominant(counts))
        return frozenset(covered)

    def affected(self, ecosystem: str, name: str) -> list[tuple[Advisory, AffectedPackage]]:
        """Every ``affected[]`` entry naming this package, with its advisory (withdrawn included).

        ``name`` is compared as the ecosystem compares names (PEP 503 for PyPI). Ordered by
        advisory id, source and entry position.
        """
        return self.affected_many(ecosystem, (name,))[name]

    def affected_many(
        self, ecosystem: str, names: Iterable[str]
    ) -> dict[str, list[tuple[Advisory, AffectedPackage]]]:
        """:meth:`affected` of many packages of one ecosystem in one query: name → its entries
        (every name given is a key, with an empty list when no advisory names it)."""
        family = ecosystem.split(":", 1)[0]
        keys = {name: normalize_name(family, name) for name in names}
        wanted = json.dumps(sorted(set(keys.values())))
        with self._reading() as conn:
            # The ecosystem itself, and its suffixed forms ("Debian:12", "Maven:https://..."):
            # both use the (ecosystem, name_key) index; ";" is the character after ":".
            hits = conn.execute(
                "SELECT name_key, advisory, position FROM affected WHERE ecosystem = ? "
                "AND name_key IN (SELECT value FROM json_each(?)) "
                "UNION ALL SELECT name_key, advisory, position FROM affected "
                "WHERE ecosystem > ? AND ecosystem < ? "
                "AND name_key IN (SELECT value FROM json_each(?))",
                (ecosystem, wanted, ecosystem + ":", ecosystem + ";", wanted),
            ).fetchall()
            advisories = self._load({rowid for _, rowid, _ in hits})
        by_key: dict[str, list[tuple[Advisory, AffectedPackage, int]]] = {}
        for key, rowid, position in hits:
            by_key.setdefault(key, []).append(
                (advisories[rowid], self._packages[rowid][position], position)
            )
        for entries in by_key.values():
            entries.sort(key=lambda item: (item[0].id, item[0].source, item[2]))
        return {
            name: [(advisory, package) for advisory, package, _ in by_key.get(key, ())]
            for name, key in keys.items()
        }

    def lookup(self, identifier: str) -> list[Advisory]:
        """Advisories whose id or one of whose aliases is ``identifier`` (``CVE-2023-32681``)."""
        with self._reading() as conn:
            rowids = {
                r[0]
                for r in conn.execute(
                    "SELECT rowid FROM advisories WHERE id = ? "
                    "UNION SELECT advisory FROM aliases WHERE alias = ?",
                    (identifier, identifier),
                )
            }
            advisories = self._load(rowids)
        return sorted(advisories.values(), key=lambda a: (a.id, a.source))

    def status(self, *, now: datetime) -> DbStatus:
        """Everything ``mdrgate db status`` shows; ages are measured from ``now``."""
        with self._reading() as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            extra = {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT name, skipped_records, withdrawn_records, ecosystems, details "
                    "FROM sources"
                )
            }
            counts: dict[str, int] = {}
            for table in sorted(set(KIND_TABLES.values())):
                counts.update(
                    conn.execute(
                        f"SELECT source, count(*) FROM {table} GROUP BY source"  # noqa: S608
                    ).fetchall()
                )
            invalid: dict[str, list[InvalidRecord]] = {}
            for source, entry, adv_id, reason, imported in conn.execute(
                "SELECT source, entry, id, reason, imported FROM invalid_records "
                "ORDER BY source, entry"
            ):
                invalid.setdefault(source, []).append(
                    InvalidRecord(entry, adv_id, reason, bool(imported))
                )
        sources = []
        for prov in self.sources():
            skipped, withdrawn, ecosystems, details = extra[prov.source]
            sources.append(
                SourceStatus(
                    provenance=prov,
                    advisories=counts.get(prov.source, 0),
                    withdrawn=withdrawn,
                    skipped_records=skipped,
                    ecosystems=tuple(sorted(json.loads(ecosystems).items())),
                    invalid=tuple(invalid.get(prov.source, ())),
                    newest_modified_age_days=_age_days(prov.newest_modified, now),
                    import_age_days=_age_days(prov.imported_at, now),
                    captured_age_days=_age_days(prov.captured_at, now),
                    checked_age_days=_age_days(prov.checked_at, now),
                    details=tuple(sorted(json.loads(details).items())),
                )
            )
        return DbStatus(
            path=self.path,
            size_bytes=self.path.stat().st_size,
            sha256=_file_sha256(self.path),
            schema_version=int(meta.get("schema_version", "0")),
            built_by=meta.get("built_by", ""),
            built_at=meta.get("built_at", ""),
            sources=tuple(sources),
            ecosystems=tuple(sorted(self.ecosystems().items())),
        )

    # -- NVD ------------------------------------------------------------------------------------

    def nvd_cve(self, cve_id: str) -> NvdCve | None:
        """The NVD record of a CVE; the most recently modified copy when several sources hold it."""
        with self._reading() as conn:
            rows = conn.execute(_CVE_BY_ID, (cve_id,)).fetchall()
        chosen = _newest_copies(rows)
        return _cve(chosen[0]) if chosen else None

    def nvd_cves(self, cve_ids: Iterable[str]) -> dict[str, NvdCve]:
        """:meth:`nvd_cve` of many ids at once (absent ids are left out)."""
        wanted = json.dumps(sorted(set(cve_ids)))
        with self._reading() as conn:
            rows = conn.execute(_CVE_BY_IDS, (wanted,)).fetchall()
        return {row[1]: _cve(row) for row in _newest_copies(rows)}

    def nvd_for_product(
        self, vendor: str, product: str, *, vulnerable_only: bool = True
    ) -> list[NvdCve]:
        """Every CVE whose configurations name CPE ``vendor:product``, ordered by CVE id.

        ``vendor`` and ``product`` as in a CPE 2.3 formatted string (``arm``, ``mbed_tls``;
        compared in lower case). With ``vulnerable_only`` (the default), CVEs that name the pair
        only in ``vulnerable: false`` entries (a platform the vulnerable software runs on) are
        left out: they can never make that product affected. Rejected CVEs are included (check
        :attr:`NvdCve.rejected`). One copy per CVE, the most recently modified.
        """
        with self._reading() as conn:
            rows = conn.execute(
                _CVE_BY_PRODUCT,
                (vendor.casefold(), product.casefold(), 1 if vulnerable_only else 0),
            ).fetchall()
        return [_cve(row) for row in _newest_copies(rows)]

    def nvd_products(self) -> frozenset[tuple[str, str]]:
        """Every CPE (vendor, product) the NVD records name in a vulnerable entry."""
        with self._reading() as conn:
            return frozenset(
                conn.execute(
                    "SELECT DISTINCT vendor, product FROM cve_products WHERE vulnerable = 1"
                ).fetchall()
            )

    # -- KEV, EPSS --------------------------------------------------------------------------------

    def kev(self, cve_id: str) -> KevEntry | None:
        """The KEV catalog entry of a CVE, or ``None`` when it is not listed."""
        return self.kev_many((cve_id,)).get(cve_id)

    def kev_many(self, cve_ids: Iterable[str]) -> dict[str, KevEntry]:
        wanted = json.dumps(sorted(set(cve_ids)))
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT source, cve_id, vendor_project, product, vulnerability_name, date_added, "
                "due_date, ransomware, short_description, required_action, notes, cwes FROM kev "
                "WHERE cve_id IN (SELECT value FROM json_each(?)) ORDER BY cve_id, source",
                (wanted,),
            ).fetchall()
        found: dict[str, KevEntry] = {}
        for row in rows:
            found.setdefault(row[1], _kev(row))
        return found

    def epss(self, cve_id: str) -> EpssScore | None:
        """The EPSS score of a CVE, or ``None`` when the scores hold none for it."""
        return self.epss_many((cve_id,)).get(cve_id)

    def epss_many(self, cve_ids: Iterable[str]) -> dict[str, EpssScore]:
        wanted = json.dumps(sorted(set(cve_ids)))
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT e.source, e.cve, e.epss, e.percentile, s.details FROM epss e "
                "JOIN sources s ON s.name = e.source "
                "WHERE e.cve IN (SELECT value FROM json_each(?)) "
                "ORDER BY e.cve, s.newest_modified DESC, e.source",
                (wanted,),
            ).fetchall()
        found: dict[str, EpssScore] = {}
        for source, cve, score, percentile, details in rows:
            if cve in found:
                continue
            facts = json.loads(details)
            found[cve] = EpssScore(
                cve=cve,
                epss=score,
                percentile=percentile,
                score_date=facts.get("scoreDate"),
                model_version=facts.get("modelVersion"),
                source=source,
            )
        return found

    # -- endoflife.date ---------------------------------------------------------------------------

    def eol_product(self, name: str) -> EolProduct | None:
        """An endoflife.date product by its name (``openssl``, ``python``)."""
        found = self._eol_products([name])
        return found[0] if found else None

    def eol_products_for(self, identifier: str) -> list[EolProduct]:
        """The products an identifier names: a purl (version, qualifiers ignored) or a CPE
        (2.3 or 2.2 URI, by vendor:product); empty when none or when it is neither."""
        text = identifier.strip()
        kind = "purl" if text.lower().startswith("pkg:") else "cpe"
        key = identifier_key(kind, text)
        if key is None:
            return []
        with self._reading() as conn:
            names = [
                name
                for (name,) in conn.execute(
                    "SELECT DISTINCT product FROM eol_identifiers WHERE key = ? AND kind = ? "
                    "ORDER BY product",
                    (key, kind),
                )
            ]
        return self._eol_products(names)

    def _eol_products(self, names: list[str]) -> list[EolProduct]:
        wanted = json.dumps(sorted(set(names)))
        with self._reading() as conn:
            products = conn.execute(
                "SELECT source, product, title, category, identifiers FROM eol_products "
                "WHERE product IN (SELECT value FROM json_each(?)) ORDER BY product, source",
                (wanted,),
            ).fetchall()
            cycles = conn.execute(
                "SELECT source, product, cycle, codename, release_date, eol, support, "
                "extended_support, lts, discontinued, latest, latest_release_date, link "
                "FROM eol_cycles WHERE product IN (SELECT value FROM json_each(?)) "
                "ORDER BY product, source, position",
                (wanted,),
            ).fetchall()
        by_product: dict[tuple[str, str], list[EolCycle]] = {}
        for row in cycles:
            by_product.setdefault((row[0], row[1]), []).append(_eol_cycle(row))
        out: dict[str, EolProduct] = {}
        for source, product, title, category, identifiers in products:
            if product in out:  # one copy per product: the first source by name
                continue
            out[product] = EolProduct(
                name=product,
                title=title,
                category=category,
                identifiers=tuple((k, v) for k, v in json.loads(identifiers)),
                cycles=tuple(by_product.get((source, product), ())),
                source=source,
            )
        return [out[name] for name in sorted(out)]

    # -- building domain values ---------------------------------------------------------------

    def _load(self, rowids: set[int]) -> dict[int, Advisory]:
        missing = json.dumps(sorted(rowids - self._advisories.keys()))
        if missing != "[]":
            affected: dict[int, list[tuple[Any, ...]]] = {}
            for row in self._conn.execute(
                "SELECT advisory, position, ecosystem, name, purl, ranges, versions, severity "
                "FROM affected WHERE advisory IN (SELECT value FROM json_each(?)) "
                "ORDER BY advisory, position",
                (missing,),
            ):
                affected.setdefault(row[0], []).append(row)
            for row in self._conn.execute(
                "SELECT rowid, source, id, summary, details, aliases, published, modified, "
                "withdrawn, severity, refs FROM advisories "
                "WHERE rowid IN (SELECT value FROM json_each(?))",
                (missing,),
            ):
                packages = {r[1]: _package(r, self._columns) for r in affected.get(row[0], [])}
                self._advisories[row[0]] = _advisory(row, tuple(packages.values()), self._columns)
                self._packages[row[0]] = packages
        return {rowid: self._advisories[rowid] for rowid in rowids}


_CVE_BY_ID = (
    "SELECT source, id, published, last_modified, vuln_status, descriptions, metrics, "
    "weaknesses, refs, configurations FROM cves WHERE id = ?"
)
_CVE_BY_IDS = (
    "SELECT source, id, published, last_modified, vuln_status, descriptions, metrics, "
    "weaknesses, refs, configurations FROM cves WHERE id IN (SELECT value FROM json_each(?))"
)
_CVE_BY_PRODUCT = (
    "SELECT source, id, published, last_modified, vuln_status, descriptions, metrics, "
    "weaknesses, refs, configurations FROM cves WHERE rowid IN (SELECT cve FROM cve_products "
    "WHERE vendor = ? AND product = ? AND vulnerable >= ?)"
)


def _newest_copies(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """One row per CVE id, the most recently modified (then by source name), ordered by id."""
    best: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        held = best.get(row[1])
        if held is None or (row[3] or "", _neg(row[0])) > (held[3] or "", _neg(held[0])):
            best[row[1]] = row
    return [best[cve] for cve in sorted(best, key=_cve_order)]


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def _cve_order(cve_id: str) -> tuple[int, int, str]:
    parts = cve_id.split("-")
    try:
        return int(parts[1]), int(parts[2]), cve_id
    except (IndexError, ValueError):
        return 0, 0, cve_id


def _cve(row: tuple[Any, ...]) -> NvdCve:
    source, cve_id, published, modified, status, descriptions, metrics, weak, refs, configs = row
    metrics_obj: dict[str, Any] = json.loads(metrics)
    weaknesses = (
        d["value"] for w in json.loads(weak) for d in w.get("description", ()) if "value" in d
    )
    return NvdCve(
        id=cve_id,
        source=source,
        published=nvd_time(published),
        last_modified=nvd_time(modified),
        vuln_status=status,
        descriptions=tuple((d["lang"], d["value"]) for d in json.loads(descriptions)),
        cvss=cvss_metrics(metrics_obj),
        weaknesses=tuple(dict.fromkeys(weaknesses)),
        references=tuple(
            NvdReference(r["url"], r.get("source"), tuple(r.get("tags", ())))
            for r in json.loads(refs)
        ),
        configurations=json.loads(configs),
        metrics=metrics_obj,
    )


def _kev(row: tuple[Any, ...]) -> KevEntry:
    source, cve, vendor, product, name, added, due, ransomware, short, action, notes, cwes = row
    return KevEntry(
        cve_id=cve,
        vendor_project=vendor,
        product=product,
        vulnerability_name=name,
        date_added=date.fromisoformat(added),
        due_date=day(due),
        known_ransomware_campaign_use=ransomware,
        short_description=short,
        required_action=action,
        notes=notes,
        cwes=tuple(json.loads(cwes)),
        source=source,
    )


def _eol_cycle(row: tuple[Any, ...]) -> EolCycle:
    _, product, cycle, codename, released, eol, support, extended, lts, stopped, latest = row[:11]
    latest_date, link = row[11:]
    return EolCycle(
        product=product,
        cycle=cycle,
        codename=codename,
        release_date=day(released),
        eol=date_or_flag(eol),
        support=date_or_flag(support),
        extended_support=date_or_flag(extended),
        lts=date_or_flag(lts),
        discontinued=date_or_flag(stopped),
        latest=latest,
        latest_release_date=day(latest_date),
        link=link,
    )


def _advisory(
    row: tuple[Any, ...], affected: tuple[AffectedPackage, ...], columns: ColumnReader
) -> Advisory:
    return advisory_from_columns(*row[1:], affected=affected, columns=columns)


def _package(row: tuple[Any, ...], columns: ColumnReader) -> AffectedPackage:
    return package_from_columns(*row[2:], columns=columns)


def advisory_from_columns(
    source: str,
    adv_id: str,
    summary: str | None,
    details: str | None,
    aliases: str,
    published: str | None,
    modified: str | None,
    withdrawn: str | None,
    severity: str,
    refs: str,
    *,
    affected: tuple[AffectedPackage, ...],
    columns: ColumnReader | None = None,
) -> Advisory:
    """An advisory from its stored columns (JSON text as ``schema.py`` documents it): the one
    reading of that layout, for database rows and for records fetched online alike."""
    read = columns or ColumnReader()
    return Advisory(
        id=adv_id,
        source=source,
        aliases=read.strings(aliases),
        summary=summary,
        details=details,
        published=moment(published),
        modified=moment(modified),
        withdrawn=moment(withdrawn),
        severities=read.severities(severity),
        references=tuple(Reference(kind, url) for kind, url in json.loads(refs)),
        affected=affected,
    )


def package_from_columns(
    ecosystem: str,
    name: str,
    purl: str | None,
    ranges: str,
    versions: str,
    severity: str,
    *,
    columns: ColumnReader | None = None,
) -> AffectedPackage:
    """An ``affected[]`` entry from its stored columns (``columns``: a reader that reuses the
    values of texts met before, for many entries read at once)."""
    read = columns or ColumnReader()
    return AffectedPackage(
        ecosystem=ecosystem,
        name=name,
        purl=purl,
        ranges=read.ranges(ranges),
        versions=read.strings(versions),
        severities=read.severities(severity),
    )


class ColumnReader:
    """Reads JSON columns into domain values, once per distinct text.

    Stored texts repeat: most version lists and severities are ``[]``, the packages of one Go
    record share their ranges, and an advisory's vectors recur in its entries. Equal texts give
    one shared (immutable) value, which saves decoding and building it again, and memory.
    """

    __slots__ = ("_ranges", "_severities", "_strings")

    def __init__(self) -> None:
        self._ranges: dict[str, tuple[AffectedRange, ...]] = {}
        self._strings: dict[str, tuple[str, ...]] = {}
        self._severities: dict[str, tuple[SeverityVector, ...]] = {}

    def ranges(self, text: str) -> tuple[AffectedRange, ...]:
        found = self._ranges.get(text)
        if found is None:
            found = self._ranges[text] = tuple(
                AffectedRange(
                    type=kind,
                    events=tuple(RangeEvent(event, version) for event, version in events),
                    repo=repo,
                )
                for kind, repo, events in json.loads(text)
            )
        return found

    def strings(self, text: str) -> tuple[str, ...]:
        found = self._strings.get(text)
        if found is None:
            found = self._strings[text] = tuple(json.loads(text))
        return found

    def severities(self, text: str) -> tuple[SeverityVector, ...]:
        found = self._severities.get(text)
        if found is None:
            found = self._severities[text] = _severities(text)
        return found


def _severities(text: str) -> tuple[SeverityVector, ...]:
    return tuple(
        SeverityVector(kind, vector, score_vector(kind, vector)[0])
        for kind, vector in json.loads(text)
    )


def _age_days(text: str | None, now: datetime) -> float | None:
    when = moment(text)
    if when is None:
        return None
    return round((now - when).total_seconds() / 86400, 1)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_integrity(conn: sqlite3.Connection, shown: str) -> None:
    """Refuse a database whose rows no longer match what its import recorded.

    A damaged or hand-edited file (advisories, CVE records or affected rows deleted) would
    otherwise make every lookup come back empty, and the gate pass.
    """
    held: dict[str, int] = {}
    for table in sorted(set(KIND_TABLES.values())):
        held.update(
            conn.execute(
                f"SELECT source, count(*) FROM {table} GROUP BY source"  # noqa: S608 (fixed names)
            ).fetchall()
        )
    damaged = [
        f"{name} lists {records} records but holds {held.get(name, 0)}"
        for name, records in conn.execute("SELECT name, records FROM sources ORDER BY name")
        if records != held.get(name, 0)
    ]
    orphans = conn.execute(
        "SELECT count(*) FROM advisories a "
        "WHERE NOT EXISTS (SELECT 1 FROM affected f WHERE f.advisory = a.rowid)"
    ).fetchone()[0]
    if orphans:
        damaged.append(f"{orphans} advisories have no affected package")
    if damaged:
        raise DataError(
            f"is damaged: {'; '.join(damaged)}",
            source=shown,
            hint=f"remove it and {IMPORT_HINT}",
        )
