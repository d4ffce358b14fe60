"""The full RNCP export reader, with ``iterparse``: the tests' oracle for the fast scan
(``generator/rncp/scanner.py``), and ``bench/bench_rncp.py --full-reader``'s baseline.

It parses every element of the export, checking that all of it is well-formed, and yields one
``Fiche`` per ``FICHE`` element, clearing each finished fiche and the root's children so memory
stays bounded whatever the file size (an order of magnitude slower than the scan).
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError, iterparse

from generator.rncp import scanner
from generator.rncp.fiche import FICHE_TAG, ROOT_TAG, ExportError, Fiche, fiche_from_element


def iter_fiche_elements(path: Path | str) -> Iterator[Element]:
    """Each finished ``FICHE`` element, valid only until the next one is asked for."""
    path = Path(path)
    with scanner._open_export(path) as (stream, shown):
        try:
            events = iterparse(_parsable(stream, shown), events=("start", "end"))
            root = None
            for event, element in events:
                if event == "start":
                    if root is None:
                        root = element
                        if element.tag != ROOT_TAG:
                            raise ExportError(f"« {shown} » n'est pas un export du RNCP : il commence par "
                                              f"<{element.tag}> au lieu de <{ROOT_TAG}>.")
                    continue
                if element.tag == FICHE_TAG:
                    yield element
                    element.clear()
                    root.clear()
            if root is None:
                raise ExportError(f"« {shown} » ne contient aucun élément XML.")
        except ParseError as error:
            line, column = error.position
            if "no element found" in str(error) and line <= 1 and column == 0:
                raise ExportError(f"« {shown} » est vide : téléchargez à nouveau l'export du RNCP.") from None
            if "no element found" in str(error) or "unclosed token" in str(error):
                raise ExportError(f"« {shown} » est tronqué (fin inattendue à la ligne {line}) : le "
                                  "téléchargement a sans doute été interrompu ; téléchargez à nouveau "
                                  "l'export du RNCP.") from None
            raise ExportError(f"« {shown} » n'est pas un XML lisible (ligne {line}, colonne {column + 1}) : "
                              "vérifiez qu'il s'agit bien de l'export XML du RNCP (format 4.1), "
                              "ou téléchargez-le à nouveau.") from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ExportError(f"L'archive « {path} » est endommagée ({error}) : téléchargez-la à nouveau.") from None


def read_fiches(path: Path | str) -> Iterator[Fiche]:
    """Every fiche of the export, in file order."""
    for element in iter_fiche_elements(path):
        yield fiche_from_element(element)


def _parsable(stream, shown: str):
    """What ``iterparse`` reads: the bytes for UTF-8, else text decoded by Python (expat knows
    few encodings; given text, it ignores the declared one)."""
    head = stream.read(scanner._HEAD)
    codec = scanner._codec(head, shown)
    stream = scanner._Prefixed(head, stream)
    return stream if codec is None else scanner._Recoded(stream, codec, shown, to_text=True)
