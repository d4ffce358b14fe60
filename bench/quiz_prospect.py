"""The scripted prospect: a realistic candidate who starts answering as soon as the quiz page has
loaded, one answer every few seconds, and the result the rules must then show.

Answers use the keys of the catalogue contract (section 3). They are set as a visitor's input
would (value or radio, then "input" and "change" events) even when the question is still hidden
while the rules load: the prospect answers the whole form as fast as the interval allows.
The expected result comes from the command line (`python -m generator evaluate`), the same
rules outside the browser, so "the full result shown" is checked module by module.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

PROGRAMME = "cqp-assistant-medical"


def candidate(today: dt.date) -> list[tuple[str, object]]:
    """A dental assistant (titre + 30 months) with an AFGSU attestation, who has found a contract.
    Order matters: the last answer (placement) changes the admission, so the result shown before
    it can never be taken for the final one (checked by expected_results)."""
    start = today + dt.timedelta(days=45)
    return [
        ("level4_or_bac", True),
        ("medical_secretary_certification", "none"),
        ("medical_secretary_experience_months", 6),
        ("dental_qualification", "titre-assistant-dentaire"),
        ("dental_assistant_experience_months", 30),
        ("afgsu1_attestation_date", "2024-05-02"),
        ("start_date", start.isoformat()),
        ("jury_date", (start + dt.timedelta(days=300)).isoformat()),
        ("placement", "contract"),
    ]


def evaluate(root: Path, answers: dict, today: dt.date) -> dict:
    run = subprocess.run([sys.executable, "-m", "generator", "evaluate", PROGRAMME, "-", "--today", today.isoformat()],
                         input=json.dumps(answers), capture_output=True, text=True, cwd=root, check=True)
    result = json.loads(run.stdout)
    return {"admission": result["admission"]["status"], "dispensed": result["hours"]["dispensed"],
            "modules": {module["id"]: module["status"] for module in result["modules"]}}


def expected_results(root: Path, answers: list[tuple[str, object]], today: dt.date) -> dict:
    final = evaluate(root, dict(answers), today)
    before_last = evaluate(root, dict(answers[:-1]), today)
    if final == before_last:
        raise SystemExit("The scripted prospect's last answer does not change the result: "
                         "its latency could not be measured. Reorder quiz_prospect.candidate().")
    if "unknown" in final["modules"].values():
        raise SystemExit(f"The scripted prospect leaves modules unknown: {final['modules']}")
    return final


SET_ANSWER = """([key, value]) => {
  const inputs = [...document.querySelectorAll(`#quiz-form [name="${CSS.escape(key)}"]`)];
  let target;
  if (value === null) { target = inputs.find((i) => i.dataset.null); target.checked = true; }
  else if (inputs[0].type === "radio") { target = inputs.find((i) => i.value === String(value)); target.checked = true; }
  else { target = inputs.find((i) => !i.dataset.null); target.value = String(value); }
  target.dispatchEvent(new Event("input", { bubbles: true }));
  target.dispatchEvent(new Event("change", { bubbles: true }));
  return performance.now();
}"""

# The last answer, then wait until the page shows the expected result (or fails).
LAST_ANSWER_AND_WAIT = """async ([key, value, expected, timeoutMs]) => {
  const region = document.getElementById("quiz-result");
  const answeredAt = (""" + SET_ANSWER + """)([key, value]);
  const outcome = () => {
    if (region.dataset.state === "error") return "error";
    if (region.dataset.state !== "ready") return null;
    if (region.dataset.admission !== expected.admission) return null;
    if (region.dataset.hoursDispensed !== String(expected.dispensed)) return null;
    for (const [id, status] of Object.entries(expected.modules)) {
      const row = region.querySelector(`tr[data-module-id="${CSS.escape(id)}"]`);
      if (!row || row.dataset.status !== status) return null;
    }
    return "ready";
  };
  return await new Promise((resolve) => {
    let timer;
    const observer = new MutationObserver(() => check());
    const done = (state) => { observer.disconnect(); clearTimeout(timer); resolve({ state, ms: performance.now() - answeredAt }); };
    const check = () => { const state = outcome(); if (state) done(state); };
    observer.observe(region, { attributes: true, childList: true, subtree: true, characterData: true });
    timer = setTimeout(() => done("timeout"), timeoutMs);
    check();
  });
}"""


def run_prospect(page, answers, expected: dict, interval_s: float, timeout_s: float) -> dict:
    """Answers one by one from now on; returns {"state": ready|error|timeout, "ms": from the last
    answer to the full result (or to the failure)}."""
    for key, value in answers[:-1]:
        page.evaluate(SET_ANSWER, [key, value])
        page.wait_for_timeout(interval_s * 1000)
    key, value = answers[-1]
    return page.evaluate(LAST_ANSWER_AND_WAIT, [key, value, expected, timeout_s * 1000])
