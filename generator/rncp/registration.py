"""What a programme's certification record means for the build, on a given day.

``registration_notes(programme_data, today)`` returns ``(level, French sentence)`` pairs:
- "error" when the current certification's registration has ended and no newer one is recorded;
- "warning" when it ends within 6 months;
- "warning" while the exemption rules were established for another certification and staff
  have not recorded that they confirmed them for the current one.
"""
from __future__ import annotations

import datetime as _dt

from ..rules.dates import add_months, french_date

WARNING, ERROR = "warning", "error"
NOTICE_MONTHS = 6


def registration_notes(data: dict, today: _dt.date) -> list[tuple[str, str]]:
    notes = []
    current = data["certification"]["current"]
    number = current["rncp"]
    end = current.get("end_date")
    if end:
        end = _dt.date.fromisoformat(str(end))
        if end < today:
            notes.append((ERROR, f"l'enregistrement de RNCP {number} a pris fin le {french_date(end)} et aucune "
                                 "certification plus récente n'est enregistrée dans le catalogue : lancez "
                                 "« python -m generator rncp check » sur le dernier export du RNCP, puis "
                                 "« rncp update »."))
        elif end <= add_months(today, NOTICE_MONTHS):
            notes.append((WARNING, f"l'enregistrement de RNCP {number} prend fin le {french_date(end)}, dans moins "
                                   f"de {NOTICE_MONTHS} mois : surveillez son renouvellement au RNCP."))
    exemptions = data["exemptions"]
    established = exemptions["established_for"]
    confirmed = {c["rncp"] for c in exemptions["confirmed_for"]}
    if established["rncp"] != number and number not in confirmed:
        notes.append((WARNING, f"les règles de dispense ont été établies pour RNCP {established['rncp']} (décision du "
                               f"{french_date(_dt.date.fromisoformat(str(established['decision_date'])))}) ; "
                               f"confirmez-les pour RNCP {number}, puis ajoutez-la à « exemptions › confirmed_for »."))
    return notes
