"""The offline copy of a built site: every file with a hash of its bytes, and the service worker that keeps them.

No MkDocs here: it reads a finished site folder. Reading every file once is linear in the size of the site.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

WORKER = "sw.js"
WORKER_CODE = Path(__file__).parent / "assets" / WORKER
# Not kept: the worker itself, the compressed sitemap (sitemap.xml is kept: instant navigation reads it) and
# source maps (only developer tools read them).
SKIPPED_SUFFIXES = (".gz", ".map")


def site_files(site_dir: str | Path) -> dict[str, str]:
    """Every file of the site by the URL that serves it (relative to the site root, `index.html` dropped),
    with the first 16 hex digits of its SHA-256; sorted, so the same site gives the same worker."""
    site_dir = Path(site_dir)
    files: dict[str, str] = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or rel == WORKER or rel.endswith(SKIPPED_SUFFIXES):
            continue
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        url = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        files[url] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return files


def service_worker(files: dict[str, str]) -> str:
    """The worker's script: the site's version and file list, then the fixed code."""
    listing = json.dumps(files, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    version = hashlib.sha256(listing.encode("utf-8")).hexdigest()[:16]
    head = f"const PD_VERSION = {json.dumps(version)};\nconst PD_FILES = {listing};\n"
    return head + WORKER_CODE.read_text(encoding="utf-8")


def write_service_worker(site_dir: str | Path) -> int:
    """Write `sw.js` at the root of the built site; return how many files it keeps."""
    files = site_files(site_dir)
    (Path(site_dir) / WORKER).write_text(service_worker(files), encoding="utf-8")
    return len(files)
