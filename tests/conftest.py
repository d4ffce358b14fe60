import datetime as dt
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "catalogue"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue(CATALOGUE)


@pytest.fixture(scope="session")
def cqp(catalogue):
    return catalogue.programme("cqp-assistant-medical").model


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real catalogue built once per test session by `python -m generator build`:
    (site directory, completed run). Site tests read it; none may change it."""
    from .site_helpers import build
    directory = tmp_path_factory.mktemp("built-site")
    run = build(CATALOGUE, directory)
    assert run.returncode == 0, run.stderr
    return directory, run
