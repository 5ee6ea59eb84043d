// The diary's service worker. The build writes PD_VERSION (a hash of the whole site) and PD_FILES (every file
// of the site by URL, with a hash of its bytes) above this line, so each deploy is a new worker.
//
// Install: keep every file in a cache named after the version; a file whose hash an older cache already holds
// is copied from there, so a deploy downloads only what changed. Activate: drop older versions.
// Fetch: the site's own files from the cache (no network needed), anything else from the network.
"use strict";

const SCOPE = new URL("./", self.location).href;
const CACHE = "paper-diary-" + PD_VERSION;
const PARALLEL = 6;

function keyOf(path) {
  return new URL(path, SCOPE).href + "?pd-hash=" + PD_FILES[path];
}

function pathOf(url) {
  if (!url.startsWith(SCOPE)) return null;
  let path = new URL(url).pathname.slice(new URL(SCOPE).pathname.length);
  try { path = decodeURIComponent(path); } catch (error) { return null; }
  return path.replace(/(^|\/)index\.html$/, "$1");
}

async function keep(cache, path) {
  const key = keyOf(path);
  let response = await caches.match(key);  // unchanged since an earlier version
  if (!response) {
    response = await fetch(new URL(path, SCOPE).href, { cache: "no-cache" });
    if (!response.ok) throw new Error("paper-diary: " + path + " answered " + response.status);
  }
  await cache.put(key, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const paths = Object.keys(PD_FILES);
    let next = 0;
    const worker = async () => { while (next < paths.length) await keep(cache, paths[next++]); };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("paper-diary-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const path = pathOf(request.url);
  if (path === null) return;
  if (path in PD_FILES) {
    event.respondWith(caches.open(CACHE)
      .then((cache) => cache.match(keyOf(path)))
      .then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate" && "404.html" in PD_FILES) {
    event.respondWith(fetch(request).catch(() => caches.match(keyOf("404.html"))));
  }
});
