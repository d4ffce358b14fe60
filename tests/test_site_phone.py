"""The tableau des dispenses on a phone, rendered by Debian's Chromium: present, no sideways scroll."""
import pytest

from generator.browser.static_server import StaticServer


pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def served_site(built_site):
    with StaticServer(built_site[0]) as server:
        yield server


@pytest.mark.parametrize("path", ["/", "/cqp-assistant-medical/", "/cqp-assistant-medical/dispenses/"])
def test_pages_fit_a_phone_screen_and_stay_on_the_origin(served_site, chromium, tmp_path, path):
    with chromium.new_context(viewport=PHONE) as context:
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(served_site.origin + path)
        page.wait_for_load_state("networkidle")
        shot = tmp_path / "page.png"
        page.screenshot(path=str(shot), full_page=True)
        scroll_width, viewport_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        has_table = page.locator("table.dispenses").count()
        module_rows = page.locator("table.dispenses tr[data-module-id]").count()
        first_row_visible = page.locator("table.dispenses tr[data-module-id]").first.is_visible() if module_rows else None
    assert shot.stat().st_size > 10_000  # a real rendering, not a blank page
    assert scroll_width <= viewport_width, f"{path} is {scroll_width}px wide on a {viewport_width}px screen"
    assert all(url.startswith(served_site.origin) or url.startswith("data:") for url in requested), requested
    if path.endswith("dispenses/"):
        assert has_table == 1 and module_rows == 15 and first_row_visible
    # No page but the quiz loads the Python runtime.
    assert not [url for url in requested if "pyodide" in url or url.endswith(".wasm")]


def test_dispense_table_prints_on_a4_without_the_site_chrome(served_site, chromium, tmp_path):
    with chromium.new_context() as context:
        page = context.new_page()
        page.goto(served_site.origin + "/cqp-assistant-medical/dispenses/")
        page.wait_for_load_state("networkidle")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        page.emulate_media(media="print")
        header_shown = page.locator(".md-header").is_visible()
        sidebar_shown = page.locator(".md-sidebar--primary").is_visible()
        totals_repeat = page.evaluate(
            "getComputedStyle(document.querySelector('table.dispenses tfoot')).display")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 2, f"{pages} A4 pages"
    assert b"/MediaBox [0 0 594.9" in pdf  # A4: 595 x 842 points
    assert not header_shown and not sidebar_shown
    assert totals_repeat == "table-row-group"  # the 279 h total is printed once, at the end
