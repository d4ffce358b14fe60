// The quiz's Python: Pyodide boots here, off the page's main thread, as soon as the worker starts.
// Messages in:  {type: "evaluate", id, programme, answers (JSON text), today ("YYYY-MM-DD")}
// Messages out: {type: "progress", step, total, text} · {type: "arrived", name} (a runtime file)
//               {type: "ready"} · {type: "failed", detail}
//               {type: "result", id, payload: evaluate_json's JSON text, partial: JSON text or null}
import { loadPyodide } from "./pyodide.mjs";

const PACKAGE = "catalogue-rules";
const here = new URL("./", import.meta.url).href;

function progress(step, text) {
  postMessage({ type: "progress", step, total: 4, text });
}

async function boot() {
  if (typeof WebAssembly !== "object") {
    throw new Error("WebAssembly n'est pas disponible dans ce navigateur.");
  }
  progress(1, "Chargement de Python…");
  // quiz-runtime.json names the memory snapshot made at build time (a booted Python): restoring
  // it is much faster than starting Python. Revalidated, so that it always matches this build.
  const config = await realFetch(here + "quiz-runtime.json", { cache: "no-cache" })
    .then((response) => (response.ok ? response.json() : {}), () => ({}));
  const options = {
    indexURL: here,
    // The lock names this build's wheel: revalidated like quiz-runtime.json, never taken stale
    // from a cache while the wheel it names has been replaced.
    lockFileContents: fetch(here + "quiz-lock.json", { cache: "no-cache" }).then((response) => response.text()),
    packageBaseUrl: here,     // never a CDN: every file comes from this site
    stdout: () => {},
    stderr: () => {},
  };
  if (config.snapshot && typeof DecompressionStream === "function") {
    options._loadSnapshot = fetch(here + config.snapshot.file, { integrity: config.snapshot.integrity })
      .then((response) => new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  }
  const pyodide = await loadPyodide(options);
  progress(2, "Chargement des règles du catalogue…");
  const problems = [];
  await pyodide.loadPackage(PACKAGE, {
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  });
  // loadPackage does not throw: it reports through the callback. Check what was really loaded.
  if (!pyodide.loadedPackages[PACKAGE]) {
    throw new Error(`Les règles n'ont pas pu être chargées (${problems.join(" ; ") || "paquet absent"}).`);
  }
  progress(3, "Préparation du calcul…");
  const evaluate = pyodide.runPython(`
import json
from importlib.resources import files
from generator.rules.api import evaluate_json

_data = {}

def _programme_json(programme_id):
    if programme_id not in _data:
        _data[programme_id] = files("generator").joinpath("catalogue_data", programme_id + ".json").read_text(encoding="utf-8")
    return _data[programme_id]

def quiz_evaluate(programme_id, answers_json, today_iso):
    """The engine's answer, and when some answers are faulty, the result without them."""
    programme_json = _programme_json(programme_id)
    payload = evaluate_json(programme_json, answers_json, today_iso)
    outcome = json.loads(payload)
    partial = None
    if not outcome["ok"]:
        faulty = {error["key"] for error in outcome["errors"]}
        answers = json.loads(answers_json)
        if isinstance(answers, dict) and "" not in faulty:
            kept = {key: value for key, value in answers.items() if key not in faulty}
            second = json.loads(evaluate_json(programme_json, json.dumps(kept), today_iso))
            partial = json.dumps(second["result"], ensure_ascii=False) if second["ok"] else None
    return [payload, partial]

quiz_evaluate
`);
  return evaluate;
}

// A runtime file that fails to arrive (blocked, missing, wrong hash) would leave Pyodide waiting
// for ever: every failed fetch ends the start-up at once instead.
let reportFailedFetch;
const failedFetch = new Promise((_, reject) => { reportFailedFetch = reject; });
const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (input, init) => {
  const name = String(input && input.url ? input.url : input).split("/").pop();
  let response;
  try {
    response = await realFetch(input, init);
  } catch (error) {
    reportFailedFetch(new Error(`Le fichier ${name} n'a pas pu être chargé.`));
    throw error;
  }
  if (!response.ok) reportFailedFetch(new Error(`Le fichier ${name} est introuvable (${response.status}).`));
  else postMessage({ type: "arrived", name }); // keeps the page's stall timer from firing
  return response;
};

const ready = Promise.race([boot(), failedFetch]);
ready.then(
  () => postMessage({ type: "ready" }),
  (error) => postMessage({ type: "failed", detail: String(error && error.message ? error.message : error) }),
);

onmessage = async (event) => {
  const message = event.data;
  if (message.type !== "evaluate") return;
  let evaluate;
  try {
    evaluate = await ready;
  } catch {
    return; // already reported as "failed"
  }
  try {
    const pair = evaluate(message.programme, message.answers, message.today);
    const [payload, partial] = pair.toJs();
    pair.destroy();
    postMessage({ type: "result", id: message.id, payload, partial: partial ?? null });
  } catch (error) {
    postMessage({ type: "failed", detail: String(error && error.message ? error.message : error) });
  }
};
