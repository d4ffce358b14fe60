"""The search index's entries of each page, reused while the page is unchanged.

Material's search plugin parses every page's HTML into entries (title, text, location of each
section): about a third of the build of 200 programmes, for entries that only change with the
page. ``reuse_entries(index)`` wraps the plugin's index so that a page whose content, address,
front matter and headings are those of an earlier build gets that build's entries, in the same
place of the index (the built ``search_index.json`` is the same byte for byte). Entries are
kept in the user's build cache (``build_cache.py``), one file per page version, written whole.
"""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from ..browser.build_cache import cache_dir
from ..browser.build_cache import keep

CACHE_DIR = cache_dir("search-entries", "GENERATOR_SEARCH_CACHE")
FORMAT_VERSION = "1"    # change when what an entry holds changes here


def _engine_version() -> str:
    try:
        return metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        return "?"


def page_key(page, engine: str) -> str | None:
    """What the plugin's entries of ``page`` depend on; None for a page with headings in its table
    of contents (the entries then also depend on it: such a page is parsed every time)."""
    if page.toc:
        return None
    digest = hashlib.sha256()
    for part in (FORMAT_VERSION, engine, page.url, json.dumps(page.meta, sort_keys=True, default=str),
                 str(page.title), page.content):
        digest.update(hashlib.sha256(str(part).encode("utf-8")).digest())
    return digest.hexdigest()


def reuse_entries(index, cache: Path | None = None) -> None:
    """Wrap ``index.add_entry_from_context`` (Material's ``SearchIndex``, whose ``entries`` list
    is appended to in page order). An index without them (another version of the plugin) is
    left as it is: every page is parsed."""
    if not isinstance(getattr(index, "entries", None), list) or not callable(getattr(index, "add_entry_from_context", None)):
        return
    cache = cache or CACHE_DIR
    parse = index.add_entry_from_context
    engine = _engine_version()

    def add_entry_from_context(page):
        key = page_key(page, engine)
        if key is None:
            return parse(page)
        kept = cache / f"{key}.json"
        try:
            index.entries.extend(json.loads(kept.read_text(encoding="utf-8")))
            return None
        except (OSError, ValueError):
            pass
        before = len(index.entries)
        parse(page)
        keep(kept, json.dumps(index.entries[before:], ensure_ascii=False))
        return None

    index.add_entry_from_context = add_entry_from_context

