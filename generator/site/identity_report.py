"""What staff still have to fill among the publishing facts: the organisation's identity once,
each programme's price, sessions, pathways and results; which fields, and their public names, are
read from their declarations (``report``, ``qualiopi``, ``label`` in ``catalogue/schema.py`` and
``schema_publishing.py``).

Qualiopi-relevant items are errors when a programme sets ``qualiopi.fail_if_missing`` (for the
organisation's items: when any programme does); the others are warnings.
"""
from __future__ import annotations

from ..catalogue.schema import ORGANISATION, PROGRAMME, declared
from .published_docs import DOCS_DIRECTORY, document_fault
from .report import ERROR, WARNING, Note, ProgrammeReport


def _reported(struct) -> list[tuple[tuple, str, bool]]:
    """(path, public name, Qualiopi-relevant?) of each field declared to be reported when empty."""
    return [(path, field.label, field.qualiopi) for path, field in declared(struct) if field.report or field.qualiopi]


ORGANISATION_ITEMS = _reported(ORGANISATION)
# « qualiopi › … » is reported with the page's own Qualiopi items (report.qualiopi_notes); the
# certification's items only for a programme leading to an RNCP certification (``rncp update``
# fills them), last.
PROGRAMME_ITEMS = [item for item in _reported(PROGRAMME) if item[0][0] not in ("qualiopi", "certification")]
CERTIFIED_ITEMS = [item for item in _reported(PROGRAMME) if item[0][0] == "certification"]


def dig(data: dict, path: tuple):
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _missing_note(path, name, qualiopi, level, where) -> Note:
    field = " › ".join(path)
    what = "information Qualiopi manquante" if qualiopi else "information manquante"
    return Note(level, f"{what} : {name} (champ « {field} » vide dans {where} ; "
                       "elle n'apparaît pas sur le site).")


def certificate_document(organisation: dict) -> str | None:
    """The certificate's path in the site when the site publishes its file (a regular file inside
    docs/, in a folder MkDocs publishes), else None (no dead link, nothing published by mistake)."""
    document = dig(organisation, ("qualiopi_certificate", "document"))
    return document if document and document_fault(document, DOCS_DIRECTORY) is None else None


def programme_publishing_notes(view, today) -> list[Note]:
    """What a programme's file still lacks (``view``: its ``ProgrammeView``)."""
    fail = view.data["qualiopi"]["fail_if_missing"]
    in_rncp = view.certified and view.certification.current.register == "rncp"
    items = PROGRAMME_ITEMS + (CERTIFIED_ITEMS if in_rncp else [])
    notes = [_missing_note(path, name, qualiopi, ERROR if fail and qualiopi else WARNING, "le fichier du programme")
             for path, name, qualiopi in items if not dig(view.data, path)]
    if not view.open_sessions(today):
        notes.append(Note(WARNING, "aucune session à venir (champ « sessions ») : la page invite à "
                                   "prendre contact ; l'export LHÉO n'est pas possible."))
    return notes


def organisation_report(catalogue, written: list[str]) -> ProgrammeReport:
    """The organisation's own entry in the build report, listed before the programmes."""
    organisation = catalogue.organisation
    fail = any(entry.view.data["qualiopi"]["fail_if_missing"] for entry in catalogue.programmes)
    notes = [_missing_note(path, name, qualiopi, ERROR if fail and qualiopi else WARNING, "organisation.yaml")
             for path, name, qualiopi in ORGANISATION_ITEMS if not dig(organisation, path)]
    contact = organisation.get("disability_contact") or {}
    if not (contact.get("email") or contact.get("phone")):
        notes.append(Note(ERROR if fail else WARNING,
                          "information Qualiopi manquante : courriel ou téléphone du ou de la référent(e) "
                          "handicap (champs « disability_contact › email » et « phone » vides dans "
                          "organisation.yaml ; il n'apparaît pas sur le site)."))
    document = dig(organisation, ("qualiopi_certificate", "document"))
    fault = document_fault(document, DOCS_DIRECTORY) if document else None
    if fault:
        notes.append(Note(ERROR if fail else WARNING,
                          f"le certificat Qualiopi « {document} » (champ « qualiopi_certificate › document ») "
                          f"n'est pas publié : {fault}. Placez le PDF lui-même dans {DOCS_DIRECTORY} (hors "
                          "overrides/ et des noms commençant par un point) ou corrigez le chemin (pas de lien "
                          "vers lui en attendant)."))
    return ProgrammeReport("organisation", f"Organisme : {organisation['name']}", list(written), notes)
