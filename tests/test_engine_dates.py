"""The date rules of section 3 of the catalogue contract: defaults, the 5-year limit of the
AFGSU attestation around the jury day, 29 February, and faulty dates."""
import datetime as dt

import pytest

from generator.rules.answers import InvalidAnswers
from generator.rules.engine import evaluate

from .conftest import TODAY


def _afgsu(cqp, answers, today=TODAY):
    result = evaluate(cqp, answers, today)
    return next(m for m in result["modules"] if m["id"] == "afgsu-1")["status"]


def _faulty_keys(cqp, answers, today=TODAY):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(cqp, answers, today)
    for problem in caught.value.problems:
        assert problem.fr.strip() and problem.en.strip()
    return [p.key for p in caught.value.problems]


def test_start_defaults_to_today_and_jury_to_start_plus_12_months(cqp):
    today = dt.date(2025, 6, 10)  # jury by default: 2026-06-10
    assert _afgsu(cqp, {"afgsu1_attestation_date": "2021-06-10"}, today) == "not-dispensed"
    assert _afgsu(cqp, {"afgsu1_attestation_date": "2021-06-11"}, today) == "dispensed"


def test_jury_defaults_to_the_given_start_plus_12_months(cqp):
    answers = {"start_date": "2027-03-15"}  # jury by default: 2028-03-15
    assert _afgsu(cqp, {**answers, "afgsu1_attestation_date": "2023-03-15"}) == "not-dispensed"
    assert _afgsu(cqp, {**answers, "afgsu1_attestation_date": "2023-03-16"}) == "dispensed"
    assert evaluate(cqp, answers, TODAY)["dates"]["jury_date"] == "2028-03-15"


@pytest.mark.parametrize("attestation,expected", [
    ("2022-05-09", "not-dispensed"),
    ("2022-05-10", "not-dispensed"),   # exactly 5 years old on the jury day
    ("2022-05-11", "dispensed"),       # one day younger
    ("2026-11-22", "dispensed"),       # obtained today
])
def test_five_year_limit_on_an_explicit_jury_day(cqp, attestation, expected):
    answers = {"start_date": "2026-12-01", "jury_date": "2027-05-10", "afgsu1_attestation_date": attestation}
    assert _afgsu(cqp, answers) == expected


@pytest.mark.parametrize("jury,expected", [
    ("2029-02-27", "dispensed"),
    ("2029-02-28", "not-dispensed"),   # 2024-02-29 + 5 years = 2029-02-28
    ("2029-03-01", "not-dispensed"),
])
def test_attestation_of_29_february(cqp, jury, expected):
    answers = {"start_date": "2028-09-01", "jury_date": jury, "afgsu1_attestation_date": "2024-02-29"}
    assert _afgsu(cqp, answers) == expected


def test_start_on_29_february_plus_12_months_is_28_february(cqp):
    start = {"start_date": "2028-02-29"}
    assert evaluate(cqp, start, TODAY)["dates"]["jury_date"] == "2029-02-28"
    # + 5 years reaches 2029-02-28: the jury day itself, so not less than 5 years
    assert _afgsu(cqp, {**start, "afgsu1_attestation_date": "2024-02-28"}) == "not-dispensed"
    # + 5 years reaches 2029-03-01: after a jury on 28 February (it would not be after 1 March)
    assert _afgsu(cqp, {**start, "afgsu1_attestation_date": "2024-03-01"}) == "dispensed"


def test_null_attestation_is_not_dispensed_and_not_missing(cqp):
    result = evaluate(cqp, {"afgsu1_attestation_date": None}, TODAY)
    module = next(m for m in result["modules"] if m["id"] == "afgsu-1")
    assert module["status"] == "not-dispensed"
    assert "afgsu1_attestation_date" not in result["missing"]


def test_unanswered_attestation_is_unknown(cqp):
    result = evaluate(cqp, {}, TODAY)
    assert next(m for m in result["modules"] if m["id"] == "afgsu-1")["status"] == "unknown"
    assert "afgsu1_attestation_date" in result["missing"]


def test_attestation_after_the_evaluation_date_is_an_error(cqp):
    assert _afgsu(cqp, {"afgsu1_attestation_date": "2026-11-22"}) == "dispensed"
    assert _faulty_keys(cqp, {"afgsu1_attestation_date": "2026-11-23"}) == ["afgsu1_attestation_date"]


def test_jury_before_start_is_an_error(cqp):
    assert _afgsu(cqp, {"start_date": "2027-01-10", "jury_date": "2027-01-10", "afgsu1_attestation_date": None}) \
        == "not-dispensed"
    assert _faulty_keys(cqp, {"start_date": "2027-01-10", "jury_date": "2027-01-09"}) == ["jury_date"]


def test_jury_before_the_default_start_is_an_error(cqp):
    assert _faulty_keys(cqp, {"jury_date": "2026-11-21"}) == ["jury_date"]


@pytest.mark.parametrize("key", ["afgsu1_attestation_date", "start_date", "jury_date"])
@pytest.mark.parametrize("value", ["2023-02-29", "2023-13-01", "2023-04-31", "2024-2-3", "03/02/2024",
                                   "2024-02-03T10:00", "", "demain", 20240203, True, ["2024-02-03"],
                                   "2024-02-03\n", " 2024-02-03", "２０２４-02-03", "+2024-02-03"])
def test_bad_dates_are_errors(cqp, key, value):
    answers = {"start_date": "2027-01-10", "jury_date": "2027-12-10", key: value}
    assert _faulty_keys(cqp, answers) == [key]


def test_impossible_date_says_so(cqp):
    with pytest.raises(InvalidAnswers) as caught:
        evaluate(cqp, {"afgsu1_attestation_date": "2023-02-29"}, TODAY)
    assert "2023-02-29" in caught.value.problems[0].fr


@pytest.mark.parametrize("key", ["start_date", "jury_date"])
def test_null_only_for_the_attestation(cqp, key):
    assert _faulty_keys(cqp, {key: None}) == [key]


@pytest.mark.parametrize("answers,key", [
    ({"start_date": "9999-06-01"}, "start_date"),             # its default jury would fall past year 9999
    ({"start_date": "9999-06-01", "jury_date": "9999-12-31"}, None),
])
def test_dates_near_the_end_of_the_calendar(cqp, answers, key):
    if key is None:
        assert _afgsu(cqp, {**answers, "afgsu1_attestation_date": "2025-01-01"}) == "not-dispensed"
    else:
        assert _faulty_keys(cqp, answers) == [key]
