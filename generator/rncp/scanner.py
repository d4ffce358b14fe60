"""Finding fiches in France Compétences' RNCP export (XML flux version 4.1) without parsing it all.

The daily export is one XML file of some 570 MB, usually inside a zip. ``find_fiche(path, n)``
and ``iter_fiche_chunks(path)`` cut the stream into the raw bytes of each fiche and parse only
those asked for (``fiche.py`` reads them). Every fault of the file raises ``ExportError`` with a
French sentence for staff.
"""
from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError, fromstring

from .fiche import FICHE_TAG, ROOT_TAG, ExportError, Fiche, fiche_from_element


def find_fiche(path: Path | str, number: int) -> Fiche | None:
    """The fiche RNCP ``number``, reading no further than needed (fast scan, see below)."""
    needle = b"RNCP%d" % number
    for chunk in iter_fiche_chunks(path):
        if needle in chunk.data and chunk.number() == number:
            fiche = chunk.fiche()
            if fiche.number == number:  # the bytes misled the scan: trust the parsed fiche
                return fiche
    return None


# -- fast scan ---------------------------------------------------------------------------------
# Parsing the whole export with ElementTree runs at about 8 MB/s on the staff machine (over a
# minute for the daily file), while finding a fiche's boundaries and its numbers in the raw
# bytes runs at hundreds of MB/s. ``iter_fiche_chunks`` therefore cuts the stream into the raw
# bytes of each ``<FICHE>…</FICHE>`` (one at a time: bounded memory) and the callers parse with
# ElementTree only the fiches they need. Truncation, a file that is not XML or not an export,
# and a fiche that does not parse are still reported; what is not checked is the well-formedness
# of fiches nobody asked for (``read_fiches`` checks everything).
#
# The scan is linear in time and memory whatever the bytes: it moves forward only, from one
# markup token to the next (``_Tokens``: each needle's next occurrence is remembered with how far
# it was searched), and while it waits for the end of a token (``-->``, ``]]>``, ``?>``, ``>``)
# it remembers where it stopped and looks back at most a few bytes when more arrive.
# Comments, CDATA sections and processing instructions are skipped as wholes, so a ``<FICHE>``
# or a ``</FICHE>`` written inside one cuts nothing. Bytes before the last kept position are
# dropped, except those of the fiche being read (at most ``_LONGEST_FICHE``).

_SCAN_BLOCK = 1 << 20
_LONGEST_FICHE = 64 << 20   # real fiches are well under 1 MB; beyond this the file is broken
_LOOKBACK = 16              # longer than any token's opening (``<![CDATA[``, ``</FICHES``)
_BOM = b"\xef\xbb\xbf"
_SPACE = b" \t\r\n"
# What starts a token the scan acts on, in each part of the file (see ``_Tokens``).
_NEEDLES = {"prolog": (b"<",), "body": (b"<FICHE", b"</FICHES", b"<!", b"<?"),
            "fiche": (b"</FICHE", b"<!", b"<?"), "trailer": (b"<",)}
_NAME = re.compile(rb"<([A-Za-z_][\w:.-]{0,63})")
_HIDDEN_KINDS = (b"!--", b"![CDATA[", b"?")
_ENDS = {b"!--": b"-->", b"![CDATA[": b"]]>", b"?": b"?>", b"!": b">"}
_ENCODING = re.compile(rb"^[ \t\r\n]*<\?xml[^<>]*?encoding=[\"']([A-Za-z0-9._:-]{1,40})[\"']")
# Numbers, read from the bytes of one fiche once comments and CDATA are set aside.
_OWN_NUMBER = re.compile(rb"<NUMERO_FICHE>\s*RNCP(\d+)\s*</NUMERO_FICHE>")
_CORRESPONDENCES_OPEN = re.compile(rb"<CORRESPONDANCES[\s>]")
_CORRESPONDENCES_CLOSE = b"</CORRESPONDANCES>"
_NEW = re.compile(rb"<ID_FICHE_NOUVELLE_CERTIFICATION>\s*RNCP(\d+)\s*<")
_OLD = re.compile(rb"<ID_FICHE_ANCIENNE_CERTIFICATION>\s*RNCP(\d+)\s*<")
_HIDDEN = re.compile(rb"<(!--|!\[CDATA\[|\?)")


class FicheChunk:
    """The raw bytes of one ``FICHE``; numbers read from the bytes, parsing on demand.
    ``encoding``: the codec of the bytes (None: UTF-8)."""

    def __init__(self, data: bytes, encoding: str | None, shown: str, hidden_parts: bool | None = None):
        self.data, self.encoding, self.shown = data, encoding, shown
        self._hidden_parts = hidden_parts   # comments, CDATA or PIs inside (None: not known)
        self._elements_only: bytes | None = None

    def _markup(self) -> bytes:
        """The bytes without comments and processing instructions, CDATA turned to plain text:
        what is left of ``<`` is markup."""
        if self._elements_only is None:
            hidden = self._hidden_parts
            if hidden is None:
                hidden = _find(self.data, b"<!", 0, len(self.data)) >= 0 or _find(self.data, b"<?", 0, len(self.data)) >= 0
            self._elements_only = _without_hidden_parts(self.data) if hidden else self.data
        return self._elements_only

    def _own_part(self) -> bytes:
        # a correspondence names other fiches in a NUMERO_FICHE of its own
        data = self._markup()
        return _without_correspondences(data) if b"<CORRESPONDANCES" in data else data

    def number(self) -> int | None:
        match = _OWN_NUMBER.search(self._own_part())
        return int(match.group(1)) if match else None

    def replaced_by(self) -> list[int]:
        return [int(n) for n in _NEW.findall(self._markup())]

    def replaces(self) -> list[int]:
        return [int(n) for n in _OLD.findall(self._markup())]

    def element(self) -> Element:
        try:
            # Decoded by Python, any codec it knows; a ``str`` makes expat read it as such.
            return fromstring(self.data if self.encoding is None else self.data.decode(self.encoding))
        except (ParseError, UnicodeError) as error:   # UnicodeError: also a UTF-16 stream without its BOM, punycode…
            number = self.number()
            raise ExportError(f"Dans « {self.shown} », la fiche {f'RNCP{number} ' if number else ''}n'est pas un "
                              f"XML lisible ({error}) : téléchargez à nouveau l'export du RNCP.") from None

    def fiche(self) -> Fiche:
        return fiche_from_element(self.element())


def _without_hidden_parts(data: bytes) -> bytes:
    """``data`` without comments and processing instructions, CDATA content escaped (one pass)."""
    kept, position = [], 0
    while (token := _HIDDEN.search(data, position)) is not None:
        kept.append(data[position:token.start()])
        end = data.find(_ENDS[token.group(1)], token.end())
        if end < 0:
            return b"".join(kept)
        if token.group(1) == b"![CDATA[":
            kept.append(data[token.end():end].replace(b"&", b"&amp;").replace(b"<", b"&lt;"))
        position = end + len(_ENDS[token.group(1)])
    kept.append(data[position:])
    return b"".join(kept)


def _without_correspondences(data: bytes) -> bytes:
    kept, position = [], 0
    while (start := _CORRESPONDENCES_OPEN.search(data, position)) is not None:
        kept.append(data[position:start.start()])
        end = data.find(_CORRESPONDENCES_CLOSE, start.end())
        if end < 0:
            return b"".join(kept)
        position = end + len(_CORRESPONDENCES_CLOSE)
    kept.append(data[position:])
    return b"".join(kept)


def iter_fiche_chunks(path: Path | str) -> Iterator[FicheChunk]:
    """Each ``FICHE`` of the export as raw bytes, in file order."""
    path = Path(path)
    with _open_export(path) as (stream, shown):
        try:
            stream, codec = _scannable(stream, shown)
            yield from _chunks(stream, shown, codec)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ExportError(f"L'archive « {path} » est endommagée ({error}) : téléchargez-la à nouveau.") from None


def _truncated(shown: str) -> ExportError:
    return ExportError(f"« {shown} » est tronqué (la fin du fichier manque) : le téléchargement a sans "
                       "doute été interrompu ; téléchargez à nouveau l'export du RNCP.")


def _not_xml(shown: str) -> ExportError:
    return ExportError(f"« {shown} » n'est pas un XML lisible : vérifiez qu'il s'agit bien de l'export XML du "
                       "RNCP (format 4.1), ou téléchargez-le à nouveau.")


def _chunks(stream, shown: str, encoding: str | None) -> Iterator[FicheChunk]:
    """The scan: prolog (up to the root ``<FICHES>``), body (between fiches), fiche, trailer
    (after ``</FICHES>``: only spaces, comments and processing instructions)."""
    buffer = bytearray(stream.read(_SCAN_BLOCK))
    if buffer.startswith(_BOM):
        del buffer[:len(_BOM)]
    tokens = _Tokens(buffer)
    part, position, ended = "prolog", 0, False
    waiting_for: bytes | None = None   # the end of the token being skipped…
    search_from = 0                    # …and where to look for it next
    after_wait = None                  # what that end means: None, "fiche end", "root end"
    fiche_start, fiche_hidden = -1, False
    while True:
        if waiting_for is not None:
            end = buffer.find(waiting_for, search_from)
            if end >= 0:
                position, waiting_for = end + len(waiting_for), None
                if after_wait == "fiche end":
                    with memoryview(buffer) as view:   # one copy; released before the buffer changes
                        data = bytes(view[fiche_start:position])
                    yield FicheChunk(data, encoding, shown, fiche_hidden)
                    part, fiche_start = "body", -1
                elif after_wait == "root end":
                    part = "trailer"
                continue
            search_from = max(search_from, len(buffer) - len(waiting_for) + 1)
        else:
            token = tokens.next(part, position)
            if token is not None and (ended or token.start + _LOOKBACK < len(buffer)):
                if part in ("prolog", "trailer") and buffer[position:token.start].strip(_SPACE):
                    raise _not_xml(shown) if part == "prolog" else _trailing_data(shown)
                kind = token.kind
                position = token.end
                if kind is None:   # looked like one, is not (<FICHEX…): read on
                    continue
                if kind in _ENDS:
                    if kind == b"![CDATA[" and part == "prolog":
                        raise _not_xml(shown)
                    fiche_hidden = fiche_hidden or part == "fiche"
                    waiting_for, search_from, after_wait = _ENDS[kind], position, None
                elif part == "prolog":
                    if kind in (b"/", b""):
                        raise _not_xml(shown)
                    if kind != ROOT_TAG.encode():
                        raise ExportError(f"« {shown} » n'est pas un export du RNCP : il commence par "
                                          f"<{kind.decode(errors='replace')}> au lieu de <{ROOT_TAG}>.")
                    part = "body"
                elif part == "body" and kind == FICHE_TAG.encode():
                    part, fiche_start, fiche_hidden = "fiche", token.start, False
                elif part == "trailer":
                    raise _trailing_data(shown)
                else:   # </FICHE or </FICHES: skip to the closing ">"
                    waiting_for, search_from = b">", position
                    after_wait = "fiche end" if part == "fiche" else "root end"
                continue
            if token is None:   # nothing to act on before the last few bytes
                if part in ("prolog", "trailer") and buffer[position:len(buffer) - _LOOKBACK].strip(_SPACE):
                    raise _not_xml(shown) if part == "prolog" else _trailing_data(shown)
                position = max(position, len(buffer) - _LOOKBACK)
        if ended:
            if part == "trailer" and waiting_for is None:
                if buffer[position:].strip(_SPACE):
                    raise _trailing_data(shown)
                return
            if part == "prolog":
                raise _not_xml(shown)
            raise _truncated(shown)
        if part == "fiche" and len(buffer) - fiche_start > _LONGEST_FICHE:
            raise ExportError(f"« {shown} » contient une fiche de plus de {_LONGEST_FICHE >> 20} Mo sans fin "
                              "(</FICHE> manquant) : le fichier est endommagé ; téléchargez à nouveau l'export du RNCP.")
        # drop what is behind, read on
        keep = fiche_start if part == "fiche" else (search_from if waiting_for is not None else position)
        del buffer[:keep]
        tokens.dropped(keep)
        position = max(position - keep, 0)
        search_from = max(search_from - keep, 0)
        if fiche_start >= 0:
            fiche_start -= keep
        more = stream.read(_SCAN_BLOCK)
        ended = not more
        buffer += more


def _find(buffer: bytes | bytearray, needle: bytes, start: int, end: int) -> int:
    """``buffer.find(needle, start, end)``; for ``<!`` and ``<?`` (searched through every fiche,
    where "<" is everywhere) first by their rare second byte, at memchr speed."""
    if len(needle) != 2:
        return buffer.find(needle, start, end)
    rare = buffer.find(needle[1:], start + 1, end)
    if rare < 0 or buffer[rare - 1] == needle[0]:
        return rare - 1 if rare >= 0 else -1
    return buffer.find(needle, rare, end)   # a "!" in text: the plain search from there


class _Token:
    __slots__ = ("start", "kind", "end")

    def __init__(self, start: int, kind: bytes | None, end: int):
        self.start, self.kind, self.end = start, kind, end


class _Tokens:
    """The next token of a part of the file at or after a position, in ``buffer`` (which grows at
    its end and is cut at its start, told by ``dropped``). Each needle's next occurrence is
    remembered with how far it was searched, so no byte is searched twice for the same needle,
    whatever the order tokens are asked for in. The searches are ``bytes.find`` (C speed): first
    the part's main needle (``</FICHE`` in a fiche), then the others only up to it."""

    def __init__(self, buffer: bytearray):
        self.buffer = buffer
        self.found: dict[bytes, int] = {}       # needle -> next occurrence (-1: none yet)
        self.searched_to: dict[bytes, int] = {}  # needle -> searched up to here

    def _next(self, needle: bytes, position: int, limit: int) -> int:
        found = self.found.get(needle, -1)
        if found >= position:
            return found if found < limit else -1
        start = max(position, self.searched_to.get(needle, 0))
        found = _find(self.buffer, needle, start, limit)
        self.found[needle] = found
        # not found: an occurrence may straddle the limit (the end of what has been read so far)
        self.searched_to[needle] = found + 1 if found >= 0 else max(start, limit - len(needle) + 1)
        return found

    def dropped(self, count: int) -> None:
        for needle, found in self.found.items():
            self.found[needle] = found - count if found >= count else -1
            self.searched_to[needle] = max(self.searched_to[needle] - count, 0)

    def next(self, part: str, position: int) -> _Token | None:
        buffer = self.buffer
        main, *others = _NEEDLES[part]
        first = self._next(main, position, len(buffer))
        limit = len(buffer) if first < 0 else min(len(buffer), first + _LOOKBACK)
        starts = [start for start in (self._next(needle, position, limit) for needle in others) if start >= 0]
        if first >= 0:
            starts.append(first)
        if not starts:
            return None
        start = min(starts)
        head = bytes(buffer[start:start + 9])
        for kind in _HIDDEN_KINDS:
            if head.startswith(b"<" + kind):
                return _Token(start, kind, start + 1 + len(kind))
        if part == "prolog":
            if head.startswith((b"<!", b"</")):
                return _Token(start, head[1:2], start + 2)
            name = _NAME.match(buffer, start)
            return _Token(start, name.group(1), name.end()) if name else _Token(start, b"", start + 1)
        if part == "trailer":
            return _Token(start, b"", start + 1)
        for tag in ((b"/FICHE",) if part == "fiche" else (b"FICHE", b"/FICHES")):
            if head.startswith(b"<" + tag) and head[len(tag) + 1:len(tag) + 2] in (b" ", b"\t", b"\r", b"\n", b">"):
                return _Token(start, tag, start + 1 + len(tag))
        return _Token(start, None, start + 2)


def _trailing_data(shown: str) -> ExportError:
    return ExportError(f"« {shown} » contient autre chose que des espaces ou des commentaires après la fin de "
                       f"l'export (</{ROOT_TAG}>) : le fichier est endommagé ; téléchargez à nouveau l'export du RNCP.")


# -- encodings -----------------------------------------------------------------------------------
# France compétences exports in UTF-8; any other encoding Python knows is read too. Encodings
# whose markup bytes are ASCII (ISO-8859-1, Windows-1252, Shift_JIS…) are scanned as they are and
# each parsed fiche is decoded by Python; the others (UTF-16, UTF-32, EBCDIC…) are re-encoded to
# UTF-8 as they stream. An encoding Python does not know gets one sentence.

_HEAD = 4096
_ASCII_PROBE = b'<?xml version="1.0" encoding="x"?><!-- --><![CDATA[]]></FICHES> \t\r\nAZaz09_:.-&;#'
_STATEFUL = ("iso2022", "utf_7", "utf-7", "hz")   # may hide "<" inside shifted text


def _codec(head: bytes, shown: str) -> str | None:
    """The export's codec (Python's name), from its byte-order mark or XML declaration;
    None for UTF-8."""
    for mark, codec in ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"), (_BOM, None),
                        (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"),
                        (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be")):
        if head.startswith(mark):
            return codec
    if head.startswith(b"\x4c\x6f\xa7\x94"):   # "<?xm" in EBCDIC: read the declaration through cp037
        head = head.decode("cp037").encode("ascii", "replace")
    declared = _ENCODING.match(head)
    if declared is None:
        return None
    name = declared.group(1).decode("ascii")
    try:
        info = codecs.lookup(name)
        if not getattr(info, "_is_text_encoding", True):
            raise LookupError(name)
    except LookupError:
        raise ExportError(f"« {shown} » est encodé en « {name} », un encodage non pris en charge : exportez-le "
                          "en UTF-8 (l'encodage de l'export de France compétences), ou téléchargez-le à "
                          "nouveau.") from None
    return None if info.name == "utf-8" else info.name


def _ascii_markup(codec: str) -> bool:
    try:
        text = _ASCII_PROBE.decode(codec)
        same = text == _ASCII_PROBE.decode("ascii") and text.encode(codec) == _ASCII_PROBE
    except (UnicodeError, LookupError):
        return False
    return same and not codec.replace("-", "_").startswith(_STATEFUL)


def _scannable(stream, shown: str):
    """(a byte stream whose markup is ASCII, the codec of its bytes: None for UTF-8)."""
    head = stream.read(_HEAD)
    codec = _codec(head, shown)
    stream = _Prefixed(head, stream)
    if codec is None or _ascii_markup(codec):
        return stream, codec
    return _Recoded(stream, codec, shown, to_text=False), None

class _Prefixed:
    """``head`` (already read) then the rest of ``stream``."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data + self.stream.read(size - len(data)) if size > len(data) else data
        return self.stream.read(size)


class _Recoded:
    """A stream decoded with ``codec`` as it is read; gives text, or UTF-8 bytes."""

    def __init__(self, stream, codec: str, shown: str, to_text: bool):
        self.stream, self.codec, self.shown, self.to_text = stream, codec, shown, to_text
        self.decoder = codecs.getincrementaldecoder(codec)()

    def read(self, size: int = -1):
        while True:
            data = self.stream.read(size)
            try:
                text = self.decoder.decode(data, final=not data)
            except UnicodeError:   # not only UnicodeDecodeError: « UTF-16 stream does not start with BOM »
                raise ExportError(f"« {self.shown} » n'est pas lisible dans l'encodage qu'il déclare "
                                  f"({self.codec}) : téléchargez à nouveau l'export du RNCP.") from None
            if text or not data:
                return text if self.to_text else text.encode("utf-8")


class _open_export:
    """Context manager: (binary stream of the XML, name to show), from .xml or .zip."""

    def __init__(self, path: Path):
        self.path = path
        self._closers = []

    def __enter__(self):
        path = self.path
        if not path.exists():
            raise ExportError(f"Fichier introuvable : « {path} ». Indiquez le chemin de l'export du RNCP "
                              "(fichier .xml ou .zip téléchargé sur data.gouv.fr).")
        if path.is_dir():
            raise ExportError(f"« {path} » est un dossier : indiquez le fichier de l'export du RNCP (.xml ou .zip).")
        if not path.is_file():   # a FIFO would make the read wait for ever, a device never end
            raise ExportError(f"« {path} » n'est pas un fichier ordinaire (tube, socket ou périphérique) : indiquez "
                              "le fichier de l'export du RNCP (.xml ou .zip).")
        try:
            if path.stat().st_size == 0:
                raise ExportError(f"« {path} » est vide : téléchargez à nouveau l'export du RNCP.")
            with open(path, "rb") as probe:
                is_zip = probe.read(4) == b"PK\x03\x04"
            if not is_zip:
                stream = open(path, "rb")
                self._closers.append(stream)
                return stream, str(path)
            archive = zipfile.ZipFile(path)
            self._closers.append(archive)
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".xml") and not m.is_dir()]
            if not members:
                names = ", ".join(m.filename for m in archive.infolist()) or "aucun fichier"
                raise ExportError(f"L'archive « {path} » ne contient pas de fichier XML ({names}) : ce n'est pas "
                                  "l'export du RNCP attendu.")
            member = max(members, key=lambda m: m.file_size)
            stream = archive.open(member)
            self._closers.append(stream)
            return stream, f"{path} › {member.filename}"
        except ExportError:
            self._close()
            raise
        except zipfile.BadZipFile as error:
            self._close()
            raise ExportError(f"L'archive « {path} » est endommagée ({error}) : téléchargez-la à nouveau.") from None
        except OSError as error:
            self._close()
            raise ExportError(f"Impossible de lire « {path} » : {error.strerror or error}.") from None

    def _close(self):
        for closer in reversed(self._closers):
            closer.close()
        self._closers.clear()

    def __exit__(self, *exc):
        self._close()
        return False
