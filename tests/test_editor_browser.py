"""The catalogue editor in Chromium, as staff use it: ``serve``'s /admin/ (Decap CMS, self-hosted)
on a copy of the catalogue kept in git. A title changed in the form is a one-line change of the
file, comments kept, catalogue valid, preview rebuilt; a save that breaks a rule shows the
validator's sentence and writes nothing; a nullable field cleared is written null; a programme
created from the editor validates and builds; no request leaves the origin; a build has no /admin/."""
import subprocess
import sys
import urllib.request

import pytest

from generator.catalogue import load_catalogue
from generator.editor.routes import EditorRoutes
from generator.site.watch import Watcher

from .site_helpers import ROOT, build, catalogue_copy, wait_for

pytestmark = pytest.mark.browser

PROGRAMME_FILE = "cqp-assistant-medical.yaml"
ENTRY = "CQP Assistant(e) médical(e) (cqp-assistant-medical)"


def _git(directory, *arguments):
    return subprocess.run(["git", "-C", str(directory), *arguments], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def editing(tmp_path, chromium):
    """serve's server with the editor, over a copy of the catalogue in its own git repository; its
    build (the real one is run where it matters) writes each programme's title into its page."""
    catalogue = catalogue_copy(tmp_path / "catalogue")
    for arguments in (("init", "-q"), ("config", "user.email", "test@example.org"), ("config", "user.name", "Test"),
                      ("add", "."), ("commit", "-qm", "départ")):
        _git(catalogue, *arguments)
    site = tmp_path / "site"

    def preview():
        for entry in load_catalogue(catalogue).programmes:
            (site / entry.id).mkdir(parents=True, exist_ok=True)
            (site / entry.id / "index.html").write_text(f"<h1>{entry.data['title']}</h1>", encoding="utf-8")
        return 0

    with Watcher(catalogue, site, preview, today="2026-11-22", poll_seconds=0.2, sources=[],
                 editor=EditorRoutes(catalogue)) as watcher:
        context = chromium.new_context()
        page = context.new_page()
        elsewhere = []
        page.on("request", lambda request: elsewhere.append(request.url)
                if not request.url.startswith((watcher.origin + "/", "data:", "blob:")) else None)
        page.goto(watcher.origin + "/admin/")
        page.get_by_text("Se connecter").click()
        yield watcher, catalogue, page
        assert elsewhere == [], elsewhere
        context.close()


def publish(page, choice="Publier maintenant"):
    page.get_by_role("button", name="Publier").first.click()
    page.get_by_text(choice).click()


def test_a_title_changed_in_the_editor_is_a_one_line_change_of_the_file(editing):
    watcher, catalogue, page = editing
    path = catalogue / PROGRAMME_FILE
    before = path.read_text(encoding="utf-8")
    page.get_by_text(ENTRY).click()
    page.get_by_label("title", exact=True).first.fill("CQP Assistant(e) médical(e) en alternance")
    publish(page)
    assert wait_for(lambda: path.read_text(encoding="utf-8") != before)
    diff = _git(catalogue, "diff", "-U0", "--", PROGRAMME_FILE)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-title: CQP Assistant(e) médical(e)", "+title: CQP Assistant(e) médical(e) en alternance"]
    after = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 20 and all(comment in after for comment in comments)
    validate = subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(catalogue), "validate"],
                              cwd=ROOT, capture_output=True, text=True)
    assert validate.returncode == 0, validate.stderr
    page_url = f"{watcher.origin}/cqp-assistant-medical/"

    def preview_shows_it():
        with urllib.request.urlopen(page_url, timeout=5) as response:
            return "en alternance" in response.read().decode("utf-8")
    assert wait_for(preview_shows_it)


def test_a_save_that_breaks_a_rule_shows_the_sentence_and_leaves_the_file_as_it_was(editing):
    _, catalogue, page = editing
    path = catalogue / PROGRAMME_FILE
    before = path.read_bytes()
    page.get_by_text(ENTRY).click()
    page.locator("input[id^=duration_weeks-field]").fill("35")   # a duration given twice
    publish(page)
    sentence = "la durée est déjà donnée par « duration_weeks » : gardez un seul champ"
    toast = page.get_by_text(sentence).first
    toast.wait_for()
    assert f"catalogue/{PROGRAMME_FILE}, ligne" in toast.inner_text()
    assert path.read_bytes() == before
    assert not list(catalogue.glob(".*.tmp"))


def expand(page, name):
    """Open a collapsed part of the form (its first occurrence)."""
    label = page.locator(f"label[for^={name}-field]").first
    label.locator("xpath=../..").locator("[data-testid=expand-button]").first.click()


def test_a_cleared_nullable_field_is_written_null_and_validates(editing):
    _, catalogue, page = editing
    path = catalogue / PROGRAMME_FILE
    before = path.read_text(encoding="utf-8")
    page.get_by_text(ENTRY).click()
    expand(page, "certification")
    expand(page, "current")
    level = page.locator("input[id^=level-field]").first
    assert level.input_value() == "4"
    level.fill("")
    publish(page)
    assert wait_for(lambda: path.read_text(encoding="utf-8") != before)
    diff = _git(catalogue, "diff", "-U0", "--", PROGRAMME_FILE)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-    level: 4", "+    level: null"]
    load_catalogue(catalogue)


def test_a_programme_created_from_the_editor_validates_and_builds(editing, tmp_path):
    _, catalogue, page = editing
    page.get_by_text(ENTRY).click()
    page.get_by_label("title", exact=True).first.wait_for()
    page.get_by_role("button", name="Publiée").first.click()   # an unchanged entry: « Dupliquer »
    page.get_by_text("Dupliquer", exact=True).click()
    new_id = "cqp-assistant-medical-soir"
    identifier = page.locator("input[id^=id-field]").first
    identifier.wait_for()
    assert wait_for(lambda: identifier.input_value() == "cqp-assistant-medical")
    identifier.fill(new_id)
    page.get_by_label("title", exact=True).first.fill("CQP Assistant(e) médical(e), cours du soir")
    publish(page)
    created = catalogue / f"{new_id}.yaml"
    assert wait_for(lambda: created.exists())
    text = created.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema/programme.schema.json\n")
    assert {entry.id for entry in load_catalogue(catalogue).programmes} == {"cqp-assistant-medical", new_id}
    run = build(catalogue, tmp_path / "built")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "built" / new_id / "index.html").is_file()
    assert not (tmp_path / "built" / "admin").exists()   # the editor lives under serve only
