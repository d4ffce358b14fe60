"""A site build in two steps, whatever the engine that renders the pages:
``prepare`` (load the catalogue, generate, stop on any error) before the engine runs, and
``finish`` (write the extra files and the quiz runtime, print the report) after it.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import browser
from ..catalogue import DEFAULT_DIRECTORY, Catalogue, check_catalogue
from ..catalogue.read_memo import ReadMemo
from ..errors import StaffError, UsageError
from ..today import parse_today
from .search_text import fold_search_index
from . import SiteContent, generate, write_runtime
from .publishing import publish

# How `python -m generator build` tells the engine's hooks which catalogue and day to use.
CATALOGUE_VARIABLE = "GENERATOR_CATALOGUE"
TODAY_VARIABLE = "GENERATOR_TODAY"


class SiteBuildError(StaffError):
    """The build must stop; the message says why, in words staff can act on."""

    exit_code = 1


@dataclass
class PreparedSite:
    catalogue: Catalogue
    content: SiteContent


@dataclass
class Reuse:
    """What one preparation leaves to the next (``serve`` keeps one): the files read and the
    programmes generated, reused when their sources did not change."""
    reads: ReadMemo = field(default_factory=ReadMemo)
    programmes: dict = field(default_factory=dict)


def catalogue_directory() -> Path:
    return Path(os.environ.get(CATALOGUE_VARIABLE) or DEFAULT_DIRECTORY)


def build_day() -> _dt.date:
    try:
        return parse_today(os.environ.get(TODAY_VARIABLE))
    except UsageError as error:   # the hooks stop the build with the same sentence
        raise SiteBuildError(error.sentence) from None


def prepare(directory: Path | None = None, today: _dt.date | None = None, reuse: Reuse | None = None) -> PreparedSite:
    catalogue, problems = check_catalogue(directory or catalogue_directory(), reuse.reads if reuse else None)
    if problems:
        raise SiteBuildError("Le catalogue a des problèmes ; le site n'est pas construit :\n"
                             + "\n".join(str(problem) for problem in problems))
    content = generate(catalogue, today or build_day(), reuse.programmes if reuse else None)
    if content.report.errors:
        raise SiteBuildError(content.report.text() + "\nLe site n'est pas construit :\n"
                             + "\n".join(content.report.errors))
    return PreparedSite(catalogue, content)


def finish(prepared: PreparedSite, site_dir: Path | str) -> str:
    site_dir = Path(site_dir)
    try:
        for path, data in prepared.content.files.items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            write_runtime(site_dir, prepared.catalogue)
        except browser.RuntimeMissing as error:
            raise SiteBuildError(str(error)) from None
        except browser.SnapshotFailed as error:
            raise SiteBuildError(f"{error}\nVérifiez que Node.js fonctionne (« node --version ») et que « npm ci » "
                                 "a réussi, puis relancez la construction.") from None
        fold_search_index(site_dir / "search" / "search_index.json")  # before publish: precompressed after
        report = prepared.content.report.text() + publish(site_dir, prepared.catalogue)  # CSP, _headers, robots
        report += browser.finish_best_later()   # quick brotli copies shipped: the best ones for the next build
    except OSError as error:   # a full disk, a read-only folder: the site being built is dropped, not site/
        where = f"« {error.filename} »" if error.filename else "le site en construction"
        raise SiteBuildError(f"Écriture impossible dans {where} ({error.strerror or error}) : libérez de la place "
                             "sur le disque ou vérifiez les droits du dossier, puis relancez la construction ; le "
                             "site précédent est conservé.") from None
    print(report, flush=True)
    return report
