"""Checks a JSON-LD document against a vendored subset of schema.org's vocabulary
(tests/fixtures/schemaorg/vocabulary-subset.json, its source named inside): every type known,
every property allowed on its type (or a parent type), every value of an expected type."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

VOCABULARY = json.loads((Path(__file__).parent / "fixtures" / "schemaorg" / "vocabulary-subset.json")
                        .read_text(encoding="utf-8"))
KEYWORDS = {"@context", "@type", "@id"}


def ancestors(type_name: str) -> list[str]:
    chain = []
    while type_name is not None:
        chain.append(type_name)
        type_name = VOCABULARY["types"][type_name]
    return chain


def _value_fits(value, expected: str, absolute_urls: bool) -> bool:
    if expected == "Text":
        return isinstance(value, str) and bool(value.strip())
    if expected == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "URL":
        if not isinstance(value, str) or not value or any(c.isspace() for c in value):
            return False
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc) if absolute_urls else True
    # A schema.org type: a node of that type or of one of its sub-types.
    return isinstance(value, dict) and all(expected in ancestors(t) for t in _types(value))


def _types(node: dict) -> list[str]:
    types = node.get("@type")
    return types if isinstance(types, list) else [types]


def problems(node, absolute_urls: bool = False, path: str = "") -> list[str]:
    """Every departure from the vocabulary, with where it is; [] when the document fits."""
    found = []
    if node.get("@context") not in (None, "https://schema.org"):
        found.append(f"{path}@context: {node['@context']!r}")
    types = _types(node)
    unknown = [t for t in types if t not in VOCABULARY["types"]]
    if unknown:
        return found + [f"{path}@type: type inconnu du vocabulaire {unknown}"]
    lineage = {a for t in types for a in ancestors(t)}
    for name, value in node.items():
        if name in KEYWORDS:
            continue
        where = f"{path}{name}"
        rule = VOCABULARY["properties"].get(name)
        if rule is None:
            found.append(f"{where}: propriété inconnue du vocabulaire")
            continue
        if not lineage & set(rule["domain"]):
            found.append(f"{where}: pas une propriété de {types}")
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if not any(_value_fits(item, expected, absolute_urls) for expected in rule["range"]):
                found.append(f"{where}[{index}]: {item!r} n'est pas {' ou '.join(rule['range'])}")
            elif isinstance(item, dict):
                found += problems(item, absolute_urls, f"{where}[{index}].")
    return found
