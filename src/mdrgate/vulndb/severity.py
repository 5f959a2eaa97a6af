"""CVSS base scores computed from the vectors advisories publish, with the ``cvss`` library.

A score is never taken from a record's free text: only a vector that the library accepts yields
one. An invalid vector or a non-CVSS severity type yields no score and a reason, which matching
turns into a note on the finding, so "unknown severity" is always explained.
"""

from __future__ import annotations

from functools import lru_cache

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

_CLASSES = {"CVSS_V2": CVSS2, "CVSS_V3": CVSS3, "CVSS_V4": CVSS4}


@lru_cache(maxsize=4096)
def score_vector(kind: str, vector: str) -> tuple[float | None, str | None]:
    """The base score of an OSV ``severity`` entry, or ``None`` and the reason it has none."""
    cls = _CLASSES.get(kind)
    if cls is None:
        return None, f"severity type {kind!r} ({vector}) is not a CVSS vector; it has no score"
    try:
        score = float(cls(vector).base_score)
    except (CVSSError, ValueError, KeyError, IndexError, TypeError) as exc:
        return None, f"{kind} vector {vector!r} is not valid ({exc}); its score is unknown"
    return round(score, 1), None
