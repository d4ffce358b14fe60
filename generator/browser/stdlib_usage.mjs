// Build-time survey: which files of Pyodide's standard library does the quiz really use?
// Boots Pyodide on its FULL python_stdlib.zip, loads our wheel through our lock file as the worker
// does, runs the probe evaluations through quiz_entry (the worker's own entry point),
// and lists every module then loaded from the stdlib zip. The build ships a zip of just those.
//
//   node stdlib_usage.mjs PYODIDE_DIR RUNTIME_DIR PROBES.json OUT.json
//
// PYODIDE_DIR: the npm package's files; RUNTIME_DIR: quiz-lock.json and the wheel it names.
// PROBES.json: [{"programme_json": text, "answers": text, "today": "YYYY-MM-DD", "typed": bool}, …]
//              (typed: answers are [[key, text], …] as the page sends them, for evaluate_typed)
// OUT.json:    {"zip": "/lib/python3XX.zip", "modules": {name: path inside the zip},
//               "compiled": {"path/of/module.pyc": base64 of its bytecode}}
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
const entry = pyodide.pyimport("quiz_entry");
for (const probe of JSON.parse(await readFile(probesPath, "utf8"))) {
  (probe.typed ? entry.evaluate_typed : entry.evaluate)(probe.programme_json, probe.answers, probe.today).destroy();
}
// Each used module is also compiled here, by the very Python the browser runs, into an
// unchecked-hash .pyc (valid whatever its date; never compared with a source): importing it
// skips compiling the source at every start-up, which is most of Python's start on a slow CPU
// (measured in Node: 1.5-2.4 s instead of 4.9-11 s, machine under load). Docstrings, asserts
// (optimize=2) and line tables are left out: the same size on the wire as the sources, gzip'd.
// Only the standard library is compiled so; tracebacks inside it have no line numbers. Our
// own code (the wheel) keeps its sources and lines.
const found = pyodide.runPython(`
import base64, importlib.util, json, marshal, sys, zipfile
zip_path = "/lib/python%d%d.zip" % sys.version_info[:2]
modules = {}
for name, module in list(sys.modules.items()):
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or getattr(module, "__file__", None)
    if isinstance(origin, str) and origin.startswith(zip_path + "/"):
        modules[name] = origin[len(zip_path) + 1:]
import types
def _strip(code):
    consts = tuple(_strip(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=b"", co_consts=consts)
compiled = {}
with zipfile.ZipFile(zip_path) as stdlib:
    for path in sorted(set(modules.values())):
        if path.endswith(".py"):
            source = stdlib.read(path)
            code = _strip(compile(source, path, "exec", dont_inherit=True, optimize=2))
            pyc = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + importlib.util.source_hash(source) + marshal.dumps(code)
            compiled[path + "c"] = base64.b64encode(pyc).decode("ascii")
json.dumps({"zip": zip_path, "modules": modules, "compiled": compiled}, sort_keys=True)
`);
await writeFile(outPath, found);
