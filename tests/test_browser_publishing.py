"""The built site under the policy a host reads from its ``_headers`` file, in Debian's Chromium:
every page loads with zero Content-Security-Policy violations, the quiz gets ready and the
search finds a programme. The test server applies the _headers rules like Netlify / Cloudflare
Pages, and adds a report-uri so that violations in workers (Pyodide's, the search's) reach it too.
"""
import base64
import hashlib
import http.server
import json
import threading
import time
from functools import partial

import pytest

from generator.browser.static_server import SiteRequestHandler
from generator.site.publishing import HEADERS_FILE, SHORT, headers_for, inline_script_hashes, read_headers_file

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PROGRAMME = "cqp-assistant-medical"
REPORT_PATH = "/__csp-report"


class HeadersFileServer:
    """Serves a built site with the headers its _headers file gives each path; records the
    violation reports the browser posts."""

    def __init__(self, directory, rules, drop_sources=()):
        self.reports: list[dict] = []
        reports = self.reports

        class Handler(SiteRequestHandler):
            requests = []

            def end_headers(self):
                path = self.path.split("?")[0].split("#")[0]
                for name, value in headers_for(rules, path).items():
                    if name == "Content-Security-Policy":
                        for source in drop_sources:
                            value = value.replace(f" {source}", "")
                        value += f"; report-uri {REPORT_PATH}"
                    if name != "Content-Type":  # the handler sends its own; checked apart
                        self.send_header(name, value)
                super().end_headers()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == REPORT_PATH:
                    reports.append(json.loads(body or b"{}"))
                self.send_response(204)
                self.end_headers()

        self.requests = Handler.requests
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(directory)))
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


def page_urls(site_dir):
    urls = []
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        urls.append("/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return urls


@pytest.fixture(scope="module")
def rules(built_site):
    return read_headers_file((built_site[0] / HEADERS_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


class Watched:
    """A page whose CSP violations (events in the page, console lines, posted reports) are kept."""

    def __init__(self, browser, server):
        self.server = server
        self.context = browser.new_context()
        self.context.add_init_script("""
            window.__violations = [];
            document.addEventListener("securitypolicyviolation",
              e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));""")
        self.page = self.context.new_page()
        self.console = []
        self.page.on("console", lambda message: self.console.append(message.text))

    def violations(self) -> list[str]:
        events = self.page.evaluate("window.__violations || []")
        lines = [text for text in self.console if "Content Security Policy" in text]
        reports = [json.dumps(r) for r in self.server.reports]
        return events + lines + reports

    def close(self):
        self.context.close()


def wait_until(condition, seconds):
    # Not page.wait_for_function: Playwright evaluates its text, which the policy forbids.
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


def search(page, words):
    """Type in the theme's search box until it answers (typed before its index is loaded, a
    query stays unanswered until the next keystroke)."""
    box = page.locator(".md-search__input")
    box.fill(words)
    for _ in range(15):
        wait_until(lambda: page.locator(".md-search-result__item").count() > 0, seconds=2)
        if page.locator(".md-search-result__item").count():
            return
        box.press("Backspace")
        box.press_sequentially(words[-1])
    raise AssertionError("la recherche ne répond pas : " + page.locator(".md-search-result").inner_text())


def test_every_page_loads_under_the_header_policy_without_violation(built_site, rules, browser):
    site_dir = built_site[0]
    urls = page_urls(site_dir)
    assert f"/{PROGRAMME}/quiz/" in urls and "/" in urls and len(urls) >= 5
    with HeadersFileServer(site_dir, rules) as server:
        watched = Watched(browser, server)
        try:
            # The search first, on the home page: its worker loads lunr under the same policy.
            watched.page.goto(server.origin + "/", wait_until="load")
            search(watched.page, "assistant")
            assert "Assistant" in watched.page.inner_text(".md-search-result__list")
            for url in urls:
                watched.page.goto(server.origin + url, wait_until="load")
                if url == f"/{PROGRAMME}/quiz/":
                    # The worker compiles Pyodide's WebAssembly: only 'wasm-unsafe-eval' allows it.
                    watched.page.wait_for_selector("#quiz-result[data-state=ready]", timeout=120_000)
                watched.page.wait_for_timeout(300)  # late reports from workers
                assert watched.violations() == [], url
        finally:
            watched.close()


def test_the_checks_see_violations_when_the_policy_lacks_a_hash_or_wasm(built_site, rules, browser):
    # The same server and watchers, with the home page's first inline script's hash and 'wasm-unsafe-eval' left
    # out of the header: both violations must be seen, the second one inside the quiz's worker
    # (the test above would otherwise pass for want of looking).
    first_hash = inline_script_hashes((built_site[0] / "index.html").read_text(encoding="utf-8"))[0]
    with HeadersFileServer(built_site[0], rules, drop_sources=[first_hash, "'wasm-unsafe-eval'"]) as server:
        watched = Watched(browser, server)
        try:
            watched.page.goto(server.origin + "/", wait_until="load")
            wait_until(lambda: watched.violations(), seconds=10)
            assert any(v.startswith("script-src") and "inline" in v for v in watched.violations())
            watched.page.goto(server.origin + f"/{PROGRAMME}/quiz/", wait_until="load")
            wait_until(lambda: any("wasm-eval" in json.dumps(r) for r in server.reports), seconds=90)
            reports = [r["csp-report"] for r in server.reports]
            assert any(r["blocked-uri"] == "wasm-eval" and r["document-uri"].endswith(".mjs") for r in reports), reports
        finally:
            watched.close()


def test_the_published_quiz_registers_the_runtime_service_worker_under_the_policy(built_site, rules, browser):
    """quiz-runtime/quiz-sw.js is written with the sha256 of this build's pyodide.asm.mjs, cached
    briefly (fixed name); the quiz page's inline script that registers it is allowed by its hash;
    on this host (it compresses nothing) the worker gets the module's .gz copy through it."""
    site_dir = built_site[0]
    folder = json.loads((site_dir / "quiz-runtime" / "quiz-runtime.json").read_text(encoding="utf-8"))["folder"]
    module = (site_dir / "quiz-runtime" / folder / "pyodide.asm.mjs").read_bytes()
    digest = base64.b64encode(hashlib.sha256(module).digest()).decode("ascii")
    service_worker = (site_dir / "quiz-runtime" / "quiz-sw.js").read_text(encoding="utf-8")
    assert f'const DECODED = {{"{folder}pyodide.asm.mjs": "{digest}"}};' in service_worker
    assert headers_for(rules, "/quiz-runtime/quiz-sw.js")["Cache-Control"] == SHORT
    quiz_page = (site_dir / PROGRAMME / "quiz" / "index.html").read_text(encoding="utf-8")
    assert '.register("../../quiz-runtime/quiz-sw.js")' in quiz_page
    policy = headers_for(rules, f"/{PROGRAMME}/quiz/")["Content-Security-Policy"]
    assert all(source in policy for source in inline_script_hashes(quiz_page))
    with HeadersFileServer(site_dir, rules) as server:
        watched = Watched(browser, server)
        try:
            watched.page.goto(server.origin + f"/{PROGRAMME}/quiz/", wait_until="load")
            watched.page.wait_for_selector("#quiz-result[data-state=ready]", timeout=120_000)
            scope = watched.page.evaluate(
                "() => navigator.serviceWorker.getRegistration('/quiz-runtime/')"
                ".then((registration) => registration && registration.active ? registration.scope : null)")
            watched.page.wait_for_timeout(300)  # late reports from workers
            assert scope == server.origin + "/quiz-runtime/"
            assert f"/quiz-runtime/{folder}pyodide.asm.mjs.gz" in server.requests
            assert watched.violations() == []
        finally:
            watched.close()
