"""npm and Cargo lock files through the whole gate, against real OSV records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdrgate.cli import main

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "tests" / "assets"
EXPORTS = (
    ASSETS / "osv_accuracy" / "crates.io.zip",
    ASSETS / "osv_accuracy" / "osv-ghsa" / "npm" / "sample.zip",
)
EPOCH = "1795867200"


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # The committed excerpts are fixed snapshots, years old at EPOCH: the data-age check has
    # its own tests (test_data_age_cli.py).
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "off")
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "vulndb.sqlite3"
    assert main(["db", "import", "-q", "--db", str(path), *map(str, EXPORTS)]) == 0
    return path


def findings(out: Path) -> list[tuple[str, str]]:
    decision = json.loads((out / "decision.json").read_text(encoding="utf-8"))
    return sorted((f["component"]["ref"], f["advisory"]["id"]) for f in decision["findings"])


@pytest.mark.parametrize(
    ("lock", "code", "expected"),
    [
        # semver 5.5.0 ships inside bcrypt 3.0.0's tarball; the project's own semver 7.5.4 is a
        # development dependency, and fixed anyway
        ("npm/npm-v3", 0, [("pkg:npm/semver@5.5.0", "GHSA-c2qf-rxjj-qqgw")]),
        # npm 6 did not record the local folder dependency's version (and the folder is not
        # beside this copy): a component that cannot be assessed fails the default policy
        ("npm/npm-v1", 1, [("pkg:npm/semver@5.5.0", "GHSA-c2qf-rxjj-qqgw")]),
        # Yarn resolved bcrypt's semver range to 5.7.2, the fixed release
        ("npm/yarn-v1", 0, []),
        # cargo 0.40 locked time 0.1.42; smallvec 0.6.10 and openssl 0.10.24 are past their fixes
        ("rust/v1", 0, [("pkg:cargo/time@0.1.42", "RUSTSEC-2020-0071")]),
    ],
)
def test_lock_file_findings(
    db: Path, lock: str, code: int, expected: list[tuple[str, str]]
) -> None:
    out = db.parent / "evidence"
    # the default policy fails on CVSS >= 7.0; these advisories are medium
    assert main(["check", "-q", str(ASSETS / lock), "--db", str(db), "--out", str(out)]) == code
    assert findings(out) == expected
