"""Cargo.lock versions 1 to 3 from the cargo-lock crate's test files (RustSec), version 4 written
by Cargo 1.95 for a workspace with a git dependency and a path member."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.rust.cargolock import collect_cargo_lock
from mdrgate.errors import InputError
from mdrgate.model import Component, DiagnosticLevel, Hash, Origin

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "rust"


def cargo(version: str) -> Collected:
    path = ASSETS / version / "Cargo.lock"
    return collect_cargo_lock(InputSpec(InputKind.CARGO_LOCK, path, "Cargo.lock"))


def by_purl(result: Collected) -> dict[str, Component]:
    return {c.purl or "": c for c in result.components}


def test_v1_checksums_come_from_metadata() -> None:
    result = cargo("v1")
    found = by_purl(result)
    assert len(found) == 136
    adler = found["pkg:cargo/adler32@1.0.4"]
    assert adler.ecosystem == "crates.io"
    assert adler.origins == (Origin("cargo-lock", "Cargo.lock", 4),)
    assert adler.hashes == (
        Hash("SHA-256", "5d2e7343e7fc9de883d1b0341e0b13970f764c14101234857d2ddafa1cb1cac2"),
    )
    local, undistinguished = sorted(result.diagnostics, key=lambda d: d.code, reverse=True)
    assert local.code == "local-packages-not-inventoried"
    assert local.level is DiagnosticLevel.INFO
    assert "cargo 0.40.0, cargo-platform 0.1.0" in local.message
    assert undistinguished.code == "dev-dependencies-not-distinguished"
    assert "all 136 locked third-party crates" in undistinguished.message


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_v2_and_v3_inline_checksums(version: str) -> None:
    found = by_purl(cargo(version))
    assert len(found) == 24
    autocfg = found["pkg:cargo/autocfg@1.1.0"]
    assert autocfg.hashes == (
        Hash("SHA-256", "d468802bab17cbc0cc575e9b053f41e72aa36bfa6b7f55e3529ffa43161b97fa"),
    )
    assert "pkg:cargo/cargo-lock@7.0.1" not in found  # the workspace's own package


def test_v4_git_source_keeps_its_commit() -> None:
    result = cargo("v4-git-path")
    commit = "50c600a4cce95c2f172ba7d60a93f443553dfa9f"
    assert [c.purl for c in result.components] == [
        "pkg:cargo/itoa@1.0.1",
        "pkg:cargo/memchr@2.5.0",
        "pkg:cargo/pump-ringbuf@0.3.0?vcs_url=git%2Bfile:///tmp/cargogen/ringbuf-git%40" + commit,
    ]
    ringbuf = result.components[2]
    assert ringbuf.version == "0.3.0"
    assert ringbuf.hashes == ()
    assert ringbuf.properties == (
        ("mdrgate:cargo:source", "git+file:///tmp/cargogen/ringbuf-git?branch=master"),
        ("mdrgate:vcs:commit", commit),
    )
    assert ringbuf.origins == (Origin("cargo-lock", "Cargo.lock", 34),)
    (local,) = [d for d in result.diagnostics if d.code == "local-packages-not-inventoried"]
    assert "pump-fw 0.1.0, pump-hal 0.2.0" in local.message


def test_other_registry_is_named(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text(
        'version = 3\n\n[[package]]\nname = "serde"\nversion = "1.0.0"\n'
        'source = "sparse+https://user:pw@crates.example.com/index/"\n'
    )
    (serde,) = collect_cargo_lock(
        InputSpec(InputKind.CARGO_LOCK, tmp_path / "Cargo.lock", "Cargo.lock")
    ).components
    assert serde.purl == ("pkg:cargo/serde@1.0.0?repository_url=https://crates.example.com/index/")
    assert serde.properties == (
        ("mdrgate:cargo:registry", "sparse+https://crates.example.com/index/"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("version = 5\n", "version 5 is not supported"),
        ("[[package]]\nname = 'a'\n", "has no 'version'"),
        ("[[package]]\nname = 'a'\nversion = '1.0.0'\nsource = 3\n", "'source' must be"),
        (
            "[[package]]\nname = 'a'\nversion = '1.0.0'\n"
            "source = 'registry+https://github.com/rust-lang/crates.io-index'\nchecksum = 'x'\n",
            "must be 64 hex digits",
        ),
        ("[[package]\n", "invalid TOML"),
        ('{"lockfileVersion": 3}', "expected a Cargo.lock"),
        (
            "[[package]]\nname = 'a'\nversion = '1.0'\n\n[metadata]\nlock-version = '2.0'\n",
            "but this looks like a poetry.lock",
        ),
    ],
)
def test_bad_cargo_lock(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "Cargo.lock").write_text(text)
    with pytest.raises(InputError) as caught:
        collect_cargo_lock(InputSpec(InputKind.CARGO_LOCK, tmp_path / "Cargo.lock", "Cargo.lock"))
    assert caught.value.source == "Cargo.lock"
    assert message in caught.value.message
