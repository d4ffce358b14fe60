"""Streaming reader of France Compétences' RNCP export (XML flux version 4.1).

The daily export is one XML file of some 570 MB, usually inside a zip. ``read_fiches(path)``
parses it with ``iterparse`` and yields one ``Fiche`` per ``FICHE`` element, clearing each
finished fiche and the root's children so memory stays bounded whatever the file size.
Children may come in any order and optional elements may be missing; texts may carry HTML
markup or entities, which are stripped, unescaped and whitespace-normalised.

Every fault of the file raises ``ExportError`` with a French sentence for staff.
"""
from __future__ import annotations

import html
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError, iterparse

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


class ExportError(Exception):
    """The export cannot be read: the message says why, in French."""


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


def iter_fiche_elements(path: Path | str) -> Iterator[Element]:
    """Each finished ``FICHE`` element, valid only until the next one is asked for."""
    path = Path(path)
    with _open_export(path) as (stream, shown):
        try:
            events = iterparse(stream, events=("start", "end"))
            root = None
            for event, element in events:
                if event == "start":
                    if root is None:
                        root = element
                        if element.tag != ROOT_TAG:
                            raise ExportError(f"« {shown} » n'est pas un export du RNCP : il commence par "
                                              f"<{element.tag}> au lieu de <{ROOT_TAG}>.")
                    continue
                if element.tag == FICHE_TAG:
                    yield element
                    element.clear()
                    root.clear()
            if root is None:
                raise ExportError(f"« {shown} » ne contient aucun élément XML.")
        except ParseError as error:
            line, column = error.position
            if "no element found" in str(error) and line <= 1 and column == 0:
                raise ExportError(f"« {shown} » est vide : téléchargez à nouveau l'export du RNCP.") from None
            if "no element found" in str(error) or "unclosed token" in str(error):
                raise ExportError(f"« {shown} » est tronqué (fin inattendue à la ligne {line}) : le "
                                  "téléchargement a sans doute été interrompu ; téléchargez à nouveau "
                                  "l'export du RNCP.") from None
            raise ExportError(f"« {shown} » n'est pas un XML lisible (ligne {line}, colonne {column + 1}) : "
                              "vérifiez qu'il s'agit bien de l'export XML du RNCP (format 4.1), "
                              "ou téléchargez-le à nouveau.") from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ExportError(f"L'archive « {path} » est endommagée ({error}) : téléchargez-la à nouveau.") from None


def read_fiches(path: Path | str) -> Iterator[Fiche]:
    """Every fiche of the export, in file order."""
    for element in iter_fiche_elements(path):
        yield fiche_from_element(element)


def find_fiche(path: Path | str, number: int) -> Fiche | None:
    """The fiche RNCP ``number``, reading no further than needed (fast scan, see below)."""
    needle = b"RNCP%d" % number
    for chunk in iter_fiche_chunks(path):
        if needle in chunk.data and chunk.number() == number:
            return chunk.fiche()
    return None


# -- fast scan ---------------------------------------------------------------------------------
# Parsing the whole export with ElementTree runs at about 8 MB/s on the staff machine (over a
# minute for the daily file), while finding a fiche's boundaries and its numbers in the raw
# bytes runs at hundreds of MB/s. ``iter_fiche_chunks`` therefore cuts the stream into the raw
# bytes of each ``<FICHE>…</FICHE>`` (one at a time: bounded memory) and the callers parse with
# ElementTree only the fiches they need. Truncation, a file that is not XML or not an export,
# and a fiche that does not parse are still reported; what is not checked is the well-formedness
# of fiches nobody asked for (``read_fiches`` checks everything).

_SCAN_BLOCK = 1 << 20
_LONGEST_FICHE = 64 << 20   # real fiches are well under 1 MB; beyond this the file is broken
_FICHE_OPEN = re.compile(rb"<FICHE[\s>]")
_FICHE_CLOSE = b"</FICHE>"
_ROOT_CLOSE = re.compile(rb"</FICHES\s*>")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(rb"<(?![?!])([A-Za-z_][\w:.-]*)")
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_OWN_NUMBER = re.compile(rb"<NUMERO_FICHE>\s*RNCP(\d+)\s*</NUMERO_FICHE>")
_CORRESPONDENCES = re.compile(rb"<CORRESPONDANCES>.*?</CORRESPONDANCES>", re.DOTALL)
_NEW = re.compile(rb"<ID_FICHE_NOUVELLE_CERTIFICATION>\s*RNCP(\d+)\s*<")
_OLD = re.compile(rb"<ID_FICHE_ANCIENNE_CERTIFICATION>\s*RNCP(\d+)\s*<")


class FicheChunk:
    """The raw bytes of one ``FICHE``; numbers read from the bytes, parsing on demand."""

    def __init__(self, data: bytes, encoding: str | None, shown: str):
        self.data, self.encoding, self.shown = data, encoding, shown

    def _own_part(self) -> bytes:
        # a correspondence names other fiches in a NUMERO_FICHE of its own
        return _CORRESPONDENCES.sub(b"", self.data) if b"<CORRESPONDANCES>" in self.data else self.data

    def number(self) -> int | None:
        match = _OWN_NUMBER.search(self._own_part())
        return int(match.group(1)) if match else None

    def replaced_by(self) -> list[int]:
        return [int(n) for n in _NEW.findall(self.data)]

    def replaces(self) -> list[int]:
        return [int(n) for n in _OLD.findall(self.data)]

    def element(self) -> Element:
        data = self.data
        if self.encoding and self.encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            data = b'<?xml version="1.0" encoding="' + self.encoding.encode() + b'"?>' + data
        try:
            from xml.etree.ElementTree import fromstring
            return fromstring(data)
        except ParseError as error:
            number = self.number()
            raise ExportError(f"Dans « {self.shown} », la fiche {f'RNCP{number} ' if number else ''}n'est pas un "
                              f"XML lisible ({error}) : téléchargez à nouveau l'export du RNCP.") from None

    def fiche(self) -> Fiche:
        return fiche_from_element(self.element())


def iter_fiche_chunks(path: Path | str) -> Iterator[FicheChunk]:
    """Each ``FICHE`` of the export as raw bytes, in file order."""
    path = Path(path)
    with _open_export(path) as (stream, shown):
        try:
            yield from _chunks(stream, shown)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ExportError(f"L'archive « {path} » est endommagée ({error}) : téléchargez-la à nouveau.") from None


def _chunks(stream, shown: str) -> Iterator[FicheChunk]:
    buffer = stream.read(_SCAN_BLOCK)
    encoding = _check_root(buffer, shown)
    position, ended = 0, False
    while True:
        start = _FICHE_OPEN.search(buffer, position)
        end = buffer.find(_FICHE_CLOSE, start.start()) if start else -1
        if start and end >= 0:
            end += len(_FICHE_CLOSE)
            yield FicheChunk(buffer[start.start():end], encoding, shown)
            position = end
            continue
        if ended:
            if start or not _ROOT_CLOSE.search(buffer, position):
                raise ExportError(f"« {shown} » est tronqué (la fin du fichier manque) : le téléchargement a sans "
                                  "doute été interrompu ; téléchargez à nouveau l'export du RNCP.")
            return
        if start and len(buffer) - start.start() > _LONGEST_FICHE:
            raise ExportError(f"« {shown} » contient une fiche de plus de {_LONGEST_FICHE >> 20} Mo sans fin "
                              "(</FICHE> manquant) : le fichier est endommagé ; téléchargez à nouveau l'export du RNCP.")
        more = stream.read(_SCAN_BLOCK)
        ended = not more
        keep_from = start.start() if start else max(position, len(buffer) - 16)
        buffer, position = buffer[keep_from:] + more, 0


def _check_root(head: bytes, shown: str) -> str | None:
    text = _COMMENT.sub(b"", head.lstrip(b"\xef\xbb\xbf"))
    tag = _FIRST_TAG.search(text)
    if tag is None or text[:tag.start()].strip(b" \t\r\n") and not text.lstrip().startswith(b"<"):
        raise ExportError(f"« {shown} » n'est pas un XML lisible : vérifiez qu'il s'agit bien de l'export XML du "
                          "RNCP (format 4.1), ou téléchargez-le à nouveau.")
    if tag.group(1) != ROOT_TAG.encode():
        raise ExportError(f"« {shown} » n'est pas un export du RNCP : il commence par <{tag.group(1).decode(errors='replace')}> "
                          f"au lieu de <{ROOT_TAG}>.")
    encoding = _ENCODING.match(text)
    return encoding.group(1).decode() if encoding else None


class _open_export:
    """Context manager: (binary stream of the XML, name to show), from .xml or .zip."""

    def __init__(self, path: Path):
        self.path = path
        self._closers = []

    def __enter__(self):
        path = self.path
        if not path.exists():
            raise ExportError(f"Fichier introuvable : « {path} ». Indiquez le chemin de l'export du RNCP "
                              "(fichier .xml ou .zip téléchargé sur data.gouv.fr).")
        if path.is_dir():
            raise ExportError(f"« {path} » est un dossier : indiquez le fichier de l'export du RNCP (.xml ou .zip).")
        try:
            if path.stat().st_size == 0:
                raise ExportError(f"« {path} » est vide : téléchargez à nouveau l'export du RNCP.")
            with open(path, "rb") as probe:
                is_zip = probe.read(4) == b"PK\x03\x04"
            if not is_zip:
                stream = open(path, "rb")
                self._closers.append(stream)
                return stream, str(path)
            archive = zipfile.ZipFile(path)
            self._closers.append(archive)
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".xml") and not m.is_dir()]
            if not members:
                names = ", ".join(m.filename for m in archive.infolist()) or "aucun fichier"
                raise ExportError(f"L'archive « {path} » ne contient pas de fichier XML ({names}) : ce n'est pas "
                                  "l'export du RNCP attendu.")
            member = max(members, key=lambda m: m.file_size)
            stream = archive.open(member)
            self._closers.append(stream)
            return stream, f"{path} › {member.filename}"
        except ExportError:
            self._close()
            raise
        except zipfile.BadZipFile as error:
            self._close()
            raise ExportError(f"L'archive « {path} » est endommagée ({error}) : téléchargez-la à nouveau.") from None
        except OSError as error:
            self._close()
            raise ExportError(f"Impossible de lire « {path} » : {error.strerror or error}.") from None

    def _close(self):
        for closer in reversed(self._closers):
            closer.close()
        self._closers.clear()

    def __exit__(self, *exc):
        self._close()
        return False
