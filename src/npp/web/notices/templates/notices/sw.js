// The /verify/ service worker: keeps the page, its code and the trust and revocation lists, so
// a border official's phone verifies notices with no network once the page has been visited.
// Lists: network first (fresh when online), the kept copy when offline.
"use strict";
const CACHE = "npp-verify-{{ version }}";
const ASSETS = [{% for a in assets %}"{{ a|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const LISTS = ["/verify/trust.json", "/verify/revocations.json"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll(ASSETS.concat(LISTS))).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("npp-verify-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const kept = url.pathname === "/verify/" || LISTS.includes(url.pathname) || ASSETS.includes(url.pathname);
  if (!kept) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(url.pathname, copy));
        }
        return res;
      })
      .catch(() => caches.open(CACHE).then((c) => c.match(url.pathname)).then((hit) => hit || Response.error()))
  );
});
