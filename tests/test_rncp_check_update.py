"""``rncp check`` and ``rncp update`` end to end on a copy of the catalogue set back to RNCP 36358,
with the 36358 -> 40913 fixture; and clear failures on broken exports."""
import datetime as dt
import gzip
import shutil
import subprocess
import sys
import zipfile

import pytest
from ruamel.yaml import YAML

from generator.cli import main

from .conftest import CATALOGUE, FIXTURES, ROOT

FIXTURE = FIXTURES / "rncp" / "cqp_assistant_medical_36358_40913.xml"
EXTRACT = FIXTURES / "rncp" / "export_fiches_RNCP_V4_1_extract.xml"
PROGRAMME = "cqp-assistant-medical"
OLD_RECORD = """  current:
    rncp: 36358
    level: null
    nsf: []
    registered_on: 2022-04-22
    decision_date: 2022-04-25
    end_date: null
    delivery_deadline: 2025-04-24
    source: >-
      Tableau des dispenses de l'organisme (n° RNCP 36358, décision du 25/04/2022).
  # Les fiches antérieures, de la plus récente à la plus ancienne.
  history: []
"""


@pytest.fixture
def catalogue_36358(tmp_path):
    """A copy of the catalogue whose current certification is still RNCP 36358, no history."""
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, directory)
    path = directory / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  current:\n"), text.index("\nformat:")
    path.write_text(text[:start] + OLD_RECORD + text[end:], encoding="utf-8")
    assert main(["--catalogue", str(directory), "validate"]) == 0
    return directory


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _certification(directory):
    return YAML(typ="safe").load((directory / f"{PROGRAMME}.yaml").read_text(encoding="utf-8"))["certification"]


def test_check_reports_the_replacement(catalogue_36358, capsys):
    code, out, _ = _run(capsys, "--catalogue", str(catalogue_36358), "rncp", "check", str(FIXTURE), "--today", "2026-11-22")
    assert code == 1
    assert "RNCP 36358 a été remplacée par RNCP 40913" in out
    assert f"rncp update {FIXTURE} {PROGRAMME}" in out
    assert "fin d'enregistrement de RNCP 40913 (à écrire) : 25/06/2030" in out


def test_update_then_check(catalogue_36358, capsys):
    path = catalogue_36358 / f"{PROGRAMME}.yaml"
    header = path.read_text(encoding="utf-8").split("\nid:")[0]
    code, out, _ = _run(capsys, "--catalogue", str(catalogue_36358), "rncp", "update", str(FIXTURE), PROGRAMME,
                        "--today", "2026-11-22")
    assert code == 0
    assert "de RNCP 36358 à RNCP 40913" in out
    assert "exemptions › confirmed_for" in out and "ni « exemptions » ni les modules" in out

    text = path.read_text(encoding="utf-8")
    assert text.startswith(header) and "# Les fiches antérieures" in text
    certification = _certification(catalogue_36358)
    current, history = certification["current"], certification["history"]
    assert (current["rncp"], current["level"], current["nsf"], current["end_date"]) == (40913, 4, ["331"], dt.date(2030, 6, 25))
    assert current["title"] == "CQP Assistant(e) médical(e)" and current["decision_date"] is None
    assert FIXTURE.name in current["source"] and "replaced_by" not in current
    assert history[0]["rncp"] == 36358 and history[0]["replaced_by"] == 40913
    assert history[0]["decision_date"] == dt.date(2022, 4, 25)

    assert main(["--catalogue", str(catalogue_36358), "validate"]) == 0
    capsys.readouterr()
    code, out, _ = _run(capsys, "--catalogue", str(catalogue_36358), "rncp", "check", str(FIXTURE), "--today", "2026-11-22")
    assert "remplacée" not in out and "différence" not in out
    # what is left is the staff's confirmation of the exemption rules for the new fiche
    assert code == 1 and "confirmed_for" in out


def test_update_keeps_exemptions_and_modules(catalogue_36358, capsys):
    yaml = YAML(typ="safe")
    before = yaml.load((catalogue_36358 / f"{PROGRAMME}.yaml").read_text(encoding="utf-8"))
    main(["--catalogue", str(catalogue_36358), "rncp", "update", str(FIXTURE), PROGRAMME])
    after = yaml.load((catalogue_36358 / f"{PROGRAMME}.yaml").read_text(encoding="utf-8"))
    assert after["exemptions"] == before["exemptions"] and after["blocs"] == before["blocs"]


def test_check_is_clean_once_confirmed(catalogue_36358, capsys):
    main(["--catalogue", str(catalogue_36358), "rncp", "update", str(FIXTURE), PROGRAMME])
    path = catalogue_36358 / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  confirmed_for: []", "  confirmed_for:\n    - {rncp: 40913, confirmed_on: 2026-11-23, by: Responsable pédagogique}"), encoding="utf-8")
    capsys.readouterr()
    code, out, err = _run(capsys, "--catalogue", str(catalogue_36358), "rncp", "check", str(FIXTURE), "--today", "2026-11-22")
    assert err == "" and code == 0, out
    assert "À jour" in out


def test_check_expired_registration(catalogue_36358, capsys):
    main(["--catalogue", str(catalogue_36358), "rncp", "update", str(FIXTURE), PROGRAMME])
    capsys.readouterr()
    code, out, _ = _run(capsys, "--catalogue", str(catalogue_36358), "rncp", "check", str(FIXTURE), "--today", "2030-07-01")
    assert code == 1 and "a pris fin le 25/06/2030" in out


def test_check_number_absent_from_export(capsys):
    code, out, _ = _run(capsys, "--catalogue", str(CATALOGUE), "rncp", "check", str(EXTRACT))
    assert code == 1 and "RNCP 40913" in out and "absente de l'export" in out


def test_update_unknown_programme(capsys):
    code, _, err = _run(capsys, "rncp", "update", str(FIXTURE), "inconnu")
    assert code == 2 and "Programme inconnu" in err


def _broken_exports(tmp_path):
    truncated = tmp_path / "tronque.xml"
    truncated.write_bytes(EXTRACT.read_bytes()[:300_000])
    not_xml = tmp_path / "pas-xml.xml"
    not_xml.write_text("NUMERO_FICHE;INTITULE\nRNCP1;x\n", encoding="utf-8")
    empty = tmp_path / "vide.xml"
    empty.write_bytes(b"")
    zip_without_xml = tmp_path / "export.zip"
    with zipfile.ZipFile(zip_without_xml, "w") as archive:
        archive.writestr("LISEZMOI.txt", "rien")
    gzipped = tmp_path / "export.xml.gz"
    gzipped.write_bytes(gzip.compress(EXTRACT.read_bytes()[:1000]))
    other_root = tmp_path / "autre.xml"
    other_root.write_text("<html><body/></html>", encoding="utf-8")
    return {"tronqué": truncated, "pas du XML": not_xml, "vide": empty, "sans XML": zip_without_xml,
            "illisible": gzipped, "pas un export": other_root, "introuvable": tmp_path / "absent.zip"}


@pytest.mark.parametrize("command", [["show", "{}", "39568"], ["check", "{}"], ["update", "{}", PROGRAMME]])
def test_broken_exports_fail_clearly(tmp_path, capsys, command):
    for label, export in _broken_exports(tmp_path).items():
        argv = ["rncp"] + [part.format(export) for part in command]
        code, out, err = _run(capsys, *argv)
        assert code == 2, (label, out, err)
        assert str(export) in err and "Traceback" not in err + out, (label, err)
    assert (CATALOGUE / f"{PROGRAMME}.yaml").read_text(encoding="utf-8").count("rncp: 40913") == 1


def test_broken_export_messages(tmp_path, capsys):
    expected = {"tronqué": "tronqué", "pas du XML": "pas un XML lisible", "vide": "est vide",
                "sans XML": "ne contient pas de fichier XML", "pas un export": "n'est pas un export du RNCP",
                "introuvable": "introuvable"}
    exports = _broken_exports(tmp_path)
    for label, words in expected.items():
        _, _, err = _run(capsys, "rncp", "show", str(exports[label]), "1")
        assert words in err, (label, err)


def test_no_traceback_in_a_child_process(tmp_path):
    empty = tmp_path / "vide.zip"
    empty.write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "generator", "rncp", "check", str(empty)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "vide" in done.stderr


# -- blocs: the real extract's RNCP34762 -> RNCP39568, recorded in a copy of the catalogue ------

def _catalogue_with_blocs(tmp_path, number, blocs):
    """A catalogue copy whose current certification is RNCP ``number`` with ``blocs`` recorded
    (and the exemption rules established for it)."""
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, directory)
    path = directory / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  current:\n"), text.index("\nformat:")
    lines = "".join(f"      - {{code: {code}, title: \"{title}\"}}\n" for code, title in blocs)
    record = (f"  current:\n    rncp: {number}\n    blocs:\n{lines}    source: Essai.\n  history: []\n")
    text = text[:start] + record + text[end:]
    text = text.replace("  established_for:\n    rncp: 36358", f"  established_for:\n    rncp: {number}")
    from generator.rncp.scanner import find_fiche
    certifier = find_fiche(EXTRACT, number).certifiers[0].name  # the same certifier as the fiche
    text = text.replace("  certifier: CPNEFP des personnels des cabinets médicaux - ACQPCM", f'  certifier: "{certifier}"')
    path.write_text(text, encoding="utf-8")
    assert main(["--catalogue", str(directory), "validate"]) == 0
    return directory


def _blocs(number):
    from generator.rncp.scanner import find_fiche
    return [(bloc.code, bloc.title) for bloc in find_fiche(EXTRACT, number).blocs]


def test_changed_bloc_names_the_modules_and_rules_to_review(tmp_path, capsys):
    recorded = _blocs(39568)[:5]
    recorded[1] = (recorded[1][0], "Un ancien intitulé")
    directory = _catalogue_with_blocs(tmp_path, 39568, recorded)
    capsys.readouterr()
    code, out, _ = _run(capsys, "--catalogue", str(directory), "rncp", "check", str(EXTRACT), "--today", "2026-11-22")
    assert code == 1
    assert "RNCP39568BC02 : intitulé « Un ancien intitulé » devenu" in out
    assert "RNCP39568BC06" in out and "nouveau" in out
    assert "BC01" not in out
    # bloc 2 of the catalogue (BC02) and its exemption grounds, not bloc 1's modules
    assert "logiciel-medical (bloc 2)" in out and "experience-secretaire-medicale" in out
    assert "examens-soins-courants" not in out

    code, out, _ = _run(capsys, "--catalogue", str(directory), "rncp", "update", str(EXTRACT), PROGRAMME)
    assert code == 0 and "Les blocs de compétences ont changé" in out
    assert "logiciel-medical (bloc 2)" in out and "certification-secretariat-medical" in out
    current = _certification(directory)["current"]
    assert [bloc["code"] for bloc in current["blocs"]] == [code for code, _ in _blocs(39568)]
    capsys.readouterr()
    code, out, _ = _run(capsys, "--catalogue", str(directory), "rncp", "check", str(EXTRACT), "--today", "2026-11-22")
    assert code == 0 and "À jour" in out


def test_replaced_fiche_with_blocs(tmp_path, capsys):
    directory = _catalogue_with_blocs(tmp_path, 34762, _blocs(34762))
    capsys.readouterr()
    code, out, _ = _run(capsys, "--catalogue", str(directory), "rncp", "check", str(EXTRACT), "--today", "2026-11-22")
    assert code == 1 and "RNCP 34762 a été remplacée par RNCP 39568" in out
    assert "Blocs de compétences modifiés" in out
    code, out, _ = _run(capsys, "--catalogue", str(directory), "rncp", "update", str(EXTRACT), PROGRAMME)
    assert code == 0 and "de RNCP 34762 à RNCP 39568" in out and "Les blocs de compétences ont changé" in out
    certification = _certification(directory)
    assert certification["current"]["rncp"] == 39568 and certification["current"]["level"] == 7
    assert certification["history"][0]["rncp"] == 34762 and certification["history"][0]["replaced_by"] == 39568
    assert len(certification["history"][0]["blocs"]) == 5 and len(certification["current"]["blocs"]) == 6
    assert main(["--catalogue", str(directory), "validate"]) == 0


def test_check_same_fiche_with_a_different_field(capsys):
    # the project's catalogue records RNCP 40913 without its title; the fixture has one
    code, out, _ = _run(capsys, "--catalogue", str(CATALOGUE), "rncp", "check", str(FIXTURE), "--today", "2026-11-22")
    assert code == 1 and "remplacée" not in out
    assert "intitulé : catalogue (vide) ; RNCP 40913 « CQP Assistant(e) médical(e) »" in out
    assert "fin d'enregistrement" not in out  # 25/06/2030 on both sides


def test_check_reports_another_certifier(tmp_path, capsys):
    export = tmp_path / "export.xml"
    export.write_text(FIXTURE.read_text(encoding="utf-8").replace(
        "CPNEFP des personnels des cabinets médicaux - ACQPCM", "Un autre certificateur"), encoding="utf-8")
    code, out, _ = _run(capsys, "--catalogue", str(CATALOGUE), "rncp", "check", str(export))
    assert code == 1 and "« Un autre certificateur »" in out and "certification › certifier" in out
    code, out, _ = _run(capsys, "--catalogue", str(CATALOGUE), "rncp", "check", str(FIXTURE))
    assert "certificateur" not in out


def test_check_warns_six_months_before_the_end(capsys):
    code, out, _ = _run(capsys, "--catalogue", str(CATALOGUE), "rncp", "check", str(FIXTURE), "--today", "2030-02-01")
    assert "prend fin le 25/06/2030, dans moins de 6 mois" in out
    code, out, _ = _run(capsys, "--catalogue", str(CATALOGUE), "rncp", "check", str(FIXTURE), "--today", "2029-11-01")
    assert "prend fin" not in out


def test_update_twice_changes_nothing_more(catalogue_36358, capsys):
    argv = ["--catalogue", str(catalogue_36358), "rncp", "update", str(FIXTURE), PROGRAMME, "--today", "2026-11-22"]
    assert main(argv) == 0
    first = (catalogue_36358 / f"{PROGRAMME}.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    code, out, _ = _run(capsys, *argv)
    assert code == 0 and "Aucune donnée de la fiche n'a changé" in out
    assert (catalogue_36358 / f"{PROGRAMME}.yaml").read_text(encoding="utf-8") == first
    assert [record["rncp"] for record in _certification(catalogue_36358)["history"]] == [36358]
