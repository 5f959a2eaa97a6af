"""The lock files are found in a tree, named in a configuration, collected into one inventory."""

from __future__ import annotations

import shutil
from pathlib import Path

from mdrgate.collect import collect_inputs
from mdrgate.collect.base import InputKind
from mdrgate.collect.discovery import discover_inputs
from mdrgate.config import load_config

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def tree(tmp_path: Path) -> Path:
    root = tmp_path / "device"
    shutil.copytree(ASSETS / "npm" / "npm-v3", root / "console")
    shutil.copytree(ASSETS / "npm" / "yarn-v1", root / "ui")
    shutil.copytree(ASSETS / "npm" / "pnpm-9.0", root / "web")
    shutil.copytree(ASSETS / "golang" / "prometheus-client-golang", root / "agent")
    shutil.copytree(ASSETS / "rust" / "v4-git-path", root / "fw")
    # what npm installed is not an input: the lock file is
    hidden = root / "console" / "node_modules" / ".package-lock.json"
    hidden.parent.mkdir()
    shutil.copy(root / "console" / "package-lock.json", hidden)
    return root


def test_discovery_finds_every_lock_file_once(tmp_path: Path) -> None:
    tree(tmp_path)
    specs, notes = discover_inputs([Path("device")], cwd=tmp_path)
    assert notes == []
    assert [(s.kind, s.display) for s in specs] == [
        (InputKind.GO_MOD, "device/agent/go.mod"),
        (InputKind.GO_SUM, "device/agent/go.sum"),
        (InputKind.NPM_LOCK, "device/console/package-lock.json"),
        (InputKind.CARGO_LOCK, "device/fw/Cargo.lock"),
        (InputKind.YARN_LOCK, "device/ui/yarn.lock"),
        (InputKind.PNPM_LOCK, "device/web/pnpm-lock.yaml"),
    ]


def test_one_inventory_from_all_of_them(tmp_path: Path) -> None:
    tree(tmp_path)
    specs, _ = discover_inputs([Path("device")], cwd=tmp_path)
    inventory, files = collect_inputs(specs)
    ecosystems = {c.ecosystem for c in inventory.components}
    assert ecosystems == {"npm", "Go", "crates.io"}
    refs = [c.bom_ref for c in inventory.components]
    assert len(refs) == len(set(refs))
    # go.mod and go.sum read twice (once for each input) are one set of components
    assert sum(1 for c in inventory.components if c.ecosystem == "Go") == 20
    # several versions side by side are npm's normal shape, not conflicting evidence
    assert not [d for d in inventory.diagnostics if d.code == "conflicting-evidence"]
    ms = [c for c in inventory.components if c.purl == "pkg:npm/ms@2.0.0"]
    assert len(ms) == 1
    assert {o.path for o in ms[0].origins} == {
        "device/console/package-lock.json",
        "device/ui/yarn.lock",
        "device/web/pnpm-lock.yaml",
    }
    assert [f.path for f in files] == [
        "device/agent/go.mod",
        "device/agent/go.sum",
        "device/console/package-lock.json",
        "device/fw/Cargo.lock",
        "device/ui/package.json",
        "device/ui/packages/lib-a/package.json",
        "device/ui/yarn.lock",
        "device/web/pnpm-lock.yaml",
    ]


def test_configuration_names_the_kinds(tmp_path: Path) -> None:
    root = tree(tmp_path)
    config = root / "mdrgate.yml"
    config.write_text(
        "apiVersion: mdrgate/v1\nkind: Config\n"
        "product: {name: Pump, version: '1.0'}\n"
        "inputs:\n"
        "  - path: console/package-lock.json\n    kind: npm-lock\n    include_dev: true\n"
        "  - {path: ui/yarn.lock, kind: yarn-lock}\n"
        "  - {path: web/pnpm-lock.yaml, kind: pnpm-lock}\n"
        "  - {path: agent/go.mod, kind: go-mod}\n"
        "  - {path: agent/go.sum, kind: go-sum}\n"
        "  - {path: fw/Cargo.lock, kind: cargo-lock}\n"
    )
    loaded = load_config(config, cwd=tmp_path)
    assert [(s.kind.value, s.include_dev) for s in loaded.inputs] == [
        ("npm-lock", True),
        ("yarn-lock", False),
        ("pnpm-lock", False),
        ("go-mod", False),
        ("go-sum", False),
        ("cargo-lock", False),
    ]
