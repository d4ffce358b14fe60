"""The quiz page as generated (no browser): questions, hooks, escaping, the files it refers to."""
import copy
import json
import re
from html.parser import HTMLParser

from generator.browser import build_into, quiz_pages
from generator.catalogue import ProgrammeEntry
from generator.rules.kinds import kind_of
from generator.rules.model import Programme

PROGRAMME = "cqp-assistant-medical"


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def having(self, tag=None, **attrs):
        return [a for t, a in self.elements
                if (tag is None or t == tag) and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def test_every_question_has_a_labelled_field_and_the_initial_ones_are_shown(catalogue):
    entry = catalogue.programme(PROGRAMME)
    page = next(p for p in quiz_pages(catalogue) if p.programme_id == PROGRAMME)
    assert page.path == f"{PROGRAMME}/quiz/index.html"
    html = Elements(page.body_html)
    root = html.having("div", id="quiz")[0]
    shown_first = json.loads(root["data-initial-missing"])
    assert shown_first and set(shown_first) <= {q.key for q in entry.model.questions}
    for question in entry.model.questions:
        controls = [a for t, a in html.elements if t == "input" and a.get("name") == question.key]
        assert controls, question.key
        for control in controls:
            assert f"{question.key}-error" in control["aria-describedby"].split()
        if kind_of(question).default_base(question) is not None:
            continue  # in the optional "dates" group, always shown
        fieldset = html.having("fieldset", data_key=question.key)[0]
        assert ("hidden" in fieldset) == (question.key not in shown_first)
        if question.type == "choice":
            assert sorted(c["value"] for c in controls) == sorted(question.settings.values)
    assert "jury_date" in [a.get("name") for t, a in html.elements if t == "input"]


def test_result_region_carries_the_contract_hooks(catalogue):
    entry = catalogue.programme(PROGRAMME)
    html = Elements(quiz_pages(catalogue)[0].body_html)
    result = html.having("section", id="quiz-result")[0]
    assert result["data-state"] == "loading"
    rows = [a["data-module-id"] for t, a in html.elements if t == "tr" and "data-module-id" in a]
    assert rows == [m.id for m in entry.model.modules]
    assert html.having("p", id="quiz-summary")[0]["aria-live"] == "polite"
    links = [a["href"] for t, a in html.elements if t == "a"]
    assert "../dispenses/" in links


def test_catalogue_text_is_escaped_everywhere(catalogue):
    entry = catalogue.programme(PROGRAMME)
    data = copy.deepcopy(entry.data)
    data["questions"][0]["label"] = "<script>alert('x')</script> & \"quotes\""
    data["questions"][0]["help"] = "</p><img src=x onerror=alert(1)>"
    data["blocs"][0]["modules"][0]["title"] = "<b>gras</b>"
    hostile = ProgrammeEntry(entry.id, entry.source, data, Programme.from_data(data))
    catalogue_copy = copy.copy(catalogue)
    catalogue_copy.programmes = [hostile]
    body = quiz_pages(catalogue_copy)[0].body_html
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>gras</b>" not in body
    assert "&lt;script&gt;alert(" in body
    root = Elements(body).having("div", id="quiz")[0]
    assert json.loads(root["data-questions"])[0]["label"] == data["questions"][0]["label"]


def test_standalone_build_refers_only_to_files_it_wrote(catalogue, tmp_path):
    build_into(tmp_path, catalogue, snapshot=False)
    page_file = tmp_path / PROGRAMME / "quiz" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    refs = re.findall(r'(?:src|href)="(\.\./\.\./[^"]+)"', html) + re.findall(r'"(\.\./\.\./quiz-runtime/[^"]+)"', html)
    assert refs
    for ref in refs:
        assert (page_file.parent / ref).resolve().is_file(), ref
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    runtime = tmp_path / "quiz-runtime"
    config = json.loads((runtime / "quiz-runtime.json").read_text())
    assert config["snapshot"] is None
    for name, size in config["sizes"].items():
        assert (runtime / config["folder"] / name).stat().st_size == size, name
    assert (runtime / config["wheel"]["file"]).is_file()
    rules = config["rules"][PROGRAMME]
    assert (runtime / rules["file"]).is_file()
    assert f'rules: "{rules["file"]}", integrity: "{rules["integrity"]}"' in html
    for name in ("quiz.mjs", "quiz-worker.mjs", "quiz.css"):
        assert not re.search(r"https?://", (runtime / name).read_text(encoding="utf-8")), name
