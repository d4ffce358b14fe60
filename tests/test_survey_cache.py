"""Issue 16: the build's stdlib survey is reused while what it depends on is unchanged (Pyodide, the
rules' code, the code paths of the probes); editing a text does not run it again."""
import json

import pytest

from generator.browser import runtime
from generator.browser.runtime import PYODIDE_DIR, probe_cases, survey_key
from generator.catalogue import load_catalogue

from .site_helpers import catalogue_copy

pytestmark = pytest.mark.skipif(not (PYODIDE_DIR / "pyodide.asm.wasm").exists(), reason="npm ci not run")


def _key(tmp_path, name, edit=None, wheel="w"):
    catalogue = load_catalogue(catalogue_copy(tmp_path / name, edit))
    return survey_key(PYODIDE_DIR, wheel, probe_cases(catalogue))


def test_a_text_edit_keeps_the_key_a_rule_or_the_code_changes_it(tmp_path):
    base = _key(tmp_path, "a")
    assert _key(tmp_path, "b", lambda t: t.replace("title: CQP Assistant(e) médical(e)", "title: Nouveau titre")) == base
    assert _key(tmp_path, "c", lambda t: t.replace("Vocabulaire médical", "Vocabulaire")) == base
    assert _key(tmp_path, "d", lambda t: t.replace("at_least: 12}\n    - id: titre", "at_least: 24}\n    - id: titre")) != base
    assert _key(tmp_path, "e", wheel="other rules code") != base


def test_a_cached_survey_does_not_run_node(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "SURVEY_CACHE", tmp_path / "cache")
    catalogue = load_catalogue(catalogue_copy(tmp_path / "catalogue"))
    key = survey_key(PYODIDE_DIR, "w", probe_cases(catalogue))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / f"{key}.json").write_text(json.dumps({"modules": {"json": "json/__init__.py"},
                                                                 "compiled": {}}), encoding="utf-8")
    ran = []
    monkeypatch.setattr(runtime, "_node", lambda *args: ran.append(args))
    modules, compiled = runtime._survey_stdlib("node", PYODIDE_DIR, tmp_path, catalogue, "w")
    assert ran == [] and modules == {"json": "json/__init__.py"} and compiled == {}


def test_the_build_caches_are_the_users_shared_by_every_clone(monkeypatch, tmp_path):
    from generator.browser.build_cache import cache_dir
    monkeypatch.delenv("QUIZ_SURVEY_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir("stdlib-survey", "QUIZ_SURVEY_CACHE") == tmp_path / "xdg" / "catalogue-formations" / "stdlib-survey"
    monkeypatch.setenv("QUIZ_SURVEY_CACHE", str(tmp_path / "mine"))
    assert cache_dir("stdlib-survey", "QUIZ_SURVEY_CACHE") == tmp_path / "mine"
