"""``rncp update``: the newest fiche's data written into a programme's catalogue file.

The file is edited with ruamel.yaml's round-trip mode, so comments and key order stay. Only
``certification`` (and ``data_date``) change: the previous current record moves to the front of
``certification.history`` with ``replaced_by``. Exemption rules and modules are never edited:
the command says what staff must review. The file is replaced through ``generator.safe_write``:
under a lock, the new text is checked as the catalogue would check it *before* it replaces
anything, the previous version is kept as ``NAME.yaml.bak``, and an interruption leaves the old
file or the new one, never a third state.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..catalogue import check_programme_file, load_catalogue
from ..catalogue.round_trip import round_trip_yaml
from ..errors import UsageError
from ..safe_write import kept_file
from ..catalogue.view import Fiche as CatalogueFiche
from ..french import french_date
from .compare import FIELD_LABELS, blocs_to_review, changed_blocs, collect_fiches, record_fields, shown_value
from .fiche import Fiche

RECORD_ORDER = ("rncp", "title", "level", "nsf", "registered_on", "decision_date", "end_date",
                "delivery_deadline", "blocs", "replaced_by", "source")
_FILE_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def export_date(export: Path) -> tuple[_dt.date, str]:
    """The export's date: from its name (the daily files carry it), else the file's date."""
    match = _FILE_DATE.search(export.name)
    if match:
        try:
            return _dt.date(*(int(part) for part in match.groups())), "export"
        except ValueError:
            pass
    return _dt.date.fromtimestamp(export.stat().st_mtime), "fichier"


def source_text(export: Path, fiche: Fiche) -> str:
    day, kind = export_date(export)
    when = f"du {french_date(day)}" if kind == "export" else f"(fichier daté du {french_date(day)})"
    return (f"Fiche RNCP {fiche.number} de l'export du RNCP de France compétences « {export.name} » {when}, "
            "importée par « python -m generator rncp update ».")


def _plain_date(value):
    return _dt.date.fromisoformat(value) if isinstance(value, str) else value


def _flow_seq(items) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def new_values(fiche: Fiche, export: Path) -> dict:
    fields = record_fields(fiche)
    values = {"rncp": fiche.number}
    for name, value in fields.items():
        if name == "nsf":
            value = _flow_seq([DoubleQuotedScalarString(code) for code in value or []])
        elif name in ("registered_on", "decision_date", "end_date", "delivery_deadline"):
            value = _plain_date(value)
        values[name] = value
    if fiche.blocs:  # an export without blocs does not say there are none: nothing written
        blocs = CommentedSeq()
        for bloc in fiche.blocs:
            entry = CommentedMap(code=bloc.code, title=bloc.title)
            entry.fa.set_flow_style()
            blocs.append(entry)
        values["blocs"] = blocs
    values["source"] = source_text(export, fiche)
    return values


def _set_in_order(record: CommentedMap, values: dict) -> None:
    """Write ``values`` into ``record`` in place (its comments stay), keys in RECORD_ORDER."""
    for key, value in values.items():
        if key in record:
            record[key] = value
            continue
        later = [k for k in RECORD_ORDER[RECORD_ORDER.index(key) + 1:] if k in record]
        position = list(record).index(later[0]) if later else len(record)
        record.insert(position, key, value)


def _history_record(record: CommentedMap, replaced_by: int) -> CommentedMap:
    moved = CommentedMap()
    for key, value in record.items():
        moved[key] = value
    moved.pop("replaced_by", None)
    _set_in_order(moved, {"replaced_by": replaced_by})
    return moved


def run_update(catalogue_dir, export, programme_id: str, today: _dt.date, out) -> int:
    export = Path(export)
    catalogue = load_catalogue(catalogue_dir)
    try:
        entry = catalogue.programme(programme_id)
    except KeyError as error:
        raise UsageError(error.args[0]) from None
    from .compare import not_in_rncp, rncp_number
    if rncp_number(entry) is None:
        print(f"{programme_id} : {not_in_rncp(entry)}, pas de fiche RNCP à mettre à jour ; rien n'a été modifié.", file=out)
        return 1
    number = rncp_number(entry)
    index = collect_fiches(export, {number})   # the slow part, before the lock is taken
    with kept_file(entry.source.path) as target:
        # Read again under the lock: another update may have run while this one waited.
        entry = load_catalogue(catalogue_dir).programme(programme_id)
        if rncp_number(entry) != number:
            number = rncp_number(entry)
            if number is None:
                print(f"{programme_id} : {not_in_rncp(entry)}, pas de fiche RNCP à mettre à jour ; rien n'a été modifié.", file=out)
                return 1
            index = collect_fiches(export, {number})
        return _update_locked(target, entry, export, number, index, today, out)


def _update_locked(target, entry, export: Path, number: int, index, today: _dt.date, out) -> int:
    programme_id = entry.id
    if number not in index.fiches:
        print(f"RNCP {number} (fiche en vigueur de {programme_id}) est absente de l'export « {export} » : "
              "rien n'a été modifié. Vérifiez le numéro et l'export.", file=out)
        return 1
    chain, ambiguous = index.chain(number)
    if ambiguous:
        print(f"RNCP {chain[-1]} est remplacée par plusieurs fiches ("
              + ", ".join(f"RNCP {n}" for n in ambiguous)
              + ") : rien n'a été modifié ; choisissez la fiche visée et mettez le catalogue à jour à la main.", file=out)
        return 1
    missing = [n for n in chain if n not in index.fiches]
    if missing:
        print(f"RNCP {missing[0]} (qui remplace RNCP {number}) est absente de l'export : rien n'a été modifié.", file=out)
        return 1
    newest = index.fiches[chain[-1]]

    path = entry.source.path
    if target.original is None:
        print(f"{entry.source.shown} a disparu pendant la commande : rien n'a été écrit.", file=out)
        return 1
    before, values, text = _updated_text(target.original.decode("utf-8"), number, newest, chain, index, export, today)
    try:
        backup = target.replace(text.encode("utf-8"), validate=lambda written: _refuse_if_invalid(written, path))
    except _WouldBeInvalid as invalid:
        print("La mise à jour rendrait le catalogue invalide ; le fichier n'a pas été modifié :", file=out)
        for problem in invalid.problems:
            print(f"  {problem}", file=out)
        return 1

    _report(out, entry, path, number, newest, chain, before, values)
    if backup:
        print(f"  Version précédente gardée dans « {backup.name} » (à côté du fichier).", file=out)
    return 0


class _WouldBeInvalid(Exception):
    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def _refuse_if_invalid(written: Path, path: Path) -> None:
    problems = check_programme_file(written, as_path=path)
    if problems:
        raise _WouldBeInvalid(problems)


def _updated_text(original: str, number: int, newest: Fiche, chain, index, export: Path, today: _dt.date):
    """(the current record's values before, the values written, the new text of the file)."""
    yaml = round_trip_yaml()
    tree = yaml.load(original)
    certification = tree["certification"]
    record = certification["current"]
    before = {key: record.get(key) for key in RECORD_ORDER}
    values = new_values(newest, export)
    if newest.number == number:
        # Same fiche: what the export does not know stays as recorded.
        values = {key: value for key, value in values.items()
                  if value is not None and value != [] or key in ("rncp", "source")}
    else:
        history = certification.get("history")
        if history is None:
            certification["history"] = history = CommentedSeq()
        moved = [_history_record(record, chain[1])]
        for older, newer in zip(chain[1:-1], chain[2:]):
            older_record = CommentedMap(new_values(index.fiches[older], export))
            older_record["replaced_by"] = newer
            moved.insert(0, older_record)
        for stale in [i for i, item in enumerate(history) if item.get("rncp") in chain]:
            del history[stale]
        for item in moved:
            history.insert(0, item)
        record.pop("replaced_by", None)
        for key in [k for k in record if k not in values and k in RECORD_ORDER]:
            record[key] = None
    _set_in_order(record, values)
    tree["data_date"] = today
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    return before, values, buffer.getvalue()


def _report(out, entry, path, number, newest: Fiche, chain, before: dict, values: dict) -> None:
    data = entry.view.data
    shown = entry.source.shown
    if newest.number != number:
        print(f"{shown} : la fiche en vigueur passe de RNCP {number} à RNCP {newest.number} ; RNCP {number} "
              "est placée en tête de « certification › history ».", file=out)
    else:
        print(f"{shown} : fiche en vigueur RNCP {number}, mise à jour depuis l'export.", file=out)
    changed = False
    for key, label in FIELD_LABELS.items():
        old = before.get(key)
        new = values.get(key, old) if newest.number == number else values.get(key)
        old_plain = [str(v) for v in old] if isinstance(old, list) else (str(old) if isinstance(old, _dt.date) else old)
        new_plain = [str(v) for v in new] if isinstance(new, list) else (str(new) if isinstance(new, _dt.date) else new)
        if old_plain != new_plain:
            changed = True
            print(f"  - {label} : {shown_value(old_plain)} → {shown_value(new_plain)}", file=out)
    if not changed and newest.number == number:
        print("  Aucune donnée de la fiche n'a changé (seule la source a été réécrite).", file=out)

    recorded_blocs = data["certification"]["current"].get("blocs")
    if newest.blocs and recorded_blocs is None:
        print(f"  - blocs : {len(newest.blocs)} bloc(s) de RNCP {newest.number} enregistrés ("
              + ", ".join(b.code or "?" for b in newest.blocs) + ").", file=out)
    blocs_changed = changed_blocs(recorded_blocs, newest) if recorded_blocs is not None else []
    if blocs_changed:
        print("  Les blocs de compétences ont changé :", file=out)
        for _, sentence in blocs_changed:
            print(f"    - {sentence}", file=out)
        modules, grounds = blocs_to_review(data, [key for key, _ in blocs_changed])
        print(f"  À revoir par l'équipe dans {shown} : les modules " + (", ".join(modules) or "(aucun)")
              + " et les règles de dispense (« exemptions › grounds ») qui s'y appliquent : "
              + (", ".join(grounds) or "aucune") + ".", file=out)
    elif newest.number != number and recorded_blocs is None:
        print(f"  Le catalogue n'enregistrait pas les blocs de RNCP {number} : comparez les blocs de RNCP "
              f"{newest.number} (« python -m generator rncp show EXPORT {newest.number} ») avec les blocs et "
              f"modules de {shown}, et les règles de dispense « exemptions › grounds ».", file=out)
    rules = entry.view.exemptions
    if rules and not rules.confirmed(CatalogueFiche("rncp", newest.number)):
        print(f"  À faire par l'équipe : les règles de dispense ont été établies pour {rules.established_for.code} ; "
              f"confirmez qu'elles valent pour RNCP {newest.number}, puis ajoutez « {{rncp: {newest.number}, "
              f"confirmed_on: AAAA-MM-JJ, by: qui a confirmé}} » à « exemptions › confirmed_for » dans {shown}.", file=out)
    elif rules:
        print("  Rappel : « exemptions › established_for » et « exemptions › confirmed_for » sont confirmés par "
              "l'équipe, jamais par cette commande.", file=out)
    print("  Cette commande n'a modifié ni « exemptions » ni les modules. Ensuite : "
          "« python -m generator validate » puis « scripts/dev build ».", file=out)
