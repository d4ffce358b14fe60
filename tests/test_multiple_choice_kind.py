"""A kind added from outside, « plusieurs choix possibles » with its own operator ``includes``: one
module and one template (tests/multiple_choice_kind.py, tests/multiple_choice_kind.html.j2),
registered through the documented path (``generator.rules.kinds.register``, DEVELOPERS.md « Adding a
question kind »), works in validate, evaluate, evaluate-batch, the staff reference, the trimmed
runtime's stdlib survey and the quiz in Chromium."""
import argparse
import json
import shutil

import pytest

from generator import cli
from generator.browser.quiz_entry import evaluate_typed
from generator.browser.runtime import probe_cases
from generator.catalogue import load_catalogue
from generator.catalogue.reference import cmd_reference
from generator.rules.api import evaluate_json
from generator.rules.kinds import KINDS, register

from .conftest import FIXTURES
from .multiple_choice_kind import MultipleChoiceKind

PROGRAMME = "titre-commis-cuisine"
QUESTION = """  - key: titles
    type: multiple
    options:
      - {value: permis-b, label: Permis B}
      - {value: caces, label: CACES}
      - {value: haccp, label: Formation HACCP}
    label: Quels titres avez-vous ?
    short: titres détenus
"""
PATH = "{answer: titles, includes: haccp}"


@pytest.fixture
def multiple_kind():
    yield register(MultipleChoiceKind())   # the one call: catalogue, rules, quiz page and wheel
    KINDS.pop("multiple", None)


def _catalogue(tmp_path, question=QUESTION, condition=PATH):
    directory = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "mini", directory)
    programme = directory / f"{PROGRAMME}.yaml"
    text = programme.read_text(encoding="utf-8")
    text = text.replace("questions:\n", "questions:\n" + question, 1)
    text = text.replace("admission:\n  paths:\n", "admission:\n  paths:\n    - id: hygiene\n"
                        "      label: avoir suivi une formation HACCP\n"
                        f"      condition: {condition}\n", 1)
    programme.write_text(text, encoding="utf-8")
    return directory


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_takes_the_kind_its_fields_and_its_operator(tmp_path, multiple_kind, capsys):
    code, out, err = _run(capsys, "--catalogue", str(_catalogue(tmp_path / "ok")), "validate")
    assert code == 0, err
    code, _, err = _run(capsys, "--catalogue", str(_catalogue(tmp_path / "value", condition="{answer: titles, includes: bac}")),
                        "validate")
    assert code == 1 and "la question « titles » n'a pas de choix « bac » (choix possibles : permis-b, caces, haccp)" in err
    code, _, err = _run(capsys, "--catalogue", str(_catalogue(tmp_path / "elsewhere", condition="{answer: french_level, includes: b1}")),
                        "validate")
    assert code == 1 and "« includes » s'applique à une question à plusieurs choix, or « french_level » est de type choice" in err
    code, _, err = _run(capsys, "--catalogue", str(_catalogue(tmp_path / "other-operator", condition="{answer: titles, equals: haccp}")),
                        "validate")
    assert code == 1 and "« equals » s'applique à une valeur, or « titles » est de type multiple" in err
    code, _, err = _run(capsys, "--catalogue", str(_catalogue(tmp_path / "missing", QUESTION.replace("options:", "choices:"))),
                        "validate")
    assert code == 1 and "une question de type multiple doit donner « options »" in err
    assert "« choices » ne va qu'avec le type choice, pas multiple" in err


def test_without_registration_the_kind_is_refused(tmp_path, capsys):
    code, _, err = _run(capsys, "--catalogue", str(_catalogue(tmp_path)), "validate")
    assert code == 1 and "« multiple »" in err


def test_evaluate_and_evaluate_batch(tmp_path, multiple_kind, capsys):
    directory = _catalogue(tmp_path)
    answers = tmp_path / "answers.json"
    for given, expected in ((["caces", "haccp"], "admissible"), (["caces"], "unknown")):   # unknown: other paths are unanswered
        answers.write_text(json.dumps({"titles": given}), encoding="utf-8")
        code, out, err = _run(capsys, "--catalogue", str(directory), "evaluate", PROGRAMME, str(answers), "--today", "2026-11-22")
        assert code == 0, err
        result = json.loads(out)
        assert result["admission"]["status"] == expected
        assert ("Condition d'accès remplie : avoir suivi une formation HACCP." in result["admission"]["reasons"]) \
            == (expected == "admissible")
    answers.write_text(json.dumps({"titles": ["bac"]}), encoding="utf-8")
    code, _, err = _run(capsys, "--catalogue", str(directory), "evaluate", PROGRAMME, str(answers), "--today", "2026-11-22")
    assert code == 2 and "Une liste de choix parmi permis-b, caces, haccp est attendue" in err
    rows = tmp_path / "applicants.csv"
    rows.write_text("id,titles\na,\"haccp,caces\"\nb,permis-b\nc,bac\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    code, _, err = _run(capsys, "--catalogue", str(directory), "evaluate-batch", PROGRAMME, str(rows),
                        "--today", "2026-11-22", "-o", str(output))
    lines = output.read_text(encoding="utf-8-sig").splitlines()   # line, id, admission, …
    assert lines[1].startswith("2,a,admissible,")
    assert lines[2].startswith("3,b,unknown,")
    assert lines[3].startswith("4,c,") and "Une liste de choix" in lines[3]


def test_the_staff_reference_documents_its_fields_and_operator(tmp_path, multiple_kind, capsys):
    assert cmd_reference(argparse.Namespace(check=False, root=tmp_path)) == 0
    text = (tmp_path / "catalogue" / "REFERENCE.md").read_text(encoding="utf-8")
    assert "| `questions[ ] › options` | liste" in text
    assert "type multiple : les choix, plusieurs possibles (au moins deux)." in text
    assert "| `questions[ ] › options[ ] › value` |" in text and "Valeur du choix, citée par « includes »." in text
    assert "| `includes` | Question multiple : la valeur est parmi les choix cochés. | `{answer: titles, includes: haccp}` |" in text
    schema = json.loads((tmp_path / "catalogue" / "schema" / "programme.schema.json").read_text(encoding="utf-8"))
    question = schema["properties"]["questions"]["items"]
    assert "multiple" in question["properties"]["type"]["enum"] and "options" in question["properties"]
    assert "includes" in schema["$defs"]["condition"]["anyOf"][0]["properties"]


def test_the_stdlib_survey_runs_its_own_sample_answers(tmp_path, multiple_kind):
    catalogue = load_catalogue(_catalogue(tmp_path))
    cases = []
    for case in probe_cases(catalogue):
        try:
            answers = json.loads(case["answers"])
        except ValueError:
            continue   # the cases of text that is not JSON
        if isinstance(answers, dict) and not case.get("typed"):
            cases.append((case, answers))
    full = next(case for case, answers in cases if answers.get("titles") == ["permis-b"])
    outcome = json.loads(evaluate_json(full["programme_json"], full["answers"], full["today"]))
    assert outcome["ok"], outcome   # the valid path ran: every module it imports is surveyed
    faulty = next(case for case, answers in cases if answers.get("titles") == ["pas-un-choix"])
    errors = json.loads(evaluate_json(faulty["programme_json"], faulty["answers"], faulty["today"]))["errors"]
    assert "titles" in [error["key"] for error in errors]


def test_python_reads_the_checked_boxes_and_shows_them_in_french(tmp_path, multiple_kind):
    entry = load_catalogue(_catalogue(tmp_path)).programme(PROGRAMME)
    payload, partial, shown = evaluate_typed(entry.data_json(), json.dumps([["titles", "haccp,permis-b"]]), "2026-11-22")
    assert json.loads(payload)["result"]["admission"]["status"] == "admissible" and partial is None
    assert json.loads(shown)["answers"][0] == ["Quels titres avez-vous ?", "Permis B, Formation HACCP"]


@pytest.mark.browser
def test_the_kind_works_in_the_quiz(tmp_path, multiple_kind, chromium):
    from generator.browser import build_into
    from generator.browser.static_server import StaticServer

    site = tmp_path / "site"
    build_into(site, load_catalogue(_catalogue(tmp_path)), snapshot=False)  # the wheel takes the kind registered here
    with StaticServer(site) as server:
        context = chromium.new_context()   # the run's one browser (conftest.py)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/")
        page.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)
        assert page.eval_on_selector_all("input[name=titles]", "nodes => nodes.map(n => n.type + ':' + n.value)") == [
            "checkbox:permis-b", "checkbox:caces", "checkbox:haccp"]
        page.check("input[name=titles][value=caces]")
        page.wait_for_function("() => document.getElementById('quiz-link').getAttribute('href') === '#titles=caces'")
        assert page.get_attribute("#quiz-result", "data-admission") != "admissible"
        page.check("input[name=titles][value=haccp]")
        page.wait_for_function("() => document.getElementById('quiz-result').dataset.admission === 'admissible'")
        assert "Condition d'accès remplie : avoir suivi une formation HACCP." in page.inner_text("#quiz-admission-reasons")
        assert page.get_attribute("#quiz-link", "href") == "#titles=caces%2Chaccp"
        summary = page.eval_on_selector_all("#quiz-answers-summary > *", "nodes => nodes.map(n => n.textContent)")
        assert summary[:2] == ["Quels titres avez-vous ?", "CACES, Formation HACCP"]   # the kind's display, from Python
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/#titles=permis-b%2Chaccp")   # a link fills both boxes
        page.wait_for_function("() => document.getElementById('quiz-result').dataset.admission === 'admissible'")
        assert page.is_checked("input[name=titles][value=permis-b]") and page.is_checked("input[name=titles][value=haccp]")
        assert not page.is_checked("input[name=titles][value=caces]")
        context.close()
    assert errors == []
