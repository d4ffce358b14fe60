"""Building a site from a catalogue directory, and reading the built HTML, for the site tests."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from .conftest import CATALOGUE, ROOT

BUILD_DAY = "2026-11-22"


def build(catalogue_dir: Path, site_dir: Path, today: str = BUILD_DAY,
          best_compression: bool = False) -> subprocess.CompletedProcess:
    """``best_compression``: as published (``--compression-maximale``), never the quick brotli copies a
    first build on a machine without the cache ships."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--catalogue", str(catalogue_dir), "build",
         "--site-dir", str(site_dir), "--today", today, *(["--compression-maximale"] if best_compression else [])],
        cwd=ROOT, capture_output=True, text=True)


def catalogue_copy(directory: Path, edit=None) -> Path:
    """A copy of the real catalogue; ``edit(text) -> text`` changes the programme file."""
    shutil.copytree(CATALOGUE, directory)
    if edit:
        path = directory / "cqp-assistant-medical.yaml"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return directory


class Rows(HTMLParser):
    """Text of each cell of each <tr>, with the row's attributes (data-module-id…)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[dict, list[str]]] = []
        self._cell: list[str] | None = None
        self._row = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = (dict(attrs), [])
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("li", "p", "br") and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row[1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_text(html: str) -> str:
    """The visible words of a page, entities decoded, white space folded."""
    without_scripts = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    without_scripts = re.sub(r"<(\w+)\b[^>]*\shidden\b[^>]*>.*?</\1>", " ", without_scripts, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", without_scripts)).split())


def table_rows(html: str) -> list[tuple[dict, list[str]]]:
    parser = Rows()
    parser.feed(html)
    return parser.rows


def module_rows(html: str) -> dict[str, list[str]]:
    return {attrs["data-module-id"]: cells for attrs, cells in table_rows(html) if "data-module-id" in attrs}


def rows_of_class(html: str, name: str) -> list[list[str]]:
    return [cells for attrs, cells in table_rows(html) if name in (attrs.get("class") or "").split()]


class Attributes(HTMLParser):
    """Every (tag, attribute, value) of a page, and the text of its <script> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "script":
            self._script = (dict(attrs), [])

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)


def parse_attributes(html: str) -> Attributes:
    parser = Attributes()
    parser.feed(html)
    return parser


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def serious_axe_findings(page, context: str = "document") -> list:
    """axe-core over the loaded page (or the ``context`` selector spec): the serious and critical
    violations, each as (rule, first targets). axe is evaluated, not added as an inline
    <script>: the pages' CSP forbids that."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    report = page.evaluate(f"() => axe.run({context}, {{ resultTypes: ['violations'] }})")
    assert report["passes"], f"axe checked nothing on {page.url}"
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in report["violations"] if v["impact"] in ("serious", "critical")]


def wait_for(condition, seconds=20) -> bool:
    """Poll ``condition`` every 0.1 s until it holds (True) or ``seconds`` have passed (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
