"""The streaming reader of the RNCP export and ``rncp show``, on the real 12-fiche extract."""
import json
import zipfile

import pytest

from generator.cli import main
from generator.rncp.reader import (ExportError, clean_text, find_fiche, iso_date, iter_fiche_chunks, parse_number,
                                   read_fiches)

from .conftest import FIXTURES

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
    import generator.rncp.reader as reader
    monkeypatch.setattr(reader, "_SCAN_BLOCK", 1000)  # fiches straddle many blocks
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
    import generator.rncp.reader as reader
    monkeypatch.setattr(reader, "_SCAN_BLOCK", 1000)
    monkeypatch.setattr(reader, "_LONGEST_FICHE", 10_000)
    export = tmp_path / "export.xml"
    export.write_text("<FICHES><FICHE><NUMERO_FICHE>RNCP5</NUMERO_FICHE><INTITULE>" + "x" * 50_000, encoding="utf-8")
    with pytest.raises(ExportError, match="</FICHE> manquant"):
        find_fiche(export, 6)
