"""Search that finds what a French visitor types (Material's self-hosted search, lunr).

- ``spaced_blocks(html)``: a space between adjacent cells, terms and list items, so that the
  index's snippets read « Durée 8 mois Rythme … », not « Durée8 moisRythme » (Material joins
  the text of adjacent elements as it finds it);
- ``fold_search_index(path)``: each entry of ``search/search_index.json`` gets a ``folded`` field
  (declared in mkdocs.yml's ``fields``): its title and text without accents, capitals or
  punctuation. Lunr searches every field, so « secretaire » finds « secrétaire » and « cpf »
  « (CPF) », while the snippets still show the accented text.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

_ADJACENT = re.compile(r"(</(?:dt|dd|td|th|li|caption)>)(?=<)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_TAG = re.compile(r"<[^>]+>")


def spaced_blocks(html: str) -> str:
    return _ADJACENT.sub(r"\1\n", html)


class _WithoutCombining(dict):
    """A ``str.translate`` table dropping combining marks (accents once decomposed), filled as
    characters are met: one C loop per text instead of a Python call per character."""

    def __missing__(self, code: int):
        self[code] = kept = None if unicodedata.combining(chr(code)) else code
        return kept


_WITHOUT_COMBINING = _WithoutCombining()


def folded(text: str) -> str:
    """« Secrétaire (CPF) » → « secretaire cpf »: what the visitor may type, letter for letter."""
    text = unicodedata.normalize("NFKD", _TAG.sub(" ", text)).replace("œ", "oe").replace("æ", "ae")
    text = text.replace("Œ", "oe").replace("Æ", "ae")
    text = text.translate(_WITHOUT_COMBINING).lower()
    return _NOT_WORD.sub(" ", text).strip()


def fold_search_index(path: Path) -> None:
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for entry in index["docs"]:
        entry["folded"] = folded(f"{entry.get('title', '')} {entry.get('text', '')}")
    # The site is built in a fresh directory, swapped in whole (atomic.py): a plain write is safe.
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
