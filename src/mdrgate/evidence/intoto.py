"""in-toto Statement v1: binds mdrgate's signed predicate to every evidence file by its SHA-256.

The Statement layout follows the in-toto attestation spec (in-toto/attestation,
spec/v1/statement.md). mdrgate's own predicate type is ``MDRGATE_PREDICATE_TYPE``: its content
(verdict, rule outcomes summary, inputs and database provenance) is defined by the bundle writer;
this module only requires it to be a JSON object. Subjects are sorted by name and serialised
deterministically so the same evidence always yields the same signed bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mdrgate.errors import UsageError, VerificationError

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
"""The DSSE payloadType of an in-toto Statement (fixed by the in-toto envelope spec)."""
MDRGATE_PREDICATE_TYPE = "https://mdrgate.dev/evidence/v1"
"""mdrgate's evidence predicate: the gate's verdict and the inputs it was reached from."""

_SHA256 = re.compile(r"[0-9a-f]{64}")
_STATEMENT_FIELDS = frozenset({"_type", "subject", "predicateType", "predicate"})


class StatementError(VerificationError):
    """A signed payload that is not a valid in-toto Statement v1 as mdrgate writes it."""


@dataclass(frozen=True, order=True)
class Subject:
    """One evidence file: its bundle-relative name and lowercase hex SHA-256."""

    name: str
    sha256: str


@dataclass(frozen=True)
class Statement:
    """An in-toto Statement v1 with subjects sorted by name."""

    subjects: tuple[Subject, ...]
    predicate_type: str
    predicate: Mapping[str, Any] = field(hash=False)

    def to_json(self) -> bytes:
        """Deterministic JSON (sorted keys, no spaces, UTF-8): the bytes that get signed."""
        document = {
            "_type": STATEMENT_TYPE,
            "subject": [{"name": s.name, "digest": {"sha256": s.sha256}} for s in self.subjects],
            "predicateType": self.predicate_type,
            "predicate": self.predicate,
        }
        return json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")


def build_statement(
    subjects: Iterable[Subject],
    predicate: Mapping[str, Any],
    *,
    predicate_type: str = MDRGATE_PREDICATE_TYPE,
) -> Statement:
    """A Statement over ``subjects`` (sorted by name) carrying ``predicate``.

    Refuses what an auditor could not check: no subject, a duplicated name, a digest that is not
    a lowercase hex SHA-256.
    """
    ordered = tuple(sorted(subjects))
    problem = _subject_problem(ordered)
    if problem is not None:
        raise UsageError(f"cannot build the in-toto statement: {problem}")
    if not predicate_type:
        raise UsageError("cannot build the in-toto statement: empty predicateType")
    return Statement(subjects=ordered, predicate_type=predicate_type, predicate=dict(predicate))


def parse_statement(
    payload: bytes,
    *,
    predicate_type: str | None = MDRGATE_PREDICATE_TYPE,
    source: str | None = None,
) -> Statement:
    """Parse and validate a Statement v1 (structurally: no JSON schema of it is shipped).

    ``predicate_type=None`` accepts any predicate type.
    """

    def bad(message: str, location: str | None = None) -> StatementError:
        return StatementError(
            f"not a valid in-toto Statement v1: {message}", source=source, location=location
        )

    try:
        document = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad("the payload is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise bad(f"invalid JSON ({exc.msg})", f"{exc.lineno}") from None
    if not isinstance(document, dict):
        raise bad("expected a JSON object")
    missing = sorted(_STATEMENT_FIELDS - document.keys())
    if missing:
        raise bad(f"missing field(s) {', '.join(missing)}")
    extra = sorted(document.keys() - _STATEMENT_FIELDS)
    if extra:
        raise bad(f"unexpected field(s) {', '.join(extra)}")
    if document["_type"] != STATEMENT_TYPE:
        raise bad(f"_type is {document['_type']!r}; expected {STATEMENT_TYPE!r}", "_type")
    found_type = document["predicateType"]
    if not isinstance(found_type, str) or not found_type:
        raise bad("predicateType must be a non-empty string", "predicateType")
    if predicate_type is not None and found_type != predicate_type:
        raise bad(f"predicateType is {found_type!r}; expected {predicate_type!r}", "predicateType")
    predicate = document["predicate"]
    if not isinstance(predicate, dict):
        raise bad("predicate must be a JSON object", "predicate")
    raw_subjects = document["subject"]
    if not isinstance(raw_subjects, list):
        raise bad("subject must be a list", "subject")
    subjects: list[Subject] = []
    for index, entry in enumerate(raw_subjects):
        where = f"subject[{index}]"
        if not isinstance(entry, dict):
            raise bad("expected an object", where)
        name = entry.get("name")
        digest = entry.get("digest")
        if not isinstance(name, str):
            raise bad("name must be a string", f"{where}.name")
        if not isinstance(digest, dict) or not isinstance(digest.get("sha256"), str):
            raise bad("digest.sha256 must be a string", f"{where}.digest")
        subjects.append(Subject(name=name, sha256=digest["sha256"]))
    problem = _subject_problem(tuple(subjects))
    if problem is not None:
        raise bad(problem, "subject")
    if subjects != sorted(subjects):
        raise bad("subjects are not sorted by name (mdrgate writes them sorted)", "subject")
    return Statement(subjects=tuple(subjects), predicate_type=found_type, predicate=predicate)


def _subject_problem(subjects: tuple[Subject, ...]) -> str | None:
    if not subjects:
        return "no subject (every evidence file must be listed)"
    seen: set[str] = set()
    for subject in subjects:
        if not subject.name:
            return "a subject has an empty name"
        if subject.name in seen:
            return f"subject {subject.name!r} is listed twice"
        seen.add(subject.name)
        try:
            subject.name.encode("utf-8")
        except UnicodeEncodeError:
            return f"subject {subject.name!r}: the name is not valid Unicode text"
        if not _SHA256.fullmatch(subject.sha256):
            return f"subject {subject.name!r}: sha256 must be 64 lowercase hex digits"
    return None
