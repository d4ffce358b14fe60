"""Rendering the pages: Jinja2 templates owned by the generator, every value escaped.

A template sees a programme only as its view (``view``: ``generator/catalogue/view.py``), never
the raw data or the rules' model; plain facts are ``view.data``, derived ones the view's own.
"""
from __future__ import annotations

import datetime as _dt
import json
from html import escape as html_escape
from pathlib import Path

import jinja2

from ..catalogue.schema_publishing import SESSION_FORMATS
from ..catalogue.view import IN_EVERY_CASE
from ..catalogue.contacts import tel_href
from ..french import first_upper, fr_date, percent, plural
from .structured_data import json_ld_script
from .template_cache import bytecode_cache

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    bytecode_cache=bytecode_cache(),   # compiled once, kept between builds (template_cache.py)
)

_ENV.filters["fr_date"] = fr_date
_ENV.filters["first_upper"] = first_upper
_ENV.filters["plural"] = plural
_ENV.filters["percent"] = percent
_ENV.filters["tel_href"] = tel_href
_ENV.globals["IN_EVERY_CASE"] = IN_EVERY_CASE
_ENV.globals["SESSION_FORMATS"] = SESSION_FORMATS   # the words the quiz and the PDF sheet use too


def theme_text(text: str, quote: bool) -> str:
    """Catalogue text for the theme's title and description.

    MkDocs themes print these as trusted HTML (no autoescape; Material even un-escapes the
    title through ``striptags``), so angle brackets become look-alike quotation marks and the
    rest is escaped: no catalogue text can turn into markup there.
    """
    return html_escape(text.replace("<", "‹").replace(">", "›"), quote=quote)


def _document(title: str, description: str, html: str) -> str:
    """A Markdown document whose body is one block of HTML (blank lines removed, so Markdown
    keeps it as raw HTML), with its title in the front matter (JSON is valid YAML)."""
    body = "\n".join(line for line in html.splitlines() if line.strip())
    front_title = json.dumps(theme_text(title, quote=False), ensure_ascii=False)
    front_description = json.dumps(theme_text(description, quote=True), ensure_ascii=False)
    return f"---\ntitle: {front_title}\ndescription: {front_description}\n---\n\n{body}\n"


def _context(catalogue, entry=None, **extra) -> dict:
    context = {"organisation": catalogue.organisation, **extra}
    if entry is not None:
        context["view"] = entry.view
    return context


def catalogue_home(catalogue) -> str:
    views = [entry.view for entry in catalogue.programmes]
    html = _ENV.get_template("home.html.j2").render(
        _context(catalogue, views=views, any_exemptions=any(view.has_exemptions for view in views),
                 data_date=max(view.data_date for view in views)))
    return _document(catalogue.organisation["site_title"],
                     f"Les formations de {catalogue.organisation['name']}", html)


def programme_page(catalogue, entry, today: _dt.date | None = None, sheet=None) -> str:
    """``sheet``: the programme's PDF sheet (programme_sheet.Sheet), linked from the page."""
    today = today or _dt.date.today()
    html = _ENV.get_template("programme.html.j2").render(
        _context(catalogue, entry, json_ld=json_ld_script(catalogue, entry, today),
                 upcoming_sessions=entry.view.upcoming_sessions(today), sheet=sheet))
    return _document(entry.view.title, entry.view.summary, html)


def dispense_table_page(catalogue, entry) -> str:
    title = entry.view.title
    html = _ENV.get_template("dispenses.html.j2").render(_context(catalogue, entry))
    return _document(f"Tableau des dispenses — {title}",
                     f"Modules dont un candidat peut être dispensé, motifs et justificatifs : {title}", html)


def quiz_page(entry, page) -> str:
    """The self-assessment: the quiz's own HTML (``generator.browser``) inside the layout."""
    html = _ENV.get_template("quiz.html.j2").render(view=entry.view, quiz_html=page.embed_html)
    checked = "votre admission et vos dispenses" if entry.view.has_exemptions else "votre admission"
    return _document(page.title, f"Vérifiez {checked} : {entry.view.title}", html)
