"""The organisation's pages: « Mentions légales », « Accessibilité », « Certification qualité ».

They are linked from the footer of every page (``SiteContent.footer_links``, drawn by the theme
override ``docs/overrides/partials/copyright.html``), never from a programme page's body: the
Qualiopi mark must not appear on an individual programme page. Empty fields are left out.
"""
from __future__ import annotations

from .identity_report import certificate_document, organisation_report
from .pages import _ENV, _document

# path in the site (Markdown source) -> (title, template)
IDENTITY_PAGES = {
    "mentions-legales.md": ("Mentions légales", "legal_notice.html.j2"),
    "accessibilite.md": ("Accessibilité", "accessibility.html.j2"),
    "certification-qualite.md": ("Certification qualité", "quality_certificate.html.j2"),
}

# RGAA: a site never audited is declared « non conforme » (and its state is unknown).
FULLY, PARTIALLY, NOT = "totalement conforme", "partiellement conforme", "non conforme"


def compliance(accessibility: dict | None) -> str:
    audit = accessibility or {}
    rate = audit.get("compliance_rate")
    if not audit.get("audited_on") or rate is None:
        return NOT
    return FULLY if rate >= 100 else PARTIALLY if rate >= 50 else NOT


def add_identity_pages(content, catalogue) -> None:
    organisation = catalogue.organisation
    for path, (title, template) in IDENTITY_PAGES.items():
        html = _ENV.get_template(template).render(
            organisation=organisation, title=title, compliance=compliance(organisation.get("accessibility")),
            certificate_document=certificate_document(organisation))
        content.pages[path] = _document(title, f"{title} — {organisation['name']}", html)
        content.footer_links.append({"path": path[: -len(".md")] + "/", "title": title})
    content.report.programmes.insert(0, organisation_report(
        catalogue, ["/" + link["path"] for link in content.footer_links]))
