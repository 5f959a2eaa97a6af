"""``mdrgate.yml`` + command-line flags + environment → one frozen ``Settings``.

Precedence, highest first: command-line flag, environment variable, configuration file, default.
Relative paths in a configuration file are relative to the directory that holds the file, so a
configuration works whatever directory CI starts in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.errors import InputError, UsageError
from mdrgate.model import Diagnostic, Product, SafetyClass
from mdrgate.vulndb.freshness import DEFAULT_MAX_AGE_DAYS

if TYPE_CHECKING:
    from mdrgate.documents import Document

DEFAULT_CONFIG_NAME = "mdrgate.yml"
DEFAULT_POLICY = "builtin:mdr-default"
DEFAULT_EVIDENCE_DIR = "evidence"
DB_ENV = "MDRGATE_DB"
MAX_AGE_ENV = "MDRGATE_MAX_DATA_AGE"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run needs to know, resolved and validated."""

    product: Product
    inputs: tuple[InputSpec, ...]
    database: Path
    policies: tuple[str, ...]
    """Policy file paths (absolute) or ``builtin:NAME``, in order of increasing precedence."""
    evidence_dir: Path
    config_path: Path | None = None
    notes: tuple[Diagnostic, ...] = ()
    """Problems met while finding the inputs (e.g. a symlink leaving the tree, not followed)."""
    max_data_age_days: float | None = DEFAULT_MAX_AGE_DAYS
    """Refuse vulnerability data older than this (exit 4); ``None``: the check is switched off."""
    waivers: tuple[Path, ...] = ()
    """``waivers.yml`` files (absolute), in order."""
    vex: tuple[Path, ...] = ()
    """VEX documents (OpenVEX, CycloneDX VEX, CSAF 2.0 VEX; absolute), in order."""


def database_path(
    flag: Path | None, env: Mapping[str, str], configured: Path | None = None
) -> Path:
    """The vulnerability database: flag, then ``MDRGATE_DB``, then configuration, then the cache.

    The default lives in the user cache directory (``XDG_CACHE_HOME`` and the like are honoured
    through platformdirs).
    """
    if flag is not None:
        return flag
    if env.get(DB_ENV):
        return Path(env[DB_ENV])
    if configured is not None:
        return configured
    from platformdirs import user_cache_path

    return user_cache_path("mdrgate", appauthor=False) / "vulndb.sqlite3"


def parse_max_age(text: str, *, where: str) -> float | None:
    """``--max-data-age`` / ``MDRGATE_MAX_DATA_AGE``: days (> 0), or ``off``; UsageError if not."""
    cleaned = text.strip().lower()
    if cleaned == "off":
        return None
    try:
        days = float(cleaned)
    except ValueError:
        days = -1.0
    if not days > 0 or days == float("inf"):
        raise UsageError(
            f"{where}: expected a number of days greater than 0, or 'off'; got {text!r}"
        )
    return days


def max_data_age(
    flag: str | None, env: Mapping[str, str], configured: float | str | bool | None
) -> float | None:
    """The data-age limit: flag, then ``MDRGATE_MAX_DATA_AGE``, then configuration, then 7 days."""
    if flag is not None:
        return parse_max_age(flag, where="--max-data-age")
    if env.get(MAX_AGE_ENV):
        return parse_max_age(env[MAX_AGE_ENV], where=MAX_AGE_ENV)
    if configured == "off" or configured is False:  # YAML reads an unquoted ``off`` as false
        return None
    if configured is not None:
        return float(configured)
    return DEFAULT_MAX_AGE_DAYS


def display_path(path: Path, cwd: Path) -> str:
    """A path as people should read it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def resolve_settings(
    *,
    config: Path | None,
    paths: Sequence[Path],
    database: Path | None,
    policies: Sequence[str],
    evidence_dir: Path | None,
    env: Mapping[str, str],
    cwd: Path,
    excludes: Sequence[str] = (),
    libraries: Sequence[Path] = (),
    max_age: str | None = None,
    waivers: Sequence[Path] = (),
    vex: Sequence[Path] = (),
) -> Settings:
    """Combine the configuration file (if any) with flags and environment.

    Without ``config`` and ``paths``, a ``mdrgate.yml`` in the working directory is used if present;
    otherwise the working directory is searched for inputs.
    """
    if config is not None and paths:
        raise UsageError(
            "give either --config or paths to scan, not both",
            hint="list extra inputs under 'inputs:' in the configuration",
        )
    if config is None and not paths and (cwd / DEFAULT_CONFIG_NAME).is_file():
        config = cwd / DEFAULT_CONFIG_NAME

    if config is not None:
        loaded = load_config(config, cwd=cwd, excludes=excludes)
        product, inputs, notes = loaded.product, loaded.inputs, loaded.notes
        cfg_db, cfg_policies, cfg_evidence = loaded.database, loaded.policies, loaded.evidence_dir
        cfg_age = loaded.max_data_age
        cfg_waivers, cfg_vex = loaded.waivers, loaded.vex
    else:
        from mdrgate.collect.discovery import discover_inputs

        scan = list(paths) or [cwd]
        found, found_notes = discover_inputs(scan, cwd=cwd, excludes=excludes)
        inputs, notes = tuple(found), tuple(found_notes)
        product = Product(
            name=(scan[0].resolve().name or "unnamed"),
            version="unversioned",
            manufacturer=None,
            safety_class=SafetyClass.C,
        )
        cfg_db, cfg_policies, cfg_evidence = None, (), None
        cfg_age = None
        cfg_waivers, cfg_vex = (), ()

    if libraries:
        inputs = _with_libraries(inputs, libraries, cwd)
    db = database_path(database, env, cfg_db)
    chosen_policies = tuple(_policy_ref(p, cwd) for p in policies) or cfg_policies
    return Settings(
        product=product,
        inputs=inputs,
        database=db,
        policies=chosen_policies or (DEFAULT_POLICY,),
        evidence_dir=evidence_dir or cfg_evidence or (cwd / DEFAULT_EVIDENCE_DIR),
        config_path=config,
        notes=notes,
        max_data_age_days=max_data_age(max_age, env, cfg_age),
        # Like --policy, the flags replace the configuration's lists rather than adding to them.
        waivers=tuple(_path(cwd, str(p)) for p in waivers) or cfg_waivers,
        vex=tuple(_path(cwd, str(p)) for p in vex) or cfg_vex,
    )


def _with_libraries(
    inputs: tuple[InputSpec, ...], libraries: Sequence[Path], cwd: Path
) -> tuple[InputSpec, ...]:
    """Every linker map may read archives in the ``--libraries`` directories."""
    dirs: list[Path] = []
    for given in libraries:
        path = given if given.is_absolute() else cwd / given
        if not path.is_dir():
            raise UsageError(f"--libraries {given}: not a directory")
        dirs.append(path)
    return tuple(
        replace(s, libraries=(*s.libraries, *dirs)) if s.kind is InputKind.LINKER_MAP else s
        for s in inputs
    )


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    product: Product
    inputs: tuple[InputSpec, ...]
    database: Path | None
    policies: tuple[str, ...]
    evidence_dir: Path | None
    notes: tuple[Diagnostic, ...] = ()
    max_data_age: float | str | bool | None = None
    """As written: days, ``"off"`` (or ``False``: unquoted ``off`` in YAML), ``None`` if absent."""
    waivers: tuple[Path, ...] = ()
    vex: tuple[Path, ...] = ()


def load_config(path: Path, *, cwd: Path, excludes: Sequence[str] = ()) -> LoadedConfig:
    """Read and validate ``mdrgate.yml``; every error names the file, line and key."""
    from mdrgate.documents import load_yaml
    from mdrgate.validation import validate

    shown = display_path(path, cwd)
    if not path.exists():
        raise UsageError("configuration file not found", source=shown)
    doc = load_yaml(path, display=shown, error=UsageError)
    validate(doc, ("schemas", "config.schema.json"), what="configuration")
    data: dict[str, Any] = doc.data
    base = path.resolve().parent

    raw_product = data["product"]
    product = Product(
        name=raw_product["name"],
        version=raw_product["version"],
        manufacturer=raw_product.get("manufacturer"),
        safety_class=SafetyClass(raw_product.get("safety_class", "C")),
    )
    inputs: list[InputSpec] = []
    notes: list[Diagnostic] = []
    common_excludes = (*data.get("exclude", []), *excludes)
    for index, entry in enumerate(data.get("inputs", [])):
        specs, found_notes = _inputs_from_entry(doc, index, entry, base, cwd, common_excludes)
        inputs.extend(specs)
        notes.extend(found_notes)
    return LoadedConfig(
        product=product,
        inputs=tuple(inputs),
        database=_path(base, data["database"]) if "database" in data else None,
        policies=tuple(_policy_ref(p, base) for p in data.get("policies", [])),
        evidence_dir=_path(base, data["evidence"]) if "evidence" in data else None,
        notes=tuple(notes),
        max_data_age=data.get("max_data_age"),
        waivers=tuple(_path(base, p) for p in data.get("waivers", [])),
        vex=tuple(_path(base, p) for p in data.get("vex", [])),
    )


def _path(base: Path, text: str) -> Path:
    expanded = Path(text).expanduser()
    return expanded if expanded.is_absolute() else base / expanded


def _policy_ref(text: str, base: Path) -> str:
    if text.startswith("builtin:"):
        return text
    return str(_path(base, text))


def _inputs_from_entry(
    doc: Document,
    index: int,
    entry: str | dict[str, Any],
    base: Path,
    cwd: Path,
    excludes: Sequence[str],
) -> tuple[list[InputSpec], list[Diagnostic]]:
    from mdrgate.collect.discovery import discover_inputs, kind_for_file

    raw = entry if isinstance(entry, str) else entry["path"]
    include_dev = False if isinstance(entry, str) else bool(entry.get("include_dev", False))
    kind_text = None if isinstance(entry, str) else entry.get("kind")
    key = ("inputs", index) if isinstance(entry, str) else ("inputs", index, "path")
    if any(ch in raw for ch in "*?["):
        matches = sorted(p for p in base.glob(raw) if p.is_file() or p.is_dir())
        if not matches:
            raise doc.error(key, f"no file matches {raw!r}", error=InputError)
        specs: list[InputSpec] = []
        notes: list[Diagnostic] = []
        for match in matches:
            more, more_notes = _inputs_from_entry(
                doc,
                index,
                {**({} if isinstance(entry, str) else entry), "path": str(match)},
                base,
                cwd,
                excludes,
            )
            specs.extend(more)
            notes.extend(more_notes)
        return specs, notes
    path = _path(base, raw)
    shown = display_path(path, cwd)
    if not path.exists():
        raise doc.error(key, f"input {raw!r} not found (looked for {shown})", error=InputError)
    if not isinstance(entry, str) and entry.get("libraries"):
        libraries = _libraries(doc, index, entry, base, cwd)
        rest = {k: v for k, v in entry.items() if k != "libraries"}
        specs, notes = _inputs_from_entry(doc, index, rest, base, cwd, excludes)
        return [
            replace(s, libraries=libraries) if s.kind is InputKind.LINKER_MAP else s for s in specs
        ], notes
    entry_excludes = (*excludes, *([] if isinstance(entry, str) else entry.get("exclude", [])))
    if kind_text is not None and not (path.is_dir() and kind_text != "python-environment"):
        return [InputSpec(InputKind(kind_text), path, shown, include_dev)], []
    if path.is_dir():
        found, notes = discover_inputs([path], cwd=cwd, excludes=entry_excludes)
        if kind_text is not None:
            found = [s for s in found if s.kind.value == kind_text]
        if not found:
            raise doc.error(
                key,
                f"no inputs mdrgate understands were found under {shown}",
                error=InputError,
                hint="name the file and its 'kind' explicitly",
            )
        return [replace(s, include_dev=include_dev) for s in found], notes
    kind = kind_for_file(path)
    if kind is None:
        raise doc.error(
            key,
            f"cannot tell what kind of input {raw!r} is from its name",
            hint="add 'kind:' (" + ", ".join(k.value for k in InputKind) + ")",
        )
    return [InputSpec(kind, path, shown, include_dev)], []


def _libraries(
    doc: Document, index: int, entry: dict[str, Any], base: Path, cwd: Path
) -> tuple[Path, ...]:
    """An input's ``libraries:`` directories (relative to the configuration file), each checked."""
    found: list[Path] = []
    for position, raw in enumerate(entry.get("libraries", [])):
        path = _path(base, raw)
        if not path.is_dir():
            raise doc.error(
                ("inputs", index, "libraries", position),
                f"libraries: {raw!r} is not a directory (looked for {display_path(path, cwd)})",
                error=InputError,
            )
        found.append(path)
    return tuple(found)
