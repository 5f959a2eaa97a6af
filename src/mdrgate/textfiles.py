"""Reading text inputs: their exact bytes for the evidence digest, their text for the parser."""

from __future__ import annotations

from pathlib import Path

from mdrgate.errors import MdrgateError

MAX_TEXT_BYTES = 256 * 1024 * 1024
"""Text inputs (lock files, manifests, maps, registers) larger than this are refused: no real one
comes close, and reading a huge (or sparse) file whole would exhaust memory."""


def read_bytes_and_text(
    path: Path,
    *,
    display: str,
    error: type[MdrgateError],
    expected: str = "a file",
    lossy: bool = False,
) -> tuple[bytes, str]:
    """A file's exact bytes (for digests) and its text (UTF-8, BOM dropped), or a located error.

    ``expected`` names what the file should be ("a requirements file") for the directory case.
    ``lossy`` replaces bytes that are not UTF-8 instead of refusing the file (for formats where a
    stray Latin-1 comment must not stop the scan; the caller reports it).
    """
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise error(
                f"is too large to be {expected} ({size} bytes; the limit is "
                f"{MAX_TEXT_BYTES // (1024 * 1024)} MiB)",
                source=display,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise error("file not found", source=display) from None
    except IsADirectoryError:
        raise error(f"is a directory, expected {expected}", source=display) from None
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror or exc}", source=display) from None
    try:
        return data, data.decode("utf-8-sig", errors="replace" if lossy else "strict")
    except UnicodeDecodeError as exc:
        raise error(
            f"is not UTF-8 text (invalid byte at offset {exc.start})", source=display
        ) from None


def read_text(path: Path, *, display: str, error: type[MdrgateError]) -> str:
    """Read a UTF-8 text file, turning OS and encoding errors into a located ``error``."""
    return read_bytes_and_text(path, display=display, error=error)[1]
