"""A build replaces ``site/`` all at once or not at all (issue 9, item 2).

Each failing build starts from a copy of the real built site (conftest's ``built_site``) and must
leave it byte for byte as it was, with no temporary directory beside it (or, after a kill -9, none
once the next build has run). Builds that fail late (quiz runtime, snapshot) run a copy of the
project's code in which the fault is real: no ``node_modules``, or a snapshot maker that fails.
Real builds are slow: the late ones are grouped at the end of this file.
"""
import errno
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.site import atomic
from generator.site.build import SiteBuildError, build_day

from .conftest import CATALOGUE, ROOT
from .site_helpers import BUILD_DAY, build, catalogue_copy

LEFTOVERS = ("site.building-*", "site.old-*")


def tree_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        digest.update(str(path.relative_to(directory)).encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def leftovers(parent: Path) -> list[str]:
    return sorted(path.name for pattern in LEFTOVERS for path in parent.glob(pattern))


@pytest.fixture
def previous_site(built_site, tmp_path):
    """A copy of the last good site in ``tmp_path/site``, and its digest."""
    site = tmp_path / "site"
    shutil.copytree(built_site[0], site)
    return site, tree_digest(site)


def _assert_untouched(site: Path, digest: str) -> None:
    assert tree_digest(site) == digest, "the previous site changed"
    assert leftovers(site.parent) == []


# -- failures before the engine writes anything ----------------------------------------------------

def test_a_broken_catalogue_leaves_the_previous_site(previous_site, tmp_path):
    site, digest = previous_site
    catalogue = catalogue_copy(tmp_path / "catalogue", lambda t: t.replace("    hours: 77\n", "    hours: 78\n"))
    run = build(catalogue, site)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "cqp-assistant-medical.yaml, ligne" in run.stderr and "le site précédent est conservé" in run.stderr
    _assert_untouched(site, digest)


def test_a_failing_report_leaves_the_previous_site(previous_site, tmp_path):
    site, digest = previous_site
    catalogue = catalogue_copy(tmp_path / "catalogue",
                               lambda t: t.replace("fail_if_missing: false", "fail_if_missing: true"))
    run = build(catalogue, site)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "information Qualiopi manquante : tarif" in run.stderr + run.stdout
    _assert_untouched(site, digest)


def test_an_impossible_date_is_refused_before_building(previous_site):
    site, digest = previous_site
    run = build(CATALOGUE, site, today="2026-13-01")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--today : date attendue au format AAAA-MM-JJ, pas « 2026-13-01 »" in run.stderr
    assert run.stdout == ""   # no report: nothing was built
    _assert_untouched(site, digest)


def test_an_impossible_date_reaching_the_hooks_is_a_sentence(monkeypatch):
    monkeypatch.setenv("GENERATOR_TODAY", "2026-13-01")
    with pytest.raises(SiteBuildError, match="AAAA-MM-JJ, pas « 2026-13-01 »"):
        build_day()


def test_a_second_build_at_once_is_refused(previous_site):
    site, digest = previous_site
    with open(atomic.lock_path(site), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run = build(CATALOGUE, site)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "une autre construction de" in run.stderr and "attendez qu'elle se termine" in run.stderr
    _assert_untouched(site, digest)


def test_serve_serves_the_last_good_site_when_the_build_fails(previous_site, tmp_path):
    site, digest = previous_site
    catalogue = catalogue_copy(tmp_path / "catalogue", lambda t: t.replace("    hours: 77\n", "    hours: 78\n"))
    server = subprocess.Popen([sys.executable, "-m", "generator", "--catalogue", str(catalogue), "serve",
                               "--site-dir", str(site), "--port", "0"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in server.stdout:   # the build's output comes first
            if line.startswith("Site servi sur "):
                break
        assert line.startswith("Site servi sur "), (line, server.stderr.read() if server.poll() is not None else "")
        origin = line.split()[3].rstrip("/")
        with urllib.request.urlopen(origin + "/", timeout=30) as response:
            assert response.read() == (site / "index.html").read_bytes()
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert "le site précédent est conservé" in err and "dernière construction réussie" in err
    assert "Traceback" not in err
    _assert_untouched(site, digest)


def test_a_disk_error_beside_the_site_is_a_sentence(previous_site, monkeypatch, capsys):
    site, digest = previous_site

    def full_disk(site_dir):
        raise OSError(errno.ENOSPC, "No space left on device", str(site_dir.parent / "site.building-1"))
    monkeypatch.setattr(atomic, "clear_leftovers", full_disk)
    from generator.cli import main
    assert main(["--catalogue", str(CATALOGUE), "build", "--site-dir", str(site), "--today", BUILD_DAY]) == 1
    err = capsys.readouterr().err
    assert "Le site n'est pas construit : impossible d'écrire" in err and "site.building-1" in err
    assert "le site précédent est conservé" in err
    _assert_untouched(site, digest)


# -- the swap itself ---------------------------------------------------------------------------------

def _site(directory: Path, text: str) -> Path:
    directory.mkdir()
    (directory / "index.html").write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_replaces_the_site_and_leaves_nothing(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    site = _site(tmp_path / "site", "old")
    with atomic.building(site) as (work, _):
        (work / "index.html").write_text("new", encoding="utf-8")
        atomic.swap_in(work, site)
        assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_failed_build_removes_its_directory(tmp_path):
    site = _site(tmp_path / "site", "old")
    with pytest.raises(RuntimeError), atomic.building(site) as (work, _):
        (work / "index.html").write_text("half", encoding="utf-8")
        raise RuntimeError
    assert leftovers(tmp_path) == [] and (site / "index.html").read_text(encoding="utf-8") == "old"


def test_leftovers_of_killed_builds_are_cleared_and_a_site_caught_between_renames_restored(tmp_path):
    _site(tmp_path / "site.building-999999", "half")
    _site(tmp_path / "site.old-999998", "last good")   # killed between the two renames: no site/
    with atomic.building(tmp_path / "site"):
        assert leftovers(tmp_path) == [f"site.building-{os.getpid()}"]
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "last good"
    assert leftovers(tmp_path) == []


def test_the_lock_is_held_while_building(tmp_path):
    site = tmp_path / "site"
    with atomic.building(site):
        with pytest.raises(atomic.BuildBusy, match="une autre construction"):
            with atomic.building(site):
                pass
    with atomic.building(site):   # released afterwards
        pass


# -- failures late in the build, and interruptions: real builds (slow) -------------------------------

@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """The project's code, copied so a fault can be made real in it: its ``node_modules`` is a
    link to the real one (removed to make Pyodide missing) and its snapshot maker fails."""
    copy = tmp_path_factory.mktemp("project")
    for name in ("generator", "site_hooks", "docs"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    (copy / "generator" / "browser" / "make_snapshot.mjs").write_text(
        'console.error("instantané : mémoire insuffisante (panne simulée)"); process.exit(3);\n', encoding="utf-8")
    return copy


def _build_in(project: Path, site: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "--catalogue", str(CATALOGUE), "build",
                             "--site-dir", str(site), "--today", BUILD_DAY],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def test_missing_pyodide_leaves_the_previous_site(previous_site, project_copy):
    site, digest = previous_site
    (project_copy / "node_modules").unlink(missing_ok=True)
    out, err = _build_in(project_copy, site).communicate(timeout=300)
    assert "Traceback" not in err, err
    assert "Fichiers de Pyodide introuvables" in err and "npm ci" in err and "le site précédent est conservé" in err
    _assert_untouched(site, digest)


@pytest.mark.skipif(shutil.which("node") is None, reason="no snapshot without Node.js")
def test_a_failing_snapshot_leaves_the_previous_site(previous_site, project_copy):
    site, digest = previous_site
    link = project_copy / "node_modules"
    link.unlink(missing_ok=True)
    link.symlink_to(ROOT / "node_modules")
    process = _build_in(project_copy, site)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 1
    assert "Traceback" not in err, err
    assert "Instantané de Pyodide impossible à créer" in err and "panne simulée" in err and "node --version" in err
    _assert_untouched(site, digest)


def _interrupt_mid_build(site: Path, signum: int) -> subprocess.Popen:
    """A real build of the real project, sent ``signum`` (to its whole process group, as the
    terminal's Ctrl-C or a kill of the group does) once its pages are being written."""
    process = _build_in(ROOT, site, start_new_session=True)
    deadline = time.monotonic() + 300
    while not any(site.parent.glob("site.building-*/*/index.html")):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it was interrupted"
        time.sleep(0.05)
    os.killpg(process.pid, signum)
    process.wait(timeout=60)
    return process


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_an_interrupted_build_leaves_the_previous_site_and_nothing_else(previous_site, signum):
    site, digest = previous_site
    process = _interrupt_mid_build(site, signum)
    err = process.stderr.read()
    assert process.returncode == 130 and "Traceback" not in err, err
    assert "Construction du site interrompue : le site précédent est conservé" in err
    _assert_untouched(site, digest)


def test_kill_9_mid_build_then_the_next_build_clears_up(previous_site, built_site):
    site, digest = previous_site
    _interrupt_mid_build(site, signal.SIGKILL)
    assert tree_digest(site) == digest
    assert leftovers(site.parent), "a kill -9 leaves its directory (cleared by the next build)"
    run = build(CATALOGUE, site)
    assert run.returncode == 0, run.stderr
    assert leftovers(site.parent) == []
    assert _file_names(site) == _file_names(built_site[0])   # the new site, whole


def _file_names(site: Path) -> list[str]:
    """Every path of the site; the snapshot's name (its digest) differs from build to build."""
    return sorted(re.sub(r"python-[0-9a-f]{12}\.snapshot$", "python-….snapshot", str(p.relative_to(site)))
                  for p in site.rglob("*"))
