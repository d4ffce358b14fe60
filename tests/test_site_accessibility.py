"""Whole pages, the theme's layout included, checked by axe-core (from npm) in Debian's Chromium."""
import pytest

from generator.browser.static_server import StaticServer

from .site_helpers import serious_axe_findings

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PAGES = ["/", "/cqp-assistant-medical/", "/cqp-assistant-medical/dispenses/",
         "/cqp-assistant-medical/quiz/", "/confidentialite/",
         "/mentions-legales/", "/accessibilite/", "/certification-qualite/"]


def test_no_page_has_a_serious_or_critical_axe_finding(built_site, chromium):
    findings = {}
    with StaticServer(built_site[0]) as server, chromium.new_context() as context:
        page = context.new_page()
        for path in PAGES:
            page.goto(server.origin + path)
            page.wait_for_load_state("networkidle")
            serious = serious_axe_findings(page)
            if serious:
                findings[path] = serious
    assert findings == {}
