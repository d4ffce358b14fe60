"""Reading a file a command was given (answers, applicants' CSV) with a size limit: a file, a pipe
(``<(…)``) or standard input (``-``), never more than ``limit`` bytes held in memory."""
from __future__ import annotations

import os
import stat
import sys

from .errors import UsageError


def read_bytes(source: str, limit: int, what: str) -> bytes:
    """The bytes of ``source`` (``-``: standard input), or ``UsageError`` when it holds more than
    ``limit`` bytes (``what``: « Les réponses », « Le CSV des candidats »…) or cannot be read."""
    shown = "l'entrée standard" if source == "-" else f"« {source} »"
    too_big = UsageError(f"{what} ({shown}) dépassent {_size(limit)} : ce n'est pas un fichier attendu par "
                         "cette commande (vérifiez le fichier donné) ; rien n'a été évalué.")
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            status = os.stat(source)
            if stat.S_ISDIR(status.st_mode):
                raise UsageError(f"{what} : « {source} » est un dossier ; indiquez un fichier.")
            if stat.S_ISREG(status.st_mode) and status.st_size > limit:
                raise too_big   # refused before anything is read
            with open(source, "rb") as stream:
                data = stream.read(limit + 1)
        except OSError as error:
            raise UsageError(f"Impossible de lire {shown} : {error.strerror or error}.") from None
    if len(data) > limit:
        raise too_big
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} Mo" if limit >= 1024 * 1024 else f"{limit // 1024} Ko"
