"""What a programme's certification record means for the build, on a given day.

``registration_notes(view, today)`` (a ``ProgrammeView``) returns ``(level, French sentence)`` pairs:
- "error" when the current certification's registration has ended and no newer one is recorded;
- "warning" when it ends within 6 months;
- "warning" while the exemption rules were established for another certification and staff
  have not recorded that they confirmed them for the current one.
A programme without certification, or without exemption rules, has nothing to note here.
Read by the build report (``site/report.py``) and the rncp commands (``ends_soon``): it lives
beside the view, below both.
"""
from __future__ import annotations

import datetime as _dt

from ..french import fr_date
from ..rules.dates import add_months

WARNING, ERROR = "warning", "error"
NOTICE_MONTHS = 6


def ends_soon(end: _dt.date | None, today: _dt.date) -> bool:
    """A registration ending within ``NOTICE_MONTHS`` months (and not ended yet)."""
    return end is not None and today <= end <= add_months(today, NOTICE_MONTHS)


def registration_notes(view, today: _dt.date) -> list[tuple[str, str]]:
    if not view.certification:
        return []
    notes = []
    current = view.certification.current
    end = current.end_date
    if end and end < today:
        if current.register == "rncp":
            todo = ("lancez « python -m generator rncp check » sur le dernier export du RNCP, puis "
                    "« rncp update ».")
        else:
            todo = ("cherchez la fiche qui la remplace sur francecompetences.fr et enregistrez-la dans "
                    "« certification › current ».")
        notes.append((ERROR, f"l'enregistrement de {current.code} a pris fin le {fr_date(end)} et aucune "
                             f"certification plus récente n'est enregistrée dans le catalogue : {todo}"))
    elif ends_soon(end, today):
        notes.append((WARNING, f"l'enregistrement de {current.code} prend fin le {fr_date(end)}, dans moins "
                               f"de {NOTICE_MONTHS} mois : surveillez son renouvellement au {current.register.upper()}."))
    if not view.rules_confirmed:
        established = view.exemptions.established_for
        decided = f" (décision du {fr_date(established.decision_date)})" if established.decision_date else ""
        notes.append((WARNING, f"les règles de dispense ont été établies pour {established.code}{decided} ; "
                               f"confirmez-les pour {current.code}, puis ajoutez-la à « exemptions › confirmed_for »."))
    return notes
