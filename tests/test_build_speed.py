"""Issue 16, the build's speed at scale: what each shortcut skips gives the same bytes.

- generated pages skip Markdown (site_hooks/catalogue.py): Markdown would return their HTML as it is;
- the search index's entries of an unchanged page are reused (generator/site/search_entries.py);
- templates are compiled once per build (a kind's macro) and kept between builds (template_cache.py).
"""
from __future__ import annotations

import types

import jinja2
import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from generator.site import search_entries, template_cache
from generator.site.build import PreparedSite, prepare

from .conftest import CATALOGUE, FIXTURES, ROOT, TODAY


@pytest.mark.parametrize("catalogue_dir", [CATALOGUE, FIXTURES / "kinds"], ids=["real", "kinds"])
def test_markdown_would_hand_back_every_generated_page_unchanged(catalogue_dir):
    """What the hooks give MkDocs instead of converting: the page's HTML, as Markdown returns it."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    pages = prepare(catalogue_dir, TODAY).content.pages
    assert len(pages) >= 7
    for path, text in pages.items():
        body, _ = get_data(text)
        converted = markdown.Markdown(extensions=config["markdown_extensions"],
                                      extension_configs=config["mdx_configs"] or {}).convert(body)
        assert converted == body.strip("\n"), path


def _page(src_uri: str) -> types.SimpleNamespace:
    return types.SimpleNamespace(file=types.SimpleNamespace(src_uri=src_uri))


def test_the_hooks_skip_markdown_for_generated_pages_only(monkeypatch):
    from site_hooks import catalogue as hooks
    content = types.SimpleNamespace(pages={"x/index.md": "---\ntitle: X\n---\n\n<div>a</div>\n"})
    monkeypatch.setattr(hooks, "_prepared", PreparedSite(catalogue=None, content=content))
    generated, written = _page("x/index.md"), _page("confidentialite.md")
    assert hooks.on_page_markdown("\n<div><dl><dt>a</dt><dd>b</dd></dl></div>\n", page=generated) == ""
    assert hooks.on_page_markdown("# Titre\n", page=written) == "# Titre\n"
    # what Markdown made of "" is dropped for the page's own HTML (with the search's spacing)
    assert hooks.on_page_content("", page=generated) == "<div><dl><dt>a</dt>\n<dd>b</dd>\n</dl></div>"
    assert hooks.on_page_content("<h1>Titre</h1>", page=written) == "<h1>Titre</h1>"


class _Index:
    """Material's SearchIndex as the wrapper sees it: entries appended in page order."""

    def __init__(self):
        self.entries, self.parsed = [], []

    def add_entry_from_context(self, page):
        self.parsed.append(page.url)
        self.entries.append({"location": page.url, "title": page.title, "text": page.content.upper()})


def _search_page(url, content, toc=()):
    return types.SimpleNamespace(url=url, content=content, title=url.title(), meta={"title": url}, toc=list(toc))


def test_an_unchanged_page_gets_its_search_entries_without_being_parsed(tmp_path):
    pages = [_search_page("a/", "<p>un</p>"), _search_page("b/", "<p>deux</p>")]
    first = _Index()
    search_entries.reuse_entries(first, tmp_path)
    for page in pages:
        first.add_entry_from_context(page)
    second = _Index()
    search_entries.reuse_entries(second, tmp_path)
    for page in [*pages, _search_page("c/", "<p>trois</p>")]:
        second.add_entry_from_context(page)
    assert second.parsed == ["c/"]                      # only the new page is parsed
    assert second.entries[:2] == first.entries and second.entries[2]["location"] == "c/"
    edited = _Index()
    search_entries.reuse_entries(edited, tmp_path)
    edited.add_entry_from_context(_search_page("a/", "<p>un, modifié</p>"))
    assert edited.parsed == ["a/"] and edited.entries[0]["text"] == "<P>UN, MODIFIÉ</P>"


def test_an_index_of_another_shape_is_left_as_it_is(tmp_path):
    for index in (None, types.SimpleNamespace(entries={}, add_entry_from_context=print)):
        search_entries.reuse_entries(index, tmp_path)
    index = types.SimpleNamespace(entries={}, add_entry_from_context=print)
    search_entries.reuse_entries(index, tmp_path)
    assert index.add_entry_from_context is print


def test_a_page_with_headings_in_its_toc_is_always_parsed(tmp_path):
    for _ in range(2):
        index = _Index()
        search_entries.reuse_entries(index, tmp_path)
        index.add_entry_from_context(_search_page("a/", "<h2 id='x'>x</h2>", toc=["x"]))
        assert index.parsed == ["a/"]
    assert not list(tmp_path.iterdir())


def test_a_search_cache_that_cannot_be_written_only_parses_again(tmp_path):
    (tmp_path / "a-file").write_text("")
    for _ in range(2):
        index = _Index()
        search_entries.reuse_entries(index, tmp_path / "a-file" / "cache")
        index.add_entry_from_context(_search_page("a/", "<p>un</p>"))
        assert index.parsed == ["a/"] and len(index.entries) == 1


def test_materials_own_index_gives_the_same_entries_from_the_cache(built_site, tmp_path, monkeypatch):
    """Material's SearchIndex and parser over the built pages' content: the entries read back from
    the cache are those the parser makes, and the parser does not run for them."""
    from material.plugins.search import plugin as material_search
    site, _ = built_site
    pages = []
    for path in ("cqp-assistant-medical/index.html", "cqp-assistant-medical/quiz/index.html",
                 "cqp-assistant-medical/dispenses/index.html", "index.html"):
        html = (site / path).read_text(encoding="utf-8")
        content = html[html.index('<article'):html.index('</article>')]
        pages.append(types.SimpleNamespace(url=path.removesuffix("index.html"), content=content, title=path,
                                           meta={"title": path}, toc=[]))
    parsed = material_search.SearchIndex()
    for page in pages:
        parsed.add_entry_from_context(page)
    assert len(parsed.entries) >= len(pages) and any(entry["text"] for entry in parsed.entries)
    for run in ("fills the cache", "reads it"):
        index = material_search.SearchIndex()
        search_entries.reuse_entries(index, tmp_path)
        if run == "reads it":
            monkeypatch.setattr(material_search, "Parser", lambda: pytest.fail("parsed again"))
        for page in pages:
            index.add_entry_from_context(page)
        assert index.entries == parsed.entries, run


def test_a_kind_template_is_compiled_once_per_build():
    from generator.browser import page
    from generator.rules.kinds import KINDS
    kind = next(iter(KINDS.values()))
    template = page._TEMPLATES.get_template(page.KIND_TEMPLATE + kind.name)
    assert page._TEMPLATES.get_template(page.KIND_TEMPLATE + kind.name) is template


def test_compiled_templates_are_kept_between_builds(tmp_path, monkeypatch):
    monkeypatch.setattr(template_cache, "CACHE_DIR", tmp_path / "jinja")
    (tmp_path / "t.html").write_text("{{ a }} et {{ b }}", encoding="utf-8")

    def environment():
        return jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=template_cache.bytecode_cache())
    assert environment().get_template("t.html").render(a=1, b=2) == "1 et 2"
    assert len(list((tmp_path / "jinja").iterdir())) == 1
    later = environment()
    monkeypatch.setattr(later, "compile", lambda *args, **kwargs: pytest.fail("compiled again"))
    assert later.get_template("t.html").render(a=3, b=4) == "3 et 4"
    (tmp_path / "t.html").write_text("{{ a }} ou {{ b }}", encoding="utf-8")   # an edited template is compiled again
    assert environment().get_template("t.html").render(a=1, b=2) == "1 ou 2"


def test_a_template_cache_that_cannot_be_written_is_not_used(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setattr(template_cache, "CACHE_DIR", tmp_path / "a-file" / "jinja")
    assert template_cache.bytecode_cache() is None


def test_new_pdf_sheets_made_in_parallel_are_those_made_one_by_one(catalogue, tmp_path, monkeypatch):
    import copy
    import sys

    from generator.catalogue.view import programme_view
    from generator.site.programme_sheet import programme_sheets
    sheets_module = sys.modules[programme_sheets.__module__]
    base = catalogue.programme("cqp-assistant-medical").view.data
    views = []
    for number in range(5):
        data = copy.deepcopy(base)
        data["title"] = f"Programme {number}"
        views.append(programme_view(data))
    made = {}
    for how, parallel_from in (("one by one", 1000), ("in parallel", 2)):
        monkeypatch.setattr(sheets_module, "CACHE_DIR", tmp_path / how)
        monkeypatch.setattr(sheets_module, "PARALLEL_FROM", parallel_from)
        made[how] = programme_sheets(views, catalogue.organisation, TODAY)
        assert len(list((tmp_path / how).glob("*.pdf"))) == 5
    assert made["one by one"] == made["in parallel"]
    assert len({sheet.content for sheet in made["in parallel"]}) == 5
