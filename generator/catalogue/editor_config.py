"""The configuration of the browser editor (Decap CMS, under ``serve`` at ``/admin/``), generated
from the field declarations (``schema.py``, ``schema_publishing.py``, the kinds' ``KindField``s)
as ``reference.py`` generates the reference and the JSON Schemas: never written by hand.

Each field becomes a form widget: its name as label, its meaning and example as hint, whether it
is required, its range (``min``/``max``), its choices (``select``), its pattern. What a form cannot
express (a condition tree, a value that may take several shapes: ``OneOf``) becomes a text box
holding that part in YAML, checked on save (``FREE_TEXT``: see ``generator/editor/form_values.py``).
"""
from __future__ import annotations

from .schema import ORGANISATION, PROGRAMME
from .shapes import (Anything, Boolean, Date, Field, Integer, Literal, Nullable, Number, OneOf, Pattern, Seq, Siret,
                     Spec, Struct, Text)

EDITOR_CONFIG = "editor.config.json"   # in catalogue/schema/, served as /admin/config.yml (JSON is YAML)
API_PATH = "/api/v1"
FREE_TEXT_HINT = "Cette partie s'écrit en YAML (comme dans le fichier), vérifiée à l'enregistrement."


def bare(spec: Spec) -> Spec:
    while isinstance(spec, Nullable):
        spec = spec.spec
    return spec


def is_free_text(spec: Spec) -> bool:
    """A part the form shows as YAML text: a condition, or a value of several shapes."""
    return isinstance(bare(spec), (Anything, OneOf))


def _hint(field: Field) -> str:
    hint = field.meaning.strip()
    if field.example.strip():
        hint += f" Exemple : {field.example.strip()}"
    return hint


def _long_text(field: Field) -> bool:
    """A text people write in sentences (its example is long or cut short with « … »)."""
    return len(field.example) > 50 or "…" in field.example


def widget(spec: Spec, field: Field, always: bool = True) -> dict:
    """The Decap widget of a value declared by ``spec`` (without name, label or hint)."""
    nullable = isinstance(spec, Nullable)
    present = always and field.required and not nullable
    spec = bare(spec)
    if is_free_text(spec):
        return {"widget": "text"}
    if isinstance(spec, Struct):
        return {"widget": "object", "collapsed": True, "fields": struct_fields(spec, present)}
    if isinstance(spec, Seq):
        item = bare(spec.item)
        limits = {"min": spec.min_items} if spec.min_items else {}
        if isinstance(item, Literal):
            return {"widget": "select", "multiple": True, "options": list(item.values)} | limits
        if isinstance(item, Struct):
            return {"widget": "list", "collapsed": True, "fields": struct_fields(item)} | limits
        inner = widget(item, field)
        return {"widget": "list", "field": {"name": "valeur", "label": "valeur", **inner}} | limits
    if isinstance(spec, Literal):
        return {"widget": "select", "options": [str(value) for value in spec.values]}
    if isinstance(spec, (Integer, Number)):
        # Decap checks min/max on an empty value too: a nullable number's range is left to the save's check.
        limits = {} if nullable else {"min": spec.minimum, "max": spec.maximum}
        return {"widget": "number", "value_type": "int" if isinstance(spec, Integer) else "float"} | limits
    if isinstance(spec, Boolean):
        return {"widget": "boolean"}
    if isinstance(spec, Date):
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
                "picker_utc": True}
    if isinstance(spec, Siret):
        return {"widget": "string", "pattern": ["^[0-9]{14}$", "14 chiffres, sans espace."]}
    if isinstance(spec, Pattern):
        return {"widget": "string", "pattern": [spec.regex.pattern, f"Doit être {spec.what}."]}
    if isinstance(spec, Text):
        return {"widget": "text" if _long_text(field) else "string"}
    raise TypeError(spec)


def _plain(number) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


def struct_fields(struct: Struct, always: bool = True) -> list[dict]:
    """``always``: the structure is always there (the file itself, a required part, a list's item).
    In a part that may be left out or null, a field required « when the part is there » cannot be
    said to the form (it would refuse the part left empty): it is marked optional, and the
    catalogue's own check, on save, says what is missing."""
    out = []
    for name, field in struct.fields.items():
        hint = _hint(field) + (" " + FREE_TEXT_HINT if is_free_text(field.spec) else "")
        nullable = isinstance(field.spec, Nullable)
        if field.required and not always:
            hint += " Obligatoire quand la partie est remplie."
        if nullable:   # the form cannot send null for a required field: left empty, it is written null
            hint += " Laissé vide : écrit null."
        if nullable and isinstance(bare(field.spec), (Integer, Number)):
            hint += f" Entre {_plain(bare(field.spec).minimum)} et {_plain(bare(field.spec).maximum)}."
        out.append({"name": name, "label": name, "hint": hint, "required": field.required and always and not nullable,
                    **widget(field.spec, field, always)})
    return out


def editor_config() -> dict:
    """Decap's whole configuration: the programmes (a folder) and the organisation (one file),
    saved through ``serve``'s own API (``generator/editor/api.py``)."""
    return {
        "locale": "fr",
        "backend": {"name": "proxy", "proxy_url": API_PATH, "branch": "main"},
        "publish_mode": "simple",
        "media_folder": "docs/documents",
        "public_folder": "/documents",
        "site_url": "/",
        "display_url": "/",
        "search": False,
        "collections": [
            {"name": "programmes", "label": "Programmes", "label_singular": "programme",
             "description": "Un fichier par programme (catalogue/<identifiant>.yaml). Chaque enregistrement est "
                            "vérifié avec tout le catalogue avant d'être écrit ; les commentaires du fichier restent.",
             "folder": "catalogue", "extension": "yaml", "format": "yaml", "create": True, "delete": False,
             "identifier_field": "title", "slug": "{{fields.id}}", "summary": "{{title}} ({{id}})",
             "editor": {"preview": False}, "fields": struct_fields(PROGRAMME)},
            {"name": "organisme", "label": "Organisme", "editor": {"preview": False}, "delete": False,
             "files": [{"name": "organisation", "label": "L'organisme (organisation.yaml)",
                        "file": "catalogue/organisation.yaml", "fields": struct_fields(ORGANISATION)}]},
        ],
    }


def free_text_paths(struct: Struct = PROGRAMME, prefix: str = "") -> list[str]:
    """The fields a form cannot edit as fields, shown as YAML text (for the staff guide)."""
    found = []
    for name, field in struct.fields.items():
        path = f"{prefix}{name}"
        spec = bare(field.spec)
        if is_free_text(spec):
            found.append(path)
            continue
        while isinstance(spec, Seq):
            path, spec = path + "[]", bare(spec.item)
        if isinstance(spec, Struct):
            found += free_text_paths(spec, path + ".")
    return found
