"""Question kinds: the one way a kind becomes known to the catalogue, the rules, the quiz page and
the browser's wheel.

A kind is one module (a ``QuestionKind`` subclass) and one template beside it (its form control, a
Jinja macro). ``register(kind)`` is the only registration: the built-in kinds below go through it
exactly as a kind defined elsewhere does (``DEFAULT_KINDS``). Once registered, the catalogue's shape
and checks take its fields, the conditions take its operators, the quiz page renders its control
from ``template`` (looked up beside the module that defines the class) and the wheel carries its
module to the browser (``browser/wheel.py``). Standard library only: this package runs in Pyodide.

A kind owns (see ``QuestionKind``): its catalogue fields (shape, meaning, example), its checks,
its settings (what the rules read from the catalogue data), its default and the order its answers
must keep, the condition operators it accepts, how an answer is read (JSON, text) and shown in
French, sample answers for the stdlib survey, and its form control.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

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


# ASCII digits only, as the quiz page reads them: str.isdigit() accepts « ² », which int() rejects.
# At most 18 digits: longer stays text, which ``from_json`` refuses with a sentence (int() of
# thousands of digits is slow, and refused past 4,300 by Python itself).
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class KindField:
    """A catalogue field only some kinds take. ``shape`` is plain data, turned into a check by
    ``catalogue/schema.py`` (``shape_spec``): "text", "boolean", "key", "slug", ("integer", low, high),
    ("literal", value, …), ("one_of", shape, …), ("list", least, shape), or a dict of named shapes
    (a name ending in "?" may be left out). ``parts``: meaning and example of each part of a
    composite shape, by its path below the field (``"[].value"``, ``".date"``), for the reference."""

    shape: object
    meaning: str
    example: str
    parts: dict = field(default_factory=dict)


class QuestionKind:
    name = ""
    fields: dict = {}            # name -> KindField
    required: tuple = ()         # among ``fields``
    operators: dict = {}         # condition operator name -> conditions.Operator, the ones this kind accepts
    macro = ""                   # its form control, a macro in ``template``
    template = ""                # a file beside the module that defines the class
    defaulted_macro = ""         # the group of its questions that take a default (see ``default_base``)

    # -- the catalogue --------------------------------------------------------------------------
    def check(self, question: dict, programme: dict) -> list[tuple[tuple, str]]:
        """What the shape cannot say, as (path inside the question, French sentence)."""
        return []

    def programme_problems(self, question: dict, programme: dict) -> list[tuple[tuple, str]]:
        """Faults between this question and the rest of the programme (reported after the rules')."""
        return []

    def settings(self, question: dict, programme: dict):
        """What the rules read of this kind's fields (``model.Question.settings``)."""
        return None

    def value_fault(self, question, value) -> str | None:
        """Why a value written in a condition cannot be an answer (French), or None."""
        return None

    def value_text(self, question, value) -> str:
        """A value written in a condition, as a visitor reads it."""
        if isinstance(value, bool):
            return "oui" if value else "non"
        return str(value)

    def default_source(self, question: dict) -> str | None:
        """Catalogue data: the key this question's default is computed from, or None."""
        return None

    # -- answers ----------------------------------------------------------------------------------
    def from_json(self, question, value):
        """The fact the rules read, or ``AnswerFault`` (French and English)."""
        raise NotImplementedError

    def from_text(self, question, text: str):
        """A CSV cell, URL fragment or form value as the JSON value it stands for (only the obvious
        conversion; anything else stays text so that ``from_json`` names the fault)."""
        return text

    def to_json(self, question, fact):
        return fact

    def default_base(self, question) -> str | None:
        """"today", or the key of the answer this question's default is computed from; None: no default."""
        return None

    def default_from(self, question, start):
        """The default, from ``start`` (the evaluation date or the base answer); AnswerFault if none."""
        raise NotImplementedError

    def order_problems(self, programme, question, fact, facts: dict, today) -> list[tuple[str, str]]:
        """(French, English) for each ordering constraint an answer breaks."""
        return []

    def display(self, question, fact) -> str:
        """An answer (``from_json``'s fact, or None) in French, as the quiz's printed summary shows it."""
        if fact is None:
            return self.null_text(question)
        return self.display_value(question, fact)

    def null_text(self, question) -> str:
        return "aucun(e)"

    def display_value(self, question, fact) -> str:
        return str(fact)

    def sample_answers(self, question) -> tuple:
        """(a valid answer, a faulty one), as JSON values: the stdlib survey (browser/runtime.py)
        runs both, so that every module this kind imports reaches the browser."""
        raise NotImplementedError


KINDS: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Make a kind known to the catalogue, the rules, the quiz page and the wheel: the one call."""
    KINDS[kind.name] = kind
    return kind


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


def operators() -> dict:
    """Every condition operator a registered kind accepts, in the order kinds were registered."""
    found: dict = {}
    for kind in KINDS.values():
        for name, operator in kind.operators.items():
            found.setdefault(name, operator)
    return found


# The built-in kinds, registered through ``register`` as any other (as Datasette's DEFAULT_PLUGINS).
from . import boolean, choice, integer, date  # noqa: E402  (they import the base above)

DEFAULT_KINDS = (boolean.KIND, choice.KIND, integer.KIND, date.KIND)
for _kind in DEFAULT_KINDS:
    register(_kind)
