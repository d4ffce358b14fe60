"""The built site holds the catalogue's facts, and nothing that disagrees with it."""
import csv
import io
import json
import re

import pytest

from .site_helpers import module_rows, page_text, parse_attributes, rows_of_class

PROGRAMME = "cqp-assistant-medical"


@pytest.fixture(scope="module")
def site(built_site):
    return built_site


@pytest.fixture(scope="module")
def data(catalogue):
    return catalogue.programme(PROGRAMME).data


def read(site, path):
    return (site[0] / path).read_text(encoding="utf-8")


def modules_of(data):
    return [(bloc, module) for bloc in data["blocs"] for module in bloc["modules"]]


def test_programme_page_lists_every_module_with_its_hours(site, data):
    rows = module_rows(read(site, f"{PROGRAMME}/index.html"))
    assert list(rows) == [module["id"] for _, module in modules_of(data)]
    for _, module in modules_of(data):
        assert rows[module["id"]] == [module["title"], f"{module['hours']} h"]


def test_programme_page_gives_bloc_subtotals_evaluations_and_total(site, data):
    html = read(site, f"{PROGRAMME}/index.html")
    assert rows_of_class(html, "subtotal") == [
        [f"Total du bloc {bloc['number']}", f"{bloc['hours']} h"] for bloc in data["blocs"]]
    assert rows_of_class(html, "evaluations") == [["Évaluations des blocs", f"{data['hours']['evaluations']} h"]]
    assert rows_of_class(html, "total") == [["Durée totale", f"{data['hours']['total']} h"]]
    # The catalogue's own figures, from the seeds: 77 / 98 / 35 / 56, 13 h of evaluations, 279 h.
    assert [bloc["hours"] for bloc in data["blocs"]] == [77, 98, 35, 56]


def test_dispense_table_agrees_with_the_catalogue(site, data):
    html = read(site, f"{PROGRAMME}/dispenses/index.html")
    rows = module_rows(html)
    grounds = {g["id"]: g for g in data["exemptions"]["grounds"]}
    assert list(rows) == [module["id"] for _, module in modules_of(data)]
    for _, module in modules_of(data):
        title, hours, ground_cell, *evidence_cell = rows[module["id"]]
        assert (title, hours) == (module["title"], f"{module['hours']} h")
        used = module.get("exempted_by") or []
        if not used:
            assert ground_cell == "Pas de dispense possible"
            continue
        for ground_id in used:
            assert grounds[ground_id]["label"].replace("\n", " ") in ground_cell
            for item in grounds[ground_id]["evidence"]:
                assert " ".join(item.split()) in evidence_cell[0]
        assert ground_cell == " ou ".join(" ".join(grounds[g]["label"].split()) for g in used)
    assert [cells[:2] for cells in rows_of_class(html, "subtotal")] == [
        [f"Sous-total bloc {bloc['number']}", f"{bloc['hours']} h"] for bloc in data["blocs"]]
    assert rows_of_class(html, "total")[0][:2] == ["Durée totale", "279 h"]


def test_communication_module_shows_its_two_alternative_grounds(site):
    cells = module_rows(read(site, f"{PROGRAMME}/dispenses/index.html"))["communication-patients"]
    assert cells[2].startswith("Certification en secrétariat médical")
    assert "ou Titre d'assistant(e) dentaire ou CQP aide dentaire" in cells[2]


def test_dispense_table_names_the_certification_its_rules_were_made_for(site):
    html = read(site, f"{PROGRAMME}/dispenses/index.html")
    text = page_text(html)
    assert "Règles établies pour la certification RNCP 36358 (décision du 25/04/2022)" in text
    assert "RNCP 40913 : la confirmation de ces règles pour celle-ci est en attente" in text


def test_csv_download_holds_the_same_rows_as_the_table(site, data):
    text = (site[0] / PROGRAMME / f"{PROGRAMME}-dispenses.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    modules = modules_of(data)
    assert [row["module_id"] for row in rows] == [m["id"] for _, m in modules] + ["evaluations"]
    assert sum(int(row["heures"]) for row in rows) == data["hours"]["total"]
    table = module_rows(read(site, f"{PROGRAMME}/dispenses/index.html"))
    for row in rows[:-1]:
        assert table[row["module_id"]][0] == row["module"]
        assert table[row["module_id"]][1] == f"{row['heures']} h"
    assert 'href="../cqp-assistant-medical-dispenses.csv"' in read(site, f"{PROGRAMME}/dispenses/index.html")


def test_programme_json_is_the_catalogue_data(site, data):
    assert json.loads(read(site, f"{PROGRAMME}/programme.json")) == data


def test_json_ld_describes_the_programme(site, data):
    page = parse_attributes(read(site, f"{PROGRAMME}/index.html"))
    [(_, text)] = [(a, t) for a, t in page.scripts if a.get("type") == "application/ld+json"]
    described = json.loads(text)
    assert "EducationalOccupationalProgram" in described["@type"] and "Course" in described["@type"]
    assert described["name"] == data["title"]
    assert described["identifier"] == "RNCP40913"
    assert described["timeRequired"] == "PT279H"
    assert described["provider"]["address"]["postalCode"] == "83160"


def test_every_page_states_the_catalogue_data_date(site):
    for path in ["index.html", f"{PROGRAMME}/index.html", f"{PROGRAMME}/dispenses/index.html",
                 f"{PROGRAMME}/quiz/index.html"]:
        assert '<time datetime="2026-11-22">22/11/2026</time>' in read(site, path), path


def test_every_page_footer_gives_the_catalogue_date(site):
    pages = list(site[0].rglob("*.html"))
    assert any("confidentialite" in str(page) for page in pages)
    for page in pages:
        assert "TechAcademy — données du catalogue du 22/11/2026" in page.read_text(encoding="utf-8"), page


def test_dispense_table_is_two_clicks_from_home(site):
    home = parse_attributes(read(site, "index.html"))
    links = {value for tag, name, value in home.attributes if tag == "a" and name == "href"}
    assert f"{PROGRAMME}/" in links
    programme = parse_attributes(read(site, f"{PROGRAMME}/index.html"))
    assert "dispenses/" in {value for tag, name, value in programme.attributes if tag == "a" and name == "href"}


def test_programme_page_carries_the_facts_of_both_seeds(site):
    text = page_text(read(site, f"{PROGRAMME}/index.html"))
    for fact in ["279 h", "8 mois", "12 mois", "2 jours en centre de formation et 3 jours en cabinet médical", "En cabinet médical",
                 "RNCP 40913", "remplace RNCP 36358", "AFGSU", "contrat de travail avec un cabinet médical",
                 "Contrat de professionnalisation", "Validation des acquis de l'expérience (VAE)",
                 "Formation d'adaptation à l'emploi (FAE)", "Loi n° 2019-774 du 24 juillet 2019",
                 "Arrêté du 14 août 2019", "Arrêté du 7 novembre 2019", "L. 4161-1",
                 "dans l'année qui suit la signature du contrat", "dans les deux ans",
                 "1er janvier 2024", "Pro-A", "OPCO EP", "3 épreuves sur 4",
                 "Parc St Clair, 245 avenue de l'Université", "83160 La Valette-du-Var"]:
        assert fact in text, fact


def test_empty_qualiopi_items_are_left_out_and_reported(site):
    html = read(site, f"{PROGRAMME}/index.html")
    assert "Informations pratiques" not in html and "Tarif" not in html
    report = site[1].stdout
    for name in ["tarif", "délai d'accès", "accessibilité", "indicateurs de résultats"]:
        assert f"information Qualiopi manquante : {name}" in report
    assert "confirmez-les pour RNCP 40913" in report


OFF_ORIGIN = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "formaction", "manifest"}


def test_no_html_page_refers_to_another_origin(site):
    pages = list(site[0].rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        parsed = parse_attributes(page.read_text(encoding="utf-8"))
        for tag, name, value in parsed.attributes:
            if name in URL_ATTRIBUTES:
                assert not OFF_ORIGIN.match(value), f"{page}: <{tag} {name}={value}>"
        for attrs, text in parsed.scripts:
            if attrs.get("type") != "application/ld+json":
                assert not re.search(r"https?://", text), f"{page}: inline script with a URL"


def test_no_stylesheet_or_own_script_refers_to_another_origin(site):
    for sheet in site[0].rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", sheet.read_text(encoding="utf-8")), sheet
        assert not re.search(r"@import\s+['\"]?(url\()?\s*['\"]?(https?:)?//", sheet.read_text(encoding="utf-8")), sheet
    own_scripts = list((site[0] / "quiz-runtime").glob("quiz*.mjs"))
    assert own_scripts
    for script in own_scripts:
        assert not re.search(r"https?://", script.read_text(encoding="utf-8")), script


# A script loading or fetching code or data from elsewhere: import, fetch, a URL in src/href/url().
OFF_ORIGIN_LOAD = re.compile(
    r"""((\bimport\s*\(?|\bfrom|\bfetch\s*\(|\bimportScripts\s*\(|\bsrc\s*=|\bhref\s*=)\s*['"`]|\burl\s*\(\s*['"]?)"""
    r"(https?:)?//", re.IGNORECASE)


def test_no_built_script_loads_anything_from_another_origin(site):
    scripts = [*site[0].rglob("*.js"), *site[0].rglob("*.mjs")]
    assert any(s.name.startswith("bundle.") for s in scripts) and any(s.name == "quiz.mjs" for s in scripts)
    for script in scripts:
        found = OFF_ORIGIN_LOAD.search(script.read_text(encoding="utf-8", errors="replace"))
        assert not found, f"{script}: {found.group(0)}"


def test_theme_features_that_would_call_another_origin_are_off(site):
    # Material's bundle holds two loaders for other origins: Mermaid (unpkg.com) for a page with
    # a diagram, and the GitHub API for a configured repository. Neither may be triggered.
    for page in site[0].rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in html and "md-source" not in html, page
