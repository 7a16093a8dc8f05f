// The wallet's service worker, written by hand (no Workbox). The build (sw-plugin.ts) strips the
// types and prepends `PRECACHE` (every file of the build) and `VERSION` (a hash of them).
//
// - install: fetch every file of this version into a cache named after the version; a file that
//   fails to load fails the installation (the old version keeps serving).
// - activate: delete the caches of older versions, take control of open pages.
// - fetch: same-origin GETs only. Page navigations get the cached index.html (the app shell, with
//   the headers it was served with, CSP included); other files come from the cache, then the
//   network. Calls to the issuer (another origin) are never touched: card status, PIN checks and
//   issuance always go to the network, and the app shows what it last knew when offline.

declare const PRECACHE: readonly string[];
declare const VERSION: string;
declare const self: ServiceWorkerGlobalScope;

const CACHE = `gongjik-wallet-${VERSION}`;
const SHELL = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('gongjik-wallet-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(shell(request));
    return;
  }
  if (url.pathname === '/config.json') {
    event.respondWith(networkFirst(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

/** The app shell for every page path; the network only when the cache lost it. */
async function shell(request: Request): Promise<Response> {
  const cached = await caches.match(SHELL, { cacheName: CACHE });
  return cached ?? fetch(request);
}

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
  return cached ?? fetch(request);
}

/** Deployment settings: fresh when online, the last copy when offline. */
async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request, { cache: 'no-store' });
    if (response.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request, { cacheName: CACHE });
    if (cached) return cached;
    throw err;
  }
}
