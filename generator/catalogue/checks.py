"""Checks that need more than the shape: references, duplicates, sums, rules over questions."""
from __future__ import annotations

from collections import Counter

from ..rules.conditions import condition_problems
from ..rules.kinds import field_owners, kind_of
from ..rules.model import question_from_data
from ..rules.suggest import did_you_mean
from .registers import REGISTERS, fiche, fiche_code
from .schema import DURATION_FIELDS


def programme_problems(data: dict, expected_id: str, faulty: list[tuple] = ()) -> list[tuple[tuple, str]]:
    """(path, sentence) pairs. ``faulty`` holds the paths of the shape check's faults: each check
    below runs unless one of them lies in what it reads, so that a fault in one part (a misspelt
    field in a module) does not hide the faults of another (a rule naming an unknown question)."""
    def readable(*parts: tuple) -> bool:   # no fault inside a part, nor around it (the part itself misshapen)
        return not any(fault[:len(part)] == part or part[:len(fault)] == fault for fault in faulty for part in parts)

    problems: list[tuple[tuple, str]] = []
    if readable(("id",)) and data["id"] != expected_id:
        problems.append((("id",), f"l'identifiant « {data['id']} » doit être le nom du fichier, « {expected_id} »."))
    questions = _questions(data, problems) if readable(("questions",), ("access_duration_months",)) else None
    if questions is not None and readable(("admission",)):
        problems += _admission_problems(data, questions)
    if questions is not None and readable(("exemptions", "grounds")):
        problems += _ground_problems(data, questions)
    if readable(("blocs",), ("exemptions", "grounds")):
        problems += _module_problems(data)
    if readable(("routes",)):
        problems += _duplicates(data.get("routes") or [], lambda r: r["id"], ("routes",), "la voie d'accès")
    if isinstance(data.get("blocs"), list):
        problems += _hour_problems(data, lambda index: readable(("blocs", index)), readable(("hours",), ("blocs",)))
    if readable(("certification",), ("exemptions",)):
        problems += _certification_problems(data)
    problems += _kind_problems(data, with_questions=questions is not None)
    return problems


def _kind_problems(data: dict, with_questions: bool) -> list[tuple[tuple, str]]:
    """What a programme of any kind must say once: how it ends, how long it lasts, its rhythm."""
    problems = []
    if "certification" not in data and "attestation" not in data:
        problems.append(((), "un programme sans « certification » doit nommer l'« attestation » remise en fin "
                             "de formation (ex. « Attestation de formation »)."))
    durations = [name for name in DURATION_FIELDS if name in data]
    for name in durations[1:]:
        problems.append(((name,), f"la durée est déjà donnée par « {durations[0]} » : gardez un seul champ parmi "
                                  + ", ".join(DURATION_FIELDS) + "."))
    places = data.get("places") if isinstance(data.get("places"), list) else []
    mode = data.get("course_mode")
    if mode == "présentiel" and "distance" in places:
        problems.append((("places",), "« distance » contredit « course_mode: présentiel » : choisissez mixte "
                                      "ou retirez « distance »."))
    if mode == "distance" and set(places) - {"distance"}:
        problems.append((("places",), "un lieu en présentiel contredit « course_mode: distance » : choisissez "
                                      "mixte ou ne gardez que « distance »."))
    rhythm = data.get("rhythm") if isinstance(data.get("rhythm"), dict) else {}  # shape checked elsewhere
    if rhythm.get("practice_days_per_week") and not rhythm.get("practice_place"):
        problems.append((("rhythm",), "des jours de pratique (« practice_days_per_week ») demandent « practice_place » : "
                                      "où se passent-ils (ex. « en entreprise ») ?"))
    for index, question in enumerate(data["questions"] if with_questions else ()):
        problems += [(("questions", index) + path, sentence)
                     for path, sentence in kind_of(question).programme_problems(question, data)]
    return problems


def _duplicates(items, key, path, what) -> list[tuple[tuple, str]]:
    counts = Counter(key(item) for item in items)
    seen, problems = set(), []
    for index, item in enumerate(items):
        value = key(item)
        if counts[value] > 1 and value in seen:
            problems.append((path + (index,), f"{what} « {value} » figure déjà plus haut : chaque identifiant doit être unique."))
        seen.add(value)
    return problems


def _questions(data: dict, problems: list) -> dict:
    declared = data["questions"]
    problems += _duplicates(declared, lambda q: q["key"], ("questions",), "la clé de question")
    owners = field_owners()
    faulty: set[int] = set()   # questions whose kind fields are wrong: their values are not checked
    for index, question in enumerate(declared):
        where = ("questions", index)
        kind = kind_of(question)
        for name, kinds in owners.items():
            if name in question and kind.name not in kinds:
                problems.append((where + (name,), f"« {name} » ne va qu'avec le type {' ou '.join(kinds)}, pas {kind.name}."))
        missing = [name for name in kind.required if name not in question]
        if missing:
            problems.append((where, f"une question de type {kind.name} doit donner "
                                    + " et ".join(f"« {name} »" for name in missing) + "."))
        own = [(where + path, sentence) for path, sentence in kind.check(question, data)]
        if missing or own:
            faulty.add(index)
        problems += own
    problems += _default_cycles(declared)
    questions: dict = {}
    for index, question in enumerate(declared):  # a duplicate key (reported above) must not hide the first declaration
        model = question_from_data(question, data)
        questions.setdefault(question["key"], _Unchecked(model) if index in faulty else model)
    return questions


class _Unchecked:
    """A question whose own fields are faulty (reported): conditions may name it, their values
    are not checked against it."""

    def __init__(self, question):
        self.key, self.type, self.short = question.key, question.type, question.short

    def value_fault(self, value):
        return None


def _default_cycles(declared) -> list[tuple[tuple, str]]:
    base = {q["key"]: kind_of(q).default_source(q) for q in declared if kind_of(q).default_source(q) is not None}
    problems = []
    for index, question in enumerate(declared):
        seen, key = [], question["key"]
        while key in base and key not in seen:
            seen.append(key)
            key = base[key]
        if key in seen and key == question["key"]:
            problems.append((("questions", index, "default"), "les valeurs par défaut se citent en boucle : " + " → ".join(seen + [key]) + "."))
    return problems


def _ground_problems(data: dict, questions: dict) -> list[tuple[tuple, str]]:
    """Exemption grounds: unique identifiers, conditions on declared questions."""
    problems = []
    grounds = (data.get("exemptions") or {}).get("grounds") or []
    problems += _duplicates(grounds, lambda g: g["id"], ("exemptions", "grounds"), "le motif de dispense")
    for index, ground in enumerate(grounds):
        problems += [(("exemptions", "grounds", index, "condition") + p, s)
                     for p, s in condition_problems(ground["condition"], questions)]
    return problems


def _admission_problems(data: dict, questions: dict) -> list[tuple[tuple, str]]:
    """Admission paths and requirement: unique identifiers, conditions on declared questions."""
    problems = []
    admission = data["admission"]
    rules = list(admission["paths"]) + ([admission["requirement"]] if "requirement" in admission else [])
    problems += _duplicates(rules, lambda r: r["id"], ("admission", "paths"), "la condition d'accès")
    for index, path in enumerate(admission["paths"]):
        problems += [(("admission", "paths", index, "condition") + p, s)
                     for p, s in condition_problems(path["condition"], questions)]
    if "requirement" in admission:
        problems += [(("admission", "requirement", "condition") + p, s)
                     for p, s in condition_problems(admission["requirement"]["condition"], questions)]
    return problems


def _module_problems(data: dict) -> list[tuple[tuple, str]]:
    """Modules: unique identifiers, exemption grounds that exist and are each cited."""
    problems = []
    exemptions = data.get("exemptions") or {}
    grounds = exemptions.get("grounds") or []
    known = [g["id"] for g in grounds]
    used = set()
    modules = [(b_index, m_index, module) for b_index, bloc in enumerate(data["blocs"])
               for m_index, module in enumerate(bloc["modules"])]
    ids = Counter(module["id"] for _, _, module in modules)
    seen = set()
    for b_index, m_index, module in modules:
        where = ("blocs", b_index, "modules", m_index)
        if ids[module["id"]] > 1 and module["id"] in seen:
            problems.append((where + ("id",), f"le module « {module['id']} » existe déjà plus haut : chaque identifiant doit être unique."))
        seen.add(module["id"])
        for g_index, ground_id in enumerate(module.get("exempted_by") or ()):
            used.add(ground_id)
            if ground_id not in known:
                problems.append((where + ("exempted_by", g_index),
                                 f"le motif de dispense « {ground_id} » n'est pas déclaré dans « exemptions › grounds »"
                                 + ("." if exemptions else " (ce programme n'a pas de partie « exemptions »).")
                                 + did_you_mean(ground_id, known)))
    for index, ground in enumerate(grounds):
        if ground["id"] not in used:
            problems.append((("exemptions", "grounds", index, "id"),
                             f"le motif « {ground['id']} » n'est cité par aucun module (« exempted_by ») : retirez-le ou rattachez-le."))
    problems += _duplicates(data["blocs"], lambda b: b["number"], ("blocs",), "le numéro de bloc")
    return problems


def _hour_problems(data: dict, readable_bloc, readable_total: bool) -> list[tuple[tuple, str]]:
    """Each readable bloc's modules add up to its hours; blocs and evaluations to the total."""
    problems = []
    for index, bloc in enumerate(data["blocs"]):
        if not readable_bloc(index):
            continue
        summed = sum(module["hours"] for module in bloc["modules"])
        if summed != bloc["hours"]:
            detail = " + ".join(str(module["hours"]) for module in bloc["modules"])
            problems.append((("blocs", index, "hours"),
                             f"le bloc {bloc['number']} annonce {bloc['hours']} h mais ses modules font {detail} = {summed} h."))
    if not readable_total:
        return problems
    blocs = sum(bloc["hours"] for bloc in data["blocs"])
    total = data["hours"]["total"]
    evaluations = data["hours"]["evaluations"]
    if blocs + evaluations != total:
        problems.append((("hours", "total"),
                         f"la durée totale annoncée est {total} h, mais blocs ({blocs} h) + évaluations ({evaluations} h) = {blocs + evaluations} h."))
    return problems


def _certification_problems(data: dict) -> list[tuple[tuple, str]]:
    problems = []
    certification = data.get("certification")
    exemptions = data.get("exemptions") or {}
    records = []
    if certification:
        records = [(("certification", "current"), certification["current"])]
        records += [(("certification", "history", i), r) for i, r in enumerate(certification.get("history") or [])]
    references = [(("exemptions", "confirmed_for", i), r) for i, r in enumerate(exemptions.get("confirmed_for") or [])]
    if "established_for" in exemptions:
        references.insert(0, (("exemptions", "established_for"), exemptions["established_for"]))
    for path, record in records + references:
        named = [key for key in REGISTERS if key in record]
        if len(named) != 1:
            problems.append((path, "indiquez le numéro de la fiche, soit « rncp » (Répertoire national), soit « rs » "
                                   "(Répertoire spécifique), un seul des deux."))
    if problems:
        return problems
    fiches = [fiche(record) for _, record in records]
    for index, number in enumerate(fiches[1:]):
        if number in fiches[:index + 1]:
            where = ("certification", "history", index) if number != fiches[0] else ("certification", "current")
            problems.append((where, f"{fiche_code(records[index + 1][1])} figure déjà plus haut dans « certification »."))
    if not certification:
        for path, _ in references:
            problems.append((path, "ce programme n'a pas de « certification » : les règles de dispense ne se "
                                   "rattachent à aucune fiche (retirez ce champ)."))
        return problems
    if exemptions and "established_for" not in exemptions:
        problems.append((("exemptions",), "il manque « established_for » : la fiche (rncp ou rs, et la date de "
                                          "décision) pour laquelle les règles de dispense ont été établies."))
    for path, record in references:
        if fiche(record) not in fiches:
            problems.append((path, f"{fiche_code(record)} n'est ni la fiche en vigueur ni dans l'historique "
                                   "de « certification »."))
    return problems
