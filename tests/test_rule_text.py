"""Rule text derived from the rules: each condition describes itself in French; labels written by
staff are checked against their condition (warnings, never failures)."""
import shutil
import subprocess
import sys

import pytest

from generator.catalogue import load_catalogue
from generator.catalogue.labels import label_amounts, label_warning, label_warnings
from generator.rules.conditions import build_condition

from .conftest import CATALOGUE, FIXTURES, ROOT
from .site_helpers import build


@pytest.fixture(scope="module")
def questions(catalogue):
    model = catalogue.programme("cqp-assistant-medical").model
    return {q.key: q for q in model.questions}


@pytest.mark.parametrize("condition, text", [
    ({"answer": "level4_or_bac", "equals": True}, "baccalauréat ou niveau 4 : oui"),
    ({"answer": "level4_or_bac", "equals": False}, "baccalauréat ou niveau 4 : non"),
    ({"answer": "dental_qualification", "equals": "cqp-aide-dentaire"},
     "qualification dentaire : « Oui, le CQP aide dentaire »"),
    ({"answer": "placement", "in": ["contract", "host"]},
     "cabinet médical pour la pratique : « Oui, j'ai un contrat de travail avec un cabinet médical » ou "
     "« Oui, un cabinet médical a accepté de m'accueillir »"),
    ({"answer": "medical_secretary_experience_months", "at_least": 12},
     "expérience de secrétaire médical(e) : au moins 12 mois (1 an)"),
    ({"answer": "medical_secretary_experience_months", "at_least": 18},
     "expérience de secrétaire médical(e) : au moins 18 mois"),
    ({"answer": "afgsu1_attestation_date", "less_than_years_old": 5, "on": "jury_date"},
     "attestation AFGSU niveau 1 : moins de 5 ans à la « date de passage devant le jury »"),
    ({"all": [{"answer": "dental_qualification", "in": ["titre-assistant-dentaire", "cqp-aide-dentaire"]},
              {"answer": "dental_assistant_experience_months", "at_least": 24}]},
     "(qualification dentaire : « Oui, le titre d'assistant(e) dentaire » ou « Oui, le CQP aide dentaire ») "
     "et expérience d'assistant(e) dentaire : au moins 24 mois (2 ans)"),
    ({"any": [{"answer": "level4_or_bac", "equals": True},
              {"all": [{"answer": "level4_or_bac", "equals": False},
                       {"not": {"answer": "placement", "equals": "none"}}]}]},
     "baccalauréat ou niveau 4 : oui ou (baccalauréat ou niveau 4 : non et "
     "non (cabinet médical pour la pratique : « Pas encore »))"),
])
def test_each_condition_kind_describes_itself(questions, condition, text):
    assert build_condition(condition).describe(questions) == text


@pytest.mark.parametrize("label, amounts", [
    ("1 an d'expérience", {("mois", 12)}),
    ("un an d'expérience", {("mois", 12)}),
    ("12 mois d'expérience", {("mois", 12)}),
    ("AFGSU niveau 1 de moins de 5 ans le jour du jury", {("mois", 60)}),
    ("titre de niveau 4", set()),
    ("2 ans, ou 14 h de cours", {("mois", 24), ("heures", 14)}),
])
def test_labels_state_amounts(label, amounts):
    assert label_amounts(label) == amounts


@pytest.mark.parametrize("label, condition, warns", [
    ("1 an d'expérience", {"answer": "medical_secretary_experience_months", "at_least": 12}, False),
    ("12 mois d'expérience", {"answer": "medical_secretary_experience_months", "at_least": 12}, False),
    ("2 ans d'expérience", {"answer": "medical_secretary_experience_months", "at_least": 12}, True),
    ("de l'expérience", {"answer": "medical_secretary_experience_months", "at_least": 12}, True),
    ("AFGSU de moins de 5 ans", {"answer": "afgsu1_attestation_date", "less_than_years_old": 5, "on": "jury_date"}, False),
    ("AFGSU de moins de 3 ans", {"answer": "afgsu1_attestation_date", "less_than_years_old": 5, "on": "jury_date"}, True),
    ("avoir le bac depuis 2 ans", {"answer": "level4_or_bac", "equals": True}, False),  # nothing to compare
])
def test_a_label_that_disagrees_with_its_condition_warns(questions, label, condition, warns):
    warning = label_warning(label, build_condition(condition), questions)
    assert (warning is not None) == warns
    if warns:
        assert "la condition vérifie" in warning


def test_the_real_catalogue_and_fixtures_labels_agree_with_their_conditions():
    for directory in (CATALOGUE, FIXTURES / "mini", FIXTURES / "kinds"):
        for entry in load_catalogue(directory).programmes:
            assert label_warnings(entry.data) == [], entry.id


def _drifted(tmp_path):
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, directory)
    path = directory / "cqp-assistant-medical.yaml"
    text = path.read_text(encoding="utf-8")
    old = "label: 1 an d'expérience sur un poste de secrétaire médical(e)"
    assert old in text
    path.write_text(text.replace(old, "label: 2 ans d'expérience sur un poste de secrétaire médical(e)"),
                    encoding="utf-8")
    line = 1 + text[:text.index(old)].count("\n")
    return directory, line


def test_validate_prints_the_warning_with_file_and_line_and_still_succeeds(tmp_path):
    directory, line = _drifted(tmp_path)
    completed = subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(directory), "validate"],
                               cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0
    assert "Catalogue valide" in completed.stdout
    assert f"cqp-assistant-medical.yaml, ligne {line} :" in completed.stderr
    assert "« 2 ans »" in completed.stderr and "au moins 12 mois (1 an)" in completed.stderr


def test_the_build_report_lists_the_warning(tmp_path):
    directory, _ = _drifted(tmp_path)
    completed = build(directory, tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    assert "libellé à revoir" in completed.stdout and "« 2 ans »" in completed.stdout


def test_the_rules_command_shows_each_label_with_its_condition_in_french(tmp_path):
    directory, _ = _drifted(tmp_path)
    completed = subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(directory), "rules",
                                "cqp-assistant-medical"], cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    index = lines.index("  - 2 ans d'expérience sur un poste de secrétaire médical(e)")
    assert lines[index + 1] == "    condition vérifiée : expérience de secrétaire médical(e) : au moins 12 mois (1 an)"
    assert lines[index + 2].startswith("    AVERTISSEMENT : le libellé dit « 2 ans »")
    assert completed.stdout.count("AVERTISSEMENT") == 1
    assert lines[0] == "Conditions d'accès (une suffit) :" and "Motifs de dispense :" in lines
