"""Submodules: .gitmodules plus the gitlink commits of a real index, tags of the clone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdrgate.errors import InputError
from tests.unit.firmware.manifests.conftest import Git, by_name, codes, collect_file, props


def _library(git: Git, root: Path, tag: str | None, *, annotated: bool = True) -> str:
    lib = root / "lib"
    lib.mkdir()
    git(lib, "init", "-q")
    (lib / "lib.c").write_text("int lib(void) { return 1; }\n")
    git(lib, "add", "lib.c")
    git(lib, "commit", "-qm", "first")
    if tag:
        if annotated:
            git(lib, "tag", "-a", tag, "-m", "release")
        else:
            git(lib, "tag", tag)
    git(root, "clone", "-q", "--bare", "lib", "lib.git")
    return git(lib, "rev-parse", "HEAD")


def _superproject(git: Git, root: Path, url: str | None = None) -> Path:
    sup = root / "super"
    sup.mkdir()
    git(sup, "init", "-q")
    git(sup, "submodule", "add", "-q", str(root / "lib.git"), "third_party/lib")
    if url is not None:
        git(sup, "config", "-f", ".gitmodules", "submodule.third_party/lib.url", url)
    git(sup, "add", ".gitmodules")
    git(sup, "commit", "-qm", "add submodule")
    return sup


def test_tagged_submodule_has_the_tag_version(git: Git, tmp_path: Path) -> None:
    commit = _library(git, tmp_path, "v1.7.18")
    sup = _superproject(git, tmp_path, "https://github.com/DaveGamble/cJSON.git")
    result = collect_file(sup / ".gitmodules", "super/.gitmodules")
    (component,) = result.components
    assert component.name == "cJSON"
    assert component.catalogue_id == "cjson"
    assert component.version == "1.7.18"
    assert component.purl == "pkg:github/davegamble/cjson@v1.7.18"
    assert props(component)["mdrgate:vcs:commit"] == commit
    assert props(component)["mdrgate:git:tags"] == "v1.7.18"
    assert props(component)["mdrgate:manifest:version-from"] == "tag"
    origin = component.origins[0]
    assert (origin.collector, origin.path, origin.line) == (
        "build-manifest",
        "super/.gitmodules",
        3,
    )
    assert result.diagnostics == ()
    assert sorted(f.path for f in result.files) == ["super/.git/index", "super/.gitmodules"]


def test_lightweight_tag_and_index_version_4(git: Git, tmp_path: Path) -> None:
    _library(git, tmp_path, "2.0.1", annotated=False)
    sup = _superproject(git, tmp_path)
    git(sup, "update-index", "--index-version", "4")
    assert (sup / ".git" / "index").read_bytes()[4:8] == b"\x00\x00\x00\x04"
    (component,) = collect_file(sup / ".gitmodules").components
    assert (component.name, component.version) == ("lib", "2.0.1")
    assert component.purl == "pkg:generic/lib@2.0.1"


def test_loose_annotated_tag_is_peeled_from_its_object(git: Git, tmp_path: Path) -> None:
    commit = _library(git, tmp_path, None)
    sup = _superproject(git, tmp_path)
    clone = sup / "third_party" / "lib"
    git(clone, "tag", "-a", "v3.0.0", "-m", "release")  # a loose ref to a loose tag object
    tag_object = git(clone, "rev-parse", "v3.0.0")
    assert tag_object != commit
    (component,) = collect_file(sup / ".gitmodules").components
    assert component.version == "3.0.0"


def test_untagged_commit_is_a_known_unknown(git: Git, tmp_path: Path) -> None:
    commit = _library(git, tmp_path, None)
    sup = _superproject(git, tmp_path, "https://github.com/obgm/libcoap.git")
    result = collect_file(sup / ".gitmodules")
    (component,) = result.components
    assert component.version is None
    assert component.version_spec == f"git commit {commit}"
    assert component.purl == f"pkg:github/obgm/libcoap@{commit}"
    (note,) = result.diagnostics
    assert note.code == "no-exact-version"
    assert "which no tag of the clone points at" in note.message
    assert note.component == component.bom_ref


def test_submodule_not_cloned_has_commit_but_no_tags(git: Git, tmp_path: Path) -> None:
    commit = _library(git, tmp_path, "v1.0.0")
    sup = _superproject(git, tmp_path)
    shutil.rmtree(sup / "third_party" / "lib")
    shutil.rmtree(sup / ".git" / "modules")
    result = collect_file(sup / ".gitmodules")
    (component,) = result.components
    assert component.version is None
    assert props(component)["mdrgate:vcs:commit"] == commit
    assert "not cloned here" in result.diagnostics[0].message


def test_checkout_other_than_recorded_commit_is_reported(git: Git, tmp_path: Path) -> None:
    recorded = _library(git, tmp_path, "v1.0.0")
    sup = _superproject(git, tmp_path)
    clone = sup / "third_party" / "lib"
    (clone / "lib.c").write_text("int lib(void) { return 2; }\n")
    git(clone, "commit", "-qam", "local change")
    result = collect_file(sup / ".gitmodules")
    (component,) = result.components
    assert component.version == "1.0.0"  # what the superproject records
    (note,) = [d for d in result.diagnostics if d.code == "submodule-checkout-differs"]
    assert recorded in note.message


def test_relative_urls_resolve_against_origin(git: Git, tmp_path: Path, manifests: Path) -> None:
    tree = tmp_path / "esp-idf"
    tree.mkdir()
    shutil.copy(manifests / "gitmodules" / "esp-idf" / ".gitmodules", tree / ".gitmodules")
    git(tree, "init", "-q")
    git(tree, "remote", "add", "origin", "https://github.com/espressif/esp-idf.git")
    git(tree, "add", ".gitmodules")
    git(tree, "commit", "-qm", "modules")
    result = collect_file(tree / ".gitmodules", "esp-idf/.gitmodules")
    found = by_name(result)
    assert found["cJSON"][0].purl == "pkg:github/davegamble/cjson"
    assert found["cJSON"][0].catalogue_id == "cjson"
    assert found["esptool"][0].purl == "pkg:github/espressif/esptool"
    assert (
        props(found["micro-ecc"][0])["mdrgate:vcs:url"]
        == "https://github.com/kmackay/micro-ecc.git"
    )
    assert len(result.components) == 9
    assert all(c.version is None for c in result.components)
    assert codes(result).count(("submodule-not-in-index", 36)) == 1


def test_without_git_metadata_commits_are_unknown(manifests: Path) -> None:
    result = collect_file(
        manifests / "gitmodules" / "esp-idf" / ".gitmodules", "esp-idf/.gitmodules"
    )
    assert len(result.components) == 9
    assert ("no-git-index", None) in codes(result)
    assert codes(result).count(("unresolved-url", 8)) == 1
    assert by_name(result)["esptool"][0].purl == "pkg:generic/esptool"


def test_damaged_index_is_a_diagnostic(git: Git, tmp_path: Path) -> None:
    _library(git, tmp_path, "v1.0.0")
    sup = _superproject(git, tmp_path)
    index = sup / ".git" / "index"
    index.write_bytes(index.read_bytes()[:40])
    result = collect_file(sup / ".gitmodules")
    assert ("git-index-unreadable", None) in codes(result)
    assert result.components[0].version is None


def test_gitdir_file_of_a_worktree(git: Git, tmp_path: Path) -> None:
    _library(git, tmp_path, "v4.1.0")
    sup = _superproject(git, tmp_path)
    git(sup, "worktree", "add", "-q", str(tmp_path / "wt"))
    assert (tmp_path / "wt" / ".git").is_file()
    git(tmp_path / "wt", "submodule", "update", "--init", "-q")
    (component,) = collect_file(tmp_path / "wt" / ".gitmodules").components
    assert component.version == "4.1.0"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[submodule "a"]\n\tpath = a\n\t= nothing\n', 3),
        ("path = a\n", 1),
        ('[submodule "a"\n', 1),
    ],
)
def test_malformed_gitmodules_is_an_input_error(tmp_path: Path, text: str, line: int) -> None:
    (tmp_path / ".gitmodules").write_text(text)
    with pytest.raises(InputError) as caught:
        collect_file(tmp_path / ".gitmodules")
    assert caught.value.location == str(line)
