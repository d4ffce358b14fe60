"""The in-browser self-assessment (quiz): its pages, and the self-hosted runtime they load.

For the site build:
- ``quiz_pages(catalogue)``: one ``QuizPage`` per programme (path ``<id>/quiz/index.html``, title,
  ``head_html`` and ``body_html`` to put in the site's layout, or ``embed_html``: both in one
  piece for a Markdown page);
- ``write_assets(site_dir, catalogue)``: writes ``quiz-runtime/`` (Pyodide's files from
  node_modules in a content-named folder with a trimmed standard library, the rules wheel and
  its lock file, each programme's rules data, the manifest, the quiz's JS and CSS, and the
  precompressed .br/.gz siblings); see runtime.py;
- ``finish_best_later()``: once the site is written, starts the best brotli compression of the
  large files that got a quick copy and returns the report's line (precompress.py).
``build_into(site_dir, catalogue)`` does both and writes each quiz page as a bare HTML page;
it is the whole quiz when no other layout is wanted.
"""
from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

from .page import RUNTIME_FOLDER, QuizPage, quiz_page, standalone_html
from .precompress import BEST_VARIABLE, finish_best_later, write_siblings
from .runtime import RuntimeMissing, SnapshotFailed, write_runtime
from .service_worker import write_service_worker

ASSETS_DIR = Path(__file__).with_name("assets")
ASSET_FILES = ("quiz.mjs", "quiz-worker.mjs", "quiz.css")

__all__ = ["QuizPage", "RuntimeMissing", "SnapshotFailed", "quiz_page", "quiz_pages", "write_assets", "build_into",
           "RUNTIME_FOLDER", "BEST_VARIABLE", "finish_best_later"]


def quiz_pages(catalogue, today: _dt.date | None = None, dispenses_url: str = "../dispenses/",
               contact_url: str = "../#contact") -> list[QuizPage]:
    """``today``: the build day (the sessions still to come); the page also hides, on the
    visitor's day, the sessions that have started since."""
    today = today or _dt.date.today()
    return [quiz_page(entry, catalogue.organisation, today, dispenses_url, contact_url)
            for entry in catalogue.programmes]


def write_assets(site_dir: Path | str, catalogue, snapshot: bool = True, trim_stdlib: bool = True) -> dict:
    runtime_dir = Path(site_dir) / RUNTIME_FOLDER
    written = write_runtime(runtime_dir, catalogue, snapshot=snapshot, trim_stdlib=trim_stdlib)
    for name in ASSET_FILES:
        shutil.copyfile(ASSETS_DIR / name, runtime_dir / name)
        write_siblings(runtime_dir / name)
    write_service_worker(runtime_dir, written["folder"].rstrip("/"))
    return written


def build_into(site_dir: Path | str, catalogue, snapshot: bool = True) -> list[QuizPage]:
    site_dir = Path(site_dir)
    write_assets(site_dir, catalogue, snapshot=snapshot)
    pages = quiz_pages(catalogue)
    for page in pages:
        target = site_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(standalone_html(page, catalogue.programme(page.programme_id)), encoding="utf-8")
    return pages
