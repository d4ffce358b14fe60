"""One error contract (issue 9, item 3): every bad input of the issue that falls to the
catalogue loader, the answers readers and the command line, through every command that reads
it: the exit code, a French sentence naming the file (and line), no traceback, in bounded time
and memory (the command runs with a 1.5 GiB address-space limit and a 60 s timeout: the YAML
alias bomb used to take 2.1 GB and 18 s)."""
import resource
import shutil
import subprocess
import sys

import pytest

from generator.catalogue import programme_files
from generator.errors import StaffError
from generator.safe_write import FileBusy, SameFile, WriteFailed

from .conftest import CATALOGUE, ROOT

PROGRAMME = "cqp-assistant-medical"
MEMORY_LIMIT = 1536 * 1024 * 1024
ANSWERS = '{"medical_secretary_certification": "rs", "medical_secretary_experience_months": 14}'
APPLICANTS = "id,medical_secretary_certification,medical_secretary_experience_months\na1,rs,14\n"


def _alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BAD_FILES = {   # name in catalogue/ -> content (str) or a maker(path)
    "nested": ("zz-nested.yaml", "title: " + "[" * 20000 + "]" * 20000 + "\n"),
    "never closed": ("zz-open.yaml", "title: " + "[" * 20000 + "\n"),
    "alias bomb": ("zz-bomb.yaml", _alias_bomb()),
    "recursive alias": ("zz-loop.yaml", "a: &a [1, *a]\n"),
    "huge file": ("zz-huge.yaml", "# " + "x" * (3 * 1024 * 1024) + "\n"),
}
BAD_WORDS = {"nested": "imbriqués", "never closed": "imbriqués", "alias bomb": "alias",
             "recursive alias": "se contient lui-même", "huge file": "dépasse 2 Mo"}


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args, stdin=None, cwd=ROOT):
    completed = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, input=stdin,
                               capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory)
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    return completed


@pytest.fixture
def catalogue_copy(tmp_path):
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, directory)
    return directory


def _commands(catalogue, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(ANSWERS, encoding="utf-8")
    applicants = tmp_path / "applicants.csv"
    applicants.write_text(APPLICANTS, encoding="utf-8")
    export = ROOT / "tests" / "fixtures" / "rncp" / "cqp_assistant_medical_36358_40913.xml"
    base = ["--catalogue", catalogue]
    return {
        "validate": base + ["validate"],
        "evaluate": base + ["evaluate", PROGRAMME, answers, "--today", "2026-11-22"],
        "evaluate-batch": base + ["evaluate-batch", PROGRAMME, applicants, "--today", "2026-11-22"],
        "rncp check": base + ["rncp", "check", export, "--today", "2026-11-22"],
        "rncp update": base + ["rncp", "update", export, PROGRAMME, "--today", "2026-11-22"],
    }


COMMANDS = ["validate", "evaluate", "evaluate-batch", "rncp check", "rncp update"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", BAD_FILES)
def test_hostile_yaml_is_a_sentence_through_every_command(catalogue_copy, tmp_path, case, command):
    name, content = BAD_FILES[case]
    (catalogue_copy / name).write_text(content, encoding="utf-8")
    before = (catalogue_copy / f"{PROGRAMME}.yaml").read_bytes()
    completed = run(*_commands(catalogue_copy, tmp_path)[command])
    assert completed.returncode == 1
    assert f"{name}, ligne " in completed.stderr and BAD_WORDS[case] in completed.stderr
    assert "problème(s) dans le catalogue" in completed.stderr
    assert (catalogue_copy / f"{PROGRAMME}.yaml").read_bytes() == before


def _editor_debris(directory):
    (directory / f".#{PROGRAMME}.yaml").symlink_to(f"root@host.12345:1700000000")   # Emacs lock: dangling link
    (directory / "x.yaml").mkdir()                                                  # a directory
    (directory / f"{PROGRAMME}.yaml~").write_text("id: [broken\n", encoding="utf-8")  # Emacs backup
    (directory / f"~${PROGRAMME}.yaml").write_bytes(b"\x00\xff lock")                # office lock file
    (directory / f".{PROGRAMME}.yaml.swp").write_bytes(b"b0VIM 9.0\x00")             # Vim swap
    (directory / ".hidden.yaml").write_text("id: [broken\n", encoding="utf-8")


@pytest.mark.parametrize("command", ["validate", "evaluate", "evaluate-batch", "rncp check"])
def test_editor_lock_files_and_directories_in_the_catalogue_are_skipped(catalogue_copy, tmp_path, command):
    _editor_debris(catalogue_copy)
    completed = run(*_commands(catalogue_copy, tmp_path)[command])
    assert completed.returncode in (0, 1) and "problème" not in completed.stderr, completed.stderr
    if command == "validate":
        assert completed.stdout.startswith("Catalogue valide : 1 programme(s)")


def test_programme_files_lists_only_regular_programme_files(catalogue_copy):
    _editor_debris(catalogue_copy)
    assert [p.name for p in programme_files(catalogue_copy)] == [f"{PROGRAMME}.yaml"]


@pytest.mark.parametrize("name", [f"#{PROGRAMME}.yaml", f"{PROGRAMME}.yaml.bak", f"{PROGRAMME}.yaml.swx",
                                  f"{PROGRAMME}.yaml.swo", f"~${PROGRAMME}.yaml", f"{PROGRAMME}.yaml.part"])
def test_the_catalogue_and_serve_skip_the_same_editor_files(catalogue_copy, name):
    from generator.editor_files import is_editor_file
    from generator.site.watch import source_state
    before = source_state([catalogue_copy])
    (catalogue_copy / name).write_text("id: [broken\n", encoding="utf-8")
    assert is_editor_file(catalogue_copy / name)
    assert [p.name for p in programme_files(catalogue_copy)] == [f"{PROGRAMME}.yaml"]
    assert source_state([catalogue_copy]) == before


def test_a_file_whose_kind_cannot_be_told_is_named_in_a_sentence(catalogue_copy, monkeypatch):
    from pathlib import Path
    from generator.catalogue import check_catalogue
    unreadable = catalogue_copy / "autre-programme.yaml"
    unreadable.write_text("id: autre-programme\n", encoding="utf-8")
    import os
    real_stat = os.stat

    def refused(path, *args, **kwargs):   # what the loader asks of a file (its kind, then reading)
        if os.fspath(path).endswith(unreadable.name):
            raise PermissionError(13, "Permission non accordée")
        return real_stat(path, *args, **kwargs)
    monkeypatch.setattr(os, "stat", refused)
    catalogue, problems = check_catalogue(catalogue_copy)
    assert catalogue is None
    assert [(Path(p.file).name, p.line, p.message) for p in problems] == [
        ("autre-programme.yaml", 1, "Lecture impossible (Permission non accordée) : vérifiez le fichier et ses droits.")]


def test_organisation_file_that_is_a_directory(catalogue_copy):
    (catalogue_copy / "organisation.yaml").unlink()
    (catalogue_copy / "organisation.yaml").mkdir()
    completed = run("--catalogue", catalogue_copy, "validate")
    assert completed.returncode == 1
    assert "organisation.yaml, ligne 1 : Ce n'est pas un fichier ordinaire mais un dossier" in completed.stderr


HUGE = "9" * 5000


@pytest.mark.parametrize("args, stdin, code, words", [
    (["build", "--today", "2026-13-01"], None, 2, ["--today : date attendue au format AAAA-MM-JJ", "2026-13-01"]),
    (["rncp", "check", "x.xml", "--today", "2026-02-30"], None, 2, ["--today"]),
    (["evaluate", PROGRAMME, "-"], '{"medical_secretary_experience_months": %s}' % HUGE, 2,
     ["plus de 18 chiffres (ligne 1)"]),
    (["evaluate", PROGRAMME, "-"], '{\n"placement": "none",\n"medical_secretary_experience_months": -%s}' % HUGE, 2,
     ["plus de 18 chiffres (ligne 3)"]),
    (["evaluate", PROGRAMME, "-"], '{"medical_secretary_experience_months": 1%s}' % ("0" * 18), 2,
     ["plus de 18 chiffres"]),
    (["evaluate", PROGRAMME, "-"], '{"medical_secretary_experience_months": 100000000000000000}', 2,
     ["medical_secretary_experience_months : 100000000000000000 est hors limites : de 0 à 600."]),
    (["evaluate-batch", PROGRAMME, "-"], f"id,medical_secretary_experience_months\na,{HUGE}\nb,3\n", 2,
     ["ligne 2 : medical_secretary_experience_months : Nombre trop grand (5000 chiffres) : de 0 à 600."]),
    (["evaluate-batch", PROGRAMME, "-"], 'id;placement\na;none\nb;"none\nc;none\nd;none\n', 2,
     ["ligne 3 (ligne 3 du fichier) : un guillemet « \" » ouvert n'est jamais fermé", "rien n'a été écrit"]),
    (["evaluate-batch", PROGRAMME, "-"], 'id,placement\na,"no"ne"\n', 2, ["ligne 2", "CSV illisible"]),
])
def test_bad_input_through_the_command_line(args, stdin, code, words):
    completed = run(*args, stdin=stdin)
    assert completed.returncode == code
    for word in words:
        assert word in completed.stderr, completed.stderr


def test_huge_integer_in_a_batch_skips_the_row_only():
    completed = run("evaluate-batch", PROGRAMME, "-", "--today", "2026-11-22",
                    stdin=f"id,medical_secretary_experience_months\na,{HUGE}\nb,3\n")
    assert completed.returncode == 2
    rows = completed.stdout.splitlines()
    assert rows[1].startswith("2,a,,,,,,medical_secretary_experience_months : Nombre trop grand")
    assert rows[2].startswith("3,b,unknown,")


def test_semicolon_csv_from_a_french_spreadsheet():
    completed = run("evaluate-batch", PROGRAMME, "-", "--today", "2026-11-22",
                    stdin="id;medical_secretary_certification;medical_secretary_experience_months\na1;rs;14\n")
    assert completed.returncode == 0, completed.stderr
    header, row = completed.stdout.splitlines()
    assert header.startswith("row;id;admission;") and row.startswith("2;a1;")


def test_delimiter_option_wins_over_the_header():
    text = "id;note;x,y\na;b;c,d\n"   # more « ; » than « , » in the header: « ; » unless told
    sniffed = run("evaluate-batch", PROGRAMME, "-", "--today", "2026-11-22", stdin=text)
    told = run("evaluate-batch", PROGRAMME, "-", "--today", "2026-11-22", "--delimiter", ",", stdin=text)
    assert "ligne 2 : x,y : Cette question n'existe pas" in sniffed.stderr
    assert "ligne 2 : id;note;x : Cette question n'existe pas" in told.stderr
    assert told.stdout.startswith("row,id,") and sniffed.stdout.startswith("row;id;")


def test_output_directory_missing_is_a_sentence(tmp_path):
    completed = run("evaluate-batch", PROGRAMME, "-", "-o", tmp_path / "none" / "out.csv", stdin=APPLICANTS)
    assert completed.returncode == 2 and "n'existe pas" in completed.stderr


def test_every_staff_error_of_the_write_path_is_a_staff_error():
    for error in (FileBusy, SameFile, WriteFailed):
        assert issubclass(error, StaffError)
    from generator.browser.runtime import RuntimeMissing, SnapshotFailed
    from generator.catalogue import CatalogueError
    from generator.errors import UsageError
    for error in (RuntimeMissing, SnapshotFailed, CatalogueError, UsageError):
        assert issubclass(error, StaffError)
