"""One choice among ``choices``. Form control: ``choice.html.j2``."""
from __future__ import annotations

from dataclasses import dataclass

from ..conditions import EQUALS, IN
from ..suggest import did_you_mean
from . import AnswerFault, KindField, QuestionKind, shown, written


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ChoiceSettings:
    choices: tuple[Choice, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


class ChoiceKind(QuestionKind):
    name, macro, template = "choice", "choice_control", "choice.html.j2"
    fields = {"choices": KindField(("list", 2, {"value": "slug", "label": "text"}),
                                   "les choix (au moins deux).", "- {value: none, label: \"Non\"}",
                                   {"[].value": ("Valeur du choix, citée par les conditions.", "none"),
                                    "[].label": ("Le choix tel qu'affiché.", "Pas encore")})}
    required = ("choices",)
    operators = {"equals": EQUALS, "in": IN}

    def check(self, question, programme):
        seen, problems = set(), []
        for index, choice in enumerate(question.get("choices") or ()):
            if choice["value"] in seen:
                problems.append((("choices", index), f"la valeur « {choice['value']} » figure déjà plus haut : "
                                                     "chaque identifiant doit être unique."))
            seen.add(choice["value"])
        return problems

    def settings(self, question, programme):
        return ChoiceSettings(tuple(Choice(c["value"], c["label"]) for c in question.get("choices") or ()))

    def value_fault(self, question, value):
        values = question.settings.values
        if value not in values:
            return (f"n'admet pas la valeur « {written(value)} » (valeurs possibles : {', '.join(values)})."
                    + did_you_mean(value, values))
        return None

    def value_text(self, question, value):
        if isinstance(value, bool):
            return "oui" if value else "non"
        for choice in question.settings.choices:
            if choice.value == value:
                return f"« {choice.label} »"
        return str(value)

    def from_json(self, question, value):
        values = question.settings.values
        if not isinstance(value, str) or value not in values:
            allowed = ", ".join(values)
            raise AnswerFault(f"La valeur « {shown(value)} » n'est pas prévue ; valeurs possibles : {allowed}.",
                              f"value {shown(value)} is not allowed; expected one of: {allowed}.")
        return value

    def display_value(self, question, fact):
        return next((choice.label for choice in question.settings.choices if choice.value == fact), fact)

    def sample_answers(self, question):
        return question.settings.values[0], 12


KIND = ChoiceKind()
