"""The catalogue on disk: one YAML file per programme plus ``organisation.yaml``.

``check_catalogue`` reads and checks every file and reports every problem at once, each
with its file and line; ``load_catalogue`` returns the catalogue or raises with them all.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..rules.model import Programme
from .checks import SEMANTIC_FIELDS, programme_problems
from .labels import label_warnings
from .schema import ORGANISATION, PROGRAMME
from .view import ProgrammeView, programme_view
from .yaml_source import Problem, YamlSource, read_yaml, to_plain

ORGANISATION_FILE = "organisation.yaml"
DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "catalogue"


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

    def programme(self, programme_id: str) -> ProgrammeEntry:
        for entry in self.programmes:
            if entry.id == programme_id:
                return entry
        known = ", ".join(entry.id for entry in self.programmes)
        raise KeyError(f"Programme inconnu : « {programme_id} » (programmes du catalogue : {known}).")


class CatalogueError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_catalogue(directory: Path | str = DEFAULT_DIRECTORY) -> tuple[Catalogue | None, list[Problem]]:
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        return None, [Problem(_shown(directory), 1, "Dossier du catalogue introuvable.")]
    organisation = None
    organisation_path = directory / ORGANISATION_FILE
    if not organisation_path.exists():
        problems.append(Problem(_shown(organisation_path), 1,
                                "Fichier manquant : il décrit l'organisme (nom, adresse, contact)."))
    else:
        source, read_problems = read_yaml(organisation_path, _shown(organisation_path))
        problems += read_problems
        if source:
            shape = ORGANISATION.check(source.tree, ())
            problems += [source.problem(p, s) for p, s in shape]
            organisation = to_plain(source.tree) if not shape else None
    entries = []
    files = sorted(p for p in directory.iterdir()
                   if p.suffix in (".yaml", ".yml") and p.name != ORGANISATION_FILE)
    if not files:
        problems.append(Problem(_shown(directory), 1, "Aucun programme : ajoutez un fichier YAML par programme."))
    for path in files:
        entry, entry_problems = _read_programme(path)
        problems += entry_problems
        if entry:
            entries.append(entry)
    if problems:
        return None, problems
    return Catalogue(directory, organisation, entries), []


def _read_programme(path: Path) -> tuple[ProgrammeEntry | None, list[Problem]]:
    source, problems = read_yaml(path, _shown(path))
    if not source:
        return None, problems
    shape = PROGRAMME.check(source.tree, ())
    # The deeper checks run unless a shape fault lies in what they read, so that a faulty
    # text elsewhere does not hide, say, hours that do not add up.
    deeper_checks_possible = all(p and p[0] not in SEMANTIC_FIELDS for p, _ in shape)
    semantic = programme_problems(source.tree, path.stem) if deeper_checks_possible else []
    if shape or semantic or problems:
        return None, problems + [source.problem(p, s) for p, s in shape + semantic]
    data = to_plain(source.tree)
    return ProgrammeEntry(data["id"], source, data, Programme.from_data(data)), []


def load_catalogue(directory: Path | str = DEFAULT_DIRECTORY) -> Catalogue:
    catalogue, problems = check_catalogue(directory)
    if problems:
        raise CatalogueError(problems)
    return catalogue
