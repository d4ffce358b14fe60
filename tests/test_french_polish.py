"""Issue 16, the French polish list, checked on the built pages (and the results table's template,
since the real catalogue has no results yet)."""
import re
import types

from generator.french import percent
from generator.site.pages import _ENV


def _text(path):
    return path.read_text(encoding="utf-8")


def test_the_home_title_names_the_site_once(built_site):
    site, _ = built_site
    title = re.search(r"<title>(.*?)</title>", _text(site / "index.html"), re.S).group(1).strip()
    assert title == "TechAcademy — Formations"


def test_the_programme_page_names_the_certifier_without_a_missing_article_and_no_json_link(built_site):
    site, _ = built_site
    page = _text(site / "cqp-assistant-medical" / "index.html")
    assert "délivré par" not in page and "Certificateur : CPNEFP" in page
    assert "format JSON" not in page and 'href="programme.json"' not in page
    assert (site / "cqp-assistant-medical" / "programme.json").is_file()     # still published


def test_the_quiz_has_the_site_font_and_the_results_table_a_style(built_site):
    site, _ = built_site
    quiz_css = _text(site / "quiz-runtime" / "quiz.css")
    assert "font-family: system-ui" not in quiz_css and "var(--md-text-font-family" in quiz_css
    assert "table.results th" in _text(site / "assets" / "site.css")


def test_rates_are_written_the_french_way():
    assert percent(92.5) == "92,5\u00a0%" and percent(95) == "95\u00a0%" and percent(100.0) == "100\u00a0%"
    html = _ENV.get_template("_pathways_results.html.j2").render(
        p={"results": [{"period": "2025", "headcount": 12, "success_rate": 92.5, "satisfaction_rate": None,
                        "source": "jury"}]},
        view=types.SimpleNamespace(registered_on=None))
    assert "92,5\u00a0%" in html and "92.5" not in html and "non mesuré" in html


def test_one_course_mode_vocabulary_the_former_words_say_what_to_write(tmp_path):
    from generator.catalogue import check_catalogue
    from .site_helpers import catalogue_copy
    directory = catalogue_copy(tmp_path / "catalogue", lambda t: t.replace("course_mode: mixte", "course_mode: blended"))
    problems = check_catalogue(directory)[1]
    assert [p.message for p in problems] == ["[course_mode] « blended » est l'ancienne valeur : écrivez « course_mode: mixte »."]
    lines = (directory / "cqp-assistant-medical.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problems[0].line - 1] == "course_mode: blended"


def test_schema_org_course_mode_is_derived_from_the_french_word(catalogue):
    entry = catalogue.programme("cqp-assistant-medical")
    assert entry.data["course_mode"] == "mixte" and entry.view.course_mode == "blended"
    assert entry.view.course_mode_text == "mixte (présentiel et à distance)"
