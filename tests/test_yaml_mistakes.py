"""Issue 16: each YAML mistake staff make, in a copy of the real programme, named at the line where
the mistake is, in a French sentence with no English parser text, whose advice fixes it; every
problem of a file in one pass; « Vouliez-vous dire » for misspelt names."""
import re

import pytest

from generator.catalogue import check_catalogue

from .test_validation import PROGRAMME_FILE, _break, _copy, _line, _problems

# Words of libyaml's English messages (« mapping values are not allowed here », « found character
# that cannot start any token », « did not find expected '-' indicator »…).
ENGLISH = re.compile(r"\b(found|expected|mapping|token|indicator|scanning|while|allowed|character|context)\b")

# (what, old text, new text, fragment of the line to name, words the sentence must hold, fix)
MISTAKES = [
    ("key one level left", "    level: 4\n    nsf:", "  level: 4\n    nsf:", "  level: 4",
     ["« level »", "gauche", "ajoutez 2 espaces"], ("  level: 4\n", "    level: 4\n")),
    ("last key of a block one level left", "  practice_place: en cabinet", "practice_place: en cabinet",
     "practice_place: en cabinet", ["« practice_place »", "gauche", "ajoutez 2 espaces"],
     ("\npractice_place:", "\n  practice_place:")),
    ("tab before a key", "    level: 4\n", "\tlevel: 4\n", "\tlevel: 4", ["tabulation", "espaces"],
     ("\tlevel: 4\n", "    level: 4\n")),
    ("tab first under a key", "  centre_days_per_week: 2", "\tcentre_days_per_week: 2", "\tcentre_days_per_week",
     ["tabulation", "espaces"], ("\tcentre_days_per_week", "  centre_days_per_week")),
    ("tab before a list item", "  - Accueillir les patients", "\t- Accueillir les patients", "\t- Accueillir",
     ["tabulation", "espaces"], ("\t- Accueillir", "  - Accueillir")),
    ("key pushed left inside a list item", "    label: Certificat de qualification professionnelle (CQP)",
     "   label: Certificat de qualification professionnelle (CQP)", "   label: Certificat de qualification",
     ["« label »", "« id »", "4 espaces", "« - »"],
     ("   label: Certificat de qualification", "    label: Certificat de qualification")),
    ("key at the level of the list's dashes", "    label: Certificat de qualification professionnelle (CQP)",
     "  label: Certificat de qualification professionnelle (CQP)", "  label: Certificat de qualification",
     ["« label »", "tirets", "ajoutez 2 espaces", "« id »"],
     ("  label: Certificat de qualification", "    label: Certificat de qualification")),
    ("list item left of its list", "  - Accueillir les patients", "- Accueillir les patients", "- Accueillir",
     ["tiret", "ligne 79", "2"], ("\n- Accueillir", "\n  - Accueillir")),
    ("list item indented so that it continues the item above", "  - Accueillir les patients",
     "    - Accueillir les patients", "    - Accueillir", ["« - »", "continue", "ligne 79", "2 espaces"],
     ("    - Accueillir", "  - Accueillir")),
    ("« : » in a plain text", "title: CQP Assistant(e) médical(e)", "title: CQP : Assistant(e) médical(e)",
     "title: CQP : Assistant", ["« : »", "guillemets"],
     ("title: CQP : Assistant(e) médical(e)", 'title: "CQP : Assistant(e) médical(e)"')),
    ("a text starting with « @ »", "title: CQP Assistant(e) médical(e)", "title: @CQP Assistant(e) médical(e)",
     "title: @CQP", ["« @ »", "guillemets"], ("title: @CQP Assistant(e) médical(e)", 'title: "@CQP Assistant(e) médical(e)"')),
    ("« : » in a list item", "  - Aides-soignant(e)s, auxiliaires", "  - Aides-soignant(e)s : auxiliaires",
     "Aides-soignant(e)s : auxiliaires", ["« : »", "guillemets"],
     ("  - Aides-soignant(e)s : auxiliaires de puériculture, infirmier(e)s.",
      '  - "Aides-soignant(e)s : auxiliaires de puériculture, infirmier(e)s."')),
]


@pytest.mark.parametrize("what,old,new,fragment,words,fix", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_yaml_mistake_named_at_its_line_in_french(tmp_path, what, old, new, fragment, words, fix):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, (old, new))
    problems = _problems(directory)
    assert [(p.file.endswith(PROGRAMME_FILE), p.line) for p in problems] == [(True, _line(lines, fragment))], problems
    message = problems[0].message
    assert not ENGLISH.search(message), message
    for word in words:
        assert word in message, (word, message)
    # following the sentence's advice gives back a file without problems
    _break(directory, PROGRAMME_FILE, fix)
    assert check_catalogue(directory)[1] == []


def test_four_independent_mistakes_reported_in_one_run(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE,
                   ("        hours: 21\n        exempted_by: [certification-secretariat-medical]\n      - id: vocabulaire",
                    "        hour: 21\n        exempted_by: [certification-secretariat-medical]\n      - id: vocabulaire"),
                   ("    end_date: 2030-06-25", "    end_date: 2030-06-31"),
                   ("title: Vaccination et dépistages, hours: 14}", "title: Vaccination et dépistages, hours: 15}"),
                   ("{answer: placement, in: [contract, host]}", "{answer: placemnt, in: [contract, host]}"))
    problems = _problems(directory)
    expected = [_line(lines, "end_date: 2030-06-31"), _line(lines, "placemnt"), _line(lines, "    hours: 77"),
                _line(lines, "hour: 21")]
    assert [p.line for p in problems] == sorted(expected), problems   # sorted by line
    by_line = {p.line: p.message for p in problems}
    assert "Vouliez-vous dire « hours »" in by_line[_line(lines, "hour: 21")]
    assert "Vouliez-vous dire « placement »" in by_line[_line(lines, "placemnt")]
    assert "78 h" in by_line[_line(lines, "    hours: 77")]


def test_problems_of_several_files_sorted_by_file_and_line(tmp_path):
    directory = _copy(tmp_path)
    _break(directory, PROGRAMME_FILE, ("  evaluations: 13\n", "  evaluations: 12\n"),
           ("\nduration_months: 8\n", "\nduration_months: huit\n"))
    broken = directory / "zz-autre.yaml"
    broken.write_text("id: zz-autre\ntitle: x\n\tsummary: y\n", encoding="utf-8")
    problems = _problems(directory)
    keys = [(p.file, p.line) for p in problems]
    assert keys == sorted(keys) and len(problems) == 3
    assert problems[-1].file.endswith("zz-autre.yaml") and problems[-1].line == 3   # the tab stops only its file


@pytest.mark.parametrize("old,new,fragment,suggested", [
    ("{answer: level4_or_bac, equals: true}", "{answer: level4_or_bak, equals: true}", "level4_or_bak",
     "level4_or_bac"),
    ("{answer: placement, in: [contract, host]}", "{answer: placement, in: [contract, hots]}", "hots", "host"),
    ("exempted_by: [afgsu-1-valide-au-jury]", "exempted_by: [afgsu-1-valide-au-juri]", "au-juri]",
     "afgsu-1-valide-au-jury"),
])
def test_did_you_mean_for_answer_keys_choice_values_and_grounds(tmp_path, old, new, fragment, suggested):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, (old, new))
    named = [p for p in _problems(directory) if p.line == _line(lines, fragment)]
    assert len(named) == 1 and f"Vouliez-vous dire « {suggested} » ?" in named[0].message, named


def test_a_field_of_a_block_written_one_level_left_is_named_with_its_block(tmp_path):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, ("  evaluations: 13\n", "evaluations: 13\n"))
    moved = [p for p in _problems(directory) if p.line == _line(lines, "evaluations: 13")]
    assert len(moved) == 1 and "champ de « hours »" in moved[0].message, moved


def test_reference_introduction_says_how_to_write_a_colon_and_a_long_text():
    from .conftest import CATALOGUE
    introduction = (CATALOGUE / "REFERENCE.md").read_text(encoding="utf-8").split("## Exemples")[0]
    assert 'title: "Partie 1 : les bases"' in introduction   # a « : » in a text: between quotes
    assert "summary: >-" in introduction                     # a long text: after >-
    assert "tabulation" in introduction


@pytest.mark.parametrize("old,new,fragment", [
    ("  established_for:\n    rncp: 36358\n    decision_date: 2022-04-25\n",
     "  established_for: 36358\n", "established_for: 36358"),
    ("\nblocs:\n", "\nblocs: aucun\nautres_blocs:\n", "blocs: aucun"),
    ("\nquestions:\n", "\nquestions: []\nautres_questions:\n", "questions: []"),
])
def test_a_misshapen_part_is_named_and_the_other_checks_still_run(tmp_path, old, new, fragment):
    directory = _copy(tmp_path)
    lines = _break(directory, PROGRAMME_FILE, (old, new), ("  evaluations: 13\n", "  evaluations: 12\n"))
    problems = _problems(directory)   # no traceback: the checks that read the misshapen part are left out
    assert _line(lines, fragment) in [p.line for p in problems], problems
    if "blocs" not in fragment:      # the hours check reads the blocs
        assert _line(lines, "  total: 279") in [p.line for p in problems], problems


def test_a_part_that_is_not_a_block_leaves_out_only_the_checks_that_read_it(tmp_path):
    directory = _copy(tmp_path)
    text = (directory / PROGRAMME_FILE).read_text(encoding="utf-8")
    block = text[text.index("\nexemptions:\n"):text.index("\nquestions:\n")]
    lines = _break(directory, PROGRAMME_FILE, (block, "\nexemptions: aucune\n"),
                   ("{answer: placement, in: [contract, host]}", "{answer: placement, in: [contract, hots]}"))
    problems = _problems(directory)
    assert [p.line for p in problems] == [_line(lines, "hots]"), _line(lines, "exemptions: aucune")], problems
