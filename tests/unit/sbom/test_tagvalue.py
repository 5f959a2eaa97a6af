"""The SPDX tag-value reader on the specification's example and on what tools really write."""

from __future__ import annotations

import pytest

from mdrgate.collect.sbom.tagvalue import to_document, tokenize
from mdrgate.errors import InputError
from tests.unit.sbom.support import SPDX

EXAMPLE = (SPDX / "spec" / "SPDXTagExample-v2.3.spdx").read_text(encoding="utf-8")


def test_multi_line_text_values_are_joined_and_comments_skipped() -> None:
    lines = tokenize(EXAMPLE, "example.spdx")
    comment = next(item for item in lines if item.tag == "CreatorComment")
    assert comment.value == (
        "This package has been shipped in source and binary form.\n"
        "The binaries were created with gcc 4.5.1 and expect to link to\n"
        "compatible system run time libraries."
    )
    assert comment.line == 15
    assert not any(item.tag.startswith("#") for item in lines)
    after = next(item for item in lines if item.tag == "LicenseListVersion")
    assert (after.value, after.line) == ("3.17", 18)


def test_document_shape_of_the_example() -> None:
    doc = to_document(EXAMPLE, "example.spdx")
    assert doc.data["spdxVersion"] == "SPDX-2.3"
    assert doc.data["SPDXID"] == "SPDXRef-DOCUMENT"
    assert doc.data["name"] == "SPDX-Tools-v2.0"
    assert doc.data["creationInfo"]["creators"] == [
        "Tool: LicenseFind-1.0",
        "Organization: ExampleCodeInspect ()",
        "Person: Jane Doe ()",
    ]
    assert [p["name"] for p in doc.data["packages"]] == [
        "glibc",
        "Apache Commons Lang",
        "Jena",
        "Saxon",
    ]
    glibc = doc.data["packages"][0]
    assert glibc["checksums"][3] == {
        "algorithm": "BLAKE2b-384",
        "checksumValue": "aaabd89c926ab525c242e6621f2f5fa73aa4afe3d9e24aed727faaadd6af38b620bdb6"
        "23dd2b4788b1c8086984af8706",
    }
    assert glibc["externalRefs"][0] == {
        "referenceCategory": "SECURITY",
        "referenceType": "cpe23Type",
        "referenceLocator": "cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*",
    }
    assert glibc["supplier"] == "Person: Jane Doe (jane.doe@example.com)"
    assert doc.package_lines == {0: 71, 1: 170, 2: 180, 3: 189}
    assert len(doc.data["relationships"]) == 10
    assert doc.data["relationships"][2] == {
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-File",
    }
    # an annotation's SPDXREF and a file's SPDXID do not leak into the packages
    assert [p["SPDXID"] for p in doc.data["packages"]] == [
        "SPDXRef-Package",
        "SPDXRef-fromDoap-1",
        "SPDXRef-fromDoap-0",
        "SPDXRef-Saxon",
    ]
    assert doc.problems == []


def test_out_of_place_and_malformed_tags_are_problems_not_errors() -> None:
    text = "\n".join(
        [
            "SPDXVersion: SPDX-2.3",
            "FileName: ./a.c",
            "PackageVersion: 1.0",
            "PackageName: x",
            "Relationship: only-two parts",
            "PackageChecksum: no-colon-here",
            "ExternalRef: SECURITY cpe23Type",
        ]
    )
    doc = to_document(text, "t.spdx")
    assert doc.problems == [
        (3, "PackageVersion outside a package (after another element); ignored"),
        (5, "Relationship: expected 'A TYPE B', found 'only-two parts'"),
        (6, "PackageChecksum: expected 'ALGORITHM: digest', found 'no-colon-here'"),
        (7, "ExternalRef: expected 'CATEGORY TYPE LOCATOR', found 'SECURITY cpe23Type'"),
    ]


def test_single_line_text_and_a_tag_right_after_text() -> None:
    items = tokenize("A: <text>one</text>\nB: <text>two\nlines</text>\nC: three", "t.spdx")
    assert [(i.tag, i.value, i.line) for i in items] == [
        ("A", "one", 1),
        ("B", "two\nlines", 2),
        ("C", "three", 4),
    ]


def test_a_line_without_a_tag_is_an_error_with_its_line() -> None:
    with pytest.raises(InputError) as caught:
        tokenize("SPDXVersion: SPDX-2.3\n\n# comment\n: no tag", "t.spdx")
    assert (caught.value.location, caught.value.message) == (
        "4",
        "expected 'Tag: value' (SPDX tag-value), found ': no tag'",
    )
