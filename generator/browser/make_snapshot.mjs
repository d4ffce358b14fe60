// Build-time helper: boots Pyodide from a runtime folder (the trimmed stdlib the site ships),
// imports the standard-library modules the quiz uses (the survey's list: the package loader's
// and the rules'), and writes a gzip'd memory snapshot of that state. The browser may restore it
// instead of starting Python from scratch. Our own wheel is NOT in the snapshot: the page still
// loads it through the lock file, hash checked.
//
// Relies on Pyodide's PRIVATE options _makeSnapshot / _loadSnapshot (see runtime.py, next to
// where the pinned version is read): re-check them whenever package.json's pyodide changes.
//
//   node make_snapshot.mjs PYODIDE_FOLDER RUNTIME_DIR MODULES.json OUT.gz
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [pyodideFolder, runtimeDir, modulesPath, outPath] = process.argv.slice(2).map((p) => path.resolve(p));
globalThis.fetch = async (url) => { throw new Error(`no network while making the snapshot: ${url}`); };
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideFolder, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: pyodideFolder + path.sep,
  lockFileURL: path.join(runtimeDir, "quiz-lock.json"),
  packageBaseUrl: runtimeDir + path.sep,
  _makeSnapshot: true,
  stdout: () => {},
});
const modules = JSON.parse(await readFile(modulesPath, "utf8"));
pyodide.globals.set("_quiz_modules", pyodide.toPy(modules));
pyodide.runPython(`
import importlib
for _name in sorted(_quiz_modules):
    importlib.import_module(_name)
del _name, _quiz_modules
`);
const snapshot = pyodide.makeMemorySnapshot();
await writeFile(outPath, gzipSync(snapshot, { level: 9 }));
