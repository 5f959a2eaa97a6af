"""Whether a rule's scope covers a component: every selector the scope states must hold.

The one scope test of evaluation and ``policy explain``; a rule never judges a component it does
not cover. The product's safety class (``Scope.safety_classes``) is checked per run, not here.

- ``component_class``: firmware or host.
- ``ecosystem``: the component's OSV ecosystem (``PyPI``, ``npm``…); a component without one
  (firmware named by ``pkg:github``/``pkg:generic`` purls or CPEs) is outside every ecosystem.
- ``purl``: patterns without version, ``*`` in namespace and name standing for any run of
  characters (``pkg:github/freertos/*``), compared after the purl type's normalisation (PEP 503
  for PyPI); qualifiers a pattern states must be the component's. A component without a purl
  matches no pattern.
- ``soup_safety_relevant``: the SOUP register's ``safety_relevant``; see :class:`Scope`.
"""

from __future__ import annotations

from functools import lru_cache

from packageurl import PackageURL

from mdrgate.identifiers import PURL_TYPE_TO_ECOSYSTEM, canonical_purl, parse_purl
from mdrgate.model import Component
from mdrgate.policy.assessments import parse_purl_pattern
from mdrgate.policy.rules import Scope

KNOWN_ECOSYSTEMS = frozenset(PURL_TYPE_TO_ECOSYSTEM.values())
"""The OSV ecosystem names components carry (the policy schema lists the same)."""


def covers(scope: Scope, component: Component) -> bool:
    if scope.component_classes and component.component_class not in scope.component_classes:
        return False
    if scope.ecosystems and component.ecosystem not in scope.ecosystems:
        return False
    if scope.purls and not any(purl_matches(p, component.purl) for p in scope.purls):
        return False
    if scope.soup_safety_relevant is not None:
        declared = component.soup.safety_relevant if component.soup else None
        if scope.soup_safety_relevant is False and declared is not False:
            return False
        if scope.soup_safety_relevant is True and declared is False:
            return False
    return True


def purl_matches(pattern_text: str, purl_text: str | None) -> bool:
    """Whether a version-less purl pattern names the package ``purl_text`` (any version)."""
    if purl_text is None:
        return False
    pattern = parse_purl_pattern(pattern_text)
    purl = _component_purl(purl_text)
    if purl is None or purl.type != pattern.type:
        return False
    path = f"{purl.namespace}/{purl.name}" if purl.namespace else str(purl.name)
    if pattern.regex.fullmatch(path) is None:
        return False
    qualifiers = purl.qualifiers if isinstance(purl.qualifiers, dict) else {}
    if any(qualifiers.get(key) != value for key, value in pattern.qualifiers):
        return False
    return pattern.subpath is None or pattern.subpath == (purl.subpath or None)


def check_purl_pattern(text: str) -> str | None:
    """Why ``text`` cannot be a scope's purl pattern, or ``None`` when it can."""
    try:
        pattern = parse_purl_pattern(text)
    except ValueError as exc:
        return str(exc)
    if pattern.version is not None:
        return (
            f"{text!r}: a scope names packages, not releases; drop '@{pattern.version}' "
            "(every version of the package is in scope)"
        )
    return None


def describe(scope: Scope) -> str:
    """The scope in words, for explanations: ``every component`` when it states nothing."""
    parts = []
    if scope.component_classes:
        parts.append(
            "component class " + ", ".join(sorted(c.value for c in scope.component_classes))
        )
    if scope.ecosystems:
        parts.append("ecosystem " + ", ".join(sorted(scope.ecosystems)))
    if scope.purls:
        parts.append("purl " + ", ".join(scope.purls))
    if scope.soup_safety_relevant is True:
        parts.append("SOUP not declared non-safety-relevant")
    elif scope.soup_safety_relevant is False:
        parts.append("SOUP declared not safety-relevant")
    if scope.safety_classes:
        parts.append("safety class " + ", ".join(sorted(c.value for c in scope.safety_classes)))
    return "; ".join(parts) or "every component"


@lru_cache(maxsize=65536)
def _component_purl(text: str) -> PackageURL | None:
    try:
        return canonical_purl(parse_purl(text))
    except ValueError:
        return None
