"""The streaming reader of the RNCP export and ``rncp show``, on the real 12-fiche extract."""
import json
import resource
import subprocess
import sys
import zipfile

import pytest

from generator.cli import main
from generator.rncp.fiche import ExportError, clean_text, iso_date, parse_number
from generator.rncp.scanner import find_fiche, iter_fiche_chunks

from .conftest import CATALOGUE, FIXTURES, ROOT
from .rncp_oracle import read_fiches

# A copy of ../shared/rncp/export_fiches_RNCP_V4_1_extract.xml (France compétences, Licence Ouverte 2.0).
EXTRACT = FIXTURES / "rncp" / "export_fiches_RNCP_V4_1_extract.xml"
FIXTURE = FIXTURES / "rncp" / "cqp_assistant_medical_36358_40913.xml"

EXTRACT_NUMBERS = {34762, 35809, 35625, 35419, 37488, 40344, 36612, 37674, 36490, 35959, 37873, 39568}


@pytest.fixture(scope="module")
def fiches():
    return {fiche.number: fiche for fiche in read_fiches(EXTRACT)}


def test_all_twelve_fiches_are_read(fiches):
    assert set(fiches) == EXTRACT_NUMBERS


def test_replacement_both_ways(fiches):
    old, new = fiches[34762], fiches[39568]
    assert old.active is False
    assert old.replaced_by == [39568]
    assert 34762 in new.replaces
    assert new.active is True


def test_fields_of_a_fiche(fiches):
    fiche = fiches[40344]
    assert fiche.level == "NIV4" and fiche.level_number == 4
    assert fiche.decision_date == "2025-03-28"
    assert fiche.end_date == "2028-03-28"
    assert fiche.delivery_deadline == "2032-03-28"
    assert fiche.title == "Auxiliaire spécialisé vétérinaire"
    assert [b.code for b in fiche.blocs] == [f"RNCP40344BC0{i}" for i in range(1, 5)]
    assert all(b.title and b.competences and b.evaluation for b in fiche.blocs)
    assert fiche.certifiers[0].name == "ANIMAL PRO FORMATION"
    assert fiche.correspondences[0].source_blocs == ["RNCP40344BC04"]
    assert fiche.correspondences[0].number == "RNCP37507"
    assert {route.code for route in fiche.access_routes} == {
        "SI_JURY_FI", "SI_JURY_CA", "SI_JURY_FC", "SI_JURY_CQ", "SI_JURY_CL", "SI_JURY_VAE"}
    assert {route.code: route.open for route in fiche.access_routes}["SI_JURY_VAE"] is True


def test_entities_in_the_real_extract_are_decoded(fiches):
    texts = " ".join(b.competences or "" for f in fiches.values() for b in f.blocs)
    assert "R&D" in texts and "&amp;" not in texts


def test_children_in_any_order_and_missing_elements():
    fiches = {fiche.number: fiche for fiche in read_fiches(FIXTURE)}
    assert list(fiches) == [40913, 36358]
    new, old = fiches[40913], fiches[36358]
    assert (new.active, new.level, new.nsf, new.end_date) == (True, "NIV4", ["331"], "2030-06-25")
    assert new.replaces == [36358] and new.decision_date is None and new.blocs == []
    assert old.active is None and old.level is None and old.replaced_by == [40913]
    assert (old.decision_date, old.effective_date, old.delivery_deadline) == ("2022-04-25", "2022-04-22", "2025-04-24")


def test_html_markup_and_entities_in_texts(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>"
        "<INTITULE>&lt;p&gt;Titre&amp;nbsp;avec   &lt;b&gt;balises&lt;/b&gt;&lt;/p&gt;</INTITULE>"
        "</FICHE></FICHES>", encoding="utf-8")
    [fiche] = read_fiches(export)
    assert fiche.title == "Titre avec balises"


@pytest.mark.parametrize("text, expected", [
    ("36358", 36358), ("RNCP36358", 36358), ("rncp 36358", 36358), ("RS5000", None), ("abc", None)])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_clean_text_and_dates():
    assert clean_text("  a<br/>b &amp; c\n d ") == "a b & c d"
    assert clean_text("x < y") == "x < y"
    assert clean_text(" ") is None
    assert iso_date("05/01/2030") == "2030-01-05"
    assert iso_date("2030-01-05") is None and iso_date(None) is None


def test_zip_is_streamed(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(EXTRACT, "export_fiches_RNCP_V4_1_2026-11-22.xml")
    assert {fiche.number for fiche in read_fiches(archive)} == EXTRACT_NUMBERS
    assert find_fiche(archive, 39568).replaces == [34762]


def test_show_prints_json(capsys):
    assert main(["rncp", "show", str(EXTRACT), "RNCP34762"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["number"] == 34762 and shown["active"] is False and shown["level"] == "NIV7"
    assert shown["end_date"] == "2024-08-31" and shown["decision_date"] is None
    assert shown["replaced_by"] == [39568] and shown["replaces"] == [24998]
    assert shown["blocs"][0]["code"] == "RNCP34762BC01" and shown["blocs"][0]["title"]


def test_show_accepts_a_bare_number(capsys):
    assert main(["rncp", "show", str(EXTRACT), "39568"]) == 0
    assert json.loads(capsys.readouterr().out)["replaces"] == [34762]


def test_show_unknown_number(capsys):
    assert main(["rncp", "show", str(EXTRACT), "12345"]) == 1
    assert "12345" in capsys.readouterr().err


def test_show_bad_number(capsys):
    assert main(["rncp", "show", str(EXTRACT), "RS12"]) == 2
    assert "Numéro RNCP attendu" in capsys.readouterr().err


def test_reading_error_is_an_export_error(tmp_path):
    with pytest.raises(ExportError):
        list(read_fiches(tmp_path / "absent.xml"))


# -- the fast scan used by show, check and update ---------------------------------------------

def test_scan_finds_the_same_fiches_as_the_full_reader(fiches):
    chunks = list(iter_fiche_chunks(EXTRACT))
    assert [chunk.number() for chunk in chunks] == [fiche.number for fiche in read_fiches(EXTRACT)]
    by_number = {chunk.number(): chunk for chunk in chunks}
    for number, fiche in fiches.items():
        assert by_number[number].replaced_by() == fiche.replaced_by
        assert by_number[number].replaces() == fiche.replaces
        assert by_number[number].fiche() == fiche


def test_scan_ignores_numbers_of_correspondences_written_first(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        "<FICHES><FICHE><CORRESPONDANCES><CORRESPONDANCE><DESTINATION><NUMERO_FICHE>RNCP7</NUMERO_FICHE>"
        "</DESTINATION></CORRESPONDANCE></CORRESPONDANCES><NUMERO_FICHE>RNCP8</NUMERO_FICHE></FICHE></FICHES>",
        encoding="utf-8")
    [chunk] = iter_fiche_chunks(export)
    assert chunk.number() == 8
    assert find_fiche(export, 7) is None and find_fiche(export, 8).correspondences[0].number == "RNCP7"


def test_scan_reads_a_latin1_export(tmp_path):
    export = tmp_path / "export.xml"
    export.write_bytes('<?xml version="1.0" encoding="ISO-8859-1"?>\n<FICHES><FICHE><NUMERO_FICHE>RNCP9'
                       '</NUMERO_FICHE><INTITULE>Secrétaire médicale</INTITULE></FICHE></FICHES>'.encode("latin-1"))
    assert find_fiche(export, 9).title == "Secrétaire médicale"


def test_scan_across_read_blocks(tmp_path, monkeypatch):
    import generator.rncp.scanner as scanner
    monkeypatch.setattr(scanner, "_SCAN_BLOCK", 1000)  # fiches straddle many blocks
    assert [chunk.number() for chunk in iter_fiche_chunks(EXTRACT)] == [f.number for f in read_fiches(EXTRACT)]


def test_scan_reports_a_broken_fiche(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text("<FICHES><FICHE><NUMERO_FICHE>RNCP5</NUMERO_FICHE><INTITULE>x</FICHE></FICHES>", encoding="utf-8")
    with pytest.raises(ExportError, match="RNCP5"):
        find_fiche(export, 5)


@pytest.mark.parametrize("content, words", [
    (b"", "vide"), (b"<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>", "tronqué"),
    (b"pas du XML", "pas un XML lisible"), (b"<html/>", "pas un export du RNCP")])
def test_full_reader_broken_inputs(tmp_path, content, words):
    export = tmp_path / "export.xml"
    export.write_bytes(content)
    with pytest.raises(ExportError, match=words):
        list(read_fiches(export))


def test_scan_gives_up_on_a_fiche_without_end(tmp_path, monkeypatch):
    import generator.rncp.scanner as scanner
    monkeypatch.setattr(scanner, "_SCAN_BLOCK", 1000)
    monkeypatch.setattr(scanner, "_LONGEST_FICHE", 10_000)
    export = tmp_path / "export.xml"
    export.write_text("<FICHES><FICHE><NUMERO_FICHE>RNCP5</NUMERO_FICHE><INTITULE>" + "x" * 50_000, encoding="utf-8")
    with pytest.raises(ExportError, match="</FICHE> manquant"):
        find_fiche(export, 6)


# -- hostile and unusual exports through show, check and update (issue 9) ----------------------
# Each input runs in a child process with a time limit and an address-space limit: the scan must
# stay linear whatever the bytes (a lazy regex over a growing buffer took minutes on some of
# these), give a French sentence and never a traceback.

REFERENCE = FIXTURE.read_bytes()
OWN_NUMBER = b"<NUMERO_FICHE>RNCP40913</NUMERO_FICHE>"
SECONDS = 10
MEMORY = 1 << 30


def _with_encoding(name: str, text_edit=lambda text: text) -> bytes:
    text = text_edit(REFERENCE.decode("utf-8")).replace('encoding="UTF-8"', f'encoding="{name}"')
    return text.encode(name, "xmlcharrefreplace")   # é in a comment becomes &#233;: fine


def _japanese_title(text: str) -> str:
    return text.replace("CQP Assistant(e) médical(e)", "医療事務アシスタント")


# name: (export bytes, {command: (exit code, words on stderr or stdout)})
# show: ``rncp show export 40913`` unless the command names another number.
_TRUNCATED = {"show": (2, "est tronqué"), "check": (2, "est tronqué"), "update": (2, "est tronqué")}
_LIKE_REFERENCE = {"show": (0, "RNCP40913"), "check": (1, "RNCP 40913"), "update": (0, "RNCP 40913")}
HOSTILE_EXPORTS = {
    "1 Mo de <!-- avant la racine": (b"<!--" * 250_000, {
        "show": (2, "n'est pas un XML lisible"), "check": (2, "n'est pas un XML lisible"),
        "update": (2, "n'est pas un XML lisible")}),
    "1 Mo de <!-- après <FICHES>": (b"<FICHES>" + b"<!--" * 250_000, _TRUNCATED),
    "200 000 <CORRESPONDANCES> jamais fermées dans la fiche": (
        REFERENCE.replace(OWN_NUMBER, OWN_NUMBER + b"<CORRESPONDANCES>" * 200_000), {
            "show": (2, "la fiche RNCP40913 n'est pas un XML lisible"),
            "check": (2, "la fiche RNCP40913 n'est pas un XML lisible"),
            "update": (2, "la fiche RNCP40913 n'est pas un XML lisible")}),
    "100 000 correspondances vides": (
        REFERENCE.replace(OWN_NUMBER, OWN_NUMBER + b"<CORRESPONDANCES></CORRESPONDANCES>" * 100_000),
        _LIKE_REFERENCE),
    "200 000 <![CDATA[ dans une fiche": (b"<FICHES><FICHE>" + b"<![CDATA[" * 200_000, _TRUNCATED),
    "200 000 <FICHE> ouvertes": (b"<FICHES>" + b"<FICHE>" * 200_000, _TRUNCATED),
    "1 Mo de <": (b"<FICHES>" + b"<" * 1_000_000, _TRUNCATED),
    "</FICHE suivi de 3 Mo d'espaces": (b"<FICHES><FICHE></FICHE" + b" " * 3_000_000, _TRUNCATED),
    "lignes et commentaire après </FICHES>": (
        REFERENCE.rstrip() + b"\n" * 40 + b"<!-- fin de l'export du 22/11/2026 -->\n<?fin?>\n\n", _LIKE_REFERENCE),
    "données après </FICHES>": (REFERENCE.rstrip() + b"\n<FICHE>", {
        "show": (0, "RNCP40913"),   # found before the end: show reads no further
        "check": (2, "après la fin de l'export"), "update": (2, "après la fin de l'export")}),
    "un numéro dans un commentaire": (
        REFERENCE.replace(OWN_NUMBER, b"<!-- <NUMERO_FICHE>RNCP12345</NUMERO_FICHE> -->" + OWN_NUMBER), {
            "show 12345": (1, "RNCP 12345 ne figure pas"), **_LIKE_REFERENCE}),
    "un numéro dans une section CDATA": (
        REFERENCE.replace(OWN_NUMBER, b"<INTITULE_COURT><![CDATA[<NUMERO_FICHE>RNCP12345</NUMERO_FICHE>]]>"
                                      b"</INTITULE_COURT>" + OWN_NUMBER), {
            "show 12345": (1, "RNCP 12345 ne figure pas"), **_LIKE_REFERENCE}),
    "une fiche entière dans un commentaire": (
        REFERENCE.replace(b"</FICHES>", b"<!-- <FICHE>" + OWN_NUMBER.replace(b"40913", b"12345")
                          + b"</FICHE> --></FICHES>"), {"show 12345": (1, "RNCP 12345 ne figure pas"),
                                                         **_LIKE_REFERENCE}),
    "encodage Shift_JIS": (_with_encoding("Shift_JIS", _japanese_title), {
        "show": (0, "医療事務アシスタント"), "check": (1, "RNCP 40913"), "update": (0, "RNCP 40913")}),
    "encodage windows-1252": (_with_encoding("windows-1252"), _LIKE_REFERENCE),
    "encodage UTF-16": (_with_encoding("UTF-16"), _LIKE_REFERENCE),
    "encodage cp500 (EBCDIC)": (_with_encoding("cp500"), _LIKE_REFERENCE),
    "encodage inconnu": (_with_encoding("UTF-8").replace(b'encoding="UTF-8"', b'encoding="x-klingon"'), {
        "show": (2, "encodé en « x-klingon », un encodage non pris en charge : exportez-le en UTF-8"),
        "check": (2, "un encodage non pris en charge"), "update": (2, "un encodage non pris en charge")}),
    "encodage qui n'en est pas un (rot13)": (REFERENCE.replace(b'encoding="UTF-8"', b'encoding="rot13"'), {
        "show": (2, "un encodage non pris en charge")}),
}


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


# One child process per export runs its commands through the command line's ``main`` (what
# ``python -m generator`` runs), each on a fresh copy of the catalogue; it prints, per command,
# the exit code, the output and the error output (a traceback, if anything escaped ``main``).
_DRIVER = """
import contextlib, io, json, shutil, sys, tempfile, traceback
from generator.cli import main
export, catalogue, runs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
results = {}
for command, argv in runs.items():
    copy = tempfile.mkdtemp() + "/catalogue"
    shutil.copytree(catalogue, copy)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--catalogue", copy, *argv])
        except SystemExit as exit:
            code = exit.code
        except BaseException:
            code, _ = None, err.write(traceback.format_exc())
    programme = open(copy + "/cqp-assistant-medical.yaml", encoding="utf-8").read()
    results[command] = [code, out.getvalue(), err.getvalue(), programme]
    shutil.rmtree(copy)
print(json.dumps(results))
"""


def _rncp_argv(command: str, export: str) -> list[str]:
    verb, _, number = command.partition(" ")
    return {"show": ["rncp", "show", export, number or "40913"],
            "check": ["rncp", "check", export, "--today", "2026-11-22"],
            "update": ["rncp", "update", export, "cqp-assistant-medical", "--today", "2026-11-22"]}[verb]


@pytest.mark.parametrize("name", HOSTILE_EXPORTS)
def test_hostile_export_through_every_command(name, tmp_path):
    data, expected = HOSTILE_EXPORTS[name]
    export = tmp_path / "export.xml"
    export.write_bytes(data)
    runs = {command: _rncp_argv(command, str(export)) for command in expected}
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(export), str(CATALOGUE), json.dumps(runs)],
                          cwd=ROOT, capture_output=True, text=True, timeout=SECONDS * len(runs), preexec_fn=_limited)
    assert done.returncode == 0, done.stderr
    original = (CATALOGUE / "cqp-assistant-medical.yaml").read_text(encoding="utf-8")
    for command, (code, out, err, programme) in json.loads(done.stdout).items():
        assert "Traceback" not in err, (command, err)
        assert (code, command) == (expected[command][0], command), (out[-300:], err[-300:])
        assert expected[command][1] in out + err, (command, out[-300:], err[-300:])
        if code == 2:
            assert str(export) in err, (command, err)   # the sentence names the file
        if command == "update":
            assert (programme == original) == (code != 0), "update writes when it succeeds, only then"
            assert "rncp: 40913" in programme


# -- the scan itself: comments, CDATA and read blocks ---------------------------------------------

def _numbers_by_scan(path):
    return [chunk.number() for chunk in iter_fiche_chunks(path)]


def test_markup_inside_comments_and_cdata_cuts_nothing(tmp_path):
    export = tmp_path / "export.xml"
    export.write_bytes(
        b'<?xml version="1.0"?>\n<!-- <FICHES> --><?pi <FICHE> ?><FICHES><VERSION_FLUX>4.1</VERSION_FLUX>'
        b"<!-- <FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE> -->"
        b"<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><!-- </FICHE> --><INTITULE><![CDATA[a </FICHE> b]]></INTITULE>"
        b"</FICHE >\n<FICHE><NUMERO_FICHE>RNCP3</NUMERO_FICHE></FICHE></FICHES>\n<!-- fin -->\n")
    assert _numbers_by_scan(export) == [2, 3] == [fiche.number for fiche in read_fiches(export)]
    assert find_fiche(export, 2).title == "a b"   # the markup in the text is stripped, as always
    assert find_fiche(export, 1) is None


def test_a_number_written_in_cdata_counts(tmp_path):
    export = tmp_path / "export.xml"
    export.write_bytes(b"<FICHES><FICHE><NUMERO_FICHE><![CDATA[RNCP4]]></NUMERO_FICHE></FICHE></FICHES>")
    assert _numbers_by_scan(export) == [4] == [fiche.number for fiche in read_fiches(export)]


@pytest.mark.parametrize("block", [1, 2, 3, 5, 17])
def test_scan_with_tiny_read_blocks(tmp_path, monkeypatch, block):
    """Every token straddles a block boundary somewhere: the scan must find it all the same."""
    import generator.rncp.scanner as scanner
    monkeypatch.setattr(scanner, "_SCAN_BLOCK", block)
    monkeypatch.setattr(scanner, "_HEAD", 64)
    export = tmp_path / "export.xml"
    export.write_bytes(REFERENCE.replace(b"<FICHE>", b"<!-- --><?x?><FICHE>").replace(
        b"</FICHES>", b"<!-- <FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE> --></FICHES>\n<!-- a -->  <?b c?>\n"))
    assert _numbers_by_scan(export) == [40913, 36358] == [fiche.number for fiche in read_fiches(export)]
    assert [chunk.replaces() for chunk in iter_fiche_chunks(export)] == [[36358], []]


def test_full_reader_reads_other_encodings(tmp_path):
    export = tmp_path / "export.xml"
    export.write_bytes(_with_encoding("Shift_JIS", _japanese_title))
    assert [fiche.title for fiche in read_fiches(export)][0] == "医療事務アシスタント"
    export.write_bytes(_with_encoding("UTF-16"))
    assert [fiche.number for fiche in read_fiches(export)] == [40913, 36358]
