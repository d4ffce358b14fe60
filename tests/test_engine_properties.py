"""Properties over generated answers: holding more never exempts less, and the hours always
add up (sections 1, 3 and 4 of the catalogue contract)."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.rules.engine import evaluate

from .conftest import TODAY

SETTINGS = settings(max_examples=150, deadline=None)

MONTHS = st.integers(0, 600)
CERTIFICATIONS = ["none", "rs", "rncp-below-level-4", "rncp-level-4-or-higher"]
DENTAL = ["none", "titre-assistant-dentaire", "cqp-aide-dentaire"]
ATTESTATIONS = st.dates(dt.date(2000, 1, 1), TODAY)


@st.composite
def date_answers(draw):
    """start_date and jury_date, each given or left to its default, always in a valid order."""
    answers = {}
    start = TODAY
    if draw(st.booleans()):
        start = TODAY + dt.timedelta(days=draw(st.integers(-400, 800)))
        answers["start_date"] = start.isoformat()
    if draw(st.booleans()):
        jury = max(start, TODAY) + dt.timedelta(days=draw(st.integers(0, 1200)))
        answers["jury_date"] = jury.isoformat()
    return answers


VALUES = {  # every valid answer to each question without a default
    "level4_or_bac": st.booleans(),
    "medical_secretary_certification": st.sampled_from(CERTIFICATIONS),
    "medical_secretary_experience_months": MONTHS,
    "dental_qualification": st.sampled_from(DENTAL),
    "dental_assistant_experience_months": MONTHS,
    "afgsu1_attestation_date": st.none() | ATTESTATIONS.map(dt.date.isoformat),
    "placement": st.sampled_from(["contract", "host", "none"]),
}


@st.composite
def answers(draw):
    return {**draw(st.fixed_dictionaries({}, optional=VALUES)), **draw(date_answers())}


def _dispensed(result):
    return {m["id"] for m in result["modules"] if m["status"] == "dispensed"}


ADMISSION_RANK = {"not-admissible": 0, "conditional": 1, "admissible": 2}


def _holds_no_less(cqp, less, more):
    before, after = evaluate(cqp, less, TODAY), evaluate(cqp, more, TODAY)
    assert _dispensed(before) <= _dispensed(after)
    assert before["hours"]["dispensed"] <= after["hours"]["dispensed"]
    statuses = (before["admission"]["status"], after["admission"]["status"])
    if "unknown" not in statuses:
        assert ADMISSION_RANK[statuses[0]] <= ADMISSION_RANK[statuses[1]]


@SETTINGS
@given(answers(), st.sampled_from(["medical_secretary_experience_months", "dental_assistant_experience_months"]),
       MONTHS, MONTHS)
def test_more_months_never_exempt_less(cqp, base, key, a, b):
    low, high = sorted((a, b))
    _holds_no_less(cqp, {**base, key: low}, {**base, key: high})


@SETTINGS
@given(answers(), st.sampled_from(CERTIFICATIONS[1:]))
def test_a_certification_never_exempts_less_than_none(cqp, base, certification):
    _holds_no_less(cqp, {**base, "medical_secretary_certification": "none"},
                   {**base, "medical_secretary_certification": certification})


@SETTINGS
@given(answers(), st.sampled_from(DENTAL[1:]))
def test_a_dental_qualification_never_exempts_less_than_none(cqp, base, qualification):
    _holds_no_less(cqp, {**base, "dental_qualification": "none"}, {**base, "dental_qualification": qualification})


@SETTINGS
@given(answers(), ATTESTATIONS, ATTESTATIONS)
def test_a_later_attestation_never_exempts_less(cqp, base, a, b):
    earlier, later = sorted((a, b))
    _holds_no_less(cqp, {**base, "afgsu1_attestation_date": earlier.isoformat()},
                   {**base, "afgsu1_attestation_date": later.isoformat()})
    _holds_no_less(cqp, {**base, "afgsu1_attestation_date": None},
                   {**base, "afgsu1_attestation_date": earlier.isoformat()})


@SETTINGS
@given(answers(), st.sampled_from(["level4_or_bac", "placement"]))
def test_access_never_worse_with_more(cqp, base, key):
    less, more = {"level4_or_bac": (False, True), "placement": ("none", "host")}[key]
    _holds_no_less(cqp, {**base, key: less}, {**base, key: more})


@SETTINGS
@given(answers())
def test_hours_always_add_up(cqp, given_answers):
    result = evaluate(cqp, given_answers, TODAY)
    hours = result["hours"]
    modules = result["modules"]
    assert hours["total"] == 279
    assert hours["dispensed"] + hours["remaining"] == hours["total"]
    assert hours["dispensed"] == sum(m["hours"] for m in modules if m["status"] == "dispensed")
    assert sum(b["hours"] for b in hours["blocs"]) + hours["evaluations"] == hours["total"]
    assert sum(b["dispensed"] for b in hours["blocs"]) == hours["dispensed"]
    for bloc in hours["blocs"]:
        in_bloc = [m for m in modules if m["bloc"] == bloc["number"]]
        assert bloc["hours"] == sum(m["hours"] for m in in_bloc)
        assert bloc["dispensed"] == sum(m["hours"] for m in in_bloc if m["status"] == "dispensed")
        assert bloc["dispensed"] + bloc["remaining"] == bloc["hours"]
    for module in modules:
        assert bool(module["evidence"]) == (module["status"] == "dispensed")
    assert len(result["evidence"]) == len(set(result["evidence"]))
    assert set(result["evidence"]) == {doc for m in modules for doc in m["evidence"]}
    undecided = any(m["status"] == "unknown" for m in modules) or result["admission"]["status"] == "unknown"
    assert undecided == bool(result["missing"])
    assert set(result["missing"]) <= set(VALUES) - set(given_answers)


@SETTINGS
@given(answers(), st.data())
def test_answering_a_missing_key_keeps_what_was_decided(cqp, base, data):
    """Decided statuses never change when an unknown answer becomes known."""
    before = evaluate(cqp, base, TODAY)
    if not before["missing"]:
        return
    key = data.draw(st.sampled_from(before["missing"]))
    value = data.draw(VALUES[key])
    after = evaluate(cqp, {**base, key: value}, TODAY)
    for old, new in zip(before["modules"], after["modules"]):
        if old["status"] != "unknown":
            assert new["status"] == old["status"]
    if before["admission"]["status"] != "unknown":
        assert after["admission"]["status"] == before["admission"]["status"]
