"""Whether an assessment (a waiver or a VEX statement) speaks about a finding.

Two questions, asked separately so that policy can say which one failed: does the assessment name
the finding's vulnerability (:func:`names_vulnerability`), and does one of its selectors cover the
finding's component (:func:`selector_matches`)? A selector never covers more than it states: every
part it states (purl, CPE, name, versions) must hold, and a part that cannot be checked (a version
the component's scheme cannot read, a component without a version) is a :class:`MatchProblem`,
never a quiet match nor a quiet miss, so that a report can say "waiver X could not be applied
because …".

Selector parts:

- ``purl``: a package URL pattern. Type, namespace and name are compared after the normalisation
  the purl specification gives each type (what :mod:`packageurl` applies: lower case for
  ``github``, ``pypi``, ``npm``…, case kept for ``maven``, ``golang``, ``generic``…), PyPI names
  also by PEP 503 (``Flask_SQLAlchemy`` = ``flask-sqlalchemy``). ``*`` in the namespace or name
  stands for any run of characters, ``/`` included (``pkg:github/freertos/*``,
  ``pkg:golang/github.com/*``); the type takes no wildcard. A pattern without namespace names
  components without one. A version (``@1.26.4``) pins exactly that version, compared in the
  component's scheme (``V10.3.1`` = ``10.3.1`` for firmware). Qualifiers and a subpath, when
  stated, must be the component's too.
- ``cpe``: a CPE name or ``vendor:product``; every attribute it states must hold for one of the
  component's CPEs (NISTIR 7696 superset test), its version compared in the component's scheme.
- ``name``: the component's name or its package name, case-insensitive (PEP 503 for PyPI), ``*``
  wildcards allowed.

Wildcards apply to the normalised forms: ``pkg:pypi/flask_*`` is ``pkg:pypi/flask-*`` and covers
``Flask.Login`` (``flask-login``), not ``flask`` itself.
- ``versions``: a range in :mod:`mdrgate.versioning.ranges`' language, compared in the component's
  scheme: the ecosystem's (PEP 440 for PyPI…), the firmware scheme for everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NoReturn

from packageurl import PackageURL

from mdrgate.cpe import (
    ATTRIBUTES,
    CpeError,
    CpeName,
    CpeValue,
    Relation,
    ValueKind,
    compare_values,
    parse_cpe,
    parse_identifier,
)
from mdrgate.identifiers import PURL_TYPE_TO_ECOSYSTEM, canonical_purl, normalize_name, parse_purl
from mdrgate.model import Component, Finding
from mdrgate.model.assessment import Assessment, ComponentSelector
from mdrgate.versioning import GENERIC, VersionScheme, scheme_for_ecosystem
from mdrgate.versioning.ranges import RangeError, not_a_version, parse_range


@dataclass(frozen=True, slots=True)
class MatchProblem:
    """A selector whose identity parts fit a component but whose other parts cannot be checked.

    Neither a match nor a miss: using it as a truth value is an error, so that no caller can take
    it for either by accident (``if selector_matches(...)``); test ``isinstance`` first.
    """

    selector: ComponentSelector
    component_ref: str
    reason: str

    def describe(self) -> str:
        return f"{self.selector.describe()} cannot be checked against {self.component_ref}: " + (
            self.reason
        )

    def __bool__(self) -> NoReturn:
        raise TypeError("a MatchProblem is neither a match nor a miss; check isinstance first")


_Part = bool | str
"""One selector part's answer: holds, does not hold, or why it cannot be checked."""


def scheme_for(component: Component) -> VersionScheme:
    """The scheme a component's versions are compared in: its ecosystem's, else the firmware one."""
    return scheme_for_ecosystem(component.ecosystem) or GENERIC


def scheme_for_selector(selector: ComponentSelector) -> VersionScheme:
    """The scheme the components a selector can cover use: the purl type's ecosystem's, else the
    firmware scheme (CPE-named and other components without an ecosystem)."""
    if selector.purl:
        try:
            pattern = parse_purl_pattern(selector.purl)
        except ValueError:
            return GENERIC
        return scheme_for_ecosystem(PURL_TYPE_TO_ECOSYSTEM.get(pattern.type)) or GENERIC
    return GENERIC


@dataclass(frozen=True, slots=True)
class PurlPattern:
    """A purl with ``*`` wildcards in its namespace and name, normalised as its type says."""

    type: str
    path: str
    """``namespace/name`` (or ``name``), normalised, ``*`` kept."""
    version: str | None
    qualifiers: tuple[tuple[str, str], ...]
    subpath: str | None

    @property
    def regex(self) -> re.Pattern[str]:
        return _wildcard(self.path)


_PURL_SHAPE = re.compile(r"pkg:/*[A-Za-z.+-][A-Za-z0-9.+-]*/+[^/@?#]")


@lru_cache(maxsize=4096)
def parse_purl_pattern(text: str) -> PurlPattern:
    """A selector's purl; ValueError saying why it is not one."""
    if "*" in text.strip()[4:].lstrip("/").split("/", 1)[0]:
        raise ValueError(f"{text!r}: the purl type takes no wildcard; name the type")
    if _PURL_SHAPE.match(text.strip()) is None:
        raise ValueError(f"{text!r} is not a package URL (pkg:TYPE/[NAMESPACE/]NAME[@VERSION])")
    try:
        purl = canonical_purl(parse_purl(text.strip()))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a package URL: {str(exc).rstrip('.')}") from None
    if purl.version is not None and "*" in purl.version:
        raise ValueError(
            f"{text!r}: a purl version pins one version; drop it and state the range in 'versions'"
        )
    return PurlPattern(
        type=purl.type,
        path=_path(purl),
        version=purl.version,
        qualifiers=tuple(sorted(_qualifiers(purl).items())),
        subpath=purl.subpath or None,
    )


def _path(purl: PackageURL) -> str:
    return f"{purl.namespace}/{purl.name}" if purl.namespace else str(purl.name)


def _qualifiers(purl: PackageURL) -> dict[str, str]:
    qualifiers = purl.qualifiers
    return dict(qualifiers) if isinstance(qualifiers, dict) else {}


@lru_cache(maxsize=4096)
def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(piece) for piece in pattern.split("*")), re.DOTALL)


@lru_cache(maxsize=65536)
def _component_purl(text: str) -> PackageURL | None:
    try:
        return canonical_purl(parse_purl(text))
    except ValueError:
        return None


def selector_matches(selector: ComponentSelector, component: Component) -> bool | MatchProblem:
    """Whether ``selector`` covers ``component``: every stated part holds (see the module text).

    ``False`` as soon as one part does not hold; a :class:`MatchProblem` when none fails but one
    cannot be checked; ``True`` only when every stated part holds. A selector that states no
    purl, CPE or name covers nothing: that is a problem too, not a match of everything.
    """
    scheme = scheme_for(component)
    checks = (
        (selector.purl, _purl_part),
        (selector.cpe, _cpe_part),
        (selector.name, _name_part),
    )
    answers: list[_Part] = []
    for stated, check in checks:
        if stated is None:
            continue
        answer = check(stated, component, scheme)
        if answer is False:
            return False
        answers.append(answer)
    if not answers:
        return MatchProblem(selector, component.bom_ref, "the selector names no purl, CPE or name")
    if selector.versions is not None:
        answer = _versions_part(selector.versions, component, scheme)
        if answer is False:
            return False
        answers.append(answer)
    for answer in answers:
        if isinstance(answer, str):
            return MatchProblem(selector, component.bom_ref, answer)
    return True


def _purl_part(text: str, component: Component, scheme: VersionScheme) -> _Part:
    try:
        pattern = parse_purl_pattern(text)
    except ValueError as exc:
        return str(exc)
    if component.purl is None:
        return False
    purl = _component_purl(component.purl)
    if purl is None or purl.type != pattern.type:
        return False
    if pattern.regex.fullmatch(_path(purl)) is None:
        return False
    qualifiers = _qualifiers(purl)
    if any(qualifiers.get(key) != value for key, value in pattern.qualifiers):
        return False
    if pattern.subpath is not None and pattern.subpath != (purl.subpath or None):
        return False
    if pattern.version is None:
        return True
    return _same_version(pattern.version, purl.version or component.version, scheme)


def _cpe_part(text: str, component: Component, scheme: VersionScheme) -> _Part:
    try:
        stated = parse_identifier(text)
    except CpeError as exc:
        return str(exc)
    answers: list[_Part] = []
    for cpe in component.cpes:
        try:
            name = parse_cpe(cpe)
        except CpeError:
            continue
        answer = _cpe_holds(stated, name, component, scheme)
        if answer is True:
            return True
        answers.append(answer)
    return next((a for a in answers if isinstance(a, str)), False)


def _cpe_holds(
    stated: CpeName, name: CpeName, component: Component, scheme: VersionScheme
) -> _Part:
    for attribute in ATTRIBUTES:
        if attribute == "version":
            continue
        relation = compare_values(stated.value(attribute), name.value(attribute))
        if relation not in (Relation.EQUAL, Relation.SUPERSET):
            return False
    return _cpe_version(stated.version, name.version, component, scheme)


def _cpe_version(
    stated: CpeValue, actual: CpeValue, component: Component, scheme: VersionScheme
) -> _Part:
    if stated.kind is ValueKind.ANY:
        return True
    if stated.kind is ValueKind.NA:
        return actual.kind is ValueKind.NA
    if actual.kind is ValueKind.NA:
        return False
    version = actual.text if actual.is_literal else component.version
    if stated.has_wildcards:
        return "the component's version is unknown" if version is None else stated.matches(version)
    return _same_version(stated.text, version, scheme)


def _name_part(text: str, component: Component, scheme: VersionScheme) -> _Part:
    del scheme
    pattern = _wildcard(normalize_name(component.ecosystem, text.strip()).casefold())
    names = {component.name, component.package_name}
    return any(
        pattern.fullmatch(normalize_name(component.ecosystem, n).casefold()) is not None
        for n in names
    )


def _versions_part(text: str, component: Component, scheme: VersionScheme) -> _Part:
    if component.version is None:
        return "the component's version is unknown, so the range cannot be checked"
    try:
        return parse_range(text).contains(component.version, scheme)
    except RangeError as exc:
        return f"versions {text!r} cannot be checked against {component.version!r}: {exc}"


def _same_version(stated: str, actual: str | None, scheme: VersionScheme) -> _Part:
    """Scheme equality; the same text is equal in any scheme; otherwise unreadable is a problem."""
    if actual is None:
        return "the component's version is unknown"
    a, b = scheme.parse(stated), scheme.parse(actual)
    if a is not None and b is not None:
        return bool(a == b)
    if stated == actual:
        return True
    unreadable = stated if a is None else actual
    return (
        f"version {unreadable!r} is {not_a_version(scheme)}, so {stated!r} and {actual!r} "
        "cannot be compared"
    )


def vulnerability_names(finding: Finding) -> frozenset[str]:
    """Every name of the finding's vulnerability, case-folded: id, aliases, merged ids, CVEs."""
    names: Iterable[str] = (
        finding.advisory.id,
        *finding.advisory.aliases,
        *finding.same_as,
        *finding.cve_ids,
    )
    return frozenset(n.strip().casefold() for n in names)


def names_vulnerability(assessment: Assessment, finding: Finding) -> bool:
    """Whether the assessment's vulnerability (or an alias the statement gives it) is the
    finding's advisory or one of its aliases."""
    known = vulnerability_names(finding)
    return any(
        name.strip().casefold() in known for name in (assessment.vulnerability, *assessment.aliases)
    )


def assessment_matches(
    assessment: Assessment, finding: Finding, component: Component
) -> bool | MatchProblem:
    """Whether ``assessment`` speaks about ``finding`` (of ``component``).

    ``True`` when it names the vulnerability and one of its selectors covers the component;
    otherwise the first :class:`MatchProblem` of a selector, if any, else ``False``.
    """
    if component.bom_ref != finding.component_ref:
        raise ValueError(f"{finding.component_ref} is not the component {component.bom_ref}")
    if not names_vulnerability(assessment, finding):
        return False
    problem: MatchProblem | None = None
    for selector in assessment.components:
        answer = selector_matches(selector, component)
        if answer is True:
            return True
        if isinstance(answer, MatchProblem) and problem is None:
            problem = answer
    return problem if problem is not None else False
