"""The answers as the quiz's printed summary shows them, in French.

Each answer is shown by its question's kind (``QuestionKind.display``); a faulty one as it was
written; an unanswered question that took its default, with « (par défaut) ».
"""
from __future__ import annotations

from .kinds import AnswerFault, kind_of, shown
from .model import Programme


def answers_summary(programme: Programme, answers: dict, result: dict | None) -> list[list[str]]:
    """``[[question label, text], …]`` in the order of the questions."""
    summary = []
    defaulted = (result or {}).get("dates", {})
    for question in programme.questions:
        if question.key in answers:
            kind, value = kind_of(question), answers[question.key]
            try:
                text = kind.display(question, kind.from_json(question, value))
            except AnswerFault:
                text = kind.display(question, None) if value is None else shown(value)
        elif question.key in defaulted:
            kind = kind_of(question)
            text = kind.display(question, kind.from_json(question, defaulted[question.key])) + " (par défaut)"
        else:
            continue
        summary.append([question.label, text])
    return summary
