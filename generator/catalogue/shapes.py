"""The shapes a catalogue field can take, each with its check, and ``Field``, a field's declaration.

A check returns ``(path, sentence)`` pairs; the loader turns each path into a line number.
Sentences are French: the people who edit the catalogue read them. The fields themselves are
declared in ``schema.py`` and ``schema_publishing.py``.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass

from ..rules.dates import BadDate, parse_iso_date
from .yaml_source import OutOfRangeNumber


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
        if isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value)), str):
            key, rest = next(iter(value.items()))
            return [(path, f"ce texte contient « : » suivi d'un espace (« {_shown(key)} : {_shown(rest)} »), que YAML "
                           "lit comme « clé: valeur » : mettez tout le texte entre guillemets droits (\"… : …\").")]
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


def _out_of_range(spec, value: OutOfRangeNumber, path) -> list:
    return [(path, f"doit être compris entre {_french_number(spec.minimum)} et "
                   f"{_french_number(spec.maximum)}, pas {value.shown}.")]


@dataclass
class Integer(Spec):
    minimum: int = 0
    maximum: int = 100_000
    what = "un nombre entier"

    def check(self, value, path):
        if isinstance(value, OutOfRangeNumber):   # never converted: its range is said instead
            return _out_of_range(self, value, path)
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


@dataclass(frozen=True)
class LheoText:
    """Where a field's text goes in the LHÉO export and the length LHÉO's XSD allows there
    (``lines``: an address street spread over at most that many ``<ligne>``, cut between words).
    ``optional``: an element the export leaves out, saying so, when the text is too long;
    otherwise ``lheo`` refuses to export until it is shortened. ``validate`` warns in both cases."""
    element: str
    maximum: int
    minimum: int = 1
    lines: int = 1
    optional: bool = False


@dataclass
class Field:
    """One catalogue field, declared once, as MkDocs declares a config option with its docstring.

    ``spec`` checks its shape; ``meaning`` and ``example`` (French) are what the staff reference and
    the JSON Schemas say of it. When it is empty: ``report`` lists it in the build report's « À faire »
    lines, ``qualiopi`` too, as a Qualiopi item (an error when ``qualiopi.fail_if_missing``), ``lheo``
    keeps the LHÉO export from being written; ``label`` names the fact in those lines; ``lheo_text``
    says where its text goes in LHÉO and how long it may be there.
    """
    spec: Spec
    meaning: str = ""
    example: str = ""
    required: bool = True
    label: str = ""
    report: bool = False
    qualiopi: bool = False
    lheo: bool = False
    lheo_text: LheoText | None = None


class Struct(Spec):
    what = "un tableau de champs"

    def __init__(self, **fields):
        self.fields = {name: field if isinstance(field, Field) else Field(field)
                       for name, field in fields.items()}

    def check(self, value, path):
        if not isinstance(value, dict):
            return [(path, f"doit être un tableau de champs (clé: valeur), pas « {_shown(value)} ».")]
        problems = []
        missing = [name for name, field in self.fields.items() if field.required and name not in value]
        for name in value:
            if name not in self.fields:
                close = difflib.get_close_matches(str(name), list(self.fields), n=1)
                owner = self._owner_hint(str(name))
                if owner:
                    hint = owner
                elif close and close[0] in missing:  # one mistake, one sentence: « hour » for the missing « hours »
                    missing.remove(close[0])
                    hint = f" Vouliez-vous dire « {close[0]} » (un champ obligatoire, absent ici) ?"
                else:
                    hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
                problems.append((path + (name,), f"le champ « {name} » n'est pas prévu ici.{hint}"))
        for name, field in self.fields.items():
            if name in value:
                problems += field.spec.check(value[name], path + (name,))
            elif name in missing:
                problems.append((path, f"il manque le champ obligatoire « {name} »."))
        return problems

    def _owner_hint(self, name: str) -> str:
        """A field of one of this structure's own blocks, written one level too far left."""
        for owner, field in self.fields.items():
            spec = field.spec
            while isinstance(spec, (Nullable, Seq)):
                spec = spec.spec if isinstance(spec, Nullable) else spec.item
            if isinstance(spec, Struct) and name in spec.fields:
                return (f" C'est un champ de « {owner} » : si cette ligne est décalée vers la gauche par erreur, "
                        f"alignez-la sur les champs de « {owner} ».")
        return ""


TEXT = Text()


def siret_checksum_ok(siret: str) -> bool:
    """Luhn checksum of a SIRET (14 digits). La Poste's establishments (SIREN 356 000 000)
    follow their own rule: the sum of the digits is a multiple of 5."""
    if not re.fullmatch(r"\d{14}", siret):
        return False
    if siret.startswith("356000000"):
        return sum(int(c) for c in siret) % 5 == 0
    total = 0
    for index, char in enumerate(reversed(siret)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


class Siret(Spec):
    what = "un numéro SIRET (14 chiffres)"

    def check(self, value, path):
        text = value if isinstance(value, str) else None
        if text is None or not re.fullmatch(r"\d{14}", text):
            return [(path, f"doit être un numéro SIRET de 14 chiffres, sans espace, entre guillemets, pas « {_shown(value)} ».")]
        if not siret_checksum_ok(text):
            return [(path, f"le numéro SIRET « {text} » est invalide (sa clé de contrôle ne correspond pas) : "
                           "vérifiez-le sur l'avis de situation SIRENE.")]
        return []


@dataclass
class Number(Spec):
    minimum: float = 0
    maximum: float = 1_000_000
    what = "un nombre"

    def check(self, value, path):
        if isinstance(value, OutOfRangeNumber):   # never converted: its range is said instead
            return _out_of_range(self, value, path)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [(path, f"doit être un nombre, pas « {_shown(value)} ».")]
        if not self.minimum <= value <= self.maximum:
            return [(path, f"doit être compris entre {_french_number(self.minimum)} et "
                           f"{_french_number(self.maximum)}, pas {_french_number(value)}.")]
        return []


def _french_number(value: float) -> str:
    """1000000 as « 1 000 000 », 12.5 as « 12,5 » (never « 1e+06 »)."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.replace(",", "\u202f").replace(".", ",")


def declared_values(spec: Spec, value, path: tuple = ()):
    """Every ``(path, Field, value)`` of ``value`` (already checked against ``spec``), through
    structures and lists: what the LHÉO limits are checked on."""
    while isinstance(spec, Nullable):
        spec = spec.spec
    if isinstance(spec, Struct) and isinstance(value, dict):
        for name, field in spec.fields.items():
            if name in value:
                yield path + (name,), field, value[name]
                yield from declared_values(field.spec, value[name], path + (name,))
    elif isinstance(spec, Seq) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from declared_values(spec.item, item, path + (index,))


def declared(struct: Struct, path: tuple = ()):
    """Every ``(path, Field)`` reachable through structures (not through lists), depth first, in the
    order of the declarations: what the build report and LHÉO read the « report when empty » flags from."""
    for name, field in struct.fields.items():
        yield path + (name,), field
        spec = field.spec
        while isinstance(spec, Nullable):
            spec = spec.spec
        if isinstance(spec, Struct):
            yield from declared(spec, path + (name,))
