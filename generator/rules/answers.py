"""Checking a candidate's answers against the programme's questions.

Every faulty key gets its own message, in French (shown beside the field, so it does not
repeat the key) and in English. Valid answers become ``facts``: Python values keyed by
answer key, dates as ``datetime.date``, ``None`` for an explicit "none held", and the
defaults (a date question's, see ``QuestionKind.default_base``) filled in. An absent key stays absent: it is unknown.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .kinds import AnswerFault, kind_of
from .model import Programme, Question


@dataclass(frozen=True)
class AnswerProblem:
    key: str
    fr: str
    en: str

    def as_dict(self) -> dict:
        return {"key": self.key, "message_fr": self.fr, "message_en": self.en}


class InvalidAnswers(ValueError):
    def __init__(self, problems: list[AnswerProblem]):
        super().__init__("; ".join(f"{p.key}: {p.en}" for p in problems))
        self.problems = tuple(problems)


def read_answers(programme: Programme, answers, today: _dt.date) -> dict:
    """Check ``answers`` (a decoded JSON object) and return the facts the rules read."""
    if not isinstance(answers, dict):
        raise InvalidAnswers([AnswerProblem(
            "", "Les réponses doivent former un objet JSON ({\"clé\": valeur, …}).",
            "Answers must be a JSON object ({\"key\": value, …}).")])
    questions = {q.key: q for q in programme.questions}
    problems: list[AnswerProblem] = []
    facts: dict = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            problems.append(AnswerProblem(
                key, "Cette question n'existe pas pour ce programme.",
                f"“{key}” is not a question of this programme."))
            continue
        try:
            facts[key] = _typed_value(question, value)
        except AnswerFault as fault:
            problems.append(AnswerProblem(key, fault.fr, fault.en))
    faulty = {p.key for p in problems}
    problems += _fill_defaults(programme, facts, faulty, today)
    problems += _order_problems(programme, answers, facts, faulty, today)
    if problems:
        raise InvalidAnswers(problems)
    return facts


def _typed_value(question: Question, value):
    return kind_of(question).from_json(question, value)


def _fill_defaults(programme: Programme, facts: dict, faulty: set, today: _dt.date) -> list[AnswerProblem]:
    """Give unanswered questions that take a default their default, following references in order.

    Returns a problem for a base whose default cannot be computed (a date past year 9999)."""
    problems: list[AnswerProblem] = []
    pending = [q for q in programme.questions
               if kind_of(q).default_base(q) is not None and q.key not in facts and q.key not in faulty]
    while pending:
        progressed = False
        for question in list(pending):
            kind = kind_of(question)
            base = kind.default_base(question)
            start = today if base == "today" else facts.get(base)
            if start is not None:
                try:
                    facts[question.key] = kind.default_from(question, start)
                except AnswerFault as fault:
                    problems.append(AnswerProblem("" if base == "today" else base, fault.fr, fault.en))
            elif base in faulty or base not in {q.key for q in pending}:
                pending.remove(question)  # its base is faulty or unknown: stays unknown
                continue
            else:
                continue
            pending.remove(question)
            progressed = True
        if not progressed:
            break
    return problems


def _order_problems(programme, answers, facts, faulty, today) -> list[AnswerProblem]:
    """The order answers must keep (a date not after another…), as each kind says."""
    problems = []
    for question in programme.questions:
        if question.key not in answers or question.key in faulty or facts.get(question.key) is None:
            continue
        problems += [AnswerProblem(question.key, fr, en) for fr, en in
                     kind_of(question).order_problems(programme, question, facts[question.key], facts, today)]
    return problems
