"""Reading a git repository's metadata without running git: the index, refs, config, tag objects.

Only what the submodule reader needs, from git's documented on-disk formats
(``gitformat-index``, ``gitrepository-layout``, ``git-config``):

- ``.git`` is a directory, or a file ``gitdir: <path>`` (worktrees, submodules' ``.git/modules``);
  a ``commondir`` file points a worktree's git directory at the shared one (config, refs);
- the index (versions 2, 3 and 4; SHA-1 or SHA-256 object names) lists gitlinks, mode ``160000``,
  whose object name is the submodule commit the superproject records;
- tags are loose files under ``refs/tags/`` and lines of ``packed-refs`` (``^`` lines give the
  commit an annotated tag points to); a loose annotated tag is peeled by reading its loose,
  zlib-compressed tag object. Packed objects are not read: a tag only reachable that way is
  reported as not peelable rather than guessed.

Every problem is a ``GitError`` with a message for people; callers turn it into a diagnostic.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

GITLINK_MODE = 0o160000
MAX_INDEX_BYTES = 1 << 30
MAX_OBJECT_BYTES = 1 << 20
_HEX = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


class GitError(ValueError):
    """Repository metadata that cannot be read; the message says which and why."""


def _read_text(path: Path, limit: int = 1 << 20) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise GitError(f"{path.name} cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise GitError(f"{path.name} is larger than any real one ({limit} bytes)")
    return data.decode("utf-8", errors="replace")


def find_git_dir(work_tree: Path) -> Path | None:
    """The git directory of a work tree: ``.git`` itself, or where a ``gitdir:`` file points."""
    dot_git = work_tree / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():
        text = _read_text(dot_git, 4096).strip()
        if not text.startswith("gitdir:"):
            raise GitError(f"{dot_git} is a file but not a 'gitdir: <path>' link")
        target = Path(text[len("gitdir:") :].strip())
        resolved = target if target.is_absolute() else (work_tree / target)
        if not resolved.is_dir():
            raise GitError(f"{dot_git} points to {target}, which is not a directory")
        return resolved
    return None


def common_dir(git_dir: Path) -> Path:
    """The directory holding config and refs shared by worktrees (``commondir``), else itself."""
    link = git_dir / "commondir"
    if link.is_file():
        target = Path(_read_text(link, 4096).strip())
        resolved = target if target.is_absolute() else git_dir / target
        if resolved.is_dir():
            return resolved
    return git_dir


_SECTION = re.compile(r'^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]')


def read_config(path: Path) -> dict[tuple[str, str | None], dict[str, str]]:
    """A git config file as ``{(section, subsection): {key: value}}`` (keys lower-cased)."""
    sections: dict[tuple[str, str | None], dict[str, str]] = {}
    current: dict[str, str] | None = None
    for raw in _read_text(path).splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        header = _SECTION.match(line)
        if header is not None:
            key = (header.group(1).lower(), header.group(2))
            current = sections.setdefault(key, {})
            continue
        if current is None:
            continue
        name, sep, value = line.partition("=")
        current[name.strip().lower()] = _config_value(value) if sep else "true"
    return sections


def _config_value(raw: str) -> str:
    out: list[str] = []
    quoted = False
    i = 0
    text = raw.strip()
    while i < len(text):
        c = text[i]
        if c == '"':
            quoted = not quoted
        elif c == "\\" and i + 1 < len(text):
            i += 1
            out.append({"n": "\n", "t": "\t"}.get(text[i], text[i]))
        elif c in "#;" and not quoted:
            break
        else:
            out.append(c)
        i += 1
    return "".join(out).strip()


def hash_length(git_dir: Path) -> int:
    """20 bytes (SHA-1) unless the repository's config says ``objectformat = sha256``."""
    config = common_dir(git_dir) / "config"
    if config.is_file():
        extensions = read_config(config).get(("extensions", None), {})
        if extensions.get("objectformat", "sha1").lower() == "sha256":
            return 32
    return 20


@dataclass(frozen=True, slots=True)
class Gitlink:
    path: str
    commit: str


def read_gitlinks(index: Path, oid_length: int = 20) -> dict[str, str]:
    """``{path: commit}`` for every gitlink (submodule) entry at stage 0 of an index file."""
    try:
        size = index.stat().st_size
        if size > MAX_INDEX_BYTES:
            raise GitError(f"the index is larger than {MAX_INDEX_BYTES} bytes")
        data = index.read_bytes()
    except OSError as exc:
        raise GitError(f"the index cannot be read: {exc.strerror or exc}") from None
    if len(data) < 12 or data[:4] != b"DIRC":
        raise GitError("the index does not start with the 'DIRC' signature")
    version, count = struct.unpack(">II", data[4:12])
    if version not in (2, 3, 4):
        raise GitError(f"index version {version} is not one mdrgate reads (2, 3 or 4)")
    links: dict[str, str] = {}
    offset = 12
    previous = b""
    fixed = 40 + oid_length + 2
    for number in range(count):
        start = offset
        if offset + fixed > len(data):
            raise GitError(f"the index is truncated in entry {number + 1} of {count}")
        mode = struct.unpack(">I", data[offset + 24 : offset + 28])[0]
        oid = data[offset + 40 : offset + 40 + oid_length]
        flags = struct.unpack(">H", data[offset + 40 + oid_length : offset + fixed])[0]
        offset += fixed
        if version >= 3 and flags & 0x4000:
            offset += 2
        if version == 4:
            strip, offset = _varint(data, offset)
            end = data.find(b"\x00", offset)
            if end < 0 or strip > len(previous):
                raise GitError(f"the index is damaged in entry {number + 1} (path)")
            path = previous[: len(previous) - strip] + data[offset:end]
            offset = end + 1
        else:
            end = data.find(b"\x00", offset)
            if end < 0:
                raise GitError(f"the index is damaged in entry {number + 1} (path)")
            path = data[offset:end]
            entry_length = end - start
            offset = start + (entry_length // 8 + 1) * 8
        previous = path
        stage = (flags >> 12) & 0x3
        if mode & 0o170000 == GITLINK_MODE and stage == 0:
            links[path.decode("utf-8", errors="replace")] = oid.hex()
    return links


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    """git's offset encoding (``gitformat-index``: the v4 path prefix length)."""
    if offset >= len(data):
        raise GitError("the index is truncated in a path prefix length")
    byte = data[offset]
    offset += 1
    value = byte & 0x7F
    while byte & 0x80:
        if offset >= len(data) or value > (1 << 32):
            raise GitError("the index has a damaged path prefix length")
        byte = data[offset]
        offset += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, offset


@dataclass(frozen=True, slots=True)
class Tags:
    """Which tags point at which commit; tags that could not be peeled are listed apart."""

    by_commit: dict[str, tuple[str, ...]]
    unpeeled: tuple[str, ...]


def read_tags(git_dir: Path) -> Tags:
    base = common_dir(git_dir)
    targets: dict[str, str] = {}
    peeled: dict[str, str] = {}
    packed = base / "packed-refs"
    if packed.is_file():
        last: str | None = None
        for line in _read_text(packed, 256 << 20).splitlines():
            if line.startswith("^") and last is not None:
                peeled[last] = line[1:].strip().lower()
                continue
            oid, _, ref = line.partition(" ")
            last = None
            if ref.startswith("refs/tags/") and _HEX.match(oid.lower()):
                last = ref[len("refs/tags/") :].strip()
                targets[last] = oid.lower()
    tags_dir = base / "refs" / "tags"
    if tags_dir.is_dir():
        for path in sorted(tags_dir.rglob("*")):
            if path.is_file():
                oid = _read_text(path, 200).strip().lower()
                if _HEX.match(oid):
                    name = path.relative_to(tags_dir).as_posix()
                    targets[name] = oid
                    peeled.pop(name, None)
    by_commit: dict[str, list[str]] = {}
    unpeeled: list[str] = []
    for name, oid in sorted(targets.items()):
        commit = peeled.get(name)
        if commit is None:
            kind, target = _object_kind(base, oid)
            if kind == "tag":
                commit = target
            elif kind is None:
                # A packed object cannot be read here. A lightweight tag names the commit
                # itself, so the tag still matches when it is one; an annotated one cannot.
                unpeeled.append(name)
                commit = oid
            else:
                commit = oid
        if commit is not None:
            by_commit.setdefault(commit, []).append(name)
    return Tags({k: tuple(v) for k, v in by_commit.items()}, tuple(unpeeled))


def _object_kind(base: Path, oid: str) -> tuple[str | None, str | None]:
    """The type of a loose object and, for a tag, the object it points to; ``None`` if packed."""
    path = base / "objects" / oid[:2] / oid[2:]
    if not path.is_file():
        return None, None
    try:
        with path.open("rb") as handle:
            compressed = handle.read(MAX_OBJECT_BYTES)
        decompressor = zlib.decompressobj()
        data = decompressor.decompress(compressed, 4096)
    except (OSError, zlib.error):
        return None, None
    header, _, body = data.partition(b"\x00")
    kind = header.split(b" ", 1)[0].decode("ascii", errors="replace")
    if kind != "tag":
        return kind, None
    first = body.split(b"\n", 1)[0].decode("ascii", errors="replace")
    if first.startswith("object "):
        return "tag", first[len("object ") :].strip().lower()
    return "tag", None


def read_head(git_dir: Path) -> str | None:
    """The commit checked out (``HEAD``, following a symbolic ref through loose and packed refs)."""
    head = git_dir / "HEAD"
    if not head.is_file():
        return None
    text = _read_text(head, 4096).strip()
    if _HEX.match(text.lower()):
        return text.lower()
    if not text.startswith("ref:"):
        return None
    ref = text[4:].strip()
    for base in (git_dir, common_dir(git_dir)):
        loose = base / ref
        if loose.is_file():
            value = _read_text(loose, 200).strip().lower()
            return value if _HEX.match(value) else None
    packed = common_dir(git_dir) / "packed-refs"
    if packed.is_file():
        for line in _read_text(packed, 256 << 20).splitlines():
            oid, _, name = line.partition(" ")
            if name.strip() == ref and _HEX.match(oid.lower()):
                return oid.lower()
    return None
