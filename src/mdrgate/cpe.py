"""CPE names: reading them (NISTIR 7695) and comparing their attributes (NISTIR 7696).

A CPE 2.3 formatted string is ``cpe:2.3:`` followed by eleven colon-separated attributes:
part, vendor, product, version, update, edition, language, sw_edition, target_sw, target_hw and
other. Each attribute is one of

- ANY (``*``): any value, or "not stated" in a name that describes a component;
- NA (``-``): the attribute does not apply (a product without versions);
- a value, in which a backslash quotes the next character (``xml\\:\\:parser`` is the product
  ``xml::parser``; ``in.sight_b120\\\\37`` holds one backslash), and in which an unquoted ``*``
  (zero or more characters) or a run of unquoted ``?`` (one character each) may stand only at the
  beginning or the end.

CPE 2.2 URIs (``cpe:/a:vendor:product:version``), which older SBOMs carry, are read too: empty or
missing components are ANY, ``%xx`` is decoded, and a packed edition (``~edition~sw_edition~
target_sw~target_hw~other``) is unpacked.

Values are compared case-insensitively: NVD writes them in lower case, SBOM authors do not always.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

ATTRIBUTES = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
"""The attributes of a CPE 2.3 name, in formatted-string order."""

_PARTS = frozenset({"a", "o", "h"})


class CpeError(ValueError):
    """Text that is not a CPE name; the message says where and why."""


class ValueKind(StrEnum):
    ANY = "ANY"
    NA = "NA"
    VALUE = "value"


class Relation(StrEnum):
    """How a source attribute value relates to a target value (NISTIR 7696, Table 6-2)."""

    EQUAL = "EQUAL"
    SUPERSET = "SUPERSET"
    SUBSET = "SUBSET"
    DISJOINT = "DISJOINT"
    UNDEFINED = "UNDEFINED"
    """The comparison has no defined answer: the target holds wildcards."""


@dataclass(frozen=True, slots=True)
class CpeValue:
    """One attribute value. ``text`` is the unquoted literal between any edge wildcards."""

    kind: ValueKind
    text: str = ""
    prefix: str = ""
    """An unquoted ``*`` or run of ``?`` before ``text``."""
    suffix: str = ""
    """An unquoted ``*`` or run of ``?`` after ``text``."""

    @property
    def is_literal(self) -> bool:
        """A value without wildcards: a name component has exactly one value."""
        return self.kind is ValueKind.VALUE and not self.prefix and not self.suffix

    @property
    def has_wildcards(self) -> bool:
        return self.kind is ValueKind.VALUE and bool(self.prefix or self.suffix)

    def bound(self) -> str:
        """The formatted-string form: ``*``, ``-``, or the value with its quoting restored."""
        if self.kind is ValueKind.ANY:
            return "*"
        if self.kind is ValueKind.NA:
            return "-"
        return self.prefix + _quote(self.text) + self.suffix

    def __str__(self) -> str:
        return self.bound()

    def matches(self, literal: str) -> bool:
        """Whether this value (wildcards allowed) covers ``literal``, ignoring case."""
        text = literal.casefold()
        core = self.text.casefold()
        pattern = _wildcard_regex(self.prefix) + re.escape(core) + _wildcard_regex(self.suffix)
        return re.fullmatch(pattern, text, flags=re.DOTALL) is not None


ANY = CpeValue(ValueKind.ANY)
NA = CpeValue(ValueKind.NA)


@dataclass(frozen=True, slots=True)
class CpeName:
    """A CPE name (a well-formed name in NISTIR 7695 terms), one value per attribute."""

    part: CpeValue
    vendor: CpeValue
    product: CpeValue
    version: CpeValue = ANY
    update: CpeValue = ANY
    edition: CpeValue = ANY
    language: CpeValue = ANY
    sw_edition: CpeValue = ANY
    target_sw: CpeValue = ANY
    target_hw: CpeValue = ANY
    other: CpeValue = ANY

    def value(self, attribute: str) -> CpeValue:
        value: CpeValue = getattr(self, attribute)
        return value

    def formatted(self) -> str:
        """The CPE 2.3 formatted string."""
        return "cpe:2.3:" + ":".join(self.value(a).bound() for a in ATTRIBUTES)

    def __str__(self) -> str:
        return self.formatted()

    @property
    def product_key(self) -> str:
        """``vendor:product`` as NVD data and mdrgate's firmware catalogue write it."""
        return f"{self.vendor.bound()}:{self.product.bound()}"


def value_of(text: str) -> CpeValue:
    """A literal attribute value (no wildcards): ``2.28.3``, ``xml::parser``."""
    if not text:
        raise CpeError("an attribute value cannot be empty")
    return CpeValue(ValueKind.VALUE, text)


def product_name(vendor: str, product: str, part: str | None = None) -> CpeName:
    """The name of every version of a product: what a ``vendor:product`` pair identifies."""
    return CpeName(
        part=ANY if part is None else _part(part, part),
        vendor=value_of(vendor),
        product=value_of(product),
    )


@lru_cache(maxsize=65536)
def parse_cpe(text: str) -> CpeName:
    """A CPE 2.3 formatted string or a CPE 2.2 URI; CpeError when it is neither."""
    if text.startswith("cpe:2.3:"):
        return _parse_formatted(text)
    if text.lower().startswith("cpe:/"):
        return _parse_uri(text)
    raise CpeError(f"{text!r} is not a CPE name (expected 'cpe:2.3:...' or 'cpe:/...')")


def parse_identifier(text: str) -> CpeName:
    """A CPE name, or a ``vendor:product`` pair (any part, any version)."""
    stripped = text.strip()
    if stripped.lower().startswith("cpe:"):
        return parse_cpe(stripped)
    fields_ = _split(stripped, stripped)
    if len(fields_) != 2 or not all(fields_):
        raise CpeError(f"{text!r} is neither a CPE name nor a 'vendor:product' pair")
    return CpeName(
        part=ANY,
        vendor=_formatted_value(fields_[0], "vendor", stripped),
        product=_formatted_value(fields_[1], "product", stripped),
    )


_SAFE = re.compile(r"[A-Za-z0-9._\-]+")


def product_key_of(text: str) -> str:
    """``vendor:product`` of a CPE name in lower case, as :attr:`CpeName.product_key` writes it."""
    return ":".join(product_pair_of(text))


def product_pair_of(text: str) -> tuple[str, str]:
    """(vendor, product) of a CPE name, lower case, quoted as a formatted string quotes them.

    Cheap for the usual unquoted NVD criteria (no full parse), so an importer can index every
    criteria of the feeds by product; CpeError as :func:`parse_cpe` for a malformed name.
    """
    if text.startswith("cpe:2.3:") and "\\" not in text:
        parts = text.split(":", 6)
        vendor, product = (parts[3], parts[4]) if len(parts) == 7 else ("-", "-")
        if "-" not in (vendor, product) and _SAFE.fullmatch(vendor) and _SAFE.fullmatch(product):
            return vendor.casefold(), product.casefold()
    name = parse_cpe(text)
    return name.vendor.bound().casefold(), name.product.bound().casefold()


def compare_values(source: CpeValue, target: CpeValue) -> Relation:
    """The relation of a source value to a target value, as NISTIR 7696 Table 6-2 defines it."""
    if target.has_wildcards:
        return Relation.SUPERSET if source.kind is ValueKind.ANY else Relation.UNDEFINED
    if source.kind is ValueKind.ANY:
        return Relation.EQUAL if target.kind is ValueKind.ANY else Relation.SUPERSET
    if source.kind is ValueKind.NA:
        if target.kind is ValueKind.ANY:
            return Relation.SUBSET
        return Relation.EQUAL if target.kind is ValueKind.NA else Relation.DISJOINT
    # source is a value (possibly with wildcards)
    if target.kind is ValueKind.ANY:
        return Relation.SUBSET
    if target.kind is ValueKind.NA:
        return Relation.DISJOINT
    if source.has_wildcards:
        return Relation.SUPERSET if source.matches(target.text) else Relation.DISJOINT
    return Relation.EQUAL if source.text.casefold() == target.text.casefold() else Relation.DISJOINT


def is_superset(source: CpeName, target: CpeName) -> bool:
    """CPE_SUPERSET of NISTIR 7696: every attribute of ``source`` is a superset of or equal to
    the target's — the test NVD applies between a match string and a dictionary name."""
    return all(
        compare_values(source.value(a), target.value(a)) in (Relation.SUPERSET, Relation.EQUAL)
        for a in ATTRIBUTES
    )


def _wildcard_regex(edge: str) -> str:
    if edge == "*":
        return ".*"
    return "." * len(edge)  # a run of '?': one character each


def _quote(text: str) -> str:
    """Formatted-string quoting: every character but letters, digits, '_', '-' and '.'; a lone
    '-' is quoted too, as the unquoted one is NA."""
    if text == "-":
        return "\\-"
    return "".join(c if c.isalnum() or c in "_-." else "\\" + c for c in text)


def _split(text: str, whole: str) -> list[str]:
    """Split at unquoted colons, keeping the quoting backslashes in the pieces."""
    pieces: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text):
                raise CpeError(f"{whole!r}: a backslash at the end quotes nothing")
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == ":":
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    pieces.append("".join(current))
    return pieces


def _parse_formatted(text: str) -> CpeName:
    body = text[len("cpe:2.3:") :]
    # Most names quote nothing: a plain split is then exact (and several times faster).
    pieces = body.split(":") if "\\" not in body else _split(body, text)
    if len(pieces) != len(ATTRIBUTES):
        raise CpeError(
            f"{text!r}: a CPE 2.3 formatted string has {len(ATTRIBUTES)} attributes after "
            f"'cpe:2.3:', found {len(pieces)}"
        )
    values = {
        attribute: _formatted_value(piece, attribute, text)
        for attribute, piece in zip(ATTRIBUTES, pieces, strict=True)
    }
    values["part"] = _checked_part(values["part"], text)
    return CpeName(**values)


_PLAIN = re.compile(r"[^\\*?\s]+")
"""A value without quoting, wildcards or blanks: it is its own literal text."""


def _formatted_value(piece: str, attribute: str, whole: str) -> CpeValue:
    if piece == "*":
        return ANY
    if piece == "-":
        return NA
    if _PLAIN.fullmatch(piece) and piece.isprintable():
        return _plain(piece)
    if not piece:
        raise CpeError(f"{whole!r}: the {attribute} is empty (write '*' for any value)")
    chars: list[tuple[str, bool]] = []  # (character, quoted)
    i = 0
    while i < len(piece):
        if piece[i] == "\\":
            chars.append((piece[i + 1], True))
            i += 2
        else:
            chars.append((piece[i], False))
            i += 1
    start = 0
    if chars[0] == ("*", False):
        start = 1
    else:
        while start < len(chars) and chars[start] == ("?", False):
            start += 1
    end = len(chars)
    if end > start and chars[end - 1] == ("*", False):
        end -= 1
    else:
        while end > start and chars[end - 1] == ("?", False):
            end -= 1
    middle = chars[start:end]
    for char, quoted in middle:
        if not quoted and char in "*?":
            raise CpeError(
                f"{whole!r}: in the {attribute} {piece!r}, an unquoted {char!r} may only stand "
                "at the beginning or the end"
            )
        if not quoted and (char.isspace() or not char.isprintable()):
            raise CpeError(f"{whole!r}: the {attribute} {piece!r} holds {char!r} unquoted")
    prefix = "".join(c for c, _ in chars[:start])
    suffix = "".join(c for c, _ in chars[end:])
    if not middle and prefix and suffix:
        raise CpeError(f"{whole!r}: the {attribute} {piece!r} is only wildcards")
    return CpeValue(ValueKind.VALUE, "".join(c for c, _ in middle), prefix, suffix)


@lru_cache(maxsize=16384)
def _plain(piece: str) -> CpeValue:
    return CpeValue(ValueKind.VALUE, piece)


def _checked_part(value: CpeValue, whole: str) -> CpeValue:
    if value.kind is ValueKind.VALUE:
        return _part(value.text, whole)
    return value


def _part(text: str, whole: str) -> CpeValue:
    if text.lower() not in _PARTS:
        raise CpeError(
            f"{whole!r}: the part must be 'a' (application), 'o' (operating system) or "
            f"'h' (hardware), found {text!r}"
        )
    return CpeValue(ValueKind.VALUE, text.lower())


_URI_ATTRIBUTES = ("part", "vendor", "product", "version", "update", "edition", "language")
_PACKED = ("edition", "sw_edition", "target_sw", "target_hw", "other")


def _parse_uri(text: str) -> CpeName:
    pieces = text[len("cpe:/") :].split(":")
    if len(pieces) > len(_URI_ATTRIBUTES):
        raise CpeError(
            f"{text!r}: a CPE 2.2 URI has at most {len(_URI_ATTRIBUTES)} components, "
            f"found {len(pieces)}"
        )
    values: dict[str, CpeValue] = {}
    for attribute, piece in zip(_URI_ATTRIBUTES, pieces, strict=False):
        if attribute == "edition" and piece.startswith("~"):
            packed = piece[1:].split("~")
            if len(packed) != len(_PACKED):
                raise CpeError(
                    f"{text!r}: a packed edition has {len(_PACKED)} '~'-separated fields, "
                    f"found {len(packed)}"
                )
            for name, item in zip(_PACKED, packed, strict=True):
                values[name] = _uri_value(item, name, text)
            continue
        values[attribute] = _uri_value(piece, attribute, text)
    if "vendor" not in values or "product" not in values:
        values.setdefault("vendor", ANY)
        values.setdefault("product", ANY)
    values["part"] = _checked_part(values.get("part", ANY), text)
    return CpeName(**values)


_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def _uri_value(piece: str, attribute: str, whole: str) -> CpeValue:
    if piece == "":
        return ANY
    if piece == "-":
        return NA
    chars: list[tuple[str, bool]] = []  # (character, is a wildcard)
    i = 0
    while i < len(piece):
        if piece[i] == "%":
            match = _PERCENT.match(piece, i)
            if match is None:
                raise CpeError(f"{whole!r}: the {attribute} {piece!r} has a broken '%' escape")
            code = match[1].lower()
            if code == "01":
                chars.append(("?", True))
            elif code == "02":
                chars.append(("*", True))
            else:
                chars.append((chr(int(code, 16)), False))
            i += 3
        else:
            chars.append((piece[i], False))
            i += 1
    start = 0
    while start < len(chars) and chars[start][1]:
        start += 1
    end = len(chars)
    while end > start and chars[end - 1][1]:
        end -= 1
    if any(wild for _, wild in chars[start:end]):
        raise CpeError(f"{whole!r}: wildcards may only stand at the ends of {piece!r}")
    return CpeValue(
        ValueKind.VALUE,
        "".join(c for c, _ in chars[start:end]),
        "".join(c for c, _ in chars[:start]),
        "".join(c for c, _ in chars[end:]),
    )
