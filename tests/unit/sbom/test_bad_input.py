"""Broken, hostile and oversized SBOMs: a clear InputError naming the file and place, never a hang.

Every bad document here is made at test time from a real asset (cut short, nested deeper, given a
DOCTYPE...), so the damage is the only thing that differs from a file a real tool wrote.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from mdrgate.collect import sbom
from mdrgate.collect.sbom.cyclonedx import MAX_XML_DEPTH
from mdrgate.collect.sbom.entries import MAX_NESTING
from mdrgate.errors import ExitCode, InputError
from mdrgate.model import DiagnosticLevel
from tests.unit.sbom.support import CDX, SBOM, SPDX, collect, only

CDX_JSON = CDX / "tools" / "cyclonedx-py-requirements-1.6.cdx.json"
CDX_XML = CDX / "tools" / "cyclonedx-py-requirements-1.4.cdx.xml"
TAG_VALUE = SPDX / "tools" / "syft-busybox.spdx"
OSV_RECORD = SBOM.parent / "report" / "osv" / "PYSEC-2023-74.json"


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.exit_code is ExitCode.INPUT_UNREADABLE
    assert caught.value.source == path.name
    return caught.value


def test_truncated_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cut.cdx.json"
    path.write_bytes(CDX_JSON.read_bytes()[:700])
    error = _error(path)
    assert error.message.startswith("invalid JSON: ")
    assert error.location is not None and int(error.location) > 1


def test_truncated_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.cdx.xml"
    path.write_bytes(CDX_XML.read_bytes()[:500])
    error = _error(path)
    assert error.message == "is not well-formed XML: no element found (column 10)"
    assert error.location == "15"


def _with_doctype(doctype: str, entity: str) -> bytes:
    text = CDX_XML.read_text(encoding="utf-8")
    text = text.replace('<?xml version="1.0" ?>\n', f'<?xml version="1.0" ?>\n{doctype}\n', 1)
    return text.replace("<name>Jinja2</name>", f"<name>{entity}</name>", 1).encode()


BILLION_LAUGHS = """<!DOCTYPE bom [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"""


@pytest.mark.parametrize(
    ("doctype", "entity"),
    [
        (BILLION_LAUGHS, "&lol9;"),
        ('<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
        ('<!DOCTYPE bom SYSTEM "http://example.invalid/bom.dtd">', "Jinja2"),
    ],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_document_type_declarations_are_refused_at_once(
    tmp_path: Path, doctype: str, entity: str
) -> None:
    path = tmp_path / "hostile.cdx.xml"
    path.write_bytes(_with_doctype(doctype, entity))
    started = time.monotonic()
    error = _error(path)
    assert time.monotonic() - started < 1.0
    assert error.message.startswith("contains a document type declaration (<!DOCTYPE ...>)")
    assert error.location == "2"
    assert error.hint == "remove the DOCTYPE (and any entity references) from the file"


def test_nesting_deeper_than_the_cap_is_refused(tmp_path: Path) -> None:
    data = json.loads(CDX_JSON.read_text())
    component = data["components"][0]
    node = component
    for _ in range(MAX_NESTING):
        child = dict(component)
        child.pop("components", None)
        node["components"] = [child]
        node = child
    data["components"] = [component]
    path = tmp_path / "deep.cdx.json"
    path.write_text(json.dumps(data))
    error = _error(path)
    assert error.message.endswith(
        f"/components: components are nested more than {MAX_NESTING} levels deep; mdrgate "
        "refuses deeper nesting (no real SBOM needs it)"
    )
    assert "/.../" in error.message  # the pointer is shortened, not 1000 characters long


def test_nesting_up_to_the_cap_is_read(tmp_path: Path) -> None:
    data = json.loads(CDX_JSON.read_text())
    first = data["components"][0]
    node = first
    for index in range(MAX_NESTING - 1):
        child = {"type": "library", "name": f"level-{index}", "version": "1.0"}
        node["components"] = [child]
        node = child
    data["components"] = [first]
    path = tmp_path / "nested.cdx.json"
    path.write_text(json.dumps(data))
    assert len(collect(path).components) == MAX_NESTING


def test_json_nested_too_deep_for_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "deep.cdx.json"
    path.write_text(
        '{"bomFormat": "CycloneDX", "components": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    assert _error(path).message == "JSON nested too deeply to be read (no SBOM nests this deep)"


def test_xml_nested_too_deep(tmp_path: Path) -> None:
    text = CDX_XML.read_text(encoding="utf-8")
    deep = "<components><component type='library'>" * MAX_XML_DEPTH
    path = tmp_path / "deep.cdx.xml"
    path.write_text(text.replace("<components>", deep + "<components>", 1))
    error = _error(path)
    assert error.message == (
        f"XML elements are nested more than {MAX_XML_DEPTH} levels deep; mdrgate refuses deeper "
        "nesting"
    )


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.cdx.json"
    with path.open("wb") as handle:  # sparse: no gigabyte is written
        handle.truncate(1 << 30)
    error = _error(path)
    assert error.message == "is 1.0 GiB, larger than the 256 MiB mdrgate reads as an SBOM"
    assert sbom.MAX_BYTES == 256 * 1024 * 1024


def test_another_json_document_named_cdx_json(tmp_path: Path) -> None:
    path = tmp_path / "advisory.cdx.json"
    path.write_bytes(OSV_RECORD.read_bytes())
    assert _error(path).message == (
        "is JSON, but neither a CycloneDX BOM (no /bomFormat) nor an SPDX document "
        "(no /spdxVersion); expected a CycloneDX (JSON or XML) or SPDX 2 (JSON or tag-value) SBOM"
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('"bomFormat": "CycloneDX"', '"bomFormat": "SPDX"'), '/bomFormat: expected "CycloneDX"'),
        (
            ('"specVersion": "1.6"', '"specVersion": "1.1"'),
            "/specVersion: '1.1': this CycloneDX specification version is not supported "
            "(supported: 1.2 to 1.7)",
        ),
        (('"components": [', '"components": {"x": ['), None),
    ],
)
def test_wrong_structure_names_the_json_pointer(
    tmp_path: Path, edit: tuple[str, str], message: str | None
) -> None:
    text = CDX_JSON.read_text()
    assert edit[0] in text
    path = tmp_path / "bom.json"
    if message is None:  # make "components" an object
        data = json.loads(text)
        data["components"] = {"first": data["components"][0]}
        path.write_text(json.dumps(data))
        message = "/components: expected a list, found an object"
    else:
        path.write_text(text.replace(edit[0], edit[1], 1))
    assert _error(path).message.startswith(message)


def test_a_component_that_is_not_an_object(tmp_path: Path) -> None:
    data = json.loads(CDX_JSON.read_text())
    data["components"][3] = "requests==2.25.1"
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(data))
    assert _error(path).message == "/components/3: expected a component object, found a string"


def test_xml_of_another_vocabulary(tmp_path: Path) -> None:
    path = tmp_path / "bom.xml"
    text = CDX_XML.read_text().replace("http://cyclonedx.org/schema/bom/1.4", "urn:example:bom")
    path.write_text(text)
    error = _error(path)
    assert error.message == (
        "is not a CycloneDX XML document: the root element is {urn:example:bom}bom, expected "
        "{http://cyclonedx.org/schema/bom/1.x}bom"
    )
    assert error.location == "2"


def test_unsupported_xml_namespace_version(tmp_path: Path) -> None:
    path = tmp_path / "bom.xml"
    path.write_text(CDX_XML.read_text().replace("schema/bom/1.4", "schema/bom/1.1"))
    assert "this CycloneDX specification version is not supported" in _error(path).message


def test_missing_versions_are_known_unknowns(tmp_path: Path) -> None:
    data = json.loads(CDX_JSON.read_text())
    for component in data["components"]:
        if component["name"] == "requests":
            del component["version"]
            component["purl"] = "pkg:pypi/requests"
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(data))
    result = collect(path)
    requests = next(c for c in result.components if c.name == "requests")
    assert (requests.version, requests.purl) == (None, "pkg:pypi/requests")
    (note,) = only(result, "no-exact-version")
    assert note.level is DiagnosticLevel.WARNING
    assert note.component == "pkg:pypi/requests"
    assert note.message == (
        "requests: cannot be assessed: the SBOM states no version (/components/10)"
    )


def test_malformed_fields_are_warnings_and_the_component_stays(tmp_path: Path) -> None:
    data = json.loads(CDX_JSON.read_text())
    requests = next(c for c in data["components"] if c["name"] == "requests")
    requests["hashes"] = [{"alg": "SHA-256", "content": "not hex"}, {"alg": "SHA-256"}]
    requests["cpe"] = "requests 2.25.1"
    requests["licenses"] = "Apache-2.0"
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(data))
    result = collect(path)
    component = next(c for c in result.components if c.name == "requests")
    assert (component.hashes, component.cpes, component.licenses) == ((), (), ())
    assert sorted(d.message for d in only(result, "sbom-invalid-field")) == [
        "/components/10 (requests@2.25.1): 'requests 2.25.1' is not a CPE 2.3 or 2.2 name; ignored",
        "/components/10/hashes/0 (requests@2.25.1): expected a CycloneDX hash algorithm and a "
        "hexadecimal digest, found 'SHA-256:not hex'; the field is ignored",
        "/components/10/hashes/1 (requests@2.25.1): expected an object with 'alg' and "
        "'content', found an object; the field is ignored",
        "/components/10/licenses (requests@2.25.1): expected a list, found 'Apache-2.0'; the "
        "field is ignored",
    ]


def test_an_invalid_purl_is_kept_as_a_property(tmp_path: Path) -> None:
    data = json.loads(CDX_JSON.read_text())
    data["components"][0]["purl"] = "requests@2.25.1"
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(data))
    result = collect(path)
    first = next(c for c in result.components if c.name == "Jinja2")
    assert first.purl is None and first.ecosystem is None
    assert ("mdrgate:sbom:purl", "requests@2.25.1") in first.properties
    (warning,) = only(result, "sbom-invalid-field")
    assert warning.message.startswith(
        "/components/0 (Jinja2@2.11.2): purl 'requests@2.25.1' is not"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty; expected a CycloneDX (JSON or XML) or SPDX 2 (JSON or tag-value) SBOM"),
        (b"\xff\xfe\x00garbage", "is not well-formed XML"),
        (b"\x80\x81 binary", "is not UTF-8 text (invalid byte at offset 0)"),
        (
            b"name,version\nrequests,2.25.1\n",
            "is neither JSON, XML nor SPDX tag-value (no 'SPDXVersion:' line)",
        ),
    ],
)
def test_not_an_sbom_at_all(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(content)
    error = _error(path)
    assert error.message.startswith(message)


def test_tag_value_errors_carry_the_line(tmp_path: Path) -> None:
    lines = TAG_VALUE.read_text().splitlines()
    broken = tmp_path / "broken.spdx"
    broken.write_text("\n".join([*lines[:5], "this line has no tag", *lines[5:]]))
    error = _error(broken)
    assert (error.message, error.location) == (
        "expected 'Tag: value' (SPDX tag-value), found 'this line has no tag'",
        "6",
    )
    unclosed = tmp_path / "unclosed.spdx"
    unclosed.write_text("\n".join([*lines[:5], "DocumentComment: <text>never closed", *lines[5:]]))
    error = _error(unclosed)
    assert (error.message, error.location) == (
        "DocumentComment: a <text> value is not closed by </text> before the end of the file",
        "6",
    )


def test_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    directory = tmp_path / "bom.json"
    directory.mkdir()
    assert _error(directory).message == "is a directory, not a regular file; an SBOM must be a file"
    missing = tmp_path / "gone.cdx.json"
    assert _error(missing).message == "does not exist; an SBOM must be a file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(CDX_JSON.read_bytes())
    path.chmod(0)
    assert _error(path).message.startswith("cannot be read: ")


def test_a_generic_purl_naming_another_version_is_rebuilt(tmp_path: Path) -> None:
    source = CDX / "tools" / "syft-busybox.cdx.json"
    text = source.read_text()
    edited = text.replace(
        '"name":"busybox","version":"1.35.0"', '"name":"busybox","version":"1.36.1"'
    )
    assert edited != text
    path = tmp_path / "syft.cdx.json"
    path.write_text(edited)
    result = collect(path)
    application = next(c for c in result.components if c.purl and "generic" in c.purl)
    assert (application.version, application.purl) == ("1.36.1", "pkg:generic/busybox@1.36.1")
    assert ("mdrgate:sbom:purl", "pkg:generic/busybox@1.35.0") in application.properties
    (warning,) = only(result, "sbom-version-mismatch")
    assert warning.message == (
        "/components/0 (busybox@1.36.1): the version is '1.36.1' but the purl names '1.35.0'; "
        "'1.36.1' is used and the purl is kept as a property"
    )
