"""« Et maintenant ? » under the quiz's result, « Envoyer ma demande », the contact everywhere and
`evaluate --link` (issue 15), in Debian's Chromium: the real programme, every kind fixture, and the
real programme with every publishing fact filled (sessions past, started since, full, cancelled)."""
import itertools
import json
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.browser.static_server import StaticServer
from generator.catalogue import load_catalogue
from generator.rules.engine import evaluate
from generator.rules.text_answers import BLANK_IS_NULL, answers_from_text

from .conftest import FIXTURES, ROOT, TODAY
from .publishing_helpers import published_catalogue
from .site_helpers import build

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

PROGRAMME = "cqp-assistant-medical"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
STATUSES = ("admissible", "conditional", "not-admissible", "unknown")
# Added to the filled programme: a session that starts after the build day but before the visitor's
# (this machine's date is later than TODAY), funding routes and an access delay.
STARTED_SINCE = "2026-11-23"
ADDITIONS = f"""
funding_routes:
  - {{route: cpf, details: pour les salariés et les demandeurs d'emploi, link: "https://www.moncompteformation.gouv.fr/espace-prive/html/#/formation/fiche/exemple"}}
  - {{route: opco}}
"""
EXTRA_SESSION = f"""  - start: {STARTED_SINCE}
    end: 2027-06-30
    place: {{street: 9 rue du Passé, postcode: "83000", city: Testville}}
    format: présentiel
    seats: 5
    status: ouverte
"""


@pytest.fixture(scope="module")
def filled_site(tmp_path_factory):
    directory = published_catalogue(tmp_path_factory.mktemp("filled") / "catalogue")
    path = directory / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8").replace("sessions:\n", "sessions:\n" + EXTRA_SESSION, 1)
    text = text.replace("  access_delay: null", "  access_delay: Entrée possible jusqu'à 2 semaines avant le début.")
    path.write_text(text + ADDITIONS, encoding="utf-8")
    site = tmp_path_factory.mktemp("filled-site") / "site"
    run = build(directory, site)
    assert run.returncode == 0, run.stderr
    return site, load_catalogue(directory)


@pytest.fixture
def context(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    yield context
    context.close()


def fragments_by_status(model) -> dict[str, str]:
    """One fragment per admission status the programme can give (answers tried over each question's
    kind: yes/no, every choice, a few numbers; dates take their defaults); « unknown »: no answer."""
    options = []
    for question in model.questions:
        if question.type == "boolean":
            options.append([(question.key, "true"), (question.key, "false")])
        elif question.type == "choice":
            options.append([(question.key, choice.value) for choice in question.settings.choices])
        elif question.type == "integer":
            options.append([(question.key, text) for text in ("0", "12", "60")])
    found = {"unknown": ""}
    for combination in itertools.product(*options):
        answers = answers_from_text(model, combination, BLANK_IS_NULL)
        status = evaluate(model, answers, TODAY)["admission"]["status"]
        found.setdefault(status, "#" + "&".join(f"{key}={value}" for key, value in combination))
    return found


def open_quiz(page, origin, programme, fragment, status):
    page.goto(f"{origin}/{programme}/quiz/{fragment}")
    page.wait_for_function("s => { const r = document.getElementById('quiz-result');"
                           " return r.dataset.state === 'ready' && r.dataset.admission === s; }", arg=status,
                           timeout=60_000)


def visible_parts(page) -> list[str]:
    return page.eval_on_selector_all(
        "#quiz-next [data-part]", "parts => parts.filter(p => p.offsetParent !== null).map(p => p.dataset.part)")


def expected_parts(view, organisation, status, has_documents) -> list[str]:
    """The parts « Et maintenant ? » must show for this status, from the catalogue alone."""
    enrolling = status in ("admissible", "conditional")
    parts = []
    if enrolling:
        parts.append("sessions")
        if view.price_text:
            parts.append("price")
        if view.funding_routes or view.data.get("funding"):
            parts.append("funding")
        if has_documents:
            parts.append("documents")
        if view.data["qualiopi"].get("access_delay"):
            parts.append("access-delay")
        if (organisation.get("disability_contact") or {}).get("name"):
            parts.append("disability")
    if status == "not-admissible":
        parts.append("paths")
        if view.data.get("routes"):
            parts.append("routes")
    return parts + ["contact"]


def check_every_status(context, origin, catalogue):
    page = context.new_page()
    seen = []
    for entry in catalogue.programmes:
        for status, fragment in fragments_by_status(entry.model).items():
            open_quiz(page, origin, entry.id, fragment, status)
            lead = page.eval_on_selector_all(".quiz-next-lead", "ps => ps.filter(p => !p.hidden).map(p => p.dataset.nextFor)")
            assert lead == [status], (entry.id, status)
            documents = page.eval_on_selector_all("#quiz-next-documents li", "lis => lis.map(li => li.textContent)")
            has_documents = any(documents)
            if status == "conditional" and entry.view.requirement:
                assert any("Pour lever la réserve" in text for text in documents)
            assert visible_parts(page) == expected_parts(entry.view, catalogue.organisation, status, has_documents), \
                (entry.id, status)
            if status in ("admissible", "conditional") and not entry.view.open_sessions(TODAY):
                assert page.locator("#quiz-no-session").is_visible()
                assert "contactez-nous" in page.locator("#quiz-no-session").inner_text()
            seen.append((entry.id, status))
    page.close()
    return seen


def test_each_status_of_the_real_programme_shows_its_parts(context, built_site, catalogue):
    with StaticServer(built_site[0]) as server:
        seen = check_every_status(context, server.origin, catalogue)
    assert {status for _, status in seen} == set(STATUSES)


def test_each_status_of_every_kind_fixture_shows_its_parts(context, kinds_site):
    catalogue = load_catalogue(FIXTURES / "kinds")
    with StaticServer(kinds_site[0]) as server:
        seen = check_every_status(context, server.origin, catalogue)
    assert {programme for programme, _ in seen} == {entry.id for entry in catalogue.programmes}
    assert len(seen) >= 2 * len(catalogue.programmes)


def test_the_filled_programme_offers_only_sessions_that_can_be_joined(context, filled_site):
    site, catalogue = filled_site
    with StaticServer(site) as server:
        check_every_status(context, server.origin, catalogue)
        page = context.new_page()
        open_quiz(page, server.origin, PROGRAMME, "#level4_or_bac=true&placement=contract", "admissible")
        offered = page.eval_on_selector_all(".quiz-sessions li", "lis => lis.filter(li => !li.hidden).map(li => li.dataset.start)")
        in_page = page.eval_on_selector_all(".quiz-sessions li", "lis => lis.map(li => li.dataset.start)")
        text = page.locator("#quiz-next").inner_text()
    assert "2026-09-07" not in in_page and "2027-05-03" not in in_page   # past at build, cancelled
    assert STARTED_SINCE in in_page and STARTED_SINCE not in offered      # started by the visitor's day
    assert offered == ["2027-01-11", "2027-03-01"]
    price = catalogue.programme(PROGRAMME).view.price_text
    assert price.replace("\u202f", "").replace("\xa0", "") == "3500€"
    assert "Session complète" in text and f"{price} TTC" in text and "Compte personnel de formation (CPF)" in text
    assert "Dominique Exemple" in text and "Entrée possible jusqu'à 2 semaines" in text
    assert not page.locator("#quiz-no-session").is_visible()


def test_the_request_holds_the_summary_and_a_link_that_gives_the_same_result(context, filled_site):
    site, catalogue = filled_site
    fragment = "#level4_or_bac=false&medical_secretary_certification=rs&medical_secretary_experience_months=14&placement=none"
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    with StaticServer(site) as server:
        page = context.new_page()
        open_quiz(page, server.origin, PROGRAMME, fragment, "conditional")
        href = page.get_attribute("#quiz-request", "href")
        shown = page.evaluate("() => { const r = document.getElementById('quiz-result').dataset;"
                              " return [r.admission, r.hoursDispensed, r.hoursRemaining]; }")
        page.click("#quiz-request")     # opens the mail app: no request
        page.wait_for_timeout(500)
        mail = urlsplit(href)
        assert mail.scheme == "mailto" and mail.path == "inscriptions@exemple.invalid"  # the session's contact
        query = parse_qs(mail.query)
        subject, body = query["subject"][0], query["body"][0]
        assert subject == "Demande d'inscription — CQP Assistant(e) médical(e)"
        assert "Admission : admissible sous réserve." in body
        assert "- Combien de mois avez-vous travaillé sur un poste de secrétaire médical(e) ? 14 mois" in body
        link = body.strip().splitlines()[-1]
        assert link.startswith(f"{server.origin}/{PROGRAMME}/quiz/#")
        page.goto(f"{server.origin}/{PROGRAMME}/quiz/#level4_or_bac=false&medical_secretary_certification=none"
                  "&medical_secretary_experience_months=0&dental_qualification=none&placement=contract")
        page.wait_for_function("() => document.getElementById('quiz-result').dataset.admission === 'not-admissible'")
        asking = urlsplit(page.get_attribute("#quiz-request", "href"))
        assert asking.path == "contact@exemple.invalid"   # a question, not an enrolment: the organisation
        assert parse_qs(asking.query)["subject"][0] == "Demande de renseignements — CQP Assistant(e) médical(e)"
        again = context.new_page()
        again.goto(link)
        again.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)
        reopened = again.evaluate("() => { const r = document.getElementById('quiz-result').dataset;"
                                  " return [r.admission, r.hoursDispensed, r.hoursRemaining]; }")
        assert reopened == shown
        # The mail app's link is handed to the system (Chromium lists it, no byte leaves): every
        # other request, of the whole journey, goes to the site's origin.
        away = [url for url in requested if not url.startswith((server.origin + "/", "mailto:"))]
        assert away == [] and any(url.startswith("mailto:inscriptions@exemple.invalid?") for url in requested)
    run = subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(catalogue.directory), "evaluate",
                          PROGRAMME, "--link", link, "--today", page_today(again)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert [result["admission"]["status"], str(result["hours"]["dispensed"]), str(result["hours"]["remaining"])] == shown


def page_today(page):
    return page.evaluate("""() => { const d = new Date(), p = n => String(n).padStart(2, "0");
                                    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; }""")


def test_axe_finds_nothing_serious_in_the_next_step_on_a_phone(context, filled_site):
    site, _ = filled_site
    with StaticServer(site) as server:
        page = context.new_page()
        for status, fragment in (("conditional", "#level4_or_bac=true&placement=none"),
                                 ("not-admissible", "#level4_or_bac=false&medical_secretary_certification=none"
                                  "&medical_secretary_experience_months=0&dental_qualification=none&placement=contract")):
            open_quiz(page, server.origin, PROGRAMME, fragment, status)
            page.evaluate(AXE.read_text(encoding="utf-8"))
            report = page.evaluate("() => axe.run({ include: [['#quiz-next']] }, { resultTypes: ['violations'] })")
            assert report["passes"], "axe checked nothing"
            serious = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                       for v in report["violations"] if v["impact"] in ("serious", "critical")]
            assert serious == [], status


def test_every_page_has_the_contact_in_its_footer_and_programme_pages_a_call_button(filled_site, built_site):
    site, _ = filled_site
    for path in ("index.html", f"{PROGRAMME}/index.html", f"{PROGRAMME}/quiz/index.html", "confidentialite/index.html"):
        html = (site / path).read_text(encoding="utf-8")
        assert 'class="footer-contact"' in html and 'href="tel:0102030405"' in html, path
        assert 'href="mailto:contact@exemple.invalid"' in html, path
    programme = (site / PROGRAMME / "index.html").read_text(encoding="utf-8")
    assert 'class="contact-actions"' in programme and "Appeler le 01 02 03 04 05" in programme
    assert 'data-route="cpf"' in programme and "moncompteformation.gouv.fr" in programme
    # The real organisation gives neither: nothing is shown.
    real = (built_site[0] / PROGRAMME / "index.html").read_text(encoding="utf-8")
    assert "footer-contact" not in real and "contact-actions" not in real and "funding-routes" not in real


def test_evaluate_link_refuses_a_link_without_answers():
    run = subprocess.run([sys.executable, "-m", "generator", "evaluate", PROGRAMME, "--link", "https://exemple.fr/quiz/"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and "ne contient pas de réponses" in run.stderr and "Traceback" not in run.stderr


def search_results(page, words) -> str:
    """Type in the theme's search box until it answers (a query typed before the index is loaded
    stays unanswered until the next keystroke): the results' text."""
    box = page.locator(".md-search__input")
    box.fill(words)
    for _ in range(15):
        page.wait_for_timeout(1000)
        if page.locator(".md-search-result__item").count():
            return page.inner_text(".md-search-result__list")
        box.press("Backspace")
        box.press_sequentially(words[-1])
    raise AssertionError(f"la recherche de « {words} » ne trouve rien : " + page.inner_text(".md-search-result"))


def test_search_ignores_accents_case_and_punctuation_and_its_snippets_have_spaces(context, filled_site):
    site, _ = filled_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(doc["text"] for doc in index["docs"])
    assert "Volume horaire 279 h" in texts and "horaire279" not in texts and "Durée8" not in texts
    with StaticServer(site) as server:
        page = context.new_page()
        page.goto(server.origin + "/")
        page.click("label[for='__search']")
        assert "secrétaire" in search_results(page, "secretaire").lower()
        assert "(CPF)" in search_results(page, "CPF")
        assert "médical" in search_results(page, "MEDICAL").lower()
