"""Merging values edited in a form into a catalogue file as staff wrote it.

The form sends plain values (what a YAML or JSON parser gives: texts, numbers, lists, mappings).
Writing those values out would lose what makes the file readable: comments, key order, quoting,
the lines of a long text, the schema line. So the file is loaded with ruamel.yaml's round-trip
mode and only the values that differ are replaced in that document: an unchanged value keeps
its node (and so its exact text), a changed scalar keeps the style of the one it replaces
(quoted, folded ``>-``), a new key goes where the declarations put it. A field cleared in the
form is written as its declaration wants: ``null`` when it is nullable, removed when it may be
omitted; never ``""``.
"""
from __future__ import annotations

import datetime as _dt
import io

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

from ..catalogue.round_trip import round_trip_yaml
from ..catalogue.shapes import Date, Field, Integer, Nullable, Number, OneOf, Seq, Spec, Struct


FOLD_WIDTH = 92   # the width of the catalogue's folded texts, for a text the file did not have


def is_cleared(value) -> bool:
    """What a form sends for a field left empty."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_empty(value) -> bool:
    """A cleared value, or a list or part holding only cleared values: what a form sends for a part
    left empty (``sessions: null`` comes back as ``[]``, ``price: null`` as ``{total_eur: ""}``)."""
    if isinstance(value, dict):
        return all(is_empty(inner) for inner in value.values())
    if isinstance(value, list):
        return not value
    return is_cleared(value)


def _bare(spec: Spec | None) -> Spec | None:
    while isinstance(spec, Nullable):
        spec = spec.spec
    return spec


def _struct_of(spec: Spec | None) -> Struct | None:
    spec = _bare(spec)
    if isinstance(spec, Struct):
        return spec
    if isinstance(spec, OneOf):
        return next((s for s in map(_bare, spec.specs) if isinstance(s, Struct)), None)
    return None


def _item_of(spec: Spec | None) -> Spec | None:
    spec = _bare(spec)
    return spec.item if isinstance(spec, Seq) else None


def coerce(spec: Spec | None, value):
    """A form's value as the declaration reads it: a date as a date (written without quotes), a
    whole number typed as text or as 12.0 as an integer. Anything else is left for validation."""
    spec = _bare(spec)
    if isinstance(spec, Date) and isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    if isinstance(spec, (Integer, Number)) and not isinstance(value, bool):
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", "."))
            except ValueError:
                return value
        if isinstance(value, float) and (value.is_integer() or isinstance(spec, Integer)):
            return int(value) if value.is_integer() else value
    return value


def _same(old, new) -> bool:
    """Equal as values (a date and its ISO text, 12 and 12.0), so that an untouched value keeps
    its node; ``True`` and ``1`` differ."""
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, _dt.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    return old == new


def _styled_like(old, new):
    """``new`` written as ``old`` was: a folded or quoted text stays folded or quoted."""
    if isinstance(old, ScalarString) and isinstance(new, str) and not isinstance(new, ScalarString):
        styled = type(old)(new)
        if getattr(old, "fold_pos", None) is not None:
            styled.fold_pos = fold_positions(new, _longest_line(old))
        return styled
    return new


def _longest_line(folded: str) -> int:
    """The width staff folded a ``>-`` text at: its longest line."""
    cuts = [0, *(position + 1 for position in folded.fold_pos), len(folded)]
    return max(end - start for start, end in zip(cuts, cuts[1:]))


def fold_positions(text: str, width: int) -> list[int]:
    """Where to fold ``text`` (positions of spaces) so that no line is longer than ``width`` when a
    word allows it: a changed ``>-`` text keeps the width staff wrote it at."""
    positions, start, previous = [], 0, None
    for index, char in enumerate(text):
        if char == "\n":
            start, previous = index + 1, None
        elif char == " ":
            if index - start > width and previous is not None:
                positions.append(previous)
                start = previous + 1
            previous = index
    if len(text) - start > width and previous is not None and previous >= start:
        positions.append(previous)
    return positions


def _fresh(spec: Spec | None, value):
    """A value the file did not have, built from the form's plain data (cleared parts left out)."""
    if isinstance(value, dict):
        struct = _struct_of(spec)
        node = CommentedMap()
        for key, inner in value.items():
            field = struct.fields.get(key) if struct else None
            if is_cleared(inner):
                if field is not None and isinstance(field.spec, Nullable) and field.required:
                    node[key] = None
                continue
            node[key] = _fresh(field.spec if field else None, inner)
        return node
    if isinstance(value, list):
        item = _item_of(spec)
        return CommentedSeq([_fresh(item, inner) for inner in value])
    if isinstance(value, str) and len(value) > FOLD_WIDTH and "\n" not in value:
        folded = FoldedScalarString(value)   # a long text written as staff write them: after >-
        folded.fold_pos = fold_positions(value, FOLD_WIDTH)
        return folded
    return coerce(spec, value)


def merge_value(old, new, spec: Spec | None):
    """``new`` put in place of ``old`` (a node of the round-trip document), keeping what did not change."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        merge_mapping(old, new, _struct_of(spec))
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        merge_sequence(old, new, _item_of(spec))
        return old
    new = coerce(spec, new)
    if _same(old, new):
        return old
    if isinstance(new, (dict, list)):
        return _fresh(spec, new)
    return _styled_like(old, new)


def merge_sequence(old: CommentedSeq, new: list, item: Spec | None) -> None:
    """Items merged position by position; items added at the end or removed from it."""
    for index, value in enumerate(new):
        if index < len(old):
            old[index] = merge_value(old[index], value, item)
        elif old and isinstance(value, str):   # written as the items before it (quoted, folded)
            old.append(_styled_like(old[-1], coerce(item, value)))
        else:
            old.append(_fresh(item, value))
    del old[len(new):]


def _cleared_field(node: CommentedMap, key, field: Field | None) -> None:
    """A field the form left empty: null when its declaration allows it, else removed when it may
    be omitted; a required one is kept empty (« ne doit pas être vide » then says so)."""
    if field is not None and isinstance(field.spec, Nullable):
        node[key] = None
    elif field is None or not field.required:
        _remove(node, key)
    else:
        node[key] = ""


def merge_mapping(node: CommentedMap, new: dict, struct: Struct | None) -> None:
    fields = struct.fields if struct else {}
    for key in [k for k in node if k not in new]:   # removed in the form
        _remove(node, key)
    for key, value in new.items():
        field = fields.get(key)
        spec = field.spec if field else None
        if key in node:
            if node[key] is None and is_empty(value):
                continue
            if is_cleared(value):
                if node[key] is not None:
                    _cleared_field(node, key, field)
            else:
                node[key] = merge_value(node[key], value, spec)
        elif not is_empty(value):
            node.insert(_position(node, key, list(fields)), key, _fresh(spec, value))


def _last_leaf(container, key):
    """(container, key) of the last scalar written under ``container[key]``: the comment lines
    after a value belong, in ruamel, to the last value written before them."""
    value = container[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        container, key = value, (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1)
        value = container[key]
    return container, key


def _trailing_comment(container, key):
    slots = container.ca.items.get(key)
    slot = 2 if isinstance(container, CommentedMap) else 0
    return slots[slot] if slots and len(slots) > slot else None


def _remove(node: CommentedMap, key) -> None:
    """Remove ``key`` but keep the comment lines written after its value (they introduce what
    follows): they move to the value before it."""
    keys = list(node)
    comment = _trailing_comment(*_last_leaf(node, key))
    position = keys.index(key)
    del node[key]
    node.ca.items.pop(key, None)
    # A comment on the removed line itself (« key: value   # … ») goes with it; the lines after stay.
    following = comment.value.partition("\n")[2] if comment is not None else ""
    if position == 0 or "#" not in following:
        return
    container, leaf = _last_leaf(node, keys[position - 1])
    existing = _trailing_comment(container, leaf)
    text = following[following.index("#"):]
    text = text[:text.rindex("\n") + 1] if "\n" in text else text + "\n"
    if existing is not None:
        existing.value = existing.value + text
    else:
        comment.value = "\n" + text
        slot = 2 if isinstance(container, CommentedMap) else 0
        slots = container.ca.items.setdefault(leaf, [None] * (4 if slot == 2 else 2))
        slots[slot] = comment


def _position(node: CommentedMap, key, order: list) -> int:
    """Where a new key goes: after the last key the declarations put before it."""
    if key not in order:
        return len(node)
    before = set(order[:order.index(key)])
    position = 0
    for index, existing in enumerate(node):
        if existing in before:
            position = index + 1
    return position


def merged_text(original: str, values: dict, struct: Struct) -> str:
    """The file's text with ``values`` (the whole document, as the form holds it) merged in."""
    yaml = round_trip_yaml()
    document = yaml.load(original) if original.strip() else None
    header = ""
    if not isinstance(document, CommentedMap):   # a new file: its comment lines (the schema line) first
        document, header = CommentedMap(), "".join(line + "\n" for line in original.splitlines()
                                                   if line.startswith("#"))
    merge_mapping(document, values, struct)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return header + buffer.getvalue()
