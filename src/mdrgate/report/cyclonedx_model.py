"""The cyclonedx-python-lib object model of the SBOM; imported lazily by ``report.cyclonedx``.

Decisions that are easy to get wrong, and why they are made this way:

* Every bom-ref is set explicitly (components, the product, each vulnerability). The library
  fills missing or duplicate refs with random values, which would break reproducible bytes.
* The dependency graph lists only what is known: the product depends on every component. The
  library's empty entries for the components (which would claim "no dependencies") are removed.
* The serial number is a UUID5 of the document rendered with a placeholder serial, so equal
  content gives an equal serial and nothing random enters the file.
* Values that would make the document fail the schema through no fault of the data's meaning
  (a URL with characters an IRI may not hold, a digest of odd length, an algorithm CycloneDX 1.6
  does not list) are kept as ``mdrgate:*`` properties instead of being dropped: the SBOM keeps
  every fact it was given, and schema validation can only fail through a bug here.
* Several licences of which one is an SPDX expression cannot be expressed in 1.6 (an expression
  must stand alone, and the library would silently drop the others); they are all written as
  licence ids or names instead, which asserts no AND/OR the source did not state.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from cyclonedx.contrib.license.exceptions import InvalidSpdxLicenseException
from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.exception.model import InvalidUriException
from cyclonedx.model import HashAlgorithm, HashType, Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentType
from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.impact_analysis import ImpactAnalysisAffectedStatus
from cyclonedx.model.license import DisjunctiveLicense, License, LicenseExpression
from cyclonedx.model.tool import ToolRepository
from cyclonedx.model.vulnerability import (
    BomTarget,
    BomTargetVersionRange,
    Vulnerability,
    VulnerabilityAdvisory,
    VulnerabilityRating,
    VulnerabilityReference,
    VulnerabilityScoreSource,
    VulnerabilitySeverity,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from packageurl import PackageURL

from mdrgate.model import (
    Advisory,
    Component,
    Finding,
    Inventory,
    Product,
    Rating,
    SeverityVector,
    SoupRecord,
)
from mdrgate.model.assessment import AppliedAssessment
from mdrgate.model.support import SupportFacts

PREFIX = "mdrgate"
SERIAL_NAMESPACE = uuid.UUID("5b0f1d1e-6a3c-5e0e-9c51-6d6472676174")
"""Namespace of content-derived serial numbers; never change it (every serial would change)."""
_PLACEHOLDER_SERIAL = uuid.UUID(int=0)

OSV_URL = "https://osv.dev/vulnerability/"
_OSV_PREFIXES = frozenset(
    {"PYSEC", "GHSA", "GO", "RUSTSEC", "OSV", "GSD", "MAL", "PSF", "CURL", "BIT", "UVI"}
)
_MAX_VERSION = 1024  # CycloneDX 1.6 "version" maxLength
_HASH_CONTENT = re.compile(
    r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|"
    r"[0-9a-fA-F]{128}"
)
_HASH_ALGORITHMS_1_6 = {
    re.sub(r"[^a-z0-9]", "", alg.value.lower()): alg
    for alg in HashAlgorithm
    if not alg.value.startswith("Streebog")  # added in CycloneDX 1.7
}


def build_sbom_json(
    product: Product,
    inventory: Inventory,
    *,
    findings: Sequence[Finding],
    timestamp: datetime,
    tool_version: str,
    support: Sequence[SupportFacts] = (),
    applied: Sequence[AppliedAssessment] = (),
) -> bytes:
    bom = _bom(product, inventory, findings, _aware(timestamp), tool_version, support, applied)
    rendered: dict[str, Any] = json.loads(JsonV1Dot6(bom).output_as_string())
    # Identification first (as the specification's examples have it), then the rest in the
    # library's (sorted) order.
    first = ("$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata")
    document = {k: rendered[k] for k in first if k in rendered}
    document.update((k, v) for k, v in rendered.items() if k not in document)
    document["serialNumber"] = f"urn:uuid:{_PLACEHOLDER_SERIAL}"
    _drop_unknown_dependencies(document)
    _order_occurrences(document)
    draft = _dump(document)
    serial = uuid.uuid5(SERIAL_NAMESPACE, hashlib.sha256(draft).hexdigest())
    document["serialNumber"] = f"urn:uuid:{serial}"
    errors = sorted(
        f"{'/'.join(map(str, e.instance_path)) or '(document)'}: {e.message}"
        for e in _validator().iter_errors(document)
    )
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise RuntimeError(f"the generated SBOM is not valid CycloneDX 1.6: {errors[0]}{more}")
    return _dump(document)


def _drop_unknown_dependencies(document: dict[str, Any]) -> None:
    """Remove the empty dependency entries the library adds for every component.

    In CycloneDX an empty entry states "this component has no dependencies"; mdrgate does not know
    the components' own dependencies, and an absent entry is how the specification says "unknown".
    Only the product's entry (it depends on every component) is certain and kept.
    """
    root = document.get("metadata", {}).get("component", {}).get("bom-ref")
    kept = [d for d in document.get("dependencies", []) if d.get("dependsOn") or d["ref"] == root]
    if kept:
        document["dependencies"] = kept
    else:
        document.pop("dependencies", None)


def _order_occurrences(document: dict[str, Any]) -> None:
    """Put evidence occurrences in one fixed order: the library's set of occurrences has none
    (equal-ranking entries come out in hash order), and evidence bytes must be reproducible."""

    def key(item: dict[str, Any]) -> tuple[str, int, int, str]:
        return (
            str(item.get("location", "")),
            int(item.get("line", 0)),
            int(item.get("offset", -1)),
            str(item.get("additionalContext", "")),
        )

    stack = list(document.get("components", []))
    while stack:
        component = stack.pop()
        stack.extend(component.get("components", []))
        occurrences = component.get("evidence", {}).get("occurrences")
        if occurrences:
            occurrences.sort(key=key)


def _dump(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@functools.cache
def _validator() -> Any:
    """The strict CycloneDX 1.6 JSON schema shipped with cyclonedx-python-lib, compiled once.

    Checked with jsonschema-rs rather than the library's ``JsonStrictValidator``: both use the
    same schema files, but the latter checks every URL with an Earley parser (about 40 ms per
    URL), which would take seconds for an SBOM with a few dozen advisories. The test suite
    validates the output with ``JsonStrictValidator`` as well.
    """
    import jsonschema_rs
    from cyclonedx.schema._res import BOM_JSON_STRICT, CRYPTOGRAPHY_DEFS, JSF, SPDX_JSON

    def load(path: str | None) -> Any:
        if path is None:
            raise RuntimeError("cyclonedx-python-lib ships no strict CycloneDX 1.6 JSON schema")
        return json.loads(Path(path).read_text(encoding="utf-8"))

    base = "http://cyclonedx.org/schema/"
    registry = jsonschema_rs.Registry(
        [
            (f"{base}spdx.SNAPSHOT.schema.json", load(SPDX_JSON)),
            (f"{base}jsf-0.82.SNAPSHOT.schema.json", load(JSF)),
            (f"{base}cryptography-defs.SNAPSHOT.schema.json", load(CRYPTOGRAPHY_DEFS)),
        ]
    )
    return jsonschema_rs.Draft7Validator(
        load(BOM_JSON_STRICT[SchemaVersion.V1_6]), validate_formats=True, registry=registry
    )


# --- document --------------------------------------------------------------------------------


def _bom(
    product: Product,
    inventory: Inventory,
    findings: Sequence[Finding],
    timestamp: datetime,
    tool_version: str,
    support: Sequence[SupportFacts] = (),
    applied: Sequence[AppliedAssessment] = (),
) -> Bom:
    components = sorted(inventory.components, key=lambda c: c.bom_ref)
    refs = Counter(c.bom_ref for c in components)
    duplicates = sorted(r for r, n in refs.items() if n > 1)
    if duplicates:
        raise RuntimeError(f"inventory holds duplicate bom-refs: {', '.join(duplicates)}")
    product_ref = f"product:{product.name}@{product.version}"
    if product_ref in refs:
        raise RuntimeError(f"a component uses the product's bom-ref {product_ref!r}")

    manufacturer = OrganizationalEntity(name=product.manufacturer) if product.manufacturer else None
    root = CdxComponent(
        type=ComponentType.APPLICATION,
        name=product.name,
        version=product.version,
        bom_ref=product_ref,
        manufacturer=manufacturer,
        properties=[Property(name=f"{PREFIX}:iec62304:safety_class", value=product.safety_class)],
    )
    tool = CdxComponent(
        type=ComponentType.APPLICATION,
        name="mdrgate",
        version=tool_version,
        bom_ref=f"tool:mdrgate@{tool_version}",
    )
    metadata = BomMetaData(
        timestamp=timestamp,
        tools=ToolRepository(components=[tool]),
        component=root,
        manufacturer=(
            OrganizationalEntity(name=product.manufacturer) if product.manufacturer else None
        ),
    )
    facts = {f.component: f for f in support}
    cdx_components = [_component(c, facts.get(c.bom_ref)) for c in components]
    bom = Bom(
        serial_number=_PLACEHOLDER_SERIAL,
        metadata=metadata,
        components=cdx_components,
        vulnerabilities=_vulnerabilities(findings, {c.bom_ref: c for c in components}, applied),
    )
    if cdx_components:
        bom.register_dependency(root, cdx_components)
    return bom


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _prop(name: str, value: object) -> Property:
    return Property(name=f"{PREFIX}:{name}", value=str(value))


# --- components ------------------------------------------------------------------------------


def _component(component: Component, support: SupportFacts | None = None) -> CdxComponent:
    props: list[Property] = [_prop("component_class", component.component_class.value)]
    if component.ecosystem:
        props.append(_prop("ecosystem", component.ecosystem))
    props += [_prop("origin", o.location) for o in sorted(component.origins)]
    props += [_prop("collector", c) for c in sorted({o.collector for o in component.origins})]
    if component.catalogue_id:
        props.append(_prop("catalogue_id", component.catalogue_id))
    if component.presence is not None:
        props.append(_prop("presence", component.presence.value))
    if component.version is None:
        props.append(_prop("version_unknown", "true"))
    if component.version_spec:
        props.append(_prop("version_spec", component.version_spec))
    version = component.version
    if version is not None and len(version) > _MAX_VERSION:
        props.append(_prop("version", version))
        version = None
    purl = None
    if component.purl:
        try:
            purl = PackageURL.from_string(component.purl)
        except ValueError:
            props.append(_prop("purl", component.purl))
    props += [_prop("cpe", cpe) for cpe in component.cpes[1:]]
    hashes: list[HashType] = []
    for digest in component.hashes:
        algorithm = _HASH_ALGORITHMS_1_6.get(re.sub(r"[^a-z0-9]", "", digest.algorithm.lower()))
        if algorithm is not None and _HASH_CONTENT.fullmatch(digest.value):
            hashes.append(HashType(alg=algorithm, content=digest.value.lower()))
        else:
            props.append(_prop("hash", f"{digest.algorithm}:{digest.value}"))
    if component.soup is not None:
        props += _soup_properties(component.soup)
    if support is not None:
        props += _support_properties(support)
    props += [Property(name=name, value=value) for name, value in component.properties]
    return CdxComponent(
        type=ComponentType.LIBRARY,
        name=component.name,
        version=version,
        bom_ref=component.bom_ref,
        purl=purl,
        cpe=component.cpes[0] if component.cpes else None,
        supplier=OrganizationalEntity(name=component.supplier) if component.supplier else None,
        licenses=_licenses(component.licenses),
        hashes=hashes,
        description=component.description,
        properties=props,
        evidence=_evidence(component),
    )


def _evidence(component: Component) -> ComponentEvidence | None:
    """Where the component was found: one CycloneDX occurrence per origin, with the line or the
    byte offset and the matched text, so a reader can check the claim in the file itself."""
    occurrences = [
        Occurrence(
            location=origin.path,
            line=origin.line,
            offset=origin.offset,
            additional_context=f"{origin.collector}: {origin.text}"
            if origin.text
            else origin.collector,
        )
        for origin in sorted(component.origins)
    ]
    return ComponentEvidence(occurrences=occurrences) if occurrences else None


def _support_properties(fact: SupportFacts) -> list[Property]:
    """endoflife.date's product, cycle and end of life: the FDA-style SBOM's support columns."""
    props = [_prop("eol:product", fact.product)]
    if fact.cycle is not None:
        props.append(_prop("eol:cycle", fact.cycle))
    for name, value in (("eol:date", fact.eol), ("eol:support", fact.support)):
        if isinstance(value, date):
            props.append(_prop(name, value.isoformat()))
        elif isinstance(value, bool):
            props.append(_prop(name, "true" if value else "false"))
    if fact.latest:
        props.append(_prop("eol:latest", fact.latest))
    return props


def _soup_properties(soup: SoupRecord) -> list[Property]:
    """Every register field that was stated; the 62304 clause is in the property name's docs."""
    fields: list[tuple[str, object | None]] = [
        ("register_id", soup.register_id),
        ("title", soup.title),
        ("level_of_support", soup.level_of_support.value if soup.level_of_support else None),
        ("end_of_support", soup.end_of_support.isoformat() if soup.end_of_support else None),
        ("requirements", soup.requirements),  # IEC 62304 5.3.3
        ("prerequisites", soup.prerequisites),  # IEC 62304 5.3.4
        (
            "anomaly_list_evaluated",  # IEC 62304 7.1.3
            soup.anomaly_list_evaluated.isoformat() if soup.anomaly_list_evaluated else None,
        ),
        (
            "safety_relevant",
            None if soup.safety_relevant is None else str(soup.safety_relevant).lower(),
        ),
        ("website", soup.website),
        ("notes", soup.notes),
    ]
    return [_prop(f"soup:{name}", value) for name, value in fields if value is not None]


def _licenses(declared: Iterable[str]) -> list[License]:
    factory = LicenseFactory()
    values = sorted(set(declared))
    made = [factory.make_from_string(v) for v in values]
    if len(made) > 1 and any(isinstance(m, LicenseExpression) for m in made):
        made = []
        for value in values:
            try:
                made.append(factory.make_with_id(value))
            except InvalidSpdxLicenseException:
                made.append(DisjunctiveLicense(name=value))
    return made


# --- vulnerabilities -------------------------------------------------------------------------


def _vulnerabilities(
    findings: Sequence[Finding],
    components: dict[str, Component],
    applied: Sequence[AppliedAssessment] = (),
) -> list[Vulnerability]:
    assessed: dict[tuple[str, str], list[AppliedAssessment]] = defaultdict(list)
    for item in applied:
        assessed[item.key].append(item)
    by_advisory: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.component_ref not in components:
            raise RuntimeError(
                f"finding {finding.advisory.id} names component {finding.component_ref!r}, "
                "which is not in the inventory"
            )
        by_advisory[finding.advisory.id].append(finding)
    return [
        _vulnerability(sorted(group, key=lambda f: f.component_ref), components, assessed)
        for _, group in sorted(by_advisory.items())
    ]


def _vulnerability(
    group: list[Finding],
    components: dict[str, Component],
    assessed: dict[tuple[str, str], list[AppliedAssessment]],
) -> Vulnerability:
    advisory = group[0].advisory
    source = _advisory_source(advisory)
    props: list[Property] = []
    references: list[VulnerabilityReference] = []
    for alias in sorted(set(advisory.aliases) - {advisory.id}):
        name, url = _id_source(alias)
        references.append(
            VulnerabilityReference(id=alias, source=VulnerabilitySource(name=name, url=url))
        )
    advisories: list[VulnerabilityAdvisory] = []
    for reference in advisory.references:
        uri = _uri(reference.url)
        if uri is None:
            props.append(_prop("reference", f"{reference.type} {reference.url}"))
        else:
            advisories.append(VulnerabilityAdvisory(title=reference.type or None, url=uri))

    severities = sorted(
        {s for f in group for s in f.severities}, key=lambda s: (s.type, s.vector, s.score or 0)
    )
    ratings = [_rating(s, source) for s in severities]
    if not ratings:
        ratings = [VulnerabilityRating(source=source, severity=VulnerabilitySeverity.UNKNOWN)]

    affects: list[BomTarget] = []
    advice: list[str] = []
    scores = [f.score for f in group if f.score is not None]
    props.append(_prop("rating", Rating.from_score(max(scores) if scores else None).value))
    props += _exploitation_properties(group[0])
    for finding in group:
        component = components[finding.component_ref]
        version = component.version
        versions = (
            [BomTargetVersionRange(version=version, status=ImpactAnalysisAffectedStatus.AFFECTED)]
            if version and len(version) <= _MAX_VERSION
            else []
        )
        affects.append(BomTarget(ref=finding.component_ref, versions=versions))
        ref = finding.component_ref
        props += [_prop("affected_range", f"{ref}: {r}") for r in finding.affected_ranges]
        props += [_prop("note", f"{ref}: {n}") for n in finding.notes]
        props += [
            _prop("assessment", f"{ref}: {_assessment_text(item)}")
            for item in assessed.get(finding.key, ())
        ]
        if finding.fixed_versions:
            fixed = ", ".join(finding.fixed_versions)
            props.append(_prop("fixed_versions", f"{ref}: {fixed}"))
            advice.append(f"Upgrade {component.display} to {_or(finding.fixed_versions)} or later.")
        else:
            advice.append(f"No fixed version of {component.name} is known.")

    return Vulnerability(
        bom_ref=f"vulnerability:{advisory.id}",
        id=advisory.id,
        source=source,
        references=references,
        ratings=ratings,
        description=advisory.summary,
        detail=advisory.details,
        recommendation=" ".join(advice),
        advisories=advisories,
        published=_aware(advisory.published) if advisory.published else None,
        updated=_aware(advisory.modified) if advisory.modified else None,
        affects=affects,
        properties=props,
    )


def _assessment_text(item: AppliedAssessment) -> str:
    """``waived: waiver WVR-1 (affected) at waivers.yml:4`` — the record that decided, where."""
    a = item.assessment
    why = f", {a.justification.value}" if a.justification else ""
    return f"{item.effect.value}: {a.label} ({a.status.value}{why}) at {a.source.location()}"


def _exploitation_properties(finding: Finding) -> list[Property]:
    """KEV listing and EPSS score: CycloneDX has no field for either, so they are properties."""
    props = []
    if finding.kev is not None:
        kev = finding.kev
        props.append(_prop("kev:cve", kev.cve_id))
        props.append(_prop("kev:date_added", kev.date_added.isoformat()))
        if kev.due_date is not None:
            props.append(_prop("kev:due_date", kev.due_date.isoformat()))
        props.append(_prop("kev:known_ransomware_campaign_use", kev.known_ransomware_campaign_use))
    if finding.epss is not None:
        props.append(_prop("epss:cve", finding.epss.cve))
        props.append(_prop("epss:score", f"{finding.epss.epss:.5f}"))
        if finding.epss.percentile is not None:
            props.append(_prop("epss:percentile", f"{finding.epss.percentile:.5f}"))
    return props


def _or(versions: Sequence[str]) -> str:
    if len(versions) == 1:
        return versions[0]
    return ", ".join(versions[:-1]) + " or " + versions[-1]


def _rating(severity: SeverityVector, source: VulnerabilitySource) -> VulnerabilityRating:
    method = _method(severity)
    if severity.score is None:
        level = VulnerabilitySeverity.UNKNOWN
    elif method is VulnerabilityScoreSource.CVSS_V2:
        # CVSS v2 has three bands: low < 4.0 ≤ medium < 7.0 ≤ high.
        score = severity.score
        level = (
            VulnerabilitySeverity.HIGH
            if score >= 7.0
            else VulnerabilitySeverity.MEDIUM
            if score >= 4.0
            else VulnerabilitySeverity.LOW
        )
    else:
        level = VulnerabilitySeverity(Rating.from_score(severity.score).value)
    return VulnerabilityRating(
        source=source,
        score=Decimal(f"{severity.score:.1f}") if severity.score is not None else None,
        severity=level,
        method=method,
        vector=severity.vector,
    )


def _method(severity: SeverityVector) -> VulnerabilityScoreSource:
    kind = severity.type.upper()
    if kind == "CVSS_V2":
        return VulnerabilityScoreSource.CVSS_V2
    if kind == "CVSS_V3":
        if severity.vector.startswith("CVSS:3.1"):
            return VulnerabilityScoreSource.CVSS_V3_1
        return VulnerabilityScoreSource.CVSS_V3
    if kind == "CVSS_V4":
        return VulnerabilityScoreSource.CVSS_V4
    return VulnerabilityScoreSource.OTHER


def _advisory_source(advisory: Advisory) -> VulnerabilitySource:
    name, url = _id_source(advisory.id)
    if advisory.source.lower().startswith("osv"):
        return VulnerabilitySource(name="OSV", url=_uri(OSV_URL + advisory.id))
    if url is None:
        return VulnerabilitySource(name=advisory.source or name)
    return VulnerabilitySource(name=name, url=url)


def _id_source(identifier: str) -> tuple[str, XsUri | None]:
    """Where an advisory id is published, judged by its prefix."""
    prefix = identifier.split("-", 1)[0].upper()
    if prefix == "CVE":
        return "NVD", _uri(f"https://nvd.nist.gov/vuln/detail/{identifier}")
    if prefix == "GHSA":
        return "GitHub Advisory Database", _uri(f"https://github.com/advisories/{identifier}")
    if prefix == "SNYK":
        return "Snyk", _uri(f"https://security.snyk.io/vuln/{identifier}")
    if prefix in _OSV_PREFIXES:
        return "OSV", _uri(OSV_URL + identifier)
    return prefix or identifier, None


_URI_CHAR = r"(?:[A-Za-z0-9\-._~:/?@!$&'()*+,;=]|%[0-9A-Fa-f]{2})"
_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:{_URI_CHAR}*(?:#{_URI_CHAR}*)?")
"""An absolute URI of plain RFC 3986 characters: valid as an IRI reference for any validator."""


def _uri(value: str) -> XsUri | None:
    """The URL as the schema surely accepts it, or ``None`` (the caller keeps it as text)."""
    try:
        uri = XsUri(value)
    except InvalidUriException:
        return None
    return uri if _URI.fullmatch(str(uri)) else None
