"""yarn.lock (Yarn 1.22 and Yarn 4) and pnpm-lock.yaml (pnpm 7, 8, 9) for the project that the
package-lock.json tests read: the same packages, development-only ones told apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.npm.pnpmlock import collect_pnpm_lock
from mdrgate.collect.npm.yarnlock import collect_yarn_lock
from mdrgate.errors import InputError
from mdrgate.model import Component, DiagnosticLevel, Hash, Origin

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "npm"
DEBUG_SHA512 = (
    "6c2ec496b7496899cf6c03fed44a2d62fa99b1bdde725e708ba05f8ba0494d470da30a7a72fb298348d7ce7453"
    "2838e6fc4ec076014155e00f54c35c286b0730"
)
PRODUCTION = (
    "pkg:npm/%40sindresorhus/is@4.6.0",
    "pkg:npm/bcrypt@3.0.0",
    "pkg:npm/chokidar@3.5.3",
    "pkg:npm/debug@2.6.9",
    "pkg:npm/ms@2.0.0",
    "pkg:npm/ms@2.1.3",
    "pkg:npm/react-dom@18.2.0",
    "pkg:npm/scheduler@0.23.2",
    "pkg:npm/strip-ansi@6.0.1",
)
OPTIONAL = ("pkg:npm/fsevents@2.3.3", "pkg:npm/lru-cache@6.0.0", "pkg:npm/yallist@4.0.0")


def yarn(folder: Path, display: str = "yarn.lock", *, include_dev: bool = False) -> Collected:
    spec = InputSpec(InputKind.YARN_LOCK, folder / "yarn.lock", display, include_dev)
    return collect_yarn_lock(spec)


def pnpm(version: str, *, include_dev: bool = False) -> Collected:
    path = ASSETS / f"pnpm-{version}" / "pnpm-lock.yaml"
    return collect_pnpm_lock(InputSpec(InputKind.PNPM_LOCK, path, "pnpm-lock.yaml", include_dev))


def by_purl(result: Collected) -> dict[str, Component]:
    return {c.purl or "": c for c in result.components}


def props(component: Component, name: str) -> list[str]:
    return [v for k, v in component.properties if k == name]


def codes(result: Collected) -> list[str]:
    return [d.code for d in result.diagnostics]


@pytest.mark.parametrize("flavour", ["yarn-v1", "yarn-berry"])
def test_yarn_tells_development_packages_apart_with_package_json(flavour: str) -> None:
    result = yarn(ASSETS / flavour)
    found = by_purl(result)
    for purl in PRODUCTION:
        assert purl in found, purl
        assert props(found[purl], "mdrgate:npm:optional") == [], purl
    for purl in OPTIONAL:
        assert props(found[purl], "mdrgate:npm:optional") == ["true"], purl
    assert "pkg:npm/semver@7.5.4" not in found
    assert codes(result) == ["dev-dependencies-skipped"]
    assert result.diagnostics[0].message.startswith(
        "1 development-only package(s) not inventoried: semver 7.5.4"
    )
    assert [f.path for f in result.files] == [
        "package.json",
        "packages/lib-a/package.json",
        "yarn.lock",
    ]
    # the workspaces are the project's own
    assert not any("lib-a" in p or "pump-console" in p for p in found)
    local = found["pkg:npm/local-lib@2.0.1"]
    assert props(local, "mdrgate:npm:source") == ["file:./vendor/local-lib"]


def test_yarn_classic_details() -> None:
    found = by_purl(yarn(ASSETS / "yarn-v1"))
    assert len(found) == 101
    debug = found["pkg:npm/debug@2.6.9"]
    assert debug.origins == (Origin("yarn-lock", "yarn.lock", 119),)
    assert debug.hashes == (Hash("SHA-512", DEBUG_SHA512),)
    alias = found["pkg:npm/strip-ansi@6.0.1"]
    assert props(alias, "mdrgate:npm:alias") == ["strip-ansi-cjs"]
    assert len(alias.origins) == 2  # listed under the alias and under its own name


def test_yarn_berry_details() -> None:
    found = by_purl(yarn(ASSETS / "yarn-berry"))
    assert len(found) == 121
    debug = found["pkg:npm/debug@2.6.9"]
    assert debug.origins == (Origin("yarn-lock", "yarn.lock", 191),)
    assert debug.hashes == ()  # Yarn's checksum is of its own archive, not of the package
    # the built-in patch entry of fsevents is the same package
    assert found["pkg:npm/fsevents@2.3.3"].origins == (
        Origin("yarn-lock", "yarn.lock", 297),
        Origin("yarn-lock", "yarn.lock", 307),
    )
    semver = by_purl(yarn(ASSETS / "yarn-berry", include_dev=True))["pkg:npm/semver@7.5.4"]
    assert props(semver, "mdrgate:npm:dev") == ["true"]


@pytest.mark.parametrize(("flavour", "count"), [("yarn-v1", 102), ("yarn-berry", 122)])
def test_yarn_without_package_json_keeps_everything_and_says_so(
    tmp_path: Path, flavour: str, count: int
) -> None:
    shutil.copy(ASSETS / flavour / "yarn.lock", tmp_path / "yarn.lock")
    result = yarn(tmp_path)
    assert len(result.components) == count
    (note,) = result.diagnostics
    assert note.code == "dev-dependencies-not-distinguished"
    assert note.level is DiagnosticLevel.INFO
    assert "there is no package.json beside it" in note.message


def test_yarn_stale_lock_is_reported(tmp_path: Path) -> None:
    shutil.copytree(ASSETS / "yarn-v1", tmp_path / "app")
    manifest = tmp_path / "app" / "package.json"
    manifest.write_text(
        manifest.read_text().replace('"ms": "2.1.3"', '"ms": "2.1.3",\n    "left-pad": "1.3.0"')
    )
    result = yarn(tmp_path / "app", "app/yarn.lock")
    (stale,) = [d for d in result.diagnostics if d.code == "lock-out-of-date"]
    assert stale.level is DiagnosticLevel.WARNING
    assert "left-pad@1.3.0 (app/package.json)" in stale.message


def test_yarn_missing_workspace_manifest_is_an_input_error(tmp_path: Path) -> None:
    shutil.copytree(ASSETS / "yarn-berry", tmp_path / "app")
    (tmp_path / "app" / "packages" / "lib-a" / "package.json").unlink()
    with pytest.raises(InputError) as caught:
        yarn(tmp_path / "app")
    assert "the workspace 'packages/lib-a' has no package.json" in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ('# yarn lockfile v1\n\nfoo@^1.0.0:\n  resolved "x"\n', "no 'version'"),
        ('# yarn lockfile v1\n\nfoo@^1.0.0:\n      version "1"\n', "unexpected indentation"),
        ("# yarn lockfile v1\n\nfoo@^1.0.0\n", "expected a package header"),
        ('{"lockfileVersion": 3}', "it has neither header"),
        ("__metadata:\n  version: 99\n", "__metadata.version '99' is not supported"),
        ('__metadata:\n  version: 8\n"a@npm:1":\n  version: [1\n', "invalid YAML"),
        ("__metadata: &m\n  version: 8\nx: *m\n", "YAML aliases are not accepted"),
    ],
)
def test_yarn_bad_input(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "yarn.lock").write_text(text)
    with pytest.raises(InputError) as caught:
        yarn(tmp_path)
    assert caught.value.source == "yarn.lock"
    assert message in caught.value.message


# -- pnpm ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["5.4", "6.0", "9.0"])
def test_pnpm_every_lockfile_version(version: str) -> None:
    result = pnpm(version)
    found = by_purl(result)
    for purl in PRODUCTION:
        assert purl in found, purl
    assert "pkg:npm/semver@7.5.4" not in found
    assert props(found["pkg:npm/fsevents@2.3.3"], "mdrgate:npm:optional") == ["true"]
    assert found["pkg:npm/debug@2.6.9"].hashes == (Hash("SHA-512", DEBUG_SHA512),)
    assert "dev-dependencies-skipped" in codes(result)
    dev = by_purl(pnpm(version, include_dev=True))["pkg:npm/semver@7.5.4"]
    assert props(dev, "mdrgate:npm:dev") == ["true"]


def test_pnpm_5_4_keys_and_peer_suffixes() -> None:
    found = by_purl(pnpm("5.4"))
    assert len(found) == 98
    assert found["pkg:npm/react-dom@18.2.0"].origins == (
        Origin("pnpm-lock", "pnpm-lock.yaml", 502),
    )
    assert found["pkg:npm/local-lib@2.0.1"].properties == (
        ("mdrgate:npm:source", "file:vendor/local-lib"),
    )


def test_pnpm_6_0_flags_and_bundled_gap() -> None:
    result = pnpm("6.0")
    found = by_purl(result)
    assert len(found) == 32
    assert found["pkg:npm/react-dom@18.2.0"].origins == (
        Origin("pnpm-lock", "pnpm-lock.yaml", 211),
    )
    # no dev flag: needed by both a development and a production path
    assert props(found["pkg:npm/lru-cache@6.0.0"], "mdrgate:npm:optional") == []
    (gap,) = [d for d in result.diagnostics if d.code == "bundled-dependencies-not-listed"]
    assert gap.level is DiagnosticLevel.WARNING
    assert gap.line == 73
    assert gap.message.startswith("bcrypt 3.0.0 bundles node-pre-gyp in its tarball")


def test_pnpm_9_0_graph_from_importers() -> None:
    result = pnpm("9.0")
    found = by_purl(result)
    assert len(found) == 32
    assert props(found["pkg:npm/lru-cache@6.0.0"], "mdrgate:npm:optional") == ["true"]
    assert props(found["pkg:npm/yallist@4.0.0"], "mdrgate:npm:optional") == ["true"]
    assert found["pkg:npm/react-dom@18.2.0"].origins == (
        Origin("pnpm-lock", "pnpm-lock.yaml", 157),
    )
    local = found["pkg:npm/local-lib"]  # lockfile 9 records no version for a directory
    assert local.version is None
    assert "no-exact-version" in codes(result)
    assert "lock-entries-unreached" not in codes(result)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("importers: {}\n", "there is no 'lockfileVersion'"),
        ("lockfileVersion: '7.0'\n", "lockfileVersion '7.0' is not supported"),
        ("lockfileVersion: '9.0'\npackages: [1]\n", "packages: expected a mapping"),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n", "no 'resolution' mapping"),
        (
            "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0:\n    resolution: {integrity: md5-x}\n"
            "  /b@1.0.0:\n    resolution: {integrity: sha256-x}\n",
            "resolution.integrity",
        ),
    ],
)
def test_pnpm_bad_input(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        collect_pnpm_lock(InputSpec(InputKind.PNPM_LOCK, path, "pnpm-lock.yaml"))
    assert caught.value.source == "pnpm-lock.yaml"
    assert message in caught.value.message


def test_pnpm_git_resolution_keeps_the_commit(tmp_path: Path) -> None:
    commit = "a" * 40
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text(
        "lockfileVersion: '6.0'\n"
        "packages:\n"
        f"  github.com/owner/tool/{commit}:\n"
        f"    resolution: {{commit: {commit}, repo: https://github.com/owner/tool.git,\n"
        "      type: git}\n"
        "    name: tool\n"
        "    version: 1.2.0\n"
        "    dev: false\n"
    )
    (tool,) = collect_pnpm_lock(InputSpec(InputKind.PNPM_LOCK, path, "pnpm-lock.yaml")).components
    assert tool.purl == "pkg:npm/tool@1.2.0"
    assert tool.properties == (
        ("mdrgate:npm:source", "git+https://github.com/owner/tool.git"),
        ("mdrgate:vcs:commit", commit),
    )


def test_pnpm_9_local_folder_version_from_its_package_json(tmp_path: Path) -> None:
    shutil.copytree(ASSETS / "pnpm-9.0", tmp_path / "web")
    shutil.copytree(ASSETS / "project" / "vendor", tmp_path / "web" / "vendor")
    path = tmp_path / "web" / "pnpm-lock.yaml"
    result = collect_pnpm_lock(InputSpec(InputKind.PNPM_LOCK, path, "web/pnpm-lock.yaml"))
    local = by_purl(result)["pkg:npm/local-lib@2.0.1"]
    assert local.properties == (
        ("mdrgate:npm:source", "file:vendor/local-lib"),
        ("mdrgate:npm:version-from", "web/vendor/local-lib/package.json"),
    )
    assert "no-exact-version" not in codes(result)
    assert [f.path for f in result.files] == [
        "web/pnpm-lock.yaml",
        "web/vendor/local-lib/package.json",
    ]
