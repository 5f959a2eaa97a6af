"""go.mod and go.sum as Debian's Go library packages ship them (grpc-go's examples, Prometheus
client_golang, containerd, cobra)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.golang.gomod import collect_go_mod, collect_go_sum, module_purl, parse_go_mod
from mdrgate.errors import InputError
from mdrgate.model import Component, DiagnosticLevel, Origin

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "golang"


def go_mod(folder: Path, display: str = "go.mod") -> Collected:
    return collect_go_mod(InputSpec(InputKind.GO_MOD, folder / "go.mod", display))


def by_purl(result: Collected) -> dict[str, Component]:
    return {c.purl or "": c for c in result.components}


def codes(result: Collected) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_purls_follow_the_purl_specification() -> None:
    assert (
        module_purl("github.com/gorilla/mux", "v1.8.0")
        == "pkg:golang/github.com/gorilla/mux@v1.8.0"
    )
    assert (
        module_purl("github.com/cpuguy83/go-md2man/v2", "v2.0.2")
        == "pkg:golang/github.com/cpuguy83/go-md2man/v2@v2.0.2"
    )
    assert (
        module_purl("github.com/tchap/go-patricia", "v2.2.6+incompatible")
        == "pkg:golang/github.com/tchap/go-patricia@v2.2.6%2Bincompatible"
    )


def test_direct_and_indirect_requirements_with_go_sum_cross_check() -> None:
    result = go_mod(ASSETS / "prometheus-client-golang")
    found = by_purl(result)
    assert len(found) == 20
    perks = found["pkg:golang/github.com/beorn7/perks@v1.0.1"]
    assert perks.name == "github.com/beorn7/perks"
    assert perks.version == "v1.0.1"
    assert perks.ecosystem == "Go"
    assert perks.origins == (Origin("go-mod", "go.mod", 6),)
    assert perks.properties == ()
    backoff = found["pkg:golang/github.com/jpillora/backoff@v1.0.0"]
    assert backoff.properties == (("mdrgate:go:indirect", "true"),)
    assert "pkg:golang/golang.org/x/sys@v0.0.0-20220520151302-bc2c85ada10a" in found
    # the module itself is the product; the excluded version is not a component
    assert not any("prometheus/client_golang" in p for p in found)
    assert codes(result) == ["go-stdlib-not-inventoried"]
    assert "go1.17 or newer" in result.diagnostics[0].message
    assert [f.path for f in result.files] == ["go.mod", "go.sum"]


def test_replace_with_a_module_and_incompatible_versions() -> None:
    found = by_purl(go_mod(ASSETS / "containerd"))
    assert len(found) == 124
    googleapis = found["pkg:golang/github.com/gogo/googleapis@v1.3.2"]
    assert googleapis.origins == (Origin("go-mod", "go.mod", 31),)
    assert googleapis.properties == (("mdrgate:go:replaces", "github.com/gogo/googleapis v1.4.0"),)
    assert "pkg:golang/github.com/gogo/googleapis@v1.4.0" not in found
    genproto = found["pkg:golang/google.golang.org/genproto@v0.0.0-20200224152610-e50cd9704f63"]
    assert dict(genproto.properties)["mdrgate:go:indirect"] == "true"
    patricia = found["pkg:golang/github.com/tchap/go-patricia@v2.2.6%2Bincompatible"]
    assert patricia.version == "v2.2.6+incompatible"


def test_replace_with_a_local_directory_is_a_known_unknown() -> None:
    result = go_mod(ASSETS / "grpc-examples")
    grpc = by_purl(result)["pkg:golang/google.golang.org/grpc"]
    assert grpc.version is None
    assert grpc.version_spec == "v1.31.0, replaced by the directory ../"
    assert grpc.properties == (("mdrgate:go:replaced-by", "../"),)
    (unknown,) = [d for d in result.diagnostics if d.code == "no-exact-version"]
    assert unknown.level is DiagnosticLevel.WARNING
    assert unknown.line == 10
    assert "local directory ../ (line 14)" in unknown.message


def test_go_sum_missing_a_requirement_is_reported(tmp_path: Path) -> None:
    shutil.copytree(ASSETS / "grpc-examples", tmp_path / "m")
    go_sum = tmp_path / "m" / "go.sum"
    kept = [ln for ln in go_sum.read_text().splitlines() if "golang/protobuf v1.4.2 " not in ln]
    go_sum.write_text("\n".join(kept) + "\n")
    # the source checksum is gone but the go.mod one remains: Go accepts that for a module
    # whose packages the build does not need, so it is not reported
    assert "go-sum-missing" not in codes(go_mod(tmp_path / "m", "m/go.mod"))
    go_sum.write_text("\n".join(ln for ln in kept if "golang/protobuf v1.4.2" not in ln) + "\n")
    result = go_mod(tmp_path / "m", "m/go.mod")
    (missing,) = [d for d in result.diagnostics if d.code == "go-sum-missing"]
    assert missing.path == "m/go.sum"
    assert missing.level is DiagnosticLevel.WARNING
    assert "1 module version(s)" in missing.message
    assert "github.com/golang/protobuf v1.4.2" in missing.message


def test_go_sum_alone_inventories_modules_with_source_checksums() -> None:
    spec = InputSpec(InputKind.GO_SUM, ASSETS / "gosum-only" / "go.sum", "go.sum")
    result = collect_go_sum(spec)
    assert [c.purl for c in result.components] == [
        "pkg:golang/github.com/cpuguy83/go-md2man/v2@v2.0.2",
        "pkg:golang/github.com/inconshreveable/mousetrap@v1.0.1",
        "pkg:golang/github.com/russross/blackfriday/v2@v2.1.0",
        "pkg:golang/github.com/spf13/pflag@v1.0.5",
        "pkg:golang/gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405",
        "pkg:golang/gopkg.in/yaml.v3@v3.0.1",
    ]
    assert result.components[0].origins == (Origin("go-sum", "go.sum", 1),)
    assert codes(result) == ["go-sum-without-go-mod"]


def test_go_sum_beside_a_go_mod_is_read_through_the_go_mod() -> None:
    folder = ASSETS / "prometheus-client-golang"
    via_sum = collect_go_sum(InputSpec(InputKind.GO_SUM, folder / "go.sum", "go.sum"))
    assert via_sum == go_mod(folder)


def test_directives_blocks_comments_and_quotes() -> None:
    mod = parse_go_mod(
        'module "example.com/m" // the product\n'
        "go 1.22.1\n"
        "toolchain go1.22.3\n"
        "require (\n"
        "\texample.com/a v1.0.0 // indirect; pulled in by b\n"
        "\t`example.com/b` v0.1.0-rc.1\n"
        ")\n"
        "exclude example.com/a v0.9.0\n"
        "retract [v1.0.0, v1.0.5] // published by mistake\n"
        "replace example.com/b v0.1.0-rc.1 => example.com/c v0.2.0\n",
        "go.mod",
    )
    assert (mod.module, mod.go, mod.toolchain) == ("example.com/m", "1.22.1", "go1.22.3")
    assert [(r.path, r.version, r.indirect, r.line) for r in mod.requires] == [
        ("example.com/a", "v1.0.0", True, 5),
        ("example.com/b", "v0.1.0-rc.1", False, 6),
    ]
    assert mod.excludes == {("example.com/a", "v0.9.0"): 8}
    assert [(r.old, r.new, r.new_version, r.line) for r in mod.replaces] == [
        ("example.com/b", "example.com/c", "v0.2.0", 10)
    ]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("module m\nrequire (\n\tx.org/a v1.0.0\n", "block is never closed", "2"),
        ("module m\nrequire x.org/a 1.0.0\n", "'1.0.0' is not a Go module version", "2"),
        ("module m\nrequire x.org/a\n", "expected 'module/path version'", "2"),
        ("module m\nreplace x.org/a => x.org/b\n", "must be a directory", "2"),
        ("module m\nreplace x.org/a x.org/b\n", "expected 'old [version] => new", "2"),
        ('module "m\n', "unterminated quoted text", "1"),
        ("// nothing\n", "there is no 'module' directive", None),
    ],
)
def test_bad_go_mod(tmp_path: Path, text: str, message: str, line: str | None) -> None:
    (tmp_path / "go.mod").write_text(text)
    with pytest.raises(InputError) as caught:
        go_mod(tmp_path)
    assert message in caught.value.message
    assert caught.value.location == line
    assert caught.value.source == "go.mod"


def test_bad_go_sum_line(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module m\n")
    (tmp_path / "go.sum").write_text("x.org/a v1.0.0 h1:abc=\nx.org/b v1.0.0\n")
    with pytest.raises(InputError) as caught:
        go_mod(tmp_path)
    assert caught.value.source == "go.sum"
    assert caught.value.location == "2"
