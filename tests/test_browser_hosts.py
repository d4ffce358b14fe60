"""The quiz on the three kinds of host (static_server.HOSTS): one that sends the build's .br
siblings, one that sends only its .gz siblings and gzips text on the fly (nginx gzip_static, the
README's setup), one that compresses nothing (S3-like, a shared host left as it is). On each the
quiz gets ready with the command line's result, and the big runtime files (wasm, standard
library) never cost more than the build's brotli copy (its gzip copy without the brotli
decoder), whatever the host does; a copy that does not match its hash, or cannot be decoded, is
refused with the message of any file that fails to load."""
import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys

import brotli
import pytest

from generator.browser.static_server import HOSTS, StaticServer

from .conftest import ROOT

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PROGRAMME = "cqp-assistant-medical"
ANSWERS = {"level4_or_bac": True, "placement": "contract", "dental_qualification": "titre-assistant-dentaire",
           "dental_assistant_experience_months": 30, "afgsu1_attestation_date": "2024-05-02"}
FRAGMENT = "#" + "&".join(f"{key}={str(value).lower()}" for key, value in ANSWERS.items())
STREAMED = ("pyodide.asm.wasm", "python_stdlib.zip")
HEADERS = 1000   # status line and headers of one response, at most
# Issue 18's target for a first visit's runtime bytes. On a host that compresses nothing,
# pyodide.asm.mjs (imported as a module from its own URL: the CSP refuses one made from a decoded
# copy) comes as its .gz copy through the runtime's service worker (quiz-sw.js), once it is active.
TARGET = 4.2e6
MODULE = "pyodide.asm.mjs"
DECODED_QUERY = "?decoded-from=gz"   # what the worker asks for on such a host (quiz-sw.js's QUERY)
KEPT_QUERY = "?kept"   # how the worker asks the service worker for the wasm it kept (quiz-sw.js's KEPT_QUERY)


@pytest.fixture(scope="module")
def quiz_dir(built_site):
    """The site as `python -m generator build` makes it (the run's shared build: read only)."""
    return built_site[0]


@pytest.fixture(scope="module")
def config(quiz_dir):
    return json.loads((quiz_dir / "quiz-runtime" / "quiz-runtime.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


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


def as_shown(expected):
    """The command line's result as the quiz page shows it (shown_result)."""
    return {"admission": expected["admission"]["status"], "dispensed": str(expected["hours"]["dispensed"]),
            "remaining": str(expected["hours"]["remaining"]),
            "modules": [[m["id"], m["status"]] for m in expected["modules"]]}


def copy_used(config, name, decoder=True):
    """The copy the worker fetches where the host does not send brotli: the .br (decoded by the
    brotli decoder shipped in the runtime folder), else the .gz."""
    return config["brotli" if decoder else "gzip"][name]


def without_brotli_decoder(page):
    """The manifest as a build without the brotli decoder writes it: the worker falls back on the
    .gz copies and the browser's own DecompressionStream."""
    def rewritten(route):
        response = route.fetch()
        manifest = json.loads(response.body())
        route.fulfill(response=response, body=json.dumps({**manifest, "brotli_decoder": None}))
    page.route("**/quiz-runtime/quiz-runtime.json", rewritten)


def test_the_build_ships_the_brotli_decoder(config):
    assert config["brotli_decoder"], "brotli-dec-wasm missing: run « npm ci » (package.json)"


@pytest.mark.parametrize("decoder", [True, False], ids=["brotli-copies", "gzip-copies"])
@pytest.mark.parametrize("host", list(HOSTS))
def test_every_host_gives_the_same_result_for_no_more_than_the_compressed_copies(page, quiz_dir, config, expected,
                                                                                 host, decoder):
    if not decoder:
        if host == "brotli":
            pytest.skip("a host that sends brotli gets no decoder either way")
        without_brotli_decoder(page)
    with StaticServer(quiz_dir, **HOSTS[host]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown = shown_result(page)
        page.wait_for_timeout(300)
        transfers = list(server.transfers)
    assert shown == as_shown(expected)
    folder = f"/quiz-runtime/{config['folder']}"
    for name in STREAMED:
        copy = copy_used(config, name, decoder)
        sent = [t for t in transfers if t.path.startswith(folder + name)]
        # Once, whichever form: the plain name in brotli, else the build's copy, sent as it is.
        assert sum(t.bytes_sent for t in sent) <= copy["size"] + HEADERS, (name, sent)
        if host == "brotli":
            assert [(t.path, t.encoding, t.status) for t in sent] == [(folder + name, "br", 200)]
        else:
            assert [(t.path, t.encoding, t.status) for t in sent] == [(folder + copy["file"], None, 200)]
    decoder_sent = [t for t in transfers if t.path.startswith(folder + "brotli_dec_wasm")]
    assert bool(decoder_sent) == (decoder and host != "brotli"), decoder_sent
    if decoder_sent:   # the module, and the wasm as its .gz copy, sent as it is
        assert sorted(t.path.removeprefix(folder) for t in decoder_sent) == [
            "brotli_dec_wasm.js", "brotli_dec_wasm_bg.wasm.gz"]
    runtime = sum(t.bytes_sent for t in transfers if t.path.startswith("/quiz-runtime/"))
    module = (quiz_dir / "quiz-runtime" / config["folder"] / MODULE).stat().st_size
    module_copy = (quiz_dir / "quiz-runtime" / config["folder"] / (MODULE + ".gz")).stat().st_size
    if decoder:
        assert runtime <= TARGET, runtime
    else:
        # The copies, pyodide.asm.mjs as its .gz copy (sent so by the host, or fetched by the
        # service worker) or in brotli, and the small files.
        floor = sum(copy_used(config, name, decoder)["size"] for name in STREAMED)
        floor += module_copy if host != "brotli" else module // 4
        floor += config["brotli_decoder"]["gzip"]["size"] if decoder else 0   # its wasm, as its .gz copy
        assert runtime <= floor + 150_000, runtime


def corrupted(copy: bytes, name: str, how: str, plain: bytes) -> bytes:
    if how == "truncated":
        return copy[:len(copy) // 2]
    changed = plain[:-1] + bytes([plain[-1] ^ 1])    # a valid stream of other bytes: only the hash tells
    return gzip.compress(changed, mtime=0) if name.endswith(".gz") else brotli.compress(changed, quality=5)


@pytest.mark.parametrize("how", ["forged", "truncated"])
@pytest.mark.parametrize("decoder", [True, False], ids=["brotli-copies", "gzip-copies"])
def test_a_corrupted_copy_is_refused_with_the_message_of_a_file_that_fails_to_load(page, quiz_dir, config, decoder, how):
    if not decoder:
        without_brotli_decoder(page)
    folder = f"/quiz-runtime/{config['folder']}"
    runtime = quiz_dir / "quiz-runtime" / config["folder"]
    name = copy_used(config, "python_stdlib.zip", decoder)["file"]
    body = corrupted((runtime / name).read_bytes(), name, how, (runtime / "python_stdlib.zip").read_bytes())
    page.route(f"**{folder}{name}",
               lambda route: route.fulfill(status=200, body=body, headers={"Content-Type": "application/octet-stream"}))
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        page.wait_for_selector("#quiz-result[data-state=error]", timeout=90_000)
        requested = list(server.requests)
    assert page.inner_text("#quiz-failure-detail") == "Le fichier python_stdlib.zip n'a pas pu être chargé."
    assert page.get_attribute("#quiz-result", "data-admission") is None
    assert folder + "python_stdlib.zip" not in requested    # no second try with the plain file


@pytest.mark.parametrize("decoder", [True, False], ids=["brotli-copies", "gzip-copies"])
def test_a_copy_the_browser_has_already_unpacked_is_kept_as_it_is(page, quiz_dir, config, decoder):
    """A host that labels FILE.br or FILE.gz with its Content-Encoding has the browser unpack it
    before the worker reads it: the worker then gets the plain bytes, keeps them as they are,
    and their hash matches."""
    if not decoder:
        without_brotli_decoder(page)
    folder = f"/quiz-runtime/{config['folder']}"
    name = copy_used(config, "python_stdlib.zip", decoder)["file"]
    plain = (quiz_dir / "quiz-runtime" / config["folder"] / "python_stdlib.zip").read_bytes()
    page.route(f"**{folder}{name}",
               lambda route: route.fulfill(status=200, body=plain, headers={"Content-Type": "application/zip"}))
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        assert shown_result(page)["admission"]


def test_a_big_file_the_brotli_host_sends_without_brotli_is_fetched_again_as_the_copy(page, quiz_dir, config, tmp_path):
    """The manifest comes in brotli, but this host has no .br for the wasm (it sends its .gz
    sibling, gzip): the worker gives the plain name up for the build's copy it can decode."""
    site = tmp_path / "site"
    shutil.copytree(quiz_dir, site)
    (site / "quiz-runtime" / config["folder"] / "pyodide.asm.wasm.br").unlink()
    folder = f"/quiz-runtime/{config['folder']}"
    with StaticServer(site, **HOSTS["brotli"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown = shown_result(page)
        page.wait_for_timeout(300)
        requested = list(server.requests)
    assert shown["admission"]
    assert requested.count(folder + "pyodide.asm.wasm") == 1            # asked, answered in gzip, given up
    assert requested.count(folder + "pyodide.asm.wasm.gz") == 1         # the copy a browser decodes alone
    assert not [path for path in requested if "brotli_dec_wasm" in path]


def test_a_forged_copy_of_the_brotli_decoder_is_refused(page, quiz_dir, config):
    folder = f"/quiz-runtime/{config['folder']}"
    plain = (quiz_dir / "quiz-runtime" / config["folder"] / "brotli_dec_wasm_bg.wasm").read_bytes()
    forged = gzip.compress(plain[:-1] + bytes([plain[-1] ^ 1]), mtime=0)
    page.route(f"**{folder}brotli_dec_wasm_bg.wasm.gz",
               lambda route: route.fulfill(status=200, body=forged, headers={"Content-Type": "application/octet-stream"}))
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        page.wait_for_selector("#quiz-result[data-state=error]", timeout=90_000)
    assert page.inner_text("#quiz-failure-detail") == "Le fichier brotli_dec_wasm_bg.wasm n'a pas pu être chargé."


def test_a_forged_wasm_the_host_sends_in_brotli_is_refused_before_it_runs(page, quiz_dir, config, tmp_path):
    """On a host that sends brotli, the wasm reaches the compiler as fetch() gave it (so that
    Chromium keeps its compiled code for the next visit); its hash is checked beside, and a wasm
    that does not match is never run."""
    site = tmp_path / "site"
    shutil.copytree(quiz_dir, site)
    runtime = site / "quiz-runtime" / config["folder"]
    plain = (runtime / "pyodide.asm.wasm").read_bytes()
    (runtime / "pyodide.asm.wasm.br").write_bytes(brotli.compress(plain[:-1] + bytes([plain[-1] ^ 1]), quality=5))
    with StaticServer(site, **HOSTS["brotli"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        page.wait_for_selector("#quiz-result[data-state=error]", timeout=90_000)
    assert page.inner_text("#quiz-failure-detail") == "Le fichier pyodide.asm.wasm n'a pas pu être chargé."
    assert page.get_attribute("#quiz-result", "data-admission") is None


# The decoded files in the worker's Cache Storage (the rules' bytecode left out: see below).
KEPT = ("() => caches.open('quiz-runtime').then((store) => store.keys())"
        ".then((keys) => keys.map((r) => r.url).filter((url) => !url.includes('/bytecode/')).sort())")
ANY_KEPT = "() => caches.open('quiz-runtime').then((store) => store.keys()).then((keys) => keys.map((r) => r.url))"


WORKER_MARKS = "() => performance.getEntriesByType('mark').map((m) => m.name)"


def worker_marks(page):
    return [name for worker in page.workers for name in worker.evaluate(WORKER_MARKS)]


@pytest.mark.parametrize("host, service_worker", [("plain", True), ("plain", False), ("gzip", True)],
                         ids=["plain-host", "plain-host-without-service-worker", "gzip-host"])
def test_files_the_worker_decoded_are_kept_for_the_next_visit(page, quiz_dir, config, host, service_worker):
    """On a host that does not send brotli, the copies are decoded once: the next visit takes the
    plain files from Cache Storage (no copy, no decoder fetched again) and gets the same result.
    The kept wasm comes through the runtime's service worker (a response with a URL, whose
    compiled code Chromium keeps; on the gzip host the first visit did not wait for it); without
    it, the worker reads its store itself, and the request it tries first never reaches the server."""
    if not service_worker:
        page.add_init_script("window.quizServiceWorker = false;")
    folder = f"/quiz-runtime/{config['folder']}"
    with StaticServer(quiz_dir, **HOSTS[host]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        first = shown_result(page)
        page.wait_for_function(f"() => ({KEPT})().then((urls) => urls.length === 2)", timeout=20_000)
        assert page.evaluate(KEPT) == [f"{server.origin}{folder}{name}" for name in STREAMED]
        assert "quiz-worker:wasm-kept-with-url" not in worker_marks(page)
        before = len(server.requests)
        page.reload()
        assert shown_result(page) == first
        again = [path for path in server.requests[before:] if path.startswith(folder)]
        handed_by_service_worker = "quiz-worker:wasm-kept-with-url" in worker_marks(page)
    # (The module, which the service worker decodes but does not keep, comes again from the HTTP cache.)
    assert not [path for path in again if path.endswith((".br", ".gz")) and MODULE not in path
                or "brotli_dec_wasm" in path], again
    assert not [path for path in again if path.endswith(KEPT_QUERY)], again
    assert handed_by_service_worker == service_worker


@pytest.mark.parametrize("name", STREAMED)
def test_a_kept_file_that_does_not_match_its_hash_is_refused_then_fetched_again(page, quiz_dir, config, name):
    """The wasm comes back through the runtime's service worker, the standard library from the
    worker's own read of Cache Storage: both are checked against their hash."""
    folder = f"/quiz-runtime/{config['folder']}"
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown_result(page)
        page.wait_for_function(f"() => ({KEPT})().then((urls) => urls.length === 2)", timeout=20_000)
        page.evaluate("""(url) => caches.open('quiz-runtime').then((store) => store.match(url)
            .then((kept) => kept.arrayBuffer().then((bytes) => {
              const forged = new Uint8Array(bytes);
              forged[forged.length - 1] ^= 1;
              return store.put(url, new Response(forged, {headers: kept.headers}));
            })))""",
                      f"{server.origin}{folder}{name}")
        page.reload()
        page.wait_for_selector("#quiz-result[data-state=error]", timeout=90_000)
        assert page.inner_text("#quiz-failure-detail") == f"Le fichier {name} n'a pas pu être chargé."
        page.wait_for_function(f"() => ({KEPT})().then((urls) => urls.length === 0)", timeout=20_000)
        page.reload()   # the copies again (from the HTTP cache), decoded, checked and kept again
        assert shown_result(page)["admission"]
        page.wait_for_function(f"() => ({KEPT})().then((urls) => urls.length === 2)", timeout=20_000)


def bytecode_kept(page, origin, config):
    key = f"{origin}/quiz-runtime/{config['folder']}bytecode/{config['wheel']['file']}"
    return page.evaluate("(key) => caches.open('quiz-runtime').then((store) => store.match(key))"
                         ".then((kept) => kept ? kept.arrayBuffer().then((b) => b.byteLength) : 0)", key)


def test_the_rules_bytecode_is_kept_and_used_on_the_next_visit(page, quiz_dir, config):
    with StaticServer(quiz_dir, **HOSTS["brotli"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        first = shown_result(page)
        assert "quiz-worker:rules-from-bytecode" not in worker_marks(page)
        page.wait_for_function(f"() => ({ANY_KEPT})().then((urls) => urls.some((url) => url.includes('/bytecode/')))",
                               timeout=20_000)
        assert bytecode_kept(page, server.origin, config) > 10_000
        page.reload()
        assert shown_result(page) == first
        assert "quiz-worker:rules-from-bytecode" in worker_marks(page)


def test_bytecode_that_cannot_be_loaded_is_dropped_and_the_sources_imported(page, quiz_dir, config):
    with StaticServer(quiz_dir, **HOSTS["brotli"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        first = shown_result(page)
        page.wait_for_function(f"() => ({ANY_KEPT})().then((urls) => urls.some((url) => url.includes('/bytecode/')))",
                               timeout=20_000)
        key = f"{server.origin}/quiz-runtime/{config['folder']}bytecode/{config['wheel']['file']}"
        page.evaluate("(key) => caches.open('quiz-runtime').then((store) => store.put(key, new Response('not bytecode')))", key)
        page.reload()
        assert shown_result(page) == first
        assert "quiz-worker:rules-from-bytecode" not in worker_marks(page)
        page.wait_for_function("(key) => caches.open('quiz-runtime').then((store) => store.match(key))"
                               ".then((kept) => kept && kept.arrayBuffer()).then((b) => b && b.byteLength > 10000)",
                               arg=key, timeout=20_000)
        page.reload()
        assert shown_result(page) == first
        assert "quiz-worker:rules-from-bytecode" in worker_marks(page)


# ---- the runtime's service worker (quiz-runtime/quiz-sw.js), on a host that compresses nothing ----

def module_requests(requests, folder):
    return [path for path in requests if path.startswith(folder + MODULE)]


@pytest.mark.parametrize("journey", [False, True], ids=["quiz-page-first", "after-the-programme-page"])
def test_on_a_plain_host_the_module_comes_as_its_gz_copy_through_the_service_worker(page, quiz_dir, config, expected,
                                                                                       journey):
    """Whether the quiz page is the visit's first page (it registers the service worker and starts
    the Python worker once it is active) or comes after the programme page."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    folder = f"/quiz-runtime/{config['folder']}"
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        if journey:
            page.goto(f"{server.origin}/{PROGRAMME}/")
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown = shown_result(page)
        requested = list(server.requests)
        scope = page.evaluate("() => navigator.serviceWorker.getRegistration('/quiz-runtime/')"
                              ".then((registration) => registration && registration.active ? registration.scope : null)")
        page_controlled = page.evaluate("() => navigator.serviceWorker.controller !== null")
    assert shown == as_shown(expected)
    assert module_requests(requested, folder) == [folder + MODULE + ".gz"]
    assert scope == f"{server.origin}/quiz-runtime/"
    assert not page_controlled     # its scope is the runtime folder: it never sees a page's requests
    assert [line for line in console if "Content Security Policy" in line or "Refused" in line] == []


def worker_start(page):
    """The page's mark when it started the Python worker: whether it waited for the service worker."""
    return page.evaluate("() => performance.getEntriesByName('quiz-worker-start').map((m) => m.detail.waited)")


@pytest.mark.parametrize("host", list(HOSTS))
def test_the_first_visit_waits_for_the_service_worker_only_where_the_page_came_uncompressed(page, quiz_dir, host):
    """A host that compresses the page compresses the module too: the Python worker starts at once
    and the service worker, registered all the same, serves the next visits."""
    with StaticServer(quiz_dir, **HOSTS[host]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown_result(page)
        first = worker_start(page)
        page.wait_for_function("() => navigator.serviceWorker.getRegistration('/quiz-runtime/')"
                               ".then((registration) => Boolean(registration && registration.active))", timeout=20_000)
    assert first == [host == "plain"]


def test_on_a_plain_host_the_progress_counts_the_bytes_that_come(page, quiz_dir, config):
    """« Préparation du calcul : x / y Mo »: y is what the runtime's files weigh on the wire, the
    module's .gz copy included, not its 1.25 MB decoded size."""
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown_result(page)
        total = float(page.get_attribute("#quiz-progress", "max"))
        runtime = sum(transfer.bytes_sent for transfer in server.transfers if transfer.path.startswith("/quiz-runtime/"))
    assert config["decoded_by_service_worker"][MODULE]["file"] == MODULE + ".gz"
    assert 0.9 * runtime <= total <= runtime, (total, runtime)


def test_a_gz_copy_of_the_module_that_does_not_match_its_hash_gives_way_to_the_plain_file(page, quiz_dir, config,
                                                                                        expected, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(quiz_dir, site)
    runtime = site / "quiz-runtime" / config["folder"]
    plain = (runtime / MODULE).read_bytes()
    (runtime / (MODULE + ".gz")).write_bytes(gzip.compress(plain + b"\n// forged\n", mtime=0))
    folder = f"/quiz-runtime/{config['folder']}"
    with StaticServer(site, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown = shown_result(page)
        requested = list(server.requests)
    assert shown == as_shown(expected)
    # The copy, refused by its hash, then the request as the worker made it, to the network.
    assert module_requests(requested, folder) == [folder + MODULE + ".gz", folder + MODULE + DECODED_QUERY]


def test_the_service_worker_answers_nothing_else(page, quiz_dir, config):
    """Once it controls the Python worker, every other request of the worker reaches the server
    as it was made, and the answer is the file: another runtime file with the same query, and
    the module without it."""
    folder = f"/quiz-runtime/{config['folder']}"
    runtime = quiz_dir / "quiz-runtime" / config["folder"]
    with StaticServer(quiz_dir, **HOSTS["plain"]) as server:
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/{FRAGMENT}")
        shown_result(page)
        assert folder + MODULE + ".gz" in server.requests      # the worker is controlled
        before = len(server.requests)
        [worker] = [worker for worker in page.workers if worker.url.endswith("/quiz-worker.mjs")]
        sizes = worker.evaluate("""(urls) => Promise.all(urls.map((url) => fetch(url, {cache: "no-store"})
            .then((response) => response.arrayBuffer()).then((bytes) => bytes.byteLength)))""",
                                [folder + "pyodide.mjs" + DECODED_QUERY, folder + MODULE])
        after = server.requests[before:]
    assert sorted(after) == sorted([folder + "pyodide.mjs" + DECODED_QUERY, folder + MODULE])
    assert sizes == [(runtime / "pyodide.mjs").stat().st_size, (runtime / MODULE).stat().st_size]
