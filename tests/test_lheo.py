"""Issue 11 item 5: `python -m generator lheo` writes the offer as LHÉO 2.3 XML, valid against the
official XSD (generator/lheo/lheo-2.3.xsd, see XSD.md); missing facts are listed, never a partial file."""
import datetime as dt
import hashlib
import shutil
import subprocess
import sys

import pytest

from generator.catalogue import load_catalogue
from generator.lheo import LheoMissingFacts, lheo_document

from .conftest import CATALOGUE, FIXTURES, ROOT
from .publishing_helpers import published_catalogue

etree = pytest.importorskip("lxml.etree")

XSD = ROOT / "generator" / "lheo" / "lheo-2.3.xsd"   # shipped with the package, read by `lheo`
NS = {"l": "http://lheo.gouv.fr/2.3"}
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


def _umask() -> int:
    import os
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _run(catalogue, *args):
    return subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(catalogue), "lheo",
                           "--today", TODAY.isoformat(), *args], cwd=ROOT, capture_output=True, timeout=120)


def test_vendored_xsd_is_the_published_lheo_2_3():
    data = XSD.read_bytes()
    assert len(data) == 213_190
    assert hashlib.sha256(data).hexdigest() == "93c57269fa6c515b4b103a9d32395cc740e9d8af512fc48c4b2c16d9bab8d71c"


def test_filled_programme_validates_and_carries_the_catalogue_facts(tmp_path, schema):
    catalogue = published_catalogue(tmp_path / "catalogue")
    run = _run(catalogue, "-o", str(tmp_path / "offre.xml"))
    assert run.returncode == 0, run.stderr.decode()
    document = etree.parse(str(tmp_path / "offre.xml"))
    assert schema.validate(document), schema.error_log
    formation = document.find("l:offres/l:formation", NS)
    text = lambda path: [e.text for e in formation.findall(path, NS)]  # noqa: E731
    assert text("l:intitule-formation") == ["CQP Assistant(e) médical(e)"]
    assert text("l:certification/l:code-RNCP") == ["40913"]
    assert text("l:code-niveau-sortie") == ["14"]            # level 4 of the 2019 nomenclature
    assert text("l:code-niveau-entree") == ["14"]
    assert text("l:domaine-formation/l:code-NSF") == ["331"]
    assert text("l:organisme-formation-responsable/l:SIRET-organisme-formation/l:SIRET") == ["12345678200010"]
    assert text("l:organisme-formation-responsable/l:numero-activite") == ["93830000083"]
    assert text("l:organisme-formation-responsable/l:raison-sociale") == ["Atelier Exemple SAS (fictive)"]
    assert "Bloc 2 - Accueil et prise en charge administrative des patients (98 h)" in text("l:contenu-formation")[0]
    action = "l:action/"
    assert text(action + "l:code-public-vise") == ["81056", "80056"]
    assert [e.get("ref") for e in formation.findall(action + "l:code-public-vise", NS)] == ["V13", "V13"]
    assert text(action + "l:modalites-entrees-sorties") == ["0"]
    assert text(action + "l:modalites-enseignement") == ["1"]   # distance + mixte sessions
    assert text(action + "l:prix-total-TTC") == ["3500.00"]
    assert text(action + "l:nombre-heures-total") == ["279"]
    assert "2 jours en centre de formation" in text(action + "l:rythme-formation")[0]
    assert "titulaire du titre d'assistant(e) dentaire" in text(action + "l:conditions-specifiques")[0]
    # The past session (2026-09-07) and the cancelled one (2027-05-03) are not offered.
    sessions = formation.findall(action + "l:session", NS)
    assert [(s.findtext("l:periode/l:debut", namespaces=NS), s.findtext("l:periode/l:fin", namespaces=NS),
             s.findtext("l:etat-recrutement", namespaces=NS)) for s in sessions] == [
        ("20270111", "20270910", "2"), ("20270301", "20271029", "1")]
    assert sessions[1].findtext("l:contact-session/l:coordonnees/l:courriel", namespaces=NS) == "inscriptions@exemple.invalid"
    assert [e.findtext("l:coordonnees/l:adresse/l:ville", namespaces=NS)
            for e in formation.findall(action + "l:lieu-de-formation", NS)] == ["Autreville", "Testville"]


def test_two_programmes_two_formations_valid(tmp_path, schema):
    catalogue = published_catalogue(tmp_path / "catalogue")
    second = published_catalogue(tmp_path / "second", FIXTURES / "mini" / "titre-commis-cuisine.yaml")
    shutil.copy(second / "titre-commis-cuisine.yaml", catalogue)
    # Its « funding » is empty: LHÉO's prise-en-charge-frais-possible cannot be said.
    with pytest.raises(LheoMissingFacts) as error:
        lheo_document(load_catalogue(catalogue), TODAY)
    assert error.value.missing == ["titre-commis-cuisine.yaml : possibilités de financement (champ « funding » vide) : "
                                   "LHÉO demande si une prise en charge des frais est possible."]
    path = catalogue / "titre-commis-cuisine.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nfunding: []\n", "\n")
                    + "funding: [{question: Financement ?, answers: [Réponse fictive.]}]\n", encoding="utf-8")
    document = etree.fromstring(lheo_document(load_catalogue(catalogue), TODAY))
    assert schema.validate(document), schema.error_log
    formations = document.findall("l:offres/l:formation", NS)
    assert [f.get("numero") for f in formations] == ["cqp-assistant-medical", "titre-commis-cuisine"]
    # The made-up programme has no practice days and no level: said so, nothing invented.
    assert formations[1].findtext("l:action/l:modalites-alternance", namespaces=NS) == "Pas de période en entreprise."
    assert formations[1].find("l:code-niveau-sortie", NS) is None


def test_an_rs_certification_is_certifiante(tmp_path, schema):
    """The certification in force is the view's, RNCP or RS: an RS programme is « certifiante » too."""
    directory = published_catalogue(tmp_path / "c", FIXTURES / "kinds" / "certification-rs-exemple.yaml")
    with open(directory / "certification-rs-exemple.yaml", "a", encoding="utf-8") as programme:
        programme.write("funding:\n  - question: Qui finance ?\n    answers: [Le CPF (donnée de test).]\n")
    catalogue = load_catalogue(directory)
    document = etree.fromstring(lheo_document(catalogue, TODAY))
    assert schema.validate(document), schema.error_log
    formation = document.find("l:offres/l:formation", NS)
    assert formation.findtext("l:certifiante", namespaces=NS) == "1"
    assert formation.findtext("l:certification/l:code-RS", namespaces=NS) == "99998"
    assert formation.find("l:certification/l:code-RNCP", NS) is None
    assert "(RS 99998)." in formation.findtext("l:resultats-attendus", namespaces=NS)


def test_the_validator_rejects_a_broken_offer(tmp_path, schema):
    """The XSD check can fail: the same offer without its SIRET is invalid."""
    document = etree.fromstring(lheo_document(load_catalogue(published_catalogue(tmp_path / "c")), TODAY))
    siret = document.find(".//l:SIRET-organisme-formation", NS)
    siret.getparent().remove(siret)
    assert not schema.validate(document)


EXPECTED_MISSING = [
    "organisation.yaml : raison sociale (champ « legal › legal_name »).",
    "organisation.yaml : numéro SIRET (champ « legal › siret »).",
    "organisation.yaml : numéro de déclaration d'activité (champ « legal › nda »).",
    "organisation.yaml : courriel ou téléphone de l'organisme (champ « email » ou « phone »), le contact de l'offre.",
    "cqp-assistant-medical.yaml : au moins une session à venir, ouverte ou complète (champ « sessions »).",
    "cqp-assistant-medical.yaml : codes FORMACODE des publics visés (code-public-vise) (champ « lheo › public_codes »).",
    "cqp-assistant-medical.yaml : version du FORMACODE de ces codes (champ « lheo › formacode_version »).",
    "cqp-assistant-medical.yaml : modalités d'entrées et de sorties (dates-fixes ou permanentes) (champ « lheo › entries_exits »).",
    "cqp-assistant-medical.yaml : type de parcours (en-groupe, individualise, modularise ou mixte) (champ « lheo › course_path »).",
    "cqp-assistant-medical.yaml : niveau d'entrée (sans-niveau ou 1 à 8) (champ « lheo › entry_level »).",
    "cqp-assistant-medical.yaml : niveau d'entrée obligatoire ou non (true ou false) (champ « lheo › entry_level_required »).",
]


def test_real_catalogue_lists_exactly_what_staff_must_fill_and_writes_nothing(tmp_path):
    output = tmp_path / "offre.xml"
    output.write_bytes(b"previous export\n")
    run = _run(CATALOGUE, "-o", str(output))
    stderr = run.stderr.decode()
    assert run.returncode == 1 and "Traceback" not in stderr
    assert [line[2:] for line in stderr.splitlines() if line.startswith("- ")] == EXPECTED_MISSING
    assert "L'export LHÉO n'est pas écrit" in stderr
    assert output.read_bytes() == b"previous export\n"            # the previous file, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["offre.xml"]   # no temporary file left
    assert run.stdout == b""


def test_missing_facts_raise_before_any_xml(tmp_path):
    with pytest.raises(LheoMissingFacts) as error:
        lheo_document(load_catalogue(CATALOGUE), TODAY)
    assert error.value.missing == EXPECTED_MISSING
    # A later day: the fixture's sessions have all started or are cancelled.
    with pytest.raises(LheoMissingFacts) as error:
        lheo_document(load_catalogue(published_catalogue(tmp_path / "c")), dt.date(2027, 3, 2))
    assert error.value.missing == [
        "cqp-assistant-medical.yaml : au moins une session à venir, ouverte ou complète (champ « sessions »)."]


def test_output_replaced_whole_with_a_backup_and_a_missing_directory_is_a_sentence(tmp_path, schema):
    catalogue = published_catalogue(tmp_path / "catalogue")
    output = tmp_path / "offre.xml"
    output.write_bytes(b"old")
    output.chmod(0o640)
    run = _run(catalogue, "-o", str(output))
    assert run.returncode == 0, run.stderr.decode()
    assert schema.validate(etree.parse(str(output)))
    assert output.stat().st_mode & 0o777 == 0o640                # the file keeps its permissions
    assert (tmp_path / "offre.xml.bak").read_bytes() == b"old"   # generator/safe_write.py's backup
    assert "offre.xml.bak" in run.stderr.decode()
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    fresh = tmp_path / "nouveau.xml"
    assert _run(catalogue, "-o", str(fresh)).returncode == 0
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_umask()     # a new one: the usual ones, not 0600
    run = _run(catalogue, "-o", str(tmp_path / "absent" / "offre.xml"))
    assert run.returncode == 1 and "Traceback" not in run.stderr.decode()
    assert "n'existe pas : rien n'a été écrit" in run.stderr.decode()


def test_standard_output_without_o(tmp_path, schema):
    run = _run(published_catalogue(tmp_path / "catalogue"))
    assert run.returncode == 0
    assert schema.validate(etree.fromstring(run.stdout))


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_leaves_the_previous_file(tmp_path, monkeypatch, failing):
    from generator import safe_write
    from generator.lheo.commands import write_offer

    output = tmp_path / "offre.xml"
    output.write_bytes(b"previous export\n")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_write.os, failing, fail)
    with pytest.raises(safe_write.WriteFailed):
        write_offer(output, lheo_document(load_catalogue(published_catalogue(tmp_path / "c")), TODAY))
    monkeypatch.undo()
    assert output.read_bytes() == b"previous export\n"
    assert not list(tmp_path.glob(".*.tmp"))


def test_killed_mid_write_leaves_the_previous_file(tmp_path):
    """SIGKILL once the new offer is written to its temporary file, before it replaces anything."""
    import os
    import signal

    catalogue = published_catalogue(tmp_path / "catalogue")
    output = tmp_path / "offre.xml"
    output.write_bytes(b"previous export\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--catalogue", str(catalogue), "lheo", "--today", TODAY.isoformat(),
         "-o", str(output)], cwd=ROOT, stderr=subprocess.PIPE, env={**os.environ, "GENERATOR_SAFE_WRITE_PAUSE": "synced:30"})
    try:
        assert b"safe_write: pause synced" in process.stderr.readline()
        assert list(tmp_path.glob(".offre.xml.*.tmp"))            # the new content is there, aside
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert output.read_bytes() == b"previous export\n"
    # The next export removes the killed one's temporary file and writes a whole offer.
    assert _run(catalogue, "-o", str(output)).returncode == 0
    assert not list(tmp_path.glob(".offre.xml.*.tmp"))
    assert etree.parse(str(output)).getroot().tag == "{http://lheo.gouv.fr/2.3}lheo"


def test_declared_funding_routes_go_in_the_conditions_of_funding(tmp_path, schema):
    catalogue = published_catalogue(tmp_path / "catalogue")
    programme = catalogue / "cqp-assistant-medical.yaml"
    programme.write_text(programme.read_text(encoding="utf-8") + "funding_routes:\n  - {route: cpf, details: pour les "
                         "salariés}\n  - {route: transitions-pro}\n", encoding="utf-8")
    run = _run(catalogue, "-o", str(tmp_path / "offre.xml"))
    assert run.returncode == 0, run.stderr.decode()
    document = etree.parse(str(tmp_path / "offre.xml"))
    assert schema.validate(document), schema.error_log
    assert [e.text for e in document.iterfind(".//l:action/l:detail-conditions-prise-en-charge", NS)] == [
        "Financements possibles : Compte personnel de formation (CPF) (pour les salariés) ; "
        "Transitions Pro (projet de transition professionnelle)."]
