"""Publishing: the policy computed from the built pages, _headers, robots.txt, sitemap, canonical
and sharing tags, with the public address (site_url) empty as in the real catalogue, and filled."""
import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET

import pytest

from generator.catalogue import check_catalogue
from generator.site import publishing
from generator.site.publishing import (HASHED_FOLDER, HEADERS_FILE, IMMUTABLE, SHORT, content_security_policy, headers_for,
                                       inline_script_hashes, is_content_hashed, read_headers_file)

from .schema_vocabulary import problems as vocabulary_problems
from .site_helpers import build, catalogue_copy, parse_attributes

PROGRAMME = "cqp-assistant-medical"
SITE_URL = "https://formations.example.fr/"


def pages(site_dir):
    return sorted(site_dir.rglob("*.html"))


def executed_scripts(html):
    return [text for attrs, text in parse_attributes(html).scripts
            if "src" not in attrs and attrs.get("type", "") in ("", "module", "text/javascript")]


def sha256_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def meta(html, attribute, name):
    """The content of every <meta> whose ``attribute`` is ``name`` (entities decoded)."""
    found = []
    for tag in re.findall(r"<meta\b[^>]*>", html):
        attributes = {n: v for _, n, v in parse_attributes(tag).attributes}
        if attributes.get(attribute) == name:
            found.append(attributes.get("content"))
    return found


@pytest.fixture(scope="module")
def site(built_site):
    return built_site[0]


@pytest.fixture(scope="module")
def rules(site):
    return read_headers_file((site / HEADERS_FILE).read_text(encoding="utf-8"))


def test_the_hash_is_the_one_the_csp_specification_gives():
    # CSP Level 3, "hash-source" example: <script>alert('Hello, world.');</script>
    html = "<head><script>alert('Hello, world.');</script><script src=x.js></script>" \
           '<script type="application/ld+json">{}</script></head>'
    assert inline_script_hashes(html) == ["'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"]
    assert inline_script_hashes(html.replace("alert", "\r\nalert")) == inline_script_hashes(html.replace("alert", "\nalert"))


def test_every_page_carries_its_own_policy_before_any_script(site):
    assert len(pages(site)) >= 5
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        [policy] = meta(html, "http-equiv", "Content-Security-Policy")
        head = html[:html.index("</head>")]
        assert head.index("Content-Security-Policy") < head.index("<script"), page
        sources = set(re.search(r"script-src ([^;]*)", policy).group(1).split())
        hashes = {source for source in sources if source.startswith("'sha256-")}
        assert hashes == {sha256_source(text) for text in executed_scripts(html)}, page
        assert {"'self'", "'wasm-unsafe-eval'"} <= sources and "'unsafe-inline'" not in sources
        # frame-ancestors is ignored in a <meta> policy: it is only in the header.
        assert "frame-ancestors" not in policy and "default-src 'self'" in policy


def test_the_header_policy_allows_every_inline_script_of_the_site_and_nothing_more(site, rules):
    policy = headers_for(rules, f"/{PROGRAMME}/quiz/")["Content-Security-Policy"]
    assert policy == headers_for(rules, "/")["Content-Security-Policy"]
    expected = {sha256_source(text) for page in pages(site) for text in executed_scripts(page.read_text(encoding="utf-8"))}
    assert set(re.findall(r"'sha256-[^']+'", policy)) == expected
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:" and directives["worker-src"] == "'self'"
    assert directives["script-src"].endswith("'wasm-unsafe-eval'")


def test_every_file_gets_exactly_one_cache_policy_long_only_for_content_hashed_names(site, rules):
    files = [p for p in site.rglob("*") if p.is_file() and p.name != HEADERS_FILE and not p.name.endswith((".br", ".gz"))]
    immutable = []
    for path in files:
        url = "/" + path.relative_to(site).as_posix()
        cache = headers_for(rules, url).get("Cache-Control")
        assert cache in (IMMUTABLE, SHORT), f"{url}: {cache}"  # two rules would join two values
        if cache == IMMUTABLE:
            immutable.append(path.name)
            # named after its content, or inside a folder named after its content
            assert is_content_hashed(path.name) or HASHED_FOLDER.search(path.parent.name), url
    assert headers_for(rules, "/")["Cache-Control"] == SHORT
    # the biggest runtime files live in a folder named after their content: cached for good
    assert "pyodide.asm.wasm" in immutable and "python_stdlib.zip" in immutable
    assert headers_for(rules, f"/{PROGRAMME}/quiz/")["Cache-Control"] == SHORT
    assert any(name.endswith(".whl") for name in immutable) and any(name.startswith("bundle.") for name in immutable)


def test_content_hashed_names():
    for name in ["main.57a0d79d.min.css", "catalogue_rules-0.1.0+ba69f3d5a301-py3-none-any.whl",
                 "python-2eea139ac15e.snapshot", "pyodide.asm.1a2b3c4d5e.wasm", "quiz-worker.0123abcd.mjs"]:
        assert is_content_hashed(name), name
    for name in ["pyodide.asm.wasm", "quiz-worker.mjs", "python_stdlib.zip", "index.html", "deadbeefcafe.txt",
                 "cqp-assistant-medical-dispenses.csv"]:
        assert not is_content_hashed(name), name


def test_modules_and_webassembly_get_their_types(site, rules):
    modules = list(site.rglob("*.mjs")) + list(site.rglob("*.wasm"))
    assert any(p.suffix == ".wasm" for p in modules) and any(p.suffix == ".mjs" for p in modules)
    for path in modules:
        url = "/" + path.relative_to(site).as_posix()
        expected = "application/wasm" if path.suffix == ".wasm" else "text/javascript; charset=utf-8"
        assert headers_for(rules, url)["Content-Type"] == expected, url


def test_without_a_public_address_no_canonical_no_sitemap_and_the_report_says_what_it_costs(built_site):
    site, run = built_site
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in html and 'property="og:url"' not in html, page
        assert '"@id"' not in html, page
    assert "« site_url » vide" in run.stdout and "pas de sitemap.xml" in run.stdout


def test_every_page_has_sharing_tags_from_its_title_and_description(site):
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        assert meta(html, "property", "og:locale") == ["fr_FR"], page
        assert meta(html, "property", "og:type") == ["website"]
        assert meta(html, "property", "og:site_name") == ["TechAcademy — Formations"]
        assert meta(html, "name", "twitter:card") == ["summary"]
        assert len(meta(html, "property", "og:title")) == 1
    programme = (site / PROGRAMME / "index.html").read_text(encoding="utf-8")
    assert meta(programme, "property", "og:title") == ["CQP Assistant(e) médical(e)"]
    assert meta(programme, "property", "og:description") == meta(programme, "name", "description")
    assert meta(programme, "name", "twitter:description") == meta(programme, "name", "description")


def test_home_page_lists_the_programmes_as_an_item_list(site, catalogue):
    home = parse_attributes((site / "index.html").read_text(encoding="utf-8"))
    [item_list] = [json.loads(text) for attrs, text in home.scripts if attrs.get("type") == "application/ld+json"]
    assert item_list["@type"] == "ItemList"
    assert item_list["numberOfItems"] == len(catalogue.programmes)
    assert [(i["position"], i["url"], i["name"]) for i in item_list["itemListElement"]] == \
        [(n, f"{e.id}/", e.data["title"]) for n, e in enumerate(catalogue.programmes, start=1)]
    assert vocabulary_problems(item_list) == []


def test_the_vocabulary_check_finds_what_schema_org_does_not_allow():
    good = {"@context": "https://schema.org", "@type": "ItemList", "numberOfItems": 1,
            "itemListElement": [{"@type": "ListItem", "position": 1, "url": "a/", "name": "A"}]}
    assert vocabulary_problems(good) == []
    assert vocabulary_problems(good, absolute_urls=True) == ["itemListElement[0].url[0]: 'a/' n'est pas URL"]
    bad = {**good, "numberOfItems": "1", "position": 1, "itemListElement": [{"@type": "ListItem", "rank": 1}]}
    assert sorted(vocabulary_problems(bad)) == [
        "itemListElement[0].rank: propriété inconnue du vocabulaire",
        "numberOfItems[0]: '1' n'est pas Integer",
        "position: pas une propriété de ['ItemList']"]
    assert vocabulary_problems({"@type": "ItemLis"}) == ["@type: type inconnu du vocabulaire ['ItemLis']"]


def test_a_faulty_public_address_is_a_sentence(tmp_path):
    directory = catalogue_copy(tmp_path / "catalogue")
    organisation = directory / "organisation.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace(
        "site_url: null", 'site_url: "formations.example.fr"'), encoding="utf-8")
    _, problems = check_catalogue(directory)
    [problem] = problems
    line = organisation.read_text(encoding="utf-8").splitlines().index('site_url: "formations.example.fr"') + 1
    assert str(problem).endswith(f"organisation.yaml, ligne {line} : [site_url] doit être l'adresse publique du site, "
                                 "ex. « https://formations.example.fr/ », pas « formations.example.fr ».")


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    """The real catalogue with a public address (its only change), built once."""
    root = tmp_path_factory.mktemp("published")
    directory = catalogue_copy(root / "catalogue")
    organisation = directory / "organisation.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8").replace(
        "site_url: null", "site_url: https://formations.example.fr"), encoding="utf-8")
    run = build(directory, root / "site")
    assert run.returncode == 0, run.stderr
    return root / "site", run


def test_with_a_public_address_pages_are_canonical_in_the_sitemap_and_shared_with_their_address(published_site):
    site, run = published_site
    assert "Adresse publique : https://formations.example.fr/" in run.stdout and "« site_url » vide" not in run.stdout
    expected = {"https://formations.example.fr/", f"https://formations.example.fr/{PROGRAMME}/",
                f"https://formations.example.fr/{PROGRAMME}/dispenses/", f"https://formations.example.fr/{PROGRAMME}/quiz/",
                "https://formations.example.fr/confidentialite/"}
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)}
    assert expected <= listed
    assert "Sitemap: https://formations.example.fr/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    for url in expected:
        path = site / url.removeprefix(SITE_URL) / "index.html"
        html = path.read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{url}">' in html, path
        assert meta(html, "property", "og:url") == [url]
    home = parse_attributes((site / "index.html").read_text(encoding="utf-8"))
    [item_list] = [json.loads(t) for a, t in home.scripts if a.get("type") == "application/ld+json"]
    assert item_list["itemListElement"][0]["url"] == f"{SITE_URL}{PROGRAMME}/"
    assert vocabulary_problems(item_list, absolute_urls=True) == []
    # the programme's own description names its address once it is known (never before: see above)
    programme = parse_attributes((site / PROGRAMME / "index.html").read_text(encoding="utf-8"))
    [course] = [json.loads(t) for a, t in programme.scripts if a.get("type") == "application/ld+json"]
    assert course["@id"] == course["url"] == f"{SITE_URL}{PROGRAMME}/"


def test_the_policy_is_strict_whatever_the_scripts(tmp_path):
    # A page whose inline script changes gets the new hash at the next publication.
    (tmp_path / "index.html").write_text("<html><head><meta charset=utf-8><script>one()</script></head></html>")
    first = publishing.with_meta_policy((tmp_path / "index.html").read_text(),
                                        content_security_policy(inline_script_hashes("<script>one()</script>"), True))
    again = publishing.with_meta_policy(first, content_security_policy(inline_script_hashes("<script>two()</script>"), True))
    assert again.count("Content-Security-Policy") == 1 and sha256_source("two()") in again
    assert sha256_source("one()") not in again


def test_publishing_twice_changes_nothing(site, catalogue, tmp_path):
    import shutil
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    publishing.publish(copy, catalogue)
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before
