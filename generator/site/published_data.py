"""Machine-readable copies of a programme: the tableau des dispenses as CSV, the data as JSON."""
from __future__ import annotations

import csv
import io
import json

CSV_COLUMNS = ["bloc", "bloc_titre", "module_id", "module", "heures", "dispense_possible_si", "justificatifs"]
ALTERNATIVE = " OU "


def dispense_rows(entry) -> list[dict]:
    """One row per module, then the bloc evaluations: what the table shows, as plain text."""
    grounds = {g["id"]: g for g in (entry.data.get("exemptions") or {}).get("grounds") or ()}
    rows = []
    for bloc in entry.data["blocs"]:
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
    if entry.data["hours"]["evaluations"]:
        rows.append({"bloc": "", "bloc_titre": "", "module_id": "evaluations", "module": "Évaluations des blocs",
                     "heures": entry.data["hours"]["evaluations"],
                     "dispense_possible_si": "Pas de dispense possible", "justificatifs": ""})
    return rows


def dispense_csv(entry) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(dispense_rows(entry))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: spreadsheet software reads UTF-8


def programme_json(entry) -> bytes:
    return (json.dumps(entry.data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
