"""Where the quiz's start-up time goes: the worker's marks (quiz-worker.mjs `mark()`), first visit
and cached reload, per host kind and profile. Prints one line per visit: each mark in ms since the
page's navigation start, and the worker's own start.

    .venv/bin/python bench/quiz_phases.py --site SITE_DIR [--hosts brotli,gzip,plain]
        [--profiles slow4g] [--runs 1] [--reloads 1]

SITE_DIR is a site built by `python -m generator build` (not rebuilt here). Same field as
bench_quiz.py (field_profiles.py, a fresh Chromium per visit); timings on a shared machine are
disturbed by other jobs: quote the load average printed at the end.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from field_profiles import PROFILES, apply_network, cpu_throttle  # noqa: E402
from fresh_browser import fresh_browser  # noqa: E402
from quiz_prospect import PROGRAMME  # noqa: E402

from generator.browser.static_server import HOSTS, StaticServer  # noqa: E402

READY = "() => document.getElementById('quiz-result')?.dataset.state === 'ready'"
WORKER_MARKS = """() => ({origin: performance.timeOrigin,
  marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('quiz-worker:'))
    .map((m) => [m.name.slice(12), m.startTime])})"""


def marks_of(page) -> str:
    """The worker's marks in ms since the page's navigation start."""
    page_origin = page.evaluate("() => performance.timeOrigin")
    ready = page.evaluate("() => performance.getEntriesByName('quiz-rules-ready')[0]?.startTime")
    parts = []
    for worker in page.workers:
        found = worker.evaluate(WORKER_MARKS)
        if not found["marks"]:
            continue
        shift = found["origin"] - page_origin
        parts.append(f"worker@{shift:.0f}")
        parts += [f"{name} {time + shift:.0f}" for name, time in found["marks"]]
    parts.append(f"page-ready {ready:.0f}" if ready else "page-ready -")
    return ", ".join(parts)


def visit(playwright, server, profile, reloads: int) -> list[str]:
    url = f"{server.origin}/{PROGRAMME}/quiz/"
    lines = []
    with fresh_browser(playwright) as (context, page, user_data_dir):
        apply_network(context, page, profile)
        with cpu_throttle(user_data_dir, profile):
            for attempt in range(1 + reloads):
                if attempt == 0:
                    page.goto(url, wait_until="load", timeout=150_000)
                else:
                    page.reload(wait_until="load", timeout=150_000)
                page.wait_for_function(READY, polling=100, timeout=150_000)
                page.wait_for_timeout(300)
                lines.append(("first " if attempt == 0 else f"reload{attempt} ") + marks_of(page))
                page.wait_for_timeout(3000)  # as a visitor reading: lets V8 write its code cache
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--hosts", default="brotli,gzip,plain")
    parser.add_argument("--profiles", default="slow4g")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--reloads", type=int, default=1)
    args = parser.parse_args()
    with sync_playwright() as playwright:
        for host in args.hosts.split(","):
            with StaticServer(args.site, cache_runtime=True, keep_alive=True, **HOSTS[host]) as server:
                for profile_name in args.profiles.split(","):
                    for run in range(args.runs):
                        for line in visit(playwright, server, PROFILES[profile_name], args.reloads):
                            print(f"{host} {profile_name} run{run + 1} {line}", flush=True)
    print(f"load average at end: {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
