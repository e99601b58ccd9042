"""Reading the user's text files and writing output files for every CLI command.

One place for the two rules every command follows: an input file that is missing or not UTF-8 is a
:class:`~ukur.errors.DataError` naming the file (exit code 2, one line, no traceback), and an output
file is written atomically — to a temporary file in the same folder, flushed to disk, then renamed over
the target — so an interrupted command never leaves a half-written report behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from ukur.errors import DataError, UkurError

__all__ = ["read_text", "renderer_for", "write_atomic"]

T = TypeVar("T")


def read_text(path: Path, what: str) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped); ``what`` names the file in errors."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{what} file not found", source=str(path)) from None
    except UnicodeDecodeError:
        raise DataError(f"{what} file is not UTF-8 text", source=str(path)) from None
    except OSError as exc:
        raise DataError(f"cannot read {what} file: {exc.strerror or exc}", source=str(path)) from None


def write_atomic(path: Path, payload: bytes | str) -> None:
    """Write ``payload`` (text is encoded as UTF-8 with ``\\n`` line ends) to ``path`` atomically.

    The file gets the permissions of an ordinary new file (``0666`` minus the umask), not the ``0600``
    of the temporary file it starts as.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DataError("the output folder does not exist", source=str(folder))
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def renderer_for(
    output: Path, renderers: Mapping[str, Callable[[T], bytes]], what: str
) -> Callable[[T], bytes]:
    """The renderer that the suffix of ``output`` asks for (``.html``, ``.pdf``, …), or an error naming the
    suffixes there are; ``what`` ("report", "document") names the kind of file in the message."""
    render = renderers.get(output.suffix.lower())
    if render is None:
        allowed = ", ".join(suffix for suffix in renderers if suffix != ".htm")
        raise UkurError(f"cannot tell the {what} format from {output.name!r} (use {allowed})", field="output")
    return render
