"""Answers written as text (a CSV cell, a URL fragment) turned into JSON-typed answers.

Only the obvious conversions happen here (true/false, digits); anything else is passed on
as text so that ``answers.read_answers`` names the fault with the same message as for JSON.
The quiz's form fields come here too (browser/quiz_entry.py): the page sends what was typed.
"""
from __future__ import annotations

from .model import Programme
from .kinds import kind_of

BLANK_IS_NULL = "null"      # URL fragment: `key=` means null (contract, section 6)
BLANK_IS_ABSENT = "absent"  # CSV: an empty cell is a question not answered


def answers_from_text(programme: Programme, pairs, blank: str) -> dict:
    questions = {q.key: q for q in programme.questions}
    answers: dict = {}
    for key, text in pairs:
        text = text.strip()
        if text == "":
            if blank == BLANK_IS_ABSENT:
                continue
            answers[key] = None
        elif text == "null":
            answers[key] = None
        elif key in questions:  # each kind converts what it obviously can (rules/kinds/)
            answers[key] = kind_of(questions[key]).from_text(questions[key], text)
        else:
            answers[key] = text
    return answers


def answers_from_fragment(programme: Programme, fragment: str) -> dict:
    """``#a=1&b=`` (with or without the ``#``) as answers; a repeated key keeps its last value."""
    from urllib.parse import parse_qsl  # here: the browser's Python, which never needs it, skips its import
    return answers_from_text(programme, parse_qsl(fragment.lstrip("#"), keep_blank_values=True), BLANK_IS_NULL)
