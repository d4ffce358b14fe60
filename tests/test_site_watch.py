"""`serve` follows the sources: an edit rebuilds the site; a broken catalogue shows the
validator's sentences in every page instead of the last good site; editor files change nothing."""
import re
import time
import urllib.error
import urllib.request

import pytest

from generator.editor_files import is_editor_file
from generator.site.watch import Watcher, source_state

from .site_helpers import catalogue_copy, wait_for

PROGRAMME_FILE = "cqp-assistant-medical.yaml"


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def without_live_reload(answer):
    """(status, page) with serve's live-reload script tag taken out (tested in test_serve_live_reload.py)."""
    status, page = answer
    return status, re.sub(r'<script src="/_apercu/rechargement.js" data-version="[^"]+"></script>', "", page)


@pytest.fixture
def watched(tmp_path):
    """A Watcher over a copy of the catalogue, whose build writes the number of builds into the
    site (the real build is tested elsewhere; here: when it runs and what is served)."""
    catalogue = catalogue_copy(tmp_path / "catalogue")
    site = tmp_path / "site"
    (site / "quiz-runtime").mkdir(parents=True)
    (site / "quiz-runtime" / "quiz.mjs").write_text("export {};\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# Page\n")
    builds = []

    def build():
        builds.append(time.monotonic())
        (site / "index.html").write_text(f"<html><body>construction {len(builds)}</body></html>")
        return 0

    with Watcher(catalogue, site, build, today="2026-11-22", poll_seconds=0.1, sources=[docs]) as watcher:
        yield watcher, catalogue, docs, builds


def test_an_edit_rebuilds_and_a_broken_catalogue_shows_its_problems_in_the_page(watched):
    watcher, catalogue, docs, builds = watched
    assert without_live_reload(fetch(watcher.origin + "/")) == (200, "<html><body>construction 1</body></html>")
    (docs / "page.md").write_text("# Page modifiée\n")
    assert wait_for(lambda: len(builds) == 2)
    assert without_live_reload(fetch(watcher.origin + "/"))[1] == "<html><body>construction 2</body></html>"

    programme = catalogue / PROGRAMME_FILE
    good = programme.read_text(encoding="utf-8")
    programme.write_text(good.replace("    hours: 77\n", "    hours: 78\n"), encoding="utf-8")
    assert wait_for(lambda: watcher.problems)
    status, page = fetch(watcher.origin + "/")
    assert status == 503
    assert "le bloc 1 annonce 78 h mais ses modules font 21 + 21 + 14 + 21 = 77 h" in page
    assert "cqp-assistant-medical.yaml, ligne" in page and 'src="/_apercu/rechargement.js"' in page
    assert "construction" not in fetch(watcher.origin + "/cqp-assistant-medical/")[1]
    assert fetch(watcher.origin + "/quiz-runtime/quiz.mjs") == (200, "export {};\n")  # not a page
    assert len(builds) == 2  # the engine does not run on a broken catalogue

    programme.write_text(good, encoding="utf-8")
    assert wait_for(lambda: len(builds) == 3 and not watcher.problems)
    assert without_live_reload(fetch(watcher.origin + "/")) == (200, "<html><body>construction 3</body></html>")


def test_editor_lock_and_backup_files_do_not_rebuild(watched):
    watcher, catalogue, docs, builds = watched
    for name in [".#cqp-assistant-medical.yaml", "cqp-assistant-medical.yaml~", ".cqp.yaml.swp", "~$dispenses.csv"]:
        (catalogue / name).write_text("en cours d'édition")
    time.sleep(1)
    assert len(builds) == 1


def test_markup_in_a_problem_stays_text(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue")
    organisation = catalogue / "organisation.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8") + '"<b>gras</b>": 1\n', encoding="utf-8")
    with Watcher(catalogue, tmp_path / "site", lambda: 0, poll_seconds=10, sources=[]) as watcher:
        status, page = fetch(watcher.origin + "/")
    assert status == 503 and "<b>gras</b>" not in page
    assert "le champ « &lt;b&gt;gras&lt;/b&gt; » n&#x27;est pas prévu ici." in page


def test_source_state_sees_changes_and_ignores_editor_files(tmp_path):
    (tmp_path / "a.yaml").write_text("a: 1\n")
    before = source_state([tmp_path])
    (tmp_path / ".#a.yaml").write_text("lock")
    assert source_state([tmp_path]) == before
    (tmp_path / "a.yaml").write_text("a: 22\n")
    assert source_state([tmp_path]) != before
    assert is_editor_file(tmp_path / "x.yaml~") and not is_editor_file(tmp_path / "x.yaml")


def test_a_wrong_today_is_the_commands_sentence_in_the_page(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue")
    builds = []
    with Watcher(catalogue, tmp_path / "site", lambda: builds.append(1) or 0, today="2026-13-01",
                 poll_seconds=60, sources=[]) as watcher:
        status, page = fetch(watcher.origin + "/")
    assert builds == [] and status == 503
    assert watcher.problems == ["--today : date attendue au format AAAA-MM-JJ, pas « 2026-13-01 »."]
    assert "pas « 2026-13-01 »" in page


def test_a_page_closed_while_it_is_answered_is_no_error(tmp_path, capfd):
    """A reload or a closed tab while serve writes a page: the live-reload script asks ten times a
    second, so it happens; serve's terminal must not fill with tracebacks."""
    import socket
    import struct
    catalogue = catalogue_copy(tmp_path / "catalogue")
    with Watcher(catalogue, tmp_path / "site", lambda: 0, poll_seconds=10, sources=[]) as watcher:
        watcher.overlay = {"gros/index.html": b"<html><body>" + b"x" * 8_000_000 + b"</body></html>"}
        host, port = watcher.origin.rsplit("//", 1)[1].split(":")
        for _ in range(3):
            client = socket.create_connection((host, int(port)))
            client.sendall(b"GET /gros/ HTTP/1.1\r\nHost: x\r\n\r\n")
            client.recv(1000)   # the answer has started
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()      # reset: the rest cannot be written
        time.sleep(1)
        assert fetch(watcher.origin + "/gros/")[0] == 200   # still serving
    assert "Traceback" not in capfd.readouterr().err
