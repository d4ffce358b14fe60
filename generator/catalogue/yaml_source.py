"""Reading one YAML file so that every value can be traced back to its line."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError


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
    tree: object      # ruamel's round-trip nodes (dict- and list-like, with line info)

    def line_of(self, path: tuple) -> int:
        """1-based line of the value at ``path`` (of its key, for a mapping entry)."""
        node, line = self.tree, 1
        if isinstance(node, (CommentedMap, CommentedSeq)):
            line = node.lc.line + 1
        for step in path:
            try:
                if isinstance(node, CommentedMap) and step in node:
                    line = node.lc.key(step)[0] + 1
                    node = node[step]
                elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
                    line = node.lc.item(step)[0] + 1
                    node = node[step]
                else:
                    break
            except (KeyError, TypeError, AttributeError):
                break
        return line

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
    yaml = YAML(typ="rt")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(shown, 1, "Le fichier n'est pas en UTF-8 : enregistrez-le en UTF-8.")]
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(shown, line, _yaml_sentence(error))]
    except YAMLError as error:
        return None, [Problem(shown, 1, f"YAML illisible : {error}.")]
    if tree is None:
        return None, [Problem(shown, 1, "Le fichier est vide.")]
    return YamlSource(path, shown, tree), []


def _yaml_sentence(error: MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    if "duplicate key" in problem:
        key = problem.split('"')[1] if '"' in problem else ""
        return f"La clé « {key} » apparaît deux fois dans le même bloc : gardez-en une seule."
    if "mapping values are not allowed" in problem:
        return ("Syntaxe YAML invalide : un « : » suivi d'un espace dans un texte ; "
                "mettez ce texte entre guillemets ou après « >- ».")
    if "found character '\\t'" in problem or "tab" in problem:
        return "Syntaxe YAML invalide : une tabulation ; indentez avec des espaces."
    return f"Syntaxe YAML invalide ({problem or error.context}) : vérifiez l'indentation et les guillemets."


def to_plain(node):
    """ruamel's nodes to plain JSON-ready values (dates as ISO strings)."""
    if isinstance(node, dict):
        return {str(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(item) for item in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, _dt.date):
        return node.isoformat() if not isinstance(node, _dt.datetime) else node.date().isoformat()
    return str(node)
