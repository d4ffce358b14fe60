"""The fiche of France Compétences' RNCP export (XML flux version 4.1), as the catalogue reads it.

``fiche_from_element`` turns one parsed ``FICHE`` element into a ``Fiche``. Children may come in
any order and optional elements may be missing; texts may carry HTML markup or entities, which
are stripped, unescaped and whitespace-normalised. Every fault of the file raises ``ExportError``
with a French sentence for staff. Finding the fiches in the export is ``scanner.py``'s job.
"""
from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from xml.etree.ElementTree import Element

from ..errors import StaffError

ROOT_TAG = "FICHES"
FICHE_TAG = "FICHE"
VERSION_TAG = "VERSION_FLUX"
ACCESS_ROUTES = {
    "SI_JURY_FI": "formation initiale",
    "SI_JURY_CA": "contrat d'apprentissage",
    "SI_JURY_FC": "formation continue",
    "SI_JURY_CQ": "contrat de professionnalisation",
    "SI_JURY_CL": "candidature individuelle",
    "SI_JURY_VAE": "validation des acquis de l'expérience",
}

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SPACES = re.compile(r"\s+")
_CODE = re.compile(r"^\s*(RNCP|RS)?\s*(\d+)\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


class ExportError(StaffError):
    """The export cannot be read: the message (naming the file) says why and what to do, in French."""


@dataclass
class Bloc:
    code: str | None
    title: str | None
    competences: str | None = None
    evaluation: str | None = None


@dataclass
class Certifier:
    name: str | None
    siret: str | None = None
    state: str | None = None


@dataclass
class Correspondence:
    """A bloc (or the whole fiche) of this fiche matching another fiche's blocs."""
    source_blocs: list[str]
    number: str | None          # the other fiche, as written ("RNCP37507")
    destination_blocs: list[str]


@dataclass
class AccessRoute:
    code: str                   # SI_JURY_VAE…
    label: str
    open: bool | None
    jury: str | None = None


@dataclass
class Fiche:
    code: str                   # "RNCP34762" (or "RS…" for the répertoire spécifique)
    number: int | None          # 34762
    title: str | None = None
    active: bool | None = None
    state: str | None = None
    level: str | None = None    # "NIV4"
    nsf: list[str] = field(default_factory=list)
    decision_date: str | None = None      # ISO dates
    effective_date: str | None = None
    end_date: str | None = None
    delivery_deadline: str | None = None
    registration_type: str | None = None
    certifiers: list[Certifier] = field(default_factory=list)
    blocs: list[Bloc] = field(default_factory=list)
    replaced_by: list[int] = field(default_factory=list)
    replaces: list[int] = field(default_factory=list)
    correspondences: list[Correspondence] = field(default_factory=list)
    access_routes: list[AccessRoute] = field(default_factory=list)

    @property
    def level_number(self) -> int | None:
        """ "NIV4" -> 4, as the catalogue writes levels."""
        match = re.search(r"(\d+)", self.level or "")
        return int(match.group(1)) if match else None

    def to_json(self) -> dict:
        data = asdict(self)
        data["blocs"] = [{"code": b.code, "title": b.title, "competences": b.competences,
                          "evaluation": b.evaluation} for b in self.blocs]
        return data


def parse_number(text: str) -> int | None:
    """ "36358", "RNCP36358", "rncp 36358" -> 36358; anything else -> None."""
    match = _CODE.match(text or "")
    if not match or (match.group(1) or "RNCP").upper() != "RNCP":
        return None
    return int(match.group(2))


def clean_text(text: str | None) -> str | None:
    """Strip HTML markup, unescape entities, normalise spaces; empty -> None."""
    if text is None:
        return None
    text = html.unescape(text)
    text = _TAG.sub(" ", text)
    text = _SPACES.sub(" ", html.unescape(text)).strip()
    return text or None


def iso_date(text: str | None) -> str | None:
    """ "25/06/2030" -> "2030-06-25"; missing or malformed -> None."""
    match = _DATE.match(text or "")
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _yes(text: str | None) -> bool | None:
    value = (clean_text(text) or "").lower()
    return True if value == "oui" else False if value == "non" else None


def _text(element: Element, path: str) -> str | None:
    return clean_text(element.findtext(path))


def _numbers(element: Element, path: str) -> list[int]:
    found = (parse_number(node.text or "") for node in element.iterfind(path))
    return [number for number in found if number is not None]


def fiche_code(element: Element) -> str:
    return (element.findtext("NUMERO_FICHE") or "").strip().upper()


def fiche_from_element(element: Element) -> Fiche:
    """One ``FICHE`` element -> ``Fiche``, looking children up by name (any order)."""
    code = fiche_code(element)
    return Fiche(
        code=code,
        number=parse_number(code),
        title=_text(element, "INTITULE"),
        active=_yes(element.findtext("ACTIF")),
        state=_text(element, "ETAT_FICHE"),
        level=_text(element, "NOMENCLATURE_EUROPE/NIVEAU"),
        nsf=[code for code in (_text(n, "CODE") for n in element.iterfind("CODES_NSF/NSF")) if code],
        decision_date=iso_date(element.findtext("DATE_DECISION")),
        effective_date=iso_date(element.findtext("DATE_EFFET")),
        end_date=iso_date(element.findtext("DATE_FIN_ENREGISTREMENT")),
        delivery_deadline=iso_date(element.findtext("DATE_LIMITE_DELIVRANCE")),
        registration_type=_text(element, "TYPE_ENREGISTREMENT"),
        certifiers=[Certifier(_text(c, "NOM_CERTIFICATEUR"), _text(c, "SIRET_CERTIFICATEUR"),
                              _text(c, "ETAT_CERTIFICATEUR"))
                    for c in element.iterfind("CERTIFICATEURS/CERTIFICATEUR")],
        blocs=[Bloc(_text(b, "CODE"), _text(b, "LIBELLE"), _text(b, "LISTE_COMPETENCES"),
                    _text(b, "MODALITES_EVALUATION"))
               for b in element.iterfind("BLOCS_COMPETENCES/BLOC_COMPETENCES")],
        replaced_by=_numbers(element, "NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/ID_FICHE_NOUVELLE_CERTIFICATION"),
        replaces=_numbers(element, "ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/ID_FICHE_ANCIENNE_CERTIFICATION"),
        correspondences=[_correspondence(c) for c in element.iterfind("CORRESPONDANCES/CORRESPONDANCE")],
        access_routes=[AccessRoute(tag, label, _yes(route.findtext("ACTIF")), _text(route, "COMPOSITION"))
                       for tag, label in ACCESS_ROUTES.items()
                       for route in element.iterfind(tag)],
    )


def _correspondence(element: Element) -> Correspondence:
    def codes(path):
        return [code for code in (_text(b, "CODE") for b in element.iterfind(path)) if code]
    return Correspondence(codes("SOURCE/BLOC_COMPETENCES"), _text(element, "DESTINATION/NUMERO_FICHE"),
                          codes("DESTINATION/BLOC_COMPETENCES"))
