"""``serve``'s instant preview: the pages an edit changes, shown before the whole site is rebuilt.

The site engine puts each generated page's HTML into its layout as it is (``spaced_blocks``
applied, see ``site_hooks/``). So, knowing the content the served site was built from, a page whose
text changed is the built page with its old generated HTML replaced by the new, its old title and
description replaced where the layout printed them (``<title>``, header, social metas), then
published again (``publishing.published_page``). The files an edit changes (CSV, JSON, PDF, the
rules data the quiz page names) are served from memory too. Nothing is written into the site:
``serve`` shows these from memory until the full rebuild that follows every edit replaces the site.

An edit that changes more than the pages' own text (the site's name or footer, the list of pages)
is not previewed this way (``overlay`` returns None): the full rebuild shows it. Every splice is
checked: the old HTML must be found exactly once in the built page, else no preview either.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from ..browser import RUNTIME_FOLDER
from ..browser.rules_data import rules_file
from .publishing import published_page
from .search_text import spaced_blocks


def site_file(page: str) -> str:
    """Where a generated page is in the built site: ``x/index.md`` -> ``x/index.html``,
    ``x/y.md`` -> ``x/y/index.html`` (directory addresses)."""
    if page == "index.md" or page.endswith("/index.md"):
        return page[: -len(".md")] + ".html"
    return page[: -len(".md")] + "/index.html"


def _parts(document: str) -> tuple[dict, str] | None:
    """The front matter (title, description: JSON values) and the HTML body of a generated page."""
    if not document.startswith("---\n") or "\n---\n" not in document[3:]:
        return None
    front, body = document[4:].split("\n---\n", 1)
    values = {}
    for line in front.splitlines():
        key, _, value = line.partition(": ")
        try:
            values[key] = json.loads(value)
        except ValueError:
            return None
    return values, body.strip("\n")


# How a layout may print a front-matter text (escaped by ``pages.theme_text``): as given,
# un-escaped (Material's ``striptags``), or escaped again for an attribute.
_FORMS = (lambda text: text, html.unescape, lambda text: html.escape(html.unescape(text), quote=True))


def _chrome(content) -> tuple:
    """What every page's layout shows, whatever the page."""
    return (content.site_name, content.footer, content.footer_links, content.footer_contact)


def spliced_page(built: str, old_document: str, new_document: str, catalogue, home: bool) -> str | None:
    """The built page of ``old_document`` showing ``new_document`` instead, or None when the built
    page does not hold the old page's HTML exactly once (built from something else)."""
    old, new = _parts(old_document), _parts(new_document)
    if old is None or new is None:
        return None
    old_html, new_html = spaced_blocks(old[1]), spaced_blocks(new[1])
    if built.count(old_html) != 1:
        return None
    before, after = built.split(old_html)
    for key in ("title", "description"):
        was, now = old[0].get(key), new[0].get(key)
        if was and now and was != now:
            for form in _FORMS:   # (a title that is also part of the site's name would change it too,
                before = before.replace(form(was), form(now))   # until the rebuild reloads the page)
    try:
        return published_page(before + new_html + after, catalogue, home=home)
    except ValueError:   # a home page without </head>: not one the engine made
        return None


def overlay(base, current, site_dir: Path, catalogue) -> dict[str, bytes] | None:
    """Path in the site -> bytes to serve instead of the built file, for what ``current`` (the
    catalogue as it is now) changes in the site built from ``base``; ``{}`` when nothing changed;
    None when the change cannot be previewed without the full rebuild."""
    if _chrome(base) != _chrome(current) or base.pages.keys() != current.pages.keys():
        return None   # (a file the edit renamed, a content-named PDF, stays served but unlinked)
    shown: dict[str, bytes] = {}
    changed = [page for page, document in current.pages.items() if document != base.pages[page]]
    for page in changed:
        document = current.pages[page]
        target = site_file(page)
        try:
            built = (Path(site_dir) / target).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        spliced = spliced_page(built, base.pages[page], document, catalogue, home=page == "index.md")
        if spliced is None:
            return None
        shown[target] = spliced.encode("utf-8")
    for path, data in current.files.items():
        if base.files.get(path) != data:
            shown[path] = data
    touched = {page.split("/", 1)[0] for page in changed}
    for entry in catalogue.programmes:   # the rules data a changed quiz page names, when not built yet
        if entry.id not in touched:
            continue
        rules = rules_file(entry)
        path = f"{RUNTIME_FOLDER}/{rules.path}"
        if not (Path(site_dir) / path).is_file():
            shown[path] = rules.content
    return shown
