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
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
