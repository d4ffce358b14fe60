"""One class per question kind: a kind added here, with one class and one macro, works in the
catalogue checks, the command line (JSON and text answers), the quiz page and the reference.
(The browser's own script is not part of this yet: it comes after the quiz runtime work.)"""
import json
import shutil

import pytest

from generator import cli
from generator.browser import page
from generator.catalogue import check_catalogue, load_catalogue
from generator.catalogue.reference import generated_files, schema_paths
from generator.rules import question_kinds
from generator.rules.question_kinds import KINDS, AnswerFault, QuestionKind, kind_of
from generator.rules.text_answers import answers_from_fragment

from .conftest import FIXTURES

PROGRAMME = "titre-commis-cuisine"


class ScaleKind(QuestionKind):
    """A rating from 1 to ``levels``, chosen among radio buttons."""

    name, macro, template = "scale", "scale_control", "test_scale.html.j2"
    fields = {"levels": "integer"}
    required = ("levels",)
    docs = {"levels": ("nombre de niveaux de l'échelle (2 à 10).", "5")}

    def check(self, question, dates):
        if "levels" in question and not 2 <= question["levels"] <= 10:
            return [(("levels",), "« levels » va de 2 à 10.")]
        return []

    def _levels(self, question):
        return question.data["levels"]

    def value_fault(self, question, value):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= self._levels(question):
            return f"va de 1 à {self._levels(question)}, pas « {value} »."
        return None

    def from_json(self, question, value):
        if self.value_fault(question, value):
            raise AnswerFault(f"Choisissez un niveau de 1 à {self._levels(question)}.",
                              f"expects a level from 1 to {self._levels(question)}.")
        return value

    def from_text(self, question, text):
        return int(text) if text.isascii() and text.isdigit() else text


SCALE_MACRO = """{% macro scale_control(question, described) %}
<div class="quiz-choices quiz-scale">{% for level in range(1, question.data.levels + 1) %}
<label><input type="radio" name="{{ question.key }}" value="{{ level }}" aria-describedby="{{ described }}"> {{ level }}</label>{% endfor %}
</div>
{%- endmacro %}"""

QUESTION = """  - key: motivation
    type: scale
    levels: 5
    label: Quelle est votre motivation (1 à 5) ?
    short: motivation
"""


@pytest.fixture
def scale_kind(monkeypatch):
    monkeypatch.setitem(KINDS, "scale", ScaleKind())
    monkeypatch.setitem(page.CONTROL_TEMPLATES, "test_scale.html.j2", SCALE_MACRO)
    return KINDS["scale"]


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
    entry = load_catalogue(_catalogue(tmp_path)).programme(PROGRAMME)
    body = page.quiz_page(entry).body_html
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
        type, minimum, maximum, nullable, values = "integer", 0, 10, False, ()
    assert KINDS["integer"].from_text(Q, "7") == 7 and KINDS["integer"].from_text(Q, "²") == "²"
    assert KINDS["boolean"].from_text(Q, "TRUE") is True and KINDS["boolean"].from_text(Q, "oui") == "oui"
    assert KINDS["date"].from_text(Q, "2026-01-01") == "2026-01-01"
    assert set(question_kinds.field_owners()) == {"choices", "min", "max", "unit", "nullable", "null_label",
                                                  "default", "not_after", "not_before"}
