"""The quiz on the three kinds of host (static_server.HOSTS): one that sends the build's .br
siblings, one that sends only its .gz siblings and gzips text on the fly (nginx gzip_static, the
README's setup), one that compresses nothing (S3-like, a shared host left as it is). On each the
quiz gets ready with the command line's result, and the big runtime files (wasm, standard
library) never cost more than the build's gzip'd copy, whatever the host does; a copy that does
not match its hash is refused with the message of any file that fails to load."""
import datetime as dt
import gzip
import json
import subprocess
import sys

import pytest

from generator.browser import build_into
from generator.browser.static_server import CHROMIUM, CHROMIUM_ARGS, HOSTS, StaticServer

from .conftest import ROOT

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PROGRAMME = "cqp-assistant-medical"
ANSWERS = {"level4_or_bac": True, "placement": "contract", "dental_qualification": "titre-assistant-dentaire",
           "dental_assistant_experience_months": 30, "afgsu1_attestation_date": "2024-05-02"}
FRAGMENT = "#" + "&".join(f"{key}={str(value).lower()}" for key, value in ANSWERS.items())
STREAMED = ("pyodide.asm.wasm", "python_stdlib.zip")
HEADERS = 1000   # status line and headers of one response, at most
# Issue 18's target for a first visit's runtime bytes: met where the host sends brotli. Elsewhere
# the floor is the build's gzip -9 of the wasm and the stdlib, plus pyodide.asm.mjs as the host
# sends it (a module is imported from its own URL: the CSP refuses one made from a decoded copy).
TARGET = 4.2e6


@pytest.fixture(scope="module")
def quiz_dir(catalogue, tmp_path_factory):
    directory = tmp_path_factory.mktemp("quiz-hosts")
    build_into(directory, catalogue, snapshot=False)
    return directory


@pytest.fixture(scope="module")
def config(quiz_dir):
    return json.loads((quiz_dir / "quiz-runtime" / "quiz-runtime.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.quizSnapshot = 'never'; window.quizStallTimeoutMs = 20000;")
    yield page
    context.close()


@pytest.fixture(scope="module")
def expected():
    today = dt.date.today().isoformat()   # the browser evaluates with the machine's date
    run = subprocess.run([sys.executable, "-m", "generator", "evaluate", PROGRAMME, "-", "--today", today],
                         input=json.dumps(ANSWERS), capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(run.stdout)


def shown_result(page):
    page.wait_for_selector("#quiz-result[data-state=ready],#quiz-result[data-state=error]", timeout=90_000)
    assert page.get_attribute("#quiz-result", "data-state") == "ready", page.inner_text("#quiz-failure")
    page.wait_for_function("() => document.getElementById('quiz-summary').textContent.startsWith('Admission')")
    return page.evaluate("""() => {
      const r = document.getElementById("quiz-result");
      return {admission: r.dataset.admission, dispensed: r.dataset.hoursDispensed, remaining: r.dataset.hoursRemaining,
              modules: [...document.querySelectorAll("tr[data-module-id]")].map((row) => [row.dataset.moduleId, row.dataset.status])};
    }""")


@pytest.mark.parametrize("host", list(HOSTS))
def test_every_host_gives_the_same_result_for_no_more_than_the_gzipped_copies(page, quiz_dir, config, expected, host):
    with StaticServer(quiz_dir, **HOSTS[host]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown = shown_result(page)
        page.wait_for_timeout(300)
        transfers = list(server.transfers)
    assert shown == {"admission": expected["admission"]["status"], "dispensed": str(expected["hours"]["dispensed"]),
                     "remaining": str(expected["hours"]["remaining"]),
                     "modules": [[m["id"], m["status"]] for m in expected["modules"]]}
    folder = f"/quiz-runtime/{config['folder']}"
    for name in STREAMED:
        sent = [t for t in transfers if t.path in (folder + name, folder + name + ".gz")]
        assert sent and all(t.status == 200 for t in sent), (name, sent)
        # Once, whichever form: the plain name in brotli, else the build's gzip'd copy.
        assert sum(t.bytes_sent for t in sent) <= config["gzip"][name]["size"] + HEADERS, (name, sent)
        if host == "brotli":
            assert [(t.path, t.encoding) for t in sent] == [(folder + name, "br")]
        else:
            assert [(t.path, t.encoding) for t in sent] == [(folder + name + ".gz", None)]
    runtime = sum(t.bytes_sent for t in transfers if t.path.startswith("/quiz-runtime/"))
    module = (quiz_dir / "quiz-runtime" / config["folder"] / "pyodide.asm.mjs").stat().st_size
    if host == "brotli":
        assert runtime <= TARGET
    else:
        # The gzip'd copies, pyodide.asm.mjs as the host sends it (whole, on a host that
        # compresses nothing), and the small files.
        floor = sum(config["gzip"][name]["size"] for name in STREAMED)
        assert runtime <= floor + (module if host == "plain" else module // 4) + 150_000, runtime


def test_a_gzipped_copy_that_does_not_match_its_hash_is_refused(page, quiz_dir, config):
    """A valid gzip stream whose content is not the one the manifest names: the decoder accepts
    it, the hash does not."""
    folder = f"/quiz-runtime/{config['folder']}"
    plain = (quiz_dir / "quiz-runtime" / config["folder"] / "python_stdlib.zip").read_bytes()
    forged = gzip.compress(plain[:-1] + bytes([plain[-1] ^ 1]), mtime=0)
    page.route(f"**{folder}python_stdlib.zip.gz",
               lambda route: route.fulfill(status=200, body=forged, headers={"Content-Type": "application/octet-stream"}))
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        page.wait_for_selector("#quiz-result[data-state=error]", timeout=90_000)
        requested = list(server.requests)
    assert page.inner_text("#quiz-failure-detail") == "Le fichier python_stdlib.zip n'a pas pu être chargé."
    assert page.get_attribute("#quiz-result", "data-admission") is None
    assert folder + "python_stdlib.zip" not in requested    # no second try with the plain file


def test_a_copy_the_browser_has_already_unpacked_is_kept_as_it_is(page, quiz_dir, config):
    """A host that labels FILE.gz "Content-Encoding: gzip" (Apache's AddEncoding) has the browser
    unpack it before the worker reads it: the worker then gets the plain bytes (no gzip magic),
    keeps them as they are, and their hash matches."""
    folder = f"/quiz-runtime/{config['folder']}"
    plain = (quiz_dir / "quiz-runtime" / config["folder"] / "python_stdlib.zip").read_bytes()
    page.route(f"**{folder}python_stdlib.zip.gz",
               lambda route: route.fulfill(status=200, body=plain, headers={"Content-Type": "application/zip"}))
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        assert shown_result(page)["admission"]
