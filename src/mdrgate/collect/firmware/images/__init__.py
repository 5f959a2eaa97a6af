"""Compiled images: ELF files, static archives, raw binaries, Intel HEX and S-record files.

``claim`` decides from the name and the first bytes (this module is offered every file of a
tree, so it imports little); ``collect_firmware_image`` (in ``collect.py``) scans the image for
the version strings of known components and reads what the image says about itself.

Names claimed: ``.elf``, ``.axf`` and ``.bin`` by name; ``.out``, ``.o``, ``.so``/``.so.N`` when
they start with the ELF magic; ``.a`` with the ``ar`` magic; ``.hex``/``.ihex`` when the first
line is an Intel HEX record; ``.srec``, ``.s19``, ``.s28``, ``.s37``, ``.mot`` when it is an
S-record; a file without extension when it starts with the ELF or ``ar`` magic (an executable
of a root file system, a file given explicitly). What cannot be read at all is claimed only for
the names that say "image" (so that discovery reports it instead of skipping it).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec

ELF_MAGIC = b"\x7fELF"
AR_MAGICS = (b"!<arch>\n", b"!<thin>\n")
BY_NAME = frozenset({".elf", ".axf", ".bin"})
ELF_NAMES = frozenset({".out", ".o"})
IHEX_NAMES = frozenset({".hex", ".ihex"})
SREC_NAMES = frozenset({".srec", ".s19", ".s28", ".s37", ".mot"})
_SHARED_OBJECT = re.compile(r"\.so(?:\.\d+)*$")
_SREC_START = re.compile(rb"^S[0-9][0-9A-Fa-f]{2}")
_IHEX_START = re.compile(rb"^:[0-9A-Fa-f]{10}")


def image_format(path: Path) -> str | None:
    """What the name says the file is: ``elf``, ``archive``, ``raw``, ``ihex``, ``srec``,
    ``unknown`` (no extension: decided by content) or ``None`` (not an image name)."""
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix in BY_NAME:
        return "raw" if suffix == ".bin" else "elf"
    if suffix in ELF_NAMES or _SHARED_OBJECT.search(name):
        return "elf"
    if suffix == ".a":
        return "archive"
    if suffix in IHEX_NAMES:
        return "ihex"
    if suffix in SREC_NAMES:
        return "srec"
    if suffix == "":
        return "unknown"
    return None


def claim(path: Path) -> InputKind | None:
    expected = image_format(path)
    if expected is None:
        return None
    strong = path.suffix.lower() in BY_NAME
    try:
        mode = path.stat().st_mode
    except OSError:
        return InputKind.FIRMWARE_IMAGE if strong else None
    if not stat.S_ISREG(mode):
        return InputKind.FIRMWARE_IMAGE if strong else None
    if strong:
        return InputKind.FIRMWARE_IMAGE
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return None
    if looks_like(expected, head):
        return InputKind.FIRMWARE_IMAGE
    return None


def looks_like(expected: str, head: bytes) -> bool:
    """Whether the first bytes of a file are those of the format its name says."""
    if expected == "elf":
        return head.startswith(ELF_MAGIC)
    if expected == "archive":
        return head.startswith(AR_MAGICS)
    if expected == "unknown":
        return head.startswith(ELF_MAGIC) or head.startswith(AR_MAGICS)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if expected == "ihex":
        return bool(_IHEX_START.match(text))
    if expected == "srec":
        return bool(_SREC_START.match(text))
    return True


def collect_firmware_image(spec: InputSpec) -> Collected:
    from mdrgate.collect.firmware.images.collect import collect_image

    return collect_image(spec)


__all__ = ["claim", "collect_firmware_image"]
