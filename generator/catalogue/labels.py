"""Labels written by staff beside a condition, checked against what the condition says.

The quiz evaluates the condition; people read the label (dispense table, programme page, the
quiz's reasons). Each condition describes itself (``Condition.describe``) and names the amounts
it compares with (``Condition.quantities``); a label that states other amounts — « 2 ans »
beside ``at_least: 12`` months — or leaves one out gets a warning. Warnings never stop
``validate`` or the build: a label may say more than its condition, and only staff can judge
the wording. Amounts are read in figures or words (« 1 an », « un an », « 12 mois », « 5 ans »);
years and months are the same unit (« 1 an » = « 12 mois »).
"""
from __future__ import annotations

import re

from ..rules.conditions import build_condition
from ..rules.model import questions_by_key

_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
          "neuf": 9, "dix": 10, "douze": 12, "dix-huit": 18, "vingt-quatre": 24}
_UNITS = {"an": ("mois", 12), "ans": ("mois", 12), "année": ("mois", 12), "années": ("mois", 12),
          "mois": ("mois", 1), "semaine": ("semaines", 1), "semaines": ("semaines", 1),
          "jour": ("jours", 1), "jours": ("jours", 1), "heure": ("heures", 1), "heures": ("heures", 1),
          "h": ("heures", 1)}
_AMOUNT = re.compile(r"(?<![\w-])(\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\s*("
                     + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE)


def label_amounts(label: str) -> frozenset:
    """``{("mois", 12)}`` for « 1 an d'expérience »: the durations and counts a label states."""
    amounts = set()
    for number, unit in _AMOUNT.findall(label):
        value = int(number) if number.isdigit() else _WORDS[number.lower()]
        name, factor = _UNITS[unit.lower()]
        amounts.add((name, value * factor))
    return frozenset(amounts)


def _shown(amount: tuple) -> str:
    unit, value = amount
    if unit == "mois" and value % 12 == 0:
        years = value // 12
        return f"{years} an{'s' if years > 1 else ''}"
    return f"{value} {unit}" if unit != "nombre" else str(value)


def label_warning(label: str, condition, questions: dict) -> str | None:
    """A French sentence when the label's amounts differ from the condition's; else None."""
    said, meant = label_amounts(label), condition.quantities(questions)
    # A count without unit (``at_least`` on a question without unit) cannot be read in prose.
    meant_checked = {amount for amount in meant if amount[0] != "nombre"}
    if said == meant_checked or (not meant_checked and not said & meant):
        return None
    extra = sorted(said - meant)
    missing = sorted(meant_checked - said)
    parts = []
    if extra:
        parts.append("le libellé dit " + ", ".join(f"« {_shown(a)} »" for a in extra))
    if missing:
        parts.append("il ne dit pas " + ", ".join(f"« {_shown(a)} »" for a in missing))
    return (" ; ".join(parts) + f", alors que la condition vérifie : {condition.describe(questions)}. "
            "Corrigez le libellé ou la condition.")


def _rules(data: dict) -> list[tuple[tuple, dict]]:
    rules = [(("admission", "paths", i), path) for i, path in enumerate(data["admission"]["paths"])]
    if data["admission"].get("requirement"):
        rules.append((("admission", "requirement"), data["admission"]["requirement"]))
    grounds = (data.get("exemptions") or {}).get("grounds") or ()
    return rules + [(("exemptions", "grounds", i), ground) for i, ground in enumerate(grounds)]


def label_warnings(data: dict) -> list[tuple[tuple, str]]:
    """(path, sentence) for every admission or exemption rule whose label disagrees with its
    condition. ``data`` is a programme that passed validation."""
    questions = questions_by_key(data)
    warnings = []
    for path, rule in _rules(data):
        sentence = label_warning(rule["label"], build_condition(rule["condition"]), questions)
        if sentence:
            warnings.append((path + ("label",), sentence))
    return warnings


SECTIONS = {"paths": "Conditions d'accès (une suffit)", "requirement": "Exigence dans tous les cas",
            "grounds": "Motifs de dispense"}


def rule_descriptions(data: dict) -> list[tuple[str, list[tuple[str, str, str | None]]]]:
    """Per section, each rule's (label, condition in French, warning or None): for staff to read."""
    questions = questions_by_key(data)
    sections: dict[str, list] = {}
    for path, rule in _rules(data):
        condition = build_condition(rule["condition"])
        sections.setdefault(SECTIONS[path[1]], []).append(
            (rule["label"], condition.describe(questions), label_warning(rule["label"], condition, questions)))
    return list(sections.items())
