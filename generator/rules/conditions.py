"""Conditions over a candidate's answers, written as data in the catalogue.

Grammar (one mapping per condition):

    {answer: KEY, equals: VALUE}
    {answer: KEY, in: [VALUE, ...]}
    {answer: KEY, OPERATOR: ...}     # an operator a question kind brings (rules/kinds/: at_least, less_than_years_old…)
    {all: [CONDITION, ...]}   {any: [CONDITION, ...]}   {not: CONDITION}

A leaf operator is an ``Operator``: its checks, the condition it builds, its documentation. Each
kind lists those it accepts (``QuestionKind.operators``); the checks refuse any other.

Evaluation is three-valued: True, False, or None when an unanswered key could still
decide it. A None outcome names the keys that could still decide it (``missing``),
following short-circuits, so a question that can no longer matter is never asked.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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


def short_name(questions: dict, key: str) -> str:
    """A question's ``short``, for the French text of a condition (its key when it is not declared)."""
    question = questions.get(key)
    return question.short if question is not None else key


def value_text(questions: dict, key: str, value) -> str:
    """A value as the visitor reads it, as its question's kind writes it (a choice's label, oui/non…)."""
    question = questions.get(key)
    if question is None:
        return "oui" if value is True else "non" if value is False else str(value)
    return kind_of(question).value_text(question, value)


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
        return f"{short_name(questions, self.key)} : {value_text(questions, self.key, self.value)}"


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
        return f"{short_name(questions, self.key)} : " + _or([value_text(questions, self.key, v) for v in self.values])


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


class Operator:
    """A leaf operator: ``{answer: KEY, <name>: …}``. ``applies_to``: what it compares, for the sentence
    when a question's kind does not take it; ``extra``: the other keys it takes beside ``answer``;
    ``meaning``/``example``/``schema``: for the reference and the JSON Schema (``extra_schema`` for
    the extra keys)."""

    name = ""
    applies_to = ""
    extra: tuple = ()
    meaning = example = ""
    schema: dict = {}
    extra_schema: dict = {}

    def problems(self, data: dict, question, questions: dict, path: tuple, accepted: bool) -> list:
        """Faults of ``data[name]`` (and the extra keys); ``accepted``: whether the kind takes it."""
        return []

    def build(self, key: str, data: dict) -> Condition:
        raise NotImplementedError


class ValueOperator(Operator):
    """``equals`` and ``in``: the answer is (one of) the values, each checked by the question's kind."""

    applies_to = "une valeur"

    def __init__(self, name, several, meaning, example, schema, build):
        self.name, self.several, self.meaning, self.example, self.schema = name, several, meaning, example, schema
        self._build = build

    def problems(self, data, question, questions, path, accepted):
        where, key = path + (self.name,), data["answer"]
        values = data[self.name] if self.several else [data[self.name]]
        if self.several and (not isinstance(values, list) or not values):
            return [(where, f"« {self.name} » attend une liste non vide de valeurs.")]
        problems = []
        for index, value in enumerate(values):
            fault = question.value_fault(value)
            if fault:
                problems.append((where + ((index,) if self.several else ()), f"la question « {key} » {fault}"))
        return problems

    def build(self, key, data):
        return self._build(key, data[self.name])


EQUALS = ValueOperator("equals", False, "La réponse vaut cette valeur (true/false, ou la valeur d'un choix).",
                       "{answer: level4_or_bac, equals: true}", {}, Equals)
IN = ValueOperator("in", True, "La réponse est l'une de ces valeurs.", "{answer: placement, in: [contract, host]}",
                   {"type": "array", "minItems": 1}, lambda key, values: OneOf(key, tuple(values)))


def leaf_operators() -> dict:
    """Every operator the registered kinds accept, by name (rules/kinds/)."""
    return operators()


def build_condition(data: dict) -> Condition:
    """Build a condition from catalogue data that ``condition_problems`` found clean."""
    if "all" in data:
        return AllOf(tuple(build_condition(part) for part in data["all"]))
    if "any" in data:
        return AnyOf(tuple(build_condition(part) for part in data["any"]))
    if "not" in data:
        return NotOf(build_condition(data["not"]))
    name = next(name for name in operators() if name in data)
    return operators()[name].build(data["answer"], data)


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
    known = operators()
    names = ", ".join(known)
    if "answer" not in data:
        return [(path, "condition incomplète : il faut « answer » (la question) et un opérateur "
                       f"({names}), ou bien all, any, not.")]
    extras = {extra: name for name, operator in known.items() for extra in operator.extra}
    allowed = {"answer"} | set(extras) | set(known)
    problems = [(path + (k,), f"« {k} » n'est pas un élément connu d'une condition.")
                for k in data if k not in allowed]
    key = data["answer"]
    question = questions.get(key) if isinstance(key, str) else None
    if question is None:
        return problems + [(path + ("answer",), f"la condition porte sur la question « {key} », "
                                                "qui n'est pas déclarée dans « questions »."
                                                + did_you_mean(key, questions))]
    present = [op for op in known if op in data]
    if len(present) != 1:
        return problems + [(path, "une condition sur une réponse prend exactement un opérateur parmi "
                                  f"{names}.")]
    op = present[0]
    accepted = op in kind_of(question).operators
    if not accepted:
        problems.append((path + (op,), f"« {op} » s'applique à {known[op].applies_to}, or « {key} » est de type "
                                       f"{question.type}."))
    problems += known[op].problems(data, question, questions, path, accepted)
    for extra, owner in extras.items():
        if extra in data and op != owner:
            problems.append((path + (extra,), f"« {extra} » ne s'emploie qu'avec « {owner} »."))
    return problems


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Last: the kinds' modules import the classes above (either module may be imported first).
from .kinds import kind_of, operators  # noqa: E402
from .suggest import did_you_mean  # noqa: E402
