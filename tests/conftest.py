import datetime as dt
import fcntl
import json
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "catalogue"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 22)

# Every build a test starts, in a copy of the project too, reuses the project's precompressed
# runtime files (brotli of the 9.6 MB wasm alone takes about 30 s): the cache is keyed by content.
os.environ.setdefault("QUIZ_COMPRESS_CACHE", str(ROOT / ".cache" / "precompressed"))
os.environ.setdefault("QUIZ_SURVEY_CACHE", str(ROOT / ".cache" / "stdlib-survey"))
# And its memory snapshots, keyed by what they are made of (a changed maker script misses it).
os.environ.setdefault("QUIZ_SNAPSHOT_CACHE", str(ROOT / ".cache" / "snapshots"))
# Each page's search entries and the compiled templates (build_cache.py), kept beside them.
os.environ.setdefault("GENERATOR_SEARCH_CACHE", str(ROOT / ".cache" / "search-entries"))
os.environ.setdefault("GENERATOR_JINJA_CACHE", str(ROOT / ".cache" / "jinja"))


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue(CATALOGUE)


@pytest.fixture(scope="session")
def cqp(catalogue):
    return catalogue.programme("cqp-assistant-medical").model


@contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_build(tmp_path_factory, name: str, catalogue_dir: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """``catalogue_dir`` built once for the whole test run by `python -m generator build
    --compression-maximale` (what is published: the host tests weigh its bytes), even
    when pytest-xdist runs the tests in several processes (the first builds, under a lock, the
    others read its result): (site directory, completed run). Tests read it; none may change it."""
    from .site_helpers import build
    run_directory = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_directory = run_directory.parent   # shared by the workers of this run
    site, result = run_directory / f"shared-{name}", run_directory / f"shared-{name}.json"
    with _locked(run_directory / f"shared-{name}.lock"):
        if not result.exists():
            run = build(catalogue_dir, site, best_compression=True)   # the bytes a published site has
            result.write_text(json.dumps([run.args, run.returncode, run.stdout, run.stderr]), encoding="utf-8")
    run = subprocess.CompletedProcess(*json.loads(result.read_text(encoding="utf-8")))
    assert run.returncode == 0, run.stderr
    return site, run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real catalogue built once per test run: (site directory, completed run)."""
    return shared_build(tmp_path_factory, "real", CATALOGUE)


@pytest.fixture(scope="session")
def kinds_site(tmp_path_factory):
    """tests/fixtures/kinds (every question kind) built once per test run: (site directory, completed run)."""
    return shared_build(tmp_path_factory, "kinds", FIXTURES / "kinds")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The real catalogue with made-up publishing facts (sessions, price, identity:
    tests/publishing_helpers.py) built once per test run: (site directory, completed run)."""
    from .publishing_helpers import published_catalogue
    directory = tmp_path_factory.mktemp("published-catalogue") / "catalogue"
    return shared_build(tmp_path_factory, "published", published_catalogue(directory))


@pytest.fixture(scope="session")
def chromium():
    """One Debian Chromium for the whole run (per pytest-xdist worker); each test opens its own
    context (fresh cookies, storage and cache) or page in it."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from generator.browser.static_server import CHROMIUM, CHROMIUM_ARGS
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
