// Build-time helper: boots Pyodide from a runtime folder, imports the standard-library modules
// the quiz needs (the package loader's and the rules'), and writes a gzip'd memory snapshot of
// that state. The browser restores it instead of starting Python from scratch. Our own wheel is
// NOT in the snapshot: the page still loads it through the lock file, hash checked.
//
//   node make_snapshot.mjs RUNTIME_DIR OUT.gz
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [runtimeDir, outPath] = process.argv.slice(2).map((p) => path.resolve(p));
globalThis.fetch = async (url) => { throw new Error(`no network while making the snapshot: ${url}`); };
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: runtimeDir + path.sep,
  lockFileURL: path.join(runtimeDir, "quiz-lock.json"),
  packageBaseUrl: runtimeDir + path.sep,
  _makeSnapshot: true,
  stdout: () => {},
});
pyodide.runPython(`
import calendar, dataclasses, datetime, importlib.resources, json, re, urllib.parse, zipfile
import email, encodings.cp437, importlib.metadata, tarfile  # what loadPackage imports
import pyodide._package_loader
`);
const snapshot = pyodide.makeMemorySnapshot();
await writeFile(outPath, gzipSync(snapshot, { level: 6 }));
