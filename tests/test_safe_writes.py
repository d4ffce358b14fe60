"""Nothing the user keeps is lost or half-written (issue 9, item 1): ``rncp update`` and
``evaluate-batch -o`` interrupted at every step of ``generator.safe_write`` (failures injected
in-process, a real SIGINT and SIGKILL of a subprocess, a full disk), two updates at once, an
output that is the input. After each, the file is the old one or the new one byte for byte,
and it validates."""
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from generator import safe_write
from generator.catalogue import check_catalogue
from generator.cli import main

from .conftest import ROOT
from .test_rncp_check_update import FIXTURE, PROGRAMME, catalogue_36358  # noqa: F401 (fixture)

TODAY = "2026-11-22"
STEPS = ["locked", "written", "synced", "validated", "backed-up", "replaced"]
APPLICANTS = ("id,medical_secretary_certification,medical_secretary_experience_months,placement\n"
              "a1,rs,14,contract\n"
              "a2,none,0,none\n")


def _update_args(catalogue):
    return ["--catalogue", str(catalogue), "rncp", "update", str(FIXTURE), PROGRAMME, "--today", TODAY]


def _programme_file(catalogue):
    return catalogue / f"{PROGRAMME}.yaml"


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def updated_bytes(catalogue_36358, tmp_path_factory):
    """What an uninterrupted update writes, from a copy of the same catalogue."""
    copy = tmp_path_factory.mktemp("reference") / "catalogue"
    shutil.copytree(catalogue_36358, copy)
    assert main(_update_args(copy)) == 0
    return _programme_file(copy).read_bytes()


def _assert_old_or_new(path, old, new):
    now = path.read_bytes()
    assert now in (old, new), "a third state: neither the old file nor the new one"
    _, problems = check_catalogue(path.parent)
    assert problems == []
    return "old" if now == old else "new"


class FaultyOs:
    """``os`` as safe_write sees it, with one function failing."""

    def __init__(self, name, error, when=lambda *args: True, partial=False):
        self.name, self.error, self.when, self.partial = name, error, when, partial

    def __getattr__(self, attribute):
        real = getattr(os, attribute)
        if attribute != self.name:
            return real

        def failing(*args):
            if not self.when(*args):
                return real(*args)
            if self.partial:  # a full disk: part of the data goes in, then ENOSPC
                real(args[0], bytes(args[1][: len(args[1]) // 2]))
            raise self.error
        return failing


FAULTS = {
    "full disk at write": FaultyOs("write", OSError(errno.ENOSPC, "No space left on device"), partial=True),
    "I/O error at fsync": FaultyOs("fsync", OSError(errno.EIO, "Input/output error")),
    "hard link refused": FaultyOs("link", OSError(errno.EIO, "Input/output error")),
    "backup rename fails": FaultyOs("replace", OSError(errno.EIO, "Input/output error"),
                                    when=lambda src, dst: str(dst).endswith(".bak")),
    "final rename fails": FaultyOs("replace", OSError(errno.EIO, "Input/output error"),
                                   when=lambda src, dst: str(dst).endswith(".yaml") or str(dst).endswith(".csv")),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_update_failing_at_a_write_step_leaves_the_old_file(catalogue_36358, fault, monkeypatch, capsys):
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()
    monkeypatch.setattr(safe_write, "os", FAULTS[fault])
    code = main(_update_args(catalogue_36358))
    err = capsys.readouterr().err
    assert code == 1
    assert "écriture impossible" in err and "n'a pas été modifié" in err and str(path) in err
    assert path.read_bytes() == old
    assert _leftovers(catalogue_36358) == []
    if fault == "full disk at write":
        assert "disque est plein" in err


def test_hard_links_not_allowed_the_backup_is_a_copy(catalogue_36358, updated_bytes, monkeypatch, capsys):
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()
    monkeypatch.setattr(safe_write, "os", FaultyOs("link", OSError(errno.EPERM, "Operation not permitted")))
    assert main(_update_args(catalogue_36358)) == 0
    assert path.read_bytes() == updated_bytes
    assert (catalogue_36358 / f"{PROGRAMME}.yaml.bak").read_bytes() == old
    assert f"{PROGRAMME}.yaml.bak" in capsys.readouterr().out


@pytest.mark.parametrize("step", STEPS)
def test_update_interrupted_at_each_step(catalogue_36358, updated_bytes, step, monkeypatch, capsys):
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()

    def interrupt(at):
        if at == step:
            raise KeyboardInterrupt
    monkeypatch.setattr(safe_write, "_pause", interrupt)
    assert main(_update_args(catalogue_36358)) == 130
    assert "Interrompu" in capsys.readouterr().err
    state = _assert_old_or_new(path, old, updated_bytes)
    assert state == ("new" if step == "replaced" else "old")
    assert _leftovers(catalogue_36358) == []


def test_update_keeps_the_previous_version_and_says_where(catalogue_36358, updated_bytes, capsys):
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()
    assert main(_update_args(catalogue_36358)) == 0
    out = capsys.readouterr().out
    assert f"Version précédente gardée dans « {PROGRAMME}.yaml.bak »" in out
    assert path.read_bytes() == updated_bytes
    assert (catalogue_36358 / f"{PROGRAMME}.yaml.bak").read_bytes() == old


def test_update_keeps_the_file_mode(catalogue_36358):
    path = _programme_file(catalogue_36358)
    path.chmod(0o640)
    assert main(_update_args(catalogue_36358)) == 0
    assert path.stat().st_mode & 0o777 == 0o640


def test_file_changed_since_it_was_read_nothing_written(catalogue_36358, monkeypatch, capsys):
    path = _programme_file(catalogue_36358)
    edited = path.read_bytes() + b"# edited meanwhile in an editor\n"

    def editor_saves(at):
        if at == "validated":
            path.write_bytes(edited)
    monkeypatch.setattr(safe_write, "_pause", editor_saves)
    assert main(_update_args(catalogue_36358)) == 1
    err = capsys.readouterr().err
    assert "a changé depuis sa lecture" in err and "rien n'a été écrit" in err
    assert path.read_bytes() == edited
    assert not (catalogue_36358 / f"{PROGRAMME}.yaml.bak").exists()


def test_new_text_that_does_not_validate_never_replaces_the_file(catalogue_36358, monkeypatch, capsys):
    from generator.rncp import update
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()
    real = update._updated_text

    def breaks_the_hours(*args):
        before, values, text = real(*args)
        return before, values, text.replace("hours:", "hours: -1\n  old_hours:", 1)
    monkeypatch.setattr(update, "_updated_text", breaks_the_hours)
    assert main(_update_args(catalogue_36358)) == 1
    assert "le fichier n'a pas été modifié" in capsys.readouterr().out
    assert path.read_bytes() == old


def test_second_writer_refused_while_the_lock_is_held(catalogue_36358, monkeypatch, capsys):
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()
    monkeypatch.setattr(safe_write, "LOCK_WAIT_SECONDS", 0.3)
    with open(safe_write.lock_path(path), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert main(_update_args(catalogue_36358)) == 1
    err = capsys.readouterr().err
    assert "une autre commande écrit déjà ce fichier" in err
    assert path.read_bytes() == old


# --- real signals, in a subprocess -------------------------------------------------------

def _start(args, step, cwd=ROOT):
    environment = {**os.environ, safe_write.PAUSE_VARIABLE: f"{step}:30"}
    return subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_pause(process, step):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if line.strip() == f"safe_write: pause {step}":
            return
        assert line, "the command ended before reaching the step"
    raise AssertionError("step never reached")


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.parametrize("step", STEPS)
def test_update_signalled_at_each_step(catalogue_36358, updated_bytes, step, signal_number):
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()
    process = _start(_update_args(catalogue_36358), step)
    try:
        _wait_for_pause(process, step)
        process.send_signal(signal_number)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    state = _assert_old_or_new(path, old, updated_bytes)
    assert state == ("new" if step == "replaced" else "old")
    assert "Traceback" not in err
    if signal_number == signal.SIGINT:
        assert process.returncode == 130 and "Interrompu" in err
        assert _leftovers(catalogue_36358) == []
    else:  # a killed writer may leave its hidden temporary file: the next update removes it
        assert process.returncode == -signal.SIGKILL
        assert main(_update_args(catalogue_36358)) == 0
        assert _leftovers(catalogue_36358) == []


def test_two_updates_at_once_the_second_waits_and_builds_on_the_first(catalogue_36358, updated_bytes):
    path = _programme_file(catalogue_36358)
    environment = {**os.environ, safe_write.PAUSE_VARIABLE: "validated:2"}
    first = subprocess.Popen([sys.executable, "-m", "generator", *_update_args(catalogue_36358)], cwd=ROOT,
                             env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_pause(first, "validated")   # read, rewritten, checked: about to replace, lock held
        second = subprocess.Popen([sys.executable, "-m", "generator", *_update_args(catalogue_36358)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first_out, first_err = first.communicate(timeout=60)
        second_out, second_err = second.communicate(timeout=60)
    finally:
        first.kill()
    assert (first.returncode, second.returncode) == (0, 0), first_err + second_err
    assert "de RNCP 36358 à RNCP 40913" in first_out
    # the second read the file after the first replaced it: nothing of the first is lost
    assert "fiche en vigueur RNCP 40913, mise à jour depuis l'export" in second_out
    assert path.read_bytes() == updated_bytes


def test_two_updates_racing_none_is_lost(catalogue_36358, updated_bytes):
    """Both run for real at the same time: each reads the file under the lock, so the second
    works on what the first wrote (same fiche: only the source is rewritten)."""
    path = _programme_file(catalogue_36358)
    processes = [subprocess.Popen([sys.executable, "-m", "generator", *_update_args(catalogue_36358)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    outs = sorted(out for out, _ in results)
    assert any("de RNCP 36358 à RNCP 40913" in out for out in outs)
    assert any("fiche en vigueur RNCP 40913, mise à jour depuis l'export" in out for out in outs)
    _, problems = check_catalogue(catalogue_36358)
    assert problems == []
    assert path.read_bytes() == updated_bytes   # 36358 moved to history once, not twice


# --- evaluate-batch -o ---------------------------------------------------------------------

@pytest.fixture
def batch_files(tmp_path):
    applicants = tmp_path / "applicants.csv"
    applicants.write_text(APPLICANTS, encoding="utf-8")
    output = tmp_path / "out.csv"
    output.write_bytes(b"previous results, kept by staff\r\n")
    return applicants, output


def _batch_args(applicants, output):
    return ["evaluate-batch", PROGRAMME, str(applicants), "--today", TODAY, "-o", str(output)]


def test_batch_output_replaced_and_previous_kept(batch_files, capsys):
    applicants, output = batch_files
    old = output.read_bytes()
    assert main(_batch_args(applicants, output)) == 0
    assert output.read_bytes().startswith("\ufeffrow,id,admission".encode("utf-8"))
    assert output.with_name("out.csv.bak").read_bytes() == old
    assert "out.csv.bak" in capsys.readouterr().err


@pytest.mark.parametrize("fault", FAULTS)
def test_batch_failing_at_a_write_step_leaves_the_old_output(batch_files, fault, monkeypatch, capsys):
    applicants, output = batch_files
    old = output.read_bytes()
    monkeypatch.setattr(safe_write, "os", FAULTS[fault])
    assert main(_batch_args(applicants, output)) == 1
    assert "n'a pas été modifié" in capsys.readouterr().err
    assert output.read_bytes() == old
    assert _leftovers(output.parent) == []


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.parametrize("step", ["written", "validated", "backed-up", "replaced"])
def test_batch_signalled_mid_write(batch_files, step, signal_number, tmp_path):
    applicants, output = batch_files
    old = output.read_bytes()
    reference = tmp_path / "reference.csv"
    assert main(_batch_args(applicants, reference)) == 0
    new = reference.read_bytes()
    process = _start(_batch_args(applicants, output), step)
    try:
        _wait_for_pause(process, step)
        process.send_signal(signal_number)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert "Traceback" not in err
    assert output.read_bytes() == (new if step == "replaced" else old)


def test_batch_output_that_is_its_input_is_refused(tmp_path):
    applicants = tmp_path / "a.csv"
    applicants.write_text(APPLICANTS, encoding="utf-8")
    link = tmp_path / "same.csv"
    os.link(applicants, link)
    for output in (applicants, tmp_path / "." / "a.csv", link):
        run = subprocess.run([sys.executable, "-m", "generator", *_batch_args(applicants, output)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 2
        assert "est le fichier lu lui-même" in run.stderr and "Traceback" not in run.stderr
        assert applicants.read_text(encoding="utf-8") == APPLICANTS


def test_a_reader_during_updates_never_sees_an_empty_or_partial_file(catalogue_36358, updated_bytes):
    """The issue saw an empty file 1,329 times while reading during 15 updates."""
    import threading
    path = _programme_file(catalogue_36358)
    old = path.read_bytes()
    seen, stop = set(), threading.Event()

    def read_continuously():
        while not stop.is_set():
            seen.add(path.read_bytes())
    reader = threading.Thread(target=read_continuously)
    reader.start()
    try:
        for _ in range(5):
            assert main(_update_args(catalogue_36358)) == 0
    finally:
        stop.set()
        reader.join()
    assert seen and seen <= {old, updated_bytes}


def test_batch_output_that_is_its_standard_input_is_refused(tmp_path):
    applicants = tmp_path / "a.csv"
    applicants.write_text(APPLICANTS, encoding="utf-8")
    with open(applicants, "rb") as stdin:
        run = subprocess.run([sys.executable, "-m", "generator", "evaluate-batch", PROGRAMME, "-", "-o", str(applicants)],
                             cwd=ROOT, stdin=stdin, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "est le fichier lu lui-même" in run.stderr
    assert applicants.read_text(encoding="utf-8") == APPLICANTS
