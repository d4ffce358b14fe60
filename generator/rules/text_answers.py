"""Answers written as text (a CSV cell, a URL fragment) turned into JSON-typed answers.

Only the obvious conversions happen here (true/false, digits); anything else is passed on
as text so that ``answers.read_answers`` names the fault with the same message as for JSON.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl

from .model import Programme

BLANK_IS_NULL = "null"      # URL fragment: `key=` means null (contract, section 6)
BLANK_IS_ABSENT = "absent"  # CSV: an empty cell is a question not answered

# ASCII digits only, as the quiz page reads them: str.isdigit() accepts « ² », which int() rejects.
# At most 18 digits: longer stays text, which ``answers`` refuses with a sentence (int() of
# thousands of digits is slow, and refused past 4,300 by Python itself).
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def answers_from_text(programme: Programme, pairs, blank: str) -> dict:
    types = {q.key: q.type for q in programme.questions}
    answers: dict = {}
    for key, text in pairs:
        text = text.strip()
        if text == "":
            if blank == BLANK_IS_ABSENT:
                continue
            answers[key] = None
        elif text == "null":
            answers[key] = None
        elif types.get(key) == "boolean" and text.lower() in ("true", "false"):
            answers[key] = text.lower() == "true"
        elif types.get(key) == "integer" and _WHOLE_NUMBER.fullmatch(text):
            answers[key] = int(text)
        else:
            answers[key] = text
    return answers


def answers_from_fragment(programme: Programme, fragment: str) -> dict:
    """``#a=1&b=`` (with or without the ``#``) as answers; a repeated key keeps its last value."""
    return answers_from_text(programme, parse_qsl(fragment.lstrip("#"), keep_blank_values=True), BLANK_IS_NULL)
