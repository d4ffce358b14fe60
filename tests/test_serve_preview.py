"""Issue 16: `serve` shows an edit at once. The preview (generator/site/preview.py) is the built page
with the new text spliced in, served from memory while the site rebuilds: it must be byte for byte
what the rebuild makes, never a guess; what it cannot show exactly waits for the rebuild."""
import os

import pytest

from generator.catalogue import check_catalogue
from generator.catalogue.read_memo import ReadMemo
from generator.site.build import Reuse, prepare
from generator.site.preview import overlay, site_file
from generator.site.watch import Watcher

from .conftest import CATALOGUE, TODAY
from .site_helpers import build, catalogue_copy, wait_for

PROGRAMME_FILE = "cqp-assistant-medical.yaml"
TITLE = "title: CQP Assistant(e) médical(e)\n"


def _edited(text):
    """A new title with characters the layout escapes, and a changed fact of the programme."""
    assert TITLE in text and "duration_months: 8\n" in text
    return text.replace(TITLE, "title: Assistant médical & <i>coordination</i>\n").replace(
        "duration_months: 8\n", "duration_months: 9\n")


def test_the_preview_of_an_edit_is_what_the_rebuild_makes(built_site, tmp_path):
    site, _ = built_site
    base = prepare(CATALOGUE, TODAY)
    edited = catalogue_copy(tmp_path / "catalogue", _edited)
    current = prepare(edited, TODAY)
    shown = overlay(base.content, current.content, site, current.catalogue)

    changed_pages = {site_file(page) for page, text in current.content.pages.items() if base.content.pages[page] != text}
    assert {"index.html", "cqp-assistant-medical/index.html", "cqp-assistant-medical/quiz/index.html"} <= changed_pages
    assert "mentions-legales/index.html" not in changed_pages
    assert {path for path in shown if path.endswith(".html")} == changed_pages
    assert any(path.startswith("quiz-runtime/rules/") for path in shown)   # the rules data the quiz page names

    rebuilt = tmp_path / "rebuilt"
    assert build(edited, rebuilt).returncode == 0
    for path, data in shown.items():
        assert data == (rebuilt / path).read_bytes(), path
    assert "Assistant médical &amp; &lt;i&gt;coordination&lt;/i&gt;" in shown["cqp-assistant-medical/index.html"].decode()


def test_what_the_preview_cannot_show_exactly_waits_for_the_rebuild(built_site, tmp_path):
    site, _ = built_site
    base = prepare(CATALOGUE, TODAY)
    renamed = catalogue_copy(tmp_path / "renamed")
    organisation = renamed / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("name: TechAcademy\n", "name: TechAcademy Sud\n"), encoding="utf-8")
    assert "name: TechAcademy Sud\n" in organisation.read_text(encoding="utf-8")
    current = prepare(renamed, TODAY)
    assert overlay(base.content, current.content, site, current.catalogue) is None   # every page's footer

    # a site built from other sources than the ones the preview starts from: no splice
    other = prepare(catalogue_copy(tmp_path / "other", _edited), TODAY)
    again = prepare(catalogue_copy(tmp_path / "again", lambda t: _edited(t).replace("duration_months: 9", "duration_months: 10")), TODAY)
    assert overlay(other.content, again.content, site, again.catalogue) is None

    assert overlay(base.content, prepare(CATALOGUE, TODAY).content, site, base.catalogue) == {}


def test_an_unchanged_file_is_not_read_again_a_changed_one_is(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue")
    reuse = Reuse()
    first = prepare(catalogue, TODAY, reuse)
    second = prepare(catalogue, TODAY, reuse)
    assert second.catalogue.programmes[0] is first.catalogue.programmes[0]
    assert second.content.pages == first.content.pages

    programme = catalogue / PROGRAMME_FILE
    status = programme.stat()
    text = programme.read_text(encoding="utf-8")
    changed = text.replace("duration_months: 8\n", "duration_months: 7\n")
    assert len(changed) == len(text)
    programme.write_text(changed, encoding="utf-8")
    os.utime(programme, ns=(status.st_atime_ns, status.st_mtime_ns))   # a file system that keeps coarse times
    third = prepare(catalogue, TODAY, reuse)
    assert third.catalogue.programmes[0] is not first.catalogue.programmes[0]
    assert third.catalogue.programmes[0].data["duration_months"] == 7
    assert third.content.pages != first.content.pages


def test_a_memo_keeps_problems_too_and_forgets_a_fixed_file(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue")
    programme = catalogue / PROGRAMME_FILE
    good = programme.read_text(encoding="utf-8")
    programme.write_text(good.replace("    level: 4\n", "\tlevel: 4\n"), encoding="utf-8")
    memo = ReadMemo()
    assert "tabulation" in str(check_catalogue(catalogue, memo)[1][0])
    assert "tabulation" in str(check_catalogue(catalogue, memo)[1][0])
    programme.write_text(good, encoding="utf-8")
    catalogue_read, problems = check_catalogue(catalogue, memo)
    assert problems == [] and catalogue_read.programmes[0].id == "cqp-assistant-medical"


@pytest.mark.browser
def test_under_serve_the_edit_shows_at_once_and_the_rebuild_does_not_reload_again(tmp_path, chromium):
    """The real build: the open page shows the new title from the preview; the background rebuild
    makes the same page, so the page is not reloaded a second time, and the preview is dropped."""
    from generator.site.commands import run_build
    catalogue = catalogue_copy(tmp_path / "catalogue")
    site = tmp_path / "site"
    with Watcher(catalogue, site, lambda: run_build(catalogue, site, TODAY.isoformat()), today=TODAY.isoformat(),
                 sources=[]) as watcher:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(watcher.origin + "/cqp-assistant-medical/")
        programme = catalogue / PROGRAMME_FILE
        programme.write_text(programme.read_text(encoding="utf-8").replace(TITLE, "title: Assistant médical, aperçu\n"),
                             encoding="utf-8")
        page.locator("h1", has_text="Assistant médical, aperçu").wait_for(timeout=20_000)
        assert watcher.overlay                   # shown by the preview (the rebuild takes seconds)
        page.evaluate("document.body.setAttribute('data-apres-apercu', '1')")
        assert wait_for(lambda: watcher.builds == 2 and not watcher.overlay, 120)
        page.wait_for_timeout(1000)              # ten questions of the live-reload script
        assert page.locator("body[data-apres-apercu]").count() == 1   # the rebuilt page is the preview
        assert "Assistant médical, aperçu" in (site / "cqp-assistant-medical" / "index.html").read_text(encoding="utf-8")
        context.close()
