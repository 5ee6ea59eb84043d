"""Reading offline: a web app manifest, and a service worker that caches the whole diary after the first visit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

WORKER_CODE = Path(__file__).parent / "assets" / "sw.js"
# Not kept: the worker itself; the sitemap, which carries the build date (the worker stays the same for the same
# notes; offline, instant navigation without it loads whole pages, from the cache); compressed copies and source
# maps (only developer tools read them).
SKIPPED_FILES = {"sw.js", "sitemap.xml"}
SKIPPED_SUFFIXES = (".gz", ".map")


def site_files(site_dir: str | Path) -> dict[str, str]:
    """Every file of the built site by the URL that serves it (relative to the site root, `index.html` dropped:
    a page is kept once, under its directory URL), with the first 16 hex digits of its SHA-256. Sorted, so
    the same site gives the same worker; reading each file once keeps it linear in the size of the site."""
    site_dir = Path(site_dir)
    files: dict[str, str] = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or rel in SKIPPED_FILES or rel.endswith(SKIPPED_SUFFIXES):
            continue
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        url = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        files[url] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return files


def service_worker(site_dir: str | Path) -> str:
    """The worker's script: the site's version (a hash of every file's hash) and its file list, then the fixed
    code of `assets/sw.js`. A deploy that changes any file changes the script, so browsers install it anew."""
    listing = json.dumps(site_files(site_dir), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    version = hashlib.sha256(listing.encode("utf-8")).hexdigest()[:16]
    head = f"const PD_VERSION = {json.dumps(version)};\nconst PD_FILES = {listing};\n"
    return head + WORKER_CODE.read_text(encoding="utf-8")


def manifest(name: str, description: str = "") -> str:
    return json.dumps({
        "name": name,
        "short_name": name[:12],
        "description": description,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#3f51b5",
        "icons": [{"src": f"assets/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
                  for size in (192, 512)],
    }, indent=1, ensure_ascii=False) + "\n"
