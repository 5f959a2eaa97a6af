"""Collectors for JavaScript host software: npm, Yarn and pnpm lock files.

``claim`` recognises the lock files by name for discovery (``package-lock.json``,
``npm-shrinkwrap.json``, ``yarn.lock``, ``pnpm-lock.yaml``); discovery never descends into
``node_modules``, so npm's hidden ``node_modules/.package-lock.json`` is not read. The readers are
imported only when a lock file is collected.
"""

from __future__ import annotations

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec

_BY_NAME = {
    "package-lock.json": InputKind.NPM_LOCK,
    "npm-shrinkwrap.json": InputKind.NPM_LOCK,
    "yarn.lock": InputKind.YARN_LOCK,
    "pnpm-lock.yaml": InputKind.PNPM_LOCK,
}
NAMES = tuple(_BY_NAME)


def claim(path: Path) -> InputKind | None:
    return _BY_NAME.get(path.name)


def collect_npm_lock(spec: InputSpec) -> Collected:
    from mdrgate.collect.npm.packagelock import collect_package_lock

    return collect_package_lock(spec)


def collect_yarn_lock(spec: InputSpec) -> Collected:
    from mdrgate.collect.npm.yarnlock import collect_yarn_lock as collect

    return collect(spec)


def collect_pnpm_lock(spec: InputSpec) -> Collected:
    from mdrgate.collect.npm.pnpmlock import collect_pnpm_lock as collect

    return collect(spec)


__all__ = ["NAMES", "claim", "collect_npm_lock", "collect_pnpm_lock", "collect_yarn_lock"]
