"""The catalogue's publishing facts (issue 11): the organisation's legal and Qualiopi identity,
and per programme its sessions, price, pathways and structured results.

Every field is optional in the files and nullable: the sources give none of these facts, so the
real catalogue leaves them empty (null) until staff fill them, the pages show nothing for them and
the build report lists each one (``generator/site/identity_report.py``). ``schema.py`` adds these
fields to its ``ORGANISATION`` and ``PROGRAMME`` with ``extend_schema``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import (TEXT, Boolean, Date, Field, Integer, Literal, Nullable, OneOf, Pattern, Seq,
                     Spec, Struct, _shown)


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


NDA = Pattern(re.compile(r"^\d{11}$"), "un numéro de déclaration d'activité de 11 chiffres, entre guillemets")
FORMACODE = Pattern(re.compile(r"^\d{5}$"), "un code FORMACODE de 5 chiffres, entre guillemets")
PERCENT = Number(0, 100)


def _optional(spec: Spec) -> Field:
    return Field(Nullable(spec), required=False)


CONTACT = Struct(name=_optional(TEXT), email=_optional(TEXT), phone=_optional(TEXT))

ADDRESS = Struct(
    name=_optional(TEXT),                 # le nom du lieu (ex. « Centre de La Valette »)
    street=TEXT, postcode=TEXT, city=TEXT,
)

# The organisation's identity: mentions légales (LCEN art. 6 III), NDA, Qualiopi certificate,
# référent handicap, accessibility statement.
ORGANISATION_FIELDS = {
    "legal": _optional(Struct(
        legal_name=_optional(TEXT),               # raison sociale
        legal_form=_optional(TEXT),               # forme juridique (SAS, association loi 1901…)
        share_capital=_optional(TEXT),            # capital social, pour une société
        registration=_optional(TEXT),             # immatriculation (RCS Toulon 123 456 789…)
        siret=_optional(Siret()),
        nda=_optional(NDA),                       # numéro de déclaration d'activité
        nda_region=_optional(TEXT),               # région du préfet qui l'a enregistrée
        publication_director=_optional(TEXT),     # directeur ou directrice de la publication
    )),
    "host": _optional(Struct(name=_optional(TEXT), address=_optional(TEXT), phone=_optional(TEXT))),
    "qualiopi_certificate": _optional(Struct(
        number=_optional(TEXT),
        issued_on=_optional(Date()),
        valid_until=_optional(Date()),
        certifier=_optional(TEXT),                # l'organisme certificateur
        categories=_optional(Seq(TEXT, 1)),       # catégories d'actions certifiées
        document=_optional(Pattern(re.compile(r"^(?!/)(?!.*\.\.)[\w./-]+\.pdf$"),
                                   "le chemin d'un PDF dans docs/ (ex. « documents/certificat-qualiopi.pdf »)")),
    )),
    "disability_contact": _optional(CONTACT),    # référent handicap
    "accessibility": _optional(Struct(
        audited_on=_optional(Date()),             # date de l'audit RGAA
        audited_by=_optional(TEXT),
        compliance_rate=_optional(PERCENT),       # taux de conformité RGAA mesuré
        contact=_optional(TEXT),                  # adresse de courriel ou formulaire pour signaler un défaut
    )),
}

class _Session(Struct):
    def check(self, value, path):
        problems = super().check(value, path)
        if not problems and str(value["end"]) < str(value["start"]):
            problems.append((path + ("end",), f"la session finit ({value['end']}) avant de commencer ({value['start']})."))
        return problems


SESSION = _Session(
    start=Date(),
    end=Date(),
    place=ADDRESS,
    format=Literal(("présentiel", "distance", "mixte")),
    seats=_optional(Integer(1, 10_000)),
    status=Literal(("ouverte", "complète", "annulée")),
    enrolment_contact=_optional(CONTACT),
)

PROGRAMME_FIELDS = {
    "sessions": _optional(Seq(SESSION)),
    "price": _optional(Struct(
        total_eur=_optional(Number(0, 1_000_000)),  # prix total TTC, en euros
        includes=_optional(TEXT),                   # ce que le prix comprend
    )),
    "pathways": _optional(Struct(
        bridges=_optional(Seq(TEXT, 1)),            # passerelles
        next_steps=_optional(Seq(TEXT, 1)),         # suites de parcours
        equivalences=_optional(Seq(TEXT, 1)),       # équivalences
    )),
    "results": _optional(Seq(Struct(
        period=TEXT,                                # ex. « promotion 2025 » ou « 2024-2025 »
        headcount=Integer(0, 100_000),              # nombre de stagiaires
        success_rate=_optional(PERCENT),            # en %
        satisfaction_rate=_optional(PERCENT),       # en %
        source=TEXT,                                # d'où viennent les chiffres
    ), 1)),
    # What the LHÉO export needs that the rest of the catalogue does not say.
    "lheo": _optional(Struct(
        formacode=_optional(Seq(FORMACODE, 1)),        # domaine de formation (le premier est le principal)
        public_codes=_optional(Seq(FORMACODE, 1)),     # code-public-vise : codes FORMACODE des publics
        formacode_version=_optional(Pattern(re.compile(r"^V\d{1,3}$"), "une version du FORMACODE (ex. « V13 »)")),
        entries_exits=_optional(Literal(("dates-fixes", "permanentes"))),
        course_path=_optional(Literal(("en-groupe", "individualise", "modularise", "mixte"))),
        entry_level=_optional(OneOf((Literal(("sans-niveau",)), Integer(1, 8)))),
        entry_level_required=_optional(Boolean()),
    )),
}


def extend_schema(organisation: Struct, programme: Struct) -> None:
    organisation.fields.update(ORGANISATION_FIELDS)
    programme.fields.update(PROGRAMME_FIELDS)
