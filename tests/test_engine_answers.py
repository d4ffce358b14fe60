"""Answers as section 3 of the catalogue contract says: absent keys are unknown; every faulty
key is named with a French and an English sentence."""
import json

import pytest

from generator.rules.answers import InvalidAnswers
from generator.rules.api import evaluate_json
from generator.rules.engine import evaluate

from .conftest import TODAY

QUESTION_ORDER = [
    "level4_or_bac", "medical_secretary_certification", "medical_secretary_experience_months",
    "dental_qualification", "dental_assistant_experience_months", "afgsu1_attestation_date", "placement",
]


def test_no_answer_at_all(cqp):
    result = evaluate(cqp, {}, TODAY)
    assert (result["hours"]["total"], result["hours"]["dispensed"], result["hours"]["remaining"]) == (279, 0, 279)
    for module in result["modules"]:
        assert module["status"] in ("unknown", "not-dispensable")
        assert module["evidence"] == []
        if module["status"] == "unknown":
            assert module["because"].strip()
    assert sum(m["status"] == "unknown" for m in result["modules"]) == 7  # the modules with a ground
    assert result["evidence"] == []
    assert result["admission"]["status"] == "unknown"
    # every key but the dates (they have defaults), in the order of the questions
    assert result["missing"] == QUESTION_ORDER


def test_missing_keeps_question_order_whatever_the_answer_order(cqp):
    answers = {"placement": "none", "level4_or_bac": True}
    result = evaluate(cqp, answers, TODAY)
    assert result["missing"] == [k for k in QUESTION_ORDER if k not in answers]


# (key, faulty value): one of each kind of fault
BAD_ANSWERS = [
    ("unknown key", "placment", "contract"),
    ("unknown key", "age", 30),
    ("wrong type", "level4_or_bac", "yes"),
    ("wrong type", "level4_or_bac", 1),
    ("wrong type", "medical_secretary_experience_months", "12"),
    ("wrong type", "medical_secretary_experience_months", True),
    ("wrong type", "medical_secretary_experience_months", 12.0),
    ("wrong type", "dental_assistant_experience_months", 12.5),
    ("wrong type", "dental_assistant_experience_months", [12]),
    ("wrong type", "medical_secretary_certification", 1),
    ("wrong type", "placement", {"value": "contract"}),
    ("out of range", "medical_secretary_experience_months", -1),
    ("out of range", "medical_secretary_experience_months", 601),
    ("out of range", "dental_assistant_experience_months", 10**6),
    ("bad choice", "medical_secretary_certification", "bts"),
    ("bad choice", "dental_qualification", "Titre-Assistant-Dentaire"),
    ("bad choice", "placement", ""),
    ("bad date", "afgsu1_attestation_date", "2024-13-01"),
    ("bad date", "start_date", "le 3 mars"),
    ("null not allowed", "level4_or_bac", None),
    ("null not allowed", "placement", None),
    ("null not allowed", "medical_secretary_experience_months", None),
    ("null not allowed", "dental_qualification", None),
]


@pytest.mark.parametrize("kind,key,value", BAD_ANSWERS, ids=[f"{k}-{key}-{v!r}" for k, key, v in BAD_ANSWERS])
def test_each_bad_answer_is_named(cqp, kind, key, value):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(cqp, {"level4_or_bac": True, "placement": "contract", key: value}, TODAY)
    problems = caught.value.problems
    assert [p.key for p in problems] == [key]
    problem = problems[0]
    assert problem.fr.strip() and problem.en.strip() and problem.fr != problem.en


def test_out_of_range_names_the_limits(cqp):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(cqp, {"medical_secretary_experience_months": 601}, TODAY)
    assert "600" in caught.value.problems[0].fr and "600" in caught.value.problems[0].en


def test_bad_choice_lists_the_allowed_values(cqp):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(cqp, {"placement": "maybe"}, TODAY)
    for value in ("contract", "host", "none"):
        assert value in caught.value.problems[0].fr


@pytest.mark.parametrize("key,value", [
    ("medical_secretary_experience_months", 0), ("medical_secretary_experience_months", 600),
    ("dental_assistant_experience_months", 0), ("dental_assistant_experience_months", 600),
    ("level4_or_bac", False), ("afgsu1_attestation_date", None),
])
def test_limits_are_accepted(cqp, key, value):
    assert evaluate(cqp, {key: value}, TODAY)["programme"] == "cqp-assistant-medical"


def test_every_faulty_key_reported_at_once(cqp):
    answers = {
        "level4_or_bac": "oui",
        "medical_secretary_certification": "rs",          # fine
        "medical_secretary_experience_months": 12.0,
        "dental_qualification": "bts",
        "dental_assistant_experience_months": 700,
        "afgsu1_attestation_date": "2023-02-29",
        "placement": None,
        "start_date": "2027-01-01",                       # fine
        "jury_date": "2026-12-01",                        # before the start
        "colour": "blue",
    }
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(cqp, answers, TODAY)
    keys = [p.key for p in caught.value.problems]
    assert sorted(keys) == sorted(set(answers) - {"medical_secretary_certification", "start_date"})
    for problem in caught.value.problems:
        assert problem.fr.strip() and problem.en.strip()


@pytest.mark.parametrize("answers", [[], "placement=contract", 12, None])
def test_answers_must_be_an_object(cqp, answers):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(cqp, answers, TODAY)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].fr.strip() and caught.value.problems[0].en.strip()


def test_json_entry_point_reports_errors_per_key(catalogue):
    programme_json = catalogue.programme("cqp-assistant-medical").data_json()
    out = json.loads(evaluate_json(programme_json, json.dumps({"placement": "x", "level4_or_bac": 2}), "2026-11-22"))
    assert out["ok"] is False
    assert sorted(e["key"] for e in out["errors"]) == ["level4_or_bac", "placement"]
    for error in out["errors"]:
        assert error["message_fr"] and error["message_en"]
    good = json.loads(evaluate_json(programme_json, '{"medical_secretary_experience_months": 12}', "2026-11-22"))
    assert good["ok"] is True and good["result"]["hours"]["dispensed"] == 28
    for bad in (evaluate_json(programme_json, "{", "2026-11-22"), evaluate_json(programme_json, "{}", "2026-02-30")):
        assert json.loads(bad)["ok"] is False
