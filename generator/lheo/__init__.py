"""The training offer as LHÉO 2.3 XML (``<lheo xmlns="http://lheo.gouv.fr/2.3"><offres>…``), the
format Carif-Oref and France Travail collect.

One ``<formation>`` per programme, one ``<action>`` holding the sessions that can be joined. Every
value comes from the catalogue; a fact LHÉO requires that the catalogue lacks is never made up:
``missing_facts`` lists them all, and ``lheo_document`` refuses to produce a partial file.
Element order follows the XSD's sequences; meanings follow the definition (lheo-gml.xml 2.3).
Every document is validated against the official XSD (``lheo-2.3.xsd``, beside this module)
before anyone sees it: an export is valid or refused with its sentences. A text longer than its
LHÉO element is reported with its field and limit (``catalogue/lheo_limits.py``), never cut.
A programme is read through its view (``entry.view``) only: sessions, price, rhythm, admission
requirement and certification (RNCP or RS) are the view's, as on the pages.
"""
from __future__ import annotations

import datetime as _dt
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from ..catalogue.lheo_limits import address_lines, catalogue_length_problems
from ..catalogue.schema import ORGANISATION, PROGRAMME, declared
from ..catalogue.schema_publishing import LHEO_ACCESSIBILITY, LHEO_CONTACT_NAME, LHEO_STREET
from ..errors import StaffError

NAMESPACE = "http://lheo.gouv.fr/2.3"
XSD = Path(__file__).with_name("lheo-2.3.xsd")   # the published schema, unchanged (XSD.md)

# Dictionaries of the LHÉO definition (dict-…), from the catalogue's words.
TEACHING_MODE = {"présentiel": "0", "mixte": "1", "distance": "2"}          # modalites-enseignement
ENTRIES_EXITS = {"dates-fixes": "0", "permanentes": "1"}                    # dict-modalites-es
COURSE_PATH = {"en-groupe": "1", "individualise": "2", "modularise": "3", "mixte": "4"}  # dict-type-parcours
RECRUITMENT = {"ouverte": "1", "complète": "2"}                             # dict-etat-recrutement: ouvert, fermé
CERTIFICATION_CODE = {"rncp": "code-RNCP", "rs": "code-RS"}              # <certification>, by register
NO_LEVEL = "1"                                                              # dict-niveaux: sans niveau spécifique


def _level_code(level) -> str:
    """dict-niveaux: 11 to 18 are levels 1 to 8 of the 2019 nomenclature."""
    return NO_LEVEL if level == "sans-niveau" else str(10 + int(level))


class LheoMissingFacts(StaffError):
    exit_code = 1

    def __init__(self, missing: list[str]):
        super().__init__("L'export LHÉO n'est pas écrit : il manque des informations obligatoires "
                         "dans le catalogue.\n" + "\n".join(f"- {line}" for line in missing)
                         + "\nRemplissez-les, puis relancez la commande.")
        self.missing = missing


class LheoInvalid(StaffError):
    """The document fails the XSD: a fault the catalogue checks did not foresee. Nothing is output."""

    exit_code = 1


def _lheo(view) -> dict:
    return view.data.get("lheo") or {}


# LHÉO limits on the texts taken from the catalogue (the XSD's maxLength).
TEXT_LIMITS = {"intitule-formation": 255, "objectif-formation": 3000, "resultats-attendus": 3000,
               "contenu-formation": 3000, "rythme-formation": 3000, "modalites-alternance": 3000,
               "conditions-specifiques": 3000}


# The fields LHÉO requires, with their public names, as declared (``lheo`` flag, ``label``).
ORGANISATION_NEEDS = [(path, field.label) for path, field in declared(ORGANISATION) if field.lheo]
PROGRAMME_NEEDS = [(path, field.label) for path, field in declared(PROGRAMME) if field.lheo]


def _empty(data: dict, path: tuple) -> bool:
    """Absent or null (false and 0 are values)."""
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data is None


def missing_facts(catalogue, today: _dt.date) -> list[str]:
    """Every fact LHÉO requires that the catalogue does not give, as French sentences."""
    organisation = catalogue.organisation
    missing = [f"organisation.yaml : {name} (champ « {' › '.join(path)} »)."
               for path, name in ORGANISATION_NEEDS if _empty(organisation, path)]
    if not (organisation.get("email") or organisation.get("phone")):
        missing.append("organisation.yaml : courriel ou téléphone de l'organisme (champ « email » ou « phone »), "
                       "le contact de l'offre.")
    for entry in catalogue.programmes:
        view, where = entry.view, f"{entry.id}.yaml"
        if not view.open_sessions(today):
            missing.append(f"{where} : au moins une session à venir, ouverte ou complète (champ « sessions »).")
        missing += [f"{where} : {name} (champ « {' › '.join(path)} »)."
                    for path, name in PROGRAMME_NEEDS if _empty(view.data, path)]
        if not view.data.get("funding"):
            missing.append(f"{where} : possibilités de financement (champ « funding » vide) : LHÉO demande "
                           "si une prise en charge des frais est possible.")
        for element, text in _texts(view).items():
            if len(text) > TEXT_LIMITS[element]:
                missing.append(f"{where} : le texte de « {element} » fait {len(text)} caractères, "
                               f"LHÉO en accepte {TEXT_LIMITS[element]} : raccourcissez-le.")
    missing += [str(problem) for problem in _exported_length_problems(catalogue, today) if not problem.text.optional]
    return missing


def left_out(catalogue, today: _dt.date) -> list[str]:
    """Texts too long for an element the export can leave out (a contact's name, accessibility):
    left out, and said so."""
    return [str(problem) for problem in _exported_length_problems(catalogue, today) if problem.text.optional]


def _exported_length_problems(catalogue, today: _dt.date) -> list:
    """The LHÉO length problems of what this export carries (not of sessions it leaves out)."""
    open_positions = {entry.source.shown: entry.view.open_session_positions(today) for entry in catalogue.programmes}
    kept = []
    for problem in catalogue_length_problems(catalogue):
        positions = open_positions.get(problem.problem.file)
        if positions is not None and problem.path[:1] == ("sessions",) and problem.path[1] not in positions:
            continue
        kept.append(problem)
    return kept


def _texts(view) -> dict[str, str]:
    """The texts of a formation, derived from the programme's view."""
    data = view.data
    days_of_week = view.weekly_rhythm_text("en centre de formation", with_formats=True)
    week = f"Chaque semaine : {days_of_week}." if days_of_week else (view.rhythm.get("description") or "")
    admission = data["admission"]
    conditions = ([admission["intro"]] if admission.get("intro") else []) + \
        [f"- {path['label']}" for path in admission["paths"]]
    if view.requirement:
        conditions.append(f"{view.requirement_sentence}.")
    certification = view.certification
    obtained = [f"{certification.name} ({certification.current.code})."] if certification else []
    content = []
    for bloc in data["blocs"]:
        content.append(f"Bloc {bloc['number']} - {bloc['title']} ({bloc['hours']} h) :")
        content += [f"- {module['title']} ({module['hours']} h)" for module in bloc["modules"]]
    content.append(f"Évaluations : {data['hours']['evaluations']} h. Total : {data['hours']['total']} h.")
    return {
        "intitule-formation": data["title"],
        "objectif-formation": "\n".join(f"- {line}" for line in data["objectives"]),
        "resultats-attendus": "\n".join(obtained + data["validation"]["rules"]),
        "contenu-formation": "\n".join(content),
        "rythme-formation": " ".join(part for part in (
            ", ".join(p for p in (data.get("format"), view.duration_text) if p) + ".", week) if part.strip(". ")),
        "modalites-alternance": week if view.alternance else "Pas de période en entreprise.",
        "conditions-specifiques": "\n".join(conditions),
    }


def _sub(parent, tag: str, text=None, **attributes):
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {k.replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _address(parent, place: dict, name: str | None = None):
    address = _sub(parent, "adresse")
    if name or place.get("name"):
        _sub(address, "denomination", name or place.get("name"))
    for line in address_lines(place["street"], LHEO_STREET) or ():   # None: refused by missing_facts
        _sub(address, "ligne", line)
    _sub(address, "codepostal", place["postcode"])
    _sub(address, "ville", place["city"])
    _sub(address, "pays", "FR")
    return address


def _contact_details(parent, contact: dict):
    """<coordonnees> with what the contact gives (nom, telfixe, courriel)."""
    details = _sub(parent, "coordonnees")
    if contact.get("name") and len(contact["name"]) <= LHEO_CONTACT_NAME.maximum:   # else left out, said so
        _sub(details, "nom", contact["name"])
    if contact.get("phone"):
        _sub(_sub(details, "telfixe"), "numtel", contact["phone"])
    if contact.get("email"):
        _sub(details, "courriel", contact["email"])
    return details


def _formation(parent, catalogue, entry, today):
    view, organisation = entry.view, catalogue.organisation
    lheo, texts = _lheo(view), _texts(view)
    current = view.certification.current if view.certification else None   # RNCP or RS
    sessions = view.open_sessions(today)
    formation = _sub(parent, "formation", numero=entry.id)
    domain = _sub(formation, "domaine-formation")
    for code in (lheo.get("formacode") or [])[:5]:
        _sub(domain, "code-FORMACODE", code, ref=lheo["formacode_version"])
    for code in (current.nsf if current else ())[:3]:
        _sub(domain, "code-NSF", code)
    for element in ("intitule-formation", "objectif-formation", "resultats-attendus", "contenu-formation"):
        _sub(formation, element, texts[element])
    _sub(formation, "certifiante", "1" if view.certified else "0")
    _contact_details(_sub(formation, "contact-formation"), organisation)
    _sub(formation, "parcours-de-formation", COURSE_PATH[lheo["course_path"]])
    _sub(formation, "code-niveau-entree", _level_code(lheo["entry_level"]))
    if current:
        _sub(_sub(formation, "certification"), CERTIFICATION_CODE[current.register], current.number)
    if current and current.level:
        _sub(formation, "code-niveau-sortie", _level_code(current.level))

    action = _sub(formation, "action", numero=f"{entry.id}-action")
    _sub(action, "rythme-formation", texts["rythme-formation"])
    for code in lheo["public_codes"][:10]:
        _sub(action, "code-public-vise", code, ref=lheo["formacode_version"])
    _sub(action, "niveau-entree-obligatoire", "1" if lheo["entry_level_required"] else "0")
    _sub(action, "modalites-alternance", texts["modalites-alternance"])
    formats = {session["format"] for session in sessions}
    _sub(action, "modalites-enseignement", TEACHING_MODE[formats.pop()] if len(formats) == 1 else TEACHING_MODE["mixte"])
    _sub(action, "conditions-specifiques", texts["conditions-specifiques"])
    _sub(action, "prise-en-charge-frais-possible", "1")   # the catalogue lists ways to fund it
    places = []
    for session in sessions:
        key = (session["place"]["street"], session["place"]["postcode"], session["place"]["city"])
        if key not in places:
            places.append(key)
            _address(_sub(_sub(action, "lieu-de-formation"), "coordonnees"), session["place"])
    _sub(action, "modalites-entrees-sorties", ENTRIES_EXITS[lheo["entries_exits"]])
    for session in sessions:
        element = _sub(action, "session", numero=f"{entry.id}-{session['start']}")
        period = _sub(element, "periode")
        _sub(period, "debut", str(session["start"]).replace("-", ""))
        _sub(period, "fin", str(session["end"]).replace("-", ""))
        _address(_sub(element, "adresse-inscription"), organisation["address"], organisation["name"])
        _sub(element, "etat-recrutement", RECRUITMENT[session["status"]])
        contact = session.get("enrolment_contact")
        if contact and (contact.get("email") or contact.get("phone")):
            _contact_details(_sub(element, "contact-session"), contact)
    accessibility = view.data["qualiopi"].get("accessibility")
    if accessibility and len(accessibility) <= LHEO_ACCESSIBILITY.maximum:   # else left out, said so
        _sub(action, "acces-handicapes", accessibility)
    if view.price_eur is not None:
        _sub(action, "prix-total-TTC", f"{view.price_eur:.2f}")
    if view.duration_text:
        _sub(action, "duree-indicative", view.duration_text)
    _sub(action, "nombre-heures-total", view.total_hours)
    if view.funding_routes:   # the routes staff declared, in words (LHÉO's financer codes are for funded places)
        _sub(action, "detail-conditions-prise-en-charge", funding_detail(view.funding_routes))

    legal = organisation["legal"]
    responsible = _sub(formation, "organisme-formation-responsable")
    _sub(responsible, "numero-activite", legal["nda"])
    _sub(_sub(responsible, "SIRET-organisme-formation"), "SIRET", legal["siret"])
    _sub(responsible, "nom-organisme", organisation["name"])
    _sub(responsible, "raison-sociale", legal["legal_name"])
    details = _sub(_sub(responsible, "coordonnees-organisme"), "coordonnees")
    _address(details, organisation["address"])
    _contact_details(_sub(responsible, "contact-organisme"), organisation)


def funding_detail(routes: list[dict], limit: int = 600) -> str:
    """« Financements possibles : Compte personnel de formation (CPF) ; … », within LHÉO's 600 characters."""
    text = "Financements possibles : "
    for number, route in enumerate(routes):
        part = route["name"] + (f" ({route['text']})" if route["text"] else "")
        addition = ("" if number == 0 else " ; ") + part
        if len(text) + len(addition) + 1 > limit:
            break
        text += addition
    return text + "."


def lheo_document(catalogue, today: _dt.date) -> bytes:
    """The whole offer as LHÉO 2.3 XML (UTF-8), or ``LheoMissingFacts`` listing every gap."""
    missing = missing_facts(catalogue, today)
    if missing:
        raise LheoMissingFacts(missing)
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}lheo")
    offers = _sub(root, "offres")
    for entry in catalogue.programmes:
        _formation(offers, catalogue, entry, today)
    ET.indent(root)
    document = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    validate_document(document)
    return document


@lru_cache(maxsize=1)
def _schema():
    # lxml is a runtime dependency for this one check: the standard library validates no XSD, and
    # only the official schema can say an export will be accepted (lengths, patterns, order).
    from lxml import etree
    return etree.XMLSchema(etree.parse(str(XSD)))


def validate_document(document: bytes) -> None:
    """Raise ``LheoInvalid`` (nothing printed or written) unless ``document`` is valid LHÉO 2.3."""
    from lxml import etree
    try:
        tree = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
        schema = _schema()
        valid = schema.validate(tree)
        faults = [f"ligne {error.line} : {error.message}" for error in schema.error_log][:10]
    except etree.XMLSyntaxError as error:
        valid, faults = False, [str(error)]
    if not valid:
        raise LheoInvalid("L'export LHÉO n'est pas écrit : le document produit ne respecte pas le schéma officiel "
                          "LHÉO 2.3 (un cas que les contrôles du catalogue n'ont pas prévu). Ce que dit le schéma :\n"
                          + "\n".join(f"- {fault}" for fault in faults)
                          + "\nSignalez-le aux développeurs avec ce message ; rien n'a été transmis.")
