"""Issue 16: under `serve` the open page follows the edits by itself (Chromium): a changed title
shows without any action, a broken file shows its problems (sized for a phone), the fix brings the
page back; the « À faire » page is one click away under serve only; a published build holds no
live-reload script."""
import time
import urllib.request

import pytest

from generator.catalogue import check_catalogue
from generator.site.publishing import content_security_policy, with_meta_policy
from generator.site.watch import Watcher

from .site_helpers import catalogue_copy

pytestmark = pytest.mark.browser

PROGRAMME_FILE = "cqp-assistant-medical.yaml"
TITLE = "title: CQP Assistant(e) médical(e)\n"


def _light_build(catalogue, site):
    """A build that writes the home page as the real one is published (its policy as a <meta>, no
    inline script) with the programme's title: the real build is tested elsewhere; here, what serve
    does around it."""
    def build():
        entry = check_catalogue(catalogue)[0].programmes[0]
        page = (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Accueil</title></head>'
                f'<body><h1>{entry.data["title"]}</h1></body></html>')
        (site / "index.html").write_text(with_meta_policy(page, content_security_policy([], for_meta=True)),
                                         encoding="utf-8")
        return 0
    return build


@pytest.fixture
def served(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue")
    site = tmp_path / "site"
    site.mkdir()
    with Watcher(catalogue, site, _light_build(catalogue, site), today="2026-11-22", sources=[]) as watcher:
        yield watcher, catalogue / PROGRAMME_FILE


def test_the_open_page_follows_edits_errors_and_fixes(served, chromium):
    watcher, programme = served
    good = programme.read_text(encoding="utf-8")
    context = chromium.new_context()
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(watcher.origin + "/")
    assert page.inner_text("h1") == "CQP Assistant(e) médical(e)"

    saved = time.monotonic()
    programme.write_text(good.replace(TITLE, "title: Assistant médical, nouvelle session\n"), encoding="utf-8")
    # selectors, not wait_for_function: the page's policy forbids evaluating strings
    page.locator("h1", has_text="Assistant médical, nouvelle session").wait_for(timeout=20_000)
    shown_after = time.monotonic() - saved

    programme.write_text(good.replace("    level: 4\n", "\tlevel: 4\n"), encoding="utf-8")
    page.wait_for_selector("text=le site n'est pas reconstruit", timeout=20_000)
    text = page.inner_text("main")
    assert "cqp-assistant-medical.yaml, ligne 26" in text and "tabulation" in text

    programme.write_text(good, encoding="utf-8")
    page.locator("h1", has_text="CQP Assistant(e) médical(e)").wait_for(timeout=20_000)
    assert violations == []
    context.close()
    print(f"edit -> page updated: {shown_after:.2f} s (light build)")


def test_the_problems_page_fits_a_phone(served, chromium):
    watcher, programme = served
    programme.write_text(programme.read_text(encoding="utf-8").replace("    level: 4\n", "  level: 4\n"),
                         encoding="utf-8")
    deadline = time.monotonic() + 20
    while not watcher.problems and time.monotonic() < deadline:
        time.sleep(0.1)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(watcher.origin + "/cqp-assistant-medical/")
    page.locator("li").first.wait_for(timeout=10_000)
    sizes = page.evaluate("""() => ({
        width: document.documentElement.scrollWidth,
        font: parseFloat(getComputedStyle(document.querySelector('li')).fontSize),
        viewport: window.innerWidth})""")
    assert sizes["viewport"] == 360 and sizes["width"] <= 360, sizes   # no sideways scrolling
    assert sizes["font"] >= 16, sizes                                     # readable without zooming
    assert "ligne 26" in page.inner_text("li .fichier")
    context.close()


def test_the_todo_page_is_one_click_away_under_serve(served, chromium):
    watcher, _ = served
    context = chromium.new_context()
    page = context.new_page()
    page.goto(watcher.origin + "/")
    page.click("#apercu-a-faire")
    page.wait_for_url(watcher.origin + "/_apercu/a-faire/")
    text = page.inner_text("main")
    assert "À faire" in text and "information Qualiopi manquante" in text
    assert "site_url" in text      # the publishing lines too
    context.close()


def test_a_published_build_has_no_live_reload(built_site):
    site, _ = built_site
    assert not (site / "_apercu").exists()
    for path in site.rglob("*"):
        if path.suffix in (".html", ".js", ".mjs", ".json", ".txt") or path.name == "_headers":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "rechargement" not in text and "_apercu" not in text, path


def test_serve_adds_the_script_to_the_real_pages_under_their_own_policy(built_site, chromium, tmp_path):
    """The real built pages, with their published policy, served by serve: the script runs (no
    policy violation) and reloads the page when what its address shows changes, not when another
    address changes."""
    site, _ = built_site
    with Watcher(catalogue_copy(tmp_path / "catalogue"), site, lambda: 0, sources=[]) as watcher:
        with urllib.request.urlopen(watcher.origin + "/cqp-assistant-medical/", timeout=10) as answer:
            assert b'src="/_apercu/rechargement.js"' in answer.read()
        context = chromium.new_context()
        page = context.new_page()
        violations = []
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(watcher.origin + "/cqp-assistant-medical/")
        page.evaluate("document.body.setAttribute('data-avant-rechargement', '1')")
        built = (site / "cqp-assistant-medical" / "index.html").read_bytes()
        watcher.overlay = {"cqp-assistant-medical/dispenses/index.html": b"<html>une autre page</html>"}
        time.sleep(1.5)   # fifteen questions of the script
        assert page.locator("body[data-avant-rechargement]").count() == 1   # not reloaded
        watcher.overlay = {"cqp-assistant-medical/index.html": built.replace(b"<h1>", "<h1>Aperçu ".encode())}
        page.locator("h1", has_text="Aperçu").wait_for(timeout=10_000)   # as after an edit
        assert violations == []
        context.close()


def test_a_save_in_the_editor_reloads_the_open_preview(tmp_path, chromium):
    """Issue 20 beside issue 16: a valid save through /api/v1 (the request Decap sends) changes the
    file; the open preview page, in another tab, shows the new title by itself."""
    import json

    from generator.editor.routes import EditorRoutes
    catalogue = catalogue_copy(tmp_path / "catalogue")
    site = tmp_path / "site"
    site.mkdir()
    with Watcher(catalogue, site, _light_build(catalogue, site), today="2026-11-22", sources=[],
                 editor=EditorRoutes(catalogue)) as watcher:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(watcher.origin + "/")
        assert page.inner_text("h1") == "CQP Assistant(e) médical(e)"

        def api(body):
            request = urllib.request.Request(watcher.origin + "/api/v1", json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json", "Origin": watcher.origin})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        entry = api({"action": "getEntry", "params": {"path": f"catalogue/{PROGRAMME_FILE}"}})
        values = json.loads(entry["data"])
        values["title"] = "Assistant médical, saisi dans l'éditeur"
        saved = api({"action": "persistEntry", "params": {"dataFiles": [
            {"path": f"catalogue/{PROGRAMME_FILE}", "slug": "x", "raw": json.dumps(values, ensure_ascii=False)}],
            "options": {}}})
        assert "enregistré" in saved["message"]
        page.locator("h1", has_text="Assistant médical, saisi dans l'éditeur").wait_for(timeout=20_000)
        admin = urllib.request.urlopen(watcher.origin + "/admin/", timeout=10).read().decode()
        assert "rechargement.js" not in admin   # the editor's page is not reloaded under its user
        context.close()
