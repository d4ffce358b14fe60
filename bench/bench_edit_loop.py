"""The staff's edit loop, measured (issue 16): first build of a fresh clone, warm build, and a text
edit under `serve` until the open page shows it.

    .venv/bin/python bench/bench_edit_loop.py [--user-caches] [--programmes N] [REVISION …]  (default: HEAD)

Each revision is cloned afresh into a temporary directory (node_modules linked from this project;
empty caches, as on a machine that never built the site, or with --user-caches the caches a clone
finds on a machine where the site was built before: build_cache.py), then:
  1. first build (nothing cached: Node's stdlib survey, the snapshot, quick brotli copies of the
     large runtime files, whose best copies a background process then computes);
  2. warm build (the same again, caches filled);
  3. `serve` on a copy of the catalogue (with --programmes N: N synthetic copies of the programme,
     bench_build.py's), the programme page open in Chromium; the title is edited and saved: seconds
     until the open page shows it. A revision without live reload is timed until the server answers
     the new page (the earliest a manual refresh could show it).
Prints the figures and the machine's load (`uptime`): the machine may be shared.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PROGRAMME = "cqp-assistant-medical"
OLD_TITLE = "title: CQP Assistant(e) médical(e)\n"
NEW_TITLE = "Assistant médical, titre modifié"


def clone(revision: str, work: Path, user_caches: bool = False) -> tuple[Path, dict]:
    target = work / f"clone-{revision[:12]}"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(PROJECT), str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "--quiet", revision], check=True)
    (target / "node_modules").symlink_to((PROJECT / "node_modules").resolve())
    caches = work / f"caches-{revision[:12]}"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(target)}
    names = ("QUIZ_COMPRESS_CACHE", "QUIZ_SURVEY_CACHE", "QUIZ_SNAPSHOT_CACHE", "GENERATOR_SEARCH_CACHE",
             "GENERATOR_JINJA_CACHE", "GENERATOR_BEST_COMPRESSION")
    for name in names:
        environment.pop(name, None)
    if not user_caches:   # every user-level cache (build_cache.py) empty, as on a machine that never built
        environment["XDG_CACHE_HOME"] = str(caches)
    return target, environment


def timed_build(project: Path, environment: dict, site: Path) -> float:
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(site)], cwd=project,
                         env=environment, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if run.returncode:
        raise SystemExit(f"build failed in {project}:\n{run.stderr[-2000:]}")
    return elapsed


def _wait(condition, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def edit_under_serve(project: Path, environment: dict, work: Path, port: int,
                     programmes: int = 0) -> tuple[float, str]:
    catalogue = work / f"catalogue-{port}"
    programme_id, old_title = PROGRAMME, OLD_TITLE
    if programmes:
        from bench_build import synthetic_catalogue
        synthetic_catalogue(catalogue, programmes)
        programme_id, old_title = "programme-0000", "title: Programme synthétique 0\n"
    else:
        shutil.copytree(project / "catalogue", catalogue)
    site = work / f"served-{port}"
    serve = subprocess.Popen([sys.executable, "-m", "generator", "--catalogue", str(catalogue), "serve",
                              "--port", str(port), "--site-dir", str(site)], cwd=project, env=environment,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    origin = f"http://127.0.0.1:{port}"
    page_url = f"{origin}/{programme_id}/"
    try:
        if not _wait(lambda: "<h1" in _get(page_url), 1800, 0.5):
            raise SystemExit("serve did not answer")
        live = "_apercu/rechargement.js" in _get(page_url)
        from playwright.sync_api import sync_playwright
        from generator.browser.static_server import CHROMIUM, CHROMIUM_ARGS
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(page_url)
            programme = catalogue / f"{programme_id}.yaml"
            text = programme.read_text(encoding="utf-8")
            time.sleep(1.0)   # let serve settle after its first build
            saved = time.monotonic()
            programme.write_text(text.replace(old_title, f"title: {NEW_TITLE}\n"), encoding="utf-8")
            if live:
                page.locator("h1", has_text=NEW_TITLE).wait_for(timeout=600_000)
                how = "open page updated by itself"
            else:
                if not _wait(lambda: NEW_TITLE in _get(page_url), 600):
                    raise SystemExit("the edit never showed")
                how = "new page served (a manual refresh needed)"
            elapsed = time.monotonic() - saved
            browser.close()
        return elapsed, how
    finally:
        serve.terminate()
        serve.wait(30)


def main(revisions: list[str], user_caches: bool = False, programmes: int = 0) -> None:
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory(prefix="bench-edit-loop-") as temporary:
        work = Path(temporary)
        for number, revision in enumerate(revisions):
            sha = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", revision], capture_output=True,
                                 text=True, check=True).stdout.strip()
            project, environment = clone(sha, work, user_caches)
            if programmes:   # the builds of the real catalogue are measured without --programmes
                edit, how = edit_under_serve(project, environment, work, 8700 + number, programmes)
                print(f"{revision} ({sha[:10]}): {programmes} programmes, text edit under serve -> {how}: {edit:.1f} s")
            else:
                first = timed_build(project, environment, work / f"site-{number}")
                warm = timed_build(project, environment, work / f"site-{number}")
                edit, how = edit_under_serve(project, environment, work, 8700 + number)
                print(f"{revision} ({sha[:10]}{', user caches' if user_caches else ''}): fresh clone's first build "
                      f"{first:.1f} s; warm build {warm:.1f} s; text edit under serve -> {how}: {edit:.1f} s")
            print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revisions", nargs="*", default=["HEAD"])
    parser.add_argument("--user-caches", action="store_true", help="the caches of a machine that built before")
    parser.add_argument("--programmes", type=int, default=0, help="serve N synthetic programmes (edit only)")
    arguments = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    main(arguments.revisions, arguments.user_caches, arguments.programmes)
