"""Parity: the wheel run by Pyodide in Node gives, byte for byte, CPython's evaluate_json.

The Node runner (tests/js/parity.mjs) boots Pyodide once from the quiz runtime of the site that
`python -m generator build` made (the trimmed standard library the site ships, its rules data
files), with the network turned off, and evaluates every generated case through the worker's
own entry point; once restored from the memory snapshot and once started afresh, the two ways
the browser boots.
"""
import itertools
import json
import random
import shutil
import subprocess
import zipfile

import pytest

from generator.browser.runtime import PYODIDE_DIR, write_runtime
from generator.browser.quiz_entry import evaluate_typed
from generator.rules.api import evaluate_json
from generator.rules.kinds import kind_of

from .conftest import ROOT

RUNNER = ROOT / "tests" / "js" / "parity.mjs"
TODAYS = ["2026-11-22", "2028-02-29", "2029-02-28", "2024-02-29", "2025-12-31"]


def _valid_values(question):
    if question.type == "boolean":
        return [True, False]
    if question.type == "choice":
        return list(question.settings.values)
    if question.type == "integer":
        return [question.settings.minimum, 11, 12, 13, question.settings.maximum]
    if question.type == "date":
        values = ["2021-11-22", "2021-11-23", "2024-02-29", "2024-03-01", "2026-11-22", "2027-11-22"]
        return values + ([None] if question.settings.nullable else [])
    return [kind_of(question).sample_answers(question)[0]]   # a kind added later: its own sample


def _invalid_values(question):
    common = ["oui", 1.5, [], {}]
    if question.type == "integer":
        return common + [question.settings.minimum - 1, question.settings.maximum + 1, True, "12"]
    if question.type == "date":
        return common + ["2023-02-29", "2024-5-2", "22/11/2026", "2099-01-01", 20240101] + ([] if question.settings.nullable else [None])
    if question.type not in ("boolean", "choice"):
        common.append(kind_of(question).sample_answers(question)[1])
    return common + [None, "TRUE", 0]


def generate_cases(catalogue):
    """At least 500 answer sets per programme: every key and value, date edges, gaps, faults."""
    cases = []
    rng = random.Random(20261122)
    for entry in catalogue.programmes:
        questions = entry.model.questions

        def add(answers, today="2026-11-22", raw=None):
            text = raw if raw is not None else json.dumps(answers, ensure_ascii=False)
            cases.append({"programme": entry.id, "answers": text, "today": today})

        add({})
        for question in questions:                      # every key, every value, alone
            for value in _valid_values(question) + _invalid_values(question):
                add({question.key: value})
        # Date edges: 5-year boundary on the jury date, 29 February (leap and common years).
        for attestation, jury, start in itertools.product(
                ["2021-06-15", "2020-02-29", "2021-02-28", "2024-02-29"],
                ["2026-06-14", "2026-06-15", "2026-06-16", "2025-02-28", "2025-03-01", "2029-02-28"],
                [None, "2024-02-29", "2026-06-15"]):
            answers = {"afgsu1_attestation_date": attestation, "jury_date": jury}
            if start:
                answers["start_date"] = start
            for today in ("2026-11-22", "2024-02-29"):
                add(answers, today)
        for start in ["2024-02-29", "2023-02-28", "2026-01-31", "2026-08-31"]:
            add({"start_date": start, "afgsu1_attestation_date": "2021-03-01"}, "2028-02-29")
        # Random mixes: some keys missing, sometimes one faulty answer among good ones.
        for _ in range(600):
            answers = {}
            for question in questions:
                if rng.random() < 0.55:
                    answers[question.key] = rng.choice(_valid_values(question))
            if rng.random() < 0.1:
                question = rng.choice(questions)
                answers[question.key] = rng.choice(_invalid_values(question))
            add(answers, rng.choice(TODAYS))
        add({"not_a_question": True, "placement": "contract"})
        add(None, raw="[1, 2]")
        add(None, raw="{not json")
        add({"placement": "host"}, today="2026-13-01")
    return cases


def _typed(value):
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def generate_typed_cases(catalogue):
    """The page's path: answers as typed ([[key, text], …]), every fourth answer set above."""
    typed = []
    for case in generate_cases(catalogue)[::4]:
        answers = json.loads(case["answers"]) if case["answers"].startswith("{") else None
        if isinstance(answers, dict):
            pairs = [[key, _typed(value)] for key, value in answers.items()]
            typed.append({**case, "answers": json.dumps(pairs), "typed": True})
    return typed


def _cpython(data, case):
    if case.get("typed"):
        return json.dumps(evaluate_typed(data[case["programme"]], case["answers"], case["today"]),
                          ensure_ascii=False, separators=(",", ":"))  # as JSON.stringify writes it
    return evaluate_json(data[case["programme"]], case["answers"], case["today"])


@pytest.fixture(scope="session")
def runtime_dir(built_site):
    """The quiz runtime exactly as the built site publishes it."""
    return built_site[0] / "quiz-runtime"


def test_the_site_ships_a_trimmed_standard_library(runtime_dir):
    config = json.loads((runtime_dir / "quiz-runtime.json").read_text())
    shipped = zipfile.ZipFile(runtime_dir / config["folder"] / "python_stdlib.zip").namelist()
    full = zipfile.ZipFile(PYODIDE_DIR / "python_stdlib.zip").namelist()
    # What the rules import, as bytecode compiled at build time; nothing they do not import.
    assert "json/__init__.pyc" in shipped and "datetime.pyc" in shipped
    assert not [name for name in shipped if name.startswith(("unittest/", "sqlite3/", "tomllib/"))]
    assert len(shipped) < len([n for n in full if n.endswith(".py")]) / 3


def test_cases_cover_every_key_and_are_many(catalogue):
    cases = generate_cases(catalogue)
    assert len(cases) >= 500
    keys = set()
    for case in cases:
        answers = json.loads(case["answers"]) if case["answers"].startswith("{\"") else {}
        keys.update(answers)
    assert {q.key for q in catalogue.programmes[0].model.questions} <= keys
    outcomes = [json.loads(evaluate_json(catalogue.programmes[0].data_json(), c["answers"], c["today"])) for c in cases]
    assert sum(o["ok"] for o in outcomes) > 300 and sum(not o["ok"] for o in outcomes) > 50
    statuses = {m["status"] for o in outcomes if o["ok"] for m in o["result"]["modules"]}
    assert statuses == {"dispensed", "not-dispensed", "not-dispensable", "unknown"}
    typed = generate_typed_cases(catalogue)
    assert len(typed) >= 100 and all(json.loads(c["answers"]) is not None for c in typed)


@pytest.mark.parametrize("boot", ["snapshot", "fresh"])
def test_pyodide_gives_cpython_results_byte_for_byte(catalogue, runtime_dir, tmp_path, boot):
    node = shutil.which("node")
    assert node, "Node.js is needed for the parity test (scripts/dev setup installs the npm packages)"
    cases = generate_cases(catalogue) + generate_typed_cases(catalogue)
    cases_path, out_path = tmp_path / "cases.json", tmp_path / "out.json"
    cases_path.write_text(json.dumps(cases), encoding="utf-8")
    run = subprocess.run([node, str(RUNNER), str(runtime_dir), str(cases_path), str(out_path), boot],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    output = json.loads(out_path.read_text(encoding="utf-8"))
    assert output["loaded"] == {"catalogue-rules": "default channel"}
    assert output["network_requests"] == []
    config = json.loads((runtime_dir / "quiz-runtime.json").read_text())
    assert output["stdlib_files"] == len(zipfile.ZipFile(runtime_dir / config["folder"] / "python_stdlib.zip").namelist())
    if boot == "snapshot":
        assert output["snapshot"] == config["snapshot"]["file"], "the runner boots from the snapshot the site ships"
    assert len(output["results"]) == len(cases)
    data = {entry.id: entry.data_json() for entry in catalogue.programmes}
    mismatches = [
        (case, got) for case, got in zip(cases, output["results"])
        if got != _cpython(data, case)
    ]
    assert not mismatches, f"{len(mismatches)} differences, first: {mismatches[0]}"


def test_runner_fails_loudly_when_the_wheel_is_missing(catalogue, tmp_path):
    runtime = tmp_path / "runtime"
    write_runtime(runtime, catalogue, snapshot=False, trim_stdlib=False)
    for wheel in runtime.glob("*.whl"):
        wheel.unlink()
    (tmp_path / "cases.json").write_text("[]")
    run = subprocess.run([shutil.which("node"), str(RUNNER), str(runtime), str(tmp_path / "cases.json"),
                          str(tmp_path / "out.json")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "could not load catalogue-rules" in run.stderr
    assert "network requests attempted: 0" in run.stderr  # no fallback to a CDN
    assert not (tmp_path / "out.json").exists()
