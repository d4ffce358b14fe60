"""A catalogue file's values as the editor's form holds them, and back.

The form knows texts, numbers, booleans, lists and nested fields. A part it cannot express (a
condition tree, a value that may take several shapes: ``editor_config.is_free_text``) travels as
YAML text and is read back on save: a text that is not YAML is refused with a sentence naming
the field, never dropped.
"""
from __future__ import annotations

import datetime as _dt
import io

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..catalogue.editor_config import bare, is_free_text
from ..catalogue.shapes import Seq, Spec, Struct
from .save import SaveRefused


def _yaml_text(value) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    buffer = io.StringIO()
    yaml.dump(_plain(value), buffer)
    text = buffer.getvalue()
    return text[:-len("...\n")].rstrip("\n") if text.endswith("...\n") else text.rstrip("\n")


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def to_form(spec: Spec | None, value):
    """The file's plain value (``yaml_source.to_plain``) as the form shows it."""
    if spec is not None and is_free_text(spec):
        return None if value is None else _yaml_text(value)
    spec = bare(spec) if spec is not None else None
    if isinstance(value, dict):
        fields = spec.fields if isinstance(spec, Struct) else {}
        return {k: to_form(fields[k].spec if k in fields else None, v) for k, v in value.items()}
    if isinstance(value, list):
        item = spec.item if isinstance(spec, Seq) else None
        return [to_form(item, v) for v in value]
    return value


def from_form(spec: Spec | None, value, path: tuple = ()):
    """The form's value as the file's: YAML texts read back (a bad one refused, naming its field)."""
    if spec is not None and is_free_text(spec):
        if not isinstance(value, str) or not value.strip():
            return value
        try:
            return _plain(YAML(typ="safe", pure=True).load(value))
        except YAMLError as error:
            where = " › ".join(str(p + 1) if isinstance(p, int) else str(p) for p in path)
            mark = getattr(error, "problem_mark", None)
            line = f" (ligne {mark.line + 1} du texte)" if mark else ""
            raise SaveRefused(f"[{where}] ce texte n'est pas du YAML lisible{line} : corrigez-le (voir la référence, "
                              "« Conditions »). Rien n'a été écrit.") from None
    spec = bare(spec) if spec is not None else None
    if isinstance(value, dict):
        fields = spec.fields if isinstance(spec, Struct) else {}
        return {k: from_form(fields[k].spec if k in fields else None, v, path + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        item = spec.item if isinstance(spec, Seq) else None
        return [from_form(item, v, path + (i,)) for i, v in enumerate(value)]
    return _plain(value)
