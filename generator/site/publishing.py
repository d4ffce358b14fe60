"""Making a built site ready to publish on any static host, after the engine has run.

``publish(site_dir, catalogue)`` goes over the built site once and:

- computes the sha256 of every inline script each page runs, and puts one strict
  Content-Security-Policy in every page's ``<head>`` as ``<meta http-equiv>`` (its own scripts'
  hashes; for hosts where no header can be set);
- writes ``_headers`` (the format Netlify and Cloudflare Pages read): the same policy as a
  header with every page's hashes, long immutable caching for content-hashed files, short caching
  for the rest, the types of ``.mjs`` and ``.wasm``;
- writes ``robots.txt``; leaves ``sitemap.xml`` out when the public address is unknown;
- adds the home page's ``ItemList`` (schema.org) listing the programmes;

and returns the "Publication" part of the build report.

The public address (``site_url`` in ``organisation.yaml``) is not in the sources: it stays empty
until staff fill it. Without it there are no canonical links, no ``og:url`` and no sitemap.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from ..errors import StaffError

HEADERS_FILE = "_headers"

# The policy. 'wasm-unsafe-eval' lets the quiz compile Pyodide's WebAssembly (without it the
# quiz waits for its stall timeout, then fails); nothing else is evaluated. Inline scripts are
# allowed by hash only. Style: the site's markup has no style attribute and the theme sets
# styles through the CSSOM, which style-src does not restrict, so 'self' is enough (measured in
# tests/test_browser_publishing.py: zero violations).
POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self' {hashes} 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
# Browsers ignore these in a <meta> policy (and say so in the console): header only.
HEADER_ONLY_DIRECTIVES = {"frame-ancestors"}

OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=0, must-revalidate"   # HTML and every name without a content hash
TYPES = {".mjs": "text/javascript; charset=utf-8", ".wasm": "application/wasm"}
# Precompressed copies (for nginx gzip_static / Caddy precompressed) are never linked: hosts
# that read _headers compress by themselves, so they get no rule of their own.
PRECOMPRESSED = (".br", ".gz")
# Cloudflare Pages reads at most this many rules of a _headers file.
CLOUDFLARE_RULE_LIMIT = 100

# A content-hashed name carries a run of at least 8 hex digits (one of them a digit) between
# separators: main.57a0d79d.min.css, catalogue_rules-0.1.0+ba69f3d5a301-py3-none-any.whl,
# python-2eea139ac15e.snapshot, pyodide.asm.1a2b3c4d.wasm. Only such files are cached for good.
HASHED_NAME = re.compile(r"(?:^|[.\-+_])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}(?=[.\-+_])")
# A content-hashed folder ends with such a run (quiz-runtime/pyodide-1a2b3c4d5e6f/): all it
# holds is cached for good.
HASHED_FOLDER = re.compile(r"[.\-+_](?=[0-9a-f]*[0-9])[0-9a-f]{8,}$")

_SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_ATTRIBUTE_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_ATTRIBUTE_SRC = re.compile(r"\bsrc\s*=", re.I)
# Script types a browser runs; others (application/json, application/ld+json) are data.
_RUN_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
              "application/ecmascript", "javascript"}
_META_POLICY = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)


def site_url(organisation: dict) -> str | None:
    """The public address with its final slash, or None while staff have not given it."""
    url = (organisation.get("site_url") or "").strip()
    if not url:
        return None
    return url if url.endswith("/") else url + "/"


def inline_script_hashes(html: str) -> list[str]:
    """CSP sources ('sha256-…') of the inline scripts the page runs, in page order."""
    hashes = []
    for match in _SCRIPT.finditer(html):
        attributes = match.group("attributes")
        if _ATTRIBUTE_SRC.search(attributes):
            continue
        kind = _ATTRIBUTE_TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") not in _RUN_TYPES:
            continue
        # The browser hashes the text as parsed: line ends normalised to LF, encoded in UTF-8.
        body = match.group("body").replace("\r\n", "\n").replace("\r", "\n")
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def content_security_policy(hashes: list[str], for_meta: bool = False) -> str:
    directives = []
    for name, value in POLICY:
        if for_meta and name in HEADER_ONLY_DIRECTIVES:
            continue
        directives.append(f"{name} " + " ".join(value.format(hashes=" ".join(hashes)).split()))
    return "; ".join(directives)


def with_meta_policy(html: str, policy: str) -> str:
    """The page with its policy as the first thing after <meta charset> (before any script)."""
    html = _META_POLICY.sub("", html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    charset = _CHARSET.search(html)
    if charset:
        return html[:charset.end()] + "\n" + tag + html[charset.end():]
    head = re.search(r"<head[^>]*>", html, re.I)
    if not head:
        raise ValueError("page sans <head>")
    return html[:head.end()] + "\n" + tag + html[head.end():]


def is_content_hashed(name: str) -> bool:
    return bool(HASHED_NAME.search(name))


# What a name may not carry into a _headers rule: a line break or any control character would add
# lines (headers or rules) of its own; « * » is the hosts' wildcard and a part starting with « : »
# their placeholder, both of which would make a rule match other paths.
_UNSAFE_IN_RULE = re.compile(r"[\x00-\x1f\x7f*]|(^|/):")


class UnpublishableName(StaffError):
    """A file of the site whose name cannot be written into ``_headers``."""

    exit_code = 1


def _url(site_dir: Path, path: Path) -> str:
    url = "/" + path.relative_to(site_dir).as_posix()
    if _UNSAFE_IN_RULE.search(url):
        shown = url.encode("unicode_escape").decode("ascii")   # « \n » visible, not a line break
        raise UnpublishableName(f"Le fichier « {shown[1:]} » du site (copié de docs/) a un nom qui ne peut pas figurer "
                                "dans _headers (un retour à la ligne, un caractère de contrôle, « * » ou un « : » en "
                                "tête) : renommez-le dans docs/, puis relancez la construction.")
    return url


def _cache_rules(site_dir: Path, directory: Path) -> list[tuple[str, dict]]:
    """One Cache-Control per path, never two: a folder without any content-hashed file gets one
    rule for all it holds (``/folder/*``); a folder with some gets one rule per file and per
    sub-folder. (Hosts join the values of a header set by several matching rules.)"""
    rules = []
    for path in sorted(directory.iterdir()):
        if path.name == HEADERS_FILE or path.name.endswith(PRECOMPRESSED):
            continue
        if path.is_dir():
            if HASHED_FOLDER.search(path.name):
                rules.append((_url(site_dir, path) + "/*", {"Cache-Control": IMMUTABLE}))
            elif any(is_content_hashed(p.name) for p in path.rglob("*") if p.is_file()):
                rules += _cache_rules(site_dir, path)
            else:
                rules.append((_url(site_dir, path) + "/*", {"Cache-Control": SHORT}))
        else:
            headers = {"Cache-Control": IMMUTABLE if is_content_hashed(path.name) else SHORT}
            if path.suffix in TYPES:
                headers["Content-Type"] = TYPES[path.suffix]
            rules.append((_url(site_dir, path), headers))
    return rules


def header_rules(site_dir: Path, hashes: list[str]) -> list[tuple[str, dict]]:
    """The rules of ``_headers``, in order: (path pattern, headers)."""
    site_dir = Path(site_dir)
    rules = [("/*", {"Content-Security-Policy": content_security_policy(hashes), **OTHER_HEADERS}),
             ("/", {"Cache-Control": SHORT})]
    rules += _cache_rules(site_dir, site_dir)
    # .mjs and .wasm under a folder-wide rule still need their type, in a rule of their own.
    covered = {pattern for pattern, headers in rules if "Content-Type" in headers}
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.suffix in TYPES and _url(site_dir, path) not in covered:
            rules.append((_url(site_dir, path), {"Content-Type": TYPES[path.suffix]}))
    return rules


def headers_file_text(rules: list[tuple[str, dict]]) -> str:
    lines = ["# Written by the build (generator/site/publishing.py): do not edit, rebuild.",
             "# Read by Netlify and Cloudflare Pages; see DEVELOPERS.md for nginx and Caddy."]
    for pattern, headers in rules:
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + "\n"


def read_headers_file(text: str) -> list[tuple[str, dict]]:
    """The rules of a ``_headers`` file (for a local server that applies them, and the tests)."""
    rules: list[tuple[str, dict]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
    return rules


def headers_for(rules: list[tuple[str, dict]], url_path: str) -> dict:
    """Headers of every rule matching ``url_path`` (``*`` matches anything, ``/`` and files exactly)."""
    found: dict = {}
    for pattern, headers in rules:
        regex = "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"
        if re.match(regex, url_path):
            for name, value in headers.items():
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def robots_txt(url: str | None) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if url:
        lines.append(f"Sitemap: {url}sitemap.xml")
    return "\n".join(lines) + "\n"


def item_list(catalogue, url: str | None) -> dict:
    """schema.org ItemList of the programmes, as the home page lists them (relative addresses
    while the public address is unknown)."""
    base = url or ""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": catalogue.organisation["site_title"],
        "numberOfItems": len(catalogue.programmes),
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": entry.view.title,
             "url": f"{base}{entry.id}/"}
            for position, entry in enumerate(catalogue.programmes, start=1)
        ],
    }


ITEM_LIST_ID = "catalogue-item-list"
_ITEM_LIST = re.compile(fr'<script type="application/ld\+json" id="{ITEM_LIST_ID}">.*?</script>\n', re.S)


def json_ld_element(data: dict, element_id: str) -> str:
    """A JSON-LD script element no catalogue text can close or turn into markup."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json" id="{element_id}">\n{text}\n</script>'


def _with_before_head_end(html: str, fragment: str) -> str:
    end = html.lower().rfind("</head>")
    if end < 0:
        raise ValueError("page sans </head>")
    return html[:end] + fragment + "\n" + html[end:]


def published_page(html: str, catalogue, home: bool = False) -> str:
    """A built page as published: its policy in a meta element (its inline scripts' hashes) and,
    for the home page, the programmes' ItemList. Doing it twice changes nothing."""
    if home:
        item_list_element = json_ld_element(item_list(catalogue, site_url(catalogue.organisation)), ITEM_LIST_ID)
        html = _with_before_head_end(_ITEM_LIST.sub("", html), item_list_element)
    return with_meta_policy(html, content_security_policy(inline_script_hashes(html), for_meta=True))


def publish(site_dir: Path | str, catalogue) -> str:
    """Post-build step over the built site (see the module's text); returns the report part."""
    site_dir = Path(site_dir)
    url = site_url(catalogue.organisation)
    home = site_dir / "index.html"
    all_hashes: list[str] = []
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        html = published_page(page.read_text(encoding="utf-8"), catalogue, home=page == home)
        all_hashes += [h for h in inline_script_hashes(html) if h not in all_hashes]
        page.write_text(html, encoding="utf-8")
    if not url:  # MkDocs writes a sitemap without a single address: useless, left out
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site_dir / name).unlink(missing_ok=True)
    (site_dir / "robots.txt").write_text(robots_txt(url), encoding="utf-8")
    rules = header_rules(site_dir, all_hashes)
    (site_dir / HEADERS_FILE).write_text(headers_file_text(rules), encoding="utf-8")
    return publication_report(url, len(pages), len(all_hashes), len(rules))


def publication_report(url: str | None, pages: int, hashes: int, rules: int) -> str:
    lines = ["", "Publication",
             f"  {pages} pages avec leur politique de sécurité (CSP, {hashes} scripts en ligne autorisés "
             f"par empreinte) ; {HEADERS_FILE} : {rules} règles ; robots.txt."]
    if url:
        lines.append(f"  Adresse publique : {url} (liens canoniques, og:url et sitemap.xml).")
    lines += publication_todo(url, rules)
    return "\n".join(lines) + "\n"


def publication_todo(url: str | None, rules: int) -> list[str]:
    """The report's « À faire » lines about publishing (also on serve's « À faire » page)."""
    lines = []
    if not url:
        lines.append("  - À faire : adresse publique du site inconnue (champ « site_url » vide dans "
                     "organisation.yaml). En attendant : pas de lien canonique ni d'og:url (un partage "
                     "sur un réseau social ne montre pas l'adresse de référence), pas de sitemap.xml ni "
                     "de ligne Sitemap dans robots.txt (les moteurs de recherche ne trouvent les pages "
                     "qu'en suivant les liens), la liste des formations (ItemList) n'a que des adresses "
                     "relatives.")
    if rules > CLOUDFLARE_RULE_LIMIT:
        lines.append(f"  - À faire : {HEADERS_FILE} a {rules} règles ; Cloudflare Pages n'en lit que "
                     f"{CLOUDFLARE_RULE_LIMIT} (Netlify les lit toutes).")
    return lines
