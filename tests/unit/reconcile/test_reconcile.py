"""The register against the findings, and presence in the image."""

from __future__ import annotations

from mdrgate.collect.merge import merge
from mdrgate.collect.reconcile import COMPONENT_ROOT, reconcile
from mdrgate.model import (
    Component,
    ComponentClass,
    Inventory,
    LinkedFile,
    Origin,
    Presence,
    SoupRecord,
)

REGISTER = Origin("soup-register", "firmware/soup.yml", 37)


def _mbedtls(version: str, origin: Origin, *, soup: bool = False, **kw: object) -> Component:
    return Component(
        name="Mbed TLS",
        version=version,
        component_class=ComponentClass.FIRMWARE,
        purl=f"pkg:github/mbed-tls/mbedtls@v{version}",
        origins=(origin,),
        catalogue_id="mbedtls",
        soup=SoupRecord(register_id="SOUP-003") if soup else None,
        **kw,  # type: ignore[arg-type]
    )


def _codes(inventory: Inventory) -> list[tuple[str, str | None]]:
    return sorted((d.code, d.component) for d in inventory.diagnostics)


def _run(*components: Component, firmware: bool = True, image: bool = False, linked=()):  # type: ignore[no-untyped-def]
    merged = merge(components, (), linked)
    return reconcile(merged, register_read=True, firmware_read=firmware, image_read=image)


def test_register_and_finding_at_the_same_version_merge_silently() -> None:
    found = _mbedtls(
        "2.28.3", Origin("firmware-source", "fw/mbedtls/include/mbedtls/version.h", 40)
    )
    # The register writes the tag form, the header the plain version: one release.
    declared = _mbedtls("v2.28.3", REGISTER, soup=True)
    result = _run(declared, found)
    (component,) = result.components
    assert component.soup is not None
    assert len(component.origins) == 2
    assert _codes(result) == []


def test_version_drift() -> None:
    found = _mbedtls(
        "2.28.5", Origin("firmware-source", "fw/mbedtls/include/mbedtls/version.h", 40)
    )
    declared = _mbedtls("2.28.3", REGISTER, soup=True)
    result = _run(declared, found)
    assert _codes(result) == [("soup-version-drift", declared.bom_ref)]
    (drift,) = result.diagnostics
    assert "lists version 2.28.3, but it was found at 2.28.5" in drift.message
    assert "fw/mbedtls/include/mbedtls/version.h:40" in drift.message


def test_undeclared_and_not_evidenced() -> None:
    cjson = Component(
        name="cJSON",
        version="1.7.15",
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/davegamble/cjson@v1.7.15",
        origins=(Origin("firmware-source", "fw/cJSON/cJSON.h", 81),),
        catalogue_id="cjson",
    )
    declared = _mbedtls("2.28.3", REGISTER, soup=True)
    result = _run(declared, cjson)
    assert _codes(result) == [
        ("soup-not-evidenced", declared.bom_ref),
        ("undeclared-soup", cjson.bom_ref),
    ]
    # Without firmware inputs nothing could have evidenced the entry: not reported.
    assert _codes(_run(declared, cjson, firmware=False)) == [("undeclared-soup", cjson.bom_ref)]


def test_conflicting_evidence() -> None:
    a = _mbedtls("2.28.3", Origin("firmware-source", "fw/a/mbedtls/version.h", 40))
    b = _mbedtls("3.6.0", Origin("firmware-image", "build/app.elf", offset=0x1F2E0))
    result = _run(a, b)
    codes = _codes(result)
    assert ("conflicting-evidence", a.bom_ref) in codes
    assert ("conflicting-evidence", b.bom_ref) in codes
    assert "found at 2 versions" in result.diagnostics[0].message


def test_no_register() -> None:
    found = _mbedtls("2.28.3", Origin("firmware-source", "fw/version.h", 40))
    result = reconcile(
        merge([found], ()), register_read=False, firmware_read=True, image_read=False
    )
    assert [d.code for d in result.diagnostics] == ["no-soup-register"]


def test_presence() -> None:
    in_image = _mbedtls("2.28.3", Origin("firmware-image", "build/app.elf", offset=0x100))
    from_root = Component(
        name="FreeRTOS Kernel",
        version="10.4.3",
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/freertos/freertos-kernel@V10.4.3",
        origins=(
            Origin(
                "firmware-source", "fw/Middlewares/Third_Party/FreeRTOS/Source/include/task.h", 50
            ),
        ),
        catalogue_id="freertos-kernel",
        properties=((COMPONENT_ROOT, "fw/Middlewares/Third_Party/FreeRTOS"),),
    )
    unused = Component(
        name="cJSON",
        version="1.7.15",
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/davegamble/cjson@v1.7.15",
        origins=(Origin("firmware-source", "fw/cJSON/cJSON.h", 81),),
        catalogue_id="cjson",
        properties=((COMPONENT_ROOT, "fw/cJSON"),),
    )
    linked = (
        LinkedFile("build/app.map", "build/Middlewares/Third_Party/FreeRTOS/Source/tasks.o"),
        LinkedFile("build/app.map", "/usr/lib/libz.a", member="inflate.o"),
    )
    result = reconcile(
        merge([in_image, from_root, unused], (), linked),
        register_read=False,
        firmware_read=True,
        image_read=True,
    )
    presence = {c.name: c.presence for c in result.components}
    assert presence == {
        "Mbed TLS": Presence.IN_IMAGE,
        "FreeRTOS Kernel": Presence.IN_IMAGE,
        "cJSON": Presence.SOURCE_ONLY,
    }
    # Without an image or map nothing is said about presence.
    plain = reconcile(
        merge([unused], ()), register_read=False, firmware_read=True, image_read=False
    )
    assert plain.components[0].presence is None


def test_a_versionless_finding_joins_the_only_version_found() -> None:
    from mdrgate.model import Diagnostic

    in_image = _mbedtls("2.28.3", Origin("firmware-image", "build/app.elf", offset=0x100))
    from_map = Component(
        name="Mbed TLS",
        version=None,
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/mbed-tls/mbedtls",
        origins=(Origin("linker-map", "build/app.map", 120, text="libmbedcrypto.a(aes.o)"),),
        catalogue_id="mbedtls",
    )
    note = Diagnostic("no-exact-version", "no version", component=from_map.bom_ref)
    merged = merge([in_image, from_map], [note])
    (component,) = merged.components
    assert component.version == "2.28.3"
    assert {o.collector for o in component.origins} == {"firmware-image", "linker-map"}
    assert merged.diagnostics == ()
    # With two versions found, the versionless finding stays a known unknown.
    other = _mbedtls("3.6.0", Origin("firmware-source", "fw/include/mbedtls/build_info.h", 30))
    assert len(merge([in_image, other, from_map], [note]).components) == 3


def test_a_second_undeclared_version_is_reported_even_when_the_declared_one_is_found() -> None:
    declared = _mbedtls("2.28.3", REGISTER, soup=True)
    same = _mbedtls("2.28.3", Origin("firmware-source", "fw/a/include/mbedtls/version.h", 40))
    other = _mbedtls("3.6.0", Origin("firmware-source", "fw/b/include/mbedtls/build_info.h", 30))
    result = _run(declared, same, other)
    codes = _codes(result)
    assert ("undeclared-soup", other.bom_ref) in codes
    message = next(d.message for d in result.diagnostics if d.code == "undeclared-soup")
    assert "it lists 2.28.3, which was found too" in message


def test_a_declared_range_is_not_folded_into_the_release_found() -> None:
    from mdrgate.model import Diagnostic

    headers = _mbedtls("2.28.3", Origin("firmware-source", "fw/include/mbedtls/version.h", 40))
    manifest = Component(
        name="Mbed TLS",
        version=None,
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/mbed-tls/mbedtls",
        origins=(Origin("build-manifest", "platformio.ini", 12, text="ARMmbed/mbedtls @ ^3.5.0"),),
        catalogue_id="mbedtls",
        version_spec="^3.5.0",
    )
    note = Diagnostic("no-exact-version", "range", component=manifest.bom_ref)
    merged = merge([headers, manifest], [note])
    assert sorted((c.version or "", c.version_spec or "") for c in merged.components) == [
        ("", "^3.5.0"),
        ("2.28.3", ""),
    ]
    assert [d.code for d in merged.diagnostics] == ["no-exact-version"]


def test_same_purl_records_are_one_component_even_if_only_one_is_catalogued() -> None:
    banner = Component(
        name="jQuery",
        version="3.5.1",
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:npm/jquery@3.5.1",
        origins=(Origin("firmware-source", "web/jquery.min.js", 2),),
        catalogue_id="jquery",
    )
    registered = Component(
        name="jQuery",
        version="3.5.1",
        component_class=ComponentClass.FIRMWARE,
        ecosystem="npm",
        purl="pkg:npm/jquery@3.5.1",
        origins=(REGISTER,),
        soup=SoupRecord(register_id="SOUP-020"),
    )
    (component,) = merge([banner, registered], ()).components
    assert component.soup is not None
    assert len(component.origins) == 2


def test_a_versionless_finding_evidences_the_only_declared_version() -> None:
    declared = _mbedtls("2.28.3", REGISTER, soup=True)
    from_map = Component(
        name="Mbed TLS",
        version=None,
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/mbed-tls/mbedtls",
        origins=(Origin("linker-map", "build/app.map", 120, text="libmbedcrypto.a(aes.o)"),),
        catalogue_id="mbedtls",
    )
    result = _run(declared, from_map)
    (component,) = result.components
    assert component.version == "2.28.3"
    assert component.soup is not None
    assert ("mdrgate:version-from", "register") in component.properties
    assert _codes(result) == []


def test_presence_from_an_archive_spelled_in_capitals_with_backslashes() -> None:
    """A map of a Windows build names ``C:\\SDK\\LIB\\LIBZ.A``: that is zlib's ``libz.a``."""
    zlib = Component(
        name="zlib",
        version="1.2.13",
        component_class=ComponentClass.FIRMWARE,
        purl="pkg:github/madler/zlib@v1.2.13",
        origins=(Origin("firmware-source", "fw/zlib/zlib.h", 40),),
        catalogue_id="zlib",
    )
    linked = (LinkedFile("build/app.map", "C:\\SDK\\LIB\\LIBZ.A", member="inflate.obj"),)
    result = reconcile(
        merge([zlib], (), linked), register_read=False, firmware_read=True, image_read=True
    )
    assert [c.presence for c in result.components] == [Presence.IN_IMAGE]
