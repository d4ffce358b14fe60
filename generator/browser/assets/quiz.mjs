// The quiz page: reads what the visitor typed in the form (as text, whatever the kind of
// question: Python reads it, quiz_entry.evaluate_typed), asks the Python worker for the engine's
// result, and shows it. No answer is stored or sent anywhere: they live in this page and, when
// the visitor asks for a link, in the URL fragment (which browsers never send).
const root = document.getElementById("quiz");
const form = document.getElementById("quiz-form");
const resultRegion = document.getElementById("quiz-result");
const questions = JSON.parse(root.dataset.questions);
const byKey = new Map(questions.map((q) => [q.key, q]));
// Loading gives up when no byte has arrived for this long: a slow line that makes progress
// (the worker counts every byte of every runtime file) is waited for; a stalled one ends in a
// message. Once every file is in, Python's start-up (CPU only) gets its own, longer limit.
const STALL_TIMEOUT_MS = window.quizStallTimeoutMs || 45000; // the tests shorten it
const STARTUP_TIMEOUT_MS = window.quizStartupTimeoutMs || 120000;

let typed = typedFromFragment(location.hash); // question key -> text, as typed; unanswered: absent
let latestRequest = 0;
let ready = false;
let failed = false;

// ---- what was typed <-> URL fragment (contract, section 6; read by Python: text_answers.py) ----
// The fragment's pairs are kept as they are (`key=` means null); a repeated key keeps its last.

function typedFromFragment(fragment) {
  return new Map(new URLSearchParams(fragment.replace(/^#/, "")));
}

function fragmentFromTyped(texts) {
  return "#" + new URLSearchParams([...texts]).toString();
}

function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// ---- form <-> what was typed, the same for every kind of question ----
// A question's controls share its key as `name` (each kind's template, generator/rules/kinds/): a
// checked radio gives its value, checked checkboxes their values joined by commas, a text or date
// field what was typed; a checkbox marked data-null (value "null") empties and disables the
// question's other fields while checked.

function controls(key) {
  return Array.from(form.querySelectorAll(`[name="${CSS.escape(key)}"]`));
}

function ticks(input) {
  return input.type === "radio" || input.type === "checkbox";
}

function typedText(key) {
  const inputs = controls(key);
  const checked = inputs.filter((input) => ticks(input) && input.checked);
  if (checked.length) return checked.map((input) => input.value).join(",");
  const field = inputs.find((input) => !ticks(input) && !input.disabled && input.value.trim() !== "");
  return field ? field.value : undefined;
}

function followNullBox(key) {
  const inputs = controls(key);
  const nullBox = inputs.find((input) => input.dataset.null);
  if (!nullBox) return;
  for (const input of inputs) if (!ticks(input)) input.disabled = nullBox.checked;
}

function writeForm() {
  for (const question of questions) {
    const text = typed.get(question.key)?.trim();
    const isNull = text === "" || text === "null";
    const ticked = (input) => input.type === "checkbox" ? text.split(",").includes(input.value) : input.value === text;
    for (const input of controls(question.key)) {
      if (ticks(input)) input.checked = text !== undefined && (ticked(input) || (Boolean(input.dataset.null) && isNull));
      else input.value = text === undefined || isNull ? "" : text;
    }
    followNullBox(question.key);
  }
}

form.addEventListener("input", onEdit);
form.addEventListener("change", onEdit);
form.addEventListener("submit", (event) => event.preventDefault());

function onEdit(event) {
  const key = event.target.name;
  if (!key || !byKey.has(key)) return;
  followNullBox(key);
  const text = typedText(key);
  if (text === undefined) typed.delete(key);
  else typed.set(key, text);
  update();
}

document.getElementById("quiz-reset").addEventListener("click", () => {
  typed = new Map();
  writeForm();
  history.replaceState(null, "", location.pathname + location.search);
  update();
});
document.getElementById("quiz-print").addEventListener("click", () => window.print());
document.getElementById("quiz-copy-link").addEventListener("click", async () => {
  const status = document.getElementById("quiz-copy-status");
  try {
    await navigator.clipboard.writeText(answersLink());
    status.textContent = "Lien copié.";
  } catch {
    status.textContent = "La copie n'est pas possible ici : copiez l'adresse de la page.";
  }
});
window.addEventListener("hashchange", () => {
  typed = typedFromFragment(location.hash);
  writeForm();
  update();
});

// ---- the worker ----

let worker = null;   // once the page's script started it (window.quizWorkerStarted)
const earlyEvents = window.quizEarlyEvents || [];
let readyTimer = null;

// Called at the end of this module: the worker's first messages may already be waiting
// (a cached runtime is quick), and handling them touches the module's later declarations.
async function listenToWorker() {
  worker = (await (window.quizWorkerStarted || window.quizWorker)) || null;
  if (!worker) {
    fail(window.quizWorkerError ? "Le moteur de calcul n'a pas pu démarrer." : "Ce navigateur ne peut pas lancer le moteur de calcul.");
  } else if (typeof WebAssembly !== "object") {
    fail("WebAssembly n'est pas disponible dans ce navigateur.");
  } else {
    armStallTimer();
    worker.onmessage = (event) => onWorkerMessage(event.data);
    worker.onerror = () => fail("Un fichier du moteur de calcul n'a pas pu être chargé.");
    for (const event of earlyEvents.splice(0)) {
      if (event.type === "error") fail("Un fichier du moteur de calcul n'a pas pu être chargé.");
      else onWorkerMessage(event.data);
    }
  }
}

function armStallTimer(limit = STALL_TIMEOUT_MS) {
  clearTimeout(readyTimer);
  readyTimer = setTimeout(() => fail("Le chargement s'est interrompu ou prend trop de temps."), limit);
}

// ---- progress: « Préparation du calcul : 2,1 / 3,4 Mo » ----

let bytesLoaded = -1;
let announcedTenth = -1;
let starting = false; // every big file is in: Python is starting, under its own time limit

function megabytes(bytes) {
  return (bytes / 1e6).toLocaleString("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function showProgress(loaded, total) {
  if (starting) return; // the last small files (the wheel) come during the start-up
  if (loaded > bytesLoaded) armStallTimer(); // bytes are arriving: the line is alive
  bytesLoaded = Math.max(bytesLoaded, loaded);
  if (!(total > 0)) return;
  const text = `Préparation du calcul : ${megabytes(loaded)} / ${megabytes(total)} Mo`;
  const bar = document.getElementById("quiz-progress");
  bar.max = total;
  bar.value = loaded;
  bar.setAttribute("aria-valuetext", text);
  document.getElementById("quiz-loading-text").textContent = text;
  const tenth = Math.floor((loaded / total) * 10);
  if (tenth > announcedTenth) { // politely, every tenth of the way, not on every byte
    announcedTenth = tenth;
    document.getElementById("quiz-loading-status").textContent = text;
  }
}

function showPhase(text) {
  starting = true;
  armStallTimer(Math.max(STARTUP_TIMEOUT_MS, STALL_TIMEOUT_MS));
  document.getElementById("quiz-progress").removeAttribute("value"); // busy, no more bytes to count
  document.getElementById("quiz-progress").removeAttribute("aria-valuetext");
  document.getElementById("quiz-loading-text").textContent = text;
  document.getElementById("quiz-loading-status").textContent = text;
}

function onWorkerMessage(message) {
  if (failed) return;
  if (message.type === "progress") {
    if (!ready) showProgress(message.loaded, message.total);
  } else if (message.type === "phase") {
    if (!ready) showPhase(message.text);
  } else if (message.type === "ready") {
    ready = true;
    performance.mark("quiz-rules-ready"); // read by bench/bench_quiz.py
    clearTimeout(readyTimer);
    document.getElementById("quiz-loading").hidden = true;
    update();
  } else if (message.type === "failed") {
    fail(message.detail, { reportedByWorker: true });
  } else if (message.type === "result" && message.id === latestRequest) {
    show(JSON.parse(message.payload), message.partial ? JSON.parse(message.partial) : null,
      message.shown ? JSON.parse(message.shown) : null);
  }
}

// The worker stopped at once loses what it still had to send: a Content-Security-Policy violation
// report is posted after the error that caused it, so a worker that says it failed is given a
// moment before it is stopped (a stuck one, on a timeout, is stopped at once).
const REPORTS_GRACE_MS = 5000;

function fail(detail, { reportedByWorker = false } = {}) {
  if (failed) return;
  failed = true;
  clearTimeout(readyTimer);
  if (worker) {
    const stopping = worker;
    if (reportedByWorker) setTimeout(() => stopping.terminate(), REPORTS_GRACE_MS);
    else stopping.terminate();
  }
  resultRegion.dataset.state = "error";
  document.getElementById("quiz-loading").hidden = true;
  document.getElementById("quiz-failure-detail").textContent = detail || "";
  document.getElementById("quiz-failure").hidden = false;
  document.getElementById("quiz-summary").textContent = "Le calcul n'est pas disponible.";
}

// The address that reopens this page with these answers (sent in the request, copied by « Copier le lien »).
function answersLink() {
  return location.origin + location.pathname + fragmentFromTyped(typed);
}

function update() {
  document.getElementById("quiz-link").href = fragmentFromTyped(typed);
  if (!ready || failed) return;
  latestRequest += 1;
  // Answers given while loading are in `typed`: "ready" calls update() with all of them.
  worker.postMessage({ type: "evaluate", id: latestRequest, typed: JSON.stringify([...typed]), today: localToday() });
}

// ---- showing the result ----

const ADMISSION = {
  admissible: "admissible",
  conditional: "admissible sous réserve",
  "not-admissible": "non admissible",
  unknown: "à préciser",
};
const STATUS = {
  dispensed: "Dispensé",
  "not-dispensed": "Non dispensé",
  "not-dispensable": "Pas de dispense possible",
  unknown: "À préciser",
};

function fillList(list, items, emptyText) {
  list.replaceChildren(...(items.length ? items : [emptyText]).map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
}

function showErrors(errors) {
  for (const node of form.querySelectorAll(".quiz-error")) node.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const elsewhere = [];
  for (const error of errors) {
    const box = byKey.has(error.key) ? document.getElementById(`${error.key}-error`) : null;
    if (!box) {
      elsewhere.push(error.key ? `${error.key} : ${error.message_fr}` : error.message_fr);
      continue;
    }
    box.textContent = error.message_fr;
    for (const input of controls(error.key)) input.setAttribute("aria-invalid", "true");
  }
  return elsewhere;
}

function show(outcome, partial, shown) {
  const errors = outcome.ok ? [] : outcome.errors;
  const elsewhere = showErrors(errors);
  const note = document.getElementById("quiz-partial");
  note.hidden = errors.length === 0;
  note.textContent = errors.length
    ? ["Certaines réponses sont à corriger" + (partial ? " : le résultat ci-dessous est calculé sans elles." : "."), ...elsewhere].join(" ")
    : "";
  const result = outcome.ok ? outcome.result : partial;
  showQuestions(result ? result.missing : null, errors);
  if (!result) return;

  resultRegion.dataset.state = "ready";
  resultRegion.dataset.admission = result.admission.status;
  resultRegion.dataset.hoursDispensed = String(result.hours.dispensed);
  resultRegion.dataset.hoursRemaining = String(result.hours.remaining);
  document.getElementById("quiz-admission-status").textContent = ADMISSION[result.admission.status];
  fillList(document.getElementById("quiz-admission-reasons"), result.admission.reasons, "");
  for (const module of result.modules) {
    const row = resultRegion.querySelector(`tr[data-module-id="${CSS.escape(module.id)}"]`);
    if (!row) continue;
    row.dataset.status = module.status;
    row.querySelector(".quiz-status").textContent = STATUS[module.status];
    const cell = row.querySelector(".quiz-because");
    const because = document.createElement("p");
    because.textContent = module.because;
    cell.replaceChildren(because);
    if (module.evidence.length) {
      const list = document.createElement("ul");
      fillList(list, module.evidence.map((doc) => "Justificatif : " + doc), "");
      cell.append(list);
    }
  }
  for (const bloc of result.hours.blocs) {
    const span = resultRegion.querySelector(`[data-bloc-hours="${bloc.number}"]`);
    if (span) span.textContent = `${bloc.dispensed} h dispensée(s), ${bloc.remaining} h à suivre`;
  }
  const hours = result.hours;
  document.getElementById("quiz-hours").textContent =
    `Total : ${hours.total} h (dont ${hours.evaluations} h d'évaluations, jamais dispensées) — ` +
    `dispensées : ${hours.dispensed} h — à suivre : ${hours.remaining} h.`;
  fillList(document.getElementById("quiz-checklist"), result.evidence, "Aucun justificatif à apporter pour l'instant.");
  // A programme without exemptions says nothing of dispensed hours (its exemption block is hidden).
  const exempting = !document.querySelector(".quiz-exemptions")?.hidden;
  document.getElementById("quiz-summary").textContent =
    `Admission : ${ADMISSION[result.admission.status]}.` +
    (exempting ? ` ${hours.dispensed} h dispensées, ${hours.remaining} h à suivre.` : "") +
    (result.missing.length ? ` ${result.missing.length} question(s) peuvent encore changer le résultat.` : "");
  document.getElementById("quiz-today").textContent = shown.evaluated_on;
  showAnswers(shown.answers);
  showNextStep(result.admission.status, shown);
}

// « Et maintenant ? » (written at build time, _next_step.html.j2): the parts of this status, the
// sessions not yet started on the visitor's day, the documents and the request from Python.
function showNextStep(status, shown) {
  const next = document.getElementById("quiz-next");
  next.hidden = false;
  for (const part of next.querySelectorAll("[data-next-for]")) {
    part.hidden = !part.dataset.nextFor.split(" ").includes(status);
  }
  const today = localToday();
  let sessions = 0;
  for (const session of next.querySelectorAll("li[data-start]")) {
    session.hidden = session.dataset.start < today;
    if (!session.hidden) sessions += 1;
  }
  document.getElementById("quiz-no-session").hidden = sessions > 0;
  const documents = next.querySelector('[data-part="documents"]');
  fillList(document.getElementById("quiz-next-documents"), shown.documents, "");
  if (!documents.hidden) documents.hidden = shown.documents.length === 0;
  const request = document.getElementById("quiz-request");
  if (request) {
    const body = `${shown.request.body}\n${answersLink()}\n`.replace(/\n/g, "\r\n");
    const to = shown.request.to === "enrolment" ? request.dataset.toEnrolment : request.dataset.toOrganisation;
    request.href = `mailto:${to}?subject=${encodeURIComponent(shown.request.subject)}` +
      `&body=${encodeURIComponent(body)}`;
  }
}

function showQuestions(missing, errors) {
  if (!missing) return;
  const wanted = new Set([...missing, ...typed.keys(), ...errors.map((e) => e.key)]);
  for (const fieldset of form.querySelectorAll("fieldset.quiz-question[data-key]")) {
    fieldset.hidden = !wanted.has(fieldset.dataset.key);
  }
}

// The answers as Python shows them (each kind in French; defaulted dates marked): [[label, text], …]
function showAnswers(answers) {
  const items = [];
  for (const [label, text] of answers) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = text;
    items.push(dt, dd);
  }
  document.getElementById("quiz-answers-summary").replaceChildren(...items);
}

writeForm();
listenToWorker();
update();
