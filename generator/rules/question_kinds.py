"""One class per kind of question: its catalogue fields and checks, and how answers are read.

A kind owns:
- ``fields``: the catalogue fields only this kind takes, as ``name -> shape tag`` (the schema,
  ``catalogue/schema.py``, turns each tag into its check; tags: integer, text, boolean, key,
  choices, date_default), and ``required`` among them;
- ``check(question, dates)``: what the shape cannot say, as (path inside the question, French sentence);
- ``value_fault(question, value)``: why a value written in a condition cannot be an answer;
- ``from_json(question, value)``: the fact the rules read, or ``AnswerFault`` (French and English);
- ``from_text(question, text)``: a CSV cell, URL fragment or quiz form value as the JSON value it
  stands for (only the obvious conversion; anything else stays text so ``from_json`` names the fault);
- ``display(question, fact)``: an answer (``from_json``'s fact, or None) in French, as the quiz's
  printed summary shows it;
- ``macro``: the name of its form control, a Jinja macro in ``template``
  (``browser/templates/question_controls.html.j2`` for the built-in kinds).

Adding a kind: one class here (registered with ``register``) and one macro. Standard library only:
this module runs in the browser too.
"""
from __future__ import annotations

import json
import re

from .dates import BadDate, french_date, parse_iso_date

# ASCII digits only, as the quiz page reads them: str.isdigit() accepts « ² », which int() rejects.
# At most 18 digits: longer stays text, which ``from_json`` refuses with a sentence (int() of
# thousands of digits is slow, and refused past 4,300 by Python itself).
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
_SHOWN_LENGTH = 60


class AnswerFault(Exception):
    def __init__(self, fr: str, en: str):
        super().__init__(en)
        self.fr, self.en = fr, en


def shown(value) -> str:
    """An answer as the visitor or the file wrote it, cut when it is very long (a 5,000-digit number…)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"≈10^{int(abs(value).bit_length() * 0.30103)}"  # str() refuses past 4,300 digits
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):
            value = repr(type(value).__name__)
    return value if len(value) <= _SHOWN_LENGTH else value[:_SHOWN_LENGTH - 1] + "…"


def written(value) -> str:
    """A catalogue value as written in YAML, not as Python prints it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


class QuestionKind:
    name = ""
    fields: dict = {}
    required: tuple = ()
    macro = ""
    template = "question_controls.html.j2"   # where ``macro`` lives (browser/templates/)
    docs: dict = {}     # for a kind added later: field -> (meaning, example), for the staff reference

    def check(self, question: dict, dates: set) -> list[tuple[tuple, str]]:
        return []

    def value_fault(self, question, value) -> str | None:
        return None

    def from_json(self, question, value):
        raise NotImplementedError

    def from_text(self, question, text: str):
        return text

    def display(self, question, fact) -> str:
        if fact is None:
            return question.null_label or "aucun(e)"
        return self.display_value(question, fact)

    def display_value(self, question, fact) -> str:
        return str(fact)


class BooleanKind(QuestionKind):
    name, macro = "boolean", "boolean_control"

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


class ChoiceKind(QuestionKind):
    name, macro = "choice", "choice_control"
    fields = {"choices": "choices"}
    required = ("choices",)

    def check(self, question, dates):
        seen, problems = set(), []
        for index, choice in enumerate(question.get("choices") or ()):
            if choice["value"] in seen:
                problems.append((("choices", index), f"la valeur « {choice['value']} » figure déjà plus haut : "
                                                     "chaque identifiant doit être unique."))
            seen.add(choice["value"])
        return problems

    def value_fault(self, question, value):
        if value not in question.values:
            return f"n'admet pas la valeur « {written(value)} » (valeurs possibles : {', '.join(question.values)})."
        return None

    def from_json(self, question, value):
        if not isinstance(value, str) or value not in question.values:
            allowed = ", ".join(question.values)
            raise AnswerFault(f"La valeur « {shown(value)} » n'est pas prévue ; valeurs possibles : {allowed}.",
                              f"value {shown(value)} is not allowed; expected one of: {allowed}.")
        return value

    def display_value(self, question, fact):
        return next((choice.label for choice in question.choices if choice.value == fact), fact)


class IntegerKind(QuestionKind):
    name, macro = "integer", "integer_control"
    fields = {"min": "integer", "max": "integer", "unit": "text"}
    required = ("min", "max")

    def check(self, question, dates):
        if "min" in question and "max" in question and question["min"] > question["max"]:
            return [(("min",), "« min » dépasse « max ».")]
        return []

    def value_fault(self, question, value):
        if not isinstance(value, int) or isinstance(value, bool):
            return f"attend un nombre entier, pas « {written(value)} »."
        if not question.minimum <= value <= question.maximum:
            return f"va de {question.minimum} à {question.maximum} : « {written(value)} » est hors limites."
        return None

    def from_json(self, question, value):
        if isinstance(value, str) and len(value) > 18 and value.isascii() and value.isdigit():  # too long to be read
            raise AnswerFault(f"Nombre trop grand ({len(value)} chiffres) : de {question.minimum} à {question.maximum}.",
                              f"number too large ({len(value)} digits): {question.minimum} to {question.maximum}.")
        if not isinstance(value, int) or isinstance(value, bool):
            raise AnswerFault(f"Un nombre entier est attendu, pas « {shown(value)} ».",
                              f"expects a whole number, not {shown(value)}.")
        if not question.minimum <= value <= question.maximum:
            raise AnswerFault(f"{shown(value)} est hors limites : de {question.minimum} à {question.maximum}.",
                              f"{shown(value)} is out of range: {question.minimum} to {question.maximum}.")
        return value

    def from_text(self, question, text):
        return int(text) if _WHOLE_NUMBER.fullmatch(text) else text

    def display_value(self, question, fact):
        return f"{fact} {question.unit}" if question.unit else str(fact)


class DateKind(QuestionKind):
    name, macro = "date", "date_control"
    fields = {"nullable": "boolean", "null_label": "text", "default": "date_default",
              "not_after": "key", "not_before": "key"}

    def check(self, question, dates):
        problems = []
        for name in ("not_after", "not_before"):
            ref = question.get(name)
            if ref is not None and ref != "today" and ref not in dates:
                problems.append(((name,), f"« {name} » doit valoir « today » ou nommer une question de type date, pas « {ref} »."))
        default = question.get("default")
        if isinstance(default, dict) and default["date"] not in dates:
            problems.append((("default", "date"), f"la date de départ « {default['date']} » n'est pas une question de type date."))
        if question.get("null_label") and not question.get("nullable"):
            problems.append((("null_label",), "« null_label » suppose « nullable: true »."))
        return problems

    def value_fault(self, question, value):
        return "est une date : comparez-la avec « less_than_years_old »."

    def from_json(self, question, value):
        if value is None:
            if question.nullable:
                return None
            raise AnswerFault("Une date est attendue.", "expects a date, not null.")
        if not isinstance(value, str):
            raise AnswerFault(f"Une date au format AAAA-MM-JJ est attendue, pas « {shown(value)} ».",
                              f"expects a date as YYYY-MM-DD, not {shown(value)}.")
        try:
            return parse_iso_date(value)
        except BadDate as bad:
            if bad.impossible:
                raise AnswerFault(f"La date {value} n'existe pas dans le calendrier.",
                                  f"{value} is not a calendar date.") from None
            raise AnswerFault(f"Une date au format AAAA-MM-JJ est attendue, pas « {value} ».",
                              f"expects a date as YYYY-MM-DD, not {value!r}.") from None

    def display_value(self, question, fact):
        return french_date(fact)


KINDS: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Make a kind known to the catalogue, the rules and the quiz page."""
    KINDS[kind.name] = kind
    return kind


for _kind in (BooleanKind(), ChoiceKind(), IntegerKind(), DateKind()):
    register(_kind)


def kind_of(question) -> QuestionKind:
    """The kind of a question (``model.Question`` or catalogue data)."""
    return KINDS[question["type"] if isinstance(question, dict) else question.type]


def field_owners() -> dict[str, list[str]]:
    """Each kind-specific field and the kinds that take it."""
    owners: dict[str, list[str]] = {}
    for kind in KINDS.values():
        for name in kind.fields:
            owners.setdefault(name, []).append(kind.name)
    return owners
