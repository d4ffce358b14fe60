"""What the quiz's worker calls in Pyodide (shipped in the wheel as the top-level ``quiz_entry``).

The build's stdlib survey (stdlib_usage.mjs) and the parity runner call this very function, so
the trimmed standard library and the parity suite cover the path the browser takes.
"""
import json

from generator.rules.api import evaluate_json


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
