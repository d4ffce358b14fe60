"""A change to the catalogue changes the pages; hostile text stays text; bad data stops the build."""
import datetime as dt
import json

import pytest

from generator.site.build import prepare

from .conftest import CATALOGUE
from .site_helpers import build, catalogue_copy, module_rows, page_text, parse_attributes

PROGRAMME = "cqp-assistant-medical"
INJECTED = '<script>alert("x")</script> & "guillemets" \'apostrophes\''
INJECTED_NAME = 'Tech<script>alert("org")</script> & "Co"'
INJECTED_MODULE = 'Logiciel médical <img src=x onerror=alert(1)> & « agenda »'


def changed(text: str) -> str:
    # Two modules of bloc 2 trade an hour: the bloc still adds up to 98 h.
    text = text.replace("id: dossier-patient\n        title: Création et suivi d'un dossier patient\n        hours: 21",
                        "id: dossier-patient\n        title: Création et suivi d'un dossier patient\n        hours: 22")
    text = text.replace("id: vocabulaire-medical\n        title: Vocabulaire médical\n        hours: 14",
                        "id: vocabulaire-medical\n        title: Vocabulaire médical\n        hours: 13")
    text = text.replace("title: Télémédecine", "title: Télémédecine et téléconsultation")
    text = text.replace("title: Logiciel médical\n", f"title: {json.dumps(INJECTED_MODULE, ensure_ascii=False)}\n")
    injected = json.dumps(INJECTED, ensure_ascii=False)
    text = text.replace("summary: >-\n", f"summary: {injected}\nformer_summary: >-\n", 1)
    text = text.replace("former_summary: >-\n", "presentation_intro_unused: >-\n", 1)
    return text


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("changed")

    def edit(text):
        text = changed(text)
        # Drop the displaced original summary lines (the key we renamed is not in the schema).
        lines = text.split("\n")
        start = lines.index("presentation_intro_unused: >-")
        end = start + 1
        while lines[end].startswith("  "):
            end += 1
        return "\n".join(lines[:start] + lines[end:])

    catalogue = catalogue_copy(root / "catalogue", edit)
    organisation = catalogue / "organisation.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8")
                            .replace("name: TechAcademy\n", f"name: {json.dumps(INJECTED_NAME, ensure_ascii=False)}\n")
                            .replace("site_title: TechAcademy — Formations\n",
                                     f"site_title: {json.dumps(INJECTED_NAME + ' Formations', ensure_ascii=False)}\n"),
                            encoding="utf-8")
    run = build(catalogue, root / "site")
    assert run.returncode == 0, run.stderr
    return root / "site"


def test_changed_hours_and_titles_reach_every_page(changed_site):
    for path in [f"{PROGRAMME}/index.html", f"{PROGRAMME}/dispenses/index.html"]:
        rows = module_rows((changed_site / path).read_text(encoding="utf-8"))
        assert rows["dossier-patient"][1] == "22 h"
        assert rows["vocabulaire-medical"][1] == "13 h"
        assert rows["telemedecine"][0] == "Télémédecine et téléconsultation"
    csv_text = (changed_site / PROGRAMME / f"{PROGRAMME}-dispenses.csv").read_text(encoding="utf-8-sig")
    assert "dossier-patient;Création et suivi d'un dossier patient;22;" in csv_text
    quiz = (changed_site / PROGRAMME / "quiz" / "index.html").read_text(encoding="utf-8")
    assert "Télémédecine" not in quiz or "Télémédecine et téléconsultation" in quiz


def test_catalogue_text_with_markup_shows_as_text(changed_site):
    for path in ["index.html", f"{PROGRAMME}/index.html"]:
        html = (changed_site / path).read_text(encoding="utf-8")
        assert '<script>alert("x")</script>' not in html, path
        assert "&lt;script&gt;alert(" in html, path
        assert INJECTED in page_text(html), path
    page = parse_attributes((changed_site / PROGRAMME / "index.html").read_text(encoding="utf-8"))
    [(_, ld)] = [(a, t) for a, t in page.scripts if a.get("type") == "application/ld+json"]
    assert "</script" not in ld and "<" not in ld
    assert json.loads(ld)["description"] == INJECTED
    # The theme prints the description unescaped: it gets a copy that cannot become markup.
    descriptions = [v for tag, name, v in page.attributes if tag == "meta" and name == "content" and "alert" in v]
    assert descriptions == ['‹script›alert("x")‹/script› & "guillemets" \'apostrophes\'']


def test_no_page_turns_catalogue_text_into_markup(changed_site):
    pages = list(changed_site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
    dispenses = (changed_site / PROGRAMME / "dispenses" / "index.html").read_text(encoding="utf-8")
    assert module_rows(dispenses)["logiciel-medical"][0] == INJECTED_MODULE
    assert INJECTED_NAME in page_text(dispenses)
    programme = (changed_site / PROGRAMME / "index.html").read_text(encoding="utf-8")
    assert module_rows(programme)["logiciel-medical"][0] == INJECTED_MODULE
    assert INJECTED_NAME in page_text(programme)


def test_a_broken_catalogue_stops_the_build_with_file_and_line(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue", lambda t: t.replace("    hours: 77\n", "    hours: 78\n"))
    run = build(catalogue, tmp_path / "site")
    assert run.returncode != 0
    assert "cqp-assistant-medical.yaml, ligne" in run.stderr
    assert "le bloc 1 annonce 78 h mais ses modules font 21 + 21 + 14 + 21 = 77 h" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site" / PROGRAMME / "index.html").exists()


def test_missing_qualiopi_items_fail_the_build_when_the_catalogue_asks(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue",
                               lambda t: t.replace("fail_if_missing: false", "fail_if_missing: true"))
    run = build(catalogue, tmp_path / "site")
    assert run.returncode != 0
    assert "information Qualiopi manquante : tarif" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


def test_filled_qualiopi_items_are_published_and_no_longer_reported(tmp_path):
    def fill(text):
        return (text.replace("  total_eur: null", "  total_eur: 3500")
                .replace("\nresults: null", "\nresults: [{period: promotion 2025, headcount: 12, success_rate: 92, source: jury}]"))
    catalogue = catalogue_copy(tmp_path / "catalogue", fill)
    # The generator alone (no MkDocs run): what the build would publish and report.
    content = prepare(catalogue, dt.date(2026, 11, 22)).content
    text = page_text(content.pages[f"{PROGRAMME}/index.md"])
    report = content.report.text()
    assert "Tarif : 3 500 € TTC" in text and "promotion 2025 12 92 %" in text
    assert "manquante : tarif " not in report
    assert "manquante : indicateurs de résultats" not in report
    assert "manquante : délai d'accès" in report


def test_registration_ending_within_six_months_is_a_warning():
    report = prepare(CATALOGUE, dt.date(2030, 1, 1)).content.report
    assert not report.errors
    assert "prend fin le 25/06/2030, dans moins de 6 mois" in report.text()


def test_ended_registration_stops_the_build(tmp_path):
    run = build(CATALOGUE, tmp_path / "site", today="2030-06-26")
    assert run.returncode != 0
    assert "a pris fin le 25/06/2030 et aucune certification plus récente" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site" / PROGRAMME / "index.html").exists()
