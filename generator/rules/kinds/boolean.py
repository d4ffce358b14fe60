"""Oui ou non. Form control: ``boolean.html.j2``."""
from __future__ import annotations

from ..conditions import EQUALS, IN
from . import AnswerFault, QuestionKind, shown, written


class BooleanKind(QuestionKind):
    name, macro, template = "boolean", "boolean_control", "boolean.html.j2"
    operators = {"equals": EQUALS, "in": IN}

    def value_fault(self, question, value):
        if not isinstance(value, bool):
            return f"attend vrai ou faux (true/false), pas « {written(value)} »."
        return None

    def from_json(self, question, value):
        if not isinstance(value, bool):
            raise AnswerFault(f"Répondez par oui (true) ou non (false), pas « {shown(value)} ».",
                              f"expects true or false, not {shown(value)}.")
        return value

    def from_text(self, question, text):
        return text.lower() == "true" if text.lower() in ("true", "false") else text

    def display_value(self, question, fact):
        return "Oui" if fact else "Non"

    def sample_answers(self, question):
        return True, "oui"


KIND = BooleanKind()
