"""Each programme's PDF sheet (issue 15, item 4): published beside the page and linked from it,
a real PDF (read back with pypdf) with its title, language and text, named after its content."""
import copy
import io
import re
import sys

import pytest

from generator.catalogue.view import programme_view
from generator.site.programme_sheet import programme_sheet

from .conftest import TODAY

pypdf = pytest.importorskip("pypdf")
PROGRAMME = "cqp-assistant-medical"


def test_the_sheet_is_linked_from_the_page_and_holds_the_title_and_hours_as_text(built_site, catalogue):
    site = built_site[0]
    page = (site / PROGRAMME / "index.html").read_text(encoding="utf-8")
    links = re.findall(rf'href="({PROGRAMME}-fiche-[0-9a-f]{{12}}\.pdf)"', page)
    assert len(links) == 1
    reader = pypdf.PdfReader(io.BytesIO((site / PROGRAMME / links[0]).read_bytes()))
    assert 1 <= len(reader.pages) <= 3
    assert reader.metadata.title == "CQP Assistant(e) médical(e)"
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    view = catalogue.programme(PROGRAMME).view
    assert view.title in text and "Volume horaire : 279 h, dont 13 h d'évaluations" in text
    for bloc in view.data["blocs"]:
        assert f"Bloc {bloc['number']} — {bloc['title']} ({bloc['hours']} h)" in text
    assert "Aucune session n'est programmée" in text and "secrétariat médical" in text   # accents as text


def test_the_name_changes_when_the_programme_changes_and_not_otherwise(catalogue, tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[programme_sheet.__module__], "CACHE_DIR", tmp_path)
    entry = catalogue.programme(PROGRAMME)
    first = programme_sheet(entry.view, catalogue.organisation, TODAY)
    assert programme_sheet(entry.view, catalogue.organisation, TODAY) == first          # from the cache
    assert (tmp_path / first.name.rsplit("-", 1)[1]).read_bytes() == first.content
    data = copy.deepcopy(entry.view.data)
    data["blocs"][0]["modules"][0]["title"] += " (mis à jour)"
    changed = programme_sheet(programme_view(data), catalogue.organisation, TODAY)
    assert changed.name != first.name and changed.content != first.content
