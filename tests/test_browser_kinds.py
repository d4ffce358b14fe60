"""The quiz of a programme without exemptions, in Debian's Chromium: it asks only what admission
needs, shows no module table (its rows stay in the page, hidden), and gives the command line's admission."""
import json
import subprocess
import sys

import pytest

from generator.browser.static_server import StaticServer

from .conftest import FIXTURES, ROOT
from .site_helpers import serious_axe_findings

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

KINDS = FIXTURES / "kinds"
FAE = "fae-assistant-medical"


@pytest.fixture(scope="module")
def site(kinds_site):
    with StaticServer(kinds_site[0]) as server:
        yield server


@pytest.fixture(scope="module")
def page(site, chromium):
    with chromium.new_context() as context:
        yield context.new_page()


def cli_admission(answers):
    completed = subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(KINDS), "evaluate", FAE, "-",
                                "--today", "2026-11-22"], input=json.dumps(answers), capture_output=True, text=True,
                               cwd=ROOT, check=True)
    return json.loads(completed.stdout)["admission"]["status"]


def test_the_quiz_without_exemptions_checks_admission_only(page, site):
    page.goto(f"{site.origin}/{FAE}/quiz/")
    page.wait_for_selector("#quiz-result[data-state=ready]", timeout=60_000)
    visible = page.eval_on_selector_all("fieldset.quiz-question:not([hidden])", "f => f.map(x => x.dataset.key || '')")
    assert visible == ["state_diploma"]
    rows = page.query_selector_all("tr[data-module-id]")
    assert rows and not any(row.is_visible() for row in rows)
    assert not page.is_visible("#quiz-checklist") and not page.is_visible("#quiz-hours")
    for value, expected in (("deas", "admissible"), ("none", "not-admissible")):
        page.check(f"input[name=state_diploma][value={value}]")
        page.wait_for_function("s => document.getElementById('quiz-result').dataset.admission === s",
                               arg=expected, timeout=10_000)
        assert cli_admission({"state_diploma": value}) == expected
        assert "dispensée" not in page.inner_text("#quiz-summary")   # no exemptions: no « 0 h dispensées »


def test_pages_of_every_kind_have_no_serious_axe_finding(page, site):
    paths = ["/", "/certification-rs-exemple/dispenses/", f"/{FAE}/quiz/"] + [
        f"/{p.stem}/" for p in sorted(KINDS.glob("*.yaml")) if p.stem != "organisation"]
    findings = {}
    for path in paths:
        page.goto(site.origin + path)
        page.wait_for_load_state("networkidle")
        serious = serious_axe_findings(page)
        if serious:
            findings[path] = serious
    assert findings == {}
