"""``mdrgate policy lint``: what is wrong or risky in policy files, with file and line.

Errors are what ``check`` would refuse (exit 2): a file that is not valid YAML, breaks the
published schema, or defines a rule id twice. Warnings are compositions that load but probably
do not mean what their author meant:

- ``{id: X, enabled: false}`` where no earlier file defines X (a typo switches nothing off);
- a later file replacing rule X with a rule of another type;
- two rules of the same type judging the same subjects with different actions (both apply, the
  stricter outcome wins: say so explicitly or merge them);
- a composed policy without any vulnerability rule (every finding would fail as unjudged), or
  with a "cannot be assessed" reason no unassessed-component rule covers.

Every file is checked on its own, then the files are checked composed, in the order given
(organisation default first, product overrides last), as ``check`` composes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from mdrgate.documents import Document, parse_yaml
from mdrgate.errors import MdrgateError, UsageError
from mdrgate.model import UNASSESSED_CODES
from mdrgate.policy.load import POLICY_SCHEMA, load_policies, read_policy
from mdrgate.validation import validate

VULNERABILITY_TYPES = frozenset({"vulnerability-severity"})
"""Rule types that judge findings; a policy needs at least one (prefix ``vulnerability-``)."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class LintFinding:
    path: str
    line: int | None
    severity: Severity
    message: str
    hint: str | None = None

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass(frozen=True, slots=True)
class _Defined:
    doc: Document
    index: int
    raw: dict[str, Any]

    @property
    def line(self) -> int | None:
        return self.doc.line_of(("rules", self.index))


def lint_policies(refs: Sequence[str], *, cwd: Path) -> tuple[LintFinding, ...]:
    """Every problem of the policy files ``refs`` (paths or ``builtin:NAME``), sorted."""
    found: list[LintFinding] = []
    docs: list[Document] = []
    for ref in refs:
        try:
            shown, text = read_policy(ref, cwd=cwd)
            doc = parse_yaml(text, display=shown, error=UsageError)
            validate(doc, POLICY_SCHEMA, what="policy")
        except MdrgateError as exc:
            found.append(_from_error(exc, ref))
            continue
        docs.append(doc)
    if found:
        return tuple(sorted(found))
    try:  # what load_policies refuses beyond the schema (a rule id twice, bad parameters)
        load_policies(refs, cwd=cwd)
    except MdrgateError as exc:
        return (_from_error(exc, refs[0]),)
    found.extend(_composition(docs))
    return tuple(sorted(found))


def _from_error(exc: MdrgateError, ref: str) -> LintFinding:
    line = int(exc.location) if exc.location and exc.location.isdigit() else None
    return LintFinding(exc.source or ref, line, Severity.ERROR, exc.message, exc.hint)


def _composition(docs: Sequence[Document]) -> list[LintFinding]:
    found: list[LintFinding] = []
    active: dict[str, _Defined] = {}
    for doc in docs:
        for index, raw in enumerate(doc.data["rules"]):
            here = _Defined(doc, index, raw)
            rule_id = raw["id"]
            earlier = active.get(rule_id)
            if raw.get("enabled", True) is False:
                if earlier is None:
                    found.append(
                        _warn(
                            here,
                            f"'enabled: false' switches off {rule_id!r}, but no earlier policy "
                            "file defines that rule",
                            "check the id (a typo here leaves the intended rule in force)",
                        )
                    )
                active.pop(rule_id, None)
                continue
            if earlier is not None and earlier.raw["type"] != raw["type"]:
                found.append(
                    _warn(
                        here,
                        f"replaces rule {rule_id!r} of type {earlier.raw['type']} "
                        f"({earlier.doc.path}:{earlier.line}) with a rule of type {raw['type']}",
                        "give the new rule its own id unless replacing it is intended",
                    )
                )
            active[rule_id] = here
    found.extend(_same_subjects(list(active.values())))
    found.extend(_coverage(list(active.values()), docs[-1] if docs else None))
    return found


def _same_subjects(rules: list[_Defined]) -> list[LintFinding]:
    found: list[LintFinding] = []
    for i, first in enumerate(rules):
        for second in rules[i + 1 :]:
            a, b = first.raw, second.raw
            if a["type"] != b["type"] or a.get("scope", {}) != b.get("scope", {}):
                continue
            if a["action"] == b["action"] or a["type"] not in _ONE_JUDGEMENT_TYPES:
                continue
            found.append(
                _warn(
                    second,
                    f"rules {a['id']!r} ({first.doc.path}:{first.line}) and {b['id']!r} are both "
                    f"of type {a['type']} with the same scope but act differently "
                    f"({a['action']} vs {b['action']}): both apply, and the stricter outcome "
                    "wins",
                    "merge them, or give them different scopes",
                )
            )
    return found


_ONE_JUDGEMENT_TYPES = frozenset(
    {
        "soup-end-of-support",
        "soup-undeclared",
        "soup-version-drift",
        "soup-not-evidenced",
        "soup-anomaly-list",
        "evidence-conflict",
    }
)
"""Types without parameters that narrow what they judge: two with one scope judge the same."""


def _coverage(rules: list[_Defined], last: Document | None) -> list[LintFinding]:
    if last is None:
        return []
    found: list[LintFinding] = []
    types = {r.raw["type"] for r in rules}
    if not any(t.startswith("vulnerability-") for t in types):
        found.append(
            LintFinding(
                last.path,
                None,
                Severity.WARNING,
                "the composed policy has no vulnerability rule: every finding would fail as "
                "unjudged (MDRGATE-UNJUDGED)",
                "compose with builtin:mdr-default, or add a vulnerability-severity rule",
            )
        )
    covered = {
        reason
        for r in rules
        if r.raw["type"] == "unassessed-component"
        for reason in r.raw.get("reasons", [])
    }
    missing = sorted(UNASSESSED_CODES - covered)
    if missing:
        found.append(
            LintFinding(
                last.path,
                None,
                Severity.WARNING,
                f"no unassessed-component rule covers {', '.join(missing)}: a component that "
                "cannot be assessed for that reason fails as unjudged (MDRGATE-UNJUDGED)",
                "add the reasons to an unassessed-component rule with the action you intend",
            )
        )
    return found


def _warn(where: _Defined, message: str, hint: str) -> LintFinding:
    return LintFinding(where.doc.path, where.line, Severity.WARNING, message, hint)
