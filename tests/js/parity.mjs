// Parity runner: boots Pyodide once from a built quiz runtime folder (the same files the site
// serves), loads our wheel through our lock file, and evaluates every case with the wheel's
// generator.rules.api.evaluate_json. Network is forbidden: a load by name that would fall back
// to a CDN fails instead.
//
//   node tests/js/parity.mjs RUNTIME_DIR CASES.json OUT.json
//
// CASES.json: [{"programme": id, "answers": "<answers JSON text>", "today": "YYYY-MM-DD"}, …]
// OUT.json:   {"loaded": {...pyodide.loadedPackages}, "results": ["<result JSON text>", …]}
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const [runtimeDir, casesPath, outPath] = process.argv.slice(2).map((p) => path.resolve(p));
const PACKAGE = "catalogue-rules";

const requested = [];
globalThis.fetch = async (url) => {
  requested.push(String(url));
  throw new Error(`network is off in the parity run: ${url}`);
};

const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
// Boot as the browser does: from the build's memory snapshot when there is one.
const config = JSON.parse(await readFile(path.join(runtimeDir, "quiz-runtime.json"), "utf8"));
const pyodide = await loadPyodide({
  indexURL: runtimeDir + path.sep,
  lockFileURL: path.join(runtimeDir, "quiz-lock.json"),
  packageBaseUrl: runtimeDir + path.sep,
  stdout: () => {},
  ...(config.snapshot
    ? { _loadSnapshot: gunzipSync(await readFile(path.join(runtimeDir, config.snapshot.file))) }
    : {}),
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

const evaluate = pyodide.runPython(`
from importlib.resources import files
from generator.rules.api import evaluate_json

def _data(programme_id):
    return files("generator").joinpath("catalogue_data", programme_id + ".json").read_text(encoding="utf-8")

lambda programme_id, answers, today: evaluate_json(_data(programme_id), answers, today)
`);
const cases = JSON.parse(await readFile(casesPath, "utf8"));
const results = cases.map((c) => evaluate(c.programme, c.answers, c.today));
evaluate.destroy();
await writeFile(outPath, JSON.stringify({
  loaded: pyodide.loadedPackages,
  snapshot: config.snapshot ? config.snapshot.file : null,
  network_requests: requested,
  results,
}));
