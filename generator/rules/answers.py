"""Checking a candidate's answers against the programme's questions.

Every faulty key gets its own message, in French (shown beside the field, so it does not
repeat the key) and in English. Valid answers become ``facts``: Python values keyed by
answer key, dates as ``datetime.date``, ``None`` for an explicit "none held", and the
defaults of date questions filled in. An absent key stays absent: it is unknown.
"""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass

from .dates import BadDate, add_months, french_date, parse_iso_date
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


_SHOWN_LENGTH = 60


def _shown(value) -> str:
    """The value as the person typed it, cut when it is very long (a 5,000-digit number…)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"≈10^{int(abs(value).bit_length() * 0.30103)}"  # str() refuses past 4,300 digits
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):
            value = repr(type(value).__name__)
    return value if len(value) <= _SHOWN_LENGTH else value[:_SHOWN_LENGTH - 1] + "…"


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
        except _Fault as fault:
            problems.append(AnswerProblem(key, fault.fr, fault.en))
    faulty = {p.key for p in problems}
    problems += _fill_defaults(programme, facts, faulty, today)
    problems += _date_order_problems(programme, answers, facts, faulty, today)
    if problems:
        raise InvalidAnswers(problems)
    return facts


class _Fault(Exception):
    def __init__(self, fr: str, en: str):
        super().__init__(en)
        self.fr, self.en = fr, en


def _typed_value(question: Question, value):
    if question.type == "boolean":
        if not isinstance(value, bool):
            raise _Fault(f"Répondez par oui (true) ou non (false), pas « {_shown(value)} ».",
                         f"expects true or false, not {_shown(value)}.")
        return value
    if question.type == "choice":
        if not isinstance(value, str) or value not in question.values:
            allowed = ", ".join(question.values)
            raise _Fault(f"La valeur « {_shown(value)} » n'est pas prévue ; valeurs possibles : {allowed}.",
                         f"value {_shown(value)} is not allowed; expected one of: {allowed}.")
        return value
    if question.type == "integer":
        if isinstance(value, str) and len(value) > 18 and value.isascii() and value.isdigit():  # too long to be read
            raise _Fault(f"Nombre trop grand ({len(value)} chiffres) : de {question.minimum} à {question.maximum}.",
                         f"number too large ({len(value)} digits): {question.minimum} to {question.maximum}.")
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Fault(f"Un nombre entier est attendu, pas « {_shown(value)} ».",
                         f"expects a whole number, not {_shown(value)}.")
        if not question.minimum <= value <= question.maximum:
            raise _Fault(f"{_shown(value)} est hors limites : de {question.minimum} à {question.maximum}.",
                         f"{_shown(value)} is out of range: {question.minimum} to {question.maximum}.")
        return value
    # date
    if value is None:
        if question.nullable:
            return None
        raise _Fault("Une date est attendue.", "expects a date, not null.")
    if not isinstance(value, str):
        raise _Fault(f"Une date au format AAAA-MM-JJ est attendue, pas « {_shown(value)} ».",
                     f"expects a date as YYYY-MM-DD, not {_shown(value)}.")
    try:
        return parse_iso_date(value)
    except BadDate as bad:
        if bad.impossible:
            raise _Fault(f"La date {value} n'existe pas dans le calendrier.",
                         f"{value} is not a calendar date.") from None
        raise _Fault(f"Une date au format AAAA-MM-JJ est attendue, pas « {value} ».",
                     f"expects a date as YYYY-MM-DD, not {value!r}.") from None


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
