"""A second, made-up programme (tests/fixtures/mini): other questions, blocs, grounds, a
`not` condition and no placement requirement. Loaded, validated and evaluated by the same
code, it shows nothing in the generator is specific to the CQP."""
import json
import subprocess
import sys

import pytest

from generator.catalogue import check_catalogue, load_catalogue
from generator.rules.answers import InvalidAnswers
from generator.rules.engine import evaluate

from .conftest import FIXTURES, ROOT, TODAY

MINI = FIXTURES / "mini"
QUESTION_ORDER = ["french_level", "kitchen_experience_months", "hygiene_certificate", "first_aid_date"]


@pytest.fixture(scope="module")
def mini():
    return load_catalogue(MINI).programme("titre-commis-cuisine").model


def _statuses(result):
    return {m["id"]: m["status"] for m in result["modules"]}


def test_fixture_is_a_clean_catalogue():
    catalogue, problems = check_catalogue(MINI)
    assert problems == []
    assert catalogue.organisation["name"] == "Atelier Exemple"
    assert [entry.id for entry in catalogue.programmes] == ["titre-commis-cuisine"]


def test_its_own_shape(mini):
    assert [q.key for q in mini.questions] == QUESTION_ORDER + ["course_start", "exam_date"]
    assert [(b.number, b.hours) for b in mini.blocs] == [(1, 30), (2, 15)]
    assert [m.id for m in mini.modules] == ["hygiene", "taillage", "secourisme", "service"]
    assert mini.admission.requirement is None


def test_nothing_answered(mini):
    result = evaluate(mini, {}, TODAY)
    assert result["programme"] == "titre-commis-cuisine"
    assert _statuses(result) == {"hygiene": "unknown", "taillage": "unknown", "secourisme": "unknown",
                                 "service": "not-dispensable"}
    assert (result["hours"]["total"], result["hours"]["dispensed"], result["hours"]["remaining"]) == (50, 0, 50)
    assert result["admission"]["status"] == "unknown"
    assert result["missing"] == QUESTION_ORDER


@pytest.mark.parametrize("answers,dispensed,admission", [
    ({"french_level": "b1", "kitchen_experience_months": 0, "hygiene_certificate": False, "first_aid_date": None},
     [], "admissible"),
    # the `not` condition: 24 months exempt from taillage, except with French at A1
    ({"french_level": "a2", "kitchen_experience_months": 24, "hygiene_certificate": False, "first_aid_date": None},
     ["taillage"], "admissible"),
    ({"french_level": "a1", "kitchen_experience_months": 24, "hygiene_certificate": False, "first_aid_date": None},
     [], "not-admissible"),
    ({"french_level": "a2", "kitchen_experience_months": 5, "hygiene_certificate": False, "first_aid_date": None},
     [], "not-admissible"),
    ({"french_level": "a2", "kitchen_experience_months": 6, "hygiene_certificate": False, "first_aid_date": None},
     [], "admissible"),
    # either ground exempts secourisme
    ({"french_level": "b2", "kitchen_experience_months": 23, "hygiene_certificate": True, "first_aid_date": None},
     ["hygiene", "secourisme"], "admissible"),
    # exam by default: 2026-11-22 + 6 months = 2027-05-22; + 2 years must be strictly after it
    ({"french_level": "b2", "kitchen_experience_months": 0, "hygiene_certificate": False,
      "first_aid_date": "2025-05-23"}, ["secourisme"], "admissible"),
    ({"french_level": "b2", "kitchen_experience_months": 0, "hygiene_certificate": False,
      "first_aid_date": "2025-05-22"}, [], "admissible"),
])
def test_decided_answers(mini, answers, dispensed, admission):
    result = evaluate(mini, answers, TODAY)
    hours = {"hygiene": 10, "taillage": 20, "secourisme": 5, "service": 10}
    assert [m["id"] for m in result["modules"] if m["status"] == "dispensed"] == dispensed
    assert result["hours"]["dispensed"] == sum(hours[m] for m in dispensed)
    assert result["hours"]["remaining"] == 50 - sum(hours[m] for m in dispensed)
    # no requirement: an open path is enough, never « conditional »
    assert result["admission"]["status"] == admission
    assert result["missing"] == []


def test_unknown_through_not(mini):
    result = evaluate(mini, {"kitchen_experience_months": 30}, TODAY)
    assert _statuses(result)["taillage"] == "unknown"
    assert "french_level" in result["missing"]
    decided = evaluate(mini, {"kitchen_experience_months": 3}, TODAY)
    assert _statuses(decided)["taillage"] == "not-dispensed"


def test_its_own_answer_checks(mini):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(mini, {"placement": "contract", "kitchen_experience_months": 241, "french_level": "c1",
                        "course_start": "2027-01-10", "exam_date": "2027-01-01"}, TODAY)
    assert sorted(p.key for p in caught.value.problems) == [
        "exam_date", "french_level", "kitchen_experience_months", "placement"]


def test_command_line_on_the_fixture(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"french_level": "b1", "hygiene_certificate": True}), encoding="utf-8")
    base = [sys.executable, "-m", "generator", "--catalogue", str(MINI)]
    validate = subprocess.run(base + ["validate"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert validate.returncode == 0, validate.stderr
    run = subprocess.run(base + ["evaluate", "titre-commis-cuisine", str(answers), "--today", "2026-11-22"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["admission"]["status"] == "admissible"
    assert result["hours"]["dispensed"] == 15
