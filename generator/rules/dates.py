"""Calendar arithmetic for the rules: ISO dates, adding months and years.

Adding N years or months keeps the day; a day that does not exist in the target month
(29 February in a common year, 31 April…) becomes the last day of that month.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re

# ASCII digits only, nothing after the day (a bare `$` would let a trailing newline through).
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class BadDate(ValueError):
    """A string that is not a real calendar date in the form YYYY-MM-DD."""

    def __init__(self, text: str, impossible: bool):
        super().__init__(text)
        self.text = text
        self.impossible = impossible  # well formed, but no such day (e.g. 2023-02-29)


def parse_iso_date(text: str) -> _dt.date:
    match = _ISO_DATE.fullmatch(text)
    if not match:
        raise BadDate(text, impossible=False)
    year, month, day = (int(part) for part in match.groups())
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise BadDate(text, impossible=True) from None


def add_months(day: _dt.date, months: int) -> _dt.date:
    """Raises ``OverflowError`` past the year 9999."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not _dt.MINYEAR <= year <= _dt.MAXYEAR:
        raise OverflowError(f"{day.isoformat()} + {months} mois dépasse le calendrier")
    last_day = calendar.monthrange(year, month)[1]
    return _dt.date(year, month, min(day.day, last_day))


def add_years(day: _dt.date, years: int) -> _dt.date:
    return add_months(day, 12 * years)


def french_date(day: _dt.date) -> str:
    return day.strftime("%d/%m/%Y")
