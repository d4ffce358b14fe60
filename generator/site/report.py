"""The build report for staff: per programme, the pages written and what still needs action.

Warnings never stop the build; errors do: a Qualiopi item missing while the programme asks
to fail on it (``qualiopi.fail_if_missing``), or a certification whose registration has ended
with no newer one recorded. A programme is read through its view (``entry.view``) only.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..catalogue.registration import registration_notes

WARNING, ERROR = "warning", "error"


@dataclass(frozen=True)
class Note:
    level: str
    message: str


@dataclass
class ProgrammeReport:
    id: str
    title: str
    written: list[str]
    notes: list[Note] = field(default_factory=list)
    data_date: _dt.date | None = None   # the programme file's « data_date »


@dataclass
class BuildReport:
    programmes: list[ProgrammeReport] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"{p.id} : {n.message}" for p in self.programmes for n in p.notes if n.level == ERROR]

    def text(self) -> str:
        lines = ["", "Rapport de construction du site", "==============================="]
        for programme in self.programmes:
            lines += ["", f"{programme.title} ({programme.id})",
                      f"  {len(programme.written)} fichiers écrits : {', '.join(programme.written)}"]
            if programme.data_date is not None:
                lines.append(f"  Données du catalogue au {programme.data_date:%d/%m/%Y} (« data_date »).")
            if not programme.notes:
                lines.append("  Rien à signaler.")
            for note in programme.notes:
                marker = "ERREUR" if note.level == ERROR else "À faire"
                lines.append(f"  - {marker} : {note.message}")
        return "\n".join(lines) + "\n"


def qualiopi_notes(view) -> list[Note]:
    level = ERROR if view.data["qualiopi"]["fail_if_missing"] else WARNING
    return [Note(level, f"information Qualiopi manquante : {name} (champ « qualiopi › {key} » vide ; "
                        "elle n'apparaît pas sur la page).")
            for key, name in view.qualiopi_missing]


def data_date_notes(data_date, today: _dt.date) -> list[Note]:
    """A warning when the programme's facts were last checked more than a year before the build."""
    if data_date is None:
        return [Note(WARNING, "date des données manquante (champ « data_date » vide) : indiquez quand les "
                              "informations du fichier ont été vérifiées.")]
    try:
        year_before = today.replace(year=today.year - 1)
    except ValueError:   # 29 February
        year_before = today.replace(year=today.year - 1, day=28)
    if data_date < year_before:
        return [Note(WARNING, f"données du catalogue datées du {data_date:%d/%m/%Y}, il y a plus d'un an : "
                              "vérifiez le fichier du programme (programme, sessions, tarif, certification), puis "
                              "mettez à jour « data_date ».")]
    return []


def programme_report(entry, written: list[str], today: _dt.date) -> ProgrammeReport:
    value = entry.view.data_date
    data_date = value if isinstance(value, _dt.date) or value is None else _dt.date.fromisoformat(str(value))
    notes = data_date_notes(data_date, today)
    notes += qualiopi_notes(entry.view)
    notes += [Note(level, message) for level, message in registration_notes(entry.view, today)]
    notes += [Note(WARNING, f"libellé à revoir ({w.file}, ligne {w.line}) : {w.message}") for w in entry.warnings]
    from .identity_report import programme_publishing_notes  # imported here: it builds on this module
    notes += programme_publishing_notes(entry.view, today)
    return ProgrammeReport(entry.id, entry.view.title, list(written), notes, data_date)
