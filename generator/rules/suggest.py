"""« Vouliez-vous dire … ? »: the closest known name to a misspelt one."""
from __future__ import annotations


def did_you_mean(written, known) -> str:
    """« Vouliez-vous dire « x » ? » (with a leading space) when a name of ``known`` is close to
    ``written``, else an empty string."""
    try:  # imported here: the rules also run in the browser, whose trimmed library may leave it out
        import difflib
    except ImportError:
        return ""
    names = [str(name) for name in known]
    close = difflib.get_close_matches(str(written), names, n=1, cutoff=0.6)
    return f" Vouliez-vous dire « {close[0]} » ?" if close else ""
