"""CycloneDX import on real documents: tool output, the specification's test vectors, pip's SBOM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdrgate.collect.merge import merge
from mdrgate.collect.sbom.entries import (
    PROP_GROUP,
    PROP_IDENTITY,
    PROP_PARENT,
    PROP_TYPE,
)
from mdrgate.model import ComponentClass, DiagnosticLevel, Hash, Origin
from tests.unit.sbom.support import CDX, by_name, codes, collect, only, prop

TOOLS = CDX / "tools"
SPEC = CDX / "spec"

# The example device's Aurora Service Tool, as cyclonedx-py wrote it from requirements.txt.
SERVICE_TOOL = {
    ("certifi", "2020.12.5", "pkg:pypi/certifi@2020.12.5"),
    ("cffi", "1.14.4", "pkg:pypi/cffi@1.14.4"),
    ("chardet", "4.0.0", "pkg:pypi/chardet@4.0.0"),
    ("cryptography", "3.3.1", "pkg:pypi/cryptography@3.3.1"),
    ("idna", "2.10", "pkg:pypi/idna@2.10"),
    ("Jinja2", "2.11.2", "pkg:pypi/jinja2@2.11.2"),
    ("MarkupSafe", "1.1.1", "pkg:pypi/markupsafe@1.1.1"),
    ("pycparser", "2.20", "pkg:pypi/pycparser@2.20"),
    ("pyserial", "3.5", "pkg:pypi/pyserial@3.5"),
    ("PyYAML", "5.3.1", "pkg:pypi/pyyaml@5.3.1"),
    ("requests", "2.25.1", "pkg:pypi/requests@2.25.1"),
    ("six", "1.15.0", "pkg:pypi/six@1.15.0"),
    ("urllib3", "1.26.4", "pkg:pypi/urllib3@1.26.4"),
}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("cyclonedx-py-requirements-1.2.cdx.json", "CycloneDX 1.2 (JSON)"),
        ("cyclonedx-py-requirements-1.4.cdx.xml", "CycloneDX 1.4 (XML)"),
        ("cyclonedx-py-requirements-1.6.cdx.json", "CycloneDX 1.6 (JSON)"),
    ],
)
def test_cyclonedx_py_in_every_format_gives_the_same_pypi_components(name: str, fmt: str) -> None:
    result = collect(TOOLS / name)
    assert {(c.name, c.version, c.purl) for c in result.components} == SERVICE_TOOL
    assert {c.ecosystem for c in result.components} == {"PyPI"}
    assert {c.component_class for c in result.components} == {ComponentClass.HOST}
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("sbom-imported", f"{fmt}: 13 components imported")
    ]
    assert result.files[0].kind == "sbom"
    assert result.files[0].path == name


def test_json_origins_name_the_bom_ref_and_xml_origins_the_line() -> None:
    json_doc = by_name(collect(TOOLS / "cyclonedx-py-requirements-1.6.cdx.json"))
    assert json_doc["Jinja2"].origins == (
        Origin("sbom", "cyclonedx-py-requirements-1.6.cdx.json", None, text="requirements-L25"),
    )
    xml_doc = by_name(collect(TOOLS / "cyclonedx-py-requirements-1.4.cdx.xml"))
    assert xml_doc["Jinja2"].origins == (
        Origin("sbom", "cyclonedx-py-requirements-1.4.cdx.xml", 74, text="requirements-L25"),
    )
    assert xml_doc["urllib3"].origins[0].line == 254


def test_specification_1_2_bom_supplier_hashes_licence_group_and_purl_mismatch() -> None:
    result = collect(SPEC / "valid-bom-1.2.json")
    found = by_name(result)
    assert sorted(found) == ["mylibrary", "tomcat-catalina"]
    tomcat = found["tomcat-catalina"]
    # The test vector's purl names another version than the component: in a package ecosystem
    # the purl is what the package manager (and advisories) call it, so its version is used and
    # the stated one is kept, with a warning.
    assert tomcat.version == "1.0.0"
    assert tomcat.purl == "pkg:npm/acme/component@1.0.0"
    assert prop(tomcat, "mdrgate:sbom:stated-version") == ["9.0.14"]
    assert prop(tomcat, "mdrgate:sbom:version-from") == ["purl"]
    assert tomcat.ecosystem == "npm"
    assert tomcat.supplier == "Acme Inc"  # publisher: no supplier entity on this one
    assert tomcat.licenses == ("Apache-2.0",)
    assert tomcat.hashes == (
        Hash("MD5", "3942447fac867ae5cdb3229b658f4d48"),
        Hash("SHA-1", "e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a"),
        Hash("SHA-256", "f498a8ff2dd007e29c2074f5e4b01a9a01775c3ff3aeaf6906ea503bc5791b7b"),
        Hash(
            "SHA-512",
            "e8f33e424f3f4ed6db76a482fde1a5298970e442c531729119e37991884bdffab4f9426b7ee11fccd074eeda"
            "0634d71697d6f88a460dce0ac8d627a29f7d1282",
        ),
    )
    assert prop(tomcat, PROP_GROUP) == ["com.acme"]
    assert prop(tomcat, PROP_TYPE) == ["library"]
    library = found["mylibrary"]
    assert (library.version, library.purl, library.supplier) == ("1.0.0", None, "Example, Inc.")
    assert library.bom_ref == "firmware:mylibrary@1.0.0"
    assert [d.message for d in only(result, "sbom-version-mismatch")] == [
        "/components/0 (tomcat-catalina@9.0.14): the version is '9.0.14' but the purl names "
        "'1.0.0'; the purl's '1.0.0' is used (it is the package manager's) and '9.0.14' is kept "
        "as a property"
    ]
    assert [d.message for d in only(result, "sbom-imported")] == [
        "CycloneDX 1.2 (JSON), describing Acme Application 9.1.1 (application): "
        "2 components imported"
    ]


@pytest.mark.parametrize(
    ("name", "lines"),
    [("valid-assembly-1.6.json", (None, None)), ("valid-assembly-1.4.xml", (4, 8))],
)
def test_nested_components_are_flattened_with_their_parent(
    name: str, lines: tuple[int | None, int | None]
) -> None:
    result = collect(SPEC / name)
    found = by_name(result)
    assert sorted(found) == ["acme-library-a", "acme-library-b"]
    assert prop(found["acme-library-a"], PROP_PARENT) == []
    assert prop(found["acme-library-b"], PROP_PARENT) == ["acme-library-a@1.0.0"]
    assert (
        found["acme-library-a"].origins[0].line,
        found["acme-library-b"].origins[0].line,
    ) == lines
    assert [d.message for d in only(result, "sbom-entry-skipped")] == [
        "not imported as components (1): acme-service-a - services (what the product calls or "
        "offers over a network, not shipped software)"
    ]


def test_the_subjects_own_nested_components_are_imported(tmp_path: Path) -> None:
    # The specification's assembly, moved under metadata.component as some producers write it.
    data = json.loads((SPEC / "valid-assembly-1.6.json").read_text())
    subject = {"type": "firmware", "name": "pump-firmware", "version": "2.4.0"}
    subject["components"] = data.pop("components")
    data["metadata"] = {"component": subject}
    path = tmp_path / "assembly.cdx.json"
    path.write_text(json.dumps(data))
    result = collect(path)
    found = by_name(result)
    assert sorted(found) == ["acme-library-a", "acme-library-b"]
    assert prop(found["acme-library-a"], PROP_PARENT) == ["pump-firmware@2.4.0"]
    assert prop(found["acme-library-b"], PROP_PARENT) == ["acme-library-a@1.0.0"]
    assert found["acme-library-b"].origins[0].text == "acme-library-b@2.0.0"
    assert [d.message for d in only(result, "sbom-imported")] == [
        "CycloneDX 1.6 (JSON), describing pump-firmware 2.4.0 (firmware): 2 components "
        "imported, 1 entry not imported"
    ]


def test_component_types_devices_and_bare_files_are_not_components() -> None:
    result = collect(SPEC / "valid-component-types-1.5.json")
    assert sorted((c.name, prop(c, PROP_TYPE)[0]) for c in result.components) == [
        ("application-a", "application"),
        ("container-a", "container"),
        ("firmware-a", "firmware"),
        ("framework-a", "framework"),
        ("library-a", "library"),
        ("operating-system-a", "operating-system"),
    ]
    assert sorted(d.message for d in only(result, "sbom-entry-skipped")) == [
        "not imported as components (1): device-a@1.0 - devices (hardware, not software)",
        "not imported as components (1): file-a@1.0 - files without purl or CPE (evidence of a "
        "package, not packages)",
    ]
    assert all(d.level is DiagnosticLevel.INFO for d in only(result, "sbom-entry-skipped"))


def test_identifiers_cpe_kept_and_maven_ecosystem() -> None:
    (component,) = collect(SPEC / "valid-component-identifiers-1.6.json").components
    assert component.cpes == ("cpe:2.3:a:example:acme-library:1.0.0:*:*:*:*:*:*:*",)
    assert component.purl == "pkg:maven/com.example/acme-library@1.0.0"
    assert component.ecosystem == "Maven"
    assert component.name == "acme-library"


def test_evidence_identity_is_recorded() -> None:
    (component,) = collect(SPEC / "valid-evidence-1.5.json").components
    assert prop(component, PROP_IDENTITY) == ["purl (confidence 1)"]
    assert component.licenses == ("LGPL-3.0-or-later",)


def test_xml_licence_expression_hashes_and_purl_qualifiers() -> None:
    (component,) = collect(SPEC / "valid-license-expression-1.4.xml").components
    assert component.licenses == ("EPL-2.0 OR GPL-2.0 WITH Classpath-exception-2.0",)
    assert component.purl == "pkg:maven/com.acme/tomcat-catalina@9.0.14?packaging=jar"
    assert [h.algorithm for h in component.hashes] == ["MD5", "SHA-1", "SHA-256", "SHA-512"]
    assert component.supplier == "Acme Inc"
    assert component.origins[0].line == 4


def test_syft_binary_and_distro_entries_become_one_catalogued_busybox() -> None:
    result = collect(TOOLS / "syft-busybox.cdx.json")
    assert [(c.name, c.version, c.catalogue_id) for c in result.components] == [
        ("busybox", "1.35.0", "busybox"),
        ("busybox", "1.35.0", "busybox"),
    ]
    application = next(c for c in result.components if prop(c, PROP_TYPE) == ["application"])
    assert application.purl == "pkg:generic/busybox@1.35.0"  # kept as given
    assert application.cpes[0] == "cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"
    assert ("syft:package:foundBy", "binary-classifier-cataloger") in application.properties
    merged = merge(result.components, result.diagnostics)
    (busybox,) = merged.components
    assert busybox.catalogue_id == "busybox"
    assert {o.text for o in busybox.origins} == {
        "pkg:generic/busybox@1.35.0?package-id=92f706ee4bd4297f",
        "os:busybox@1.35.0",
    }
    assert [d.message for d in only(result, "sbom-imported")] == [
        "CycloneDX 1.6 (JSON), describing root (file): 2 components imported"
    ]


def test_syft_xml_reads_like_syft_json() -> None:
    xml = collect(TOOLS / "syft-busybox.cdx.xml")
    json_doc = collect(TOOLS / "syft-busybox.cdx.json")
    assert [(c.purl, c.cpes, c.catalogue_id) for c in xml.components] == [
        (c.purl, c.cpes, c.catalogue_id) for c in json_doc.components
    ]


def test_trivy_lock_file_grouping_entry_is_not_a_component() -> None:
    result = collect(TOOLS / "trivy-requirements.cdx.json")
    assert {(c.name, c.version, c.purl) for c in result.components} == SERVICE_TOOL
    assert [d.message for d in only(result, "sbom-entry-skipped")] == [
        "not imported as components (1): requirements.txt - grouping entries without version "
        "or identifier of their own, listing other components (a scanned file or directory)"
    ]
    assert [d.message for d in only(result, "sbom-imported")] == [
        "CycloneDX 1.6 (JSON), describing host (application): 13 components imported, "
        "1 entry not imported"
    ]
    assert "no-exact-version" not in codes(result)


def test_pips_own_sbom_lists_its_subject_again_and_uses_uncanonical_purls() -> None:
    result = collect(CDX / "published" / "pip-26.3-vendor.cdx.json")
    found = by_name(result)
    assert len(found) == 18
    assert "pip" not in found
    assert found["CacheControl"].purl == "pkg:pypi/cachecontrol@0.14.4"
    assert found["tomli-w"].purl == "pkg:pypi/tomli-w@1.2.0"
    assert [d.message for d in only(result, "sbom-entry-skipped")] == [
        "not imported as components (1): pip - the SBOM's subject (metadata.component) listed "
        "again among the components"
    ]


def test_a_component_without_name_or_purl_is_an_error_diagnostic() -> None:
    result = collect(SPEC / "invalid-empty-component-1.6.json")
    assert result.components == ()
    (error,) = only(result, "sbom-invalid-entry")
    assert error.level is DiagnosticLevel.ERROR
    assert error.message == (
        "/components/0: a component without name or purl cannot be imported; it is left out of "
        "the inventory"
    )


def test_an_unknown_type_is_imported_with_a_warning() -> None:
    result = collect(SPEC / "invalid-component-type-1.6.json")
    assert [(c.name, c.version) for c in result.components] == [("acme-library", "1.0.0")]
    assert [(d.level, d.message) for d in only(result, "sbom-unknown-type")] == [
        (
            DiagnosticLevel.WARNING,
            "/components/0 (acme-library@1.0.0): component type 'foo' is not a CycloneDX type; "
            "imported anyway",
        )
    ]


def test_syft_go_stdlib_version_is_the_purls() -> None:
    result = collect(TOOLS / "syft-python-venv-excerpt.cdx.json")
    found = by_name(result)
    stdlib = found["stdlib"]
    # syft writes Go's standard library as version "go1.23.4" with purl "@1.23.4": one release,
    # and the Go ecosystem calls it 1.23.4.
    assert (stdlib.version, stdlib.purl, stdlib.ecosystem) == (
        "1.23.4",
        "pkg:golang/stdlib@1.23.4",
        "Go",
    )
    assert prop(stdlib, "mdrgate:sbom:version-from") == ["purl"]
    assert "sbom-version-mismatch" not in codes(result)
    launcher = found["Simple Launcher"]
    assert (launcher.purl, launcher.ecosystem) == ("pkg:nuget/Simple%20Launcher@1.1.0.14", "NuGet")
    assert found["urllib3"].supplier == "Andrey Petrov <andrey.petrov@shazow.net>"
