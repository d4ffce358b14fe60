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
