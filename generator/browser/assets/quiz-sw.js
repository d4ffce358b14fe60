// The quiz runtime's service worker, at quiz-runtime/quiz-sw.js: its scope is that folder, so it
// controls the quiz's Python worker (quiz-worker.mjs) and never a page of the site.
//
// Why: Pyodide's pyodide.asm.mjs (1.25 MB) is imported as a module from its own URL, so the
// worker cannot decode a compressed copy of it itself (a module made from a blob: URL is refused
// by the site's Content-Security-Policy). On a host that compresses nothing, the worker asks for
// `pyodide.asm.mjs?decoded-from=gz`; this service worker answers with the build's .gz copy (about
// 260 kB on the wire), decoded by the browser's DecompressionStream and checked against the
// sha256 the build wrote below. Any failure (no .gz, a hash that does not match, no
// DecompressionStream) sends the request to the network unchanged.
// On a returning visit, it also hands the Python worker the wasm that worker decoded and kept in
// Cache Storage (`pyodide.asm.wasm?kept`), as the stored response itself: a response that comes
// through here has a URL, so Chromium can keep and reuse its compiled code, which it never does
// for the worker's own Cache Storage read (no URL). An entry that is not there is a network
// error (the worker then reads its store itself); nothing is fetched for it.
// It answers nothing else and stores nothing; what it serves is named after its content (the
// runtime's folder), so it cannot be stale.
// DECODED (filled in by the build, generator/browser/service_worker.py): path under this folder
// -> sha256 (base64) of the decoded file.
const DECODED = {/* DECODED */};
const QUERY = "?decoded-from=gz";
const KEPT_QUERY = "?kept";
const STORE = "quiz-runtime";   // quiz-worker.mjs's STORE

self.addEventListener("install", (event) => {
  self.skipWaiting();
  // Where the browser has static routes (Chromium), every other request of the worker goes
  // straight to the network, without this service worker being started or asked.
  if (!event.addRoutes || typeof URLPattern !== "function") return;
  event.waitUntil(event.addRoutes([
    { condition: { urlPattern: new URLPattern({ search: QUERY.slice(1) }) }, source: "fetch-event" },
    { condition: { urlPattern: new URLPattern({ search: KEPT_QUERY.slice(1) }) }, source: "fetch-event" },
    { condition: { urlPattern: new URLPattern({}) }, source: "network" },
  ]).catch(() => {}));
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function base64(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text);
}

async function decodedCopy(plainUrl, sha256) {
  const response = await fetch(plainUrl + ".gz");
  if (!response.ok) throw new Error(`${plainUrl}.gz: ${response.status}`);
  // A host that labels .gz files as gzip-encoded has had the browser decode it already.
  const body = response.headers.get("Content-Encoding")
    ? response.body : response.body.pipeThrough(new DecompressionStream("gzip"));
  const bytes = await new Response(body).arrayBuffer();
  if (base64(await crypto.subtle.digest("SHA-256", bytes)) !== sha256) throw new Error(`${plainUrl}: sha256`);
  return new Response(bytes, { headers: { "Content-Type": "text/javascript; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  if (url.search === KEPT_QUERY) {
    event.respondWith(caches.open(STORE).then((store) => store.match(url.origin + url.pathname))
      .then((kept) => kept || Response.error(), () => Response.error()));
    return;
  }
  if (url.search !== QUERY || typeof DecompressionStream !== "function") return;
  const sha256 = DECODED[url.pathname.slice(scope.pathname.length)];
  if (!sha256) return;
  event.respondWith(decodedCopy(url.origin + url.pathname, sha256).catch(() => fetch(request)));
});
