"""The reference date of every command (``--today AAAA-MM-JJ``, passed to the site engine as
``GENERATOR_TODAY``): one parser and one sentence for a wrong date, wherever it is read."""
from __future__ import annotations

import datetime as _dt

from .errors import UsageError
from .rules.dates import BadDate, parse_iso_date


def parse_today(text: str | None) -> _dt.date:
    """The date ``text`` names (today's when it is None or empty), or ``UsageError``."""
    if not text:
        return _dt.date.today()
    try:
        return parse_iso_date(text)
    except BadDate:
        raise UsageError(f"--today : date attendue au format AAAA-MM-JJ, pas « {text} ».") from None
