"""Writing files without losing anything: refuse to overwrite unless told, and replace atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class Refused(Exception):
    """The file exists and overwriting was not asked for."""


def write_text(path: str | Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` via a temporary file and a rename, so an interrupted write leaves the old file whole.

    Raises `Refused` when `path` exists and `force` is false.
    """
    path = Path(path)
    if path.exists() and not force:
        raise Refused(f"{path} exists; nothing was written (use --force to overwrite it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; a note is as readable as any file the user writes (a sync tool, a web
        # server, another account may read it): the umask decides, as for `open()`; a replaced file keeps its mode.
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            os.fchmod(out.fileno(), path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
