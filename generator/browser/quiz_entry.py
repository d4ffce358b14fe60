"""What the quiz's worker calls in Pyodide (shipped in the wheel as the top-level ``quiz_entry``).

The build's stdlib survey (stdlib_usage.mjs) and the parity runner call these very functions, so
the trimmed standard library and the parity suite cover the path the browser takes.
"""
import json

from generator.rules.api import evaluate_json, programme_from_json
from generator.rules.dates import french_date, parse_iso_date
from generator.rules.next_step import documents_to_prepare, request_message
from generator.rules.summary import answers_summary
from generator.rules.text_answers import BLANK_IS_NULL, answers_from_text

try:  # kinds registered outside generator/rules when the wheel was built (wheel.py writes it)
    import quiz_kinds  # noqa: F401
except ModuleNotFoundError as missing:
    if missing.name != "quiz_kinds":
        raise


def evaluate(programme_json, answers_json, today_iso):
    """The engine's answer, and when some answers are faulty, the result without them."""
    payload = evaluate_json(programme_json, answers_json, today_iso)
    outcome = json.loads(payload)
    partial = None
    if not outcome["ok"]:
        faulty = {error["key"] for error in outcome["errors"]}
        # An error with no key (answers that are not JSON, a bad date) leaves nothing to keep.
        answers = json.loads(answers_json) if "" not in faulty else None
        if isinstance(answers, dict):
            kept = {key: value for key, value in answers.items() if key not in faulty}
            second = json.loads(evaluate_json(programme_json, json.dumps(kept), today_iso))
            partial = json.dumps(second["result"], ensure_ascii=False) if second["ok"] else None
    return [payload, partial]


def evaluate_typed(programme_json, pairs_json, today_iso):
    """What the visitor typed, as ``[[key, text], …]`` (form fields and URL fragment alike; an
    empty text means null, as in the fragment), read as the command line reads a fragment
    (``text_answers``), then evaluated: ``[payload, partial, shown]``, ``shown`` being JSON
    ``{"answers": [[label, text], …], "evaluated_on": "JJ/MM/AAAA", "documents": […],
    "request": {"subject", "body"}}`` for the printed summary and « Et maintenant ? »
    (rules/next_step.py), or None when there is no result to show."""
    programme = programme_from_json(programme_json)
    answers = answers_from_text(programme, json.loads(pairs_json), BLANK_IS_NULL)
    payload, partial = evaluate(programme_json, json.dumps(answers, ensure_ascii=False), today_iso)
    outcome = json.loads(payload)
    result = outcome["result"] if outcome["ok"] else (json.loads(partial) if partial else None)
    shown = None
    if result is not None:
        summary = answers_summary(programme, answers, result)
        evaluated_on = french_date(parse_iso_date(result["evaluated_on"]))
        shown = json.dumps({"answers": summary, "evaluated_on": evaluated_on,
                            "documents": documents_to_prepare(programme, result),
                            "request": request_message(programme, summary, result, evaluated_on)},
                           ensure_ascii=False)
    return [payload, partial, shown]
