"""Numbers, plurals and dates in French: the one home of every such helper outside the rules.

The rules package (standard library only, also run in the browser) keeps its own
``rules.dates.french_date``; this module re-exports it, so a date reads the same everywhere.
Standard library only.
"""
from __future__ import annotations

import datetime as _dt

from .rules.dates import french_date

__all__ = ["as_date", "days", "euros", "first_upper", "fr_date", "french_date", "percent", "plural"]


def plural(count, singular: str, plural_form: str | None = None) -> str:
    """« 1 jour », « 3 jours », « 2 mois » (``plural_form`` when the plural is not the singular
    with an s, or unchanged for a word ending in s, x or z)."""
    if count <= 1:
        return f"{count} {singular}"
    return f"{count} {plural_form or (singular if singular.endswith(('s', 'x', 'z')) else singular + 's')}"


def days(count: int) -> str:
    """« 1 jour », « 2 jours »."""
    return plural(count, "jour")


def euros(amount) -> str:
    """3500 -> « 3 500 € », 1234.5 -> « 1 234,50 € »: French grouping with a narrow no-break
    space, a comma before the cents (shown only when there are some), a no-break space before €."""
    if float(amount).is_integer():
        text = f"{int(amount):,}".replace(",", "\u202f")
    else:
        text = f"{amount:,.2f}".replace(".", "\u0000").replace(",", "\u202f").replace("\u0000", ",")
    return f"{text}\u00a0€"


def percent(value) -> str:
    """92.5 -> « 92,5 % », 95 -> « 95 % »: a decimal comma and a no-break space before %."""
    number = float(value)
    text = str(int(number)) if number.is_integer() else f"{number:g}".replace(".", ",")
    return f"{text}\u00a0%"


def first_upper(text: str) -> str:
    """« En centre de formation… »: the first letter as a capital, the rest unchanged."""
    return text[:1].upper() + text[1:]


def as_date(value) -> _dt.date | None:
    """A catalogue date (ISO text once loaded as plain data, or a date) as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


def fr_date(value) -> str:
    """« 25/06/2030 »: every date shown to people, in one format (empty for no date)."""
    day = as_date(value)
    return french_date(day) if day else ""
