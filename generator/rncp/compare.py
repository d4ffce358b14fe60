"""The catalogue against the RNCP export: what changed, for each programme, and what to do.

``collect_fiches`` reads the export once, keeping in full only the fiches that matter (the
catalogue's numbers and the fiches that replace them) and, for every fiche, its replacements,
so the chain old -> new can be followed to the newest fiche whatever the file order.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import load_catalogue
from ..catalogue.registration import NOTICE_MONTHS, ends_soon
from ..catalogue.view import Fiche as CatalogueFiche
from ..french import fr_date
from .fiche import Fiche
from .scanner import iter_fiche_chunks

_BLOC_SUFFIX = re.compile(r"^(?:RNCP|RS)?\d*(.*)$", re.IGNORECASE)


@dataclass
class ExportIndex:
    fiches: dict[int, Fiche]            # kept in full
    replaced_by: dict[int, list[int]]   # every fiche's successors
    count: int = 0

    def chain(self, number: int) -> tuple[list[int], list[int]]:
        """``number`` and its successors up to the newest; and the successors left unfollowed
        because a fiche names several (staff must choose)."""
        chain, ambiguous = [number], []
        while True:
            successors = [n for n in self.replaced_by.get(chain[-1], []) if n not in chain]
            if len(successors) != 1:
                ambiguous = successors if len(successors) > 1 else []
                return chain, ambiguous
            chain.append(successors[0])


def collect_fiches(export: Path | str, numbers: set[int]) -> ExportIndex:
    index = ExportIndex({}, {})
    seen: set[int] = set()
    _read_pass(export, index, set(numbers), seen)
    for _ in range(5):  # successors met before their predecessors: rare, one more pass each time
        missing = {n for kept in list(index.fiches) for n in index.chain(kept)[0]
                   if n not in index.fiches and n in seen}
        if not missing:
            break
        _read_pass(export, index, missing, None)
    return index


def _read_pass(export, index: ExportIndex, wanted: set[int], seen: set[int] | None) -> None:
    """Keep the wanted fiches and those replacing a kept one; note every fiche's successors
    (first pass: ``seen`` collects every number and ``index.count`` counts them). Numbers are
    read from the raw bytes; only kept fiches are parsed."""
    for chunk in iter_fiche_chunks(export):
        number = chunk.number()
        if number is None:
            continue
        if seen is not None:
            seen.add(number)
            index.count += 1
        successors = chunk.replaced_by()
        if successors:
            index.replaced_by[number] = successors
        if number in index.fiches:
            continue
        keep = number in wanted or any(p in wanted or p in index.fiches for p in chunk.replaces())
        if keep:
            fiche = chunk.fiche()
            if fiche.number != number:  # the bytes misled us: trust the parsed fiche
                continue
            index.fiches[number] = fiche
            wanted.update(successors)


# -- what the catalogue would hold for a fiche ---------------------------------------------

FIELD_LABELS = {
    "title": "intitulé", "level": "niveau", "nsf": "codes NSF", "registered_on": "date d'enregistrement",
    "decision_date": "date de décision", "end_date": "fin d'enregistrement",
    "delivery_deadline": "date limite de délivrance",
}


def record_fields(fiche: Fiche) -> dict:
    """The catalogue's certification fields that the fiche knows (unknown ones: None)."""
    return {
        "title": fiche.title,
        "level": fiche.level_number,
        "nsf": fiche.nsf or None,
        "registered_on": fiche.effective_date,
        "decision_date": fiche.decision_date,
        "end_date": fiche.end_date,
        "delivery_deadline": fiche.delivery_deadline,
    }


def field_differences(record: dict, fiche: Fiche) -> list[tuple[str, object, object]]:
    """(field, catalogue value, export value) where the export knows a different value."""
    differences = []
    for name, value in record_fields(fiche).items():
        if value is None:
            continue
        recorded = record.get(name)
        if name == "nsf":
            recorded = [str(code) for code in recorded or []] or None
        if recorded != value:
            differences.append((name, recorded, value))
    return differences


def bloc_key(code: str | None) -> str:
    """ "RNCP36358BC01" -> "BC01": bloc codes carry the fiche number, which changes at renewal."""
    return _BLOC_SUFFIX.match(code or "").group(1).upper()


def changed_blocs(recorded: list[dict], fiche: Fiche) -> list[tuple[str, str]]:
    """(bloc key such as "BC02", French sentence) for each bloc added, removed or retitled."""
    old = {bloc_key(b.get("code")): b for b in recorded}
    new = {bloc_key(b.code): b for b in fiche.blocs}
    changes = []
    for key in old.keys() - new.keys():
        changes.append((key, f"bloc {old[key].get('code')} « {old[key].get('title')} » : absent de la fiche RNCP {fiche.number}"))
    for key in new.keys() - old.keys():
        changes.append((key, f"bloc {new[key].code} « {new[key].title} » : nouveau dans la fiche RNCP {fiche.number}"))
    for key in old.keys() & new.keys():
        if (old[key].get("title") or "") != (new[key].title or ""):
            changes.append((key, f"bloc {new[key].code} : intitulé « {old[key].get('title')} » devenu « {new[key].title} »"))
    return sorted(changes)


def blocs_to_review(data: dict, keys: list[str]) -> tuple[list[str], list[str]]:
    """(modules, exemption grounds) of the catalogue's blocs matching the changed RNCP blocs.

    The catalogue numbers its blocs 1, 2…; an RNCP code ending in BC02 is taken as bloc 2.
    When no bloc matches, every module and every ground is listed: staff decide."""
    numbers = {int(m.group(1)) for m in (re.search(r"(\d+)$", key) for key in keys) if m}
    blocs = [b for b in data.get("blocs", []) if b.get("number") in numbers] or data.get("blocs", [])
    modules = [f"{module['id']} (bloc {bloc['number']})" for bloc in blocs for module in bloc.get("modules", [])]
    grounds = sorted({g for bloc in blocs for module in bloc.get("modules", []) for g in module.get("exempted_by", [])})
    return modules, grounds


def shown_value(value) -> str:
    if value is None or value == []:
        return "(vide)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return fr_date(value)
    return f"« {value} »" if isinstance(value, str) else str(value)


# -- the check -------------------------------------------------------------------------------

def rncp_number(entry) -> int | None:
    """The RNCP number of the programme's certification in force (None: RS, or no certification)."""
    certification = entry.view.certification
    return certification.current.number if certification and certification.current.register == "rncp" else None


def not_in_rncp(entry) -> str:
    """Why a programme has no RNCP fiche to follow, in French."""
    certification = entry.view.certification
    if certification is None:
        return "formation sans certification"
    return f"certification enregistrée au {certification.current.register_name} ({certification.current.code})"


@dataclass
class ProgrammeReport:
    programme: str
    file: str
    recorded: int
    actions: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    next_step: str | None = None

    @property
    def update_ready(self) -> bool:
        """``rncp update`` has something to write for this programme."""
        return bool(self.next_step and " rncp update " in self.next_step)


def check_programme(entry, index: ExportIndex, export: str, today: _dt.date) -> ProgrammeReport:
    view = entry.view
    current = view.data["certification"]["current"]   # the record as written, compared with the export
    number = view.certification.current.number
    report = ProgrammeReport(entry.id, entry.source.shown, number)
    update_command = f"python -m generator rncp update {export} {entry.id}"
    if number not in index.fiches:
        report.actions.append(f"RNCP {number} (certification › current du catalogue) est absente de l'export : "
                              "vérifiez le numéro dans le catalogue, ou que l'export est bien complet.")
        report.next_step = f"vérifier le numéro sur https://www.francecompetences.fr/recherche/rncp/{number}/"
        return report
    chain, ambiguous = index.chain(number)
    newest_number = chain[-1]
    if newest_number not in index.fiches:
        report.actions.append(f"RNCP {number} est remplacée par RNCP {newest_number}, absente de l'export : "
                              "vérifiez sur le site de France compétences.")
        return report
    newest = index.fiches[newest_number]
    if len(chain) > 1:
        steps = " puis ".join(f"RNCP {n}" for n in chain[1:])
        report.actions.append(f"RNCP {number} a été remplacée par {steps} : la fiche en vigueur est RNCP {newest_number}.")
        report.next_step = update_command
    if ambiguous:
        report.actions.append(f"RNCP {newest_number} est remplacée par plusieurs fiches ("
                              + ", ".join(f"RNCP {n}" for n in ambiguous)
                              + ") : choisissez avec l'équipe pédagogique celle que vise le programme.")
    if newest.active is False and not ambiguous:
        report.actions.append(f"la fiche RNCP {newest_number} est inactive dans l'export (ACTIF = Non) et aucune "
                              "fiche ne la remplace : la certification ne peut plus être délivrée sous ce numéro.")
    if newest.end_date and _dt.date.fromisoformat(newest.end_date) < today:
        report.actions.append(f"l'enregistrement de RNCP {newest_number} a pris fin le "
                              f"{shown_value(newest.end_date)}.")
    elif newest.end_date and ends_soon(_dt.date.fromisoformat(newest.end_date), today):
        report.details.append(f"l'enregistrement de RNCP {newest_number} prend fin le {shown_value(newest.end_date)}, "
                              f"dans moins de {NOTICE_MONTHS} mois : surveillez son renouvellement.")
    record = current if newest_number == number else {}
    differences = field_differences(record, newest)
    if differences:
        for name, recorded, value in differences:
            if newest_number == number:
                report.details.append(f"{FIELD_LABELS[name]} : catalogue {shown_value(recorded)} ; "
                                      f"RNCP {newest_number} {shown_value(value)}")
            else:  # what the update will write for the new fiche
                report.details.append(f"{FIELD_LABELS[name]} de RNCP {newest_number} (à écrire) : {shown_value(value)}")
        if newest_number == number:
            report.actions.append(f"{len(differences)} différence(s) entre « certification › current » et l'export.")
        report.next_step = update_command
    certifier = view.certification.certifier
    names = [c.name for c in newest.certifiers if c.name]
    if certifier and names and _folded(certifier) not in {_folded(name) for name in names}:
        report.actions.append(f"certificateur : le catalogue indique « {certifier} », la fiche RNCP {newest_number} "
                              "« " + " », « ".join(names) + " » : corrigez « certification › certifier » à la main "
                              f"dans {entry.source.shown} si besoin (« rncp update » ne le modifie pas).")
    if current.get("blocs") is not None:
        blocs = changed_blocs(current["blocs"], newest)
        if blocs:
            modules, grounds = blocs_to_review(view.data, [key for key, _ in blocs])
            report.actions.append(f"blocs de compétences modifiés : après la mise à jour, revoyez dans "
                                  f"{entry.source.shown} les modules " + (", ".join(modules) or "(aucun)")
                                  + " et les règles de dispense qui s'y appliquent (« exemptions › grounds » : "
                                  + (", ".join(grounds) or "aucune") + ").")
            report.details += [sentence for _, sentence in blocs]
            report.next_step = update_command
    elif newest.blocs:
        report.details.append(f"le catalogue n'enregistre pas les blocs de compétences ; « rncp update » écrira les "
                              f"{len(newest.blocs)} blocs de RNCP {newest_number}.")
    rules = entry.view.exemptions
    if rules and not rules.confirmed(CatalogueFiche("rncp", newest_number)):
        report.actions.append(f"les règles de dispense ont été établies pour {rules.established_for.code} : l'équipe doit "
                              f"confirmer qu'elles valent pour RNCP {newest_number}, puis ajouter « {{rncp: {newest_number}, "
                              f"confirmed_on: AAAA-MM-JJ, by: qui a confirmé}} » à « exemptions › confirmed_for » "
                              f"dans {entry.source.shown}.")
    return report


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def run_check(catalogue_dir, export, today: _dt.date, out, collected: list | None = None) -> int:
    """Print the report; 0 nothing to do, 1 a programme needs action. ``collected`` receives
    the programmes' reports."""
    catalogue = load_catalogue(catalogue_dir)
    checked = [entry for entry in catalogue.programmes if rncp_number(entry) is not None]
    index = collect_fiches(export, {rncp_number(entry) for entry in checked})
    reports = [check_programme(entry, index, str(export), today) for entry in checked]
    if collected is not None:
        collected.extend(reports)
    print(f"Vérification du catalogue avec l'export du RNCP « {export} » ({index.count} fiches RNCP lues), "
          f"le {fr_date(today)}.", file=out)
    for entry in catalogue.programmes:
        if entry not in checked:
            print("", file=out)
            print(f"{entry.id} ({entry.source.shown}) — {not_in_rncp(entry)} : l'export du RNCP ne le concerne pas.",
                  file=out)
    for report in reports:
        print("", file=out)
        print(f"{report.programme} ({report.file}) — fiche enregistrée au catalogue : RNCP {report.recorded}", file=out)
        if not report.actions:
            print("  À jour : rien à faire.", file=out)
        for action in report.actions:
            print(f"  À FAIRE : {action[:1].upper()}{action[1:]}", file=out)
        if report.details:
            print("  Détail :", file=out)
            for detail in report.details:
                print(f"    - {detail}", file=out)
        if report.next_step:
            print(f"  Commande suivante : {report.next_step}", file=out)
    pending = [r for r in reports if r.actions]
    print("", file=out)
    if pending:
        print(f"Bilan : {len(pending)} programme(s) sur {len(reports)} demandent une action.", file=out)
        return 1
    print(f"Bilan : les {len(reports)} programme(s) sont à jour.", file=out)
    return 0
