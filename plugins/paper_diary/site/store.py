"""The build cache's file: what one build kept for the next, written atomically and checked whole before use.

Its header names the code that wrote it (`code_version`: every installed distribution's version, a digest of
this package's own files, Python's version) and the configuration's digest; any difference there, or a truncated
or damaged file, means a cold build. A build that changed little writes only its changes, beside that file.
Entries are pickled plain data (`PlainData` refuses anything else). No MkDocs here: incremental.py uses it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib.metadata
import io
import logging
import os
import pickle
import re
import sys
import tempfile
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from paper_diary.reading import dates

log = logging.getLogger("mkdocs")


MAGIC = b"paper-diary build cache 9\n"


PARTS = 6  # pages' HTML, theme output, search entries, model parts, memo, fragments (cards, lists, the map)


def _empty() -> tuple[dict, ...]:
    return tuple({} for _ in range(PARTS))


ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def digest(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def canonical(value: Any) -> Any:
    """A form of a configuration value that prints the same in every process: sets and mappings sorted,
    functions by name, no memory addresses (a set's order and `repr` of an object change from run to run)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if type(value).__name__ == "Theme":  # a Mapping, whose name, folders and static templates matter too
        return [value.name, value.dirs, sorted(value.static_templates), canonical(dict(value.items()))]
    if isinstance(value, Mapping):
        return sorted((str(k), canonical(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(canonical(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return ADDRESS.sub("", repr(value))


@functools.cache
def code_version() -> str:
    """What wrote a cache: Python, every installed distribution (MkDocs, Material, the Markdown extensions,
    Pygments, Jinja2, ...) and this plugin's own files, which an editable install changes without a version."""
    dists = sorted({(d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions()})
    here = Path(__file__).parents[1]  # the whole package
    own = [(p.relative_to(here).as_posix(), p.read_bytes()) for p in sorted(here.rglob("*"))
           if p.is_file() and "__pycache__" not in p.parts]
    return digest(sys.version, dists, *(part for item in own for part in item))


class PlainData(pickle.Unpickler):
    """The cache holds only strings, numbers, lists, tuples, dicts, sets and dates: anything else is refused.
    A change file's references to entries of its base (see `Store`) are resolved in `base`."""

    def __init__(self, data: bytes, base: tuple[dict, ...] | None = None) -> None:
        super().__init__(io.BytesIO(data))
        self.base = base

    def find_class(self, module, name):
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta", "timezone"):
            return super().find_class(module, name)  # front matter's dates: values, they run no code
        if (module, name) == (dates.Month.__module__, "Month"):
            return dates.Month  # a date known to its month: a value too
        raise pickle.UnpicklingError(f"{module}.{name} is not cache data")

    def persistent_load(self, pid):
        try:
            part, key = pid
            return self.base[part][key]
        except (TypeError, ValueError, KeyError, IndexError):
            raise pickle.UnpicklingError("a reference to no entry of the base") from None


class _Referring(pickle.Pickler):
    """Pickles a change file: a value that is an entry of the base is written as a reference to it."""

    def __init__(self, f, ids: dict[int, tuple[int, str]]) -> None:
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)
        self.ids = ids

    def persistent_id(self, obj):
        return self.ids.get(id(obj))


class Store:
    """The cache of each version of the code and the configuration (`mkdocs serve` and `mkdocs build` differ in
    theirs, and keep a cache each) in `folder`: a base file, and a change file that holds what later builds
    changed (entries added, keys dropped), so a build that renders one page writes kilobytes, not the whole
    cache again; once the changes pass a quarter of the base, the base is written anew. Each file is `MAGIC`,
    the version, the payload's digest, then the payload; a change file names the digest of its base, and one
    left from an older base is not used. The `KEEP` last used versions are kept."""

    KEEP = 3
    REWRITE_FROM = 0.25  # of the base's size: changes past it write a new base

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._base: tuple[dict, ...] | None = None  # as loaded from the base file, and its payload's digest and size
        self._base_digest = ""
        self._base_size = 0

    def path(self, version: str) -> Path:
        return self.folder / f"pages-{version[:16]}.cache"

    def changes_path(self, version: str) -> Path:
        return self.folder / f"pages-{version[:16]}.changes"

    def _read(self, path: Path, version: str) -> tuple[str, bytes] | None:
        """(digest, payload) of a cache file, None when there is none; LookupError when another version wrote it,
        ValueError when it is damaged."""
        try:
            with open(path, "rb") as f:  # line by line: splitting tens of megabytes copies them
                head, wanted, digest, payload = f.readline(), f.readline(), f.readline().rstrip(b"\n"), f.read()
        except OSError:
            return None
        if not head.startswith(MAGIC.rsplit(b" ", 1)[0]):
            raise ValueError("not a build cache")
        if head != MAGIC or wanted.rstrip(b"\n").decode() != version:
            raise LookupError("another version")
        if _payload_digest(payload) != digest.decode():
            raise ValueError("its digest does not match")
        return digest.decode(), payload

    def load(self, version: str) -> tuple[dict, ...]:
        path = self.path(version)
        try:
            found = self._read(path, version)
            if found is None:  # none yet, or unreadable: a cold build
                if any(self.folder.glob("pages-*.cache")):
                    raise LookupError("another version")
                return _empty()
            os.utime(path)  # used: kept longer than the others
            digest, payload = found
            parts = PlainData(payload).load()
            _check(parts)
            self._base, self._base_digest, self._base_size = parts, digest, len(payload)
            parts = tuple(dict(p) for p in parts)
            changes = self._read(self.changes_path(version), version)
            if changes is not None:
                base_digest, added, dropped = PlainData(changes[1], self._base).load()
                _check(added)
                if base_digest == digest:  # else it changed another base: stale, never used
                    for part, new, gone in zip(parts, added, dropped):
                        for key in gone:
                            part.pop(key, None)
                        part.update(new)
            return parts
        except LookupError:
            log.info(f"paper_diary: the build cache in {self.folder} was written by other code or for "
                     "another configuration; building every page")
        except Exception as e:  # truncated, damaged, from an interrupted write: never used
            log.info(f"paper_diary: the build cache {path} is damaged ({e}); building every page")
        self._base = None
        return _empty()

    def save(self, version: str, *parts: dict) -> None:
        """The changes since the base, or a new base when they are large (or there is none). Written to a file of
        its own, then renamed over the old one: an interrupted build leaves the old cache (or none), never half
        a file."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self._base is not None:
                added = tuple({k: v for k, v in part.items() if k not in old} for part, old in zip(parts, self._base))
                dropped = tuple(sorted(old.keys() - part.keys()) for part, old in zip(parts, self._base))
                ids = {id(v): (i, k) for i, old in enumerate(self._base) for k, v in old.items()}
                out = io.BytesIO()
                _Referring(out, ids).dump((self._base_digest, added, dropped))
                if out.tell() <= self.REWRITE_FROM * self._base_size:
                    self._write(self.changes_path(version), version, out.getvalue())
                    return
            payload = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
            self._write(self.path(version), version, payload)
            self.changes_path(version).unlink(missing_ok=True)  # they were changes to the old base
            for left in self.folder.glob(".pages-*.tmp"):  # an interrupted build's, an hour old or more
                if time.time() - left.stat().st_mtime > 3600:
                    left.unlink(missing_ok=True)
            caches = sorted(self.folder.glob("pages-*.cache"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in caches[self.KEEP:]:
                old.unlink(missing_ok=True)
                old.with_suffix(".changes").unlink(missing_ok=True)
        except OSError as e:  # a read-only checkout, a full disk: the next build is cold, this one is right
            log.warning(f"paper_diary: the build cache could not be written to {self.folder} ({e.strerror}); "
                        "set the plugin's cache_dir to a writable folder, or cache: false")

    def _write(self, path: Path, version: str, payload: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".pages-", suffix=".tmp", dir=self.folder)
        try:
            # Not compressed as a whole: pages' theme output already is, and compressing the rest took longer
            # than the build it saves time for.
            digest = _payload_digest(payload)
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + version.encode() + b"\n" + digest.encode() + b"\n")
                f.write(payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise


@contextlib.contextmanager
def no_cycle_search():
    """Python's search for reference cycles held off while the cache's thousands of entries are made: each
    search walks the whole heap (0.1 s of a build at 2,000 papers), and these entries hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _payload_digest(payload: bytes) -> str:
    # SHA-256: where processors compute it (most since 2017), twice as fast over tens of megabytes as BLAKE2.
    return hashlib.sha256(payload).hexdigest()[:40]


def pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack(stored) -> str | None:
    """The text `pack` kept; None when there is none, or it is not what this code writes (made again)."""
    if stored is None:
        return None
    try:
        return zlib.decompress(stored).decode("utf-8", "surrogatepass")
    except (zlib.error, TypeError, UnicodeDecodeError):
        return None


def _check(parts) -> None:
    if not isinstance(parts, tuple) or len(parts) != PARTS or not all(isinstance(p, dict) for p in parts):
        raise ValueError("it holds no pages")
