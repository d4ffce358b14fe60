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

const realFetch = globalThis.fetch.bind(globalThis);
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

// A copy of the response, and a counter of its bytes as they arrive. The body is teed: one
// branch is read at once (counting, so that progress follows the network even before Pyodide
// reads its copy), the other is Pyodide's. Status and headers are kept (Content-Type:
// WebAssembly.instantiateStreaming needs application/wasm).
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
  const [counting, kept] = response.body.tee();
  (async () => {
    const reader = counting.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (file.generation !== generation) return;
      if (done) break;
      file.loaded += value.byteLength;
      report(false);
    }
    file.loaded = file.expected;
    report(true);
    file.arrived();
  })().catch(() => {}); // a broken body fails Pyodide's own read too, which is reported
  return new Response(kept, { status: response.status, statusText: response.statusText, headers: response.headers });
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

// The copies of `name` the worker can decode, the smallest first: {file, size, decoder: promise
// of a function that makes the decoding TransformStream}.
function copiesOf(config, name, brotliDecoder) {
  const copies = [];
  const brotli = config.brotli && config.brotli[name];
  if (brotli && brotliDecoder) copies.push({ ...brotli, decoder: brotliDecoder.then((module) => () => unbrotli(module)) });
  const gzip = config.gzip && config.gzip[name];
  if (gzip && typeof DecompressionStream === "function") copies.push({ ...gzip, decoder: Promise.resolve(gunzip) });
  return copies.sort((a, b) => a.size - b.size);
}

// One of STREAMED: {response (decoded, checked, with its Content-Type), fromCache}. Progress is
// tracked under the plain name's URL, in bytes of what really comes (the copy's when it is used).
async function fetchRuntimeFile(config, folder, name, hostCompresses, brotliDecoder) {
  const key = folder + name;
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
  const packed = !got;
  if (packed) got = await fetchImmutable(folder + copy.file, copy.size, key);
  const body = packed ? await decodedUnlessPlain(got.response.body, PLAIN_START[name], await copy.decoder) : got.response.body;
  const response = new Response(checked(body, config.hashes && config.hashes[name], name),
    { status: 200, headers: { "Content-Type": STREAMED[name] } });
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

async function boot() {
  if (typeof WebAssembly !== "object") throw new Error("WebAssembly n'est pas disponible dans ce navigateur.");
  if (!wasmAllowed()) throw new Error("WebAssembly n'est pas autorisé sur cette page.");
  const manifest = await fetchChecked(here + "quiz-runtime.json", { cache: "no-cache" });
  // The manifest has .br/.gz siblings too: answered in brotli, the host compresses well itself.
  const hostCompresses = SMALLER_THAN_GZIP.test(manifest.headers.get("Content-Encoding") || "");
  const config = await manifest.json();
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
  const brotliDecoder = !hostCompresses && config.brotli_decoder ? loadBrotliDecoder(config, folder) : null;
  const wasm = fetchRuntimeFile(config, folder, "pyodide.asm.wasm", hostCompresses, brotliDecoder);
  const wasmFile = tracked.get(wasmUrl);
  started.set(wasmUrl, wasm.then((got) => got.response));
  const stdlib = fetchRuntimeFile(config, folder, "python_stdlib.zip", hostCompresses, brotliDecoder);
  started.set(stdlibUrl, stdlib.then((got) => got.response));
  // Imported from its own URL, not from a fetched copy: a module made from a blob: URL is
  // refused by the site's Content-Security-Policy (script-src 'self'). Counted when it is in.
  const moduleFile = tracked.get(moduleUrl);
  const asmModule = import(moduleUrl).then((module) => {
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
  if (snapshot) options._loadSnapshot = snapshot;  // private Pyodide option: see runtime.py
  // Once the big files are in, no more bytes come until the wheel: Python is starting (CPU).
  const bigFiles = [...tracked.entries()].filter(([url]) => !url.endsWith(".whl")).map(([, file]) => file.done);
  Promise.all(bigFiles).then(() => postMessage({ type: "phase", text: "Démarrage du calcul…" }));
  const pyodide = await loadPyodide(options);
  const problems = [];
  await pyodide.loadPackage(PACKAGE, {
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  });
  // loadPackage does not throw: it reports through the callback. Check what was really loaded.
  if (!pyodide.loadedPackages[PACKAGE]) {
    throw new Error(`Les règles n'ont pas pu être chargées (${problems.join(" ; ") || "paquet absent"}).`);
  }
  const evaluate = pyodide.pyimport("quiz_entry").evaluate_typed;
  const programmeJson = await rules;
  return (typed, today) => evaluate(programmeJson, typed, today);
}

const ready = Promise.race([boot(), failure]);
ready.then(
  () => postMessage({ type: "ready" }),
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
    const outcome = evaluate(message.typed, message.today);
    const [payload, partial, shown] = outcome.toJs();
    outcome.destroy();
    postMessage({ type: "result", id: message.id, payload, partial: partial ?? null, shown: shown ?? null });
  } catch (error) {
    postMessage({ type: "failed", detail: String(error && error.message ? error.message : error) });
  }
};
