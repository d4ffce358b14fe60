"""Issue 11, items 3 and 4: the organisation's identity pages, the programme's pathways,
results, sessions and price; nothing shown where the catalogue is empty, each empty fact
reported; the legal pages reached from every page's footer, never from a programme's body."""
import datetime as dt
import json
import re

import pytest

from generator.catalogue import check_catalogue
from generator.site.build import SiteBuildError, prepare
from generator.site.identity_report import CERTIFIED_ITEMS, ORGANISATION_ITEMS, PROGRAMME_ITEMS

from .conftest import CATALOGUE
from .publishing_helpers import published_catalogue
from .site_helpers import catalogue_copy, page_text

TODAY = dt.date(2026, 11, 22)
PROGRAMME = "cqp-assistant-medical"


def _json_ld(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


@pytest.fixture(scope="module")
def real():
    return prepare(CATALOGUE, TODAY).content


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    directory = published_catalogue(tmp_path_factory.mktemp("published") / "catalogue")
    return prepare(directory, TODAY).content


def test_real_catalogue_reports_every_empty_publishing_fact(real):
    organisation, programme = real.report.programmes[0], real.report.programmes[1]
    assert organisation.id == "organisation" and programme.id == PROGRAMME
    for path, name, _ in ORGANISATION_ITEMS:
        assert any(f"{name} (champ « {' › '.join(path)} »" in n.message for n in organisation.notes), name
    assert any("référent(e) handicap (champs" in n.message for n in organisation.notes)
    for path, name, _ in PROGRAMME_ITEMS + CERTIFIED_ITEMS:
        assert any(f"{name} (champ « {' › '.join(path)} »" in n.message for n in programme.notes), name
    assert any("aucune session à venir" in n.message for n in programme.notes)
    assert not real.report.errors   # fail_if_missing is false: warnings only


def test_real_catalogue_shows_nothing_it_does_not_know(real):
    legal = page_text(real.pages["mentions-legales.md"])
    assert "SIRET" not in legal and "Déclaration d'activité" not in legal and "Hébergeur" not in legal
    assert "TechAcademy" in legal and "83160 La Valette-du-Var" in legal
    accessibility = page_text(real.pages["accessibilite.md"])
    assert "non conforme" in accessibility and "non évalué" in accessibility
    assert "référent(e) handicap" not in accessibility
    certificate = page_text(real.pages["certification-qualite.md"])
    assert "ne sont pas encore publiées" in certificate and "Numéro du certificat" not in certificate
    page = real.pages[f"{PROGRAMME}/index.md"]
    text = page_text(page)
    assert "Prochaines sessions" in text and "Aucune session n'est programmée pour le moment. Contactez-nous" in text
    for absent in ["Tarif", "Passerelles", "Résultats", "référent(e) handicap"]:
        assert absent not in text, absent
    ld = _json_ld(page)
    # no session: no offer, and the one course instance says only how the course is given
    assert "offers" not in ld and ld["hasCourseInstance"] == {"@type": "CourseInstance", "courseMode": "blended", "courseWorkload": "PT279H"}


def test_missing_qualiopi_identity_fails_when_a_programme_asks(tmp_path):
    directory = catalogue_copy(tmp_path / "catalogue", lambda t: t.replace("fail_if_missing: false", "fail_if_missing: true"))
    with pytest.raises(SiteBuildError) as error:
        prepare(directory, TODAY)
    message = str(error.value)
    for expected in ["organisation : information Qualiopi manquante : numéro SIRET",
                     "organisation : information Qualiopi manquante : numéro du certificat Qualiopi",
                     f"{PROGRAMME} : information Qualiopi manquante : tarif",
                     f"{PROGRAMME} : information Qualiopi manquante : passerelles"]:
        assert expected in message, expected
    # Legal (non-Qualiopi) items stay warnings.
    assert "organisation : information manquante : nom de l'hébergeur" not in message.split("Le site n'est pas construit")[1]


def test_filled_identity_pages(filled):
    legal = page_text(filled.pages["mentions-legales.md"])
    for fact in ["Atelier Exemple SAS (fictive), SAS au capital de 1 000 €", "SIRET 12345678200010",
                 "Déclaration d'activité enregistrée sous le numéro 93830000083 auprès du préfet de région "
                 "Provence-Alpes-Côte d'Azur", "Camille Exemple", "Hébergeur Fictif", "2 rue du Serveur"]:
        assert fact in legal, fact
    accessibility = page_text(filled.pages["accessibilite.md"])
    assert "partiellement conforme" in accessibility and "75 %" in accessibility
    assert "accessibilite@exemple.invalid" in accessibility and "Dominique Exemple" in accessibility
    certificate = filled.pages["certification-qualite.md"]
    text = page_text(certificate)
    assert "FICTIF-2025-001" in text and "01/03/2025" in text and "28/02/2028" in text
    assert "Actions de formation" in text
    # The fixture's PDF is not in docs/: no dead link, and the report says so (nothing else).
    assert "certificat-qualiopi.pdf" not in certificate
    assert [n.message.split(" (")[0] for n in filled.report.programmes[0].notes] == [
        "le certificat Qualiopi « documents/certificat-qualiopi.pdf »"]


def test_certificate_document_linked_when_it_is_in_docs(tmp_path, monkeypatch):
    from generator.site import identity_report
    (tmp_path / "docs" / "documents").mkdir(parents=True)
    (tmp_path / "docs" / "documents" / "certificat-qualiopi.pdf").write_bytes(b"%PDF-1.4 fictif")
    monkeypatch.setattr(identity_report, "DOCS_DIRECTORY", tmp_path / "docs")
    content = prepare(published_catalogue(tmp_path / "catalogue"), TODAY).content
    assert 'href="../documents/certificat-qualiopi.pdf"' in content.pages["certification-qualite.md"]
    assert not content.report.programmes[0].notes


def test_sessions_price_pathways_and_results_on_the_programme_page(filled):
    page = filled.pages[f"{PROGRAMME}/index.md"]
    text = page_text(page)
    starts = re.findall(r'data-start="([0-9-]+)"', page)
    # The session of 2026-09-07 started before the build day: gone. The others, soonest first.
    assert starts == ["2027-01-11", "2027-03-01", "2027-05-03"]
    assert "Du 11/01/2027 au 10/09/2027" in text and "Session complète" in text
    assert "Inscriptions ouvertes : 10 places — inscription : Service inscriptions, inscriptions@exemple.invalid" in text
    assert "Du 03/05/2027 au 17/12/2027 — session annulée" in text
    assert "Testville — en présentiel et à distance" in text and "— à distance" in text   # SESSION_FORMATS' words
    assert "Aucune session" not in text
    assert "Tarif : 3 500 € TTC (frais pédagogiques et supports de cours)" in text
    assert "Passerelle fictive" in text and "Poursuite fictive" in text and "Équivalence fictive" in text
    assert "promotion 2025 12 92 % 88,5 %" in text and "promotion 2024 10 non mesuré 90 %" in text
    assert "Source (promotion 2025) : jury fictif du 30/06/2025" in text
    assert "référent(e) handicap, Dominique Exemple, handicap@exemple.invalid" in text
    programme_notes = [n.message for n in filled.report.programmes[1].notes]
    assert not [m for m in programme_notes if "information manquante" in m or "session" in m], programme_notes
    # The real fiche's registration date is still empty: reported, not shown.
    assert [m for m in programme_notes if "Qualiopi manquante" in m and "qualiopi ›" not in m] == [
        "information Qualiopi manquante : date d'enregistrement de la certification au RNCP (champ « certification › "
        "current › registered_on » vide dans le fichier du programme ; elle n'apparaît pas sur le site)."]
    assert "Date d'enregistrement" not in text


def test_json_ld_offers_and_course_instances(filled):
    ld = _json_ld(filled.pages[f"{PROGRAMME}/index.md"])
    assert ld["offers"] == {"@type": "Offer", "price": 3500, "priceCurrency": "EUR", "category": "Paid",
                            "description": "frais pédagogiques et supports de cours"}
    instances = ld["hasCourseInstance"]
    # Past and cancelled sessions are not offered.
    assert [(i["startDate"], i["endDate"], i["courseMode"]) for i in instances] == [
        ("2027-01-11", "2027-09-10", "online"), ("2027-03-01", "2027-10-29", "blended")]
    assert instances[1]["location"]["address"]["addressLocality"] == "Testville"
    assert instances[1]["maximumAttendeeCapacity"] == 10 and "maximumAttendeeCapacity" not in instances[0]


def test_later_build_day_hides_more_sessions(tmp_path):
    directory = published_catalogue(tmp_path / "catalogue")
    content = prepare(directory, dt.date(2027, 3, 2)).content
    assert re.findall(r'data-start="([0-9-]+)"', content.pages[f"{PROGRAMME}/index.md"]) == ["2027-05-03"]
    # Only a cancelled session is left: nothing can be joined, the report says so.
    assert any("aucune session à venir" in n.message for n in content.report.programmes[1].notes)
    assert "session annulée" in content.pages[f"{PROGRAMME}/index.md"]
    assert "Aucune session n'est programmée" in page_text(content.pages[f"{PROGRAMME}/index.md"])
    assert "startDate" not in str(_json_ld(content.pages[f"{PROGRAMME}/index.md"])["hasCourseInstance"])


def test_no_programme_page_body_links_to_the_quality_pages_or_shows_a_logo(filled):
    for path, page in filled.pages.items():
        if path.count("/") == 1 and path.endswith("index.md"):   # a programme page
            assert "certification-qualite" not in page and "mentions-legales" not in page
            assert "<img" not in page and "logo" not in page.lower()


@pytest.mark.parametrize("old,new,sentence", [
    ('siret: "12345678200010"', 'siret: "12345678200011"', "le numéro SIRET « 12345678200011 » est invalide"),
    ('siret: "12345678200010"', "siret: 12345678200010", "doit être un numéro SIRET de 14 chiffres"),
    ('nda: "93830000083"', 'nda: "9383000008"', "numéro de déclaration d'activité de 11 chiffres"),
    ("compliance_rate: 75", "compliance_rate: 175", "doit être compris entre 0 et 100"),
    ("document: documents/certificat-qualiopi.pdf", "document: ../secret.pdf", "le chemin d'un PDF dans docs/"),
])
def test_bad_identity_facts_are_french_sentences_with_their_line(tmp_path, old, new, sentence):
    directory = published_catalogue(tmp_path / "catalogue")
    path = directory / "organisation.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    _, problems = check_catalogue(directory)
    line = text.splitlines().index(next(l for l in text.splitlines() if old in l)) + 1
    assert [(p.line, sentence in p.message) for p in problems] == [(line, True)], problems


@pytest.mark.parametrize("old,new,sentence", [
    ("    end: 2027-09-10\n", "    end: 2026-12-10\n", "la session finit (2026-12-10) avant de commencer (2027-01-11)"),
    ("    status: complète\n", "    status: pleine\n", "doit valoir « ouverte » ou « complète » ou « annulée »"),
    ("    format: distance\n", "    format: en ligne\n", "doit valoir « présentiel » ou « distance » ou « mixte »"),
    ("  total_eur: 3500\n", "  total_eur: 3 500 €\n", "doit être un nombre"),
    ("  entry_level: 4\n", "  entry_level: true\n", "doit être « sans-niveau » ou un nombre entier"),
    ('  public_codes: ["81056", "80056"]\n', "  public_codes: [81056]\n", "code FORMACODE de 5 chiffres"),
])
def test_bad_session_or_price_is_reported(tmp_path, old, new, sentence):
    directory = published_catalogue(tmp_path / "catalogue")
    path = directory / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    _, problems = check_catalogue(directory)
    assert len(problems) == 1 and sentence in problems[0].message, problems


def test_every_built_page_has_the_legal_links_in_its_footer(built_site):
    site = built_site[0]
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) >= 7
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = re.search(r'<nav class="legal-links".*?</nav>', html, re.S)
        assert footer, page
        links = re.findall(r'href="([^"]+)"', footer.group(0))
        assert len(links) == 3, page
        for link in links:
            assert (page.parent / link / "index.html").resolve().is_file(), (page, link)
        article = html.split('<nav class="legal-links"')[0]
        if page.parent.parent == site and (page.parent / "quiz").is_dir():   # a programme page
            assert "certification-qualite" not in article, page


def test_the_menu_offers_the_legal_notice_and_accessibility_never_the_certificate(built_site):
    """Issue 16's polish: the menu listed only « Nos formations » and « Confidentialité »."""
    html = (built_site[0] / "cqp-assistant-medical" / "index.html").read_text(encoding="utf-8")
    menu = re.findall(r'<a href="([^"]+)" class="md-nav__link">', html)
    assert menu == ["..", "../mentions-legales/", "../accessibilite/", "../confidentialite/"], menu


def test_registration_date_shown_once_filled(tmp_path):
    directory = published_catalogue(tmp_path / "catalogue")
    path = directory / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    registered_on: null\n    decision_date: null\n    end_date: 2030-06-25"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("registered_on: null", "registered_on: 2025-06-25")), encoding="utf-8")
    content = prepare(directory, TODAY).content
    assert "Date d'enregistrement de la certification au RNCP : 25/06/2025." in page_text(content.pages[f"{PROGRAMME}/index.md"])
    assert not [n for n in content.report.programmes[1].notes if "enregistrement" in n.message]


def test_a_price_out_of_bounds_is_said_in_french_figures():
    from generator.catalogue.schema_publishing import Number
    [(path, sentence)] = Number().check(2_000_000, ("price", "total_eur"))
    assert sentence == "doit être compris entre 0 et 1\u202f000\u202f000, pas 2\u202f000\u202f000."
    assert "e+" not in Number(0, 100).check(100.5, ("x",))[0][1]
