"""The public site, generated from the catalogue, independent of any site engine.

``generate(catalogue, today)`` returns ``SiteContent``: the pages (Markdown documents holding
HTML, with a YAML front matter title), the extra files (CSV, JSON) by their path in the site,
and the build report. The MkDocs hooks in ``site_hooks/`` only hand these to MkDocs; another
engine could take them as they are.

Site map, for every programme ``<id>``: ``/`` (catalogue home), ``/<id>/`` (programme page),
``/<id>/dispenses/`` (tableau des dispenses, with ``/<id>/<id>-dispenses.csv``; only for a programme
with exemption rules),
``/<id>/quiz/`` (self-assessment, from ``generator.browser``), ``/<id>/programme.json``.

Seam with the quiz (``generator.browser``): the site asks ``browser.quiz_page(entry, organisation, today)``
for each programme's page (its ``programme_id``, ``title`` and ``embed_html``, placed at ``/<id>/quiz/``
inside the site's layout, so its links are relative: ``../dispenses/``, ``../#contact``), and after
the engine has run, ``browser.write_assets(site_dir, catalogue)`` writes the runtime files the
quiz pages load (``/quiz-runtime/``). Seam with the RNCP import: see ``report.py``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .. import browser
from ..french import fr_date
from .identity_pages import add_identity_pages
from ..catalogue.contacts import organisation_contact, tel_href
from .programme_sheet import programme_sheets
from .pages import catalogue_home, dispense_table_page, programme_page, quiz_page, theme_text
from .published_data import dispense_csv, programme_json
from .report import BuildReport, programme_report


@dataclass
class SiteContent:
    pages: dict[str, str] = field(default_factory=dict)      # "cqp/index.md" -> Markdown text
    files: dict[str, bytes] = field(default_factory=dict)    # "cqp/cqp-dispenses.csv" -> bytes
    report: BuildReport = field(default_factory=BuildReport)
    # For the theme, which prints both as trusted HTML: made safe by ``pages.theme_text``.
    site_name: str = ""                                       # the site's name in every page
    footer: str = ""                                          # shown at the foot of every page
    footer_links: list[dict] = field(default_factory=list)    # {"path", "title"}: the legal pages
    footer_contact: dict = field(default_factory=dict)        # {"email", "phone", "tel"}: none when not given


def footer_contact(organisation: dict) -> dict:
    """The organisation's email and phone for every page's footer (theme_text: the theme trusts it)."""
    contact = organisation_contact(organisation)
    shown = {key: theme_text(value, quote=True) for key, value in contact.items() if value}
    if contact["phone"]:
        shown["tel"] = theme_text(tel_href(contact["phone"]), quote=True)
    return shown


def generate(catalogue, today: _dt.date, reuse: dict | None = None) -> SiteContent:
    """``reuse``: what an earlier call generated for each programme (``serve`` keeps it; filled here):
    a programme read from the same bytes (the same entry object, ``catalogue.read_memo``), with the
    same organisation and day, is not generated again."""
    content = SiteContent()
    data_date = max(entry.view.data_date for entry in catalogue.programmes)
    content.site_name = theme_text(catalogue.organisation["site_title"], quote=True)
    content.footer = theme_text(f"{catalogue.organisation['name']} — données du catalogue du "
                                f"{fr_date(data_date)}", quote=True)
    content.footer_contact = footer_contact(catalogue.organisation)
    content.pages["index.md"] = catalogue_home(catalogue)
    kept = dict(reuse or {})
    if reuse is not None:
        reuse.clear()
    fresh = [entry for entry in catalogue.programmes if not _reusable(kept.get(entry.id), entry, catalogue, today)]
    # New PDF sheets are made together (in parallel when there are several: programme_sheets)
    sheets = dict(zip([entry.id for entry in fresh],
                      programme_sheets([entry.view for entry in fresh], catalogue.organisation, today)))
    for entry in catalogue.programmes:
        made = kept.get(entry.id)
        if entry.id in sheets:
            made = (entry, catalogue.organisation, today, _programme_content(catalogue, entry, today, sheets[entry.id]))
        if reuse is not None:
            reuse[entry.id] = made
        pages, files, report = made[3]
        content.pages.update(pages)
        content.files.update(files)
        content.report.programmes.append(report)
    add_identity_pages(content, catalogue)  # mentions légales, accessibilité, certification qualité
    return content


def _reusable(made, entry, catalogue, today: _dt.date) -> bool:
    """What an earlier call generated still holds: the same entry object (the same bytes read),
    the same organisation, the same day."""
    return bool(made) and made[0] is entry and made[1] is catalogue.organisation and made[2] == today


def _programme_content(catalogue, entry, today: _dt.date, sheet) -> tuple[dict, dict, object]:
    """One programme's pages, files and report: they depend on it, the organisation and the day only."""
    written = {f"{entry.id}/index.md": programme_page(catalogue, entry, today, sheet)}
    if entry.view.has_exemptions:  # no exemption rules: no dispense table, no CSV
        written[f"{entry.id}/dispenses.md"] = dispense_table_page(catalogue, entry)
    written[f"{entry.id}/quiz.md"] = quiz_page(entry, browser.quiz_page(entry, catalogue.organisation, today))
    files = {f"{entry.id}/{entry.id}-dispenses.csv": dispense_csv(entry)} if entry.view.has_exemptions else {}
    files[f"{entry.id}/programme.json"] = programme_json(entry)
    files[sheet.path] = sheet.content
    return written, files, programme_report(entry, [_url(path) for path in [*written, *files]], today)


def _url(path: str) -> str:
    """Where a generated file is published: ``x/index.md`` -> ``/x/``, ``x/y.md`` -> ``/x/y/``."""
    if path.endswith("index.md"):
        return "/" + path[: -len("index.md")]
    if path.endswith(".md"):
        return "/" + path[: -len(".md")] + "/"
    return "/" + path


def write_runtime(site_dir, catalogue) -> None:
    """Files the quiz needs at run time (Pyodide, the rules wheel), copied after the build."""
    browser.write_assets(site_dir, catalogue)
