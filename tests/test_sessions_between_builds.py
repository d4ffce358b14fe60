"""Issue 17, item 4: the page does not lie between builds. A session whose start date has passed
leaves the page by the page's own clock (docs/assets/sessions.js); without JavaScript the
build's list stands; the build report states each programme's data date and warns when it is
more than a year old."""
import datetime as dt
import re

import pytest

from generator.site.build import prepare
from generator.site.report import data_date_notes

from .publishing_helpers import published_catalogue
from .site_helpers import BUILD_DAY as BUILT_ON, page_text

PROGRAMME = "cqp-assistant-medical"
BUILD_DAY = dt.date(2026, 11, 22)
assert BUILT_ON == BUILD_DAY.isoformat()   # the day the shared published site is built


def test_report_states_the_data_date_and_warns_after_a_year(tmp_path):
    content = prepare(published_catalogue(tmp_path / "catalogue"), BUILD_DAY).content
    assert "Données du catalogue au 22/11/2026 (« data_date »)." in content.report.text()
    assert data_date_notes(dt.date(2026, 11, 22), dt.date(2027, 11, 22)) == []     # a year exactly: fine
    old = data_date_notes(dt.date(2026, 11, 21), dt.date(2027, 11, 22))
    assert len(old) == 1 and old[0].level == "warning" and "21/11/2026, il y a plus d'un an" in old[0].message
    assert data_date_notes(dt.date(2023, 2, 28), dt.date(2024, 2, 29)) == []
    later = prepare(published_catalogue(tmp_path / "later"), dt.date(2027, 12, 1)).content
    messages = [n.message for n in later.report.programmes[1].notes]
    assert any("datées du 22/11/2026, il y a plus d'un an" in m for m in messages)


def test_the_no_session_sentence_is_hidden_while_a_session_can_be_joined(tmp_path):
    directory = published_catalogue(tmp_path / "catalogue")
    page = prepare(directory, BUILD_DAY).content.pages[f"{PROGRAMME}/index.md"]
    assert re.search(r'<p class="no-session" hidden>Aucune session', page)
    assert "Aucune session" not in page_text(page)
    after_all = prepare(directory, dt.date(2027, 12, 1)).content.pages[f"{PROGRAMME}/index.md"]
    assert '<p class="no-session">Aucune session' in after_all and "data-start" not in after_all


@pytest.fixture(scope="module")
def built(published_site):
    """Built on 2026-11-22 (tests/site_helpers.BUILD_DAY): sessions of 2027-01-11, 2027-03-01 and
    2027-05-03 (cancelled) offered; the one of 2026-09-07 already dropped by the build."""
    return published_site[0]


def test_the_script_is_a_file_of_the_site(built):
    page = (built / PROGRAMME / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="\.\./assets/sessions\.js" defer>', page)
    assert (built / "assets" / "sessions.js").is_file()


@pytest.mark.browser
@pytest.mark.parametrize("now, scripts, starts, no_session_shown", [
    ("2026-11-23T09:00:00+01:00", True, ["2027-01-11", "2027-03-01", "2027-05-03"], False),   # nothing started
    ("2027-01-12T09:00:00+01:00", True, ["2027-03-01", "2027-05-03"], False),   # 2027-01-11 started yesterday
    ("2027-03-01T23:30:00+01:00", True, ["2027-03-01", "2027-05-03"], False),   # starts today: still offered
    ("2027-03-02T00:30:00+01:00", True, ["2027-05-03"], True),   # only the cancelled one is left
    ("2027-05-04T09:00:00+02:00", True, [], True),
    ("2027-01-12T09:00:00+01:00", False, ["2027-01-11", "2027-03-01", "2027-05-03"], False),   # no script: the build's list
])
def test_a_session_started_yesterday_is_not_offered(built, chromium, now, scripts, starts, no_session_shown):
    from generator.browser.static_server import StaticServer
    with StaticServer(built) as server, chromium.new_context(java_script_enabled=scripts,
                                                             timezone_id="Europe/Paris") as context:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        if scripts:
            page.clock.set_fixed_time(dt.datetime.fromisoformat(now))
        page.goto(f"{server.origin}/{PROGRAMME}/")
        page.wait_for_load_state("load")
        shown = page.locator("li.session").evaluate_all("items => items.map(i => i.dataset.start)")
        assert shown == starts
        assert page.locator(".no-session").is_visible() == no_session_shown
        if not starts:
            assert page.locator("ul.sessions").count() == 0
        assert errors == []
