"""The catalogue on disk: one YAML file per programme plus ``organisation.yaml``.

``check_catalogue`` reads and checks every file and reports every problem at once, each
with its file and line; ``load_catalogue`` returns the catalogue or raises with them all.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..editor_files import is_editor_file
from ..errors import StaffError
from ..paths import DEFAULT_CATALOGUE
from ..rules.model import Programme
from .checks import programme_problems
from .labels import label_warnings
from .read_memo import ReadMemo
from .schema import ORGANISATION, PROGRAMME
from .view import ProgrammeView, programme_view
from .yaml_source import Problem, YamlSource, read_yaml, to_plain

ORGANISATION_FILE = "organisation.yaml"
DEFAULT_DIRECTORY = DEFAULT_CATALOGUE


@dataclass
class ProgrammeEntry:
    id: str
    source: YamlSource
    data: dict            # plain JSON-ready data: what the pages and the browser read
    model: Programme      # what the rules read

    @cached_property
    def warnings(self) -> list[Problem]:
        """What staff should look at but that does not stop anything: labels that disagree with
        their condition (``labels.py``)."""
        return [self.source.problem(path, sentence) for path, sentence in label_warnings(self.data)]

    @cached_property
    def view(self) -> ProgrammeView:
        """What the site and the RNCP commands read: the data with its derived facts."""
        return programme_view(self.data)

    def data_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True)


@dataclass
class Catalogue:
    directory: Path
    organisation: dict
    programmes: list[ProgrammeEntry]
    organisation_source: YamlSource | None = None   # its lines, for sentences about it

    def programme(self, programme_id: str) -> ProgrammeEntry:
        for entry in self.programmes:
            if entry.id == programme_id:
                return entry
        known = ", ".join(entry.id for entry in self.programmes)
        raise KeyError(f"Programme inconnu : « {programme_id} » (programmes du catalogue : {known}).")


class CatalogueError(StaffError):
    """Every problem of the catalogue at once (each with its file and line)."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


PROGRAMME_SUFFIXES = (".yaml", ".yml")   # in any case: « X.YAML » is a programme file too


def programme_files(directory: Path) -> list[Path]:
    """The programme files of ``directory``: ``*.yaml``/``*.yml`` (any case), not hidden, not an
    editor's lock or backup file (``editor_files.py``), not ``organisation.yaml``. A directory or a
    dangling link is skipped; anything else (a regular file, a FIFO, a socket, a file whose kind
    cannot be told) is kept: reading it then states, with its name, why it cannot be read."""
    files = []
    for path in directory.iterdir():
        if path.suffix.lower() not in PROGRAMME_SUFFIXES or path.name == ORGANISATION_FILE \
                or is_editor_file(path):
            continue
        try:
            if path.is_dir() or not path.exists():  # a directory, a dangling link
                continue
        except OSError:
            pass
        files.append(path)
    return sorted(files)


def duplicate_problems(files: list[Path]) -> list[Problem]:
    """Two files naming the same programme (``x.yaml`` and ``x.yml`` or ``x.YAML``): its pages and
    LHÉO formation would be written twice, one silently winning."""
    by_id: dict[str, list[Path]] = {}
    for path in files:
        by_id.setdefault(path.stem, []).append(path)
    return [Problem(_shown(paths[1]), 1,
                    f"Le programme « {programme_id} » est décrit par {len(paths)} fichiers ("
                    + ", ".join(path.name for path in paths) + ") : gardez-en un seul (ses pages et son offre "
                    "LHÉO seraient écrites deux fois).")
            for programme_id, paths in by_id.items() if len(paths) > 1]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_catalogue(directory: Path | str = DEFAULT_DIRECTORY,
                    memo: ReadMemo | None = None) -> tuple[Catalogue | None, list[Problem]]:
    """``memo``: what the previous check read (``serve`` keeps one): unchanged files are not read again."""
    directory = Path(directory)
    memo = memo or ReadMemo()
    problems: list[Problem] = []
    if not directory.is_dir():
        return None, [Problem(_shown(directory), 1, "Dossier du catalogue introuvable.")]
    organisation = organisation_source = None
    organisation_path = directory / ORGANISATION_FILE
    if not os.path.lexists(organisation_path):
        problems.append(Problem(_shown(organisation_path), 1,
                                "Fichier manquant : il décrit l'organisme (nom, adresse, contact)."))
    else:
        organisation, organisation_source, read_problems = memo.read("organisation", organisation_path,
                                                                     _read_organisation)
        problems += read_problems
    entries = []
    files = programme_files(directory)
    if not files:
        problems.append(Problem(_shown(directory), 1, "Aucun programme : ajoutez un fichier YAML par programme."))
    problems += duplicate_problems(files)
    for path in files:
        entry, entry_problems = memo.read("programme", path, _read_programme)
        problems += entry_problems
        if entry:
            entries.append(entry)
    if problems:
        return None, sorted(problems, key=lambda problem: (problem.file, problem.line))
    return Catalogue(directory, organisation, entries, organisation_source), []


def _read_organisation(path: Path) -> tuple[dict | None, YamlSource | None, list[Problem]]:
    source, problems = read_yaml(path, _shown(path))
    if not source:
        return None, None, problems
    shape = ORGANISATION.check(source.tree, ())
    organisation = to_plain(source.tree) if not shape else None
    return organisation, source, problems + [source.problem(p, s) for p, s in shape]


def check_programme_file(path: Path, as_path: Path) -> list[Problem]:
    """The problems of ``path`` read as if it were the programme file ``as_path`` (its name
    gives the programme's identifier): how a rewritten file is checked before it replaces
    the real one. Programme files are checked one by one, so this is what ``check_catalogue``
    would say of it."""
    _, problems = _read_programme(Path(path), as_path=Path(as_path))
    return problems


def _read_programme(path: Path, as_path: Path | None = None) -> tuple[ProgrammeEntry | None, list[Problem]]:
    named = as_path or path
    source, problems = read_yaml(path, _shown(named))
    if not source:
        return None, problems
    shape = PROGRAMME.check(source.tree, ())
    # Each deeper check runs unless a shape fault lies in what it reads (checks.py).
    semantic = programme_problems(source.tree, named.stem, [p for p, _ in shape]) if isinstance(source.tree, dict) else []
    if shape or semantic or problems:
        return None, problems + [source.problem(p, s) for p, s in shape + semantic]
    data = to_plain(source.tree)
    return ProgrammeEntry(data["id"], source, data, Programme.from_data(data)), []


def load_catalogue(directory: Path | str = DEFAULT_DIRECTORY) -> Catalogue:
    catalogue, problems = check_catalogue(directory)
    if problems:
        raise CatalogueError(problems)
    return catalogue
