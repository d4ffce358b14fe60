"""Admission (section 2 of the catalogue contract): the three paths, the placement
requirement, and the keys still missing."""
import pytest

from generator.rules.engine import evaluate

from .conftest import TODAY

NO_PATH = {
    "level4_or_bac": False,
    "medical_secretary_certification": "none",
    "medical_secretary_experience_months": 0,
    "dental_qualification": "none",
    "dental_assistant_experience_months": 0,
    "afgsu1_attestation_date": None,
    "placement": "contract",
}


def _admission(cqp, changes):
    return evaluate(cqp, {**NO_PATH, **changes}, TODAY)


@pytest.mark.parametrize("changes,expected", [
    ({}, "not-admissible"),
    # path 1
    ({"level4_or_bac": True}, "admissible"),
    # path 2: a level-4 certification in secrétariat médical, or 12 months of experience
    ({"medical_secretary_certification": "rncp-level-4-or-higher"}, "admissible"),
    ({"medical_secretary_certification": "rs"}, "not-admissible"),
    ({"medical_secretary_certification": "rncp-below-level-4"}, "not-admissible"),
    ({"medical_secretary_certification": "rs", "medical_secretary_experience_months": 12}, "admissible"),
    ({"medical_secretary_experience_months": 12}, "admissible"),
    ({"medical_secretary_experience_months": 11}, "not-admissible"),
    # path 3: the titre Assistant(e) dentaire, not the CQP Aide dentaire
    ({"dental_qualification": "titre-assistant-dentaire"}, "admissible"),
    ({"dental_qualification": "cqp-aide-dentaire"}, "not-admissible"),
    ({"dental_qualification": "cqp-aide-dentaire", "dental_assistant_experience_months": 600}, "not-admissible"),
    # the placement requirement
    ({"level4_or_bac": True, "placement": "host"}, "admissible"),
    ({"level4_or_bac": True, "placement": "none"}, "conditional"),
    ({"dental_qualification": "titre-assistant-dentaire", "placement": "none"}, "conditional"),
    ({"placement": "none"}, "not-admissible"),
])
def test_admission_paths(cqp, changes, expected):
    result = _admission(cqp, changes)
    assert result["admission"]["status"] == expected
    assert result["admission"]["reasons"] and all(r.strip() for r in result["admission"]["reasons"])
    assert result["missing"] == []


def test_conditional_explains_what_to_do(cqp):
    reasons = " ".join(_admission(cqp, {"level4_or_bac": True, "placement": "none"})["admission"]["reasons"])
    assert "cabinet" in reasons


def test_not_admissible_whatever_the_placement(cqp):
    answers = {k: v for k, v in NO_PATH.items() if k != "placement"}
    result = evaluate(cqp, answers, TODAY)
    assert result["admission"]["status"] == "not-admissible"
    assert "placement" not in result["missing"]


def test_unknown_when_a_path_is_still_open(cqp):
    answers = {k: v for k, v in NO_PATH.items() if k != "medical_secretary_experience_months"}
    result = evaluate(cqp, answers, TODAY)
    assert result["admission"]["status"] == "unknown"
    assert result["missing"] == ["medical_secretary_experience_months"]


def test_unknown_when_placement_not_answered(cqp):
    answers = {k: v for k, v in NO_PATH.items() if k != "placement"}
    answers["level4_or_bac"] = True
    result = evaluate(cqp, answers, TODAY)
    assert result["admission"]["status"] == "unknown"
    assert result["missing"] == ["placement"]


def test_one_open_path_makes_other_paths_irrelevant(cqp):
    result = evaluate(cqp, {"level4_or_bac": True, "placement": "contract", "medical_secretary_certification": "rs",
                            "dental_qualification": "none", "afgsu1_attestation_date": None}, TODAY)
    assert result["admission"]["status"] == "admissible"
    # only the B ground still needs the experience; nothing else is missing
    assert result["missing"] == ["medical_secretary_experience_months"]


def test_nothing_answered_is_unknown(cqp):
    result = evaluate(cqp, {}, TODAY)
    assert result["admission"]["status"] == "unknown"
    assert {"level4_or_bac", "placement"} <= set(result["missing"])


def test_dental_experience_not_asked_without_dental_qualification(cqp):
    result = evaluate(cqp, {"dental_qualification": "none"}, TODAY)
    assert "dental_assistant_experience_months" not in result["missing"]
    assert "dental_qualification" not in result["missing"]
    with_qualification = evaluate(cqp, {"dental_qualification": "cqp-aide-dentaire"}, TODAY)
    assert "dental_assistant_experience_months" in with_qualification["missing"]


def test_date_questions_never_missing(cqp):
    for answers in ({}, {"afgsu1_attestation_date": "2024-01-01"}):
        missing = evaluate(cqp, answers, TODAY)["missing"]
        assert "start_date" not in missing and "jury_date" not in missing
