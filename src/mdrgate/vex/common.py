"""What the three VEX readers share: the CISA minimum checks' wording and building assessments."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mdrgate.documents import KeyPath
from mdrgate.model.assessment import (
    Assessment,
    AssessmentKind,
    AssessmentSource,
    ComponentSelector,
    Justification,
    VexStatus,
)
from mdrgate.validation import describe_value, validate_against
from mdrgate.vex.jsondoc import VexDocument, pointer

CISA = "CISA VEX minimum"


@dataclass(frozen=True)
class Context:
    """One document being read: where errors point and what every assessment's source says."""

    doc: VexDocument
    kind: AssessmentKind
    sha256: str
    document_id: str | None

    def assessment(
        self,
        at: KeyPath,
        *,
        vulnerability: str,
        aliases: Iterable[str],
        status: VexStatus,
        components: Sequence[ComponentSelector],
        justification: Justification | None = None,
        impact: str | None = None,
        action: str | None = None,
        timestamp: str | None = None,
    ) -> Assessment:
        where = pointer(at)
        unique: dict[ComponentSelector, None] = dict.fromkeys(components)
        others = tuple(dict.fromkeys(a for a in aliases if a and a != vulnerability))
        return Assessment(
            id=f"{self.document_id or self.doc.path}#{where}",
            vulnerability=vulnerability,
            aliases=others,
            status=status,
            components=tuple(unique),
            source=AssessmentSource(
                kind=self.kind,
                path=self.doc.path,
                line=self.doc.line_of(at),
                pointer=where,
                document_id=self.document_id,
                sha256=self.sha256,
            ),
            justification=justification,
            impact=impact or None,
            action=action or None,
            timestamp=timestamp or None,
        )

    def validate(self, schema: Mapping[str, Any], validator: Any, what: str) -> None:
        validate_against(self.doc, schema, validator, what=what)


def text(value: Any) -> str | None:
    """A non-blank string value, else None (blank statements do not count as statements)."""
    return value if isinstance(value, str) and value.strip() else None


def word(
    ctx: Context,
    at: KeyPath,
    value: Any,
    allowed: Sequence[str],
    *,
    what: str,
    hint: str | None = None,
) -> str:
    """``value`` when it is one of ``allowed``; otherwise an error that lists them."""
    if isinstance(value, str) and value in allowed:
        return value
    shown = repr(value) if isinstance(value, str) else f"a {type(value).__name__}"
    close = difflib.get_close_matches(value, allowed, n=1) if isinstance(value, str) else []
    hint = hint or (f"did you mean {close[0]!r}?" if close else None)
    raise ctx.doc.error(
        at, f"{shown} is not a {what}; expected one of {', '.join(allowed)}", hint=hint
    )


def missing_vulnerability(ctx: Context, at: KeyPath, field: str) -> Exception:
    return ctx.doc.error(
        at,
        f"the statement names no vulnerability ({CISA}: every statement identifies one)",
        hint=f"add {field}, e.g. CVE-2023-32681",
    )


def missing_product(ctx: Context, at: KeyPath, hint: str) -> Exception:
    return ctx.doc.error(
        at,
        f"the statement names no product ({CISA}: every statement names the products it is about)",
        hint=hint,
    )


def missing_status(ctx: Context, at: KeyPath, field: str, words: Sequence[str]) -> Exception:
    return ctx.doc.error(
        at,
        f"the statement has no status ({CISA}: every statement states one)",
        hint=f"add {field}: one of {', '.join(words)}",
    )


def missing_justification(ctx: Context, at: KeyPath, status: str, fields: str) -> Exception:
    return ctx.doc.error(
        at,
        f"status {status} needs a justification or an impact statement ({CISA})",
        hint=f"add {fields}",
    )


def missing_action(ctx: Context, at: KeyPath, status: str, fields: str) -> Exception:
    return ctx.doc.error(
        at,
        f"status {status} needs an action statement ({CISA}): what users should do",
        hint=f"add {fields}",
    )


def mapping(ctx: Context, at: KeyPath, value: Any) -> dict[str, Any]:
    """``value`` as a JSON object; the published schemas do not always require one."""
    if not isinstance(value, dict):
        raise ctx.doc.error(at, f"expected an object, got {describe_value(value)}")
    return value


def items(ctx: Context, at: KeyPath, value: Any) -> list[Any]:
    """``value`` as a JSON array (absent: empty)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ctx.doc.error(at, f"expected a list, got {describe_value(value)}")
    return value


def string(ctx: Context, at: KeyPath, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ctx.doc.error(at, f"expected a non-empty string, got {describe_value(value)}")
    return value
