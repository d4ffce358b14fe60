"""Catalogues with every publishing fact filled (tests/fixtures/publishing: made-up values)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .conftest import CATALOGUE, FIXTURES

PUBLISHING = FIXTURES / "publishing"
ADDITIONS = (PUBLISHING / "programme-additions.yaml").read_text(encoding="utf-8")
ADDED_KEYS = re.findall(r"^([a-z_]+):", ADDITIONS, flags=re.M)


def with_publishing_facts(text: str) -> str:
    """A programme file's text with its price, pathways, results, sessions and lheo blocks
    replaced by the fixture's (a top-level block runs until the next unindented line)."""
    for key in ADDED_KEYS:
        text = re.sub(rf"^{key}:.*?(?=^[^\s#])", "", text + "\n__end__:\n", flags=re.M | re.S)
        text = text[: text.rindex("\n__end__:\n")] + "\n"
    return text.rstrip("\n") + "\n\n" + ADDITIONS


def published_catalogue(directory: Path, programme_file: Path = CATALOGUE / "cqp-assistant-medical.yaml") -> Path:
    """A catalogue of one programme with every fact filled, and the filled organisation."""
    directory.mkdir(parents=True)
    shutil.copy(PUBLISHING / "organisation.yaml", directory / "organisation.yaml")
    text = programme_file.read_text(encoding="utf-8")
    (directory / programme_file.name).write_text(with_publishing_facts(text), encoding="utf-8")
    return directory
