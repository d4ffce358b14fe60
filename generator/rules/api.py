"""JSON in, JSON out: the one entry point the command line and the browser share.

Both sides call ``evaluate_json`` with the programme's plain data, so a result is the same
string, byte for byte, in CPython and in Pyodide.
"""
from __future__ import annotations

import json

from .answers import InvalidAnswers
from .dates import BadDate, parse_iso_date
from .engine import evaluate
from .model import Programme

_programmes: dict[str, Programme] = {}


def result_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def programme_from_json(programme_json: str) -> Programme:
    """Build (once per distinct text) the model of a programme's plain data."""
    programme = _programmes.get(programme_json)
    if programme is None:
        programme = _programmes[programme_json] = Programme.from_data(json.loads(programme_json))
    return programme


def evaluate_json(programme_json: str, answers_json: str, today_iso: str) -> str:
    """Return ``{"ok": true, "result": …}`` or ``{"ok": false, "errors": [{key, message_fr, message_en}]}``."""
    programme = programme_from_json(programme_json)
    try:
        today = parse_iso_date(today_iso)
    except BadDate:
        return json.dumps({"ok": False, "errors": [{
            "key": "", "message_fr": f"Date d'évaluation invalide : {today_iso}.",
            "message_en": f"invalid evaluation date: {today_iso}."}]}, ensure_ascii=False)
    try:
        answers = json.loads(answers_json)
    except json.JSONDecodeError as error:
        return json.dumps({"ok": False, "errors": [{
            "key": "", "message_fr": f"Les réponses ne sont pas du JSON valide ({error.msg}, ligne {error.lineno}).",
            "message_en": f"answers are not valid JSON ({error.msg}, line {error.lineno})."}]}, ensure_ascii=False)
    try:
        result = evaluate(programme, answers, today)
    except InvalidAnswers as invalid:
        return json.dumps({"ok": False, "errors": [p.as_dict() for p in invalid.problems]}, ensure_ascii=False)
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False)
