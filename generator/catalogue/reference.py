"""The staff reference of the catalogue format and its JSON Schema, both generated from ``schema.py``.

``python -m generator reference`` writes ``catalogue/REFERENCE.md`` (every field: type,
required or not, meaning, example; each read from the field's declaration, and for the fields and
condition operators a question kind brings, from the kind: ``rules/kinds/``) and, in ``catalogue/schema/``,
the JSON Schema files that each catalogue file names in its first line
(``# yaml-language-server: $schema=schema/programme.schema.json``), so editors complete and check
fields while staff type, and the browser editor's configuration (``editor_config.py``).
``--check`` only says whether the committed files are up to date.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..rules.conditions import COMPOSITES, leaf_operators
from .schema import ANSWER_KEY, CERTIFICATION_RECORD, ORGANISATION, PROGRAMME, SLUG
from .schema import RULE as RULE_SPEC
from .shapes import (Anything, Boolean, Date, Field, Integer, Literal, Nullable, Number, OneOf, Pattern, Seq, Siret,
                     Spec, Struct, Text)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_FILE = Path("catalogue") / "REFERENCE.md"   # beside the files staff edit; not a site page
SCHEMA_FOLDER = Path("catalogue") / "schema"
PROGRAMME_SCHEMA, ORGANISATION_SCHEMA = "programme.schema.json", "organisation.schema.json"
SCHEMA_COMMENT = "# yaml-language-server: $schema=schema/{name}"

# Structures used in several places: documented once, referenced elsewhere.
RECORD, RULE = "record", "rule"
NAMED = {id(CERTIFICATION_RECORD): RECORD, id(RULE_SPEC): RULE}
NAMED_TITLES = {RECORD: "Fiche d'un répertoire (RNCP ou RS)", RULE: "Règle d'accès"}
NAMED_SPECS = {RECORD: CERTIFICATION_RECORD, RULE: RULE_SPEC}

# Conditions (rules/conditions.py): every operator, what it checks, an example.
CONDITION_DOCS: dict[str, tuple[str, str]] = {   # the composites; each leaf operator's words are its kind's
    "all": ("Toutes les conditions de la liste.", "{all: [{…}, {…}]}"),
    "any": ("Au moins une condition de la liste.", "{any: [{…}, {…}]}"),
    "not": ("Le contraire de la condition.", "{not: {answer: french_level, equals: a1}}"),
}

# One worked example per programme kind (paths from the repository's root).
EXAMPLES = [
    ("Certification RNCP, en alternance, avec dispenses", "catalogue/cqp-assistant-medical.yaml"),
    ("Certification RNCP, en alternance, sans dispense", "tests/fixtures/kinds/titre-sans-dispense.yaml"),
    ("Certification au Répertoire spécifique (RS), à distance", "tests/fixtures/kinds/certification-rs-exemple.yaml"),
    ("Formation non certifiante, avec attestation", "tests/fixtures/kinds/fae-assistant-medical.yaml"),
    ("Formation courte (quelques jours), en centre ou sur site", "tests/fixtures/kinds/afgsu-niveau-1.yaml"),
]


def _inner(spec: Spec) -> Spec:
    while isinstance(spec, (Nullable, Seq)):
        spec = spec.spec if isinstance(spec, Nullable) else spec.item
    return spec


def fields(struct: Struct, prefix: str = "", top: bool = True):
    """Every ``(path, Field)`` of a structure, depth first; named structures are not entered
    (except at their own top)."""
    for name, field in struct.fields.items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, field
        spec = field.spec
        while isinstance(spec, (Nullable, Seq)):
            if isinstance(spec, Seq):
                path += "[]"
            spec = spec.spec if isinstance(spec, Nullable) else spec.item
        candidates = spec.specs if isinstance(spec, OneOf) else (spec,)
        for candidate in candidates:
            if isinstance(candidate, Struct) and id(candidate) not in NAMED:
                yield from fields(candidate, path, top=False)


def schema_paths() -> set[str]:
    """Every documented path: the programme's, the named structures', the organisation's."""
    paths = {path for path, _ in fields(PROGRAMME)}
    for name, spec in NAMED_SPECS.items():
        paths |= {f"{name}.{path}" for path, _ in fields(spec)}
    return paths


def undocumented_fields() -> list[str]:
    """Every declared field (programme, shared structures, organisation) without a meaning or an
    example: the reference cannot be written while there is one."""
    declared = [*fields(PROGRAMME), *((f"{name}.{path}", field) for name, spec in NAMED_SPECS.items()
                                      for path, field in fields(spec)), *fields(ORGANISATION)]
    return [path for path, field in declared if not (field.meaning.strip() and field.example.strip())]


# -- the reference (Markdown) -------------------------------------------------------------------

def type_text(spec: Spec) -> str:
    if id(spec) in NAMED:
        name = NAMED[id(spec)]
        return f"[{NAMED_TITLES[name].lower()}](#{name})"
    if isinstance(spec, Nullable):
        return type_text(spec.spec) + " ou null"
    if isinstance(spec, Seq):
        least = f", au moins {spec.min_items}" if spec.min_items else ""
        return f"liste ({type_text(spec.item)}{least})"
    if isinstance(spec, Struct):
        return "tableau de champs"
    if isinstance(spec, Integer):
        return f"nombre entier de {spec.minimum} à {spec.maximum}"
    if isinstance(spec, Literal):
        if len(spec.values) == 1:
            return f"`{spec.values[0]}`"
        return "une valeur parmi : " + ", ".join(f"`{v}`" for v in spec.values)
    if isinstance(spec, OneOf):
        return " ou ".join(type_text(s) for s in spec.specs)
    if isinstance(spec, Number):
        return f"nombre de {_plain(spec.minimum)} à {_plain(spec.maximum)} (décimales après un point)"
    if isinstance(spec, Siret):
        return "numéro SIRET : 14 chiffres entre guillemets (clé de contrôle vérifiée)"
    if isinstance(spec, Pattern):
        if spec.regex is SLUG:
            return "identifiant (minuscules, chiffres et tirets)"
        if spec.regex is ANSWER_KEY:
            return "clé (minuscules, chiffres et _)"
        return _without_article(spec.what)
    if isinstance(spec, Date):
        return "date AAAA-MM-JJ"
    if isinstance(spec, Boolean):
        return "true ou false"
    if isinstance(spec, Text):
        return "texte"
    if isinstance(spec, Anything):
        return "[condition](#conditions)"
    raise TypeError(spec)


def _plain(number) -> str:
    """1000000 -> « 1000000 » (not « 1e+06 »), as the integer bounds are shown."""
    return str(int(number)) if float(number).is_integer() else str(number)


def _without_article(what: str) -> str:
    """« un code FORMACODE de 5 chiffres » -> « code FORMACODE de 5 chiffres », as the other types read."""
    for article in ("un ", "une ", "le ", "la "):
        if what.startswith(article):
            return what[len(article):]
    return what


def field_doc(field: Field, path: str) -> tuple[str, str]:
    """(meaning, example) of a field, as its declaration gives them."""
    if not (field.meaning.strip() and field.example.strip()):
        raise KeyError(f"{path} : signification et exemple manquants (dans la déclaration du champ, "
                       "generator/catalogue/schema.py ou schema_publishing.py)")
    return field.meaning + _lheo_limit(field), field.example


def _lheo_limit(field: Field) -> str:
    """The LHÉO length the field's text must keep to, in words (from ``lheo_text``)."""
    text = field.lheo_text
    if text is None:
        return ""
    if text.lines > 1:
        return f" Export LHÉO : {text.lines} lignes de {text.maximum} caractères au plus, coupées entre les mots."
    size = (f"exactement {text.maximum} caractères" if text.minimum == text.maximum
            else f"{text.maximum} caractères au plus")
    return f" Export LHÉO : {size}" + (" (au-delà, laissé hors de l'export)." if text.optional else ".")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(struct: Struct, prefix: str = "") -> list[str]:
    lines = ["| Champ | Type | Obligatoire | Signification | Exemple |", "|---|---|---|---|---|"]
    for path, field in fields(struct):
        meaning, example = field_doc(field, f"{prefix}{path}")
        shown = path.replace("[]", "[ ]").replace(".", " › ")
        lines.append(f"| `{shown}` | {_cell(type_text(field.spec))} | {'oui' if field.required else 'non'} "
                     f"| {_cell(meaning)} | `{_cell(example)}` |")
    return lines


def _from_reference(path: str) -> str:
    """A repository path as a link from the reference's folder."""
    return os.path.relpath(path, REFERENCE_FILE.parent).replace(os.sep, "/")


def reference_markdown() -> str:
    lines = [
        "# Référence du format du catalogue",
        "",
        "<!-- Généré par « python -m generator reference » depuis les déclarations des champs "
        "(generator/catalogue/schema.py et schema_publishing.py) : ne pas modifier à la main. -->",
        "",
        "Chaque programme est un fichier `catalogue/<identifiant>.yaml` ; l'organisme est décrit dans "
        "`catalogue/organisation.yaml`. Après une modification : `python -m generator validate` (chaque "
        "problème avec son fichier, sa ligne et une phrase), puis `python -m generator build`.",
        "",
        "La première ligne de chaque fichier, `# yaml-language-server: $schema=schema/programme.schema.json`, "
        "relie le fichier à son schéma JSON (`catalogue/schema/`) : un éditeur qui le comprend (VS Code avec "
        "l'extension YAML, par exemple) propose les champs et signale les erreurs pendant la saisie.",
        "",
        "« Obligatoire : non » : le champ peut être omis ; une partie absente n'apparaît pas sur les pages. "
        "« Obligatoire : oui » dans une partie facultative : obligatoire quand la partie est présente. "
        "Les dates s'écrivent AAAA-MM-JJ.",
        "",
        "### Écrire un texte",
        "",
        "- **Décalages** : les champs d'un même bloc commencent tous à la même colonne, avec des espaces "
        "(jamais de tabulation), deux de plus que le champ qui les contient ; les éléments d'une liste "
        "commencent par « - » alignés les uns sous les autres. Une ligne décalée d'un espace de trop ou de "
        "moins change le sens du fichier : `validate` nomme la ligne et dit combien d'espaces mettre.",
        "- **Un texte qui contient « : » suivi d'un espace** (« Partie 1 : les bases ») doit être écrit "
        "entre guillemets droits, sinon YAML y lit une nouvelle clé : `title: \"Partie 1 : les bases\"`. "
        "Un guillemet droit à l'intérieur s'écrit alors `\\\"`. Les apostrophes (l'accueil) ne posent pas de "
        "problème.",
        "- **Un texte long** s'écrit après `>-`, sur les lignes suivantes, décalées de deux espaces de plus "
        "que le champ ; les retours à la ligne y deviennent des espaces, et « : », « - » ou « # » y sont du "
        "texte ordinaire :",
        "",
        "  ```yaml",
        "  summary: >-",
        "    Une formation de 279 heures : seconder le médecin dans les actes simples du soin",
        "    comme dans la gestion du cabinet.",
        "  ```",
        "",
        "- **Une liste de textes** : un élément par ligne, chacun commençant par « - » au même décalage ; "
        "un « - » plus décalé que les autres continue le texte de l'élément au-dessus (`validate` le signale).",
        "",
        "## Exemples, un par type de programme",
        "",
    ]
    lines += [f"- {label} : [`{path}`]({_from_reference(path)})" for label, path in EXAMPLES]
    lines += ["", "## Programme", ""] + _table(PROGRAMME)
    for name, spec in NAMED_SPECS.items():
        lines += ["", f'<a id="{name}"></a>', "", f"## {NAMED_TITLES[name]}", ""] + _table(spec, f"{name}.")
    lines += ["", '<a id="conditions"></a>', "", "## Conditions", "",
              "Une condition porte sur les réponses aux `questions` ; l'auto-évaluation et le tableau des dispenses "
              "appliquent la même. Un libellé (`label`) écrit à côté doit en reprendre les durées : "
              "`validate` avertit sinon (« 2 ans » à côté de `at_least: 12` mois), sans bloquer.", "",
              "| Opérateur | Vérifie | Exemple |", "|---|---|---|"]
    lines += [f"| `{op}` | {_cell(meaning)} | `{_cell(example)}` |" for op, (meaning, example) in condition_docs().items()]
    lines += ["", "## Organisation (`catalogue/organisation.yaml`)", ""] + _table(ORGANISATION)
    return "\n".join(lines) + "\n"


# -- the JSON Schema ---------------------------------------------------------------------------

def condition_docs() -> dict[str, tuple[str, str]]:
    """(meaning, example) of every condition operator: each leaf one from the kind that brings it."""
    leaves = {name: (operator.meaning, operator.example) for name, operator in leaf_operators().items()}
    return leaves | {name: CONDITION_DOCS[name] for name in COMPOSITES}


def _condition_schema() -> dict:
    leaf = {"type": "object", "required": ["answer"], "additionalProperties": False, "properties": {
        "answer": {"type": "string", "description": "La clé d'une question."},
    }}
    operators = leaf_operators()
    leaf["properties"] |= {name: operator.schema | {"description": operator.meaning} for name, operator in operators.items()}
    for operator in operators.values():
        leaf["properties"] |= operator.extra_schema
    composites = [{"type": "object", "required": [name], "additionalProperties": False, "properties": {
        name: ({"$ref": "#/$defs/condition"} if name == "not" else
               {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}) | {"description": CONDITION_DOCS[name][0]}}}
        for name in COMPOSITES]
    return {"description": "Une condition sur les réponses (voir la référence, « Conditions »).",
            "anyOf": [leaf, *composites]}


def json_schema_of(spec: Spec, prefix: str) -> dict:
    if id(spec) in NAMED and prefix != NAMED[id(spec)] + ".":
        return {"$ref": f"#/$defs/{NAMED[id(spec)]}"}
    if isinstance(spec, Nullable):
        return {"anyOf": [json_schema_of(spec.spec, prefix), {"type": "null"}]}
    if isinstance(spec, Seq):
        out = {"type": "array", "items": json_schema_of(spec.item, prefix.rstrip(".") + "[].")}
        return out | ({"minItems": spec.min_items} if spec.min_items else {})
    if isinstance(spec, Struct):
        properties = {}
        for name, field in spec.fields.items():
            described = json_schema_of(field.spec, f"{prefix}{name}.")
            meaning, example = field_doc(field, f"{prefix}{name}")
            properties[name] = {"description": f"{meaning} Exemple : {example}", **described}
        required = [name for name, field in spec.fields.items() if field.required]
        return {"type": "object", "additionalProperties": False, "properties": properties} | (
            {"required": required} if required else {})
    if isinstance(spec, Integer):
        return {"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum}
    if isinstance(spec, Number):
        return {"type": "number", "minimum": spec.minimum, "maximum": spec.maximum}
    if isinstance(spec, Siret):  # the checksum is left to « validate »
        return {"type": "string", "pattern": "^[0-9]{14}$"}
    if isinstance(spec, Literal):
        return {"enum": list(spec.values)}
    if isinstance(spec, OneOf):
        return {"anyOf": [json_schema_of(s, prefix) for s in spec.specs]}
    if isinstance(spec, Pattern):
        return {"type": "string", "pattern": spec.regex.pattern}
    if isinstance(spec, Date):
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    if isinstance(spec, Boolean):
        return {"type": "boolean"}
    if isinstance(spec, Text):
        return {"type": "string", "minLength": 1, "pattern": "\\S"}
    if isinstance(spec, Anything):
        return {"$ref": "#/$defs/condition"}
    raise TypeError(spec)


def programme_json_schema() -> dict:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": "Programme du catalogue des formations",
              "description": "Généré par « python -m generator reference » ; voir catalogue/REFERENCE.md."}
    schema |= json_schema_of(PROGRAMME, "")
    schema["$defs"] = {name: json_schema_of(spec, f"{name}.") for name, spec in NAMED_SPECS.items()}
    schema["$defs"]["condition"] = _condition_schema()
    return schema


def organisation_json_schema() -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Organisme du catalogue des formations"} | json_schema_of(ORGANISATION, "")


def generated_files() -> dict[Path, str]:
    """Every generated file, by its path from the repository's root."""
    from .editor_config import EDITOR_CONFIG, editor_config  # reads this module's declarations too

    def dumped(schema):
        return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return {REFERENCE_FILE: reference_markdown(),
            SCHEMA_FOLDER / PROGRAMME_SCHEMA: dumped(programme_json_schema()),
            SCHEMA_FOLDER / ORGANISATION_SCHEMA: dumped(organisation_json_schema()),
            SCHEMA_FOLDER / EDITOR_CONFIG: dumped(editor_config())}


def _write_whole(path: Path, text: str) -> None:
    """Replaced all at once or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def cmd_reference(args) -> int:
    root = Path(getattr(args, "root", None) or ROOT)
    stale = [path for path, text in generated_files().items()
             if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path} n'est pas à jour : lancez « python -m generator reference ».", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        try:
            _write_whole(root / path, generated_files()[path])
        except OSError as error:
            print(f"Impossible d'écrire {path} : {error.strerror}.", file=sys.stderr)
            return 1
        print(f"{path} écrit.")
    if not stale:
        print("La référence et les schémas JSON sont déjà à jour.")
    return 0
