"""Checking a candidate's answers against the programme's questions.

Every faulty key gets its own message, in French (shown beside the field, so it does not
repeat the key) and in English. Valid answers become ``facts``: Python values keyed by
answer key, dates as ``datetime.date``, ``None`` for an explicit "none held", and the
defaults of date questions filled in. An absent key stays absent: it is unknown.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .dates import add_months, french_date
from .model import Programme, Question
from .question_kinds import AnswerFault, kind_of


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
    problems += _date_order_problems(programme, answers, facts, faulty, today)
    if problems:
        raise InvalidAnswers(problems)
    return facts


def _typed_value(question: Question, value):
    return kind_of(question).from_json(question, value)


def _fill_defaults(programme: Programme, facts: dict, faulty: set, today: _dt.date) -> list[AnswerProblem]:
    """Give unanswered date questions their default, following references in order.

    Returns a problem for a base date so late that the default would fall past year 9999."""
    problems: list[AnswerProblem] = []
    pending = [q for q in programme.questions if q.default and q.key not in facts and q.key not in faulty]
    while pending:
        progressed = False
        for question in list(pending):
            base = question.default.base
            start = today if base == "today" else facts.get(base)
            if start is not None:
                try:
                    facts[question.key] = add_months(start, question.default.plus_months)
                except OverflowError:
                    problems.append(AnswerProblem(
                        "" if base == "today" else base,
                        f"La date {french_date(start)} est trop lointaine pour le calendrier.",
                        f"{start.isoformat()} is too far in the future for the calendar."))
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


def _date_order_problems(programme, answers, facts, faulty, today) -> list[AnswerProblem]:
    problems = []
    for question in programme.questions:
        if question.type != "date" or question.key not in answers or question.key in faulty:
            continue
        value = facts.get(question.key)
        if value is None:
            continue
        if question.not_after:
            limit, name_fr, name_en = _reference(programme, question.not_after, facts, today)
            if limit is not None and value > limit:
                problems.append(AnswerProblem(
                    question.key,
                    f"La date {french_date(value)} est postérieure à {name_fr} ({french_date(limit)}).",
                    f"{value.isoformat()} is after {name_en} ({limit.isoformat()})."))
        if question.not_before:
            limit, name_fr, name_en = _reference(programme, question.not_before, facts, today)
            if limit is not None and value < limit:
                problems.append(AnswerProblem(
                    question.key,
                    f"La date {french_date(value)} est antérieure à {name_fr} ({french_date(limit)}).",
                    f"{value.isoformat()} is before {name_en} ({limit.isoformat()})."))
    return problems


def _reference(programme: Programme, name: str, facts: dict, today: _dt.date):
    if name == "today":
        return today, "la date du jour", "the evaluation date"
    return facts.get(name), f"la {programme.question(name).short}", name
