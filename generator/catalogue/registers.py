"""The national registers a certification is recorded in, and how a record names its fiche.

A record (``certification › current``, ``history``, ``exemptions › established_for``…) holds
exactly one of ``rncp`` (Répertoire national des certifications professionnelles) or ``rs``
(Répertoire spécifique) with the fiche's number.
"""
from __future__ import annotations

REGISTERS = {
    "rncp": ("RNCP", "Répertoire national des certifications professionnelles"),
    "rs": ("RS", "Répertoire spécifique"),
}


def register_of(record: dict) -> str | None:
    """``"rncp"`` or ``"rs"``: the register a record names (None when it names none)."""
    found = [key for key in REGISTERS if record.get(key) is not None]
    return found[0] if len(found) == 1 else None


def fiche(record: dict) -> tuple[str, int] | None:
    """``("rncp", 40913)``: the register and number a record names."""
    register = register_of(record)
    return (register, record[register]) if register else None


def fiche_code(record: dict) -> str:
    """« RNCP 40913 », « RS 5678 »: how pages and messages name a fiche."""
    register, number = fiche(record)
    return f"{REGISTERS[register][0]} {number}"
