"""The shape of catalogue files, declared once, checked with a path for every fault.

A check returns ``(path, sentence)`` pairs; the loader turns each path into a line number.
Sentences are French: the people who edit the catalogue read them.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass

from ..rules.dates import BadDate, parse_iso_date
from ..rules.kinds import KINDS

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ANSWER_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _shown(value) -> str:
    if value is None:
        return "(vide)"
    if isinstance(value, bool):  # as written in YAML, not as Python prints it
        return "true" if value else "false"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class Spec:
    what = "une valeur"

    def check(self, value, path: tuple) -> list:
        raise NotImplementedError


class Text(Spec):
    what = "un texte"

    def check(self, value, path):
        if not isinstance(value, str):
            return [(path, f"doit être un texte, pas « {_shown(value)} ».")]
        if not value.strip():
            return [(path, "ne doit pas être vide.")]
        return []


@dataclass
class Pattern(Spec):
    regex: re.Pattern
    what: str

    def check(self, value, path):
        if not isinstance(value, str) or not self.regex.match(value):
            return [(path, f"doit être {self.what}, pas « {_shown(value)} ».")]
        return []


@dataclass
class Integer(Spec):
    minimum: int = 0
    maximum: int = 100_000
    what = "un nombre entier"

    def check(self, value, path):
        if not isinstance(value, int) or isinstance(value, bool):
            return [(path, f"doit être un nombre entier, pas « {_shown(value)} ».")]
        if not self.minimum <= value <= self.maximum:
            return [(path, f"doit être compris entre {self.minimum} et {self.maximum}, pas {value}.")]
        return []


class Boolean(Spec):
    what = "true ou false"

    def check(self, value, path):
        if not isinstance(value, bool):
            return [(path, f"doit valoir true ou false, pas « {_shown(value)} ».")]
        return []


class Date(Spec):
    what = "une date"

    def check(self, value, path):
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return []
        if isinstance(value, str):
            try:
                parse_iso_date(value)
                return []
            except BadDate:
                pass
        return [(path, f"doit être une date réelle au format AAAA-MM-JJ, pas « {_shown(value)} ».")]


class Anything(Spec):
    def check(self, value, path):
        return []


@dataclass
class OneOf(Spec):
    specs: tuple

    def check(self, value, path):
        for spec in self.specs:
            if not spec.check(value, path):
                return []
        whats = " ou ".join(spec.what for spec in self.specs)
        return [(path, f"doit être {whats}, pas « {_shown(value)} ».")]


@dataclass
class Literal(Spec):
    values: tuple

    @property
    def what(self):
        return " ou ".join(f"« {v} »" for v in self.values)

    def check(self, value, path):
        if value not in self.values:
            return [(path, f"doit valoir {self.what}, pas « {_shown(value)} ».")]
        return []


@dataclass
class Nullable(Spec):
    spec: Spec

    def check(self, value, path):
        return [] if value is None else self.spec.check(value, path)


@dataclass
class Seq(Spec):
    item: Spec
    min_items: int = 0
    what = "une liste"

    def check(self, value, path):
        if not isinstance(value, list):
            return [(path, f"doit être une liste, pas « {_shown(value)} ».")]
        if len(value) < self.min_items:
            return [(path, f"doit contenir au moins {self.min_items} élément(s).")]
        problems = []
        for index, item in enumerate(value):
            problems += self.item.check(item, path + (index,))
        return problems


@dataclass
class Field:
    spec: Spec
    required: bool = True


class Struct(Spec):
    what = "un tableau de champs"

    def __init__(self, **fields):
        self.fields = {name: field if isinstance(field, Field) else Field(field)
                       for name, field in fields.items()}

    def check(self, value, path):
        if not isinstance(value, dict):
            return [(path, f"doit être un tableau de champs (clé: valeur), pas « {_shown(value)} ».")]
        problems = []
        for name in value:
            if name not in self.fields:
                close = difflib.get_close_matches(str(name), list(self.fields), n=1)
                hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
                problems.append((path + (name,), f"le champ « {name} » n'est pas prévu ici.{hint}"))
        for name, field in self.fields.items():
            if name in value:
                problems += field.spec.check(value[name], path + (name,))
            elif field.required:
                problems.append((path, f"il manque le champ obligatoire « {name} »."))
        return problems


TEXT = Text()
TEXTS = Seq(TEXT, 1)
SLUG_ID = Pattern(SLUG, "un identifiant en minuscules et tirets (ex. « logiciel-medical »)")
KEY = Pattern(ANSWER_KEY, "une clé en minuscules et soulignés (ex. « placement »)")
RNCP_NUMBER = Integer(1, 999_999)

CONDITION = Anything()  # checked against the questions by rules.conditions.condition_problems

ORGANISATION = Struct(
    name=TEXT,
    site_title=TEXT,
    site_url=Field(Nullable(Pattern(re.compile(r"^https?://[^\s/?#\"'<>]+(/[^\s?#\"'<>]*)?$"), "l'adresse publique du site, ex. « https://formations.example.fr/ »")), required=False),
    address=Struct(street=TEXT, postcode=TEXT, city=TEXT, country=TEXT),
    email=Field(Nullable(TEXT)),
    phone=Field(Nullable(TEXT)),
    contact_text=TEXT,
)

# A record of the national registers: RNCP (répertoire national) or RS (répertoire spécifique).
# Exactly one of ``rncp`` / ``rs`` (checked in checks.py).
CERTIFICATION_RECORD = Struct(
    rncp=Field(RNCP_NUMBER, required=False),
    rs=Field(RNCP_NUMBER, required=False),
    title=Field(Nullable(TEXT), required=False),
    level=Field(Nullable(Integer(1, 8)), required=False),
    nsf=Field(Seq(TEXT), required=False),
    registered_on=Field(Nullable(Date()), required=False),
    decision_date=Field(Nullable(Date()), required=False),
    end_date=Field(Nullable(Date()), required=False),
    delivery_deadline=Field(Nullable(Date()), required=False),
    replaced_by=Field(Nullable(RNCP_NUMBER), required=False),
    # The fiche's blocs de compétences as the RNCP export lists them (written by `rncp update`).
    blocs=Field(Nullable(Seq(Struct(code=TEXT, title=Field(Nullable(TEXT), required=False)))), required=False),
    source=TEXT,
)
REGISTER_REFERENCE = Struct(rncp=Field(RNCP_NUMBER, required=False), rs=Field(RNCP_NUMBER, required=False),
                            decision_date=Field(Date(), required=False))
CONFIRMATION = Struct(rncp=Field(RNCP_NUMBER, required=False), rs=Field(RNCP_NUMBER, required=False),
                      confirmed_on=Date(), by=TEXT)

class KindName(Literal):
    """A question's ``type``: one of the registered kinds (``rules/kinds/``)."""

    def __init__(self):  # the kinds are read at check time: a kind registered later counts
        pass

    @property
    def values(self):
        return tuple(KINDS)


def shape_spec(shape) -> Spec:
    """The check of a kind's field, from the plain shape it declares (``rules.kinds.KindField``)."""
    if isinstance(shape, dict):
        return Struct(**{name.rstrip("?"): Field(shape_spec(inner), required=not name.endswith("?"))
                         for name, inner in shape.items()})
    if isinstance(shape, str):
        return {"text": TEXT, "boolean": Boolean(), "key": KEY, "slug": SLUG_ID}[shape]
    tag, *rest = shape
    if tag == "integer":
        return Integer(*rest)
    if tag == "literal":
        return Literal(tuple(rest))
    if tag == "one_of":
        return OneOf(tuple(shape_spec(inner) for inner in rest))
    if tag == "list":
        return Seq(shape_spec(rest[1]), rest[0])
    raise ValueError(f"shape {shape!r}")


class QuestionStruct(Struct):
    """The fields of every question, then those of each kind (optional here: whether a kind's
    field is required, or allowed for a question's type, is checked in checks.py)."""

    def __init__(self, **common):
        self.common = {name: f if isinstance(f, Field) else Field(f) for name, f in common.items()}
        self._specs: dict = {}

    @property
    def fields(self):
        fields = dict(self.common)
        for kind in KINDS.values():
            for name, declared in kind.fields.items():
                if name not in fields:  # one spec object per field: the reference names specs by identity
                    spec = self._specs.setdefault((kind.name, name), shape_spec(declared.shape))
                    fields[name] = Field(spec, required=False)
        return fields


QUESTION = QuestionStruct(
    key=KEY,
    type=KindName(),
    label=TEXT,
    short=TEXT,
    help=Field(TEXT, required=False),
)

RULE = Struct(id=SLUG_ID, label=TEXT, condition=CONDITION)

# Where the training happens, and the course mode (schema.org courseMode) it amounts to.
PLACES = {"centre": "en centre de formation", "on_site": "sur site (dans vos locaux)", "distance": "à distance"}
COURSE_MODES = {"onsite": "en présentiel", "online": "à distance", "blended": "mixte (présentiel et à distance)"}
# Duration fields: (singular, plural) of their unit.
DURATION_FIELDS = {"duration_days": ("jour", "jours"), "duration_weeks": ("semaine", "semaines"),
                   "duration_months": ("mois", "mois")}

PROGRAMME = Struct(
    id=SLUG_ID,
    data_date=Date(),
    title=TEXT,
    summary=TEXT,
    # A certifying programme names its certification; any other names the attestation it ends with.
    certification=Field(Struct(
        kind=TEXT, name=TEXT, certifier=TEXT,
        current=CERTIFICATION_RECORD,
        history=Field(Seq(CERTIFICATION_RECORD), required=False),
    ), required=False),
    attestation=Field(TEXT, required=False),
    format=Field(TEXT, required=False),
    duration_days=Field(Integer(1, 365), required=False),
    duration_weeks=Field(Integer(1, 520), required=False),
    duration_months=Field(Integer(1, 120), required=False),
    access_duration_months=Field(Integer(1, 120), required=False),
    course_mode=Literal(tuple(COURSE_MODES)),
    places=Field(Seq(Literal(tuple(PLACES)), 1), required=False),
    sessions_note=Field(TEXTS, required=False),
    rhythm=Field(Struct(
        centre_days_per_week=Field(Integer(0, 7), required=False),
        practice_days_per_week=Field(Integer(0, 7), required=False),
        practice_place=Field(TEXT, required=False),
        centre_formats=Field(TEXTS, required=False),
        description=Field(TEXT, required=False),
    ), required=False),
    hours=Struct(total=Integer(1, 100_000), evaluations=Integer(0, 100_000)),
    presentation=TEXTS,
    objectives=TEXTS,
    audience=TEXTS,
    methods=Field(Struct(
        general=Field(TEXTS, required=False),
        centre=Field(TEXTS, required=False),
        practice=Field(TEXT, required=False),
    ), required=False),
    routes=Field(Seq(Struct(id=SLUG_ID, label=TEXT, description=TEXT), 1), required=False),
    access_schemes=Field(TEXTS, required=False),
    outcomes=Field(TEXTS, required=False),
    admission=Struct(
        intro=Field(TEXT, required=False),
        paths=Seq(RULE, 1),
        requirement=Field(RULE, required=False),
    ),
    validation=Struct(rules=TEXTS),
    legal_frame=Field(Seq(Struct(reference=TEXT, subject=TEXT)), required=False),
    employer=Field(Struct(
        intro=TEXT,
        benefits=Field(TEXTS, required=False),
        missions=Field(TEXT, required=False),
        commitment=Field(TEXT, required=False),
        obligations=Field(Struct(title=TEXT, items=TEXTS), required=False),
    ), required=False),
    funding=Field(Seq(Struct(question=TEXT, answers=TEXTS)), required=False),
    qualiopi=Struct(
        fail_if_missing=Boolean(),
        access_delay=Nullable(TEXT),
        accessibility=Nullable(TEXT),
    ),
    # Absent: no module can be exempted (no dispense table; the quiz checks admission only).
    exemptions=Field(Struct(
        established_for=Field(REGISTER_REFERENCE, required=False),
        confirmed_for=Field(Seq(CONFIRMATION), required=False),
        positioning=TEXTS,
        grounds=Seq(Struct(id=SLUG_ID, label=TEXT, evidence=TEXTS, condition=CONDITION), 1),
    ), required=False),
    questions=Seq(QUESTION, 1),
    blocs=Seq(Struct(
        number=Integer(1, 99),
        title=TEXT,
        hours=Integer(0, 100_000),
        evaluation=Field(TEXT, required=False),
        modules=Seq(Struct(
            id=SLUG_ID,
            title=TEXT,
            hours=Integer(1, 100_000),
            exempted_by=Field(Seq(SLUG_ID), required=False),
        ), 1),
    ), 1),
)

# What Qualiopi indicators 1 to 3 require that the seeds do not give: field -> public name.
QUALIOPI_ITEMS = {
    "access_delay": "délai d'accès",
    "accessibility": "accessibilité aux personnes en situation de handicap",
}
# Price, results, pathways, sessions and the organisation's identity: schema_publishing.py.

from .schema_publishing import extend_schema  # noqa: E402  (it builds on the specs above)

extend_schema(ORGANISATION, PROGRAMME)
