"""Field benchmark of the quiz: the self-assessment as a prospect meets it. Prints one table.

For each network/CPU profile x variant of the site (x first visit / cached reload):
- time to ready: navigation start -> `#quiz-result[data-state=ready]` (the first result shown,
  just after the "quiz-rules-ready" mark), or "error" with the time it happened and the page's
  failure text (the benchmark goes on);
- wire bytes of the whole visit, counted by the server on its socket (status line, headers and
  bodies), so the Web Worker's requests are included (a page-level CDP session does not see
  them); a cached reload counts only what is fetched or revalidated again;
- the scripted prospect (quiz_prospect.py): on the first visit, from the page's load event,
  9 answers one every 4 s; the figure is the time from the last answer to the full result
  shown (data-state=ready and every module as the command line computes it);
- the programme page (bytes and load time) per profile.

How the field is made (see field_profiles.py; `--check-throttle` measures it again):
- the site is built by `python -m generator build --site-dir TMP`, then each variant
  (quiz_variants.py) changes a copy of it;
- it is served by generator/browser/static_server.py as a static host would, one server per
  host kind (``--hosts``, static_server.HOSTS): "brotli" (gzip on the fly for text-like types,
  precompressed .br/.gz siblings), "gzip" (the same without the .br: nginx gzip_static + gzip),
  "plain" (compresses nothing: S3-like); all with HTTP/1.1 keep-alive and immutable cache
  headers on quiz-runtime/. Chromium advertises br (and zstd) on
  http://127.0.0.1 and http://localhost (secure contexts) but only "gzip, deflate" on plain
  http to another host: served on 127.0.0.1, br siblings are used as on an https host;
- network: Chromium's emulation (CDP Network.emulateNetworkConditions on the page's session),
  which also throttles the dedicated worker's requests, page and worker sharing one budget;
  latency is per request (no TCP/TLS handshake modelled: slightly kind);
- CPU: the renderer process (main thread AND worker) is suspended for (rate-1) times the CPU
  time its busiest thread has just used (cpu_throttle.py), because CDP's CPU throttling leaves a
  dedicated worker at full speed; counted in CPU time, so that other jobs on the machine do not
  multiply the factor (they still add their own delay).
Each visit is a new Chromium with a new profile folder (empty disk cache: fresh_browser.py);
the cached reload is a reload in it (disk cache, as a returning visitor's browser).
Timings on a shared machine are disturbed by other jobs: say so when quoting them.

    .venv/bin/python bench/bench_quiz.py [--runs 2] [--profiles loopback,fast4g,slow4g]
        [--variants snapshot,no-snapshot] [--hosts brotli,gzip,plain] [--quick] [--check-throttle]
        [--journey] [--table-file PATH]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from field_profiles import PROFILES, apply_network, cpu_throttle  # noqa: E402
from fresh_browser import fresh_browser  # noqa: E402
from quiz_prospect import PROGRAMME, candidate, expected_results, run_prospect  # noqa: E402
from quiz_variants import VARIANTS  # noqa: E402

from generator.browser.static_server import CHROMIUM, HOSTS, StaticServer  # noqa: E402
from generator.catalogue import load_catalogue  # noqa: E402

PAGE_TIMEOUT_S = 120      # navigation (load event) of one page
OUTCOME_TIMEOUT_S = 150   # navigation -> ready or error; beyond it the visit is a "timeout"

# Records when #quiz-result changes state (ms since navigation start), in every page of a context.
STATE_RECORDER = """
if (typeof document !== "undefined") {
  window.__benchStates = [];
  document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("quiz-result");
    if (!region) return;
    const note = () => {
      const last = window.__benchStates[window.__benchStates.length - 1];
      if (!last || last.state !== region.dataset.state)
        window.__benchStates.push({ state: region.dataset.state, ms: performance.now() });
    };
    note();
    new MutationObserver(note).observe(region, { attributes: true, attributeFilter: ["data-state"] });
  });
}
"""
OUTCOME = """() => {
  const states = window.__benchStates || [];
  const end = states.find((s) => s.state === "ready" || s.state === "error");
  const mark = performance.getEntriesByName("quiz-rules-ready")[0];
  const detail = document.getElementById("quiz-failure-detail");
  return { state: end ? end.state : null, ms: end ? end.ms : performance.now(),
           mark: mark ? mark.startTime : null, failure: detail ? detail.textContent.trim() : "" };
}"""


@dataclass
class Outcome:
    state: str             # ready | error | timeout
    ms: float              # when it happened, since navigation start
    bytes: int = 0
    failure: str = ""


@dataclass
class Cell:
    outcomes: list = field(default_factory=list)
    prospects: list = field(default_factory=list)   # Outcome, ms from the last answer


def wait_outcome(page) -> Outcome:
    try:
        page.wait_for_function("() => (window.__benchStates || []).some((s) => s.state === 'ready' || s.state === 'error')",
                               polling=200, timeout=OUTCOME_TIMEOUT_S * 1000)
    except PlaywrightError:
        pass
    found = page.evaluate(OUTCOME)
    return Outcome(found["state"] or "timeout", found["ms"], failure=found["failure"])


def sent_since(server, start: int) -> int:
    return sum(transfer.bytes_sent for transfer in server.transfers[start:])


def quiz_visit(playwright, server, profile, prospect, expected, interval_s,
               journey=False) -> tuple[Outcome, Outcome, Outcome, list]:
    """First visit with the scripted prospect, then a cached reload, in a new browser profile.
    ``journey``: the programme page is visited first (to its load event) in the same browser;
    times and bytes are then the quiz page's, from its own navigation."""
    url = f"{server.origin}/{PROGRAMME}/quiz/"
    with fresh_browser(playwright, STATE_RECORDER) as (context, page, user_data_dir):
        apply_network(context, page, profile)
        with cpu_throttle(user_data_dir, profile):
            try:
                if journey:
                    page.goto(f"{server.origin}/{PROGRAMME}/", wait_until="load", timeout=PAGE_TIMEOUT_S * 1000)
                    page.wait_for_timeout(1000)   # the prospect reads the page, then follows the link
            except PlaywrightError as error:
                failed = lambda: Outcome("error", 0, 0, f"benchmark: {str(error).splitlines()[0]}")  # noqa: E731
                return failed(), failed(), failed(), []
            start = len(server.transfers)
            try:
                page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_S * 1000)
                answered = run_prospect(page, prospect, expected, interval_s, OUTCOME_TIMEOUT_S)
                spoke = Outcome(answered["state"], answered["ms"])
                first = wait_outcome(page)
            except PlaywrightError as error:  # the visit failed outside the page: say it, go on
                failed = lambda: Outcome("error", 0, sent_since(server, start), f"benchmark: {str(error).splitlines()[0]}")  # noqa: E731
                return failed(), failed(), failed(), []
            page.wait_for_timeout(500)  # requests still under way are part of the visit
            first.bytes = sent_since(server, start)
            files = list(server.transfers[start:])
            if first.state == "error":
                spoke.failure = first.failure
            start = len(server.transfers)
            try:
                page.reload(wait_until="load", timeout=PAGE_TIMEOUT_S * 1000)
                cached = wait_outcome(page)
            except PlaywrightError as error:
                cached = Outcome("error", 0, failure=f"benchmark: {str(error).splitlines()[0]}")
            page.wait_for_timeout(500)
            cached.bytes = sent_since(server, start)
        return first, cached, spoke, files


def programme_page_visit(playwright, server, profile) -> Outcome:
    with fresh_browser(playwright) as (context, page, user_data_dir):
        apply_network(context, page, profile)
        with cpu_throttle(user_data_dir, profile):
            start = len(server.transfers)
            try:
                page.goto(f"{server.origin}/{PROGRAMME}/", wait_until="load", timeout=PAGE_TIMEOUT_S * 1000)
            except PlaywrightError as error:
                return Outcome("error", 0, sent_since(server, start), f"benchmark: {str(error).splitlines()[0]}")
            loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
            page.wait_for_timeout(300)
            return Outcome("ready", loaded, sent_since(server, start))


def build_site(directory: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(directory)],
                         cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"python -m generator build failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")


def prepare_variants(base: Path, names: list[str], workdir: Path) -> dict[str, Path]:
    catalogue = load_catalogue(ROOT / "catalogue")
    sites = {}
    for name in names:
        site = workdir / f"site-{name}"
        shutil.copytree(base, site)
        VARIANTS[name](site, catalogue)
        sites[name] = site
    return sites


# ---- the table ----

def seconds(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms < 10_000 else f"{ms / 1000:.1f} s"


def megabytes(count: float) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 100_000 else f"{count / 1e3:.1f} kB"


def summary(outcomes: list[Outcome]) -> str:
    """Median time when every run is ready; else the failures first (count and when)."""
    if not outcomes:
        return "-"
    ready = [o.ms for o in outcomes if o.state == "ready"]
    failed = [o for o in outcomes if o.state != "ready"]
    if not failed:
        return seconds(statistics.median(ready))
    text = f"{failed[0].state} at {seconds(statistics.median(o.ms for o in failed))} ({len(failed)}/{len(outcomes)})"
    return text + (f", else {seconds(statistics.median(ready))}" if ready else "")


def table(cells: dict, programme_pages: dict, args, started: float) -> str:
    head = ("profile", "variant@host", "visit", "ready (median)", "wire bytes", "prospect: last answer -> result")
    rows = []
    for (profile, variant), cell in cells.items():
        firsts = [first for first, _ in cell.outcomes]
        cacheds = [cached for _, cached in cell.outcomes]
        rows.append((profile, variant, "first", summary(firsts),
                     megabytes(statistics.median(o.bytes for o in firsts)), summary(cell.prospects)))
        rows.append((profile, variant, "cached", summary(cacheds),
                     megabytes(statistics.median(o.bytes for o in cacheds)), "-"))
    for profile, outcomes in programme_pages.items():
        rows.append((profile, "(programme page)", "first", summary(outcomes) + " load",
                     megabytes(statistics.median(o.bytes for o in outcomes)), "-"))
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    line = lambda row: "  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip()  # noqa: E731
    out = [f"Quiz field benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, Chromium headless "
           f"({CHROMIUM}), median of {args.runs} run(s), prospect: 9 answers every {args.answer_interval:g} s "
           f"from the load event; took {time.time() - started:.0f} s"
           + ("; journey: programme page first, then the quiz page (its own figures)" if args.journey else ""),
           "Profiles: " + "; ".join(PROFILES[name].label for name in args.profiles),
           f"Machine: {os.cpu_count()} CPU(s), load average {args.load_at_start:.1f} at start, "
           f"{os.getloadavg()[0]:.1f} at end (other jobs share it: timings are disturbed, bytes are not)",
           f"Hosts: {', '.join(args.hosts)} (static_server.HOSTS), HTTP/1.1; bytes = response bytes on the socket, "
           "worker included; MB = 10^6 bytes",
           "", line(head), line(["-" * width for width in widths]), *map(line, rows)]
    failures = sorted({o.failure for cell in cells.values() for pair in cell.outcomes for o in pair if o.failure})
    if failures:
        out += ["", "Failure texts seen:", *(f"  - {text}" for text in failures)]
    return "\n".join(out)


def largest_files(files, limit=8) -> str:
    by_size = sorted(files, key=lambda transfer: -transfer.bytes_sent)[:limit]
    return "\n".join(f"    {t.bytes_sent:>11,} B  {t.encoding or 'identity':<8} {t.status}  {t.path}" for t in by_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="runs per profile and variant (median shown)")
    parser.add_argument("--profiles", default=",".join(PROFILES), help=f"among {', '.join(PROFILES)}")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"among {', '.join(VARIANTS)}")
    parser.add_argument("--hosts", default="brotli", help=f"among {', '.join(HOSTS)}")
    parser.add_argument("--answer-interval", type=float, default=4.0, help="seconds between two answers")
    parser.add_argument("--quick", action="store_true",
                        help="1 run, answers every 1 s (prospect figure not comparable to the target)")
    parser.add_argument("--no-programme-page", action="store_true", help="skip the programme page's figures")
    parser.add_argument("--check-throttle", action="store_true",
                        help="measure that the profiles reach the worker (network and CPU), then stop")
    parser.add_argument("--journey", action="store_true",
                        help="each visit opens the programme page first, then the quiz page (same browser)")
    parser.add_argument("--table-file", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    args.profiles = [name.strip() for name in args.profiles.split(",") if name.strip()]
    args.variants = [name.strip() for name in args.variants.split(",") if name.strip()]
    args.hosts = [name.strip() for name in args.hosts.split(",") if name.strip()]
    unknown = ([n for n in args.profiles if n not in PROFILES] + [n for n in args.variants if n not in VARIANTS]
               + [n for n in args.hosts if n not in HOSTS])
    if unknown:
        parser.error(f"unknown profile, variant or host: {', '.join(unknown)}")
    if args.quick:
        args.runs, args.answer_interval = 1, 1.0
    if args.check_throttle:
        from throttle_check import check_throttle
        return check_throttle([PROFILES[name] for name in args.profiles])

    started = time.time()
    args.load_at_start = os.getloadavg()[0]
    today = dt.date.today()  # the browser evaluates with the visitor's date: the same machine's
    prospect = candidate(today)
    expected = expected_results(ROOT, prospect, today)
    cells = {(p, f"{v}@{h}"): Cell() for p in args.profiles for v in args.variants for h in args.hosts}
    programme_pages = {p: [] for p in args.profiles} if not args.no_programme_page else {}
    samples = {}
    with tempfile.TemporaryDirectory(prefix="bench-quiz-") as tmp, sync_playwright() as playwright:
        workdir = Path(tmp)
        print(f"building the site into {workdir} …", file=sys.stderr)
        build_site(workdir / "built")
        sites = prepare_variants(workdir / "built", args.variants, workdir)
        servers = {f"{name}@{host}": StaticServer(site, cache_runtime=True, keep_alive=True, **HOSTS[host])
                   for name, site in sites.items() for host in args.hosts}
        for server in servers.values():
            server.__enter__()
        try:
            for name, server in servers.items():  # compresses every file once (a host's cache), not timed
                print(f"warm-up visit ({name}) …", file=sys.stderr)
                quiz_visit(playwright, server, PROFILES["loopback"], prospect, expected, 0)
            for run in range(args.runs):
                for profile_name in args.profiles:
                    profile = PROFILES[profile_name]
                    for variant, server in servers.items():
                        print(f"run {run + 1}/{args.runs}: {profile_name} / {variant} …", file=sys.stderr)
                        first, cached, spoke, files = quiz_visit(playwright, server, profile, prospect, expected,
                                                                 args.answer_interval, args.journey)
                        cell = cells[(profile_name, variant)]
                        cell.outcomes.append((first, cached))
                        cell.prospects.append(spoke)
                        samples.setdefault(variant, files)
                        print(f"    first {first.state} {seconds(first.ms)} {megabytes(first.bytes)}; "
                              f"cached {cached.state} {seconds(cached.ms)} {megabytes(cached.bytes)}; "
                              f"prospect {spoke.state} {seconds(spoke.ms)}", file=sys.stderr)
                    if profile_name in programme_pages:
                        programme_pages[profile_name].append(
                            programme_page_visit(playwright, next(iter(servers.values())), profile))
        finally:
            for server in servers.values():
                server.__exit__(None, None, None)

    text = table(cells, programme_pages, args, started)
    print(text)
    for variant, files in samples.items():
        print(f"\nLargest responses of a first visit, {variant} ({args.profiles[0]}):\n{largest_files(files)}")
    if args.table_file:
        args.table_file.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
