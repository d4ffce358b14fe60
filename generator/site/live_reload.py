"""What only ``serve`` adds to the site it serves, never written into ``site/``.

- Every HTML page it serves gets one same-origin script, ``/_apercu/rechargement.js``, that asks
  ``/_apercu/etat.json`` a few times a second which build is served and reloads the page when
  another one is: after a successful rebuild (the new page), after a failed one (the problems page),
  and after the fix (the page again). The published pages' policy already allows it (scripts and
  connections from ``'self'``); serve's own pages are sent with the same policy as a header.
- The problems page: each problem with its file and line, readable on a phone.
- The « À faire » page, ``/_apercu/a-faire/``: the report of the last successful build's preparation.
"""
from __future__ import annotations

import html
import re

from .publishing import content_security_policy, inline_script_hashes

PREFIX = "/_apercu/"
SCRIPT_PATH = PREFIX + "rechargement.js"
STATE_PATH = PREFIX + "etat.json"
STYLE_PATH = PREFIX + "apercu.css"
TODO_PATH = PREFIX + "a-faire/"
POLL_MILLISECONDS = 250

SCRIPT = """// Aperçu (python -m generator serve) : recharge la page quand le site servi change.
(function () {
  "use strict";
  var served = document.currentScript.getAttribute("data-generation");
  function ask() {
    fetch("%(state)s", {cache: "no-store"})
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        if (String(state.generation) !== served) { location.reload(); return; }
        setTimeout(ask, %(poll)d);
      })
      .catch(function () { setTimeout(ask, 1000); });  // serve restarting: ask again
  }
  function todoLink() {  // the « À faire » page, one click away (styled through the CSSOM: no inline style)
    if (location.pathname === "%(todo)s" || !document.body) return;
    var link = document.createElement("a");
    link.href = "%(todo)s";
    link.textContent = "À faire (aperçu)";
    link.id = "apercu-a-faire";
    var look = {position: "fixed", right: ".5rem", bottom: ".5rem", zIndex: "1000", padding: ".3rem .6rem",
                background: "#fff", color: "#0645ad", border: "1px solid #0645ad", borderRadius: ".3rem",
                font: "14px system-ui, sans-serif"};
    for (var name in look) link.style[name] = look[name];
    document.body.appendChild(link);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", todoLink);
  else todoLink();
  ask();
})();
""" % {"state": STATE_PATH, "poll": POLL_MILLISECONDS, "todo": TODO_PATH}

STYLE = """html { font-family: system-ui, sans-serif; font-size: 1.1rem; line-height: 1.5; }
body { margin: 0; padding: 1rem; max-width: 48rem; }
h1 { font-size: 1.4rem; line-height: 1.3; }
li { margin: 0 0 .9rem; overflow-wrap: anywhere; }
.fichier { display: block; font-weight: bold; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .95rem; }
a { color: #0645ad; }
"""

_HEAD_END = re.compile(rb"</head\s*>", re.I)
_PROBLEM = re.compile(r"(?P<where>.+?, ligne \d+) : (?P<sentence>.*)", re.S)


def script_tag(generation: int) -> str:
    return f'<script src="{SCRIPT_PATH}" data-generation="{generation}"></script>'


def with_live_reload(page: bytes, generation: int) -> bytes:
    """The page with the live-reload script at the end of its head (or at its end)."""
    tag = script_tag(generation).encode()
    match = _HEAD_END.search(page)
    return page[:match.start()] + tag + page[match.start():] if match else page + tag


def state_json(generation: int, problems: bool) -> bytes:
    return f'{{"generation": {generation}, "problems": {"true" if problems else "false"}}}'.encode()


def _page(title: str, body: str, generation: int) -> bytes:
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{STYLE_PATH}">
{script_tag(generation)}</head>
<body><main>
{body}
</main></body></html>
""".encode("utf-8")


def _problem_item(sentence: str) -> str:
    match = _PROBLEM.fullmatch(sentence)
    if not match:
        return f"<li>{html.escape(sentence)}</li>"
    return (f'<li><span class="fichier">{html.escape(match["where"])}</span>'
            f"{html.escape(match['sentence'])}</li>")


def problems_page(sentences: list[str], generation: int) -> bytes:
    # A line ending with a colon introduces the others (as `prepare` words it): not a problem.
    items = "\n".join(_problem_item(sentence) for sentence in sentences if not sentence.endswith(" :"))
    count = sum(1 for sentence in sentences if not sentence.endswith(" :"))
    return _page("Le site n'est pas à jour : le catalogue a des problèmes", f"""
<h1>Le catalogue a {"un problème" if count == 1 else f"{count} problèmes"} : le site n'est pas reconstruit</h1>
<p>Corrigez dans les fichiers du catalogue et enregistrez : cette page revient d'elle-même au site.</p>
<ul>
{items}
</ul>
<p><a href="{TODO_PATH}">La liste « À faire »</a></p>""", generation)


def todo_page(report: str | None, generation: int) -> bytes:
    if report is None:
        body = "<p>Le rapport sera là après la prochaine construction réussie.</p>"
    else:
        body = f"<pre>{html.escape(report.strip())}</pre>"
    return _page("À faire : le rapport de construction", f"""
<h1>À faire : le rapport de construction</h1>
<p>Ce que le catalogue laisse encore vide ou à vérifier, d'après la dernière construction réussie.
Cette page n'existe que dans l'aperçu (<code>serve</code>) : elle n'est jamais publiée.</p>
<p><a href="/">Revenir au site</a></p>
{body}""", generation)


def own_answer(path: str, generation: int, problems: bool, report: str | None) -> tuple[bytes, str] | None:
    """(body, content type) of a serve-only address, or None for the site's own files."""
    if path == SCRIPT_PATH:
        return SCRIPT.encode(), "text/javascript; charset=utf-8"
    if path == STATE_PATH:
        return state_json(generation, problems), "application/json"
    if path == STYLE_PATH:
        return STYLE.encode(), "text/css; charset=utf-8"
    if path in (TODO_PATH, TODO_PATH.rstrip("/"), TODO_PATH + "index.html"):
        return todo_page(report, generation), "text/html; charset=utf-8"
    return None


def policy_header(page: bytes) -> str:
    """The policy serve sends with a page: the one ``_headers`` gives it when published (its inline
    scripts by their hashes), which lets the live-reload script, a same-origin file, run."""
    return content_security_policy(inline_script_hashes(page.decode("utf-8", errors="replace")))
