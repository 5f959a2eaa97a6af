"""Revisions, repository URLs and download URLs as the manifests write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.collect.firmware.manifests.vcs import (
    RefKind,
    analyse_download,
    classify_ref,
    parse_repository,
    redact,
    resolve_relative,
)


@pytest.mark.parametrize(
    ("ref", "repo", "kind", "version"),
    [
        ("v3.5.0", "zephyr", RefKind.TAG, "3.5.0"),
        ("V10.6.2", "FreeRTOS-Kernel", RefKind.TAG, "10.6.2"),
        ("2.11.1", "Anjay-zephyr", RefKind.TAG, "2.11.1"),
        ("nanopb-0.4.9.1", "nanopb", RefKind.TAG, "0.4.9.1"),
        ("curl-8_4_0", "curl", RefKind.TAG, "8.4.0"),
        ("mbedtls-2.16.2", "mbedtls", RefKind.TAG, "2.16.2"),
        ("R0.15", "fatfs", RefKind.TAG, "0.15"),
        ("v2.0", "PJON", RefKind.TAG, "2.0"),
        ("1.0.0-rc1", "x", RefKind.TAG, "1.0.0-rc1"),
        ("main", "zephyr", RefKind.BRANCH, None),
        ("v3.5-branch", "zephyr", RefKind.BRANCH, None),
        ("pull/104/head", "zephyr-xenlib", RefKind.BRANCH, None),
        ("verify-ip-sans-v2.23.0", "mbedtls", RefKind.BRANCH, None),
        ("6.x", "ArduinoJson", RefKind.BRANCH, None),
        ("input-policy", "device-ui", RefKind.BRANCH, None),
        ("e483a77c85e1f9c1dd2eb1c5a8f552d2617fe400", "mbedtls", RefKind.COMMIT, None),
        ("3b79f38", "SdFat", RefKind.COMMIT, None),
        ("1234567", "x", RefKind.BRANCH, None),
    ],
)
def test_classify_ref(ref: str, repo: str, kind: RefKind, version: str | None) -> None:
    found = classify_ref(ref, repo)
    assert (found.kind, found.version) == (kind, version)


@given(st.text(max_size=60))
def test_classify_ref_never_fails_and_commits_have_no_version(text: str) -> None:
    ref = classify_ref(text, "repo")
    if ref.kind is not RefKind.TAG:
        assert ref.version is None
    else:
        assert ref.version and ref.version[0].isdigit()


@pytest.mark.parametrize(
    ("url", "purl"),
    [
        ("https://github.com/Mbed-TLS/mbedtls.git", "pkg:github/mbed-tls/mbedtls"),
        ("git@github.com:DaveGamble/cJSON.git", "pkg:github/davegamble/cjson"),
        ("git+https://github.com/gioblu/PJON.git", "pkg:github/gioblu/pjon"),
        (
            "https://gitlab.com/owner/group/repo.git",
            "pkg:generic/gitlab.com/owner/group/repo?vcs_url=git%2Bhttps://gitlab.com/owner/group/repo.git",
        ),
    ],
)
def test_repository_purls(url: str, purl: str) -> None:
    repository = parse_repository(url)
    assert repository is not None
    assert repository.purl().to_string() == purl


def test_credentials_are_removed() -> None:
    assert redact("https://git:token@git.example.org/c.git") == "https://git.example.org/c.git"
    repository = parse_repository("https://user:secret@gitlab.com/a/b.git")
    assert repository is not None and "secret" not in repository.purl().to_string()


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (
            "../../DaveGamble/cJSON.git",
            "https://github.com/espressif/esp-idf.git",
            "https://github.com/DaveGamble/cJSON.git",
        ),
        ("../lib.git", "git@github.com:org/super.git", "git@github.com:org/lib.git"),
        ("../../../x.git", "https://github.com/a/b", None),
    ],
)
def test_relative_submodule_urls(url: str, base: str, expected: str | None) -> None:
    assert resolve_relative(url, base) == expected


@pytest.mark.parametrize(
    ("url", "purl", "version", "ref"),
    [
        # the URLs of meshtastic/firmware's platformio.ini (commit 000120fd)
        (
            "https://github.com/nanopb/nanopb/archive/refs/tags/nanopb-0.4.9.1.zip",
            "pkg:github/nanopb/nanopb",
            "0.4.9.1",
            "nanopb-0.4.9.1",
        ),
        (
            "https://github.com/meshtastic/OneButton/archive/fa352d668c53f290cfa480a5f79ad422cd828c70.zip",
            "pkg:github/meshtastic/onebutton",
            None,
            "fa352d668c53f290cfa480a5f79ad422cd828c70",
        ),
        (
            "https://github.com/adafruit/Adafruit_NeoPixel/archive/1.15.5.zip",
            "pkg:github/adafruit/adafruit_neopixel",
            "1.15.5",
            "1.15.5",
        ),
        (
            "https://github.com/ARMmbed/mbedtls/archive/mbedtls-2.16.2.tar.gz",
            "pkg:github/armmbed/mbedtls",
            "2.16.2",
            "mbedtls-2.16.2",
        ),
    ],
)
def test_github_archives(url: str, purl: str, version: str | None, ref: str) -> None:
    download = analyse_download(url)
    assert download is not None and download.ref is not None
    assert (download.purl.to_string(), download.version, download.ref.text) == (purl, version, ref)


def test_plain_download_version_from_file_name() -> None:
    download = analyse_download("https://zlib.net/fossils/zlib-1.3.1.tar.gz")
    assert download is not None
    assert (download.name, download.version, download.version_from) == (
        "zlib",
        "1.3.1",
        "file-name",
    )
    nothing = analyse_download("https://example.org/downloads/latest.tar.gz")
    assert nothing is not None and nothing.version is None
