"""A whole number between ``min`` and ``max``, with its ``unit``; the ``at_least`` operator.
Form control: ``integer.html.j2``."""
from __future__ import annotations

from dataclasses import dataclass

from ..conditions import EQUALS, IN, Condition, Operator, Outcome, is_int, short_name
from . import WHOLE_NUMBER, AnswerFault, KindField, QuestionKind, shown, written


@dataclass(frozen=True)
class IntegerSettings:
    minimum: int
    maximum: int
    unit: str = ""


def _months_text(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{months} mois ({years} an{'s' if years > 1 else ''})"
    return f"{months} mois"


@dataclass(frozen=True)
class AtLeast(Condition):
    key: str
    minimum: int

    def evaluate(self, facts):
        if self.key not in facts:
            return Outcome(None, (self.key,))
        return Outcome(facts[self.key] >= self.minimum)

    def keys(self):
        return (self.key,)

    def _unit(self, questions) -> str:
        question = questions.get(self.key)
        return question.settings.unit if question is not None else ""

    def describe(self, questions):
        unit = self._unit(questions)
        amount = _months_text(self.minimum) if unit == "mois" else f"{self.minimum} {unit}".strip()
        return f"{short_name(questions, self.key)} : au moins {amount}"

    def quantities(self, questions):
        return frozenset({(self._unit(questions) or "nombre", self.minimum)})


class AtLeastOperator(Operator):
    name, applies_to = "at_least", "un nombre"
    meaning = "Question integer : la réponse vaut au moins ce nombre."
    example = "{answer: medical_secretary_experience_months, at_least: 12}"
    schema = {"type": "integer"}

    def problems(self, data, question, questions, path, accepted):
        where = path + (self.name,)
        if not accepted:
            return []
        if not is_int(data[self.name]):
            return [(where, "« at_least » attend un nombre entier.")]
        fault = question.value_fault(data[self.name])
        return [(where, f"la question « {data['answer']} » {fault}")] if fault else []

    def build(self, key, data):
        return AtLeast(key, data[self.name])


class IntegerKind(QuestionKind):
    name, macro, template = "integer", "integer_control", "integer.html.j2"
    fields = {"min": KindField(("integer", 0, 100_000), "valeur minimale.", "0"),
              "max": KindField(("integer", 0, 100_000), "valeur maximale.", "600"),
              "unit": KindField("text", "unité (« mois » : les libellés en années sont comparés en mois).", "mois")}
    required = ("min", "max")
    operators = {"equals": EQUALS, "in": IN, "at_least": AtLeastOperator()}

    def check(self, question, programme):
        if "min" in question and "max" in question and question["min"] > question["max"]:
            return [(("min",), "« min » dépasse « max ».")]
        return []

    def settings(self, question, programme):
        return IntegerSettings(question.get("min"), question.get("max"), question.get("unit") or "")

    def value_fault(self, question, value):
        low, high = question.settings.minimum, question.settings.maximum
        if not isinstance(value, int) or isinstance(value, bool):
            return f"attend un nombre entier, pas « {written(value)} »."
        if not low <= value <= high:
            return f"va de {low} à {high} : « {written(value)} » est hors limites."
        return None

    def from_json(self, question, value):
        low, high = question.settings.minimum, question.settings.maximum
        if isinstance(value, str) and len(value) > 18 and value.isascii() and value.isdigit():  # too long to be read
            raise AnswerFault(f"Nombre trop grand ({len(value)} chiffres) : de {low} à {high}.",
                              f"number too large ({len(value)} digits): {low} to {high}.")
        if not isinstance(value, int) or isinstance(value, bool):
            raise AnswerFault(f"Un nombre entier est attendu, pas « {shown(value)} ».",
                              f"expects a whole number, not {shown(value)}.")
        if not low <= value <= high:
            raise AnswerFault(f"{shown(value)} est hors limites : de {low} à {high}.",
                              f"{shown(value)} is out of range: {low} to {high}.")
        return value

    def from_text(self, question, text):
        return int(text) if WHOLE_NUMBER.fullmatch(text) else text

    def display_value(self, question, fact):
        unit = question.settings.unit
        return f"{fact} {unit}" if unit else str(fact)

    def sample_answers(self, question):
        return question.settings.minimum, question.settings.maximum + 1


KIND = IntegerKind()
