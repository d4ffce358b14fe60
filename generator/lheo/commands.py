"""``python -m generator lheo [-o FICHIER] [--today AAAA-MM-JJ]``: the offer as LHÉO 2.3 XML."""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from ..errors import StaffError
from . import lheo_document


def _mode_for(path: Path) -> int:
    """The permissions the file keeps (or a new file would get under the user's umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_all_or_nothing(path: Path, data: bytes) -> None:
    """Replace ``path`` at once: a temporary file in the same directory, flushed to disk, then
    renamed over it. An interruption leaves the previous file (or none), never part of one.
    (Minimal local helper: the shared generator/safe_write.py was not on main yet.)"""
    directory = path.resolve().parent
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise StaffError(f"Impossible d'écrire dans le dossier « {directory} » : {error.strerror}.") from None
    try:
        os.fchmod(descriptor, _mode_for(path))   # mkstemp makes it private (0600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise StaffError(f"Impossible d'écrire « {path} » : {error.strerror} ; le fichier précédent "
                             "est inchangé.") from None
        raise


def cmd_lheo(args) -> int:
    from ..catalogue import load_catalogue
    from ..cli import _today
    catalogue = load_catalogue(args.catalogue)
    try:
        document = lheo_document(catalogue, _today(args.today))
    except StaffError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    if args.output is None:
        sys.stdout.buffer.write(document)
        return 0
    try:
        write_all_or_nothing(Path(args.output), document)
    except StaffError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    names = ", ".join(entry.id for entry in catalogue.programmes)
    print(f"Offre LHÉO 2.3 écrite dans {args.output} ({len(catalogue.programmes)} formation(s) : {names}).", file=sys.stderr)
    return 0


def register(commands) -> None:
    lheo = commands.add_parser("lheo", help="exporter l'offre de formation au format LHÉO 2.3 (XML)")
    lheo.add_argument("--output", "-o", help="fichier XML à écrire (par défaut : sortie standard)")
    lheo.add_argument("--today", help="date de référence AAAA-MM-JJ : les sessions commencées avant sont omises")
    lheo.set_defaults(run=cmd_lheo)
