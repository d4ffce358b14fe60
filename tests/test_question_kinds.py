"""One module and one template per question kind: a kind added here (tests/scale_kind.py and
tests/scale_kind.html.j2, registered through ``generator.rules.kinds.register``) works in the
catalogue checks, the command line (JSON and text answers), the quiz page, the reference and the
browser (whose script knows no kind: Python reads what was typed)."""
import json
import re
import shutil

import pytest

from .conftest import TODAY

from generator import cli
from generator.browser import page
from generator.catalogue import check_catalogue, load_catalogue
from generator.catalogue.reference import generated_files, schema_paths
from generator.rules import kinds as question_kinds
from generator.rules.kinds import KINDS, kind_of, register
from generator.rules.text_answers import answers_from_fragment

from .conftest import FIXTURES, ROOT
from .scale_kind import ScaleKind

PROGRAMME = "titre-commis-cuisine"


QUESTION = """  - key: motivation
    type: scale
    levels: 5
    label: Quelle est votre motivation (1 à 5) ?
    short: motivation
"""


@pytest.fixture
def scale_kind():
    yield register(ScaleKind())   # the one call: catalogue, rules, quiz page (its template) and wheel
    KINDS.pop("scale", None)


def _catalogue(tmp_path, question=QUESTION, path_condition="{answer: motivation, in: [4, 5]}"):
    directory = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "mini", directory)
    programme = directory / f"{PROGRAMME}.yaml"
    text = programme.read_text(encoding="utf-8")
    text = text.replace("questions:\n", "questions:\n" + question, 1)
    text = text.replace("admission:\n  paths:\n", "admission:\n  paths:\n    - id: motive\n      label: être motivé(e)\n"
                                                  f"      condition: {path_condition}\n", 1)
    programme.write_text(text, encoding="utf-8")
    return directory


def test_without_its_class_the_kind_is_refused(tmp_path):
    _, problems = check_catalogue(_catalogue(tmp_path))
    assert any("« scale »" in p.message for p in problems)


def test_the_catalogue_checks_the_kind_fields_and_values(tmp_path, scale_kind):
    assert check_catalogue(_catalogue(tmp_path / "ok"))[1] == []
    _, problems = check_catalogue(_catalogue(tmp_path / "no-levels", QUESTION.replace("    levels: 5\n", "")))
    assert any("une question de type scale doit donner « levels »" in p.message for p in problems)
    _, problems = check_catalogue(_catalogue(tmp_path / "too-many", QUESTION.replace("levels: 5", "levels: 50")))
    assert any("« levels » va de 2 à 10" in p.message for p in problems)
    _, problems = check_catalogue(_catalogue(tmp_path / "value", path_condition="{answer: motivation, equals: 7}"))
    assert any("va de 1 à 5, pas « 7 »" in p.message for p in problems)
    elsewhere = "  - key: dummy\n    type: boolean\n    levels: 3\n    label: x\n    short: x\n"
    _, problems = check_catalogue(_catalogue(tmp_path / "misplaced", QUESTION + elsewhere))
    assert any("« levels » ne va qu'avec le type scale, pas boolean" in p.message for p in problems)


def test_the_command_line_reads_json_and_text_answers(tmp_path, scale_kind, capsys, monkeypatch):
    directory = _catalogue(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"motivation": 4}), encoding="utf-8")
    assert cli.main(["--catalogue", str(directory), "evaluate", PROGRAMME, str(answers), "--today", "2026-11-22"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["admission"]["status"] == "admissible"
    assert "Condition d'accès remplie : être motivé(e)." in result["admission"]["reasons"]
    answers.write_text(json.dumps({"motivation": 9}), encoding="utf-8")
    assert cli.main(["--catalogue", str(directory), "evaluate", PROGRAMME, str(answers), "--today", "2026-11-22"]) == 2
    assert "Choisissez un niveau de 1 à 5." in capsys.readouterr().err
    model = load_catalogue(directory).programme(PROGRAMME).model
    assert answers_from_fragment(model, "#motivation=5") == {"motivation": 5}
    assert kind_of(model.question("motivation")) is scale_kind
    csv_file = tmp_path / "applicants.csv"
    csv_file.write_text("id,motivation\na,5\nb,2\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    assert cli.main(["--catalogue", str(directory), "evaluate-batch", PROGRAMME, str(csv_file), "--today",
                     "2026-11-22", "-o", str(output)]) == 0
    rows = output.read_text(encoding="utf-8-sig").splitlines()
    assert "admissible" in rows[1] and "admissible" not in rows[2].replace("not-admissible", "")


def test_the_quiz_page_shows_its_macro(tmp_path, scale_kind):
    catalogue = load_catalogue(_catalogue(tmp_path))
    body = page.quiz_page(catalogue.programme(PROGRAMME), catalogue.organisation, TODAY).body_html
    assert body.count('name="motivation"') == 5 and 'class="quiz-choices quiz-scale"' in body
    assert 'value="5" aria-describedby="motivation-error"' in body


def test_the_reference_documents_the_new_field_from_its_class(scale_kind):
    assert "questions[].levels" in schema_paths()
    reference = generated_files()
    text = next(v for k, v in reference.items() if k.suffix == ".md")
    assert "`questions › [ ] › levels`" not in text  # shown as `questions[ ] › levels`
    assert "`questions[ ] › levels` | nombre entier de 0 à 100000 | non | type scale : nombre de niveaux" in text
    programme_schema = json.loads(next(v for k, v in reference.items() if k.name == "programme.schema.json"))
    question = programme_schema["properties"]["questions"]["items"]
    assert "scale" in question["properties"]["type"]["enum"] and "levels" in question["properties"]


def test_built_in_kinds_keep_their_text_conversions():
    class Q:  # only what the conversions read
        type, settings = "integer", None
    assert KINDS["integer"].from_text(Q, "7") == 7 and KINDS["integer"].from_text(Q, "²") == "²"
    assert KINDS["boolean"].from_text(Q, "TRUE") is True and KINDS["boolean"].from_text(Q, "oui") == "oui"
    assert KINDS["date"].from_text(Q, "2026-01-01") == "2026-01-01"
    assert set(question_kinds.field_owners()) == {"choices", "min", "max", "unit", "nullable", "null_label",
                                                  "default", "not_after", "not_before"}


def test_the_wheel_carries_a_kind_registered_elsewhere_and_nothing_more_without_one(scale_kind):
    from generator.browser.wheel import added_kinds

    files = added_kinds()
    assert files["tests/scale_kind.py"] == (ROOT / "tests" / "scale_kind.py").read_bytes()
    assert "from tests.scale_kind import ScaleKind" in files["quiz_kinds.py"].decode()
    KINDS.pop("scale")
    assert added_kinds() == {}


def test_python_reads_what_was_typed_and_shows_it_in_french(tmp_path, scale_kind):
    from generator.browser.quiz_entry import evaluate_typed

    entry = load_catalogue(_catalogue(tmp_path)).programme(PROGRAMME)
    payload, partial, shown = evaluate_typed(entry.data_json(), json.dumps([["motivation", " 5 "]]), "2026-11-22")
    assert json.loads(payload)["result"]["admission"]["status"] == "admissible" and partial is None
    shown = json.loads(shown)
    assert {key: shown[key] for key in ("answers", "evaluated_on")} == {
        "answers": [["Quelle est votre motivation (1 à 5) ?", "5 sur 5"],
                    ["Date d'entrée en formation", "22/11/2026 (par défaut)"],
                    ["Date de l'examen", "22/05/2027 (par défaut)"]],
        "evaluated_on": "22/11/2026"}
    assert "- Quelle est votre motivation (1 à 5) ? 5 sur 5" in shown["request"]["body"].splitlines()
    payload, partial, shown = evaluate_typed(entry.data_json(), json.dumps([["motivation", "9"]]), "2026-11-22")
    assert json.loads(payload)["errors"][0]["message_fr"] == "Choisissez un niveau de 1 à 5."
    assert json.loads(shown)["answers"][0] == ["Quelle est votre motivation (1 à 5) ?", "9"]  # as typed


def test_built_in_kinds_show_answers_in_french(cqp):
    show = {q.key: (lambda value, q=q: kind_of(q).display(q, value)) for q in cqp.questions}
    assert show["level4_or_bac"](True) == "Oui" and show["level4_or_bac"](False) == "Non"
    assert show["placement"]("host") == "Oui, un cabinet médical a accepté de m'accueillir"
    assert show["dental_assistant_experience_months"](20) == "20 mois"
    import datetime as dt
    assert show["afgsu1_attestation_date"](dt.date(2023, 1, 2)) == "02/01/2023"
    assert show["afgsu1_attestation_date"](None) == cqp.question("afgsu1_attestation_date").settings.null_label


def test_the_page_script_holds_no_kind():
    script = (ROOT / "generator" / "browser" / "assets" / "quiz.mjs").read_text(encoding="utf-8")
    kinds = "|".join(KINDS)
    assert re.findall(rf"[\"'`]({kinds})[\"'`]|question\.type|\.unit\b|null_label|parseInt", script) == []


@pytest.mark.browser
def test_the_kind_works_in_the_browser(tmp_path, scale_kind, chromium):
    from generator.browser import build_into
    from generator.browser.static_server import StaticServer

    catalogue = load_catalogue(_catalogue(tmp_path))
    site = tmp_path / "site"
    build_into(site, catalogue, snapshot=False)  # in this process: the wheel takes the kind registered here
    with StaticServer(site) as server, chromium.new_context() as context:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/#motivation=5")
        page.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)
        assert page.is_checked("input[name=motivation][value='5']")  # the fragment fills the macro's control
        page.wait_for_function("() => document.getElementById('quiz-result').dataset.admission === 'admissible'")
        assert "Condition d'accès remplie : être motivé(e)." in page.inner_text("#quiz-admission-reasons")
        summary = page.eval_on_selector_all("#quiz-answers-summary > *", "nodes => nodes.map(n => n.textContent)")
        assert summary[:2] == ["Quelle est votre motivation (1 à 5) ?", "5 sur 5"]  # the kind's display, from Python
        page.check("input[name=motivation][value='2']")
        page.wait_for_function("() => document.getElementById('quiz-result').dataset.admission !== 'admissible'")
        assert page.get_attribute("#quiz-link", "href") == "#motivation=2"
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/#motivation=9")  # a fault, beside the field
        page.wait_for_function("() => document.getElementById('motivation-error').textContent !== ''")
        assert page.inner_text("#motivation-error") == "Choisissez un niveau de 1 à 5."
    assert errors == []
