"""What only ``serve`` adds to the site it serves, never written into ``site/``.

- Every HTML page it serves gets one same-origin script, ``/_apercu/rechargement.js``, carrying
  the version of what the page shows (a hash of it); the script asks ``/_apercu/etat.json?page=…``
  several times a second for the version of what its address shows now, and reloads the page
  when it changed: after an edit (the preview, then the rebuilt page if it differs), a broken
  catalogue (the problems page), the fix (the page again). A page the edit did not change is not
  reloaded. The published pages' policy already allows it (scripts and connections from
  ``'self'``); serve's own pages are sent with the same policy as a header.
- The problems page: each problem with its file and line, readable on a phone.
- The « À faire » page, ``/_apercu/a-faire/``: the report of the last successful build's preparation.
"""
from __future__ import annotations

import hashlib
import html
import re
import urllib.parse

from .publishing import content_security_policy, inline_script_hashes

PREFIX = "/_apercu/"
SCRIPT_PATH = PREFIX + "rechargement.js"
STATE_PATH = PREFIX + "etat.json"
STYLE_PATH = PREFIX + "apercu.css"
TODO_PATH = PREFIX + "a-faire/"
POLL_MILLISECONDS = 100

SCRIPT = """// Aperçu (python -m generator serve) : recharge la page quand le site servi change.
(function () {
  "use strict";
  var shown = document.currentScript.getAttribute("data-version");
  var asked = "%(state)s?page=" + encodeURIComponent(location.pathname);
  function ask() {
    fetch(asked, {cache: "no-store"})
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        if (state.version !== shown) { location.reload(); return; }
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


def script_tag(version: str) -> str:
    return f'<script src="{SCRIPT_PATH}" data-version="{version}"></script>'


def version(shown: tuple | None) -> str:
    """The version of what an address shows ((status, body, type), or None: nothing serve knows)."""
    if shown is None:
        return "absent"
    status, body, _ = shown
    return f"{status}-{hashlib.sha256(body).hexdigest()[:16]}"


def asked_page(request_path: str) -> str:
    """The address an open page asks about (``etat.json?page=/x/``)."""
    query = urllib.parse.urlsplit(request_path).query
    return urllib.parse.parse_qs(query).get("page", ["/"])[0]


def with_live_reload(page: bytes, shown_version: str) -> bytes:
    """The page with the live-reload script at the end of its head (or at its end)."""
    tag = script_tag(shown_version).encode()
    match = _HEAD_END.search(page)
    return page[:match.start()] + tag + page[match.start():] if match else page + tag


def state_json(shown_version: str) -> bytes:
    return f'{{"version": "{shown_version}"}}'.encode()


def _page(title: str, body: str) -> bytes:
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{STYLE_PATH}">
</head>
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


def problems_page(sentences: list[str]) -> bytes:
    # A line ending with a colon introduces the others (as `prepare` words it): not a problem.
    items = "\n".join(_problem_item(sentence) for sentence in sentences if not sentence.endswith(" :"))
    count = sum(1 for sentence in sentences if not sentence.endswith(" :"))
    return _page("Le site n'est pas à jour : le catalogue a des problèmes", f"""
<h1>Le catalogue a {"un problème" if count == 1 else f"{count} problèmes"} : le site n'est pas reconstruit</h1>
<p>Corrigez dans les fichiers du catalogue et enregistrez : cette page revient d'elle-même au site.</p>
<ul>
{items}
</ul>
<p><a href="{TODO_PATH}">La liste « À faire »</a></p>""")


def todo_page(report: str | None) -> bytes:
    if report is None:
        body = "<p>Le rapport sera là après la prochaine construction réussie.</p>"
    else:
        body = f"<pre>{html.escape(report.strip())}</pre>"
    return _page("À faire : le rapport de construction", f"""
<h1>À faire : le rapport de construction</h1>
<p>Ce que le catalogue laisse encore vide ou à vérifier, d'après la dernière construction réussie.
Cette page n'existe que dans l'aperçu (<code>serve</code>) : elle n'est jamais publiée.</p>
<p><a href="/">Revenir au site</a></p>
{body}""")


def own_answer(path: str, report: str | None) -> tuple[bytes, str] | None:
    """(body, content type) of a serve-only address but etat.json, or None for the site's own files."""
    if path == SCRIPT_PATH:
        return SCRIPT.encode(), "text/javascript; charset=utf-8"
    if path == STYLE_PATH:
        return STYLE.encode(), "text/css; charset=utf-8"
    if path in (TODO_PATH, TODO_PATH.rstrip("/"), TODO_PATH + "index.html"):
        return todo_page(report), "text/html; charset=utf-8"
    return None


def policy_header(page: bytes) -> str:
    """The policy serve sends with a page: the one ``_headers`` gives it when published (its inline
    scripts by their hashes), which lets the live-reload script, a same-origin file, run."""
    return content_security_policy(inline_script_hashes(page.decode("utf-8", errors="replace")))
