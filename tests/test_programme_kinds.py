"""Programmes of every kind the organisation runs (tests/fixtures/kinds/): each validated, built and
evaluated; their pages hold only what their data says."""
import json
import shutil
import subprocess
import sys

import pytest

from generator.catalogue import check_catalogue, load_catalogue
from generator.catalogue.registration import registration_notes

from .conftest import FIXTURES, ROOT
from .site_helpers import module_rows, page_text, parse_attributes

KINDS = FIXTURES / "kinds"
FAE, SHORT, RS, NO_EXEMPTIONS = "fae-assistant-medical", "afgsu-niveau-1", "certification-rs-exemple", "titre-sans-dispense"
WITHOUT_EXEMPTIONS = (FAE, SHORT, NO_EXEMPTIONS)


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True)


def read(site, *parts):
    return (site.joinpath(*parts)).read_text(encoding="utf-8")


def json_ld(html):
    [text] = [t for a, t in parse_attributes(html).scripts if a.get("type") == "application/ld+json"]
    return json.loads(text)


def test_every_kind_validates():
    catalogue = load_catalogue(KINDS)
    assert sorted(e.id for e in catalogue.programmes) == sorted([FAE, SHORT, RS, NO_EXEMPTIONS])
    completed = run("--catalogue", str(KINDS), "validate")
    assert completed.returncode == 0 and "4 programme(s)" in completed.stdout


@pytest.mark.parametrize("programme", [FAE, SHORT, RS, NO_EXEMPTIONS])
def test_pages_hold_nothing_their_data_does_not_say(kinds_site, programme):
    site, _ = kinds_site
    data = json.loads(read(site, programme, "programme.json"))
    for page in ("index.html", "quiz/index.html"):
        text = page_text(read(site, programme, page))
        assert "CPAM" not in text and "cabinet médical" not in text
        assert ("alternance" in text.lower()) == (page == "index.html" and programme == NO_EXEMPTIONS)
        if "certification" not in data:
            assert "RNCP 9" not in text and "Certificateur" not in text
    programme_page = read(site, programme, "index.html")
    assert ("Employeurs" in page_text(programme_page)) == ("employer" in data)
    assert ("Durée d'accès à la certification" in page_text(programme_page)) == (programme == NO_EXEMPTIONS)


@pytest.mark.parametrize("programme", WITHOUT_EXEMPTIONS)
def test_no_dispense_table_where_there_are_no_exemptions(kinds_site, programme):
    site, _ = kinds_site
    assert not (site / programme / "dispenses").exists()
    assert not (site / programme / f"{programme}-dispenses.csv").exists()
    for page in ("index.html", "quiz/index.html"):
        html = read(site, programme, page)
        assert "dispenses/" not in html and "tableau des dispenses" not in page_text(html).lower()
    home = read(site, "index.html")
    assert f'href="{programme}/dispenses/"' not in home and f'href="{programme}/quiz/"' in home
    # The quiz checks admission only: its module rows (contract, section 6) stay hidden.
    quiz = read(site, programme, "quiz", "index.html")
    hidden_part = quiz[quiz.index('<div class="quiz-exemptions" hidden>'):]
    assert list(module_rows(hidden_part)) == list(module_rows(quiz)) != []


def test_a_programme_with_exemptions_keeps_its_table_and_links(kinds_site):
    site, _ = kinds_site
    assert f'href="{RS}/dispenses/"' in read(site, "index.html")
    table = page_text(read(site, RS, "dispenses", "index.html"))
    assert "Règles établies pour la certification RS 99998 (décision du 01/01/2025)" in table
    assert list(module_rows(read(site, RS, "quiz", "index.html"))) == ["bases", "pratique"]


def test_the_attestation_programme_names_its_attestation_and_no_credential(kinds_site):
    site, _ = kinds_site
    html = read(site, FAE, "index.html")
    text = page_text(html)
    assert "Sanction de la formation Attestation de formation d'adaptation à l'emploi (FAE)" in text
    assert "112 h" in text and "d'évaluations" not in text and "Évaluations des blocs" not in text
    described = json_ld(html)
    for absent in ("identifier", "educationalCredentialAwarded", "occupationalCredentialAwarded", "timeToComplete"):
        assert absent not in described
    assert described["timeRequired"] == "PT112H"
    assert described["educationalProgramMode"] == "onsite"
    assert described["hasCourseInstance"]["courseMode"] == "onsite"


def test_the_short_course_gives_its_days_places_and_sessions(kinds_site):
    site, _ = kinds_site
    text = page_text(read(site, SHORT, "index.html"))
    assert "Durée 2 jours" in text and "La formation dure 2 jours." in text
    assert "Lieu En centre de formation ou sur site (dans vos locaux)" in text
    assert "Plusieurs sessions par an" in text
    assert json_ld(read(site, SHORT, "index.html"))["timeToComplete"] == "P2D"


def test_the_rs_certification_is_named_with_its_register(kinds_site):
    site, _ = kinds_site
    html = read(site, RS, "index.html")
    text = page_text(html)
    assert "Fiche en vigueur au Répertoire spécifique : RS 99998" in text and "RNCP" not in text
    described = json_ld(html)
    assert described["identifier"] == "RS99998"
    credential = described["educationalCredentialAwarded"]
    assert (credential["name"], credential["identifier"]) == ("Certification d'exemple (donnée de test)", "RS99998")
    assert credential["@type"] == "EducationalOccupationalCredential" and "educationalLevel" not in credential
    assert described["educationalProgramMode"] == "online" and described["timeToComplete"] == "P6W"


def test_the_alternance_programme_without_exemptions(kinds_site):
    site, _ = kinds_site
    text = page_text(read(site, NO_EXEMPTIONS, "index.html"))
    assert "La formation dure 10 mois, en alternance." in text
    assert "1 jour de formation et 4 jours en entreprise" in text
    assert "Employeurs Accueillir un(e) alternant(e)" in text and "obligations" not in text
    assert json_ld(read(site, NO_EXEMPTIONS, "index.html"))["identifier"] == "RNCP99997"


def test_the_report_lists_only_the_pages_written(kinds_site):
    _, completed = kinds_site
    report = completed.stdout
    part = report[report.index(f"({FAE})"):]
    part = part[:part.index("\n\n")]
    assert "4 fichiers écrits" in part and "dispenses" not in part and "RNCP" not in part
    assert f"/{FAE}/programme.json" in part and ".pdf" in part   # the page, the quiz, its data, its sheet


def test_the_quiz_checks_admission_only_without_exemptions():
    answers = json.dumps({"state_diploma": "deas"})
    completed = run("--catalogue", str(KINDS), "evaluate", FAE, "-", "--today", "2026-11-22", stdin=answers)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["admission"]["status"] == "admissible" and result["missing"] == []
    assert {m["status"] for m in result["modules"]} == {"not-dispensable"}
    assert result["hours"]["dispensed"] == 0 and result["hours"]["remaining"] == 112
    refused = json.loads(run("--catalogue", str(KINDS), "evaluate", FAE, "-", "--today", "2026-11-22",
                             stdin=json.dumps({"state_diploma": "none"})).stdout)
    assert refused["admission"]["status"] == "not-admissible"


def test_the_rs_programme_exempts_by_its_rules():
    completed = run("--catalogue", str(KINDS), "evaluate", RS, "-", "--today", "2026-11-22",
                    stdin=json.dumps({"experience_months": 40}))
    result = json.loads(completed.stdout)
    assert result["hours"]["dispensed"] == 20 and result["admission"]["status"] == "admissible"


def test_registration_notes_name_the_register():
    catalogue = load_catalogue(KINDS)
    import datetime as dt
    rs = catalogue.programme(RS).view
    [(level, message)] = registration_notes(rs, dt.date(2029, 9, 1))
    assert level == "warning" and "RS 99998 prend fin le 31/12/2029" in message and "RNCP" not in message
    [(level, message)] = registration_notes(rs, dt.date(2030, 1, 2))
    assert level == "error" and "RS 99998" in message and "rncp check" not in message
    assert registration_notes(catalogue.programme(FAE).view, dt.date(2040, 1, 1)) == []


def test_rncp_commands_leave_programmes_without_an_rncp_fiche_alone(tmp_path):
    export = FIXTURES / "rncp" / "export_fiches_RNCP_V4_1_extract.xml"
    checked = run("--catalogue", str(KINDS), "rncp", "check", str(export), "--today", "2026-11-22")
    assert "Traceback" not in checked.stderr, checked.stderr
    for programme in (FAE, SHORT):
        assert f"{programme} (" in checked.stdout and "formation sans certification" in checked.stdout
    assert "Répertoire spécifique (RS 99998) : l'export du RNCP ne le concerne pas" in checked.stdout
    assert "RNCP 99997" in checked.stdout  # the one RNCP programme is checked (absent from the extract)
    catalogue = tmp_path / "catalogue"
    shutil.copytree(KINDS, catalogue)
    before = (catalogue / f"{FAE}.yaml").read_bytes()
    updated = run("--catalogue", str(catalogue), "rncp", "update", str(export), FAE, "--today", "2026-11-22")
    assert updated.returncode == 1 and "pas de fiche RNCP à mettre à jour" in updated.stdout, updated.stderr
    assert (catalogue / f"{FAE}.yaml").read_bytes() == before


def _problems_of(tmp_path, programme, edit):
    directory = tmp_path / "catalogue"
    directory.mkdir(exist_ok=True)
    shutil.copy(KINDS / "organisation.yaml", directory)
    path = directory / f"{programme}.yaml"
    text = (KINDS / f"{programme}.yaml").read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    _, problems = check_catalogue(directory)
    return [p.message for p in problems]


@pytest.mark.parametrize("programme, edit, expected", [
    (FAE, lambda t: t.replace("attestation: Attestation", "# attestation: Attestation"), "« attestation »"),
    (SHORT, lambda t: t.replace("duration_days: 2", "duration_days: 2\nduration_weeks: 1"), "un seul champ"),
    (NO_EXEMPTIONS, lambda t: t.replace("  practice_place: en entreprise\n", ""), "practice_place"),
    (NO_EXEMPTIONS, lambda t: t.replace("access_duration_months: 12\n", ""), "access_duration_months"),
    (RS, lambda t: t.replace("    rs: 99998\n", "    rs: 99998\n    rncp: 99998\n"), "un seul des deux"),
    (RS, lambda t: t.replace("established_for: {rs: 99998,", "established_for: {rs: 12345,"), "RS 12345 n'est ni"),
    (RS, lambda t: t.replace("  established_for: {rs: 99998, decision_date: 2025-01-01}\n", ""), "established_for"),
    (FAE, lambda t: t.replace("questions:\n", "exemptions:\n  established_for: {rncp: 1}\n  positioning: [x]\n"
                              "  grounds:\n    - {id: g, label: g, evidence: [e], condition: {answer: state_diploma, equals: dei}}\n"
                              "questions:\n"), "pas de « certification »"),
    (FAE, lambda t: t.replace("course_mode: présentiel", "course_mode: hybride"), "course_mode"),
    (SHORT, lambda t: t.replace("places: [centre, on_site]", "places: [centre, distance]"), "contredit"),
    (RS, lambda t: t.replace("places: [distance]", "places: [distance, centre]"), "contredit"),
])
def test_each_kind_rule_is_checked(tmp_path, programme, edit, expected):
    messages = _problems_of(tmp_path, programme, edit)
    assert any(expected in message for message in messages), messages


def test_the_real_programme_describes_its_credential_requirement_workload_and_date(catalogue):
    from generator.site.structured_data import json_ld
    entry = catalogue.programme("cqp-assistant-medical")
    described = json_ld(catalogue, entry)
    credential = described["educationalCredentialAwarded"]
    assert credential["identifier"] == "RNCP40913" and credential["educationalLevel"].startswith("Niveau 4 ")
    assert credential["recognizedBy"]["name"] == entry.data["certification"]["certifier"]
    assert described["programPrerequisites"][-1] == "Dans tous les cas : " + entry.data["admission"]["requirement"]["label"]
    assert described["hasCourseInstance"]["courseWorkload"] == "PT279H"
    assert described["dateModified"] == str(entry.data["data_date"])
    assert "url" not in described and "@id" not in described  # no public address in the catalogue yet
