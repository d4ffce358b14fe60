"""Every CSV the project writes, safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
a spreadsheet (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``): it gets an apostrophe in front, as
OWASP recommends, so the spreadsheet shows it as text. Numbers the project computes (hours)
are written as numbers, never prefixed: a negative number is data, not a formula (none is
written today). Files carry a UTF-8 byte-order mark so that Excel reads the accents right.
"""
from __future__ import annotations

import csv
import io

# The separators the project reads (``evaluate-batch --delimiter``), by the name typed.
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value) -> object:
    """``value`` as a spreadsheet may open it: text that would run is prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: list[str], rows, delimiter: str = ",", bom: bool = True) -> str:
    """The CSV of ``rows`` (dicts keyed by ``columns``), CRLF line ends, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralised(value) for key, value in row.items()})
    return (BOM if bom else "") + buffer.getvalue()


def csv_bytes(columns: list[str], rows, delimiter: str = ",") -> bytes:
    return csv_text(columns, rows, delimiter).encode("utf-8")
