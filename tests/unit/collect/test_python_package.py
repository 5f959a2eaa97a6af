"""The shared PyPI component rules: hashes, purls, one input's duplicates."""

from __future__ import annotations

import pytest

from mdrgate.collect.python.package import (
    PackageSet,
    parse_hash,
    redact_url,
    strong_hashes,
)
from mdrgate.model import Hash

SHA256 = "c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"sha256:{SHA256}", Hash("SHA-256", SHA256)),
        (f"SHA256:{SHA256.upper()}", Hash("SHA-256", SHA256)),
        (f"sha256={SHA256}", Hash("SHA-256", SHA256)),
        ("sha384:" + "a" * 96, Hash("SHA-384", "a" * 96)),
        ("sha512:" + "b" * 128, Hash("SHA-512", "b" * 128)),
        ("md5:" + "c" * 32, Hash("MD5", "c" * 32)),
        ("sha1:" + "d" * 40, None),
        ("blake2b:" + "e" * 128, None),
    ],
)
def test_parse_hash(text: str, expected: Hash | None) -> None:
    assert parse_hash(text) == expected


@pytest.mark.parametrize("text", ["sha256", "sha256:", ":abc", "sha256:xyz", "md5:" + "a" * 31])
def test_parse_hash_rejects_malformed(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hash(text)


def test_md5_only_when_nothing_stronger() -> None:
    md5 = Hash("MD5", "c" * 32)
    sha = Hash("SHA-256", SHA256)
    assert strong_hashes([md5, sha, sha]) == (sha,)
    assert strong_hashes([md5]) == (md5,)


def test_package_set_purls_use_pep503_names_and_keep_the_declared_name() -> None:
    found = PackageSet("requirements")
    ref = found.add("Zope.Interface", "6.1", path="r.txt", line=3)
    assert ref == "pkg:pypi/zope-interface@6.1"
    found.add("zope_interface", "6.1", path="r.txt", line=9)
    (component,) = found.components()
    assert component.name == "Zope.Interface"
    assert component.purl == "pkg:pypi/zope-interface@6.1"
    assert [o.line for o in component.origins] == [3, 9]


def test_unpinned_declarations_each_get_a_diagnostic() -> None:
    found = PackageSet("requirements")
    found.add("idna", None, path="a.txt", line=1, version_spec=">=3")
    found.add("IDNA", None, path="b.txt", line=4)
    (component,) = found.components()
    assert component.purl == "pkg:pypi/idna"
    assert component.bom_ref == "pkg:pypi/idna"
    assert component.version_spec == ">=3"
    notes = found.diagnostics()
    assert [(d.path, d.line, d.message) for d in notes] == [
        ("a.txt", 1, "idna: cannot be assessed: no exact version (declared >=3)"),
        ("b.txt", 4, "idna: cannot be assessed: no exact version (no version declared)"),
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:pw@host/simple", "https://host/simple"),
        ("https://token@host/simple", "https://host/simple"),
        ("git+https://u:p@host/r.git@v1#egg=r", "git+https://host/r.git@v1#egg=r"),
        ("git+ssh://git@host/r.git", "git+ssh://host/r.git"),
        ("https://host/simple", "https://host/simple"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected
