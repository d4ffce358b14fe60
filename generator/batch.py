"""Evaluate a CSV of applicants: one row each, one column per answer key.

An empty cell is a question not answered; ``null`` means "none held". An optional ``id``
column is copied to the output. A faulty row is reported with its row number (as a
spreadsheet numbers it, header = row 1) and the others go on.
"""
from __future__ import annotations

import csv
import datetime as _dt

from .rules.answers import InvalidAnswers
from .rules.engine import DISPENSED, evaluate
from .rules.model import Programme
from .rules.text_answers import BLANK_IS_ABSENT, answers_from_text

OUTPUT_COLUMNS = ["row", "id", "admission", "hours_dispensed", "hours_remaining",
                  "dispensed_modules", "missing", "errors"]


def evaluate_csv(programme: Programme, source, output, today: _dt.date, report) -> int:
    """Write one output row per applicant; return the number of faulty rows."""
    records = csv.reader(source)
    header = next(records, [])
    if header:  # a byte-order mark that reached us as text (standard input) is not part of the name
        header[0] = header[0].lstrip("\ufeff")
    writer = csv.DictWriter(output, OUTPUT_COLUMNS)
    writer.writeheader()
    faulty = 0
    # Count every record, blank ones too, so that row numbers match the spreadsheet's.
    for row_number, cells in enumerate(records, start=2):
        if not cells:
            continue
        row = dict(zip(header, cells))
        pairs = [(key, value) for key, value in row.items() if key != "id"]
        out = {"row": row_number, "id": row.get("id") or ""}
        if len(cells) > len(header):
            problems = [f"la ligne a {len(cells)} cellules pour {len(header)} colonnes"]
        else:
            problems = []
        try:
            if problems:
                raise _RowFault(problems)
            result = evaluate(programme, answers_from_text(programme, pairs, BLANK_IS_ABSENT), today)
        except InvalidAnswers as invalid:
            problems = [f"{p.key or 'réponses'} : {p.fr}" for p in invalid.problems]
        except _RowFault:
            pass
        if problems:
            faulty += 1
            for problem in problems:
                print(f"ligne {row_number} : {problem}", file=report)
            writer.writerow({**out, "errors": " | ".join(problems)})
            continue
        writer.writerow({
            **out,
            "admission": result["admission"]["status"],
            "hours_dispensed": result["hours"]["dispensed"],
            "hours_remaining": result["hours"]["remaining"],
            "dispensed_modules": " ".join(m["id"] for m in result["modules"] if m["status"] == DISPENSED),
            "missing": " ".join(result["missing"]),
            "errors": "",
        })
    return faulty


class _RowFault(Exception):
    pass
