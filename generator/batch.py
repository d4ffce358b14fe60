"""Evaluate a CSV of applicants: one row each, one column per answer key.

An empty cell is a question not answered; ``null`` means "none held". An optional ``id``
column is copied to the output. A faulty row is reported with its row number (as a
spreadsheet numbers it, header = row 1) and the others go on. A file that cannot be read as
CSV at all (a quote opened and never closed swallows every row after it) stops the batch
before anything is written, naming the row.

The separator is ``,`` or ``;`` (French spreadsheets' default), read from the header line
unless given; the output uses the same one, through ``spreadsheet_csv`` (no cell that a
spreadsheet would run).
"""
from __future__ import annotations

import csv
import datetime as _dt
import io

from .errors import StaffError

from .rules.answers import InvalidAnswers
from .rules.engine import DISPENSED, evaluate
from .rules.model import Programme
from .rules.text_answers import BLANK_IS_ABSENT, answers_from_text
from .spreadsheet_csv import csv_text

OUTPUT_COLUMNS = ["row", "id", "admission", "hours_dispensed", "hours_remaining",
                  "dispensed_modules", "missing", "errors"]




class UnreadableCsv(StaffError):
    exit_code = 2


def sniff_delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (outside quotes), a tab when
    it has only tabs, else ``,``."""
    header = text.split("\n", 1)[0]
    outside = "".join(part for index, part in enumerate(header.split('"')) if index % 2 == 0)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    if counts[";"] > counts[","]:
        return ";"
    if counts["\t"] and not counts[","]:
        return "\t"
    return ","


def read_records(text: str, delimiter: str, shown: str) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) of every record, the header first (row 1). A quote
    opened and never closed, or misplaced, is an error naming the row where it starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    row, line = 0, 0
    while True:
        row, start_line = row + 1, line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            # At the end of the file inside quotes: a quote never closed.
            if "field larger" in str(error):   # csv's cell limit: a huge cell, or a quote swallowing lines
                limit = f"{csv.field_size_limit():,}".replace(",", "\u202f")
                raise UnreadableCsv(f"ligne {row} (ligne {start_line} du fichier) : une cellule dépasse {limit} "
                                    "caractères, ce qu'aucune réponse ne demande ; raccourcissez-la, ou fermez le "
                                    "guillemet « \" » resté ouvert qui avale les lignes suivantes. Rien n'a été écrit.",
                                    shown) from None
            if "end of data" in str(error):
                raise UnreadableCsv(f"ligne {row} (ligne {start_line} du fichier) : un guillemet « \" » ouvert n'est "
                                    "jamais fermé, il avalerait toutes les lignes suivantes. Fermez le guillemet "
                                    "(ou doublez-le « \"\" » dans un texte) puis relancez ; rien n'a été écrit.",
                                    shown) from None
            raise UnreadableCsv(f"ligne {row} (ligne {reader.line_num} du fichier) : CSV illisible ({error}). "
                                "Un texte contenant des guillemets doit être entre guillemets, les siens doublés ; "
                                "rien n'a été écrit.", shown) from None
        line = reader.line_num
        records.append((row, cells))


def evaluate_csv(programme: Programme, text: str, today: _dt.date, report, delimiter: str | None = None,
                 shown: str = "entrée standard") -> tuple[list[dict], int, str]:
    """(output rows, number of faulty rows, separator used) for the applicants' CSV ``text``."""
    if text.startswith("\ufeff"):  # a byte-order mark that reached us as text (standard input)
        text = text[1:]
    delimiter = delimiter or sniff_delimiter(text)
    records = read_records(text, delimiter, shown)
    header = records[0][1] if records else []
    rows: list[dict] = []
    faulty = 0
    # Every record counts, blank ones too, so that row numbers match the spreadsheet's.
    for row_number, cells in records[1:]:
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
            rows.append({**out, "errors": " | ".join(problems)})
            continue
        rows.append({
            **out,
            "admission": result["admission"]["status"],
            "hours_dispensed": result["hours"]["dispensed"],
            "hours_remaining": result["hours"]["remaining"],
            "dispensed_modules": " ".join(m["id"] for m in result["modules"] if m["status"] == DISPENSED),
            "missing": " ".join(result["missing"]),
            "errors": "",
        })
    return rows, faulty, delimiter


def output_text(rows: list[dict], delimiter: str, bom: bool) -> str:
    return csv_text(OUTPUT_COLUMNS, rows, delimiter=delimiter, bom=bom)


class _RowFault(Exception):
    pass
