"""Reading one YAML file so that every value can be traced back to its line.

libyaml (through PyYAML) composes the document into nodes carrying their position; we build
plain values from them ourselves, recording the line of every key and item, and reporting a
key written twice in the same mapping. Plain scalars follow YAML 1.2's core rules (only
true/false are booleans: ``no`` or ``on`` stay text), as ruamel.yaml, which rewrites files
in ``rncp update``, reads them.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import re
import stat
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
# A number is written with at most this many digits: far beyond every declared range (shapes.py
# checks the range), far below the 4,300 digits Python refuses to convert.
MAX_NUMBER_DIGITS = 100
# What XML 1.0 forbids (and what no page shows): control characters but tab and line ends, lone
# surrogates, U+FFFE and U+FFFF. Every text of the catalogue can reach the pages or LHÉO's XML.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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


class OutOfRangeNumber:
    """A number written with more than MAX_NUMBER_DIGITS digits, or too large for a float
    (``1e999``): kept as its text, never converted; every number check refuses it."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"OutOfRangeNumber({self.text[:20]!r}…)"

    @property
    def shown(self) -> str:
        """« un nombre de 5 000 chiffres » or « 1e999 »."""
        digits = sum(c.isdigit() for c in self.text)
        if len(self.text) <= 20:
            return f"« {self.text} »"
        return f"un nombre de {digits:,} chiffres".replace(",", "\u202f")


class NotARegularFile(Exception):
    pass


def read_text_file(path: Path, limit: int) -> str:
    """The UTF-8 text of ``path`` if it is a regular file of at most ``limit`` bytes. A FIFO, a
    socket, a device or a directory raises ``NotARegularFile`` before anything is read (opening a
    FIFO does not wait for a writer: ``O_NONBLOCK``); a larger file raises ``FileTooLarge``."""
    before = os.stat(path)   # a socket cannot even be opened: tell its kind first
    if not stat.S_ISREG(before.st_mode):
        raise NotARegularFile(_kind_of(before.st_mode))
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)   # what was opened (replaced since the stat?)
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(_kind_of(status.st_mode))
        if status.st_size > limit:
            raise FileTooLarge(status.st_size)
        data = stream.read(limit + 1)
        if len(data) > limit:   # grown since fstat
            raise FileTooLarge(len(data))
    return data.decode("utf-8")


class FileTooLarge(Exception):
    pass


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISFIFO(mode):
        return "un tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "une socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    return "un fichier spécial"


def not_regular_sentence(kind: str) -> str:
    return (f"Ce n'est pas un fichier ordinaire mais {kind} : le catalogue ne lit que des fichiers ; "
            "remplacez-le par un vrai fichier YAML ou retirez-le du dossier.")


def read_yaml(path: Path, shown: str) -> tuple[YamlSource | None, list[Problem]]:
    """The file's values and their lines, or problems. A key written twice is a problem, but
    the rest of the file is still returned so that every other fault is found too."""
    try:
        text = read_text_file(path, MAX_FILE_BYTES)
    except NotARegularFile as error:
        return None, [Problem(shown, 1, not_regular_sentence(error.args[0]))]
    except FileTooLarge:
        return None, [Problem(shown, 1, f"Le fichier dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo : ce n'est pas "
                                        "un fichier du catalogue (un programme tient en quelques centaines de lignes).")]
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
                key = self.scalar(key_node, path)
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
        return self.scalar(node, path)

    def scalar(self, node, path: tuple):
        value = _scalar(node)
        if isinstance(value, str):
            forbidden = FORBIDDEN_CHARACTERS.search(value)
            if forbidden:
                sentence = (f"le texte contient un caractère invisible interdit (U+{ord(forbidden.group()):04X}, un "
                            "caractère de contrôle ou un non-caractère) que ni les pages ni l'export LHÉO (XML) ne "
                            "peuvent porter : supprimez-le (il vient souvent d'un copier-coller).")
                where = _where(path)
                self.problems.append(Problem(self.shown, node.start_mark.line + 1,
                                             f"{where}{sentence}" if where else _capital(sentence)))
        return value


def _scalar(node: yaml.ScalarNode):
    text = node.value
    if node.style:  # quoted, literal (|) or folded (>): always text
        return text
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if _INT.fullmatch(text):
        digits = len(text.lstrip("+-"))
        return int(text) if digits <= MAX_NUMBER_DIGITS else OutOfRangeNumber(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) and len(text) <= 4 * MAX_NUMBER_DIGITS else OutOfRangeNumber(text)
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
