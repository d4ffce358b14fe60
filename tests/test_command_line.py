"""The command line (section 5 of the catalogue contract), run as a user runs it."""
import csv
import io
import json
import subprocess
import sys

import pytest

from generator.rules.engine import evaluate

from .conftest import ROOT, TODAY

PROGRAMME = "cqp-assistant-medical"


def run(*args, stdin=None):
    completed = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, input=stdin,
                               capture_output=True, text=True, timeout=60)
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


ANSWERS = {"medical_secretary_certification": "rs", "medical_secretary_experience_months": 14,
           "placement": "none", "level4_or_bac": True}


def test_evaluate_from_a_file(tmp_path, cqp):
    completed = run("evaluate", PROGRAMME, _write(tmp_path, "a.json", json.dumps(ANSWERS)), "--today", "2026-11-22")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result == evaluate(cqp, ANSWERS, TODAY)
    assert result["admission"]["status"] == "conditional"
    # A exempts dossier-patient, vocabulaire-medical, communication-patients; B logiciel-medical
    assert result["hours"]["dispensed"] == 21 + 14 + 21 + 28


def test_evaluate_from_standard_input():
    completed = run("evaluate", PROGRAMME, "-", "--today", "2026-11-22",
                    stdin=json.dumps({"afgsu1_attestation_date": "2022-11-23"}))
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert {m["id"]: m["status"] for m in result["modules"]}["afgsu-1"] == "dispensed"


def test_today_is_the_evaluation_date():
    answers = json.dumps({"afgsu1_attestation_date": "2022-11-23"})
    # on 2026-11-23 the default jury is 2027-11-23: the attestation is then exactly 5 years old
    later = json.loads(run("evaluate", PROGRAMME, "-", "--today", "2026-11-23", stdin=answers).stdout)
    assert {m["id"]: m["status"] for m in later["modules"]}["afgsu-1"] == "not-dispensed"


def test_invalid_answers_one_line_per_faulty_key():
    answers = {"level4_or_bac": "yes", "placement": "maybe", "medical_secretary_experience_months": 12.0,
               "colour": "blue", "dental_qualification": "none"}
    completed = run("evaluate", PROGRAMME, "-", "--today", "2026-11-22", stdin=json.dumps(answers))
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 4
    assert sorted(line.split(" ", 1)[0] for line in lines) == sorted(
        ["level4_or_bac", "placement", "medical_secretary_experience_months", "colour"])


@pytest.mark.parametrize("args,stdin,words", [
    (["evaluate", PROGRAMME, "-", "--today", "2026-11-22"], "{\"placement\": ", "JSON"),
    (["evaluate", PROGRAMME, "-", "--today", "2026-11-22"], "", "JSON"),
    (["evaluate", PROGRAMME, "/nonexistent/answers.json", "--today", "2026-11-22"], None, "Impossible de lire"),
    (["evaluate", PROGRAMME, "-", "--today", "22/11/2026"], "{}", "--today"),
    (["evaluate", PROGRAMME, "-", "--today", "2026-02-30"], "{}", "--today"),
    (["evaluate", "cqp-inconnu", "-", "--today", "2026-11-22"], "{}", "Programme inconnu"),
    (["evaluate-batch", PROGRAMME, "/nonexistent/applicants.csv"], None, "Impossible de lire"),
    (["evaluate-batch", "cqp-inconnu", "-"], "", "Programme inconnu"),
    (["evaluate-batch", PROGRAMME, "-", "--output", "/nonexistent/dir/out.csv"], "placement\ncontract\n",
     "Impossible d'écrire"),
    (["evaluate", PROGRAMME, "-", "--today", "2026-11-22"], "[" * 100_000, "JSON"),
])
def test_user_mistakes_exit_2_with_a_french_sentence(args, stdin, words):
    completed = run(*args, stdin=stdin)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert words in completed.stderr


def test_files_not_in_utf8(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_bytes('{"placement": "contract", "note": "é"}'.encode("latin-1"))
    completed = run("evaluate", PROGRAMME, str(answers), "--today", "2026-11-22")
    assert completed.returncode == 2 and completed.stdout == ""
    assert "UTF-8" in completed.stderr
    applicants = tmp_path / "applicants.csv"
    applicants.write_bytes("id,placement\nélodie,contract\n".encode("latin-1"))
    completed = run("evaluate-batch", PROGRAMME, str(applicants), "--today", "2026-11-22")
    assert completed.returncode == 2
    assert "UTF-8" in completed.stderr


def test_answers_not_an_object():
    completed = run("evaluate", PROGRAMME, "-", "--today", "2026-11-22", stdin="[1, 2]")
    assert completed.returncode == 2 and completed.stdout == ""
    assert "objet JSON" in completed.stderr


APPLICANTS = """id,level4_or_bac,medical_secretary_certification,medical_secretary_experience_months,dental_qualification,dental_assistant_experience_months,afgsu1_attestation_date,placement
alice,true,rs,0,none,0,null,contract
bob,false,none,,cqp-aide-dentaire,12,2023-05-01,none
carole,peut-être,none,700,none,0,null,contract
david,false,none,0,titre-assistant-dentaire,11,,host
"""


def _batch(tmp_path, *extra, stdin=None):
    source = "-" if stdin is not None else _write(tmp_path, "applicants.csv", APPLICANTS)
    return run("evaluate-batch", PROGRAMME, source, "--today", "2026-11-22", *extra, stdin=stdin)


def test_evaluate_batch(tmp_path):
    completed = _batch(tmp_path)
    assert completed.returncode == 2  # a row is faulty
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert [row["id"] for row in rows] == ["alice", "bob", "carole", "david"]
    alice, bob, carole, david = rows
    assert alice["row"] == "2" and carole["row"] == "4"
    assert alice["admission"] == "admissible"
    assert alice["dispensed_modules"].split() == ["dossier-patient", "vocabulaire-medical", "communication-patients"]
    assert (alice["hours_dispensed"], alice["hours_remaining"]) == (str(21 + 14 + 21), str(279 - 56))
    # bob: empty experience cell = not answered; C by the CQP aide dentaire; D (jury 2027-11-22)
    assert bob["admission"] == "unknown"
    assert bob["dispensed_modules"].split() == ["communication-patients", "risque-contaminant", "afgsu-1",
                                                "gestion-stocks"]
    assert bob["hours_dispensed"] == str(21 + 14 + 14 + 7)
    assert bob["missing"].split() == ["medical_secretary_experience_months"]
    assert carole["admission"] == "" and carole["errors"]
    assert david["admission"] == "admissible" and david["dispensed_modules"] == ""
    assert david["missing"].split() == ["afgsu1_attestation_date"]
    report = completed.stderr.strip().splitlines()
    assert len(report) == 2  # carole: two faulty keys
    assert all(line.startswith("ligne 4 : ") for line in report)
    assert any("level4_or_bac" in line for line in report)
    assert any("medical_secretary_experience_months" in line for line in report)


def test_evaluate_batch_all_good_from_stdin_to_a_file(tmp_path):
    good = "\n".join(line for line in APPLICANTS.splitlines() if not line.startswith("carole")) + "\n"
    output = tmp_path / "out.csv"
    completed = _batch(tmp_path, "--output", str(output), stdin=good)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "" and completed.stderr == ""
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["alice", "bob", "david"]
    assert all(row["errors"] == "" for row in rows)


def test_evaluate_batch_unknown_column_reported_per_row(tmp_path):
    completed = run("evaluate-batch", PROGRAMME, "-", "--today", "2026-11-22",
                    stdin="placement,couleur\ncontract,bleu\nhost,\n")
    assert completed.returncode == 2
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert rows[0]["errors"] and "couleur" in completed.stderr and "ligne 2" in completed.stderr
    assert rows[1]["errors"] == "" and rows[1]["admission"] == "unknown"


def test_evaluate_batch_numbers_that_are_not_plain_digits(tmp_path):
    completed = run("evaluate-batch", PROGRAMME, "-", "--today", "2026-11-22",
                    stdin="medical_secretary_experience_months\n²\n-1\n12.0\n 12 \n")
    assert completed.returncode == 2
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert [bool(row["errors"]) for row in rows] == [True, True, True, False]
    assert rows[3]["dispensed_modules"] == "logiciel-medical"
    assert sorted({line.split(" : ")[0] for line in completed.stderr.splitlines()}) == ["ligne 2", "ligne 3", "ligne 4"]


def test_validate_real_catalogue():
    completed = run("validate")
    assert completed.returncode == 0
    assert "cqp-assistant-medical" in completed.stdout


def test_evaluate_batch_row_numbers_count_blank_lines_as_a_spreadsheet_does():
    completed = run("evaluate-batch", PROGRAMME, "-", "--today", "2026-11-22",
                    stdin="id,placement\na,contract\n\nb,maybe\nc,host,extra\n")
    assert completed.returncode == 2
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert [(row["row"], row["id"], bool(row["errors"])) for row in rows] == [
        ("2", "a", False), ("4", "b", True), ("5", "c", True)]
    assert [line.split(" : ")[0] for line in completed.stderr.splitlines()] == ["ligne 4", "ligne 5"]


def test_evaluate_batch_spreadsheet_export_with_a_byte_order_mark(tmp_path):
    content = "id,placement\na,host\n"
    for source, stdin in ((_write(tmp_path, "bom.csv", "\ufeff" + content), None), ("-", "\ufeff" + content)):
        completed = run("evaluate-batch", PROGRAMME, source, "--today", "2026-11-22", stdin=stdin)
        assert completed.returncode == 0, completed.stderr
        rows = list(csv.DictReader(io.StringIO(completed.stdout)))
        assert [(row["id"], row["errors"]) for row in rows] == [("a", "")]


@pytest.mark.parametrize("command", [("rules", PROGRAMME), ("validate",)])
def test_a_reader_that_stops_early_is_no_error(command):
    """`python -m generator rules X | head`: the pipe is closed before the command writes; it ends
    without a sentence about the disk (it said « opération impossible sur le disque (Broken pipe) »)."""
    process = subprocess.Popen([sys.executable, "-m", "generator", *command], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()   # the reader is gone before the first line is written
    said = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 0
    assert said == ""
