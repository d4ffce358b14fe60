"""Reading one YAML file so that every value can be traced back to its line.

libyaml (through PyYAML) composes the document into nodes carrying their position; we build
plain values from them ourselves, recording the line of every key and item, and reporting a
key written twice in the same mapping. Plain scalars follow YAML 1.2's core rules (only
true/false are booleans: ``no`` or ``on`` stay text), as ruamel.yaml, which rewrites files
in ``rncp update``, reads them.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .yaml_mistakes import explain, merged_items

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NULLS = {"", "~", "null", "Null", "NULL"}
# Limits that keep a hostile or broken file from exhausting memory or the stack: a catalogue
# file is a few hundred lines, nested a dozen levels at most.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 200_000     # values once aliases are expanded (« *a » counts what « &a » holds)
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, ligne {self.line} : {self.message}"


@dataclass
class YamlSource:
    path: Path
    shown: str        # the path as staff should read it, relative where possible
    tree: object      # plain values: dict, list, str, int, float, bool, None, datetime.date
    lines: dict = field(default_factory=dict)   # path tuple -> 1-based line

    def line_of(self, path: tuple) -> int:
        """Line of the value at ``path`` (of its key, for a mapping entry), or of its
        nearest enclosing value that exists."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return self.lines.get((), 1)

    def problem(self, path: tuple, sentence: str) -> Problem:
        where = _where(path)
        return Problem(self.shown, self.line_of(path), f"{where}{sentence}" if where else _capital(sentence))


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _where(path: tuple) -> str:
    """« blocs › 2 › modules › 3 › hours » : positions counted from 1, as people count."""
    if not path:
        return ""
    parts = [str(step + 1) if isinstance(step, int) else str(step) for step in path]
    return f"[{' › '.join(parts)}] "


def read_yaml(path: Path, shown: str) -> tuple[YamlSource | None, list[Problem]]:
    """The file's values and their lines, or problems. A key written twice is a problem, but
    the rest of the file is still returned so that every other fault is found too."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(shown, 1, f"Le fichier dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo : ce n'est pas "
                                            "un fichier du catalogue (un programme tient en quelques centaines de lignes).")]
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(shown, 1, "Le fichier n'est pas en UTF-8 : enregistrez-le en UTF-8.")]
    except OSError as error:
        return None, [Problem(shown, 1, f"Lecture impossible ({error.strerror or error}) : vérifiez le fichier et ses droits.")]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        too_big = _beyond_limits(text, loader)
        if too_big:
            return None, [Problem(shown, *too_big)]
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        line, sentence = explain(text, error)
        return None, [Problem(shown, line, _capital(sentence))]
    except yaml.YAMLError as error:
        return None, [Problem(shown, 1, f"YAML illisible : {error}.")]
    if root is None:
        return None, [Problem(shown, 1, "Le fichier est vide.")]
    builder = _Builder(shown)
    tree = builder.value(root, ())
    merged = [Problem(shown, line, _capital(sentence)) for line, sentence in merged_items(text, root)]
    return YamlSource(path, shown, tree, builder.lines), builder.problems + merged


def _beyond_limits(text: str, loader) -> tuple[int, str] | None:
    """(line, sentence) when the document nests deeper than MAX_DEPTH or would expand into more
    than MAX_VALUES values through aliases (« billion laughs »), else None. Reads libyaml's
    events (no recursion, nothing expanded), before anything is composed."""
    sizes: dict[str, int] = {}   # anchor -> values it expands to
    open_anchors: list[str | None] = []
    counts: list[int] = []       # values inside each open collection
    total = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                return line, (f"L'alias « *{event.anchor} » se contient lui-même : une valeur ne peut pas "
                              "se répéter à l'infini ; écrivez-la en entier.")
            added = sizes.get(event.anchor, 1)
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            added = 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, inside = open_anchors.pop(), counts.pop()
            if anchor:
                sizes[anchor] = inside
            if counts:
                counts[-1] += inside
            continue
        else:
            continue
        total += added
        if total > MAX_VALUES:
            return line, (f"Le fichier contient plus de {MAX_VALUES:,} valeurs une fois les alias (« *nom ») "
                          "développés : un fichier du catalogue n'en a pas besoin ; écrivez les valeurs sans "
                          "alias répétés.").replace(",", "\u202f")
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            if counts:
                counts[-1] += 1
        elif isinstance(event, yaml.AliasEvent):
            if counts:
                counts[-1] += added
        else:  # a collection opens
            open_anchors.append(event.anchor)
            counts.append(1)
            if len(counts) > MAX_DEPTH:
                return line, (f"Les listes et blocs sont imbriqués sur plus de {MAX_DEPTH} niveaux : "
                              "vérifiez les crochets « [ » et accolades « { » ouverts sans être fermés.")
    return None


class _Builder:
    def __init__(self, shown: str):
        self.shown = shown
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []

    def value(self, node, path: tuple):
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem(self.shown, key_node.start_mark.line + 1,
                                                 "Une clé doit être un simple mot, pas une liste ni un tableau."))
                    continue
                key = _scalar(key_node)
                if key in result:
                    self.problems.append(Problem(
                        self.shown, key_node.start_mark.line + 1,
                        f"La clé « {key} » apparaît deux fois dans le même bloc : gardez-en une seule."))
                    continue
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                result[key] = self.value(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, path + (index,)) for index, item in enumerate(node.value)]
        return _scalar(node)


def _scalar(node: yaml.ScalarNode):
    text = node.value
    if node.style:  # quoted, literal (|) or folded (>): always text
        return text
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _DATE.fullmatch(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            return text  # not a calendar date: the schema says so
    return text


def to_plain(node):
    """Plain JSON-ready values (dates as ISO strings)."""
    if isinstance(node, dict):
        return {str(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(item) for item in node]
    if isinstance(node, _dt.date):
        return node.isoformat()
    return node
