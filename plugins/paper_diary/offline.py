"""Reading offline: a web app manifest, and a service worker that caches the whole diary after the first visit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SKIP = {"sw.js", "sitemap.xml", "sitemap.xml.gz"}  # the sitemap carries the build date: keep the version reproducible

WORKER = """\
// Paper Diary: after the first visit, the whole diary is read from this cache, with or without a network.
const VERSION = %(version)s;
const FILES = %(files)s;
const CACHE = "paper-diary-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // A new deploy has a new version: drop the caches of older ones.
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("paper-diary-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then((cache) =>
    cache.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request).catch(() =>
      // A page URL without its index.html, offline.
      cache.match(new URL("index.html", request.url.endsWith("/") ? request.url : request.url + "/").href)
        .then((page) => page || Response.error())))));
});
"""


def site_files(site_dir: Path) -> list[str]:
    """Every file of the built site a reader may need, relative to the site root (directory URLs included)."""
    files = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_file() and rel not in SKIP:
            files.append(rel)
            if path.name == "index.html":
                files.append(rel[: -len("index.html")] or "./")
    return files


def service_worker(site_dir: Path) -> str:
    files = site_files(site_dir)
    digest = hashlib.sha256()
    for rel in files:
        path = site_dir / rel
        if path.is_file():
            digest.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return WORKER % {"version": json.dumps(digest.hexdigest()[:16]), "files": json.dumps(files, indent=0)}


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
