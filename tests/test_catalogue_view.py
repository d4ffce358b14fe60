"""The typed view of a programme: each derived fact computed once, in one place."""
import copy
import datetime as dt
import re

from generator.catalogue.view import Fiche, programme_view
from generator.french import fr_date

from .conftest import ROOT


def test_the_real_programme_seen_through_the_view(catalogue):
    view = catalogue.programme("cqp-assistant-medical").view
    assert view.certification.current.code == "RNCP 40913"
    assert view.certification.current.end_date == dt.date(2030, 6, 25)
    assert view.certification.replaces.code == "RNCP 36358"
    assert view.exemptions.established_for.code == "RNCP 36358"
    assert view.rules_confirmed is False
    assert (view.duration_text, view.iso_duration, view.alternance) == ("8 mois", "P8M", True)
    # price and results are structured fields now, reported with the publishing notes
    assert [key for key, _ in view.qualiopi_missing] == ["access_delay", "accessibility"]
    assert view.qualiopi_given == []


def test_rules_are_confirmed_once_staff_record_it(catalogue):
    data = copy.deepcopy(catalogue.programme("cqp-assistant-medical").data)
    data["exemptions"]["confirmed_for"] = [{"rncp": 40913, "confirmed_on": "2026-12-01", "by": "Équipe"}]
    assert programme_view(data).rules_confirmed is True
    data["exemptions"]["confirmed_for"] = [{"rs": 40913, "confirmed_on": "2026-12-01", "by": "Équipe"}]
    assert programme_view(data).rules_confirmed is False  # another register, another fiche
    data["qualiopi"]["access_delay"] = "2 semaines"
    assert programme_view(data).qualiopi_given == [("délai d'accès", "2 semaines")]


def test_fiches_of_both_registers():
    assert Fiche("rs", 5678).code == "RS 5678" and Fiche("rs", 5678).register_name == "Répertoire spécifique"
    assert Fiche("rncp", 5678).key != Fiche("rs", 5678).key
    assert fr_date("2030-06-25") == "25/06/2030" and fr_date(dt.date(2030, 6, 25)) == "25/06/2030"
    assert fr_date(None) == ""


def _python_sources(*folders):
    for folder in folders:
        yield from (ROOT / "generator" / folder).rglob("*.py")


def test_derived_facts_are_computed_in_one_place():
    """Dates in French, rules confirmed, registration notice: one definition each."""
    for path in _python_sources("site", "rncp", "browser", "catalogue"):
        text = path.read_text(encoding="utf-8")
        assert "strftime" not in text, path                           # dates: rules/dates.french_date
        if path.name not in ("view.py", "checks.py"):  # checks.py validates the references
            assert not re.search(r"\[\"confirmed_for\"\]|get\(\"confirmed_for\"\)", text), path
        if path.name != "registration.py":
            assert "add_months(today, NOTICE_MONTHS)" not in text, path
    for path in (ROOT / "generator" / "site" / "templates").glob("*.j2"):
        assert "confirmed_for" not in path.read_text(encoding="utf-8"), path


def test_the_view_derives_rhythm_requirement_price_sessions_and_access(catalogue):
    data = copy.deepcopy(catalogue.programme("cqp-assistant-medical").data)
    data["rhythm"] = {"centre_days_per_week": 1, "centre_formats": ["présentiel", "distanciel"],
                      "practice_days_per_week": 4, "practice_place": "en cabinet"}
    data["price"] = {"total_eur": 1234.5, "includes": "les supports"}
    data["sessions"] = [{"start": "2026-12-01", "end": "2027-06-30", "status": "annulée"},
                        {"start": "2026-11-30", "end": "2027-06-30", "status": "ouverte"},
                        {"start": "2026-11-01", "end": "2027-05-31", "status": "ouverte"}]
    view = programme_view(data)
    assert view.weekly_rhythm_text("en centre") == "1 jour en centre et 4 jours en cabinet"
    assert (view.weekly_rhythm_text("de formation", with_formats=True, practice_purpose=", pour pratiquer")
            == "1 jour de formation (présentiel, distanciel) et 4 jours en cabinet, pour pratiquer")
    requirement = data["admission"]["requirement"]["label"]
    assert view.requirement_sentence == f"Dans tous les cas : {requirement}"
    assert view.prerequisites[-1] == view.requirement_sentence
    assert (view.price_eur, view.price_text, view.price_includes) == (1234.5, "1\u202f234,50\u00a0€", "les supports")
    today = dt.date(2026, 11, 22)
    assert [s["start"] for s in view.upcoming_sessions(today)] == ["2026-11-30", "2026-12-01"]
    assert [s["start"] for s in view.open_sessions(today)] == ["2026-11-30"]
    data["access_duration_months"] = 12
    assert programme_view(data).access_duration_text == "12 mois"
    assert view.registered_on == view.certification.current.registered_on
    del data["certification"], data["exemptions"]
    data["attestation"] = "Attestation de fin de formation"
    uncertified = programme_view(data)
    assert uncertified.access_duration_text == "" and uncertified.registered_on is None
    del data["price"]
    assert (programme_view(data).price_eur, programme_view(data).price_text) == (None, "")


def test_french_numbers_and_plurals_have_one_home():
    from generator.french import days, euros, plural
    assert (days(1), days(2), plural(2, "mois"), plural(1, "an"), plural(3, "an")) == ("1 jour", "2 jours", "2 mois", "1 an", "3 ans")
    assert (euros(3500), euros(0)) == ("3\u202f500\u00a0€", "0\u00a0€")
    for folder in ("site", "lheo", "rncp"):
        for path in (ROOT / "generator" / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""['"]s['"] if \w+ > 1""", text), path   # plurals: generator/french.py
    for path in (ROOT / "generator" / "site" / "templates").glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert "| days" not in text and not re.search(r"> 1 %}s{%", text), path   # | plural("bloc")
