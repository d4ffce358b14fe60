"""What went wrong in a YAML file, said in French at the line where the mistake is.

libyaml reports where it gave up, in English, often one line below the mistake (« mapping values
are not allowed here » under a key moved one level left). These functions read the file's lines
around that place and name the line to change, what was expected there and what to do. Staff fix
indentation by counting spaces, so the sentences count them too.
"""
from __future__ import annotations

import re

import yaml

_KEY_LINE = re.compile(r"( *)(- +)?([A-Za-z_][\w-]*) *:( |$)")   # « key: » or « - key: » starting a line
_BLOCK_TEXT = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$|^\s*-\s+[|>][-+0-9]*\s*(#.*)?$")
_LEADING = re.compile(r"[ \t-]*")


def explain(text: str, error: yaml.MarkedYAMLError) -> tuple[int, str]:
    """(1-based line, French sentence) for a syntax error of libyaml."""
    lines = text.split("\n")
    mark = error.problem_mark or error.context_mark
    at = mark.line if mark else 0
    problem = (error.problem or "").strip()
    tab = _tab_line(lines, at)
    if tab is not None and ("tab" in problem or "cannot start any token" in problem or "indentation" in problem):
        return tab + 1, ("une tabulation décale cette ligne : YAML n'accepte que des espaces pour aligner les "
                         "lignes. Remplacez-la par des espaces, autant que sur les lignes voisines du même niveau.")
    if "expected a single document" in problem:
        return at + 1, "le fichier doit contenir un seul document YAML (pas de second « --- »)."
    if problem.startswith(("mapping values are not allowed", "did not find expected key",
                           "did not find expected '-' indicator")):
        found = _indentation_mistake(lines, at)
        if found:
            return found
    if "mapping values are not allowed" in problem:
        return at + 1, _colon_in_text(lines[at] if at < len(lines) else "")
    if "cannot start any token" in problem and mark and at < len(lines):
        char = lines[at][mark.column:mark.column + 1] or " "
        shown = f"« {char} »" if char.isprintable() and char.strip() else f"U+{ord(char):04X}"
        return at + 1, (f"une valeur ne peut pas commencer par le caractère {shown} en YAML : mettez tout le texte "
                        "entre guillemets droits (\"…\").")
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in (error.context or ""):
        opened = error.context_mark.line + 1 if error.context_mark else at + 1
        return opened, ("des guillemets ouverts sur cette ligne ne sont jamais fermés : fermez-les à la fin du "
                        "texte (un guillemet à l'intérieur d'un texte entre guillemets s'écrit \\\" ou \"\").")
    return at + 1, ("YAML ne peut pas lire cette ligne : vérifiez qu'elle est alignée sur ses voisines du même "
                    "niveau (avec des espaces) et que ses guillemets, crochets « [ ] » et accolades « { } » "
                    "sont fermés.")


def _tab_line(lines: list[str], at: int) -> int | None:
    """The line, at or just above ``at``, whose indentation (or list dash) holds a tab."""
    for index in (at, at - 1):
        if 0 <= index < len(lines) and "\t" in _LEADING.match(lines[index]).group():
            return index
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _structure_lines(lines: list[str], before: int) -> list[int]:
    """Indexes of the lines above ``before`` that hold keys or list items: blank lines, comments and
    the text lines of « >- » and « | » blocks are left out."""
    kept, text_deeper_than = [], None
    for index in range(before):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if text_deeper_than is not None and _indent(line) > text_deeper_than:
            continue
        text_deeper_than = _indent(line) if _BLOCK_TEXT.search(line) else None
        kept.append(index)
    return kept


def _item_column(line: str) -> int:
    """Where the content of a line starts: after « - » for a list item."""
    match = re.match(r"( *)(- +)?", line)
    return len(match.group())


def _name(line: str) -> str:
    match = _KEY_LINE.match(line)
    if match:
        return f"« {match.group(3)} »"
    text = line.strip()
    return f"« {text if len(text) <= 30 else text[:29] + '…'} »"


def _spaces(count: int) -> str:
    return "aucun espace" if count == 0 else f"{count} espace" + ("s" if count > 1 else "")


def _at(count: int) -> str:
    return "en début de ligne" if count == 0 else f"à {_spaces(count)}"


def _indentation_mistake(lines: list[str], at: int) -> tuple[int, str] | None:
    """A key or list item whose indentation fits neither the line above nor its block: which line
    moved, and where it belongs. None when the place does not look like an indentation mistake."""
    if at >= len(lines):
        return None
    line = lines[at]
    starts_item = line.lstrip(" ").startswith("- ")
    above = _structure_lines(lines, at)
    if not above or not (_KEY_LINE.match(line) or starts_item):
        return None
    here, previous = _indent(line), above[-1]
    if here > _item_column(lines[previous]) and _has_value(lines[previous]):
        # Deeper than a line that already has its value: the line above moved left, or this one right.
        before = above[-2] if len(above) > 1 else None
        if before is not None and _item_column(lines[before]) == here:
            moved = _indent(lines[previous])
            return previous + 1, (f"la ligne {_name(lines[previous])} est décalée vers la gauche ({_spaces(moved)}) alors que "
                                  f"les lignes de son bloc, au-dessus et au-dessous, en ont {here} : ajoutez "
                                  f"{_spaces(here - moved)} au début de cette ligne.")
        return at + 1, (f"la ligne {_name(line)} est décalée vers la droite ({_spaces(here)}) sous la ligne {previous + 1}, qui "
                        f"a déjà sa valeur : alignez-la sur la ligne {previous + 1} ({_spaces(_item_column(lines[previous]))}) "
                        "ou sur le bloc auquel elle appartient.")
    levels = _open_levels(lines, above)
    dashes = [(index, column) for index, column in levels
              if lines[index].lstrip().startswith("- ") and column == _indent(lines[index])]
    if starts_item:
        if not dashes or any(column == here for _, column in dashes):
            return None
        index, column = dashes[-1]
        return at + 1, (f"ce tiret « - » est {_at(here)} alors que ceux de la liste au-dessus (ligne "
                        f"{index + 1}) sont à {column} : alignez-le sur eux.")
    dash_here = [index for index, column in dashes if column == here]
    if dash_here:
        index = dash_here[-1]
        content = _item_column(lines[index])
        return at + 1, (f"la ligne {_name(line)} est au niveau des tirets de la liste (ligne {index + 1}, {_spaces(here)}) : "
                        f"ajoutez {_spaces(content - here)} pour l'aligner sur {_name(lines[index][content:])} si elle "
                        "appartient au même élément, ou commencez-la par « - » si c'est un nouvel élément.")
    if any(column == here for _, column in levels):
        return None
    choices = []
    deeper = [(index, column) for index, column in levels if column > here]
    shallower = [(index, column) for index, column in levels if column < here]
    if deeper:
        index, column = deeper[0]
        target = lines[index][column:] if column == _item_column(lines[index]) else lines[index]
        choices.append(f"alignez-la sur {_name(target)} de la ligne {index + 1} ({_spaces(column)}) si elle en fait partie")
    if shallower:
        index, column = shallower[-1]
        if (index, column) in dashes:
            choices.append(f"commencez-la par « - » au niveau des tirets de la ligne {index + 1} ({_spaces(column)}) "
                           "si c'est un nouvel élément de la liste")
        else:
            target = lines[index][column:] if column == _item_column(lines[index]) else lines[index]
            choices.append(f"alignez-la sur {_name(target)} de la ligne {index + 1} ({_spaces(column)})")
    return at + 1, (f"la ligne {_name(line)} est {_at(here)}, un décalage qui ne correspond à aucun bloc au-dessus : "
                    + " ; ou ".join(choices) + ".")


def _has_value(line: str) -> bool:
    """The line gives its value after « key: » (not a key that opens a block below it)."""
    return not re.sub(r"\s+#.*$", "", line).rstrip().endswith(":")


def _open_levels(lines: list[str], above: list[int]) -> list[tuple[int, int]]:
    """(line index, column) of the blocks still open at the end of ``above``, outermost first: the
    places where a new key or item may line up. A list item opens two: its dash and its content."""
    levels: list[tuple[int, int]] = []
    limit = None
    for index in reversed(above):
        line = lines[index]
        column = _indent(line)
        if limit is not None and column >= limit:
            continue
        if line.lstrip().startswith("- "):
            levels.append((index, _item_column(line)))
        levels.append((index, column))
        limit = column
    levels.sort(key=lambda level: level[1])
    return levels


def _colon_in_text(line: str) -> str:
    key = _KEY_LINE.match(line)
    where = line.find(": ", key.end() if key else 0)
    shown = f" (« …{line[max(0, where - 15):where + 15].strip()}… »)" if where >= 0 else ""
    name = key.group(3) if key else "titre"
    return (f"ce texte contient « : » suivi d'un espace{shown}, que YAML lit comme une nouvelle clé : mettez "
            f"tout le texte entre guillemets droits ({name}: \"… : …\"), ou écrivez-le sur les lignes suivantes, "
            "décalées, après « >- ».")


def merged_items(text: str, root) -> list[tuple[int, str]]:
    """(line, sentence) for each line that starts with « - » but continues the text above it: a list
    item indented further than its list's dashes is read as part of the previous item's text."""
    lines = text.split("\n")
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [value for pair in node.value for value in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.ScalarNode) and not node.style and node.end_mark.line > node.start_mark.line:
            for index in range(node.start_mark.line + 1, node.end_mark.line + 1):
                if index < len(lines) and lines[index].lstrip().startswith("- "):
                    found.append((index + 1, _merged_item(lines, node.start_mark.line)))
    return sorted(found)


def _merged_item(lines: list[str], start: int) -> str:
    if lines[start].lstrip().startswith("- "):
        return (f"cette ligne commence par « - » mais, plus décalée que le tiret de la ligne {start + 1}, elle "
                f"continue son texte au lieu d'ouvrir un nouvel élément de liste : alignez son tiret sur celui de la "
                f"ligne {start + 1} ({_spaces(_indent(lines[start]))}).")
    return (f"cette ligne commence par « - » mais continue le texte de la ligne {start + 1} : pour une liste, "
            f"passez à la ligne après « {_name(lines[start])[2:-2]}: » et commencez chaque élément par « - » ; si le "
            "tiret fait partie du texte, écrivez ce texte après « >- ».")
