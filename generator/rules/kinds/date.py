"""A date (AAAA-MM-JJ), possibly « none held » (``nullable``), with a default and an order to keep
(``not_after``/``not_before``); the ``less_than_years_old`` operator. Form control: ``date.html.j2``
(a question that takes a default goes in the optional group « Dates prévues »)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..conditions import EQUALS, IN, Condition, Operator, Outcome, is_int, short_name
from ..dates import BadDate, add_months, add_years, french_date, parse_iso_date
from . import AnswerFault, KindField, QuestionKind, shown


@dataclass(frozen=True)
class DateDefault:
    """Default of a date answer: the evaluation date, or another date plus some months."""

    base: str              # "today" or a date question's key
    plus_months: int = 0


@dataclass(frozen=True)
class DateSettings:
    nullable: bool = False
    null_label: str = ""
    default: DateDefault | None = None
    not_after: str | None = None   # "today" or a date question's key
    not_before: str | None = None


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
        return f"{short_name(questions, self.key)} : moins de {years} à la « {short_name(questions, self.on)} »"

    def quantities(self, questions):
        return frozenset({("mois", 12 * self.years)})


class LessThanYearsOldOperator(Operator):
    name, applies_to, extra = "less_than_years_old", "une date", ("on",)
    meaning = ("Question date : le document a moins de N ans à la date « on » (une autre question date) ; "
               "« je n'en ai pas » : non remplie.")
    example = "{answer: afgsu1_attestation_date, less_than_years_old: 5, on: jury_date}"
    schema = {"type": "integer", "minimum": 1}
    extra_schema = {"on": {"type": "string", "description": "Avec less_than_years_old : la question date de référence."}}

    def problems(self, data, question, questions, path, accepted):
        problems = []
        if not is_int(data[self.name]) or data[self.name] <= 0:
            problems.append((path + (self.name,), "« less_than_years_old » attend un nombre d'années entier positif."))
        other = data.get("on")
        if other is None:
            problems.append((path, "« less_than_years_old » demande « on » : la date à laquelle le document doit être valide."))
        elif other not in questions or questions[other].type != "date":
            problems.append((path + ("on",), f"« on » doit nommer une question de type date, pas « {other} »."))
        return problems

    def build(self, key, data):
        return LessThanYearsOld(key, data[self.name], data["on"])


def _date_keys(programme: dict) -> set:
    return {q["key"] for q in programme["questions"] if q["type"] == "date"}


class DateKind(QuestionKind):
    name, macro, template, defaulted_macro = "date", "date_control", "date.html.j2", "date_defaulted_controls"
    fields = {
        "nullable": KindField("boolean", "true si l'on peut répondre « je n'en ai pas ».", "true"),
        "null_label": KindField("text", "le libellé de cette réponse.", "Je n'ai pas d'attestation"),
        "default": KindField(
            ("one_of", ("literal", "today"),
             {"date": "key", "plus_months?": ("one_of", ("integer", 0, 1200), ("literal", "access_duration"))}),
            "valeur par défaut, « today » ou une autre date plus des mois.",
            "{date: start_date, plus_months: access_duration}",
            {".date": ("La question date de départ.", "start_date"),
             ".plus_months": ("Mois ajoutés : un nombre, ou access_duration (« access_duration_months »).",
                              "access_duration")}),
        "not_after": KindField("key", "pas après « today » ou une autre question date.", "today"),
        "not_before": KindField("key", "pas avant une autre question date.", "start_date"),
    }
    operators = {"equals": EQUALS, "in": IN, "less_than_years_old": LessThanYearsOldOperator()}

    # -- the catalogue --------------------------------------------------------------------------
    def check(self, question, programme):
        problems, dates = [], _date_keys(programme)
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

    def programme_problems(self, question, programme):
        """Faults of the programme around this question, reported where the programme's own are."""
        default = question.get("default")
        if isinstance(default, dict) and default.get("plus_months") == "access_duration" \
                and "access_duration_months" not in programme:
            return [(("default", "plus_months"),
                     "« access_duration » suppose que le programme donne « access_duration_months ».")]
        return []

    def default_source(self, question):
        default = question.get("default")
        return default["date"] if isinstance(default, dict) else None

    def settings(self, question, programme):
        default = question.get("default")
        if default == "today":
            default = DateDefault("today")
        elif isinstance(default, dict):
            months = default.get("plus_months", 0)
            if months == "access_duration":
                months = programme.get("access_duration_months") or 0  # the validator requires it
            default = DateDefault(default["date"], months)
        return DateSettings(nullable=bool(question.get("nullable")), null_label=question.get("null_label") or "",
                            default=default, not_after=question.get("not_after"),
                            not_before=question.get("not_before"))

    def value_fault(self, question, value):
        return "est une date : comparez-la avec « less_than_years_old »."

    # -- answers ----------------------------------------------------------------------------------
    def from_json(self, question, value):
        if value is None:
            if question.settings.nullable:
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

    def to_json(self, question, fact):
        return fact.isoformat()

    def default_base(self, question):
        default = question.settings.default
        return default.base if default else None

    def default_from(self, question, start):
        try:
            return add_months(start, question.settings.default.plus_months)
        except OverflowError:
            raise AnswerFault(f"La date {french_date(start)} est trop lointaine pour le calendrier.",
                              f"{start.isoformat()} is too far in the future for the calendar.") from None

    def order_problems(self, programme, question, fact, facts, today):
        problems = []
        if question.settings.not_after:
            limit, name_fr, name_en = _reference(programme, question.settings.not_after, facts, today)
            if limit is not None and fact > limit:
                problems.append((f"La date {french_date(fact)} est postérieure à {name_fr} ({french_date(limit)}).",
                                 f"{fact.isoformat()} is after {name_en} ({limit.isoformat()})."))
        if question.settings.not_before:
            limit, name_fr, name_en = _reference(programme, question.settings.not_before, facts, today)
            if limit is not None and fact < limit:
                problems.append((f"La date {french_date(fact)} est antérieure à {name_fr} ({french_date(limit)}).",
                                 f"{fact.isoformat()} is before {name_en} ({limit.isoformat()})."))
        return problems

    def null_text(self, question):
        return question.settings.null_label or "aucun(e)"

    def display_value(self, question, fact):
        return french_date(fact)

    def sample_answers(self, question):
        return "2024-02-29", "2023-02-29"


def _reference(programme, name: str, facts: dict, today: _dt.date):
    if name == "today":
        return today, "la date du jour", "the evaluation date"
    return facts.get(name), f"la {programme.question(name).short}", name


KIND = DateKind()
