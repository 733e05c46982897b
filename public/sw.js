// Yehua's service worker: the app starts with no network.
//
// This file is the source. The build (Trunk's post_build hook, scripts/precache.mjs) writes
// dist/sw.js as two generated constants followed by this text:
//   VERSION  — a hash of every built file's name and bytes, so any change to the build
//              changes the worker's bytes and the browser installs it as an update;
//   PRECACHE — exactly the files of that build (hashed JS/WASM/CSS and the split build's
//              chunks, index.html, manifest, icons), relative to the worker's scope, each
//              `{ path, integrity, immutable }`.
// Rules this worker keeps:
// - Install caches the whole list into a cache named for the version, all or nothing
//   (cache.addAll), each file checked against its integrity, so a version's files are
//   never mixed. A content-hashed file never changes under its name, so it is taken from
//   the HTTP cache when the page already downloaded it (each byte crosses the network
//   once); every other file bypasses the HTTP cache.
// - It answers only from its own version's cache; activate deletes every older version.
// - A new version waits until the page asks it to take over (the update toast), so an
//   open page never runs old code against new files.
// - Requests to the sync API (`couch/` under the scope) and to other origins are never
//   touched: they go straight to the network and nothing is cached.
/* global VERSION, PRECACHE */
'use strict';

const PREFIX = 'yehua-';
const CACHE = PREFIX + VERSION;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL('index.html', SCOPE).href;
const API = new URL('couch/', SCOPE).pathname;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(
        PRECACHE.map(
          ({ path, integrity, immutable }) =>
            new Request(new URL(path, SCOPE).href, { integrity, cache: immutable ? 'default' : 'reload' }),
        ),
      ),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'SKIP_WAITING') self.skipWaiting();
  else if (type === 'VERSION' && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || url.pathname.startsWith(API)) return;
  if (request.mode === 'navigate') {
    // A built file is itself; every other address is a screen of the app shell, whose
    // router reads the address.
    event.respondWith(
      fromCache(request)
        .then((hit) => hit || fromCache(INDEX))
        .then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(fromCache(request).then((hit) => hit || fetch(request)));
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return cache.match(request);
}
