"""``rncp fetch``: the newest RNCP export, downloaded from France compétences' dataset on data.gouv.fr.

Which file. The dataset's API page (``<api>/datasets/<dataset>/``) lists its ``resources``.
The export is the resource with the newest ``last_modified`` among those that
  - are XML, zipped or not: ``format`` (or, when empty, the file name's extension) is ``xml``
    or ``zip`` (a PDF « notice du format XML » is neither);
  - are not a table export: neither the format nor a word of the title or file name is
    ``csv``, ``xls``, ``xlsx``, ``json`` or ``ods`` (France compétences zips its CSV export too);
  - are not the Répertoire spécifique's alone: a title or file name with the word ``rs`` and
    without ``rncp`` is left out.
Equal dates: the first listed wins. ``choose_export`` applies the rule (tests/test_rncp_fetch.py).

How. The body streams to a hidden partial file beside the target (``.NAME.part``, with what
the server said of it in ``.NAME.part.json``) in 1 MiB pieces: memory stays bounded whatever
the size. An interrupted download is resumed by the next run with an HTTP ``Range`` request
(``If-Range`` makes a server whose file changed meanwhile send it whole). The size and the
checksum the API gives (sha256, sha1 or md5, read back in 1 MiB pieces) are checked before the
file replaces the target in one step (``safe_write.install_staged``). What was fetched is
remembered in ``.NAME.fetch.json``: the next run with the same checksum, or a server that
answers 304 to ``If-None-Match``/``If-Modified-Since``, downloads nothing.

Every network or server fault is a ``FetchError``: a French sentence, exit 1 (retry later)
or 2 (the address given is wrong); the target is never half-written.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import http.client
import json
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..errors import StaffError
from ..safe_write import FileBusy, file_lock, install_staged, kept_file

DEFAULT_API = "https://www.data.gouv.fr/api/1/"
SOURCE_VARIABLE = "RNCP_SOURCE"       # a mirror for every run (CI, tests), instead of --source
DEFAULT_DATASET = "repertoire-national-des-certifications-professionnelles-et-repertoire-specifique"
DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / ".cache" / "rncp"
CHUNK = 1 << 20
TIMEOUT_SECONDS = 60
CHECKSUMS = {"sha256", "sha1", "md5"}
_TABLE_WORDS = {"csv", "xls", "xlsx", "json", "ods"}
_WORD = re.compile(r"[a-z0-9]+")
USER_AGENT = "catalogue-formations (rncp fetch)"


class FetchError(StaffError):
    """A network or server fault: retry later (exit 1)."""

    exit_code = 1


class FetchAddressError(FetchError):
    """The address given (``--source``, ``--dataset``) does not lead to a dataset (exit 2)."""

    exit_code = 2


@dataclass
class Resource:
    title: str
    url: str
    format: str
    last_modified: _dt.datetime
    filesize: int | None
    checksum: tuple[str, str] | None     # (type, hex value), type in CHECKSUMS

    @property
    def file_name(self) -> str:
        name = urllib.parse.unquote(Path(urllib.parse.urlsplit(self.url).path).name)
        return name if name and not name.startswith(".") else "export-rncp.zip"


@dataclass
class Outcome:
    path: Path
    downloaded: int          # bytes received by this run (0: already up to date)
    resumed_from: int = 0    # bytes kept from an interrupted run


# -- the dataset and the rule --------------------------------------------------------------

def dataset_url(api: str, dataset: str) -> str:
    return f"{api.rstrip('/')}/datasets/{urllib.parse.quote(dataset, safe='')}/"


def _words(resource: dict) -> set[str]:
    name = Path(urllib.parse.urlsplit(str(resource.get("url") or "")).path).name
    return set(_WORD.findall(f"{resource.get('title') or ''} {name}".lower()))


def is_xml_export(resource: dict) -> bool:
    """The rule of the module's docstring, for one resource of the API's JSON."""
    fmt = str(resource.get("format") or "").strip().lower().lstrip(".")
    extension = Path(urllib.parse.urlsplit(str(resource.get("url") or "")).path).suffix.lower().lstrip(".")
    kind = fmt or extension
    words = _words(resource)
    table = fmt in _TABLE_WORDS or bool(words & _TABLE_WORDS)
    only_rs = "rs" in words and "rncp" not in words
    return kind in ("xml", "zip") and not table and not only_rs


def _shape_error(url: str, what: str) -> FetchError:
    return FetchError(f"la réponse de {url} n'a pas la forme d'un jeu de données data.gouv.fr ({what}) : "
                      "vérifiez --source et --dataset, ou réessayez plus tard ; rien n'a été écrit.")


def _resource(raw: dict, url: str) -> Resource:
    if not isinstance(raw.get("url"), str) or not raw["url"].startswith(("http://", "https://")):
        raise _shape_error(url, f"ressource « {raw.get('title')} » sans adresse http(s)")
    try:
        modified = _dt.datetime.fromisoformat(str(raw.get("last_modified")))
    except ValueError:
        raise _shape_error(url, f"date « last_modified » illisible pour « {raw.get('title')} » : "
                                f"{raw.get('last_modified')!r}") from None
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=_dt.timezone.utc)
    size = raw.get("filesize")
    size = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None
    checksum = raw.get("checksum")
    pair = None
    if isinstance(checksum, dict) and isinstance(checksum.get("value"), str):
        kind = str(checksum.get("type") or "").lower().replace("-", "")
        if kind in CHECKSUMS and re.fullmatch(r"[0-9a-fA-F]+", checksum["value"]):
            pair = (kind, checksum["value"].lower())
    return Resource(str(raw.get("title") or ""), raw["url"], str(raw.get("format") or ""), modified, size, pair)


def choose_export(dataset: object, url: str) -> Resource:
    """The newest XML export of the dataset's JSON (see the module's docstring)."""
    if not isinstance(dataset, dict) or not isinstance(dataset.get("resources"), list):
        raise _shape_error(url, "pas de liste « resources »")
    resources = dataset["resources"]
    if not all(isinstance(r, dict) for r in resources):
        raise _shape_error(url, "une ressource n'est pas un objet JSON")
    candidates = [_resource(r, url) for r in resources if is_xml_export(r)]
    if not candidates:
        titles = ", ".join(f"« {r.get('title')} » ({r.get('format')})" for r in resources[:8]) or "aucune"
        raise FetchError(f"le jeu de données {url} ne contient aucun export XML du RNCP parmi ses "
                         f"{len(resources)} ressource(s) ({titles}) : vérifiez --dataset ; rien n'a été écrit.")
    newest = max(c.last_modified for c in candidates)
    return next(c for c in candidates if c.last_modified == newest)


# -- HTTP ----------------------------------------------------------------------------------

def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _open(url: str, headers: dict[str, str], what: str, address_error: bool = False):
    """The response, or HTTPError 304/416 handed back to the caller; every other fault: a sentence."""
    if not url.startswith(("http://", "https://")):
        raise FetchAddressError(f"adresse « {url} » invalide : une adresse http:// ou https:// est attendue (--source).")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        if error.code in (304, 416):
            return error
        error.close()
        if error.code == 404:
            kind = FetchAddressError if address_error else FetchError
            hint = ("vérifiez l'adresse de l'API (--source) et le jeu de données (--dataset)" if address_error
                    else "le jeu de données est peut-être en cours de mise à jour : relancez plus tard")
            raise kind(f"{what} : introuvable sur {_host(url)} (erreur 404) ; {hint}. Rien n'a été écrit.") from None
        if error.code >= 500:
            raise FetchError(f"{what} : le serveur {_host(url)} est en panne ou surchargé (erreur {error.code}) ; "
                             "réessayez plus tard. Rien n'a été écrit.") from None
        raise FetchError(f"{what} : le serveur {_host(url)} refuse la demande (erreur {error.code} {error.reason}). "
                         "Rien n'a été écrit.") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        raise _network_error(url, what, error) from None


def _network_error(url: str, what: str, error: BaseException, kept: str = "Rien n'a été écrit.") -> FetchError:
    reason = getattr(error, "reason", error)
    if isinstance(reason, (socket.timeout, TimeoutError)):
        cause = f"le serveur {_host(url)} ne répond plus depuis {TIMEOUT_SECONDS} s"
    elif isinstance(reason, socket.gaierror):
        cause = f"le nom {_host(url)} est introuvable (pas de connexion réseau ?)"
    elif isinstance(reason, ConnectionRefusedError):
        cause = f"{_host(url)} refuse la connexion (serveur arrêté ou adresse erronée ?)"
    else:
        cause = f"{_host(url)} est injoignable ou a coupé la connexion ({reason})"
    return FetchError(f"{what} : {cause}. Vérifiez la connexion réseau puis relancez. {kept}")


def read_dataset(api: str, dataset: str) -> tuple[str, object]:
    url = dataset_url(api, dataset)
    response = _open(url, {"Accept": "application/json"}, "jeu de données du RNCP", address_error=True)
    with response:
        if getattr(response, "status", 200) != 200:
            raise _shape_error(url, f"réponse HTTP {response.status}")
        try:
            body = response.read(16 << 20)   # a dataset page is a few hundred kB
        except (OSError, http.client.HTTPException) as error:
            raise _network_error(url, "jeu de données du RNCP", error) from None
    try:
        return url, json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _shape_error(url, "ce n'est pas du JSON") from None


# -- what was fetched before -----------------------------------------------------------------

def record_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.fetch.json")


def partial_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.part")


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict) -> None:
    with kept_file(path) as kept:
        kept.replace(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), keep_backup=False)


def _unlink(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


# -- progress --------------------------------------------------------------------------------

def megabytes(count: int) -> str:
    return f"{count / 1e6:,.1f}".replace(",", "\u202f").replace(".", ",") + " Mo"


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


class Progress:
    """« 12,3 / 570,0 Mo — 4,5 Mo/s — reste 2 min 01 s » on a terminal, redrawn 5 times a second."""

    def __init__(self, total: int | None, start: int, stream):
        self.total, self.done, self.stream = total, start, stream
        self.first, self.began, self.drawn = start, time.monotonic(), 0.0

    def add(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.drawn >= 0.2:
            self.drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        speed = (self.done - self.first) / max(now - self.began, 1e-6)
        line = megabytes(self.done) + (f" / {megabytes(self.total)}" if self.total else "")
        line += f" — {megabytes(int(speed))}/s"
        if self.total and speed > 0:
            line += f" — reste {duration((self.total - self.done) / speed)}"
        self.stream.write(f"\r{line}\033[K")
        self.stream.flush()

    def close(self) -> None:
        self._draw(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()


def progress_wanted(stream) -> bool:
    return stream.isatty() and not os.environ.get("CI")


# -- the download --------------------------------------------------------------------------

def fetch_export(api: str = DEFAULT_API, dataset: str = DEFAULT_DATASET, output: Path | None = None,
                 progress_stream=None) -> Outcome:
    """Download the newest XML export (or find it already there); return where it is."""
    url, data = read_dataset(api, dataset)
    resource = choose_export(data, url)
    directory = DEFAULT_DIRECTORY if output is None else None
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / resource.file_name
    else:
        target = Path(output)
        if target.is_dir():
            target = target / resource.file_name
        if not target.parent.is_dir():
            raise FetchAddressError(f"impossible d'écrire « {target} » : le dossier « {target.parent} » n'existe pas.")
    try:
        with file_lock(partial_path(target), wait=0):
            outcome = _fetch_locked(resource, target, progress_stream)
    except FileBusy:
        raise FetchError(f"un autre « rncp fetch » télécharge déjà « {target} » : attendez qu'il finisse "
                         "puis relancez.") from None
    if directory is not None:
        _forget_older(directory, target)
    return outcome


def _fetch_locked(resource: Resource, target: Path, progress_stream) -> Outcome:
    record = _read_json(record_path(target))
    headers = {"Accept-Encoding": "identity"}
    known = (target.is_file() and record.get("url") == resource.url
             and record.get("size") == target.stat().st_size)
    if known and resource.checksum and record.get("checksum") == list(resource.checksum):
        return Outcome(target, 0)
    if known and not resource.checksum:
        if record.get("etag"):
            headers["If-None-Match"] = record["etag"]
        if record.get("last_modified"):
            headers["If-Modified-Since"] = record["last_modified"]

    part, part_info = partial_path(target), target.with_name(f".{target.name}.part.json")
    info = _read_json(part_info)
    offset = part.stat().st_size if part.is_file() and info.get("url") == resource.url else 0
    etag = info.get("etag") or ""
    validator = etag if etag and not etag.startswith("W/") else info.get("last_modified")
    if offset and (validator or resource.checksum):   # resumable: the server or the checksum vouches
        headers["Range"] = f"bytes={offset}-"
        if validator:
            headers["If-Range"] = validator
        for conditional in ("If-None-Match", "If-Modified-Since"):
            headers.pop(conditional, None)
    else:
        offset = 0

    response = _open(resource.url, headers, f"export du RNCP « {resource.file_name} »")
    with response:
        if response.status == 304:
            return Outcome(target, 0)
        if response.status == 416:   # nothing left to send: the partial file may be whole already
            total = _range_total(response.headers.get("Content-Range"))
            if total is None or total != offset:
                _unlink(part, part_info)
                raise FetchError(f"export du RNCP « {resource.file_name} » : le serveur refuse de reprendre le "
                                 "téléchargement (erreur 416) ; la partie reçue est effacée, relancez.")
            received = 0
        else:
            if response.status == 206 and _range_start(response.headers.get("Content-Range")) == offset:
                mode = "ab"
            else:
                offset, mode = 0, "wb"
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length and length.isdigit() else resource.filesize
            _write_json(part_info, {"url": resource.url, "etag": response.headers.get("ETag"),
                                    "last_modified": response.headers.get("Last-Modified")})
            received = _stream(response, part, mode, offset, total, resource, progress_stream)
    checked_size = part.stat().st_size
    _verify(part, part_info, checked_size, total, resource)
    _unlink(record_path(target))   # a crash after the swap must not leave an old record
    install_staged(part, target)
    _write_json(record_path(target), {
        "url": resource.url, "etag": info_value(part_info, "etag"),
        "last_modified": info_value(part_info, "last_modified"),
        "checksum": list(resource.checksum) if resource.checksum else None,
        "size": checked_size, "resource_last_modified": resource.last_modified.isoformat()})
    _unlink(part_info)
    return Outcome(target, received, offset)


def info_value(path: Path, key: str):
    return _read_json(path).get(key)


def _range_start(header: str | None) -> int | None:
    match = re.match(r"bytes (\d+)-", header or "")
    return int(match.group(1)) if match else None


def _range_total(header: str | None) -> int | None:
    match = re.search(r"/(\d+)$", header or "")
    return int(match.group(1)) if match else None


def _stream(response, part: Path, mode: str, offset: int, total: int | None, resource: Resource,
            progress_stream) -> int:
    progress = Progress(total, offset, progress_stream) if progress_stream is not None else None
    received = 0
    try:
        with open(part, mode) as sink:
            while True:
                try:
                    piece = response.read(CHUNK)
                except http.client.IncompleteRead as error:
                    sink.write(error.partial)
                    received += len(error.partial)
                    piece = b""
                except (OSError, http.client.HTTPException) as error:
                    sink.flush()
                    raise _network_error(resource.url, f"export du RNCP « {resource.file_name} »", error,
                                         kept=f"Les {megabytes(offset + received)} reçus sont gardés : la "
                                              "prochaine exécution reprendra là où celle-ci s'est arrêtée.") from None
                if not piece:
                    break
                sink.write(piece)
                received += len(piece)
                if progress:
                    progress.add(len(piece))
    finally:
        if progress:
            progress.close()
    if total is not None and offset + received < total:
        raise FetchError(f"export du RNCP « {resource.file_name} » : le téléchargement s'est interrompu après "
                         f"{megabytes(offset + received)} sur {megabytes(total)}. La partie reçue est gardée : "
                         "relancez, la commande reprendra là où elle s'est arrêtée.")
    return received


def _verify(part: Path, part_info: Path, size: int, total: int | None, resource: Resource) -> None:
    """Size and checksum of the whole partial file before it replaces anything; a wrong file is deleted."""
    expected = resource.filesize if resource.filesize is not None else total
    problem = None
    if expected is not None and size < expected:
        raise FetchError(f"export du RNCP « {resource.file_name} » : le téléchargement s'est arrêté après "
                         f"{megabytes(size)} sur {megabytes(expected)}. La partie reçue est gardée : relancez, "
                         "la commande reprendra là où elle s'est arrêtée.")
    if expected is not None and size != expected:
        problem = (f"le fichier reçu fait {size} octets, data.gouv.fr en annonce {expected}")
    elif resource.checksum:
        kind, value = resource.checksum
        digest = hashlib.new(kind)
        with open(part, "rb") as source:
            for piece in iter(lambda: source.read(CHUNK), b""):
                digest.update(piece)
        if digest.hexdigest() != value:
            problem = (f"son empreinte {kind} ({digest.hexdigest()[:16]}…) n'est pas celle annoncée par "
                       f"data.gouv.fr ({value[:16]}…)")
    if problem:
        _unlink(part, part_info)
        raise FetchError(f"export du RNCP « {resource.file_name} » : {problem}. Le fichier est corrompu ou a changé "
                         "pendant le téléchargement : il a été supprimé, aucun fichier n'a été remplacé. Relancez.")


def _forget_older(directory: Path, keep: Path) -> None:
    """In the default folder, exports fetched earlier (with their record) go: one export is kept."""
    for record in directory.glob(".*.fetch.json"):
        name = record.name[1:-len(".fetch.json")]
        if name != keep.name:
            _unlink(directory / name, record)


def describe(outcome: Outcome, seconds: float) -> str:
    if not outcome.downloaded and not outcome.resumed_from:
        return f"Export du RNCP déjà à jour : « {outcome.path} » (rien n'a été téléchargé)."
    resumed = f", reprise après {megabytes(outcome.resumed_from)} déjà reçus" if outcome.resumed_from else ""
    return (f"Export du RNCP téléchargé : « {outcome.path} » ({megabytes(outcome.downloaded)} reçus en "
            f"{duration(seconds)}{resumed}).")


def progress_stream():
    return sys.stderr if progress_wanted(sys.stderr) else None
