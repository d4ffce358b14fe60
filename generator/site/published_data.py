"""Machine-readable copies of a programme: the tableau des dispenses as CSV, the data as JSON."""
from __future__ import annotations

import json

from ..spreadsheet_csv import csv_bytes

CSV_DELIMITER = ";"  # what French spreadsheets expect: a double-click opens it in columns
CSV_COLUMNS = ["bloc", "bloc_titre", "module_id", "module", "heures", "dispense_possible_si", "justificatifs"]
ALTERNATIVE = " OU "


def dispense_rows(entry) -> list[dict]:
    """One row per module, then the bloc evaluations: what the table shows, as plain text."""
    data, grounds = entry.view.data, entry.view.grounds
    rows = []
    for bloc in data["blocs"]:
        for module in bloc["modules"]:
            used = [grounds[g] for g in module.get("exempted_by") or ()]
            rows.append({
                "bloc": bloc["number"],
                "bloc_titre": bloc["title"],
                "module_id": module["id"],
                "module": module["title"],
                "heures": module["hours"],
                "dispense_possible_si": ALTERNATIVE.join(g["label"] for g in used) or "Pas de dispense possible",
                "justificatifs": ALTERNATIVE.join(
                    f"{g['label']} : " + " ; ".join(g["evidence"]) for g in used),
            })
    if data["hours"]["evaluations"]:
        rows.append({"bloc": "", "bloc_titre": "", "module_id": "evaluations", "module": "Évaluations des blocs",
                     "heures": data["hours"]["evaluations"],
                     "dispense_possible_si": "Pas de dispense possible", "justificatifs": ""})
    return rows


def dispense_csv(entry) -> bytes:
    """The tableau des dispenses as a spreadsheet opens it: « ; », a byte-order mark, no
    cell that would run as a formula (``generator.spreadsheet_csv``)."""
    return csv_bytes(CSV_COLUMNS, dispense_rows(entry), delimiter=CSV_DELIMITER)


def programme_json(entry) -> bytes:
    """The programme's data as the catalogue gives it (what the view exposes as ``view.data``)."""
    return (json.dumps(entry.view.data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
