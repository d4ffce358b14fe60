"""The quiz on a slow line: a server that trickles the runtime's big files slowly but steadily
(the whole load lasts several times the stall limit) must end ready, never in error, with the
progress indicator moving; a server that stops sending bytes must end in the failure message,
quickly. Answers given while loading are evaluated once Python is ready."""
import functools
import http.server
import re
import threading
import time

import pytest

from generator.browser import build_into

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PROGRAMME = "cqp-assistant-medical"
STALL_MS = 2000
CHUNK = 32 * 1024
BIG_FILES = (".wasm", ".zip", ".br", ".gz")   # the files a slow line takes seconds to bring (and their copies)

# Records what the page shows while loading: every data-state, and the progress bar and texts
# sampled every 50 ms.
WATCH = """
window.quizStallTimeoutMs = %d;
window.quizSnapshot = "never";
window.watched = {states: [], values: [], texts: [], announced: []};
document.addEventListener("DOMContentLoaded", () => {
  const result = document.getElementById("quiz-result");
  new MutationObserver(() => window.watched.states.push(result.dataset.state))
    .observe(result, {attributes: true, attributeFilter: ["data-state"]});
  const status = document.getElementById("quiz-loading-status");
  new MutationObserver(() => window.watched.announced.push(status.textContent))
    .observe(status, {childList: true, characterData: true, subtree: true});
  setInterval(() => {
    const bar = document.getElementById("quiz-progress");
    if (bar.hasAttribute("value")) window.watched.values.push([bar.value, bar.max]);
    window.watched.texts.push(document.getElementById("quiz-loading-text").textContent);
  }, 50);
});
""" % STALL_MS


class _SlowHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}
    mode = "trickle"          # "trickle": 32 KiB every `pause` s; "stall": 64 KiB, then nothing
    pause = 0.1             # the brotli copies (2.7 + 0.5 MB) take ≈ 9 s: several stall limits
    stop: threading.Event

    def copyfile(self, source, destination):
        if not self.path.endswith(BIG_FILES):
            return super().copyfile(source, destination)
        sent = 0
        while chunk := source.read(CHUNK):
            destination.write(chunk)
            destination.flush()
            sent += len(chunk)
            if self.mode == "stall" and sent >= 2 * CHUNK:
                self.stop.wait(60)   # the line goes dead: headers and a few bytes, then silence
                return
            time.sleep(self.pause)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def quiz_dir(catalogue, tmp_path_factory):
    directory = tmp_path_factory.mktemp("quiz-slow")
    build_into(directory, catalogue, snapshot=False)
    return directory


@pytest.fixture
def slow_server(quiz_dir):
    stop = threading.Event()
    handler = type("Handler", (_SlowHandler,), {"stop": stop})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(quiz_dir)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.handler = handler
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(WATCH)
    yield page
    context.close()


def test_a_slow_but_steady_line_ends_ready_with_the_progress_moving(page, slow_server):
    slow_server.handler.mode = "trickle"
    started = time.monotonic()
    page.goto(f"{slow_server.origin}/{PROGRAMME}/quiz/")
    # The form works while the runtime loads: these answers wait for Python.
    page.locator("input[name=level4_or_bac][value=true]").check()
    page.locator("input[name=placement][value=contract]").check()
    assert page.get_attribute("#quiz-result", "data-state") == "loading"
    page.wait_for_selector("#quiz-result[data-state=ready],#quiz-result[data-state=error]", timeout=120_000)
    elapsed = time.monotonic() - started
    watched = page.evaluate("window.watched")
    assert "error" not in watched["states"], page.inner_text("#quiz-failure")
    assert elapsed > 3 * STALL_MS / 1000, "the line was not slow: the test proves nothing"
    # The bar moved forward in many steps, towards a known total, and says so in French.
    values = [value for value, _ in watched["values"]]
    assert len(set(values)) >= 5 and values == sorted(values)
    # Near the end: the bar is sampled every 50 ms and the worker reports every 100 ms, so the
    # last chunks (32 KiB each) may come after the last sample.
    assert watched["values"][-1][1] - 3 * CHUNK <= values[-1] <= watched["values"][-1][1]
    shown = [text for text in watched["texts"] if text.startswith("Préparation du calcul :")]
    assert shown and all(re.fullmatch(r"Préparation du calcul : \d+,\d / \d+,\d Mo", text) for text in shown)
    # Announced politely: about every tenth of the way, not on every byte.
    assert 3 <= len(watched["announced"]) <= 14
    # The answers typed during the load are in the result.
    page.wait_for_selector("#quiz-result[data-admission=admissible]", timeout=10_000)


def test_a_line_that_goes_dead_ends_in_the_failure_message_quickly(page, slow_server):
    slow_server.handler.mode = "stall"
    started = time.monotonic()
    page.goto(f"{slow_server.origin}/{PROGRAMME}/quiz/")
    page.wait_for_selector("#quiz-result[data-state=error]", timeout=30_000)
    assert time.monotonic() - started < 20
    assert "trop de temps" in page.inner_text("#quiz-failure")
    assert page.locator("#quiz-failure").is_visible()
