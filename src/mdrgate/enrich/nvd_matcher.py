"""Match components that carry CPE names against the NVD's CVE records.

Firmware and other SOUP are identified by CPE (``cpe:2.3:a:arm:mbed_tls:2.28.3``): the register
states it, or the firmware catalogue knows it. For every CPE vendor:product of a component, the
database's CVEs that name that product in a vulnerable entry are judged against the component's
version by :mod:`mdrgate.enrich.nvd_configurations`:

- affected → a finding naming the deciding configuration entries (criteria and bounds);
- undetermined → an ``advisory-not-evaluable`` warning (the component is then not fully assessed,
  and policy says what that means), never a silent pass;
- not affected → nothing.

Versions are compared with the component's ecosystem scheme when it has one, otherwise with the
generic firmware scheme (``1.1.1k``, ``v10.4.3``, ``9.2p1``, ``2023.01``). Rejected CVEs are never
findings. A CPE whose vendor:product the NVD data never names in a vulnerable entry gets an info
note: no CVE is known for it, which is also what a mistyped CPE looks like.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mdrgate.cpe import CpeError, parse_identifier
from mdrgate.enrich.nvd_configurations import (
    Configuration,
    ConfigurationError,
    MatchStatus,
    Subject,
    evaluate,
    parse_configurations,
)
from mdrgate.enrich.nvd_findings import NOT_EVALUABLE, nvd_finding, undetermined_diagnostic
from mdrgate.model.component import Component
from mdrgate.model.diagnostic import Diagnostic, DiagnosticLevel
from mdrgate.model.finding import Finding
from mdrgate.versioning import GENERIC, scheme_for_ecosystem
from mdrgate.vulndb.records import NvdCve
from mdrgate.vulndb.store import VulnDb

NVD_KIND = "nvd"
"""The database source kind holding NVD CVE records."""


@dataclass
class NvdMatcher:
    """Judges CPE-named components against the NVD records of one database.

    Holds per-run caches: the CVEs of a vendor:product and the parsed configurations of a CVE are
    read once however many components name them.
    """

    db: VulnDb
    _by_product: dict[tuple[str, str], list[NvdCve]] = field(default_factory=dict)
    _parsed: dict[str, tuple[Configuration, ...] | str] = field(default_factory=dict)
    _known: frozenset[tuple[str, str]] | None = None

    def match(self, component: Component) -> tuple[list[Finding], list[Diagnostic]]:
        """Findings and problems of one component with CPEs and a version."""
        assert component.version is not None
        diagnostics: list[Diagnostic] = []
        try:
            subject = Subject.of(component.cpes, component.version)
        except CpeError as exc:
            return [], [_bad_cpe(component, str(exc))]
        scheme = scheme_for_ecosystem(component.ecosystem) or GENERIC
        findings: list[Finding] = []
        for cve in self._cves(subject, component, diagnostics):
            if cve.rejected:
                continue
            configurations = self._configurations(cve)
            if isinstance(configurations, str):
                diagnostics.append(_unreadable(component, cve.id, configurations))
                continue
            verdict = evaluate(configurations, subject, scheme)
            if verdict.status is MatchStatus.AFFECTED:
                advisory = cve.advisory()
                findings.append(nvd_finding(component, advisory, verdict, advisory.severities))
            elif verdict.status is MatchStatus.UNDETERMINED:
                diagnostics.append(undetermined_diagnostic(component, cve.id, verdict))
        return findings, diagnostics

    def _cves(
        self, subject: Subject, component: Component, diagnostics: list[Diagnostic]
    ) -> Iterable[NvdCve]:
        if self._known is None:
            self._known = self.db.nvd_products()
        seen: dict[str, NvdCve] = {}
        for name in subject.names:
            pair = (str(name.vendor).casefold(), str(name.product).casefold())
            if pair not in self._known:
                diagnostics.append(_unknown_product(component, f"{pair[0]}:{pair[1]}"))
                continue
            if pair not in self._by_product:
                self._by_product[pair] = self.db.nvd_for_product(*pair)
            for cve in self._by_product[pair]:
                seen.setdefault(cve.id, cve)
        return [seen[key] for key in sorted(seen)]

    def _configurations(self, cve: NvdCve) -> tuple[Configuration, ...] | str:
        if cve.id not in self._parsed:
            try:
                self._parsed[cve.id] = parse_configurations(cve.configurations)
            except ConfigurationError as exc:
                self._parsed[cve.id] = str(exc)
        return self._parsed[cve.id]


def has_cpe_identity(component: Component) -> bool:
    """Whether the component names at least one CPE with a literal vendor and product."""
    for cpe in component.cpes:
        try:
            name = parse_identifier(cpe)
        except CpeError:
            continue
        if name.vendor.is_literal and name.product.is_literal:
            return True
    return False


def _origin(component: Component) -> tuple[str | None, int | None]:
    origin = component.origins[0] if component.origins else None
    return (origin.path, origin.line) if origin else (None, None)


def _bad_cpe(component: Component, reason: str) -> Diagnostic:
    path, line = _origin(component)
    return Diagnostic(
        code=NOT_EVALUABLE,
        message=f"{component.display}: its CPE names cannot be matched against the NVD: {reason}",
        level=DiagnosticLevel.WARNING,
        path=path,
        line=line,
        component=component.bom_ref,
    )


def _unreadable(component: Component, cve: str, reason: str) -> Diagnostic:
    path, line = _origin(component)
    return Diagnostic(
        code=NOT_EVALUABLE,
        message=(
            f"{component.display}: {cve} names this component but its NVD configurations cannot "
            f"be read ({reason}); assess it by hand"
        ),
        level=DiagnosticLevel.WARNING,
        path=path,
        line=line,
        component=component.bom_ref,
    )


def _unknown_product(component: Component, pair: str) -> Diagnostic:
    path, line = _origin(component)
    return Diagnostic(
        code="cpe-not-in-nvd",
        message=(
            f"{component.display}: no CVE in the NVD data names CPE vendor:product {pair} as "
            "vulnerable; if the CPE is right, none is known, if it is mistyped, the component "
            "was not checked"
        ),
        level=DiagnosticLevel.INFO,
        path=path,
        line=line,
        component=component.bom_ref,
    )
