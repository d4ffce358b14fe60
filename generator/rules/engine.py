"""Evaluate a candidate's answers against a programme: admission and exemptions, explained.

``evaluate`` returns the result of the catalogue contract (section 4), in plain JSON types.
It never reads the clock: the caller passes the evaluation date.
"""
from __future__ import annotations

import datetime as _dt

from .answers import read_answers
from .conditions import Outcome, _union
from .kinds import kind_of
from .model import Module, Path, Programme

ADMISSIBLE, CONDITIONAL, NOT_ADMISSIBLE, UNKNOWN = "admissible", "conditional", "not-admissible", "unknown"
DISPENSED, NOT_DISPENSED, NOT_DISPENSABLE = "dispensed", "not-dispensed", "not-dispensable"


def evaluate(programme: Programme, answers, today: _dt.date) -> dict:
    """Raises ``answers.InvalidAnswers`` when an answer is faulty."""
    facts = read_answers(programme, answers, today)
    admission, admission_missing = _admission(programme, facts)
    modules, module_missing = [], []
    for module in programme.modules:
        entry, missing = _module(programme, module, facts)
        modules.append(entry)
        module_missing.append(missing)
    dispensed = sum(m["hours"] for m in modules if m["status"] == DISPENSED)
    blocs = []
    for bloc in programme.blocs:
        bloc_dispensed = sum(m["hours"] for m in modules if m["bloc"] == bloc.number and m["status"] == DISPENSED)
        blocs.append({"number": bloc.number, "title": bloc.title, "hours": bloc.hours,
                      "dispensed": bloc_dispensed, "remaining": bloc.hours - bloc_dispensed})
    missing = set(_union([admission_missing, *module_missing]))
    return {
        "programme": programme.id,
        "evaluated_on": today.isoformat(),
        "dates": {q.key: kind_of(q).to_json(q, facts[q.key]) for q in programme.questions   # the defaults taken
                  if kind_of(q).default_base(q) is not None and q.key in facts},
        "admission": admission,
        "modules": modules,
        "hours": {
            "total": programme.total_hours,
            "evaluations": programme.evaluation_hours,
            "dispensed": dispensed,
            "remaining": programme.total_hours - dispensed,
            "blocs": blocs,
        },
        "evidence": list(_union(m["evidence"] for m in modules)),
        "missing": [q.key for q in programme.questions if q.key in missing],
    }


def _admission(programme: Programme, facts: dict) -> tuple[dict, tuple[str, ...]]:
    admission = programme.admission
    outcomes = [(path, path.condition.evaluate(facts)) for path in admission.paths]
    opened = [path for path, outcome in outcomes if outcome.value is True]
    undecided = [outcome for _, outcome in outcomes if outcome.value is None]
    reasons: list[str] = []
    if opened:
        reasons += [f"Condition d'accès remplie : {path.label}." for path in opened]
        path_value, path_missing = True, ()
    elif undecided:
        path_value, path_missing = None, _union(o.missing for o in undecided)
        reasons.append("Conditions d'accès à préciser : " + _labels_or(admission.paths) + ".")
    else:
        path_value, path_missing = False, ()
        reasons.append("Aucune condition d'accès n'est remplie. Il faut : " + _labels_or(admission.paths) + ".")

    requirement = admission.requirement
    req = requirement.condition.evaluate(facts) if requirement else Outcome(True)
    if path_value is False:
        return {"status": NOT_ADMISSIBLE, "reasons": reasons}, ()
    if requirement:
        if req.value is True:
            reasons.append(f"Exigence remplie : {requirement.label}.")
        elif req.value is False:
            reasons.append(f"À faire avant l'entrée en formation : {requirement.label}.")
        else:
            reasons.append(f"À préciser : {requirement.label}.")
    missing = _union([path_missing, req.missing if req.value is None else ()])
    if path_value is None:
        return {"status": UNKNOWN, "reasons": reasons}, missing
    status = {True: ADMISSIBLE, False: CONDITIONAL, None: UNKNOWN}[req.value]
    return {"status": status, "reasons": reasons}, missing


def _labels_or(paths: tuple[Path, ...]) -> str:
    return " ; ou ".join(path.label for path in paths)


def _module(programme: Programme, module: Module, facts: dict) -> tuple[dict, tuple[str, ...]]:
    entry = {"id": module.id, "title": module.title, "bloc": module.bloc, "hours": module.hours}
    if not module.grounds:
        return {**entry, "status": NOT_DISPENSABLE,
                "because": "Aucune dispense n'est possible pour ce module.", "evidence": [],
                "grounds": []}, ()
    grounds = [programme.grounds[ground_id] for ground_id in module.grounds]
    outcomes = [(ground, ground.condition.evaluate(facts)) for ground in grounds]
    met = [(ground, outcome) for ground, outcome in outcomes if outcome.value is True]
    if met:
        ground, outcome = met[0]
        because = f"Dispense possible : vous remplissez la condition « {ground.label} »{_detail(outcome)}."
        return {**entry, "status": DISPENSED, "because": because, "evidence": list(ground.evidence),
                "grounds": [ground.id]}, ()
    undecided = [outcome for _, outcome in outcomes if outcome.value is None]
    if undecided:
        missing = _union(o.missing for o in undecided)
        topics = ", ".join(programme.question(key).short for key in missing)
        because = f"À préciser : ce module peut être dispensé selon votre réponse sur : {topics}."
        return {**entry, "status": UNKNOWN, "because": because, "evidence": [], "grounds": []}, missing
    if len(outcomes) == 1:
        ground, outcome = outcomes[0]
        because = f"Pas de dispense : la condition « {ground.label} » n'est pas remplie{_detail(outcome)}."
    else:
        because = "Pas de dispense : aucune des conditions n'est remplie (" + " ; ".join(
            f"« {ground.label} »{_detail(outcome)}" for ground, outcome in outcomes) + ")."
    return {**entry, "status": NOT_DISPENSED, "because": because, "evidence": [], "grounds": []}, ()


def _detail(outcome: Outcome) -> str:
    return f" ({'; '.join(outcome.details)})" if outcome.details else ""
