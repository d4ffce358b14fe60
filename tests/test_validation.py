"""The validator on broken copies of the real catalogue: every fault named with its file,
its line and a sentence; all problems reported at once."""
import shutil
import subprocess
import sys

import pytest

from generator.catalogue import CatalogueError, check_catalogue, load_catalogue

from .conftest import CATALOGUE, ROOT

PROGRAMME_FILE = "cqp-assistant-medical.yaml"
ORGANISATION_FILE = "organisation.yaml"


def _copy(tmp_path):
    target = tmp_path / "catalogue"
    target.mkdir()
    for name in (PROGRAMME_FILE, ORGANISATION_FILE):
        shutil.copy(CATALOGUE / name, target / name)
    return target


def _break(directory, name, *replacements):
    """Apply (old, new) replacements to a file, each old text occurring exactly once.

    Returns the new text's lines, to compute the line numbers the validator must give."""
    path = directory / name
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text.splitlines()


def _line(lines, fragment):
    """1-based number of the only line containing ``fragment``."""
    found = [number for number, line in enumerate(lines, start=1) if fragment in line]
    assert len(found) == 1, (fragment, found)
    return found[0]


def _problems(directory):
    catalogue, problems = check_catalogue(directory)
    assert catalogue is None and problems
    return problems


def _single(directory, name, line):
    problems = _problems(directory)
    assert [(p.file.endswith(name), p.line) for p in problems] == [(True, line)], problems
    return problems[0].message


def test_real_catalogue_is_clean():
    catalogue, problems = check_catalogue(CATALOGUE)
    assert problems == []
    assert [entry.id for entry in catalogue.programmes] == ["cqp-assistant-medical"]


def test_untouched_copy_is_clean(tmp_path):
    assert check_catalogue(_copy(tmp_path))[1] == []


def test_yaml_syntax_error(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("\nformat: Formation en alternance\n", "\nformat: Formation : en alternance\n"))
    message = _single(directory, PROGRAMME_FILE, _line(lines, "format: Formation : en alternance"))
    assert "YAML" in message


def test_duplicate_yaml_key(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("\nduration_months: 8\n", "\nduration_months: 8\nduration_months: 9\n"))
    message = _single(directory, PROGRAMME_FILE, _line(lines, "duration_months: 9"))
    assert "duration_months" in message and "deux fois" in message


def test_unknown_field_with_suggestion(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("exempted_by: [experience-secretaire-medicale]", "exempted_bye: [experience-secretaire-medicale]"))
    message = _single(directory, PROGRAMME_FILE, _line(lines, "exempted_bye:"))
    assert "« exempted_bye »" in message and "Vouliez-vous dire « exempted_by »" in message


def test_missing_field(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("  total: 279\n  evaluations: 13\n", "  total: 279\n"))
    hours_line = _line(lines, "  total: 279") - 1
    assert lines[hours_line - 1] == "hours:"
    message = _single(directory, PROGRAMME_FILE, hours_line)
    assert "manque" in message and "« evaluations »" in message


def test_wrong_type(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("\nduration_months: 8\n", "\nduration_months: huit\n"))
    message = _single(directory, PROGRAMME_FILE, _line(lines, "duration_months: huit"))
    assert "duration_months" in message and "nombre entier" in message and "huit" in message


@pytest.mark.parametrize("old,new,shown", [
    ("\nformat: Formation en alternance\n", "\nformat:\n", "(vide)"),
    ("  fail_if_missing: false\n", "  fail_if_missing: 0\n", "« 0 »"),
    ("\nduration_months: 8\n", "\nduration_months: true\n", "« true »"),
])
def test_wrong_value_shown_as_written(tmp_path, old, new, shown):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, (old, new))
    message = _single(directory, PROGRAMME_FILE, _line(lines, new.strip("\n")))
    assert shown in message


def test_duplicate_module_id(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("{id: telemedecine,", "{id: vocabulaire-medical,"))
    message = _single(directory, PROGRAMME_FILE, _line(lines, "{id: vocabulaire-medical,"))
    assert "vocabulaire-medical" in message and "unique" in message


def test_duplicate_question_key(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("  - key: placement\n", "  - key: level4_or_bac\n"))
    problems = _problems(directory)
    keys = [number for number, line in enumerate(lines, start=1) if line == "  - key: level4_or_bac"]
    assert len(keys) == 2
    # the duplicate, and the rule that now names a question no longer declared; the first
    # declaration of level4_or_bac still stands (its rule stays clean)
    assert sorted((p.line, "level4_or_bac" in p.message) for p in problems) == sorted([
        (keys[1], True), (_line(lines, "{answer: placement, in: [contract, host]}"), False)])
    assert "unique" in problems[0].message or "unique" in problems[1].message


def test_rule_naming_an_unknown_question(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("{answer: level4_or_bac, equals: true}", "{answer: level_4_or_bac, equals: true}"))
    message = _single(directory, PROGRAMME_FILE, _line(lines, "level_4_or_bac"))
    assert "« level_4_or_bac »" in message and "question" in message


@pytest.mark.parametrize("old,new,fragment,bad", [
    ("{answer: dental_qualification, equals: titre-assistant-dentaire}",
     "{answer: dental_qualification, equals: titre-dentaire}", "equals: titre-dentaire", "titre-dentaire"),
    ("{answer: medical_secretary_certification, in: [rncp-level-4-or-higher]}",
     "{answer: medical_secretary_certification, in: [rncp-niveau-4]}", "rncp-niveau-4", "rncp-niveau-4"),
    ("{answer: medical_secretary_experience_months, at_least: 12}\n    - id: titre",
     "{answer: medical_secretary_experience_months, at_least: 900}\n    - id: titre", "at_least: 900", "900"),
    ("{answer: placement, in: [contract, host]}", "{answer: placement, in: [contract, hosted]}", "hosted", "hosted"),
    ("{answer: placement, in: [contract, host]}", "{answer: placement, in: [contract, true]}", "true]", "« true »"),
    ("{answer: level4_or_bac, equals: true}", "{answer: level4_or_bac, equals: oui}", "equals: oui", "« oui »"),
])
def test_condition_on_a_value_the_question_does_not_allow(tmp_path, old, new, fragment, bad):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, (old, new))
    message = _single(directory, PROGRAMME_FILE, _line(lines, fragment))
    assert bad in message


def test_exempted_by_an_unknown_ground(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("exempted_by: [afgsu-1-valide-au-jury]", "exempted_by: [afgsu-1-valide]"))
    problems = _problems(directory)
    unknown = [p for p in problems if p.line == _line(lines, "exempted_by: [afgsu-1-valide]")]
    assert len(unknown) == 1 and "« afgsu-1-valide »" in unknown[0].message
    assert unknown[0].file.endswith(PROGRAMME_FILE)
    # the ground no module cites any more is named too, on its own line
    unused = [p for p in problems if p.line == _line(lines, "- id: afgsu-1-valide-au-jury")]
    assert len(unused) == 1 and len(problems) == 2


def test_module_hours_not_adding_up_to_the_bloc(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("{id: vaccination-depistages, title: Vaccination et dépistages, hours: 14}",
                    "{id: vaccination-depistages, title: Vaccination et dépistages, hours: 15}"))
    bloc_hours_line = _line(lines, "    hours: 77")
    message = _single(directory, PROGRAMME_FILE, bloc_hours_line)
    assert "77" in message and "78" in message


def test_blocs_and_evaluations_not_adding_up_to_the_total(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("  evaluations: 13\n", "  evaluations: 12\n"))
    message = _single(directory, PROGRAMME_FILE, _line(lines, "  total: 279"))
    assert "279" in message and "278" in message


def test_several_shape_problems_in_one_file(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("\nduration_months: 8\n", "\nduration_months: huit\n"),
                   ("exempted_by: [experience-secretaire-medicale]", "exempted_bye: [experience-secretaire-medicale]"),
                   ("  practice_days_per_week: 3\n", "  practice_days_per_week: 9\n"))
    problems = _problems(directory)
    assert sorted(p.line for p in problems) == sorted(
        [_line(lines, "duration_months: huit"), _line(lines, "exempted_bye:"), _line(lines, "practice_days_per_week: 9")])


def test_several_rule_problems_in_one_file(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("{id: telemedecine,", "{id: vocabulaire-medical,"),
                   ("{answer: level4_or_bac, equals: true}", "{answer: level_4_or_bac, equals: true}"),
                   ("{id: vaccination-depistages, title: Vaccination et dépistages, hours: 14}",
                    "{id: vaccination-depistages, title: Vaccination et dépistages, hours: 15}"),
                   ("{answer: placement, in: [contract, host]}", "{answer: placement, in: [contract, hosted]}"))
    problems = _problems(directory)
    assert all(p.file.endswith(PROGRAMME_FILE) for p in problems)
    assert sorted(p.line for p in problems) == sorted([
        _line(lines, "{id: vocabulaire-medical,"), _line(lines, "level_4_or_bac"),
        _line(lines, "    hours: 77"), _line(lines, "hosted")])


def test_a_faulty_text_does_not_hide_rule_problems(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("\nduration_months: 8\n", "\nduration_months: huit\n"),
                   ("\nformat: Formation en alternance\n", "\nformat: []\n"),
                   ("  evaluations: 13\n", "  evaluations: 12\n"),
                   ("{answer: placement, in: [contract, host]}", "{answer: placement, in: [contract, hosted]}"))
    problems = _problems(directory)
    assert sorted(p.line for p in problems) == sorted([
        _line(lines, "duration_months: huit"), _line(lines, "format: []"),
        _line(lines, "  total: 279"), _line(lines, "hosted")])


def test_problems_in_two_files(tmp_path):
    directory = _copy(tmp_path)
    organisation = _break(directory, ORGANISATION_FILE, ("  city: La Valette-du-Var\n", "  town: La Valette-du-Var\n"))
    programme = _break(directory, PROGRAMME_FILE, ("  evaluations: 13\n", "  evaluations: 12\n"))
    problems = _problems(directory)
    by_file = sorted((p.file.rsplit("/", 1)[-1], p.line) for p in problems)
    address_line = organisation.index("address:") + 1  # the top-level one, not host › address
    assert by_file == sorted([
        (ORGANISATION_FILE, _line(organisation, "  town:")),      # unknown field
        (ORGANISATION_FILE, address_line),                        # « city » missing
        (PROGRAMME_FILE, _line(programme, "  total: 279")),
    ])
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(directory)
    assert len(caught.value.problems) == 3


def test_problem_text_names_file_and_line(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("\nduration_months: 8\n", "\nduration_months: huit\n"))
    text = str(_problems(directory)[0])
    assert PROGRAMME_FILE in text and f"ligne {_line(lines, 'duration_months: huit')}" in text


def _validate(directory):
    return subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(directory), "validate"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_command_line_validate(tmp_path):
    clean = _validate(CATALOGUE)
    assert clean.returncode == 0, clean.stderr
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("\nduration_months: 8\n", "\nduration_months: huit\n"),
                   ("  evaluations: 13\n", "  evaluations: 12\n"))
    broken = _validate(directory)
    assert broken.returncode == 1
    assert f"{PROGRAMME_FILE}, ligne {_line(lines, 'duration_months: huit')}" in broken.stderr
    assert "Traceback" not in broken.stderr
