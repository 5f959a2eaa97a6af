"""Reading endoflife.date product data: release cycles with their end-of-life and support dates.

Two inputs are read:

- a zip of the project's data (``products/<name>.json``: a product page's front matter, with
  ``title``, ``category``, ``permalink`` and ``identifiers``; ``api/<name>.json``: its cycles in
  the shape of the public API v0; ``api/all.json``: the product names). The cycles come from the
  ``api/`` view, the product facts from ``products/``;
- one product's API v0 answer (``https://endoflife.date/api/<product>.json``: an array of cycles),
  the product named after the file (``openssl.json`` → ``openssl``) unless the origin names it.

Cycle fields kept: ``cycle``, ``codename``, ``releaseDate``, ``eol``, ``support``,
``extendedSupport``, ``lts``, ``discontinued``, ``latest``, ``latestReleaseDate``, ``link``.
endoflife.date writes ``eol``/``support``/``extendedSupport``/``lts``/``discontinued`` as a date
or a boolean (``eol: true`` = ended, date unknown; ``support: true`` = still supported); both
are kept as given. Other fields are ignored. A product or cycle that breaks this shape (a cycle
without a name, a date that is not ``YYYY-MM-DD``, a product listed in ``api/all.json`` without
its cycles) refuses the file with the product and cycle named.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from mdrgate.errors import InputError
from mdrgate.vulndb.feeds import (
    ContentBase,
    FeedKind,
    Origin,
    gunzip,
    iso_date,
    open_zip,
    zip_member,
)

SOURCE = "eol"

_DATE_OR_FLAG = ("eol", "support", "extendedSupport", "lts", "discontinued")
_TEXT = ("codename", "latest", "link")

ProductRow = tuple[str, str | None, str | None, str]
CycleRow = tuple[
    str,
    int,
    str,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
]


@dataclass
class EolContent(ContentBase):
    kind: FeedKind = FeedKind.EOL
    products: list[ProductRow] = field(default_factory=list)
    cycles: list[CycleRow] = field(default_factory=list)
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, lookup key, product)."""
    single_product: str | None = None
    newest: str | None = None

    @property
    def source_name(self) -> str:
        if self.origin.source:
            return self.origin.source
        return f"{SOURCE}/{self.single_product}" if self.single_product else SOURCE

    @property
    def records(self) -> int:
        return len(self.cycles)

    @property
    def newest_modified(self) -> str | None:
        """The newest release date any cycle states: the data is at least this recent."""
        return f"{self.newest}T00:00:00Z" if self.newest else None

    @property
    def captured_at(self) -> str | None:
        return self.origin.captured_at

    @property
    def details(self) -> dict[str, Any]:
        return {
            "products": len(self.products),
            "productsWithIdentifiers": len({p for _, _, p in self.identifiers}),
        }

    def insert(self, conn: sqlite3.Connection, first_rowid: int) -> int:
        source = self.source_name
        conn.executemany(
            "INSERT INTO eol_products VALUES (?, ?, ?, ?, ?)",
            [(source, *row) for row in self.products],
        )
        conn.executemany(
            "INSERT INTO eol_cycles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(source, *row) for row in self.cycles],
        )
        conn.executemany(
            "INSERT INTO eol_identifiers VALUES (?, ?, ?, ?)",
            [(*row, source) for row in self.identifiers],
        )
        return first_rowid


def read_eol(data: bytes, origin: Origin) -> EolContent:
    """Read endoflife.date data (the zip, or one product's API answer); see the module docstring."""
    shown = origin.file_name
    content = EolContent(origin=origin)
    if data.startswith(b"\x1f\x8b"):
        data = gunzip(data, shown)
    if data.startswith(b"PK"):
        with open_zip(data, shown) as archive:
            _read_zip(archive, content, shown)
    else:
        name = origin.source.rsplit("/", 1)[-1] if origin.source else _stem(shown)
        cycles = _json(data, shown, shown)
        content.single_product = name
        content.products.append((name, None, None, "[]"))
        _add_cycles(content, name, cycles, shown)
    if not content.cycles:
        raise InputError("holds no release cycles", source=shown)
    dates = [row[4] for row in content.cycles if row[4]]
    dates += [row[11] for row in content.cycles if row[11]]
    content.newest = max(dates) if dates else None
    return content


def _stem(shown: str) -> str:
    name = PurePosixPath(shown.split("?", 1)[0]).name
    for suffix in (".gz", ".json"):
        name = name.removesuffix(suffix)
    return name


def _json(data: bytes, shown: str, member: str) -> Any:
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise InputError(f"{member} is not UTF-8 text: {exc.reason}", source=shown) from None
    except json.JSONDecodeError as exc:
        where = f"{member}: " if member != shown else ""
        raise InputError(
            f"{where}not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            source=shown,
            hint="the file is damaged or truncated; download it again",
        ) from None
    except RecursionError:
        raise InputError(f"{member}: JSON nested too deeply", source=shown) from None


def _read_zip(archive: zipfile.ZipFile, content: EolContent, shown: str) -> None:
    members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    facts: dict[str, dict[str, Any]] = {}
    for name in sorted(members):
        if name.startswith("products/") and name.endswith(".json"):
            page = _json(zip_member(archive, members[name], shown), shown, name)
            if not isinstance(page, dict):
                raise InputError(f"{name}: expected a JSON object (a product)", source=shown)
            permalink = page.get("permalink")
            key = (
                permalink.strip("/").rsplit("/", 1)[-1]
                if isinstance(permalink, str) and permalink.strip("/")
                else _stem(name)
            )
            facts[key] = page
    listed: list[str] | None = None
    if "api/all.json" in members:
        names = _json(zip_member(archive, members["api/all.json"], shown), shown, "api/all.json")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InputError("api/all.json: expected a JSON array of product names", source=shown)
        listed = names
    cycle_files = sorted(
        name
        for name in members
        if name.startswith("api/") and name.endswith(".json") and name != "api/all.json"
    )
    products = [_stem(name) for name in cycle_files]
    if listed is not None:
        missing = sorted(set(listed) - set(products))
        if missing:
            raise InputError(
                f"api/all.json lists {len(missing)} products without their api/<name>.json "
                f"(first: {missing[0]}); the archive is incomplete",
                source=shown,
            )
    if not cycle_files:
        raise InputError(
            "holds no api/<product>.json release cycles (an endoflife.date data zip)",
            source=shown,
        )
    for name, product in zip(cycle_files, products, strict=True):
        cycles = _json(zip_member(archive, members[name], shown), shown, name)
        page = facts.get(product, {})
        identifiers = _identifiers(page.get("identifiers"), f"products/{product}.json", shown)
        content.products.append(
            (
                product,
                _text(page.get("title")),
                _text(page.get("category")),
                json.dumps(identifiers, separators=(",", ":")),
            )
        )
        keys = {(kind, identifier_key(kind, value)) for kind, value in identifiers}
        content.identifiers.extend(
            (kind, key, product) for kind, key in sorted(keys) if key is not None
        )
        _add_cycles(content, product, cycles, name)


def _identifiers(raw: Any, where: str, shown: str) -> list[list[str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(f"{where}: identifiers: expected a list", source=shown)
    out: list[list[str]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InputError(f"{where}: identifiers[{i}]: expected an object", source=shown)
        for kind, value in item.items():
            if isinstance(value, str) and value.strip():
                out.append([str(kind), value.strip()])
    return out


def identifier_key(kind: str, value: str) -> str | None:
    """The lookup key of a product identifier: a purl without version, qualifiers and subpath
    (``pkg:pypi/django``); ``vendor:product`` of a CPE (2.3 or 2.2 URI), lower case; the name for
    other kinds (``repology``)."""
    text = value.strip()
    if kind == "purl":
        return purl_key(text)
    if kind == "cpe":
        lowered = text.lower()
        if lowered.startswith("cpe:2.3:"):
            parts = lowered.split(":")
            return f"{parts[3]}:{parts[4]}" if len(parts) >= 5 and parts[3] and parts[4] else None
        if lowered.startswith("cpe:/"):
            parts = lowered[5:].split(":")
            return f"{parts[1]}:{parts[2]}" if len(parts) >= 3 and parts[1] and parts[2] else None
        return None
    return f"{kind}:{text.lower()}"


def purl_key(purl: str) -> str | None:
    """``pkg:type/namespace/name`` of a purl (type lower case), or ``None`` if it is not one."""
    text = purl.strip().split("#", 1)[0].split("?", 1)[0]
    if not text.lower().startswith("pkg:"):
        return None
    body = text[4:].lstrip("/")
    kind, _, path = body.partition("/")
    if not kind or not path:
        return None
    if "@" in path:
        path = path.rsplit("@", 1)[0]
    return f"pkg:{kind.lower()}/{unquote(path.rstrip('/'))}"


def _add_cycles(content: EolContent, product: str, cycles: Any, where: str) -> None:
    shown = content.origin.file_name
    if not isinstance(cycles, list):
        raise InputError(
            f"{where}: expected a JSON array of release cycles, found {type(cycles).__name__}",
            source=shown,
        )
    for position, cycle in enumerate(cycles):
        at = f"{where}: [{position}]"
        if not isinstance(cycle, dict):
            raise InputError(f"{at}: expected an object (a release cycle)", source=shown)
        name = cycle.get("cycle", cycle.get("releaseCycle"))
        if isinstance(name, int | float) and not isinstance(name, bool):
            name = str(name)
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{at}.cycle: expected the cycle's name", source=shown)
        at = f"{where}: cycle {name!r}"
        values: dict[str, str | None] = {}
        for key in _DATE_OR_FLAG:
            values[key] = _date_or_flag(cycle.get(key), f"{at}.{key}", shown)
        for key in ("releaseDate", "latestReleaseDate"):
            values[key] = _date(cycle.get(key), f"{at}.{key}", shown)
        for key in _TEXT:
            raw = cycle.get(key)
            values[key] = str(raw) if isinstance(raw, str | int | float) and raw != "" else None
        content.cycles.append(
            (
                product,
                position,
                name,
                values["codename"],
                values["releaseDate"],
                values["eol"],
                values["support"],
                values["extendedSupport"],
                values["lts"],
                values["discontinued"],
                values["latest"],
                values["latestReleaseDate"],
                values["link"],
            )
        )


def _date_or_flag(raw: Any, where: str, shown: str) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str) and iso_date(raw) is not None:
        return raw
    raise InputError(
        f"{where}: expected a date (YYYY-MM-DD) or true/false, found {raw!r}", source=shown
    )


def _date(raw: Any, where: str, shown: str) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and iso_date(raw) is not None:
        return raw
    raise InputError(f"{where}: expected a date (YYYY-MM-DD), found {raw!r}", source=shown)


def _text(raw: Any) -> str | None:
    return raw if isinstance(raw, str) else None
