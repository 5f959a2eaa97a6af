"""SPDX import on real documents: the specification's examples, syft, trivy, Yocto and Zephyr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdrgate.collect.sbom.entries import PROP_DOWNLOAD, PROP_TYPE, PROP_YOCTO_PACKAGE
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, Hash
from tests.unit.sbom.support import SPDX, by_name, codes, collect, only, prop

SPEC = SPDX / "spec"
TOOLS = SPDX / "tools"
YOCTO = SPDX / "yocto"
ZEPHYR = SPDX / "zephyr"


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        (
            "SPDXJSONExample-v2.3.spdx.json",
            {"Apache Commons Lang": None, "Jena": None, "Saxon": None},
        ),
        ("SPDXTagExample-v2.3.spdx", {"Apache Commons Lang": 170, "Jena": 180, "Saxon": 189}),
    ],
)
def test_specification_example_glibc_is_the_subject_and_its_parts_are_components(
    name: str, lines: dict[str, int | None]
) -> None:
    result = collect(SPEC / name)
    found = by_name(result)
    assert {n: (c.version, c.purl, c.ecosystem) for n, c in found.items()} == {
        "Apache Commons Lang": (None, None, None),
        "Jena": ("3.12.0", "pkg:maven/org.apache.jena/apache-jena@3.12.0", "Maven"),
        "Saxon": ("8.8", None, None),
    }
    assert {n: c.origins[0].line for n, c in found.items()} == lines
    assert found["Saxon"].licenses == ("MPL-1.0",)
    assert found["Saxon"].hashes == (Hash("SHA-1", "85ed0817af83a24ad8da68c2b5094de69833983c"),)
    assert found["Saxon"].description == (
        "The Saxon package is a collection of tools for processing XML documents."
    )
    assert prop(found["Jena"], PROP_DOWNLOAD) == [
        "https://search.maven.org/remotecontent?filepath=org/apache/jena/apache-jena/3.12.0/"
        "apache-jena-3.12.0.tar.gz"
    ]
    assert found["Apache Commons Lang"].licenses == ()  # NOASSERTION is not a licence
    (unknown,) = only(result, "no-exact-version")
    assert unknown.component == "firmware:Apache Commons Lang@unknown"
    assert unknown.line == lines["Apache Commons Lang"]
    assert [d.message for d in only(result, "sbom-entry-skipped")] == [
        "not imported as components (1): glibc@2.11.1 - the document's subject (described, and "
        "made of the other packages)"
    ]
    # the JSON example is valid against the SPDX 2.3 schema: no schema warnings
    assert "sbom-schema" not in codes(result)


@pytest.mark.parametrize("name", ["syft-busybox.spdx.json", "syft-busybox.spdx"])
def test_syft_root_directory_is_the_subject(name: str) -> None:
    result = collect(TOOLS / name)
    (busybox,) = result.components
    assert (busybox.name, busybox.version, busybox.purl) == (
        "busybox",
        "1.35.0",
        "pkg:generic/busybox@1.35.0",
    )
    assert busybox.cpes[0] == "cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"
    assert busybox.catalogue_id == "busybox"
    assert busybox.supplier == "BusyBox project"  # NOASSERTION in the SBOM: the catalogue's
    assert [d.message for d in only(result, "sbom-entry-skipped")] == [
        "not imported as components (1): root - the document's subject (described, and made of "
        "the other packages)"
    ]


def test_trivy_spdx_skips_the_scanned_directory_and_the_lock_file_grouping() -> None:
    result = collect(TOOLS / "trivy-requirements.spdx.json")
    assert len(result.components) == 13
    assert by_name(result)["requests"].purl == "pkg:pypi/requests@2.25.1"
    assert sorted(d.message for d in only(result, "sbom-entry-skipped")) == [
        "not imported as components (1): host - the document's subject (described, and made of "
        "the other packages)",
        "not imported as components (1): requirements.txt - grouping entries without version or "
        "identifier, made of other packages",
    ]
    assert prop(by_name(result)["requests"], PROP_TYPE) == ["library"]


def test_yocto_recipe_document_describes_the_recipe_itself() -> None:
    result = collect(YOCTO / "recipe-shadow.spdx.json")
    (shadow,) = result.components
    assert (shadow.name, shadow.version) == ("shadow", "4.14.2")
    assert shadow.cpes == ("cpe:2.3:*:*:shadow:4.14.2:*:*:*:*:*:*:*",)  # Yocto's wildcard CPE
    assert shadow.supplier == "OpenEmbedded"
    assert shadow.licenses == ("BSD-3-Clause",)
    assert shadow.description == "Tools to change and administer password and group data"
    assert [d.message for d in only(result, "sbom-entry-skipped")] == [
        "not imported as components (1): shadow-source-1 - build-only inputs (only BUILD_/DEV_/"
        "TEST_ relationships; imported when development dependencies are included)"
    ]


def test_yocto_source_download_is_imported_with_development_dependencies() -> None:
    result = collect(YOCTO / "recipe-shadow.spdx.json", include_dev=True)
    assert sorted((c.name, c.version) for c in result.components) == [
        ("shadow", "4.14.2"),
        ("shadow-source-1", None),
    ]
    assert [d.component for d in only(result, "no-exact-version")] == [
        "firmware:shadow-source-1@unknown"
    ]
    download = by_name(result)["shadow-source-1"]
    assert download.hashes == (
        Hash("SHA-256", "a305edf5d19bddbdf5e836d2d609fa8bff2d35458819de4d9f06306a1cf24342"),
    )


@pytest.mark.parametrize("name", ["python3-pyyaml.spdx.json", "python3-pyyaml-dev.spdx.json"])
def test_yocto_package_documents_are_their_recipe(name: str) -> None:
    result = collect(YOCTO / name)
    (component,) = result.components
    assert (component.name, component.version, component.licenses) == (
        "python3-pyyaml",
        "6.0",
        ("MIT",),
    )
    expected = [] if name == "python3-pyyaml.spdx.json" else ["python3-pyyaml-dev"]
    assert prop(component, PROP_YOCTO_PACKAGE) == expected
    # early create-spdx wrote 'packageSupplier': a known quirk, not a schema warning
    assert [(d.level, d.message) for d in only(result, "sbom-producer-quirk")] == [
        (
            DiagnosticLevel.INFO,
            "the document uses 'packageSupplier' for 'supplier' (early OpenEmbedded "
            "create-spdx); accepted",
        )
    ]
    assert "sbom-schema" not in codes(result)


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        ("app.spdx.tag", "(1): app-sources - packages of Zephyr's app-sources document"),
        (
            "build.spdx.tag",
            "(2): ..__modules__hal__stm32__stm32cube, app - packages of Zephyr's build document",
        ),
    ],
)
def test_zephyr_application_and_build_documents_hold_no_third_party_components(
    name: str, skipped: str
) -> None:
    result = collect(ZEPHYR / name)
    assert result.components == ()
    (note,) = only(result, "sbom-entry-skipped")
    assert note.message.startswith(f"not imported as components {skipped} (the application")


def test_zephyr_sources_document_is_zephyr_itself() -> None:
    result = collect(ZEPHYR / "zephyr.spdx.tag")
    (zephyr,) = result.components
    assert zephyr.name == "zephyr-sources"
    assert zephyr.version is None  # west spdx of 2021 wrote no version
    assert zephyr.catalogue_id == "zephyr"  # found under its name without "-sources"
    assert zephyr.licenses == ("Apache-2.0",)
    assert zephyr.origins[0].line == 13
    (unknown,) = only(result, "no-exact-version")
    assert unknown.line == 13


def _edited(tmp_path: Path, source: Path, edit: str, replacement: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert edit in text
    target = tmp_path / source.name
    target.write_text(text.replace(edit, replacement), encoding="utf-8")
    return target


def test_underscore_package_manager_category_is_read_and_noted(tmp_path: Path) -> None:
    # Zephyr's west spdx and other tools write PACKAGE_MANAGER; the 2.3 schema wants a hyphen.
    path = _edited(
        tmp_path, TOOLS / "syft-busybox.spdx.json", '"PACKAGE-MANAGER"', '"PACKAGE_MANAGER"'
    )
    result = collect(path)
    assert [c.purl for c in result.components] == ["pkg:generic/busybox@1.35.0"]
    assert [d.message for d in only(result, "sbom-producer-quirk")] == [
        "the document uses the category PACKAGE_MANAGER (the schema's form is with a hyphen); "
        "accepted"
    ]
    assert "sbom-schema" not in codes(result)


def test_underscore_package_manager_in_tag_value(tmp_path: Path) -> None:
    path = _edited(
        tmp_path, TOOLS / "syft-busybox.spdx", "PACKAGE-MANAGER purl", "PACKAGE_MANAGER purl"
    )
    assert [c.purl for c in collect(path).components] == ["pkg:generic/busybox@1.35.0"]


def test_schema_violations_are_warnings_with_their_pointer(tmp_path: Path) -> None:
    path = _edited(
        tmp_path, TOOLS / "syft-busybox.spdx.json", '"versionInfo":"1.35.0"', '"versionInfo":1.35'
    )
    result = collect(path)
    assert [d.message for d in only(result, "sbom-schema")] == [
        "does not follow the SPDX 2.3 JSON schema at /packages/0/versionInfo: 1.35 is not of type "
        '"string"'
    ]
    (busybox,) = result.components
    assert busybox.version == "1.35.0"  # the purl still names it
    assert prop(busybox, "mdrgate:sbom:version-from") == ["purl"]


def test_top_level_schema_key_is_a_quirk(tmp_path: Path) -> None:
    data = json.loads((TOOLS / "syft-busybox.spdx.json").read_text())
    data["$schema"] = (
        "https://raw.githubusercontent.com/spdx/spdx-spec/v2.3/schemas/spdx-schema.json"
    )
    path = tmp_path / "with-schema.spdx.json"
    path.write_text(json.dumps(data))
    assert [d.message for d in only(collect(path), "sbom-producer-quirk")] == [
        "the document uses a top-level '$schema' key, which the SPDX 2.3 schema does not allow; "
        "accepted"
    ]


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("SPDX-3.0", "spdxVersion 'SPDX-3.0': this SPDX version is not supported"),
        ("SPDX-1.2", "spdxVersion 'SPDX-1.2': this SPDX version is not supported"),
    ],
)
def test_unsupported_spdx_versions_are_input_errors(
    tmp_path: Path, version: str, message: str
) -> None:
    path = _edited(tmp_path, TOOLS / "syft-busybox.spdx.json", '"SPDX-2.3"', f'"{version}"')
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.message.startswith(message)
    assert caught.value.source == "syft-busybox.spdx.json"


def test_a_version_stated_only_in_the_cpe_is_used(tmp_path: Path) -> None:
    # Zephyr's module documents carry versions only in the CPEs they copy from module.yml; the
    # 2021 zephyr-sources document given the CPE line today's west spdx writes for Zephyr.
    path = _edited(
        tmp_path,
        ZEPHYR / "zephyr.spdx.tag",
        "PackageDownloadLocation: NOASSERTION\n",
        "PackageDownloadLocation: NOASSERTION\n"
        "ExternalRef: SECURITY cpe23Type cpe:2.3:o:zephyrproject:zephyr:2.6.0:-:*:*:*:*:*:*\n",
    )
    result = collect(path)
    (zephyr,) = result.components
    assert zephyr.version == "2.6.0"
    assert prop(zephyr, "mdrgate:sbom:version-from") == ["cpe"]
    assert zephyr.purl == "pkg:github/zephyrproject-rtos/zephyr@v2.6.0"  # the catalogue's
    assert zephyr.cpes[0] == "cpe:2.3:o:zephyrproject:zephyr:2.6.0:-:*:*:*:*:*:*"
    assert "no-exact-version" not in codes(result)


def test_yocto_recipes_for_the_build_host_are_build_tools(tmp_path: Path) -> None:
    # shadow-native is a real oe-core recipe: the recipe document of the native build, as
    # create-spdx names it, differs from the target one by the package name.
    path = _edited(
        tmp_path, YOCTO / "recipe-shadow.spdx.json", '"name": "shadow",', '"name": "shadow-native",'
    )
    result = collect(path)
    assert result.components == ()
    assert sorted(d.message for d in only(result, "sbom-entry-skipped")) == [
        "not imported as components (1): shadow-native@4.14.2 - Yocto recipes built for the "
        "build host (-native, -cross, nativesdk-): build tools",
        "not imported as components (1): shadow-source-1 - build-only inputs (only BUILD_/DEV_/"
        "TEST_ relationships; imported when development dependencies are included)",
    ]
