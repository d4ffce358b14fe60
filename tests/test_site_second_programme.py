"""A catalogue of two programmes: each gets its own pages, data and report, from the same code."""
import csv
import io
import json
import shutil

import pytest

from .conftest import FIXTURES
from .site_helpers import build, catalogue_copy, module_rows, page_text, rows_of_class

REAL = "cqp-assistant-medical"
SECOND = "titre-commis-cuisine"


@pytest.fixture(scope="module")
def two_programmes(tmp_path_factory):
    root = tmp_path_factory.mktemp("two")
    catalogue = catalogue_copy(root / "catalogue")
    shutil.copy(FIXTURES / "mini" / f"{SECOND}.yaml", catalogue)
    run = build(catalogue, root / "site")
    assert run.returncode == 0, run.stderr
    return root / "site", run


@pytest.fixture(scope="module")
def second_data(two_programmes):
    return json.loads((two_programmes[0] / SECOND / "programme.json").read_text(encoding="utf-8"))


def test_home_lists_both_programmes_with_links_to_their_pages(two_programmes):
    home = (two_programmes[0] / "index.html").read_text(encoding="utf-8")
    for programme in (REAL, SECOND):
        for link in (f'href="{programme}/"', f'href="{programme}/dispenses/"', f'href="{programme}/quiz/"'):
            assert link in home
        for page in ("index.html", "dispenses/index.html", "quiz/index.html", "programme.json",
                     f"{programme}-dispenses.csv"):
            assert (two_programmes[0] / programme / page).is_file(), (programme, page)


def test_second_programme_pages_hold_its_own_modules_and_hours(two_programmes, second_data):
    site = two_programmes[0]
    assert second_data["id"] == SECOND
    modules = [m for bloc in second_data["blocs"] for m in bloc["modules"]]
    for page in ("index.html", "dispenses/index.html"):
        html = (site / SECOND / page).read_text(encoding="utf-8")
        rows = module_rows(html)
        assert list(rows) == [m["id"] for m in modules]
        assert all(f"{m['hours']} h" in rows[m["id"]] for m in modules)
        assert [cells[-1] if page == "index.html" else cells[1] for cells in rows_of_class(html, "total")] \
            == [f"{second_data['hours']['total']} h"]
        assert REAL not in html and "Assistant(e) médical(e)" not in page_text(html)
    csv_rows = list(csv.DictReader(io.StringIO((site / SECOND / f"{SECOND}-dispenses.csv")
                                               .read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert [r["module_id"] for r in csv_rows if r["module_id"] != "evaluations"] == [m["id"] for m in modules]


def test_rules_made_for_the_current_certification_need_no_confirmation(two_programmes, second_data):
    site, run = two_programmes
    current = second_data["certification"]["current"]["rncp"]
    assert second_data["exemptions"]["established_for"]["rncp"] == current
    table = page_text((site / SECOND / "dispenses" / "index.html").read_text(encoding="utf-8"))
    assert f"RNCP {current}" in table and "en attente" not in table
    real_table = page_text((site / REAL / "dispenses" / "index.html").read_text(encoding="utf-8"))
    assert "en attente" in real_table
    # One summary per programme in the report; only the CQP's rules await confirmation.
    report = run.stdout
    second_part = report[report.index(f"({SECOND})"):]
    second_part = second_part[:second_part.index(f"({REAL})")] if f"({REAL})" in second_part else second_part
    assert f"/{SECOND}/dispenses/" in second_part and "confirmez-les" not in second_part
    assert f"({REAL})" in report and "confirmez-les pour RNCP 40913" in report
