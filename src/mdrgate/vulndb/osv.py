"""Reading OSV export archives (``<Ecosystem>/all.zip``, one ``<id>.json`` per record) into rows.

The archive is untrusted input. Anything that makes the archive as a whole unreliable — not a zip,
a truncated or corrupt entry, an entry that is not UTF-8 JSON — refuses the import (InputError
naming the archive and the entry): a partly read export would silently lose advisories. A single
record that is valid JSON but breaks the OSV schema is kept when the fields matching needs are
usable and is counted and reported either way; only records without a usable ``id`` or
``affected`` package are skipped. Unknown fields are ignored.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

from mdrgate.errors import InputError
from mdrgate.identifiers import normalize_name

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")

MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""A single OSV record is kilobytes; a larger entry is a broken or hostile archive."""

_REASON_MAX = 200


@dataclass(frozen=True, slots=True)
class InvalidRecord:
    """An archive entry that failed the OSV schema or could not be used, and why."""

    entry: str
    id: str | None
    reason: str
    imported: bool


# Row shapes follow the columns of schema.py (without the advisory rowid, assigned on insert).
AdvisoryRow = tuple[
    str, str | None, str | None, str, str | None, str | None, str | None, str, str, int
]
AffectedRow = tuple[int, str, str, str, str | None, str, str, str]


@dataclass
class ArchiveContent:
    """The usable rows of one archive and what was found wrong with it.

    ``affected`` rows and ``aliases`` carry the index of their advisory in ``advisories``.
    """

    path: Path
    sha256: str
    entries: int = 0
    advisories: list[AdvisoryRow] = field(default_factory=list)
    affected: list[tuple[int, AffectedRow]] = field(default_factory=list)
    aliases: list[tuple[str, int]] = field(default_factory=list)
    invalid: list[InvalidRecord] = field(default_factory=list)
    ecosystems: Counter[str] = field(default_factory=Counter)
    id_prefixes: Counter[str] = field(default_factory=Counter)
    withdrawn: int = 0
    newest_modified: str | None = None
    _newest: datetime | None = None

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.invalid if not r.imported)

    @property
    def source_name(self) -> str:
        """``osv/<dominant ecosystem>/<dominant id prefix>``, e.g. ``osv/PyPI/PYSEC``.

        Derived from content, not from the file name (every export is called ``all.zip``), so a
        newer copy of the same export replaces the older one wherever it is stored. Ties are
        broken alphabetically so the name does not depend on entry order.
        """
        eco = dominant(self.ecosystems)
        prefix = dominant(self.id_prefixes)
        return f"osv/{eco}/{prefix}"


def dominant(counts: Mapping[str, int]) -> str:
    """The most frequent key; ties go to the alphabetically first, so order never matters."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


@lru_cache(maxsize=1)
def osv_validator() -> Any:
    """The OSV JSON Schema (ossf/osv-schema, packaged unchanged) compiled by jsonschema-rs.

    jsonschema-rs checks all ~12k records of the four OSV exports in about 0.03 s, two orders of
    magnitude faster than python-jsonschema, which keeps validation inside the import budget.
    """
    text = resources.files("mdrgate").joinpath("schemas", "osv-schema.json").read_text("utf-8")
    return jsonschema_rs.validator_for(json.loads(text))


def read_archive(path: Path) -> ArchiveContent:
    """Read and check every entry of an OSV export zip; see the module docstring for the rules."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            "OSV archive not found",
            source=shown,
            hint="pass the path of an OSV export such as PyPI/all.zip",
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot read the OSV archive: {reason}", source=shown) from exc
    return read_archive_data(data, path)


def read_archive_data(data: bytes, path: Path, sha256: str | None = None) -> ArchiveContent:
    """:func:`read_archive` of bytes already read; ``path`` is what messages and provenance name."""
    shown = str(path)
    content = ArchiveContent(path=path, sha256=sha256 or hashlib.sha256(data).hexdigest())
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(
            f"not a readable zip archive ({exc}); the file may be truncated",
            source=shown,
            hint="download the OSV export again",
        ) from exc
    validator = osv_validator()
    seen: set[str] = set()
    with archive:
        for name, raw in _entries(archive, shown):
            content.entries += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"entry {name!r} is not UTF-8 text (invalid byte at offset {exc.start})",
                    source=shown,
                    hint="OSV records are UTF-8 JSON; the archive is damaged or not an OSV export",
                ) from None
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"entry {name!r} is not JSON: {exc.msg} "
                    f"(line {exc.lineno}, column {exc.colno})",
                    source=shown,
                    hint="the archive is damaged or not an OSV export",
                ) from None
            except RecursionError:
                raise InputError(
                    f"entry {name!r} is JSON nested too deeply to be an OSV record", source=shown
                ) from None
            _add_record(content, name, record, validator, seen)
    if content.entries == 0:
        raise InputError(
            "the archive holds no OSV records",
            source=shown,
            hint="an OSV export holds one <id>.json per advisory; download it again",
        )
    if not content.advisories:
        raise InputError(
            f"none of the archive's {content.entries} entries is a usable OSV record "
            f"(first problem: {content.invalid[0].entry}: {content.invalid[0].reason})",
            source=shown,
        )
    return content


def add_record(content: ArchiveContent, entry: str, record: Any, seen: set[str]) -> None:
    """Check one parsed OSV record and add it to ``content`` by the rules of an archive entry.

    For records that come one by one (the OSV API's ``/v1/vulns/{id}``): they are then read
    exactly as the same record in an export would be. ``seen`` holds the ids added so far.
    """
    _add_record(content, entry, record, osv_validator(), seen)


def _entries(archive: zipfile.ZipFile, shown: str) -> Iterator[tuple[str, bytes]]:
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.file_size > MAX_ENTRY_BYTES:
            raise InputError(
                f"entry {info.filename!r} is {info.file_size} bytes, too large for an OSV record",
                source=shown,
            )
        try:
            raw = archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise InputError(
                f"entry {info.filename!r} cannot be read: {exc}",
                source=shown,
                hint="the archive is damaged; download it again",
            ) from exc
        yield info.filename, raw


def _add_record(
    content: ArchiveContent, entry: str, record: Any, validator: Any, seen: set[str]
) -> None:
    schema_error: str | None = None
    if not validator.is_valid(record):
        schema_error = _first_schema_error(validator, record)
    if not isinstance(record, dict):
        kind = type(record).__name__
        shape = {"list": "a JSON array", "str": "a JSON string"}.get(kind, f"a JSON {kind}")
        content.invalid.append(InvalidRecord(entry, None, f"{shape}, not an OSV record", False))
        return
    adv_id = record.get("id")
    if not isinstance(adv_id, str) or not adv_id.strip():
        content.invalid.append(InvalidRecord(entry, None, "no usable 'id'", False))
        return
    if adv_id in seen:
        content.invalid.append(
            InvalidRecord(entry, adv_id, "duplicate id in this archive (first kept)", False)
        )
        return
    index = len(content.advisories)
    affected_rows = list(_affected_rows(record.get("affected")))
    if not affected_rows:
        reason = schema_error or "no 'affected' package with ecosystem and name"
        content.invalid.append(InvalidRecord(entry, adv_id, reason, False))
        return
    seen.add(adv_id)
    if schema_error is not None:
        content.invalid.append(InvalidRecord(entry, adv_id, schema_error, True))
    aliases = _strings(record.get("aliases"))
    modified = _text(record.get("modified"))
    withdrawn = _text(record.get("withdrawn"))
    content.advisories.append(
        (
            adv_id,
            _text(record.get("summary")),
            _text(record.get("details")),
            _dumps(aliases),
            _text(record.get("published")),
            modified,
            withdrawn,
            _dumps(_severities(record.get("severity"))),
            _dumps(_references(record.get("references"))),
            0 if schema_error else 1,
        )
    )
    for row in affected_rows:
        content.affected.append((index, row))
    content.aliases.extend((alias, index) for alias in dict.fromkeys(aliases))
    for eco in dict.fromkeys(row[1].split(":", 1)[0] for row in affected_rows):
        content.ecosystems[eco] += 1
    content.id_prefixes[adv_id.split("-", 1)[0]] += 1
    if withdrawn:
        content.withdrawn += 1
    if modified:
        _track_modified(content, modified)


def _track_modified(content: ArchiveContent, modified: str) -> None:
    """Keep the newest real ``modified``; ``0001-01-01T00:00:00Z`` is a placeholder, not a date."""
    try:
        when = datetime.fromisoformat(modified)
    except ValueError:
        return
    if when.year <= 1 or when.tzinfo is None:
        return
    if content._newest is None or when > content._newest:
        content._newest = when
        content.newest_modified = modified


def _first_schema_error(validator: Any, record: Any) -> str:
    for error in validator.iter_errors(record):
        where = _key_path(error.instance_path)
        text = f"OSV schema: {where}: {error.message}"
        return text if len(text) <= _REASON_MAX else text[: _REASON_MAX - 3] + "..."
    return "OSV schema: invalid"


def _key_path(parts: Sequence[str | int]) -> str:
    """``["affected", 0, "ranges"]`` → ``affected[0].ranges``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "record"


def _affected_rows(affected: Any) -> Iterator[AffectedRow]:
    if not isinstance(affected, list):
        return
    for position, entry in enumerate(affected):
        if not isinstance(entry, dict):
            continue
        package = entry.get("package")
        if not isinstance(package, dict):
            continue
        ecosystem, name = package.get("ecosystem"), package.get("name")
        if not isinstance(ecosystem, str) or not isinstance(name, str) or not ecosystem or not name:
            continue
        yield (
            position,
            ecosystem,
            normalize_name(ecosystem.split(":", 1)[0], name),
            name,
            _text(package.get("purl")),
            _dumps(_ranges(entry.get("ranges"))),
            _dumps(_strings(entry.get("versions"))),
            _dumps(_severities(entry.get("severity"))),
        )


def _ranges(ranges: Any) -> list[list[Any]]:
    """``[[type, repo, [[kind, version], ...]], ...]``; malformed events are dropped.

    An event object with several kinds (a schema violation) yields one event per kind, in the
    order introduced, fixed, last_affected, limit — the evident intent of such records.
    """
    out: list[list[Any]] = []
    if not isinstance(ranges, list):
        return out
    for rng in ranges:
        if not isinstance(rng, dict) or not isinstance(rng.get("type"), str):
            continue
        events: list[list[str]] = []
        raw_events = rng.get("events")
        if isinstance(raw_events, list):
            for event in raw_events:
                if not isinstance(event, dict):
                    continue
                events.extend(
                    [kind, event[kind]] for kind in EVENT_KINDS if isinstance(event.get(kind), str)
                )
        out.append([rng["type"], _text(rng.get("repo")), events])
    return out


def _severities(severity: Any) -> list[list[str]]:
    if not isinstance(severity, list):
        return []
    out: list[list[str]] = []
    for entry in severity:
        if isinstance(entry, dict):
            kind, score = entry.get("type"), entry.get("score")
            if isinstance(kind, str) and isinstance(score, str):
                out.append([kind, score])
    return out


def _references(references: Any) -> list[list[str]]:
    if not isinstance(references, list):
        return []
    out: list[list[str]] = []
    for ref in references:
        if isinstance(ref, dict) and isinstance(ref.get("url"), str):
            kind = ref.get("type")
            out.append([kind if isinstance(kind, str) else "", ref["url"]])
    return out


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _dumps(value: Sequence[Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
