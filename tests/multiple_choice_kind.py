"""« Plusieurs choix possibles »: a question kind defined outside the generator, for
tests/test_multiple_choice_kind.py, with its own condition operator, ``includes``. One module and
one template beside it (multiple_choice_kind.html.j2); registered by the test through the one
documented path, ``generator.rules.kinds.register``. The wheel carries this module to the browser,
so it imports nothing but the standard library and ``generator.rules``."""
from __future__ import annotations

from dataclasses import dataclass

from generator.rules.conditions import Condition, Operator, Outcome
from generator.rules.kinds import AnswerFault, KindField, QuestionKind, shown, written


@dataclass(frozen=True)
class Options:
    labels: dict          # value -> label, in the catalogue's order

    @property
    def values(self) -> tuple:
        return tuple(self.labels)


@dataclass(frozen=True)
class Includes(Condition):
    """The answer (several values) includes this one."""

    key: str
    value: str

    def evaluate(self, facts):
        if self.key not in facts:
            return Outcome(None, (self.key,))
        return Outcome(self.value in facts[self.key])

    def keys(self):
        return (self.key,)

    def describe(self, questions):
        question = questions[self.key]
        return f"{question.short} : « {question.settings.labels.get(self.value, self.value)} » parmi les réponses"


class IncludesOperator(Operator):
    name, applies_to = "includes", "une question à plusieurs choix"
    meaning = "Question multiple : la valeur est parmi les choix cochés."
    example = "{answer: titles, includes: haccp}"
    schema = {"type": "string"}

    def problems(self, data, question, questions, path, accepted):
        fault = question.value_fault(data[self.name]) if accepted else None
        return [(path + (self.name,), f"la question « {data['answer']} » {fault}")] if fault else []

    def build(self, key, data):
        return Includes(key, data[self.name])


class MultipleChoiceKind(QuestionKind):
    name, macro, template = "multiple", "multiple_control", "multiple_choice_kind.html.j2"
    fields = {"options": KindField(("list", 2, {"value": "slug", "label": "text"}),
                                   "les choix, plusieurs possibles (au moins deux).",
                                   "- {value: haccp, label: \"Formation HACCP\"}",
                                   {"[].value": ("Valeur du choix, citée par « includes ».", "haccp"),
                                    "[].label": ("Le choix tel qu'affiché.", "Formation HACCP")})}
    required = ("options",)
    operators = {"includes": IncludesOperator()}

    def check(self, question, programme):
        values = [option["value"] for option in question.get("options") or ()]
        if len(set(values)) != len(values):
            return [(("options",), "chaque valeur de « options » doit être unique.")]
        return []

    def settings(self, question, programme):
        return Options({option["value"]: option["label"] for option in question.get("options") or ()})

    def value_fault(self, question, value):
        if value not in question.settings.labels:
            return (f"n'a pas de choix « {written(value)} » (choix possibles : "
                    f"{', '.join(question.settings.values)}).")
        return None

    def from_json(self, question, value):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value) \
                or any(self.value_fault(question, item) for item in value) or len(set(value)) != len(value):
            allowed = ", ".join(question.settings.values)
            raise AnswerFault(f"Une liste de choix parmi {allowed} est attendue, pas « {shown(value)} ».",
                              f"expects a list of choices among {allowed}, not {shown(value)}.")
        return tuple(item for item in question.settings.values if item in value)

    def from_text(self, question, text):
        return [part.strip() for part in text.split(",")]   # the page joins checked boxes with commas

    def display_value(self, question, fact):
        return ", ".join(question.settings.labels[value] for value in fact) or "aucun choix"

    def sample_answers(self, question):
        return [question.settings.values[0]], ["pas-un-choix"]
