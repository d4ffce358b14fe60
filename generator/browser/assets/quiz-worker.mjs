// The quiz's Python: Pyodide boots here, off the page's main thread, as soon as the worker starts.
// Messages in:  {type: "start", rules, integrity, snapshot} (sent at once by the page: its
//                programme's data file and SRI hash; snapshot "auto", or "always"/"never" for tests)
//               {type: "evaluate", id, typed (JSON text: [[key, text], …] as typed), today ("YYYY-MM-DD")}
// Messages out: {type: "progress", loaded, total} (bytes, as sent on the wire when the host says so)
//               {type: "phase", text} (every file is in: Python is starting)
//               {type: "ready"} · {type: "failed", detail}
//               {type: "result", id, payload: evaluate_json's JSON text, partial: JSON text or null,
//                shown: JSON text or null} (quiz_entry.evaluate_typed)
//
// quiz-runtime.json (the manifest, revalidated) names the content-named folder of Pyodide's
// files, their sizes, hashes and compressed copies, the brotli decoder and the optional memory
// snapshot. Every runtime file is streamed through a byte counter: the page gives up only when
// no byte has arrived for a while, never because a slow line takes long.
//
// Bytes that do not depend on the host: the wasm and the standard library are fetched as the
// build's brotli copies (FILE.br), decoded here while they stream in by the brotli decoder the
// runtime folder holds (browsers' DecompressionStream has gzip, not brotli), or as the gzip
// copies (FILE.gz, DecompressionStream) when that decoder is not shipped; so a host that
// compresses nothing, or only gzip, sends no more than the build's brotli. A host that answers
// the manifest in brotli (or zstd) is asked for the plain names instead: it does the same
// itself, and no decoder is fetched (when the wasm then comes without brotli after all, the
// copy is fetched instead). Either way the decoded bytes are checked against the manifest's
// sha256 (hashes) before the stream ends.
//
// A returning visit is CPU-bound (Python's start, importing the rules): the wasm is handed to
// the compiler as fetch() gave it, so that Chromium reuses its compiled code (V8's code cache),
// and what this worker decoded, and the rules' bytecode, are kept in Cache Storage (STORE).
const PACKAGE = "catalogue-rules";
const here = new URL("./", import.meta.url).href;
// Restoring the build's memory snapshot saves part of Python's start-up (CPU) but costs ≈4 MB:
// worth it only when 4 MB arrive in well under a second, i.e. when the wasm's first bytes
// arrive at least this fast (bytes after decoding per second; gzip shrinks the wasm 2.7 times,
// so ≈ 30 Mbit/s on the wire): a loopback or fibre link, not a phone network.
const SNAPSHOT_MIN_RATE = 10e6;
const RATE_SAMPLE_BYTES = 1 << 20;
const RATE_SAMPLE_MS = 400;
// The big files fetched as streams (the wasm by instantiateStreaming, the zip by Pyodide), with
// the Content-Type of their decoded form (instantiateStreaming requires application/wasm).
const STREAMED = { "pyodide.asm.wasm": "application/wasm", "python_stdlib.zip": "application/zip" };
const SMALLER_THAN_GZIP = /\b(br|zstd)\b/i;
const DECODED_BY_SERVICE_WORKER = "?decoded-from=gz";   // quiz-sw.js's QUERY
const KEPT_BY_SERVICE_WORKER = "?kept";                 // quiz-sw.js's KEPT_QUERY

const realFetch = globalThis.fetch.bind(globalThis);

// Where the start-up's time goes, as marks in the worker's own timeline (read by
// bench/quiz_phases.py through the worker's performance.getEntriesByType("mark")).
function mark(name) {
  try { performance.mark(`quiz-worker:${name}`); } catch { /* no User Timing: nothing to note */ }
}
let givePageRequest;
const pageRequest = new Promise((resolve) => { givePageRequest = resolve; });

// ---- failures: a runtime file that fails to arrive ends the start-up at once ----

let reportFailure;
const failure = new Promise((_, reject) => { reportFailure = reject; });
function fileName(url) {
  return String(url).split("?")[0].split("/").pop();
}

// ---- progress, in bytes ----

const tracked = new Map(); // url -> {expected (decoded bytes), wire (bytes on the wire), loaded}
let lastReport = 0;

function track(url, expected) {
  if (!tracked.has(url)) {
    let arrived;
    const done = new Promise((resolve) => { arrived = resolve; });
    tracked.set(url, { expected, wire: expected, loaded: 0, done, arrived });
  }
  return tracked.get(url);
}

function report(force) {
  const now = performance.now();
  if (!force && now - lastReport < 100) return;
  lastReport = now;
  let loaded = 0;
  let total = 0;
  for (const file of tracked.values()) {
    total += file.wire;
    loaded += file.expected ? Math.min(1, file.loaded / file.expected) * file.wire : 0;
  }
  postMessage({ type: "progress", loaded: Math.round(loaded), total: Math.round(total) });
}

// The response itself, and a counter of its bytes as they arrive: a clone is read at once
// (counting, so that progress follows the network even before Pyodide reads the response).
// The response is handed on as fetch() gave it, with its URL: Chromium keeps the wasm's
// compiled code beside such a response and reuses it on the next visit (V8's code cache),
// which it cannot do for a `new Response(stream)`.
function counted(response, url, expected) {
  const file = track(url, expected);
  // A file fetched again in another form (the plain name given up for the copy) is counted
  // afresh: the abandoned response's counter stops touching it.
  const generation = file.generation = (file.generation || 0) + 1;
  file.loaded = 0;
  file.expected = file.wire = expected || file.expected;
  const length = Number(response.headers.get("Content-Length"));
  // Compressed by the host: the body we read is decoded, the line carries Content-Length bytes.
  if (response.headers.get("Content-Encoding") && length > 0) file.wire = length;
  else if (length > 0) file.expected = file.wire = length;
  if (!response.body) {
    file.arrived();
    return response;
  }
  const counting = response.clone().body;
  (async () => {
    const reader = counting.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (file.generation !== generation) return reader.cancel();
      if (done) break;
      file.loaded += value.byteLength;
      report(false);
    }
    file.loaded = file.expected;
    report(true);
    file.arrived();
  })().catch(() => {}); // a broken body fails Pyodide's own read too, which is reported
  return response;
}

async function fetchChecked(url, init) {
  let response;
  try {
    response = await realFetch(url, init);
  } catch (error) {
    reportFailure(new Error(`Le fichier ${fileName(url)} n'a pas pu être chargé.`));
    throw error;
  }
  if (!response.ok) {
    const error = new Error(`Le fichier ${fileName(url)} est introuvable (${response.status}).`);
    reportFailure(error);
    throw error;
  }
  return response;
}

// Files of the content-named folder never change: a copy in the HTTP cache, however old, is
// the right one (no revalidation round trip). Otherwise from the network, counted.
async function fetchImmutable(url, expected, key = url, init = {}) {
  try {
    const cached = await realFetch(url, { cache: "only-if-cached", mode: "same-origin" });
    if (cached.ok) return { response: counted(cached, key, expected), fromCache: true };
  } catch {
    // not in the cache
  }
  return { response: counted(await fetchChecked(url, init), key, expected), fromCache: false };
}

// ---- the big files: compressed copies decoded here, checked against their hash ----

// How each streamed file starts once decoded: a copy that already starts so was unpacked by the
// browser (a host that labels FILE.br or FILE.gz with a Content-Encoding) and is kept as it is.
const PLAIN_START = { "pyodide.asm.wasm": [0x00, 0x61, 0x73, 0x6d], "python_stdlib.zip": [0x50, 0x4b, 0x03, 0x04] };  // \0asm, PK\3\4
const BROTLI_OUTPUT = 1 << 20;     // bytes the decoder may write per call (fewer calls, fewer copies)
const BROTLI = { done: 1, needsInput: 2, needsOutput: 3 };   // brotli-dec-wasm's result codes

function gunzip() {
  return new DecompressionStream("gzip");
}

// brotli-dec-wasm's streaming decoder as a TransformStream (it has no DecompressionStream of its own).
function unbrotli(decoder) {
  const state = new decoder.DecompressStream();
  let finished = false;
  return new TransformStream({
    transform(chunk, controller) {
      let offset = 0;
      for (;;) {
        const result = state.decompress(chunk.subarray(offset), BROTLI_OUTPUT);
        const { code } = result;
        offset += result.input_offset;
        const output = result.buf;
        result.free();
        if (output.byteLength) controller.enqueue(output);
        if (code === BROTLI.done) { finished = true; return; }
        if (code !== BROTLI.needsOutput) return; // needsInput: the next chunk
      }
    },
    flush() {
      state.free();
      if (!finished) throw new Error("brotli stream cut short");
    },
  });
}

// The body, decoded by `decoder()` unless it already starts with the plain file's bytes `wanted`.
async function decodedUnlessPlain(body, wanted, decoder) {
  const reader = body.getReader();
  const head = [];
  const start = [];
  let done = false;
  while (start.length < wanted.length) {
    const chunk = await reader.read();
    if (chunk.done) { done = true; break; }
    head.push(chunk.value);
    for (const byte of chunk.value.subarray(0, wanted.length - start.length)) start.push(byte);
  }
  const stream = new ReadableStream({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
      if (done) controller.close();
    },
    async pull(controller) {
      const chunk = await reader.read();
      if (chunk.done) controller.close();
      else controller.enqueue(chunk.value);
    },
    cancel(reason) { return reader.cancel(reason); },
  });
  return wanted.every((byte, i) => start[i] === byte) ? stream : stream.pipeThrough(decoder());
}

function base64(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer)));
}

// Passes the bytes on as they come, and ends the stream only once their sha256 is the expected
// one. A file that does not match, or cannot be decoded, errors the stream (nothing built from
// it completes) and ends the start-up with the message any file that fails to load gets.
// Without crypto.subtle (a page on plain http, where nothing can be trusted anyway) the bytes
// are passed on unchecked.
function checked(decoded, expected, name) {
  const reader = decoded.getReader();
  const verify = Boolean(expected && self.crypto && crypto.subtle);
  const chunks = [];
  let length = 0;
  const refuse = (controller) => {
    const error = new Error(`Le fichier ${name} n'a pas pu être chargé.`);
    reportFailure(error);
    controller.error(error);
  };
  return new ReadableStream({
    async pull(controller) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        refuse(controller); // cut off, or not a valid gzip/brotli stream
        return;
      }
      if (!chunk.done) {
        if (verify) chunks.push(chunk.value);
        length += chunk.value.byteLength;
        controller.enqueue(chunk.value);
        return;
      }
      if (verify) {
        const whole = new Uint8Array(length);
        let at = 0;
        for (const part of chunks.splice(0)) { whole.set(part, at); at += part.byteLength; }
        if (base64(await crypto.subtle.digest("SHA-256", whole)) !== expected) {
          refuse(controller);
          return;
        }
      }
      controller.close();
    },
    cancel(reason) { return reader.cancel(reason); },
  });
}

// The brotli decoder shipped in the runtime folder (npm brotli-dec-wasm): its module imported
// from its own URL (the CSP allows no other way), its wasm fetched and counted like the rest.
// Its wasm comes as its .gz copy where the browser can gunzip (half the bytes on a host that
// compresses nothing), checked against its hash like the big files.
function loadBrotliDecoder(config, folder) {
  const files = config.brotli_decoder;
  const key = folder + files.wasm;
  const copy = files.gzip && typeof DecompressionStream === "function" ? files.gzip : null;
  track(key, copy ? copy.size : files.size);
  const wasm = (async () => {
    const got = await fetchImmutable(copy ? folder + copy.file : key, copy ? copy.size : files.size, key);
    const body = copy ? await decodedUnlessPlain(got.response.body, PLAIN_START["pyodide.asm.wasm"], gunzip)
      : got.response.body;
    return new Response(checked(body, files.hash, files.wasm), { headers: { "Content-Type": "application/wasm" } });
  })();
  return import(folder + files.module).then(async (decoder) => {
    await decoder.default({ module_or_path: await wasm });
    return decoder;
  }).catch((error) => {
    reportFailure(new Error(`Le fichier ${files.module} n'a pas pu être chargé.`));
    throw error;
  });
}

// The copies of `name` the worker can decode, the smallest first: {file, size, decoder: a
// function giving the promise of a function that makes the decoding TransformStream}.
// `brotliDecoder` loads the decoder on its first call (a visit that needs no copy fetches none).
function copiesOf(config, name, brotliDecoder) {
  const copies = [];
  const brotli = config.brotli && config.brotli[name];
  if (brotli && brotliDecoder) copies.push({ ...brotli, decoder: () => brotliDecoder().then((module) => () => unbrotli(module)) });
  const gzip = config.gzip && config.gzip[name];
  if (gzip && typeof DecompressionStream === "function") copies.push({ ...gzip, decoder: () => Promise.resolve(gunzip) });
  return copies.sort((a, b) => a.size - b.size);
}

// Resolves once the whole body matches the manifest's sha256; else the start-up ends with the
// usual message (checked) and the promise is rejected.
async function hashChecked(body, expected, name) {
  const reader = checked(body, expected, name).getReader();
  while (!(await reader.read()).done);
}

// Cache Storage keeps the files this worker decoded (the .br/.gz copies), by their plain URL:
// the next visit neither fetches nor decodes them, nor loads the decoder. (Read here, such an
// entry has no URL and its wasm gets no code cache: the wasm is asked of the service worker
// instead, keptWithUrl.)
// It also keeps the rules' bytecode (see RULES_BYTECODE). Entries of an older runtime folder
// or wheel are removed once the quiz is ready (pruneStore).
const STORE = "quiz-runtime";

async function openStore() {
  try {
    return self.caches ? await caches.open(STORE) : null;
  } catch {
    return null;  // no Cache Storage (an opaque origin, storage blocked): decoded every visit
  }
}

async function pruneStore(store, wanted) {
  if (!store) return;
  try {
    for (const request of await store.keys()) if (!wanted.includes(request.url)) await store.delete(request);
  } catch {
    // not kept tidy this time
  }
}

// The wasm kept in Cache Storage, as the runtime's service worker hands it (quiz-sw.js, KEPT_QUERY):
// such a response has a URL, so Chromium may keep its compiled code for the next visit (V8's code
// cache; traced: produced on some returning visits, never for the worker's own read, which has no
// URL). Null without the service worker: "only-if-cached" then finds nothing in the HTTP cache and
// sends no request.
async function keptWithUrl(key, name) {
  if (name !== "pyodide.asm.wasm") return null;   // the only file compiled from its response
  try {
    const response = await realFetch(key + KEPT_BY_SERVICE_WORKER, { cache: "only-if-cached", mode: "same-origin" });
    if (!response.ok) return null;
    mark("wasm-kept-with-url");
    return response;
  } catch {
    return null;
  }
}

// A plain file as it came (from the network, the HTTP cache or Cache Storage): the wasm is
// handed on as it is, with its URL (V8's code cache), its hash checked on a clone
// (beingVerified, awaited before the compiled wasm is used); another file, or a wasm without its
// Content-Type, is passed through `checked`, which errors its stream when the hash differs.
const beingVerified = new WeakMap();  // a response handed on as it is -> its hash check

function handedOn(response, name, hash, fromCache) {
  const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
  if (name === "pyodide.asm.wasm" && type === STREAMED[name]) {
    const verified = hashChecked(response.clone().body, hash, name);
    verified.catch(() => {});  // reported by `checked`; awaited before the wasm is used
    beingVerified.set(response, verified);
    return { response, fromCache };
  }
  const body = checked(response.body, hash, name);
  return { response: new Response(body, { status: 200, headers: { "Content-Type": STREAMED[name] } }), fromCache };
}

// One of STREAMED: {response (decoded, with its Content-Type), fromCache}. Progress is tracked
// under the plain name's URL, in bytes of what really comes (the copy's when it is used).
async function fetchRuntimeFile(config, folder, name, hostCompresses, brotliDecoder, store) {
  const key = folder + name;
  const hash = config.hashes && config.hashes[name];
  const kept = store ? await store.match(key).catch(() => null) : null;
  if (kept) {
    failure.catch(() => store.delete(key).catch(() => {}));  // a failed start fetches it again next time
    return handedOn(counted((await keptWithUrl(key, name)) || kept, key, config.sizes[name]), name, hash, true);
  }
  const copy = copiesOf(config, name, brotliDecoder)[0] || null;
  let got = null;
  if (hostCompresses || !copy) {
    const abort = new AbortController();
    got = await fetchImmutable(key, config.sizes[name], key, { signal: abort.signal });
    const encoding = got.response.headers.get("Content-Encoding") || "";
    if (copy && !got.fromCache && !SMALLER_THAN_GZIP.test(encoding)) {
      abort.abort(); // the host sends this one as is, or gzip'd on the fly: the build's copy is smaller
      got = null;
    }
  }
  if (got) return handedOn(got.response, name, hash, got.fromCache);
  const decoder = copy.decoder();
  got = await fetchImmutable(folder + copy.file, copy.size, key);
  const body = await decodedUnlessPlain(got.response.body, PLAIN_START[name], await decoder);
  let decoded = checked(body, hash, name);
  if (store) {
    // A forged or cut copy errors the stream: put() then fails and nothing is kept.
    const [mine, toKeep] = decoded.tee();
    decoded = mine;
    store.put(key, new Response(toKeep, { headers: { "Content-Type": STREAMED[name] } })).catch(() => {});
  }
  const response = new Response(decoded, { status: 200, headers: { "Content-Type": STREAMED[name] } });
  return { response, fromCache: got.fromCache };
}

// Pyodide fetches the wasm, the stdlib and the wheel itself: it gets the responses started
// early (same URL), and every other fetch is counted and checked too.
const started = new Map(); // url -> Promise<Response>
globalThis.fetch = async (input, init) => {
  const url = new URL(String(input && input.url ? input.url : input), here).href;
  if (started.has(url)) {
    const early = started.get(url);
    started.delete(url);
    return early;
  }
  return counted(await fetchChecked(input, init), url, 0);
};

// ---- start-up ----

function wasmAllowed() {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return true;
  } catch {
    return false;
  }
}

// Bytes per second of the wasm's first bytes (after decoding: the gzip'd copy's bytes count for
// the plain bytes they hold).
function measureRate(file, startedAt, decodedSize) {
  return new Promise((resolve) => {
    const check = () => {
      const elapsed = performance.now() - startedAt;
      if (file.loaded >= Math.min(RATE_SAMPLE_BYTES, file.expected) || elapsed >= RATE_SAMPLE_MS) {
        resolve(file.loaded * (decodedSize / file.expected) / Math.max(elapsed, 1) * 1000);
      } else setTimeout(check, 20);
    };
    check();
  });
}

async function chooseSnapshot(config, wasm, wasmFile, wasmStartedAt) {
  const snapshot = config.snapshot;
  const { policy } = await pageRequest;
  if (!snapshot || policy === "never" || typeof DecompressionStream !== "function") return null;
  if (self.navigator && navigator.connection && navigator.connection.saveData) return null;
  const url = here + snapshot.file;
  let response = null;
  try {
    const cached = await realFetch(url, { cache: "only-if-cached", mode: "same-origin", integrity: snapshot.integrity });
    if (cached.ok) response = cached;
  } catch {
    // not in the cache
  }
  if (!response) {
    if ((await wasm).fromCache) return null; // a cached visit: the network's speed is unknown
    if (policy !== "always" && await measureRate(wasmFile, wasmStartedAt, config.sizes["pyodide.asm.wasm"]) < SNAPSHOT_MIN_RATE) return null;
    track(url, snapshot.size);
    report(true);
    response = await fetchChecked(url, { integrity: snapshot.integrity });
  }
  const body = counted(response, url, snapshot.size).body;
  return new Response(body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

// ---- the rules' bytecode, kept for the next visit ----
// The wheel ships the rules as sources: Python compiles them at every start (≈ a third of
// importing them). The first visit has Python write their bytecode while importing, and keeps
// it in Cache Storage, under a key named after the Pyodide folder (Python's version) and the
// wheel's file (named after its content): the next visit puts it back beside the sources as
// unchecked hash-based .pyc files, which Python loads without compiling. Bytecode that Python
// cannot load is dropped and the rules are imported from their sources.
const RULES_BYTECODE = `
import marshal, os, sys, _imp
import _frozen_importlib_external as _external

_MAGIC_TOKEN = getattr(_imp, "pyc_magic_number_token", None) or getattr(_external, "_RAW_MAGIC_NUMBER", None)

def _site_packages():
    import generator
    return os.path.dirname(os.path.dirname(generator.__file__))

def quiz_rules_bytecode():
    """{.pyc path: bytes} of the rules' modules just imported, as unchecked hash-based pycs."""
    root, kept = _site_packages() + os.sep, {}
    for module in list(sys.modules.values()):
        source, cached = getattr(module, "__file__", None), getattr(module, "__cached__", None)
        if not (source and cached and source.startswith(root) and os.path.exists(cached)):
            continue
        with open(source, "rb") as file:
            digest = _imp.source_hash(_MAGIC_TOKEN, file.read())   # as importlib.util.source_hash
        with open(cached, "rb") as file:
            timestamped = file.read()
        kept[cached] = timestamped[:4] + (1).to_bytes(4, "little") + digest + timestamped[16:]
    return marshal.dumps(kept)

def quiz_rules_bytecode_put(blob, remove=False):
    """Writes (or, with remove, deletes) the kept .pyc files, inside site-packages only."""
    root = _site_packages() + os.sep
    blob = blob.to_bytes() if hasattr(blob, "to_bytes") else bytes(blob)
    for path, data in marshal.loads(blob).items():
        if not os.path.normpath(path).startswith(root) or not path.endswith(".pyc"):
            continue
        if remove:
            if os.path.exists(path):
                os.remove(path)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)
`;

async function importRules(pyodide, store, key) {
  let kept = null;
  try {
    kept = store ? await store.match(key) : null;
    kept = kept ? new Uint8Array(await kept.arrayBuffer()) : null;
  } catch {
    kept = null;
  }
  const helpers = pyodide.runPython(RULES_BYTECODE + "\n(quiz_rules_bytecode, quiz_rules_bytecode_put)").toJs();
  const [collect, put] = helpers;
  if (kept) {
    try {
      put(kept);
      const evaluate = pyodide.pyimport("quiz_entry").evaluate_typed;
      mark("rules-from-bytecode");
      return evaluate;
    } catch {
      try { put(kept, true); } catch { /* nothing was written */ }
      store.delete(key).catch(() => {});
    }
  }
  pyodide.runPython("import sys; sys.dont_write_bytecode = False");
  const evaluate = pyodide.pyimport("quiz_entry").evaluate_typed;
  pyodide.runPython("import sys; sys.dont_write_bytecode = True");
  if (store) {
    setTimeout(() => {  // once "ready" is posted: not on the way to the first result
      try {
        const proxy = collect();
        const blob = proxy.toJs();
        proxy.destroy();
        store.put(key, new Response(blob, { headers: { "Content-Type": "application/octet-stream" } })).catch(() => {});
      } catch {
        // not kept: the next visit compiles again
      }
    }, 0);
  }
  return evaluate;
}

async function boot() {
  if (typeof WebAssembly !== "object") throw new Error("WebAssembly n'est pas disponible dans ce navigateur.");
  if (!wasmAllowed()) throw new Error("WebAssembly n'est pas autorisé sur cette page.");
  const manifest = await fetchChecked(here + "quiz-runtime.json", { cache: "no-cache" });
  // The manifest has .br/.gz siblings too: answered in brotli, the host compresses well itself.
  const hostCompresses = SMALLER_THAN_GZIP.test(manifest.headers.get("Content-Encoding") || "");
  const config = await manifest.json();
  mark("manifest");
  const folder = new URL(config.folder, here).href;
  const lock = fetchChecked(here + "quiz-lock.json", { cache: "no-cache" }).then((response) => response.text());
  const rules = pageRequest.then(async ({ file, integrity }) =>
    (await fetchChecked(new URL(file, here).href, { integrity })).text());

  // Everything starts at once; Pyodide is handed what is already on its way.
  const [wasmUrl, stdlibUrl, moduleUrl] = ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide.asm.mjs"].map((name) => {
    track(folder + name, config.sizes[name]);
    return folder + name;
  });
  track(here + config.wheel.file, config.wheel.size);
  const wasmStartedAt = performance.now();
  // Where the host does not send brotli, the build's .br copies and the decoder to read them.
  let decoderLoaded = null;
  const brotliDecoder = !hostCompresses && config.brotli_decoder
    ? () => (decoderLoaded = decoderLoaded || loadBrotliDecoder(config, folder)) : null;
  const store = await openStore();
  const wasm = fetchRuntimeFile(config, folder, "pyodide.asm.wasm", hostCompresses, brotliDecoder, store);
  const wasmFile = tracked.get(wasmUrl);
  wasm.then((got) => mark(got.fromCache ? "wasm-response-cached" : "wasm-response"), () => {});
  wasmFile.done.then(() => mark("wasm-in"));
  started.set(wasmUrl, wasm.then((got) => got.response));
  const stdlib = fetchRuntimeFile(config, folder, "python_stdlib.zip", hostCompresses, brotliDecoder, store);
  started.set(stdlibUrl, stdlib.then((got) => got.response));
  tracked.get(stdlibUrl).done.then(() => mark("stdlib-in"));
  // Imported from its own URL, not from a fetched copy: a module made from a blob: URL is
  // refused by the site's Content-Security-Policy (script-src 'self'). Counted when it is in.
  // Where the host compressed nothing (the manifest came as it is), asked for with the query
  // the runtime's service worker answers (quiz-sw.js: decoded from the build's .gz copy); a
  // host without the service worker ignores the query and sends the file.
  const moduleFile = tracked.get(moduleUrl);
  const hostEncodes = Boolean(manifest.headers.get("Content-Encoding"));
  const moduleCopy = (config.decoded_by_service_worker || {})["pyodide.asm.mjs"];
  if (!hostEncodes && moduleCopy) moduleFile.wire = moduleCopy.size;   // the progress counts its .gz copy
  const asmModule = import(hostEncodes ? moduleUrl : moduleUrl + DECODED_BY_SERVICE_WORKER).then((module) => {
    mark("asm-module");
    moduleFile.loaded = moduleFile.expected;
    report(true);
    moduleFile.arrived();
    return module;
  }, (error) => {
    reportFailure(new Error(`Le fichier ${fileName(moduleUrl)} n'a pas pu être chargé.`));
    throw error;
  });
  report(true);
  const { loadPyodide } = await import(folder + "pyodide.mjs");

  const options = {
    indexURL: folder,
    // The lock names this build's wheel: revalidated like the manifest, never taken stale from
    // a cache while the wheel it names has been replaced.
    lockFileContents: lock,
    packageBaseUrl: here,     // never a CDN: every file comes from this site
    createPyodideModule: (await asmModule).default,
    stdout: () => {},
    stderr: () => {},
  };
  const snapshot = await chooseSnapshot(config, wasm, wasmFile, wasmStartedAt);
  // Pyodide's wasm compiles while it streams in; it is used only once its bytes matched their
  // hash. (The brotli decoder's wasm goes through here too, and is checked by `checked`.)
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    const verified = beingVerified.get(response);
    if (!verified) return instantiateStreaming.call(WebAssembly, response, imports);
    mark("wasm-compile");
    const [instantiated] = await Promise.all([instantiateStreaming.call(WebAssembly, response, imports), verified]);
    mark("wasm-instantiated");
    return instantiated;
  };
  mark(snapshot ? "snapshot-in" : "no-snapshot");
  if (snapshot) options._loadSnapshot = snapshot;  // private Pyodide option: see runtime.py
  // Once the big files are in, no more bytes come until the wheel: Python is starting (CPU).
  const bigFiles = [...tracked.entries()].filter(([url]) => !url.endsWith(".whl")).map(([, file]) => file.done);
  Promise.all(bigFiles).then(() => postMessage({ type: "phase", text: "Démarrage du calcul…" }));
  const pyodide = await loadPyodide(options);
  mark("python-booted");
  const problems = [];
  await pyodide.loadPackage(PACKAGE, {
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  });
  // loadPackage does not throw: it reports through the callback. Check what was really loaded.
  if (!pyodide.loadedPackages[PACKAGE]) {
    throw new Error(`Les règles n'ont pas pu être chargées (${problems.join(" ; ") || "paquet absent"}).`);
  }
  mark("wheel-loaded");
  const bytecodeKey = `${folder}bytecode/${config.wheel.file}`;
  const evaluate = await importRules(pyodide, store, bytecodeKey);
  mark("rules-imported");
  const programmeJson = await rules;
  pruneStore(store, [...Object.keys(STREAMED).map((name) => folder + name), bytecodeKey]);
  return (typed, today) => evaluate(programmeJson, typed, today);
}

const ready = Promise.race([boot(), failure]);
ready.then(
  () => { mark("ready"); postMessage({ type: "ready" }); },
  (error) => postMessage({ type: "failed", detail: String(error && error.message ? error.message : error) }),
);

onmessage = async (event) => {
  const message = event.data;
  if (message.type === "start") {
    givePageRequest({ file: message.rules, integrity: message.integrity, policy: message.snapshot || "auto" });
    return;
  }
  if (message.type !== "evaluate") return;
  let evaluate;
  try {
    evaluate = await ready;
  } catch {
    return; // already reported as "failed"
  }
  try {
    mark("evaluation-start");
    const outcome = evaluate(message.typed, message.today);
    const [payload, partial, shown] = outcome.toJs();
    outcome.destroy();
    mark("evaluation-end");
    postMessage({ type: "result", id: message.id, payload, partial: partial ?? null, shown: shown ?? null });
  } catch (error) {
    postMessage({ type: "failed", detail: String(error && error.message ? error.message : error) });
  }
};
