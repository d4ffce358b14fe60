"""The quiz in Debian's Chromium: same results as the command line, fragment, errors, failure
path, no request off the origin, and no serious accessibility finding (axe-core from npm)."""
import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from generator.browser import build_into
from generator.browser.static_server import StaticServer
from generator.rules.api import evaluate_json

from .conftest import ROOT

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

PROGRAMME = "cqp-assistant-medical"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def site_is_built_by_generator():
    try:
        import generator.site  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


@pytest.fixture(scope="module")
def site(catalogue, tmp_path_factory, request):
    """The whole site as `python -m generator build` makes it (the run's shared build); the quiz
    alone if there is no site build."""
    if site_is_built_by_generator():
        directory = request.getfixturevalue("built_site")[0]
    else:
        directory = tmp_path_factory.mktemp("site")
        build_into(directory, catalogue)
    with StaticServer(directory) as server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def page(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.requested = []
    context.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


def open_quiz(page, site, fragment=""):
    page.goto(f"{site.origin}/{PROGRAMME}/quiz/{fragment}")
    page.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)


def cli_result(answers, today):
    run = subprocess.run([sys.executable, "-m", "generator", "evaluate", PROGRAMME, "-", "--today", today],
                         input=json.dumps(answers), capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(run.stdout)


def local_today(page):
    return page.evaluate("""() => { const d = new Date(), p = n => String(n).padStart(2, "0");
                                    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; }""")


def wait_for_result(page, expected):
    """Wait until the page shows the expected admission and hours; then compare every module."""
    page.wait_for_function(
        """([admission, dispensed, remaining]) => {
             const r = document.getElementById("quiz-result");
             return r.dataset.state === "ready" && r.dataset.admission === admission
               && r.dataset.hoursDispensed === dispensed && r.dataset.hoursRemaining === remaining; }""",
        arg=[expected["admission"]["status"], str(expected["hours"]["dispensed"]), str(expected["hours"]["remaining"])],
        timeout=10_000)
    shown = page.eval_on_selector_all("tr[data-module-id]", "rows => rows.map(r => [r.dataset.moduleId, r.dataset.status])")
    assert shown == [[m["id"], m["status"]] for m in expected["modules"]]


def visible_questions(page):
    return page.eval_on_selector_all("fieldset.quiz-question[data-key]:not([hidden])", "f => f.map(x => x.dataset.key)")


def test_answers_typed_in_the_form_give_the_command_line_result(page, site):
    open_quiz(page, site)
    today = local_today(page)
    assert "dental_assistant_experience_months" in visible_questions(page)
    # Without a dental qualification, the months as a dental assistant can change nothing: not asked.
    page.locator("fieldset[data-key=dental_qualification]").get_by_label("Non").check()
    page.wait_for_function("() => document.querySelector('fieldset[data-key=dental_assistant_experience_months]').hidden")
    page.get_by_label("Oui, le CQP aide dentaire").check()
    page.wait_for_function("() => !document.querySelector('fieldset[data-key=dental_assistant_experience_months]').hidden")
    page.locator("fieldset[data-key=level4_or_bac]").get_by_label("Non").check()
    page.get_by_label("Oui, enregistrée au Répertoire spécifique (RS)").check()
    page.locator("#dental_assistant_experience_months-input").fill("14")
    page.locator("#afgsu1_attestation_date-input").fill("2023-03-10")
    answers = {"dental_qualification": "cqp-aide-dentaire", "level4_or_bac": False,
               "medical_secretary_certification": "rs", "dental_assistant_experience_months": 14,
               "afgsu1_attestation_date": "2023-03-10"}
    expected = cli_result(answers, today)
    wait_for_result(page, expected)
    checklist = page.eval_on_selector_all("#quiz-checklist li", "items => items.map(i => i.textContent)")
    assert checklist == expected["evidence"]
    for bloc in expected["hours"]["blocs"]:
        text = page.inner_text(f"[data-bloc-hours='{bloc['number']}']")
        assert f"{bloc['dispensed']} h" in text and f"{bloc['remaining']} h" in text
    # The placement question decides admission: answering it changes the verdict.
    page.get_by_label("Oui, un cabinet médical a accepté de m'accueillir").check()
    wait_for_result(page, cli_result({**answers, "placement": "host"}, today))
    # The link reproduces the answers.
    href = page.get_attribute("#quiz-link", "href")
    page.goto(f"{site.origin}/{PROGRAMME}/quiz/{href}")
    page.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)
    wait_for_result(page, cli_result({**answers, "placement": "host"}, today))
    assert page.is_checked("input[name=placement][value=host]")


def test_answers_from_the_fragment_prefill_the_form_and_the_result(page, site):
    fragment = ("#medical_secretary_experience_months=12&placement=contract"
                "&afgsu1_attestation_date=&dental_qualification=none&level4_or_bac=false")
    open_quiz(page, site, fragment)
    expected = cli_result({"medical_secretary_experience_months": 12, "placement": "contract",
                           "afgsu1_attestation_date": None, "dental_qualification": "none",
                           "level4_or_bac": False}, local_today(page))
    wait_for_result(page, expected)
    assert page.input_value("#medical_secretary_experience_months-input") == "12"
    assert page.is_checked("input[name=afgsu1_attestation_date][data-null]")
    assert page.is_checked("input[name=level4_or_bac][value=false]")
    assert "dental_assistant_experience_months" not in visible_questions(page)
    page.click("#quiz-reset")
    wait_for_result(page, cli_result({}, local_today(page)))
    assert urlsplit(page.url).fragment == ""
    assert not page.is_checked("input[name=placement][value=contract]")


def test_a_bad_answer_gets_the_engine_message_beside_its_field(page, site, catalogue):
    open_quiz(page, site, "#jury_date=2026-01-10&start_date=2026-03-01&afgsu1_attestation_date=2999-01-01")
    outcome = json.loads(evaluate_json(catalogue.programme(PROGRAMME).data_json(), json.dumps(
        {"jury_date": "2026-01-10", "start_date": "2026-03-01", "afgsu1_attestation_date": "2999-01-01"}),
        local_today(page)))
    assert not outcome["ok"]
    messages = {error["key"]: error["message_fr"] for error in outcome["errors"]}
    assert set(messages) == {"jury_date", "afgsu1_attestation_date"}
    for key, message in messages.items():
        page.wait_for_function("([key, message]) => document.getElementById(key + '-error').textContent === message",
                               arg=[key, message], timeout=10_000)
        field = page.locator(f"#{key}-input")
        assert field.get_attribute("aria-invalid") == "true"
        assert f"{key}-error" in field.get_attribute("aria-describedby").split()
    page.locator("#jury_date-input").fill("")
    page.wait_for_function("() => document.getElementById('jury_date-error').textContent === ''")
    assert page.locator("#jury_date-input").get_attribute("aria-invalid") is None


def test_runtime_failure_shows_a_plain_message_with_links(page, site):
    page.route("**/pyodide.asm.wasm*", lambda route: route.abort())   # the plain name or its .gz copy
    page.goto(f"{site.origin}/{PROGRAMME}/quiz/")
    page.wait_for_selector("#quiz-result[data-state=error]", timeout=60_000)
    failure = page.locator("#quiz-failure")
    assert failure.is_visible()
    assert "ne peut pas se faire" in failure.inner_text()
    links = failure.locator("a")
    assert links.nth(0).get_attribute("href") == "../dispenses/"
    assert links.nth(1).get_attribute("href")
    assert not page.locator("#quiz-loading").is_visible()


def runtime_config(page, site):
    return page.evaluate("async (url) => (await fetch(url)).json()", f"{site.origin}/quiz-runtime/quiz-runtime.json")


@pytest.mark.parametrize("snapshot", ["always", "never"])
def test_every_request_stays_on_the_origin_and_the_runtime_is_our_own(page, site, snapshot):
    # The worker restores the memory snapshot only on a fast line ("auto"); both ways are forced here.
    page.add_init_script(f"window.quizSnapshot = {snapshot!r}")
    first_request = len(site.requests)
    open_quiz(page, site, "#placement=contract")
    page.locator("fieldset[data-key=level4_or_bac]").get_by_label("Oui").check()
    page.wait_for_selector("#quiz-result[data-admission=admissible]")
    origin = site.origin + "/"
    # blob:<origin>/…: Pyodide's module, once downloaded (and counted), is imported from memory.
    assert page.requested and all(url.startswith((origin, "blob:" + origin)) for url in page.requested), page.requested
    paths = {urlsplit(url).path for url in page.requested}
    config = runtime_config(page, site)
    assert config["folder"].startswith("pyodide-")
    for name in ("pyodide.mjs", "pyodide.asm.mjs"):
        assert f"/quiz-runtime/{config['folder']}{name}" in paths
    # This server compresses nothing: the worker fetches the build's brotli copies and decodes
    # them with the decoder of the runtime folder (tests/test_browser_hosts.py: every host).
    decoder = config["brotli_decoder"]
    for name in (config["brotli"]["pyodide.asm.wasm"]["file"], config["brotli"]["python_stdlib.zip"]["file"],
                 decoder["module"], decoder["gzip"]["file"]):
        assert f"/quiz-runtime/{config['folder']}{name}" in paths
    for name in ("quiz-lock.json", config["wheel"]["file"], config["rules"][PROGRAMME]["file"]):
        assert f"/quiz-runtime/{name}" in paths
    restored = f"/quiz-runtime/{config['snapshot']['file']}" in site.requests[first_request:]
    assert restored == (snapshot == "always")
    assert not any("pyodide-lock.json" in path for path in paths)
    assert page.context.cookies() == []
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0


def test_a_rules_data_file_that_does_not_match_its_hash_is_refused(page, site):
    def tampered(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.body().replace(b'"hours"', b'"heures"', 1))
    page.route("**/quiz-runtime/rules/*.json", tampered)
    page.goto(f"{site.origin}/{PROGRAMME}/quiz/")
    page.wait_for_selector("#quiz-result[data-state=error]", timeout=60_000)
    assert page.get_attribute("#quiz-result", "data-admission") is None


def test_the_runtime_files_come_from_the_cache_on_a_second_visit(browser, site):
    """Content-named files are taken from the HTTP cache without asking the server again (the
    9.6 MB wasm is left out: a test context's in-memory cache may not keep an entry that big;
    a visitor's disk cache does). pyodide.asm.mjs is imported as a module: on this server, which
    compresses nothing, the runtime's service worker (quiz-sw.js) answers that import from the
    build's .gz copy, so the plain file is never asked for."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.quizSnapshot = 'never'")
    try:
        first = len(site.requests)
        open_quiz(page, site)
        config = runtime_config(page, site)
        # This server compresses nothing: the stdlib comes as the build's brotli copy, the module as its .gz.
        names = [f"/quiz-runtime/{config['folder']}{name}" for name in ("python_stdlib.zip.br", "pyodide.asm.mjs.gz")]
        assert [site.requests[first:].count(name) for name in names] == [1, 1]
        assert f"/quiz-runtime/{config['folder']}pyodide.asm.mjs" not in site.requests[first:]
        second = len(site.requests)
        open_quiz(page, site)
        assert site.requests[second:].count(names[0]) == 0
        assert "/quiz-runtime/quiz-runtime.json" in site.requests[second:]   # the manifest is asked again
    finally:
        context.close()


def test_axe_finds_nothing_serious(page, site):
    open_quiz(page, site, "#afgsu1_attestation_date=2999-01-01&dental_qualification=titre-assistant-dentaire")
    page.wait_for_function("() => document.getElementById('afgsu1_attestation_date-error').textContent !== ''")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not an inline <script>: the page's CSP forbids it
    # The quiz and everything in it; the site's layout around it is checked by the site's tests.
    report = page.evaluate("() => axe.run({ include: [['#quiz']] }, { resultTypes: ['violations'] })")
    assert report["passes"], "axe checked nothing"
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in report["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_a_stalled_load_ends_in_the_failure_message(page, site):
    page.add_init_script("window.quizStallTimeoutMs = 3000")
    page.route("**/pyodide.asm.wasm*", lambda route: None)  # never answered (the plain name or its .gz copy)
    page.goto(f"{site.origin}/{PROGRAMME}/quiz/")
    page.wait_for_selector("#quiz-result[data-state=error]", timeout=20_000)
    assert "trop de temps" in page.inner_text("#quiz-failure")


def test_a_wheel_that_does_not_match_the_lock_is_refused(page, site):
    def tampered(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.body() + b"\0")
    page.route("**/*.whl", tampered)
    page.goto(f"{site.origin}/{PROGRAMME}/quiz/")
    page.wait_for_selector("#quiz-result[data-state=error]", timeout=60_000)
    assert page.locator("#quiz-failure").is_visible()
    assert page.get_attribute("#quiz-result", "data-admission") is None


def test_print_view_fits_one_a4_page_with_date_answers_result_and_checklist(page, site, catalogue):
    open_quiz(page, site, "#medical_secretary_certification=rs&medical_secretary_experience_months=14"
                          "&dental_qualification=cqp-aide-dentaire&dental_assistant_experience_months=20"
                          "&afgsu1_attestation_date=2023-01-01&placement=host&level4_or_bac=true")
    page.emulate_media(media="print")
    assert not page.locator("#quiz-form").is_visible()
    header = page.inner_text("#quiz-result .quiz-print-only")
    year, month, day = str(catalogue.programme(PROGRAMME).data["data_date"]).split("-")
    assert f"{day}/{month}/{year}" in header
    today = local_today(page)
    assert f"{today[8:]}/{today[5:7]}/{today[:4]}" in header
    answers = page.inner_text("#quiz-answers-summary")
    assert "Oui, un cabinet médical a accepté de m'accueillir" in answers and "20 mois" in answers
    assert page.locator("#quiz-checklist li").count() == 5
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def test_the_fragment_is_read_as_the_python_contract_reads_it(page, site, catalogue):
    from generator.rules.text_answers import answers_from_fragment

    entry = catalogue.programme(PROGRAMME)
    fragment = ("#level4_or_bac=TRUE&medical_secretary_experience_months=012&dental_qualification=titre-assistant-dentaire"
                "&dental_assistant_experience_months=+13+&afgsu1_attestation_date=null&placement=peut-%C3%AAtre"
                "&medical_secretary_certification=rs&medical_secretary_certification=none")
    page.goto(f"{site.origin}/{PROGRAMME}/quiz/{fragment}")
    answers = answers_from_fragment(entry.model, fragment)
    outcome = json.loads(evaluate_json(entry.data_json(), json.dumps(answers), local_today(page)))
    assert [e["key"] for e in outcome["errors"]] == ["placement"]
    page.wait_for_function("() => document.getElementById('placement-error').textContent !== ''", timeout=60_000)
    assert page.inner_text("#placement-error") == outcome["errors"][0]["message_fr"]
    without_placement = {key: value for key, value in answers.items() if key != "placement"}
    wait_for_result(page, cli_result(without_placement, local_today(page)))
    assert page.is_visible("#quiz-partial")


@pytest.mark.skipif(not site_is_built_by_generator(), reason="no site build (generator.site) to take other pages from")
def test_pages_other_than_the_quiz_load_no_runtime_file(page, site):
    for path in ("/", f"/{PROGRAMME}/", f"/{PROGRAMME}/dispenses/"):
        page.goto(site.origin + path, wait_until="networkidle")
    assert len(page.requested) >= 3
    assert not [url for url in page.requested if "quiz-runtime" in url or "pyodide" in url]
    assert all(url.startswith(site.origin + "/") for url in page.requested)


def test_keyboard_alone_answers_and_focus_is_visible(page, site):
    open_quiz(page, site)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == "level4_or_bac":
            break
    else:
        pytest.fail("the first question cannot be reached with the Tab key")
    outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
    assert outline[0] != "none" and outline[1] != "0px"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("input[name=level4_or_bac][value=false]")
    page.wait_for_function("() => document.getElementById('quiz-link').getAttribute('href') === '#level4_or_bac=false'")
