"""Replacing a file the user keeps, all at once or not at all.

Every command that writes such a file (``rncp update``, ``evaluate-batch -o``…) goes through
``kept_file``::

    with kept_file(path) as target:          # lock taken, current content read
        new = transform(target.original)     # bytes, or None when the file did not exist
        backup = target.replace(new, validate=check)

``replace`` writes a temporary file in the same directory (``.NAME.XXXX.tmp``), fsyncs it,
validates it *before* anything is replaced, checks that the file did not change since it was
read, keeps the previous version as ``NAME.bak`` (a hard link to the old file, so the old
bytes are never copied nor half-written), ``os.replace``-s the new file in and fsyncs the
directory. An interruption at any point leaves the old file or the new one, never a third
state; a stray temporary file is removed on the way out (even on Ctrl-C).

The lock is an advisory ``fcntl.flock`` on ``.NAME.lock`` beside the file, held from the
read to the replace: a second writer waits up to ``LOCK_WAIT_SECONDS`` then is refused with a
sentence. The lock file is left in place (removing it would let two writers lock two files).

For tests only: ``GENERATOR_SAFE_WRITE_PAUSE=STEP:SECONDS`` sleeps at a named step
(``locked``, ``written``, ``synced``, ``validated``, ``backed-up``, ``replaced``) so that a
test can interrupt the command exactly there (it prints ``safe_write: pause STEP`` on
standard error first). A writer killed outright (SIGKILL, power cut) may leave its hidden
temporary file: the next writer of the same file removes it under the lock; the catalogue
loader skips hidden files anyway.
"""
from __future__ import annotations

import errno
import fcntl
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from glob import escape as glob_escape
from typing import Callable

from .errors import StaffError

LOCK_WAIT_SECONDS = 5.0
BACKUP_SUFFIX = ".bak"
PAUSE_VARIABLE = "GENERATOR_SAFE_WRITE_PAUSE"


class FileBusy(StaffError):
    exit_code = 1


class FileChanged(StaffError):
    exit_code = 1


class WriteFailed(StaffError):
    exit_code = 1


class SameFile(StaffError):
    exit_code = 2


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def refuse_same_file(source: Path | str, output: Path | str, what: str = "la sortie") -> None:
    """An output that is the input would destroy the input while it is read: refused."""
    source, output = Path(source), Path(output)
    same = source.resolve() == output.resolve()
    if not same and source.exists() and output.exists():
        same = os.path.samefile(source, output)
    if same:
        _refuse(output, what)


def refuse_same_as_stdin(output: Path | str, what: str = "la sortie") -> None:
    """``- -o a.csv < a.csv``: standard input read from the very file to be written."""
    try:
        stdin, target = os.fstat(0), os.stat(output)
    except OSError:
        return
    if (stdin.st_dev, stdin.st_ino) == (target.st_dev, target.st_ino):
        _refuse(output, what)


def _refuse(output, what: str) -> None:
    raise SameFile(f"{what} est le fichier lu lui-même : il serait écrasé pendant sa lecture. "
                       "Choisissez un autre nom de fichier de sortie ; rien n'a été écrit.", output)


def _pause(step: str) -> None:
    wanted = os.environ.get(PAUSE_VARIABLE)
    if wanted and wanted.partition(":")[0] == step:
        print(f"safe_write: pause {step}", file=sys.stderr, flush=True)
        time.sleep(float(wanted.partition(":")[2] or 1))


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _os_sentence(error: OSError, doing: str) -> str:
    if error.errno == errno.ENOSPC:
        return f"{doing} : le disque est plein. Libérez de la place puis relancez ; le fichier n'a pas été modifié."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{doing} : écriture refusée ({error.strerror}). Vérifiez les droits du dossier ; le fichier n'a pas été modifié."
    return f"{doing} : {error.strerror or error}. Le fichier n'a pas été modifié."


@dataclass
class _Fingerprint:
    content: bytes | None

    @classmethod
    def of(cls, path: Path) -> "_Fingerprint":
        try:
            return cls(path.read_bytes())
        except FileNotFoundError:
            return cls(None)


class KeptFile:
    """A file read under lock, to be replaced in one step. ``original``: its bytes, or None."""

    def __init__(self, path: Path):
        self.path = path
        self._read = _Fingerprint.of(path)
        self.original = self._read.content

    def replace(self, content: bytes, validate: Callable[[Path], None] | None = None,
                keep_backup: bool = True) -> Path | None:
        """Put ``content`` in place of the file; return the backup's path (None if there was
        no previous file or ``keep_backup`` is false). ``validate(temporary_path)`` raises
        (a StaffError) to refuse the content: then nothing is replaced."""
        path = self.path
        directory = path.parent
        temporary = None
        try:
            fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
            temporary = Path(name)
            try:
                os.fchmod(fd, self._mode())
                view = memoryview(content)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                _pause("written")
                os.fsync(fd)
            finally:
                os.close(fd)
            _pause("synced")
            if validate is not None:
                validate(temporary)
            _pause("validated")
            if _Fingerprint.of(path).content != self.original:
                raise FileChanged("le fichier a changé depuis sa lecture par cette commande (modifié par "
                                  "quelqu'un d'autre ou un éditeur ?) : rien n'a été écrit. Relancez la commande.", path)
            backup = None
            if keep_backup and self.original is not None:
                backup = backup_path(path)
                self._keep_backup(backup)
            _pause("backed-up")
            os.replace(temporary, path)
            temporary = None
            _pause("replaced")
            try:
                _fsync_directory(directory)
            except OSError:
                pass  # replaced already; this only hastens durability, and some file systems refuse it
            return backup
        except OSError as error:
            raise WriteFailed(_os_sentence(error, "écriture impossible"), path) from None
        finally:
            if temporary is not None:
                try:
                    temporary.unlink()
                except OSError:
                    pass

    def _keep_backup(self, backup: Path) -> None:
        """``backup`` becomes the previous version, in one step: a hard link to the old file
        itself (nothing copied), or where links are not allowed a copy written and synced
        first."""
        staged = backup.with_name(f".{backup.name}.{os.getpid()}.tmp")
        try:
            try:
                os.link(self.path, staged)
            except FileExistsError:
                os.unlink(staged)
                os.link(self.path, staged)
            except OSError as error:
                if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
                    raise
                with open(staged, "wb") as copy:
                    copy.write(self.original)
                    copy.flush()
                    os.fsync(copy.fileno())
            os.replace(staged, backup)
        finally:
            # Also after success: renaming a link onto another link to the same file (the
            # backup already is the current version) does nothing and leaves the source.
            try:
                os.unlink(staged)
            except OSError:
                pass

    def _mode(self) -> int:
        try:
            return os.stat(self.path).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            return 0o666 & ~umask


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of writers that were killed: under the lock, no live writer owns one."""
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass


@contextmanager
def kept_file(path: Path | str, wait: float | None = None):
    """Lock ``path`` (its lock file beside it), read it, yield a ``KeptFile``; unlock on exit.
    A link is followed: the file it points to is the one replaced, the link stays."""
    path = Path(os.path.realpath(path))
    with file_lock(path, wait):
        _remove_stale_temporaries(path)
        try:
            target = KeptFile(path)
        except OSError as error:
            raise WriteFailed(_os_sentence(error, "lecture impossible"), path) from None
        yield target


def install_staged(staged: Path | str, path: Path | str, wait: float | None = None) -> None:
    """The streaming variant, for files too big to hold in memory (a downloaded export): the
    caller wrote and checked ``staged`` in ``path``'s directory (a hidden name); under the
    same lock it is synced and renamed onto ``path`` in one step. Nothing is read back into
    memory and no backup is kept (the file can be downloaded again)."""
    staged, path = Path(staged), Path(os.path.realpath(path))
    with file_lock(path, wait):
        try:
            with open(staged, "rb+") as handle:
                os.fsync(handle.fileno())
            _pause("synced")
            os.replace(staged, path)
            _pause("replaced")
        except OSError as error:
            raise WriteFailed(_os_sentence(error, "écriture impossible"), path) from None
        try:
            _fsync_directory(path.parent)
        except OSError:
            pass


@contextmanager
def file_lock(path: Path, wait: float | None = None):
    """Hold the advisory lock of ``path`` (``.NAME.lock`` beside it), waiting ``wait`` seconds at most."""
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    if path.is_dir():
        raise WriteFailed("c'est un dossier, pas un fichier : choisissez un nom de fichier.", path)
    try:
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise WriteFailed(_os_sentence(error, "verrou impossible à créer"), path) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FileBusy(f"une autre commande écrit déjà ce fichier (verrou « {lock_path(path).name} ») "
                                   f"depuis plus de {wait:g} s : rien n'a été écrit. Attendez qu'elle finisse "
                                   "puis relancez.", path) from None
                time.sleep(0.05)
        _pause("locked")
        yield
    finally:
        os.close(fd)  # releases the lock
