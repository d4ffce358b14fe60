"""Issue 14, item 2: the programme view is the only programme the outputs see.

Pages, JSON-LD, programme.json, the build report, LHÉO and the rncp commands are run on entries
whose raw data and rules model raise when touched: each must work from ``entry.view`` alone and
give the very output it gives from a normal entry. Then a scan: no template or output module
derives a fact the view computes (price, rhythm, requirement, sessions, access duration,
registration date), and imports run down the layers only.
"""
import ast
import datetime as dt
import io
import re
import shutil
from dataclasses import dataclass, replace
from types import SimpleNamespace

import pytest

from generator.catalogue import Catalogue, load_catalogue
from generator.lheo import lheo_document, missing_facts
from generator.site import identity_report, pages, published_data, report, structured_data

from .conftest import CATALOGUE, FIXTURES, ROOT
from .publishing_helpers import published_catalogue
from .test_rncp_check_update import OLD_RECORD

TODAY = dt.date(2026, 11, 22)
GENERATOR = ROOT / "generator"


class ReadOutsideTheView(AssertionError):
    pass


@dataclass
class ViewOnlyEntry:
    """A programme entry whose raw data and rules model cannot be read: only its view."""

    id: str
    source: object
    view: object
    warnings: list

    @property
    def data(self):
        raise ReadOutsideTheView(f"{self.id}: entry.data read by an output (read entry.view)")

    @property
    def model(self):
        raise ReadOutsideTheView(f"{self.id}: entry.model read by an output (read entry.view)")

    def data_json(self):
        return self.data


def view_only(catalogue: Catalogue) -> Catalogue:
    return replace(catalogue, programmes=[ViewOnlyEntry(e.id, e.source, e.view, e.warnings)
                                          for e in catalogue.programmes])


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    publishing = published_catalogue(tmp_path_factory.mktemp("publishing") / "catalogue")
    return [load_catalogue(directory) for directory in (CATALOGUE, FIXTURES / "kinds", FIXTURES / "mini", publishing)]


def _outputs(catalogue) -> dict[str, object]:
    """Everything the site writes from a programme, except the quiz itself (generator.browser)."""
    quiz = SimpleNamespace(title="Auto-évaluation", embed_html="<p>quiz</p>")
    written = {"home": pages.catalogue_home(catalogue),
               "organisation report": identity_report.organisation_report(catalogue, []).notes}
    for entry in catalogue.programmes:
        written[f"{entry.id} page"] = pages.programme_page(catalogue, entry, TODAY)
        written[f"{entry.id} quiz page"] = pages.quiz_page(entry, quiz)
        written[f"{entry.id} json-ld"] = structured_data.json_ld_script(catalogue, entry, TODAY)
        written[f"{entry.id} programme.json"] = published_data.programme_json(entry)
        written[f"{entry.id} report"] = report.programme_report(entry, ["/x/"], TODAY).notes
        if entry.view.has_exemptions:
            written[f"{entry.id} dispenses"] = pages.dispense_table_page(catalogue, entry)
            written[f"{entry.id} csv"] = published_data.dispense_csv(entry)
    return written


def test_the_site_reads_programmes_through_their_view_only(catalogues):
    for catalogue in catalogues:
        expected = _outputs(catalogue)
        assert _outputs(view_only(catalogue)) == expected
        for entry in catalogue.programmes:   # the pages are whole: the view's facts are on them
            assert entry.view.title in expected[f"{entry.id} page"] and "</div>" in expected[f"{entry.id} page"]
    page = _outputs(catalogues[0])["cqp-assistant-medical page"]
    assert "<strong>Dans tous les cas :</strong>" in page and "Chaque semaine : " in page


def test_lheo_reads_programmes_through_their_view_only(catalogues):
    real, kinds, _, publishing = catalogues
    assert lheo_document(view_only(publishing), TODAY) == lheo_document(publishing, TODAY)
    assert missing_facts(view_only(kinds), TODAY) == missing_facts(kinds, TODAY)
    assert missing_facts(view_only(real), TODAY) == missing_facts(real, TODAY)


def test_rncp_commands_read_programmes_through_their_view_only(tmp_path, monkeypatch):
    from generator.rncp import compare, update
    export = FIXTURES / "rncp" / "cqp_assistant_medical_36358_40913.xml"
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, directory)
    path = directory / "cqp-assistant-medical.yaml"
    # set back to RNCP 36358 (as test_rncp_check_update does), so that check and update have work to do
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  current:\n"), text.index("\nformat:")
    path.write_text(text[:start] + OLD_RECORD + text[end:], encoding="utf-8")
    checked = {}
    for guarded in (False, True):
        if guarded:
            monkeypatch.setattr(compare, "load_catalogue", lambda d: view_only(load_catalogue(d)))
            monkeypatch.setattr(update, "load_catalogue", lambda d: view_only(load_catalogue(d)))
        out = io.StringIO()
        code = compare.run_check(directory, export, TODAY, out)
        checked[guarded] = (code, out.getvalue())
    assert checked[True] == checked[False] and checked[True][0] == 1 and "RNCP 36358" in checked[True][1]
    out = io.StringIO()
    assert update.run_update(directory, export, "cqp-assistant-medical", TODAY, out) == 0, out.getvalue()
    assert "RNCP 40913" in out.getvalue() and "    rncp: 40913\n" in path.read_text(encoding="utf-8")


# -- what the outputs may not derive themselves ----------------------------------------------

# Raw catalogue keys (or sentences) whose meaning the view computes: reading them beside the view
# would derive the fact a second time.
DERIVED_IN_THE_VIEW = {
    "total_eur": "view.price_eur, view.price_text",
    "includes": "view.price_includes",
    "centre_days_per_week": "view.weekly_rhythm_text",
    "practice_days_per_week": "view.weekly_rhythm_text",
    "centre_formats": "view.weekly_rhythm_text",
    "requirement": "view.requirement, view.requirement_sentence, view.prerequisites",
    "Dans tous les cas": "view.requirement_sentence (IN_EVERY_CASE)",
    "access_duration_months": "view.access_duration_months, view.access_duration_text",
    "registered_on": "view.registered_on",
    "sessions": "view.upcoming_sessions, view.open_sessions",
    "rncp": "view.certification.current (register, number, code)",
    "programme_view": "entry.view",
}
OUTPUT_MODULES = ["site/pages.py", "site/structured_data.py", "site/published_data.py", "site/report.py",
                  "site/__init__.py", "lheo/__init__.py"]


def _reads(text: str, key: str) -> bool:
    """``key`` read as data (a subscript, a .get, an attribute, a call), not a word in a sentence."""
    if key == "Dans tous les cas":
        return key in text
    return bool(re.search(rf"""(\[["']{key}["']\]|get\(["']{key}["']|(?<!view)\.{key}\b|\b{key}\()""", text))


def test_no_output_derives_a_fact_beside_the_view():
    sources = {path: path.read_text(encoding="utf-8") for path in (GENERATOR / "site" / "templates").glob("*.j2")}
    sources.update({GENERATOR / name: (GENERATOR / name).read_text(encoding="utf-8") for name in OUTPUT_MODULES})
    found = [f"{path.relative_to(ROOT)} reads « {key} »: use {home}"
             for path, text in sources.items() for key, home in DERIVED_IN_THE_VIEW.items()
             if _reads(text, key)]
    assert found == []


def test_the_scan_sees_a_raw_read():
    """The scan above is not blind: the reads it must refuse are refused."""
    assert _reads('{{ p.price.total_eur }}', "total_eur") and _reads('data.get("sessions")', "sessions")
    assert _reads('current["rncp"]', "rncp") and _reads("programme_view(data)", "programme_view")
    assert not _reads("le RNCP", "rncp") and not _reads("Prochaines sessions", "sessions")
    assert not _reads("view.requirement", "requirement") and not _reads("view.open_sessions(today)", "sessions")


def test_outputs_name_no_raw_entry():
    """No output module reads ``entry.data`` or ``entry.model``: the view is their only programme."""
    found = [str(path.relative_to(ROOT)) for folder in ("site", "lheo", "rncp")
             for path in (GENERATOR / folder).rglob("*.py")
             if re.search(r"\bentry\.(data|model)\b", path.read_text(encoding="utf-8"))]
    assert found == []


# -- layers ------------------------------------------------------------------------------------

def _imported(path) -> set[str]:
    """The generator packages a module imports (``site``, ``rncp``…), relative imports resolved."""
    package = path.relative_to(GENERATOR).parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1]) + (node.module or "").split(".")
            else:
                base = (node.module or "").split(".")[1:] if (node.module or "").startswith("generator") else []
            base = [part for part in base if part]
            names.add(base[0] if base else (node.names[0].name if node.level else ""))
    return names - {""}


@pytest.mark.parametrize("folder, forbidden", [
    ("catalogue", {"site", "lheo", "rncp", "browser"}),   # the view and its facts: below every output
    ("lheo", {"site", "rncp", "browser"}),
    ("site", {"lheo", "rncp"}),
    ("rncp", {"site", "lheo", "browser"}),
])
def test_imports_run_down_the_layers(folder, forbidden):
    crossing = {str(path.relative_to(ROOT)): sorted(_imported(path) & forbidden)
                for path in (GENERATOR / folder).rglob("*.py")}
    assert {path: names for path, names in crossing.items() if names} == {}
    assert _imported(GENERATOR / "french.py") <= {"rules"}
