"""The filled identity pages and a programme page with sessions, price and results, built with
MkDocs from made-up facts, checked whole by axe-core in Debian's Chromium."""
import pytest

from generator.browser.static_server import StaticServer

from .publishing_helpers import published_catalogue
from .site_helpers import build, serious_axe_findings

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PAGES = ["/cqp-assistant-medical/", "/mentions-legales/", "/accessibilite/", "/certification-qualite/"]


def test_filled_pages_have_no_serious_axe_finding(tmp_path, chromium):
    run = build(published_catalogue(tmp_path / "catalogue"), tmp_path / "site")
    assert run.returncode == 0, run.stderr
    findings = {}
    with StaticServer(tmp_path / "site") as server, chromium.new_context() as context:
        page = context.new_page()
        for path in PAGES:
            page.goto(server.origin + path)
            page.wait_for_load_state("networkidle")
            if path == "/cqp-assistant-medical/":
                assert page.locator("ul.sessions > li").count() == 3
                assert page.locator("table.results tbody tr").count() == 2
            serious = serious_axe_findings(page)
            if serious:
                findings[path] = serious
    assert findings == {}
