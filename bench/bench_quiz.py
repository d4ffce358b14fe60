"""Benchmark of the quiz in Debian's Chromium; prints figures (nothing is asserted).

- navigation -> rules ready, first visit (empty cache) and cached reloads;
- the longest main-thread task while loading (PerformanceObserver "longtask");
- time from an answer to the updated result;
- bytes transferred for the quiz page and for another page of the site.

The site is built into a temporary folder (the quiz alone if there is no site build) and
served on 127.0.0.1, with a long cache lifetime for quiz-runtime/ (as a production server would).

    .venv/bin/python bench/bench_quiz.py [--runs 3] [--no-snapshot]
"""
from __future__ import annotations

import argparse
import subprocess
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from generator.browser import build_into, write_assets  # noqa: E402
from generator.browser.static_server import CHROMIUM, CHROMIUM_ARGS, StaticServer  # noqa: E402
from generator.catalogue import load_catalogue  # noqa: E402

PROGRAMME = "cqp-assistant-medical"
LONGTASKS = """
  window.__longtasks = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longtasks.push(e.duration); })
    .observe({ type: "longtask", buffered: true });
"""


def build_site(directory: Path, snapshot: bool) -> str:
    """The whole site when the generator builds one (then "another page" is a programme page),
    else the quiz alone with a bare home page."""
    catalogue = load_catalogue()
    try:
        import generator.site  # noqa: F401
    except ModuleNotFoundError:
        build_into(directory, catalogue, snapshot=snapshot)
        (directory / "index.html").write_text("<!doctype html><html lang=fr><title>Accueil</title><p>Accueil</p>")
        return "/"
    subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(directory)],
                   cwd=ROOT, check=True, capture_output=True)
    if not snapshot:
        write_assets(directory, catalogue, snapshot=False)
    return f"/{PROGRAMME}/"


def bytes_for(context, url: str) -> int:
    """Bytes received (headers and bodies) for every request of the page, its worker included."""
    sizes = []
    context.on("requestfinished", lambda request: sizes.append(
        request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]))
    page = context.new_page()
    page.goto(url, wait_until="load")
    if "/quiz/" in url:
        page.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)
    page.wait_for_timeout(500)
    page.close()
    return int(sum(sizes))


def ready_ms(page, url: str, reload: bool = False) -> tuple[float, float]:
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)
    ready = page.evaluate("() => performance.getEntriesByName('quiz-rules-ready')[0].startTime")
    longest = page.evaluate("() => Math.max(0, ...window.__longtasks)")
    return ready, longest


def answer_to_result_ms(page, rounds: int = 20) -> list[float]:
    times = []
    for i in range(rounds):
        value = ["contract", "none", "host"][i % 3]
        times.append(page.evaluate("""async (value) => {
            const summary = document.getElementById("quiz-summary");
            const input = document.querySelector(`input[name=placement][value=${value}]`);
            const changed = new Promise(resolve => new MutationObserver((m, o) => { o.disconnect(); resolve(); })
              .observe(summary, { childList: true, characterData: true, subtree: true }));
            const start = performance.now();
            input.click();
            await changed;
            return performance.now() - start;
        }""", value))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-snapshot", action="store_true",
                        help="build without Pyodide's memory snapshot (Python starts from scratch)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        directory = Path(tmp)
        other = build_site(directory, snapshot=not args.no_snapshot)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with StaticServer(directory, cache_runtime=True) as server:
            quiz_url = f"{server.origin}/{PROGRAMME}/quiz/"
            first, reload1, reload2, longest_first, longest_reload, answers = [], [], [], [], [], []
            for _ in range(args.runs):
                context = browser.new_context()
                context.add_init_script(LONGTASKS)
                page = context.new_page()
                ready, longest = ready_ms(page, quiz_url)
                first.append(ready)
                longest_first.append(longest)
                ready, longest = ready_ms(page, quiz_url, reload=True)
                reload1.append(ready)
                longest_reload.append(longest)
                ready, _ = ready_ms(page, quiz_url, reload=True)
                reload2.append(ready)
                answers += answer_to_result_ms(page)
                context.close()
            context = browser.new_context()
            quiz_bytes = bytes_for(context, quiz_url)
            context.close()
            context = browser.new_context()
            other_bytes = bytes_for(context, server.origin + other)
            context.close()
        browser.close()

    def show(name, values, unit="ms"):
        print(f"{name:<48} median {statistics.median(values):8.0f} {unit}   "
              f"min {min(values):8.0f}   max {max(values):8.0f}   (n={len(values)})")

    print(f"Quiz benchmark, {args.runs} run(s), Chromium headless, 127.0.0.1, "
          f"{'without' if args.no_snapshot else 'with'} memory snapshot")
    show("navigation -> rules ready, first visit", first)
    show("navigation -> rules ready, 1st cached reload", reload1)
    show("navigation -> rules ready, 2nd cached reload", reload2)
    show("longest main-thread task, first visit", longest_first)
    show("longest main-thread task, reload", longest_reload)
    show("answer -> updated result", answers)
    print(f"{'bytes transferred, quiz page (first visit)':<48} {quiz_bytes:>10,} B")
    print(f"{'bytes transferred, another page (' + other + ')':<48} {other_bytes:>10,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
