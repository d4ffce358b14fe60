"""Conditions over a candidate's answers, written as data in the catalogue.

Grammar (one mapping per condition):

    {answer: KEY, equals: VALUE}
    {answer: KEY, in: [VALUE, ...]}
    {answer: KEY, at_least: NUMBER}                        # integer questions
    {answer: KEY, less_than_years_old: N, on: OTHER_KEY}   # date questions: KEY + N years > OTHER_KEY
    {all: [CONDITION, ...]}   {any: [CONDITION, ...]}   {not: CONDITION}

Evaluation is three-valued: True, False, or None when an unanswered key could still
decide it. A None outcome names the keys that could still decide it (``missing``),
following short-circuits, so a question that can no longer matter is never asked.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .dates import add_years, french_date

LEAF_OPERATORS = ("equals", "in", "at_least", "less_than_years_old")
COMPOSITES = ("all", "any", "not")


@dataclass(frozen=True)
class Outcome:
    value: bool | None
    missing: tuple[str, ...] = ()
    details: tuple[str, ...] = field(default=())


def _union(groups) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for key in group:
            seen.setdefault(key, None)
    return tuple(seen)


class Condition:
    def evaluate(self, facts: dict) -> Outcome:
        raise NotImplementedError

    def keys(self) -> tuple[str, ...]:
        """Every answer key the condition reads."""
        raise NotImplementedError

    def describe(self, questions: dict) -> str:
        """The condition in plain French, from the questions it reads (``key -> model.Question``):
        « expérience de secrétaire médical(e) : au moins 12 mois (1 an) »."""
        raise NotImplementedError

    def quantities(self, questions: dict) -> frozenset:
        """The amounts the condition compares with, as ``(unit, number)``; durations in months
        (« 1 an » and « 12 mois » are the same amount). Used to check labels written by staff."""
        return frozenset()


def _short(questions: dict, key: str) -> str:
    question = questions.get(key)
    return question.short if question is not None else key


def _value_text(questions: dict, key: str, value) -> str:
    """A value as the visitor reads it: the choice's label, oui/non, or the value itself."""
    question = questions.get(key)
    if isinstance(value, bool):
        return "oui" if value else "non"
    for choice in getattr(question, "choices", ()):
        if choice.value == value:
            return f"« {choice.label} »"
    return str(value)


def _months_text(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{months} mois ({years} an{'s' if years > 1 else ''})"
    return f"{months} mois"


def _or(texts: list[str]) -> str:
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " ou " + texts[-1]


@dataclass(frozen=True)
class Equals(Condition):
    key: str
    value: object

    def evaluate(self, facts):
        if self.key not in facts:
            return Outcome(None, (self.key,))
        return Outcome(facts[self.key] == self.value)

    def keys(self):
        return (self.key,)

    def describe(self, questions):
        return f"{_short(questions, self.key)} : {_value_text(questions, self.key, self.value)}"


@dataclass(frozen=True)
class OneOf(Condition):
    key: str
    values: tuple

    def evaluate(self, facts):
        if self.key not in facts:
            return Outcome(None, (self.key,))
        return Outcome(facts[self.key] in self.values)

    def keys(self):
        return (self.key,)

    def describe(self, questions):
        return f"{_short(questions, self.key)} : " + _or([_value_text(questions, self.key, v) for v in self.values])


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
        return getattr(question, "unit", "") or ""

    def describe(self, questions):
        unit = self._unit(questions)
        amount = _months_text(self.minimum) if unit == "mois" else f"{self.minimum} {unit}".strip()
        return f"{_short(questions, self.key)} : au moins {amount}"

    def quantities(self, questions):
        return frozenset({(self._unit(questions) or "nombre", self.minimum)})


@dataclass(frozen=True)
class LessThanYearsOld(Condition):
    """A dated document (null: none held) younger than N years on another date."""

    key: str
    years: int
    on: str

    def evaluate(self, facts):
        if self.key in facts and facts[self.key] is None:
            return Outcome(False)
        unknown = tuple(k for k in (self.key, self.on) if k not in facts)
        if unknown:
            return Outcome(None, unknown)
        issued: _dt.date = facts[self.key]
        reference: _dt.date = facts[self.on]
        try:
            limit = add_years(issued, self.years)
        except OverflowError:  # past year 9999: after any reference date
            limit = _dt.date.max
        holds = limit > reference
        if holds:
            detail = (f"document du {french_date(issued)}, qui aura moins de {self.years} ans "
                      f"le {french_date(reference)}")
        else:
            detail = (f"document du {french_date(issued)}, qui atteint {self.years} ans "
                      f"le {french_date(limit)}, au plus tard le {french_date(reference)}")
        return Outcome(holds, (), (detail,))

    def keys(self):
        return (self.key, self.on)

    def describe(self, questions):
        years = f"{self.years} an{'s' if self.years > 1 else ''}"
        return f"{_short(questions, self.key)} : moins de {years} à la « {_short(questions, self.on)} »"

    def quantities(self, questions):
        return frozenset({("mois", 12 * self.years)})


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, facts):
        outcomes = [part.evaluate(facts) for part in self.parts]
        false = [o for o in outcomes if o.value is False]
        if false:
            return Outcome(False, (), _union(o.details for o in false))
        undecided = [o for o in outcomes if o.value is None]
        if undecided:
            return Outcome(None, _union(o.missing for o in undecided))
        return Outcome(True, (), _union(o.details for o in outcomes))

    def describe(self, questions):
        return " et ".join(_grouped(part, questions) for part in self.parts)

    def keys(self):
        return _union(part.keys() for part in self.parts)

    def quantities(self, questions):
        return frozenset().union(*(part.quantities(questions) for part in self.parts))


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, facts):
        outcomes = [part.evaluate(facts) for part in self.parts]
        true = [o for o in outcomes if o.value is True]
        if true:
            return Outcome(True, (), true[0].details)
        undecided = [o for o in outcomes if o.value is None]
        if undecided:
            return Outcome(None, _union(o.missing for o in undecided))
        return Outcome(False, (), _union(o.details for o in outcomes))

    def describe(self, questions):
        return " ou ".join(_grouped(part, questions) for part in self.parts)

    def keys(self):
        return _union(part.keys() for part in self.parts)

    def quantities(self, questions):
        return frozenset().union(*(part.quantities(questions) for part in self.parts))


@dataclass(frozen=True)
class NotOf(Condition):
    part: Condition

    def evaluate(self, facts):
        inner = self.part.evaluate(facts)
        if inner.value is None:
            return inner
        return Outcome(not inner.value, (), inner.details)

    def keys(self):
        return self.part.keys()

    def describe(self, questions):
        return f"non ({self.part.describe(questions)})"

    def quantities(self, questions):
        return self.part.quantities(questions)


def _grouped(part: Condition, questions: dict) -> str:
    """A part of « et » / « ou » in brackets when it is itself a list joined otherwise."""
    text = part.describe(questions)
    several = isinstance(part, (AllOf, AnyOf)) or (isinstance(part, OneOf) and len(part.values) > 1)
    return f"({text})" if several else text


def build_condition(data: dict) -> Condition:
    """Build a condition from catalogue data that ``condition_problems`` found clean."""
    if "all" in data:
        return AllOf(tuple(build_condition(part) for part in data["all"]))
    if "any" in data:
        return AnyOf(tuple(build_condition(part) for part in data["any"]))
    if "not" in data:
        return NotOf(build_condition(data["not"]))
    key = data["answer"]
    if "equals" in data:
        return Equals(key, data["equals"])
    if "in" in data:
        return OneOf(key, tuple(data["in"]))
    if "at_least" in data:
        return AtLeast(key, data["at_least"])
    return LessThanYearsOld(key, data["less_than_years_old"], data["on"])


def condition_problems(data, questions: dict, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Every fault of a condition, as (path inside the condition, French sentence).

    ``questions`` maps each declared answer key to its question (see ``model.Question``).
    """
    if not isinstance(data, dict):
        return [(path, "une condition doit être un tableau de clés (answer/equals, all, any, not…).")]
    composites = [name for name in COMPOSITES if name in data]
    if composites:
        name = composites[0]
        problems = []
        extra = [k for k in data if k != name]
        if extra:
            problems.append((path + (extra[0],),
                             f"« {extra[0]} » ne peut pas accompagner « {name} » dans la même condition."))
        inner = data[name]
        if name == "not":
            return problems + condition_problems(inner, questions, path + (name,))
        if not isinstance(inner, list) or not inner:
            return problems + [(path + (name,), f"« {name} » attend une liste non vide de conditions.")]
        for index, part in enumerate(inner):
            problems += condition_problems(part, questions, path + (name, index))
        return problems
    return _leaf_problems(data, questions, path)


def _leaf_problems(data: dict, questions: dict, path: tuple) -> list[tuple[tuple, str]]:
    if "answer" not in data:
        return [(path, "condition incomplète : il faut « answer » (la question) et un opérateur "
                       "(equals, in, at_least, less_than_years_old), ou bien all, any, not.")]
    allowed = {"answer", "on"} | set(LEAF_OPERATORS)
    problems = [(path + (k,), f"« {k} » n'est pas un élément connu d'une condition.")
                for k in data if k not in allowed]
    key = data["answer"]
    question = questions.get(key) if isinstance(key, str) else None
    if question is None:
        return problems + [(path + ("answer",), f"la condition porte sur la question « {key} », "
                                                "qui n'est pas déclarée dans « questions ».")]
    operators = [op for op in LEAF_OPERATORS if op in data]
    if len(operators) != 1:
        return problems + [(path, "une condition sur une réponse prend exactement un opérateur parmi "
                                  "equals, in, at_least, less_than_years_old.")]
    op = operators[0]
    where = path + (op,)
    if op in ("equals", "in"):
        values = data[op] if op == "in" else [data[op]]
        if op == "in" and (not isinstance(values, list) or not values):
            return problems + [(where, "« in » attend une liste non vide de valeurs.")]
        for index, value in enumerate(values):
            fault = question.value_fault(value)
            if fault:
                problems.append((where + ((index,) if op == "in" else ()),
                                 f"la question « {key} » {fault}"))
    elif op == "at_least":
        if question.type != "integer":
            problems.append((where, f"« at_least » s'applique à un nombre, or « {key} » est de type {question.type}."))
        elif not _is_int(data[op]):
            problems.append((where, "« at_least » attend un nombre entier."))
        else:
            fault = question.value_fault(data[op])
            if fault:
                problems.append((where, f"la question « {key} » {fault}"))
    else:
        if question.type != "date":
            problems.append((where, f"« less_than_years_old » s'applique à une date, or « {key} » est de type {question.type}."))
        if not _is_int(data[op]) or data[op] <= 0:
            problems.append((where, "« less_than_years_old » attend un nombre d'années entier positif."))
        other = data.get("on")
        if other is None:
            problems.append((path, "« less_than_years_old » demande « on » : la date à laquelle le document doit être valide."))
        elif other not in questions or questions[other].type != "date":
            problems.append((path + ("on",), f"« on » doit nommer une question de type date, pas « {other} »."))
    if "on" in data and op != "less_than_years_old":
        problems.append((path + ("on",), "« on » ne s'emploie qu'avec « less_than_years_old »."))
    return problems


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
