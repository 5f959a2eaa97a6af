"""SBOM import: CycloneDX 1.2-1.7 (JSON, XML) and SPDX 2.0-2.3 (JSON, tag-value).

``claim`` recognises SBOM files for discovery by name (``*.cdx.json``, ``*.cdx.xml``,
``bom.json``, ``bom.xml``, ``*.spdx.json``, ``*.spdx``, ``*.spdx.tv``, ``*.spdx.tag``); other
``*.json``/``*.xml`` files only when their first or last KB says they are one (``"bomFormat":
"CycloneDX"``, ``"spdxVersion"``, the SPDX document id, or the CycloneDX XML namespace). It is
called for every file of a scanned tree, so this module imports nothing heavy: the readers load
on first use.

``collect_sbom`` decides the format from the content, not the name, so a CycloneDX document named
``sbom.spdx.json`` is still read correctly, and a file that is neither format is an input error
naming what was expected. Files larger than ``MAX_BYTES`` are refused before they are read: a
parsed SBOM takes several times its size in memory, and no real SBOM comes near the limit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from mdrgate.collect.base import Collected, InputKind, InputSpec, digest_bytes, not_a_regular_file
from mdrgate.errors import InputError

if TYPE_CHECKING:
    from mdrgate.collect.sbom.entries import Parsed

MAX_BYTES = 256 * 1024 * 1024
"""SBOM files larger than this (256 MiB) are refused."""

HEAD_BYTES = 1024
"""How much of the start, and of the end, of an ambiguously named ``.json``/``.xml`` file
``claim`` reads."""

_SUFFIXES = (".cdx.json", ".cdx.xml", ".spdx.json", ".spdx", ".spdx.tv", ".spdx.tag")
_NAMES = frozenset({"bom.json", "bom.xml"})
_SNIFF = re.compile(
    rb'"bomFormat"\s*:\s*"CycloneDX"'
    rb'|"spdxVersion"\s*:\s*"SPDX-'
    rb'|"SPDXID"\s*:\s*"SPDXRef-DOCUMENT"'
    rb"|http://cyclonedx\.org/schema/bom/"
)


def claim(path: Path) -> InputKind | None:
    """``InputKind.SBOM`` for an SBOM file, by name or, for other JSON/XML, by its first KB."""
    name = path.name.lower()
    if name in _NAMES or name.endswith(_SUFFIXES):
        return InputKind.SBOM
    if name.endswith((".json", ".xml")):
        try:
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
                if _SNIFF.search(head):
                    return InputKind.SBOM
                # Writers that sort keys put "bomFormat"/"spdxVersion" last (cyclonedx-py,
                # Yocto): the last KB tells as well.
                size = handle.seek(0, 2)
                if size > HEAD_BYTES:
                    handle.seek(max(HEAD_BYTES, size - HEAD_BYTES))
                    if _SNIFF.search(handle.read(HEAD_BYTES)):
                        return InputKind.SBOM
        except OSError:
            return None  # unreadable: not claimed on a guess
    return None


def collect_sbom(spec: InputSpec) -> Collected:
    """The components an SBOM lists (its subject excepted), with diagnostics for every entry
    left out or read with a problem."""
    from mdrgate.collect.sbom.build import build

    raw = _read(spec)
    file = digest_bytes(raw, display=spec.display, kind=InputKind.SBOM.value)
    parsed = _parse(raw, spec)
    components, notes = build(parsed)
    return Collected(
        tuple(sorted(components, key=lambda c: (c.bom_ref, c.name))),
        tuple(sorted(set(notes))),
        (file,),
    )


def _read(spec: InputSpec) -> bytes:
    problem = not_a_regular_file(spec.path)
    if problem is not None:
        raise InputError(f"{problem}; an SBOM must be a file", source=spec.display)
    try:
        size = spec.path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"is {_size(size)}, larger than the {_size(MAX_BYTES)} mdrgate reads as an SBOM",
                source=spec.display,
                hint="split the SBOM (one per image or product part), or remove file-level "
                "entries it does not need",
            )
        with spec.path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", source=spec.display) from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"is larger than the {_size(MAX_BYTES)} mdrgate reads as an SBOM (it grew while "
            "being read)",
            source=spec.display,
        )
    return raw


def _size(count: int) -> str:
    if count >= 1 << 30:
        return f"{count / (1 << 30):.1f} GiB"
    return f"{count / (1 << 20):.0f} MiB"


_EXPECTED = "a CycloneDX (JSON or XML) or SPDX 2 (JSON or tag-value) SBOM"
_TAG_VALUE = re.compile(r"^[ \t]*SPDXVersion[ \t]*:", re.MULTILINE)


def _parse(raw: bytes, spec: InputSpec) -> Parsed:
    """The document read by the reader its content calls for."""
    display, dev = spec.display, spec.include_dev
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not start:
        raise InputError(f"is empty; expected {_EXPECTED}", source=display)
    if start == b"<" or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        from mdrgate.collect.sbom import cyclonedx

        return cyclonedx.read_xml(raw, display, include_dev=dev)
    text = _text(raw, display)
    if start in (b"{", b"["):
        data = _json(text, display)
        if isinstance(data, dict) and "bomFormat" in data:
            from mdrgate.collect.sbom import cyclonedx

            return cyclonedx.read_json(data, display, include_dev=dev)
        if isinstance(data, dict) and ({"spdxVersion", "SPDXID", "@context"} & data.keys()):
            from mdrgate.collect.sbom import spdx

            return spdx.read_json(data, display, include_dev=dev)
        raise InputError(
            "is JSON, but neither a CycloneDX BOM (no /bomFormat) nor an SPDX document "
            f"(no /spdxVersion); expected {_EXPECTED}",
            source=display,
        )
    if _TAG_VALUE.search(text):
        from mdrgate.collect.sbom import spdx

        return spdx.read_tag_value(text, display, include_dev=dev)
    raise InputError(
        f"is neither JSON, XML nor SPDX tag-value (no 'SPDXVersion:' line); expected {_EXPECTED}",
        source=display,
    )


def _json(text: str, display: str) -> object:
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg} (column {exc.colno})",
            source=display,
            location=str(exc.lineno),
        ) from None
    except RecursionError:
        raise InputError(
            "JSON nested too deeply to be read (no SBOM nests this deep)", source=display
        ) from None


def _text(raw: bytes, display: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (invalid byte at offset {exc.start}); expected {_EXPECTED}",
            source=display,
        ) from None
