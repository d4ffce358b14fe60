"""Exemptions module by module, ground by ground, as section 1 of the catalogue contract reads
the tableau des dispenses; and the shape of the result (sections 3 and 4)."""
import pytest

from generator.rules.engine import evaluate

from .conftest import TODAY

# Section 1 of the contract, written out by hand: (module id, bloc, hours, grounds A/B/C/D).
CONTRACT_MODULES = [
    ("examens-soins-courants", 1, 21, ""),
    ("parcours-sante-coordination", 1, 21, ""),
    ("vaccination-depistages", 1, 14, ""),
    ("politiques-sante-publique", 1, 21, ""),
    ("dossier-patient", 2, 21, "A"),
    ("vocabulaire-medical", 2, 14, "A"),
    ("logiciel-medical", 2, 28, "B"),
    ("telemedecine", 2, 14, ""),
    ("communication-patients", 2, 21, "AC"),
    ("risque-contaminant", 3, 14, "C"),
    ("identitovigilance-pharmacovigilance", 3, 21, ""),
    ("assistance-technique", 4, 21, ""),
    ("constantes-mesures", 4, 14, ""),
    ("afgsu-1", 4, 14, "D"),
    ("gestion-stocks", 4, 7, "C"),
]
CONTRACT_ANSWER_KEYS = [
    "level4_or_bac", "medical_secretary_certification", "medical_secretary_experience_months",
    "dental_qualification", "dental_assistant_experience_months", "afgsu1_attestation_date",
    "placement", "start_date", "jury_date",
]

# Every answer given, none of them exempting. TODAY is 2026-11-22: the jury defaults to 2027-11-22.
NOTHING_HELD = {
    "level4_or_bac": True,
    "medical_secretary_certification": "none",
    "medical_secretary_experience_months": 0,
    "dental_qualification": "none",
    "dental_assistant_experience_months": 0,
    "afgsu1_attestation_date": None,
    "placement": "contract",
}

# (ground letter or "", answers changed from NOTHING_HELD). "" = the case does not exempt.
CASES = [
    ("A", {"medical_secretary_certification": "rs"}),
    ("A", {"medical_secretary_certification": "rncp-below-level-4"}),
    ("A", {"medical_secretary_certification": "rncp-level-4-or-higher"}),
    ("", {"medical_secretary_certification": "none", "medical_secretary_experience_months": 11}),
    ("B", {"medical_secretary_experience_months": 12}),
    ("B", {"medical_secretary_experience_months": 600}),
    ("", {"medical_secretary_experience_months": 11}),
    ("C", {"dental_qualification": "titre-assistant-dentaire", "dental_assistant_experience_months": 12}),
    ("C", {"dental_qualification": "cqp-aide-dentaire", "dental_assistant_experience_months": 12}),
    ("C", {"dental_qualification": "cqp-aide-dentaire", "dental_assistant_experience_months": 240}),
    ("", {"dental_qualification": "titre-assistant-dentaire", "dental_assistant_experience_months": 11}),
    ("", {"dental_qualification": "cqp-aide-dentaire", "dental_assistant_experience_months": 0}),
    ("", {"dental_qualification": "none", "dental_assistant_experience_months": 12}),
    ("", {"dental_qualification": "none", "dental_assistant_experience_months": 600}),
    ("D", {"afgsu1_attestation_date": "2022-11-23"}),  # + 5 years = 2027-11-23, after the jury
    ("D", {"afgsu1_attestation_date": "2026-11-22"}),
    ("", {"afgsu1_attestation_date": "2022-11-22"}),   # + 5 years = the jury day: not less than 5 years
    ("", {"afgsu1_attestation_date": "2015-06-01"}),
    ("", {"afgsu1_attestation_date": None}),
]

EVIDENCE_WORDS = {  # what the contract says each ground's evidence must name
    "A": ["parchemin"],
    "B": ["bulletin de salaire", "secrétaire médicale"],
    "C": ["parchemin", "bulletin de salaire", "assistante dentaire"],
    "D": ["afgsu", "5 ans", "jury"],
}


def _statuses(result):
    return {m["id"]: m["status"] for m in result["modules"]}


@pytest.mark.parametrize("ground,changes", CASES,
                         ids=[f"{g or 'none'}-{'-'.join(f'{k}={v}' for k, v in c.items())}" for g, c in CASES])
def test_each_ground_exempts_exactly_its_modules(cqp, ground, changes):
    result = evaluate(cqp, {**NOTHING_HELD, **changes}, TODAY)
    for module_id, _, hours, grounds in CONTRACT_MODULES:
        module = next(m for m in result["modules"] if m["id"] == module_id)
        if not grounds:
            expected = "not-dispensable"
        elif ground and ground in grounds:
            expected = "dispensed"
        else:
            expected = "not-dispensed"
        assert module["status"] == expected, (module_id, module["because"])
        assert module["because"].strip()
        if expected == "dispensed":
            text = " ".join(module["evidence"]).lower()
            for word in EVIDENCE_WORDS[ground]:
                assert word in text, (module_id, word, module["evidence"])
        else:
            assert module["evidence"] == []
    dispensed = sum(h for _, _, h, g in CONTRACT_MODULES if ground and ground in g)
    assert result["hours"]["dispensed"] == dispensed
    assert result["hours"]["remaining"] == 279 - dispensed
    assert result["missing"] == []


def test_no_exemption_means_no_evidence(cqp):
    result = evaluate(cqp, NOTHING_HELD, TODAY)
    assert result["evidence"] == []
    assert result["hours"]["dispensed"] == 0


@pytest.mark.parametrize("changes", [
    {"medical_secretary_certification": "rs"},
    {"dental_qualification": "cqp-aide-dentaire", "dental_assistant_experience_months": 12},
    {"medical_secretary_certification": "rs", "dental_qualification": "titre-assistant-dentaire",
     "dental_assistant_experience_months": 12},
])
def test_communication_patients_by_either_alternative(cqp, changes):
    result = evaluate(cqp, {**NOTHING_HELD, **changes}, TODAY)
    assert _statuses(result)["communication-patients"] == "dispensed"


def test_everything_held_exempts_every_dispensable_module_and_lists_evidence_once(cqp):
    answers = {**NOTHING_HELD, "medical_secretary_certification": "rncp-level-4-or-higher",
               "medical_secretary_experience_months": 24, "dental_qualification": "titre-assistant-dentaire",
               "dental_assistant_experience_months": 24, "afgsu1_attestation_date": "2025-01-15"}
    result = evaluate(cqp, answers, TODAY)
    statuses = _statuses(result)
    for module_id, _, _, grounds in CONTRACT_MODULES:
        assert statuses[module_id] == ("dispensed" if grounds else "not-dispensable")
    dispensable_hours = sum(h for _, _, h, g in CONTRACT_MODULES if g)
    assert result["hours"]["dispensed"] == dispensable_hours == 21 + 14 + 28 + 21 + 14 + 14 + 7
    evidence = result["evidence"]
    assert len(evidence) == len(set(evidence))
    assert set(evidence) == {doc for m in result["modules"] for doc in m["evidence"]}
    # the A diploma is asked by three modules, listed once
    shared = [doc for doc in evidence if "secrétariat médical" in doc.lower()]
    assert len(shared) == 1


def test_non_dispensable_modules_stay_so_whatever_the_answers(cqp):
    for answers in ({}, NOTHING_HELD, {"medical_secretary_certification": "rs", "medical_secretary_experience_months": 600,
                                       "dental_qualification": "titre-assistant-dentaire",
                                       "dental_assistant_experience_months": 600,
                                       "afgsu1_attestation_date": "2026-01-01"}):
        statuses = _statuses(evaluate(cqp, answers, TODAY))
        for module_id, _, _, grounds in CONTRACT_MODULES:
            if not grounds:
                assert statuses[module_id] == "not-dispensable"


# Contract shape (sections 3 and 4)

def test_result_has_the_contract_keys(cqp):
    result = evaluate(cqp, {"placement": "host"}, TODAY)
    assert {"programme", "admission", "modules", "hours", "evidence", "missing"} <= set(result)
    assert result["programme"] == "cqp-assistant-medical"
    assert {"status", "reasons"} <= set(result["admission"])
    assert {"total", "dispensed", "remaining"} <= set(result["hours"])
    for module in result["modules"]:
        assert {"id", "bloc", "hours", "status", "because", "evidence"} <= set(module)
        assert module["status"] in ("dispensed", "not-dispensed", "not-dispensable", "unknown")
    assert result["admission"]["status"] in ("admissible", "conditional", "not-admissible", "unknown")


def test_fifteen_modules_in_contract_order(cqp):
    result = evaluate(cqp, {}, TODAY)
    assert [(m["id"], m["bloc"], m["hours"]) for m in result["modules"]] == \
        [(i, b, h) for i, b, h, _ in CONTRACT_MODULES]
    assert [m.id for m in cqp.modules] == [i for i, _, _, _ in CONTRACT_MODULES]


def test_bloc_and_programme_hours(cqp):
    assert [(b.number, b.hours) for b in cqp.blocs] == [(1, 77), (2, 98), (3, 35), (4, 56)]
    assert (cqp.evaluation_hours, cqp.total_hours) == (13, 279)


def test_questions_are_exactly_the_contract_answer_keys(cqp):
    assert [q.key for q in cqp.questions] == CONTRACT_ANSWER_KEYS
    assert cqp.question("medical_secretary_certification").settings.values == (
        "none", "rs", "rncp-below-level-4", "rncp-level-4-or-higher")
    assert cqp.question("dental_qualification").settings.values == ("none", "titre-assistant-dentaire", "cqp-aide-dentaire")
    assert cqp.question("placement").settings.values == ("contract", "host", "none")
    for key in ("medical_secretary_experience_months", "dental_assistant_experience_months"):
        question = cqp.question(key)
        assert (question.type, question.settings.minimum, question.settings.maximum) == ("integer", 0, 600)
