// Parity runner: boots Pyodide once from a built quiz runtime folder (the very files the site
// serves: content-named Pyodide folder with its trimmed stdlib, lock, wheel, rules data files),
// loads our wheel through our lock file, and evaluates every case with quiz_entry.evaluate, the
// function the browser's worker calls, on the programme's published rules data file. Network is
// forbidden: a load by name that would fall back to a CDN fails instead.
//
//   node tests/js/parity.mjs RUNTIME_DIR CASES.json OUT.json [snapshot|fresh]
//
// CASES.json: [{"programme": id, "answers": "<answers JSON text>", "today": "YYYY-MM-DD", "typed": bool}, …]
//             (typed: answers are [[key, text], …] as the page sends them, for evaluate_typed)
// OUT.json:   {"loaded": {...pyodide.loadedPackages}, "snapshot": file or null, "stdlib_files": n,
//              "results": ["<result JSON text>", …]}
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const [runtimeDir, casesPath, outPath] = process.argv.slice(2, 5).map((p) => path.resolve(p));
const boot = process.argv[5] || "snapshot";
const PACKAGE = "catalogue-rules";

const requested = [];
globalThis.fetch = async (url) => {
  requested.push(String(url));
  throw new Error(`network is off in the parity run: ${url}`);
};

const config = JSON.parse(await readFile(path.join(runtimeDir, "quiz-runtime.json"), "utf8"));
const folder = path.join(runtimeDir, config.folder);
const { loadPyodide } = await import(pathToFileURL(path.join(folder, "pyodide.mjs")).href);
// Boot as the browser does: from the build's memory snapshot (fast links) or afresh (the others).
const useSnapshot = boot === "snapshot" && config.snapshot;
const pyodide = await loadPyodide({
  indexURL: folder + path.sep,
  lockFileURL: path.join(runtimeDir, "quiz-lock.json"),
  packageBaseUrl: runtimeDir + path.sep,
  stdout: () => {},
  ...(useSnapshot ? { _loadSnapshot: gunzipSync(await readFile(path.join(runtimeDir, config.snapshot.file))) } : {}),
});
const failures = [];
await pyodide.loadPackage(PACKAGE, {
  messageCallback: () => {},
  errorCallback: (message) => failures.push(message),
});
if (!pyodide.loadedPackages[PACKAGE] || failures.length) {
  console.error(`could not load ${PACKAGE}: ${failures.join(" / ") || "not in loadedPackages"}`);
  console.error(`network requests attempted: ${requested.length}`);
  process.exit(1);
}

const rules = {};
for (const [id, published] of Object.entries(config.rules)) {
  rules[id] = await readFile(path.join(runtimeDir, published.file), "utf8");
}
const entry = pyodide.pyimport("quiz_entry");
const cases = JSON.parse(await readFile(casesPath, "utf8"));
const results = cases.map((c) => {
  // typed: the page's path (what was typed, read by Python): [payload, partial, shown] as JSON
  const outcome = (c.typed ? entry.evaluate_typed : entry.evaluate)(rules[c.programme], c.answers, c.today);
  const parts = outcome.toJs();
  outcome.destroy();
  return c.typed ? JSON.stringify(parts) : parts[0];
});
const stdlibFiles = pyodide.runPython(`
import sys, zipfile
len(zipfile.ZipFile("/lib/python%d%d.zip" % sys.version_info[:2]).namelist())
`);
await writeFile(outPath, JSON.stringify({
  loaded: pyodide.loadedPackages,
  snapshot: useSnapshot ? config.snapshot.file : null,
  stdlib_files: stdlibFiles,
  network_requests: requested,
  results,
}));
