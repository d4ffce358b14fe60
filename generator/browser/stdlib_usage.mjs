// Build-time survey: which files of Pyodide's standard library does the quiz really use?
// Boots Pyodide on its FULL python_stdlib.zip, loads our wheel through our lock file as the worker
// does, runs the probe evaluations through quiz_entry.evaluate (the worker's own entry point),
// and lists every module then loaded from the stdlib zip. The build ships a zip of just those.
//
//   node stdlib_usage.mjs PYODIDE_DIR RUNTIME_DIR PROBES.json OUT.json
//
// PYODIDE_DIR: the npm package's files; RUNTIME_DIR: quiz-lock.json and the wheel it names.
// PROBES.json: [{"programme_json": text, "answers": text, "today": "YYYY-MM-DD"}, …]
// OUT.json:    {"zip": "/lib/python3XX.zip", "modules": {name: path inside the zip}}
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, runtimeDir, probesPath, outPath] = process.argv.slice(2).map((p) => path.resolve(p));
globalThis.fetch = async (url) => { throw new Error(`no network while surveying the stdlib: ${url}`); };
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  lockFileURL: path.join(runtimeDir, "quiz-lock.json"),
  packageBaseUrl: runtimeDir + path.sep,
  stdout: () => {},
});
const problems = [];
await pyodide.loadPackage("catalogue-rules", { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
if (!pyodide.loadedPackages["catalogue-rules"]) {
  console.error(`could not load catalogue-rules: ${problems.join(" / ")}`);
  process.exit(1);
}
const evaluate = pyodide.pyimport("quiz_entry").evaluate;
for (const probe of JSON.parse(await readFile(probesPath, "utf8"))) {
  evaluate(probe.programme_json, probe.answers, probe.today).destroy();
}
const found = pyodide.runPython(`
import json, sys
zip_path = "/lib/python%d%d.zip" % sys.version_info[:2]
modules = {}
for name, module in list(sys.modules.items()):
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or getattr(module, "__file__", None)
    if isinstance(origin, str) and origin.startswith(zip_path + "/"):
        modules[name] = origin[len(zip_path) + 1:]
json.dumps({"zip": zip_path, "modules": modules}, sort_keys=True)
`);
await writeFile(outPath, found);
