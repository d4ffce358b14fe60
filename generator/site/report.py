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


def programme_report(entry, written: list[str], today: _dt.date) -> ProgrammeReport:
    notes = qualiopi_notes(entry.view)
    notes += [Note(level, message) for level, message in registration_notes(entry.view, today)]
    notes += [Note(WARNING, f"libellé à revoir ({w.file}, ligne {w.line}) : {w.message}") for w in entry.warnings]
    from .identity_report import programme_publishing_notes  # imported here: it builds on this module
    notes += programme_publishing_notes(entry.view, today)
    return ProgrammeReport(entry.id, entry.view.title, list(written), notes)
