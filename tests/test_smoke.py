from generator.rules.engine import evaluate

from .conftest import TODAY


def test_real_catalogue_loads_and_evaluates(cqp):
    result = evaluate(cqp, {"medical_secretary_experience_months": 12, "placement": "contract"}, TODAY)
    assert result["admission"]["status"] == "admissible"
    assert [m["id"] for m in result["modules"] if m["status"] == "dispensed"] == ["logiciel-medical"]
    assert result["hours"] == {**result["hours"], "total": 279, "dispensed": 28, "remaining": 251}
