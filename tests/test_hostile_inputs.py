"""Issue 19: hostile or careless inputs. Every command ends in bounded time and memory with a French
sentence naming the file, field or line (never a traceback), and writes or publishes nothing it
should not. Each case of the issue, then a neighbour of its class the issue did not list."""
from __future__ import annotations

import os
import re
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CATALOGUE, ROOT
from .site_helpers import wait_for
from .publishing_helpers import published_catalogue

PROGRAMME = "cqp-assistant-medical.yaml"
TODAY = "2026-11-22"
MEMORY_LIMIT = 1024 * 1024 * 1024   # address space of each command run here: 1 GiB
TIME_LIMIT = 60


def _bounded_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args, stdin=None, timeout=TIME_LIMIT) -> subprocess.CompletedProcess:
    """``python -m generator ARGS`` with bounded time and memory; never a traceback."""
    completed = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=ROOT, capture_output=True,
                               text=True, timeout=timeout, preexec_fn=_bounded_memory, input=stdin)
    assert "Traceback" not in completed.stderr + completed.stdout, completed.stderr
    return completed


def copy_of(tmp_path, published=False) -> Path:
    directory = tmp_path / "catalogue"
    if published:
        return published_catalogue(directory)
    import shutil
    shutil.copytree(CATALOGUE, directory)
    return directory


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


# -- 1. every file the catalogue reads is a regular file or is refused with a sentence -------------

def test_a_fifo_named_organisation_yaml_is_refused_without_waiting(tmp_path):
    catalogue = copy_of(tmp_path)
    (catalogue / "organisation.yaml").unlink()
    os.mkfifo(catalogue / "organisation.yaml")
    for command in (["validate"], ["lheo"], ["evaluate", "cqp-assistant-medical", "-"]):
        result = run("--catalogue", catalogue, *command, stdin="{}", timeout=30)
        assert result.returncode == 1, command
        assert "organisation.yaml, ligne 1 : Ce n'est pas un fichier ordinaire mais un tube nommé (FIFO)" in result.stderr


def test_neighbour_a_fifo_or_a_socket_named_as_a_programme_file(tmp_path):
    catalogue = copy_of(tmp_path)
    os.mkfifo(catalogue / "autre-programme.yml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(catalogue / "prise.yaml"))
    try:
        result = run("--catalogue", catalogue, "validate", timeout=30)
    finally:
        server.close()
    assert result.returncode == 1
    assert "autre-programme.yml, ligne 1 : Ce n'est pas un fichier ordinaire mais un tube nommé (FIFO)" in result.stderr
    assert "prise.yaml, ligne 1 : Ce n'est pas un fichier ordinaire mais une socket" in result.stderr


# -- 2. numbers: a documented range checked before conversion ------------------------------------

@pytest.mark.parametrize("field, written, sentence", [
    ("seats", "seats: 12", "[sessions › 1 › seats] doit être compris entre 1 et 10\u202f000, pas un nombre de 5\u202f000 chiffres."),
    ("total_eur", "total_eur: 3500", "[price › total_eur] doit être compris entre 0 et 1\u202f000\u202f000, pas un nombre de 5\u202f000 chiffres."),
])
def test_a_5000_digit_number_is_its_fields_range(tmp_path, field, written, sentence):
    catalogue = copy_of(tmp_path, published=True)
    path = catalogue / PROGRAMME
    edit(path, written, f"{field}: {'9' * 5000}")
    result = run("--catalogue", catalogue, "validate")
    assert result.returncode == 1
    assert f"{PROGRAMME}, ligne {line_of(path, field + ': 999')} : {sentence}" in result.stderr


def test_neighbour_5000_digit_hours_and_1e999_price(tmp_path):
    catalogue = copy_of(tmp_path, published=True)
    path = catalogue / PROGRAMME
    edit(path, "\n  total: 279", f"\n  total: {'1' * 5000}")
    edit(path, "total_eur: 3500", "total_eur: 1e999")
    result = run("--catalogue", catalogue, "validate")
    assert result.returncode == 1
    assert (f"ligne {line_of(path, 'total: 111')} : [hours › total] doit être compris entre 1 et 100\u202f000, "
            "pas un nombre de 5\u202f000 chiffres.") in result.stderr
    assert "[price › total_eur] doit être compris entre 0 et 1\u202f000\u202f000, pas « 1e999 »." in result.stderr
    assert "inf" not in result.stderr


# -- 3. characters XML 1.0 forbids: refused at validate, with file and line -----------------------

@pytest.mark.parametrize("old, new, field, code", [
    ("title: CQP Assistant(e) médical(e)", 'title: "CQP\\x01 Assistant(e) médical(e)"', "[title]", "U+0001"),
    ("title: CQP Assistant(e) médical(e)", 'title: "CQP\\uFFFE Assistant(e)"', "[title]", "U+FFFE"),
    ("street: 1 rue de l'Essai, postcode", 'street: "1 rue\\vde l\'Essai", postcode', "[sessions › 1 › place › street]", "U+000B"),
])
def test_a_control_character_is_refused_and_no_lheo_is_output(tmp_path, old, new, field, code):
    catalogue = copy_of(tmp_path, published=True)
    path = catalogue / PROGRAMME
    edit(path, old, new)
    result = run("--catalogue", catalogue, "validate")
    assert result.returncode == 1
    assert re.search(rf"{PROGRAMME}, ligne \d+ : {re.escape(field)} le texte contient un caractère invisible "
                     rf"interdit \({re.escape(code)},", result.stderr), result.stderr
    printed = run("--catalogue", catalogue, "lheo", "--today", TODAY)
    assert printed.returncode == 1 and printed.stdout == ""
    written = run("--catalogue", catalogue, "lheo", "--today", TODAY, "-o", tmp_path / "offre.xml")
    assert written.returncode == 1 and code in written.stderr and "Relancez" not in written.stderr
    assert not (tmp_path / "offre.xml").exists()


def test_neighbour_nul_and_uffff_in_other_fields(tmp_path):
    catalogue = copy_of(tmp_path, published=True)
    organisation = catalogue / "organisation.yaml"
    edit(organisation, "city: Testville", 'city: "Test\\0ville"')
    edit(catalogue / PROGRAMME, "  - Accueillir les patients", '  - "Accueillir\\uFFFF les patients"\n  - Accueillir')
    result = run("--catalogue", catalogue, "validate")
    assert result.returncode == 1
    assert (f"organisation.yaml, ligne {line_of(organisation, 'city:')} : [address › city] le texte contient un "
            "caractère invisible interdit (U+0000,") in result.stderr
    assert "[objectives › 2] le texte contient un caractère invisible interdit (U+FFFF," in result.stderr


# -- 4. LHÉO: lengths said with their field and limit; every export passes the XSD ---------------

@pytest.mark.parametrize("old, new, sentence", [
    ("phone: 01 02 03 04 05", "phone: 01 02 03 04 05 06 07 08 090", "[phone] le texte fait 27 caractères ; LHÉO (<numtel>) en accepte 25"),
    ("street: 1 rue de l'Essai", "street: 1 rue " + "x" * 56, "[address › street] le mot « xxxxxxxxxxxxxxxxxxxx… » fait 56 caractères ; une ligne d'adresse LHÉO (<ligne>) en accepte 50"),
    ("legal_name: Atelier Exemple SAS (fictive)", "legal_name: " + "Raison " * 40, "[legal › legal_name] le texte fait 279 caractères ; LHÉO (<raison-sociale>) en accepte 250"),
    ("street: 1 rue de l'Essai", "street: " + "1 rue de l'Essai " * 16, "[address › street] l'adresse fait 271 caractères et ne tient pas sur les 4 lignes de 50 caractères"),
    ("city: Testville", "city: Saint-" + "Testville-" * 6, "[address › city] le texte fait 66 caractères ; LHÉO (<ville>) en accepte 50"),   # neighbour
    ("postcode: \"83000\"", "postcode: \"830\"", "[address › postcode] le texte fait 3 caractère(s) ; LHÉO (<codepostal>) en demande au moins 5"),  # neighbour
])
def test_a_text_too_long_for_lheo_is_said_at_validate_and_refused_by_lheo(tmp_path, old, new, sentence):
    catalogue = copy_of(tmp_path, published=True)
    organisation = catalogue / "organisation.yaml"
    edit(organisation, old, new)
    checked = run("--catalogue", catalogue, "validate")
    assert checked.returncode == 0, checked.stderr          # the site does not need LHÉO: a warning
    assert re.search(r"Avertissement \(export LHÉO\) : \S*organisation\.yaml, ligne "
                     + str(line_of(organisation, new.split(":")[0] + ":")) + " : " + re.escape(sentence), checked.stderr)
    exported = run("--catalogue", catalogue, "lheo", "--today", TODAY, "-o", tmp_path / "offre.xml")
    assert exported.returncode == 1
    assert sentence in exported.stderr
    assert not (tmp_path / "offre.xml").exists()


def test_neighbour_an_optional_element_too_long_is_left_out_and_said(tmp_path):
    catalogue = copy_of(tmp_path, published=True)
    edit(catalogue / PROGRAMME, "name: Service inscriptions,", "name: " + "Service des inscriptions " * 3 + ",")
    exported = run("--catalogue", catalogue, "lheo", "--today", TODAY, "-o", tmp_path / "offre.xml")
    assert exported.returncode == 0, exported.stderr
    assert "Avertissement : " in exported.stderr
    assert "LHÉO (<nom>) en accepte 50 ; sans cela, il est laissé hors de l'export LHÉO." in exported.stderr
    assert b"<nom>Service" not in (tmp_path / "offre.xml").read_bytes()


def test_every_document_is_checked_against_the_xsd_before_output(tmp_path, monkeypatch):
    """A fault no catalogue check foresees (here: a session number made invalid) is refused by the
    XSD check, nothing printed: the check is in `lheo_document` itself."""
    from generator import lheo
    from generator.catalogue import load_catalogue
    catalogue = load_catalogue(published_catalogue(tmp_path / "c"))
    import datetime as dt
    document = lheo.lheo_document(catalogue, dt.date(2026, 11, 22))
    lheo.validate_document(document)   # the real one passes
    broken = document.replace(b"<nombre-heures-total>279<", b"<nombre-heures-total>deux cents<")
    with pytest.raises(lheo.LheoInvalid) as error:
        lheo.validate_document(broken)
    assert "ne respecte pas le schéma officiel LHÉO 2.3" in str(error.value)
    assert "nombre-heures-total" in str(error.value)


# -- 5. one programme per identifier across .yaml, .yml and any case ------------------------------

@pytest.mark.parametrize("twin", ["cqp-assistant-medical.yml", "cqp-assistant-medical.YAML"])   # .YAML: neighbour
def test_two_files_of_one_programme_are_refused(tmp_path, twin):
    catalogue = copy_of(tmp_path)
    (catalogue / twin).write_bytes((catalogue / PROGRAMME).read_bytes())
    result = run("--catalogue", catalogue, "validate")
    assert result.returncode == 1
    assert "Le programme « cqp-assistant-medical » est décrit par 2 fichiers" in result.stderr
    assert twin in result.stderr and "Catalogue valide" not in result.stdout
    lheo = run("--catalogue", catalogue, "lheo", "--today", TODAY)
    assert lheo.returncode == 1 and lheo.stdout == ""


# -- 2 (serve). A rebuild never ends the watcher: any exception is shown, the next save rebuilds ---

@pytest.fixture
def watched(tmp_path):
    import time

    from generator.site.watch import Watcher
    catalogue = copy_of(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    builds = []

    def build():
        builds.append(time.monotonic())
        (site / "index.html").write_text(f"construction {len(builds)}")
        return 0

    with Watcher(catalogue, site, build, today=TODAY, poll_seconds=0.1, sources=[]) as watcher:
        yield watcher, catalogue, builds


def _page(watcher):
    """(status, page) with serve's live-reload script tag taken out (tested in test_serve_live_reload.py)."""
    import re
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(watcher.origin + "/", timeout=10) as response:
            status, page = response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        status, page = error.code, error.read().decode("utf-8")
    return status, re.sub(r'<script src="/_apercu/rechargement.js" data-version="[^"]+"></script>', "", page)


def test_serve_shows_a_5000_digit_number_then_rebuilds_once_fixed(watched):
    watcher, catalogue, builds = watched
    path = catalogue / PROGRAMME
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("\n  total: 279", f"\n  total: {'9' * 5000}"), encoding="utf-8")
    assert wait_for(lambda: _page(watcher)[0] == 503)
    assert "[hours › total] doit être compris entre 1 et 100" in _page(watcher)[1]
    path.write_text(original, encoding="utf-8")
    assert wait_for(lambda: len(builds) == 2 and _page(watcher) == (200, "construction 2"))


def test_neighbour_serve_survives_an_unforeseen_exception(watched, monkeypatch):
    watcher, catalogue, builds = watched
    from generator.site import watch

    def broken(*args):
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
    monkeypatch.setattr(watch, "prepare", broken)
    (catalogue / PROGRAMME).write_text((catalogue / PROGRAMME).read_text(encoding="utf-8") + "\n# edit\n", encoding="utf-8")
    assert wait_for(lambda: _page(watcher)[0] == 503)
    body = _page(watcher)[1]
    assert "La reconstruction du site a échoué sur une erreur imprévue (ValueError : Exceeds the limit" in body
    assert "reconstruit à la prochaine modification" in body
    monkeypatch.undo()
    (catalogue / PROGRAMME).write_text((catalogue / PROGRAMME).read_text(encoding="utf-8") + "# fixed\n", encoding="utf-8")
    assert wait_for(lambda: len(builds) == 2 and _page(watcher) == (200, "construction 2"))


# -- 6. a full disk (here: a file-size limit, EFBIG) during `build`: a sentence, the site intact ---

def _small_files_only():
    import signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # the write fails (EFBIG) instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (4 * 1024 * 1024, 4 * 1024 * 1024))


def test_a_full_disk_during_build_is_a_sentence_and_keeps_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("le site précédent")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", site, "--today", TODAY],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, preexec_fn=_small_files_only)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Écriture impossible dans le site en construction (File too large) : libérez de la place" in result.stderr
    assert "le site précédent est conservé" in result.stderr
    assert (site / "index.html").read_text() == "le site précédent"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("site.building")] == []


def test_neighbour_a_full_disk_while_writing_the_generated_files(tmp_path, monkeypatch):
    """The same sentence when the disk fills while the pages' CSV and JSON copies are written."""
    import errno

    from generator.site import build
    prepared = build.prepare(CATALOGUE, __import__("datetime").date(2026, 11, 22))

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(build.SiteBuildError) as error:
        build.finish(prepared, tmp_path / "work")
    assert "Écriture impossible dans « " in str(error.value)
    assert "(No space left on device) : libérez de la place sur le disque" in str(error.value)


# -- 10. RNCP export: any encoding error is a sentence -----------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "punycode", "utf-32"])   # utf-32: neighbour
def test_an_export_declaring_an_encoding_it_is_not_in(tmp_path, encoding):
    export = tmp_path / "export.xml"
    export.write_text(f'<?xml version="1.0" encoding="{encoding}"?>\n<FICHES><FICHE><NUMERO_FICHE>RNCP40913'
                      '</NUMERO_FICHE></FICHE></FICHES>\n', encoding="ascii")
    for command in (["rncp", "show", export, "40913"], ["rncp", "check", export]):
        result = run(*command)
        assert result.returncode == 2, result.stderr
        assert f"« {export} » n'est pas lisible dans l'encodage qu'il déclare ({encoding})" in result.stderr


def test_neighbour_a_fifo_given_as_the_export(tmp_path):
    os.mkfifo(tmp_path / "export.xml")
    result = run("rncp", "check", tmp_path / "export.xml", timeout=30)
    assert result.returncode == 2
    assert "export.xml » n'est pas un fichier ordinaire (tube, socket ou périphérique)" in result.stderr


# -- 8. names written into _headers are checked ----------------------------------------------------

@pytest.mark.parametrize("name", ["evil\n  X-Injected: yes\nx.css", "tout*.css", ":page.css"])   # * and : neighbours
def test_a_name_that_would_add_lines_or_wildcards_to_headers_is_refused(tmp_path, name):
    from generator.site.publishing import UnpublishableName, header_rules
    (tmp_path / "index.html").write_text("<html><head></head></html>")
    (tmp_path / name).write_text("body {}")   # docs/ files at the root of the site get a rule each
    with pytest.raises(UnpublishableName) as error:
        header_rules(tmp_path, [])
    assert "du site (copié de docs/) a un nom qui ne peut pas figurer dans _headers" in str(error.value)
    assert "\n" not in str(error.value)


def test_ordinary_names_with_spaces_and_accents_still_get_their_rule(tmp_path):
    from generator.site.publishing import header_rules
    (tmp_path / "index.html").write_text("<html><head></head></html>")
    (tmp_path / "Livret d'accueil été.pdf").write_bytes(b"%PDF")
    assert ("/Livret d'accueil été.pdf", {"Cache-Control": "public, max-age=0, must-revalidate"}) in header_rules(tmp_path, [])


# -- 9. the Qualiopi certificate: linked only when the site publishes it; no link out of docs/ -----

def _docs_with(tmp_path) -> Path:
    docs = tmp_path / "docs"
    (docs / "documents").mkdir(parents=True)
    (docs / "overrides").mkdir()
    (docs / "overrides" / "certificat.pdf").write_bytes(b"%PDF")
    (docs / "documents" / ".certificat.pdf").write_bytes(b"%PDF")
    (docs / "documents" / "vrai.pdf").write_bytes(b"%PDF")
    os.symlink("/etc/passwd", docs / "documents" / "lien.pdf")
    os.symlink("vrai.pdf", docs / "documents" / "autre-nom.pdf")   # a link inside docs/: published as it is
    return docs


@pytest.mark.parametrize("document, fault", [
    ("overrides/certificat.pdf", "le dossier docs/overrides/ n'est pas publié par le site"),
    ("documents/.certificat.pdf", "un nom commençant par un point n'est pas publié par le site"),
    ("documents/lien.pdf", "c'est un lien vers un fichier hors de docs/ (/etc/passwd)"),
    ("documents/absent.pdf", "il est introuvable dans"),
    ("documents/autre-nom.pdf", None),
    ("documents/vrai.pdf", None),
])
def test_certificate_document_published_or_said(tmp_path, document, fault):
    from generator.site.published_docs import document_fault
    found = document_fault(document, _docs_with(tmp_path))
    assert found == fault if fault is None else fault in found


def test_the_build_refuses_a_docs_file_linked_outside_docs(tmp_path):
    """Neighbour: any file of docs/ (not only the certificate) that links outside docs/."""
    from generator.site.published_docs import OutsideDocs, refuse_links_outside_docs
    docs = _docs_with(tmp_path)
    os.symlink("/etc/hostname", docs / "extra.css")
    sources = [str(p) for p in docs.rglob("*") if p.is_file() or p.is_symlink()]
    with pytest.raises(OutsideDocs) as error:
        refuse_links_outside_docs(sources, docs)
    assert "« documents/lien.pdf » (→ /etc/passwd)" in str(error.value)
    assert "« extra.css » (→ /etc/hostname)" in str(error.value)
    assert "autre-nom.pdf" not in str(error.value) and "vrai.pdf" not in str(error.value)


def test_mkdocs_excludes_the_folders_the_check_names():
    import yaml

    from generator.site.published_docs import UNPUBLISHED_FOLDERS
    excluded = {line.strip().strip("/") for line in yaml.safe_load((ROOT / "mkdocs.yml").read_text())["exclude_docs"].splitlines()
                if line.strip()}
    assert excluded | {"templates"} == set(UNPUBLISHED_FOLDERS)


# -- 7. bounded input sizes for the commands that read user files ---------------------------------

def test_a_75_mb_answers_file_is_refused_before_it_is_read(tmp_path):
    import time
    answers = tmp_path / "answers.json"
    with open(answers, "w") as stream:
        stream.write('{"placement": [' + "0, " * 25_000_000 + "0]}")
    started = time.monotonic()
    result = run("evaluate", "cqp-assistant-medical", answers, "--today", TODAY, timeout=30)
    assert result.returncode == 2
    assert f"Les réponses (« {answers} ») dépassent 1 Mo : ce n'est pas un fichier attendu" in result.stderr
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("command, stdin, sentence", [   # neighbours: through a pipe, and the batch's CSV
    (["evaluate", "cqp-assistant-medical", "-"], '{"placement": "' + "x" * 2_000_000 + '"}',
     "Les réponses (l'entrée standard) dépassent 1 Mo"),
    (["evaluate-batch", "cqp-assistant-medical", "-"], "id,placement\n" + "a,none\n" * 5_000_000,
     "Les candidats (l'entrée standard) dépassent 32 Mo"),
])
def test_neighbour_oversized_input_through_standard_input(command, stdin, sentence):
    result = run(*command, "--today", TODAY, stdin=stdin)
    assert result.returncode == 2 and sentence in result.stderr and result.stdout == ""


def test_a_200000_character_csv_cell_is_said_as_such(tmp_path):
    """Item 11: the csv module's cell limit, not « an unclosed quote »."""
    result = run("evaluate-batch", "cqp-assistant-medical", "-", "--today", TODAY,
                 stdin="id,placement\na," + "x" * 200_000 + "\n")
    assert result.returncode == 2
    assert "ligne 2 (ligne 2 du fichier) : une cellule dépasse 131\u202f072 caractères" in result.stderr


def test_files_outside_docs_are_not_staffs_and_pass(tmp_path):
    from generator.site.published_docs import refuse_links_outside_docs
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# Page")
    (tmp_path / "theme.png").write_bytes(b"png")   # the theme's files come from elsewhere
    refuse_links_outside_docs([str(docs / "page.md"), str(tmp_path / "theme.png")], docs)


# -- 11. smaller ones ----------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [PROGRAMME, "organisation.yaml"])   # organisation.yaml: neighbour
def test_lheo_output_cannot_replace_a_catalogue_file(tmp_path, target):
    catalogue = copy_of(tmp_path, published=True)
    before = (catalogue / target).read_bytes()
    result = run("--catalogue", catalogue, "lheo", "--today", TODAY, "-o", catalogue / target)
    assert result.returncode == 2
    assert "Le fichier de sortie (-o) est le fichier lu lui-même" in result.stderr
    assert (catalogue / target).read_bytes() == before
    assert not (catalogue / (target + ".bak")).exists()


def _serve(*args, timeout=60):
    return run("serve", "--today", TODAY, *args, timeout=timeout)


def test_serve_on_a_busy_port_says_so():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        result = _serve("--port", port, "--site-dir", "/nonexistent-h19/site")
    finally:
        busy.close()
    assert result.returncode == 2
    assert f"Le port {port} est déjà utilisé sur 127.0.0.1 (un autre « serve » tourne-t-il ?)" in result.stderr
    assert "disque" not in result.stderr


def test_neighbour_serve_on_an_address_that_is_not_this_machines():
    result = _serve("--host", "192.0.2.1", "--port", "8765", "--site-dir", "/nonexistent-h19/site")
    assert result.returncode == 2
    assert "Impossible de servir le site sur 192.0.2.1:8765" in result.stderr


@pytest.mark.parametrize("text, sentence", [
    ("id: x\nhours:\n\ttotal: 279\n", "ligne 3 : Une tabulation décale cette ligne : YAML n'accepte que des espaces"),
    ("id: x\ntitle: @CQP\n", "ligne 2 : Une valeur ne peut pas commencer par le caractère « @ » en YAML"),  # neighbour
])
def test_yaml_tokens_are_named_in_french(tmp_path, text, sentence):
    catalogue = copy_of(tmp_path)
    (catalogue / PROGRAMME).write_text(text, encoding="utf-8")
    result = run("--catalogue", catalogue, "validate")
    assert result.returncode == 1
    assert sentence in result.stderr and "cannot start any token" not in result.stderr


@pytest.mark.parametrize("module, command", [
    ("generator.cli", ["rncp", "show", "/nonexistent.xml", "1"]),
    ("generator.rncp.commands", ["rncp", "show", "/nonexistent.xml", "1"]),   # neighbours
    ("yaml", ["validate"]),
])
def test_a_ctrl_c_while_the_command_is_imported_is_a_sentence(module, command):
    """Ctrl-C arriving while `python -m generator` imports its modules (simulated where it lands:
    the import of ``module`` raises KeyboardInterrupt). Before the project's code runs, while
    Python itself starts (site-packages), it is Python's own business."""
    program = f"""
import runpy, sys
class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt
sys.meta_path.insert(0, Interrupting())
sys.argv = ["generator", *{command!r}]
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""
    process = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in process.stderr, process.stderr
    assert process.returncode == 130, process.stderr
    assert process.stderr == "Interrompu (Ctrl-C) : relancez la commande si besoin.\n"


def test_neighbour_only_the_sessions_exported_are_held_to_lheo_lengths(tmp_path):
    """A past session's long city is warned at validate but does not stop the export; an open one's does."""
    catalogue = copy_of(tmp_path, published=True)
    path = catalogue / PROGRAMME
    long_city = "Saint-" + "Testville-" * 6
    edit(path, "name: Centre fictif, street: 1 rue de l'Essai, postcode: \"83000\", city: Testville",
         f"name: Centre fictif, street: 1 rue de l'Essai, postcode: \"83000\", city: {long_city}")
    assert "[sessions › 1 › place › city] le texte fait 66 caractères" in run("--catalogue", catalogue, "validate").stderr
    exported = run("--catalogue", catalogue, "lheo", "--today", TODAY)
    assert exported.returncode == 0 and long_city not in exported.stdout
    edit(path, "place: {street: 3 place du Test, postcode: \"83100\", city: Autreville}",
         f"place: {{street: 3 place du Test, postcode: \"83100\", city: {long_city}}}")
    exported = run("--catalogue", catalogue, "lheo", "--today", TODAY)
    assert exported.returncode == 1 and exported.stdout == ""
    assert "[sessions › 3 › place › city] le texte fait 66 caractères ; LHÉO (<ville>) en accepte 50" in exported.stderr


def test_serve_accepts_a_dangling_link_as_its_site_folder(tmp_path):
    """`serve --site-dir` naming a link to a folder not built yet: left to the build (which replaces
    it, as `build` does), no « File exists »."""
    from generator.site.watch import Watcher
    site = tmp_path / "site"
    os.symlink(tmp_path / "not-yet", site)
    built = []

    def build():
        os.unlink(site)
        site.mkdir()
        (site / "index.html").write_text("construit")
        built.append(1)
        return 0
    with Watcher(copy_of(tmp_path), site, build, today=TODAY, poll_seconds=0.1, sources=[]) as watcher:
        assert built == [1] and _page(watcher) == (200, "construit")


def test_the_lazy_command_table_names_what_each_module_registers():
    """cli.EXTENSIONS (which module to import for which command) agrees with the modules themselves."""
    import argparse
    import importlib

    from generator.cli import EXTENSIONS
    for module_name in set(EXTENSIONS.values()):
        commands = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module_name).register(commands)
        assert {name for name, module in EXTENSIONS.items() if module == module_name} == set(commands.choices)


def test_rncp_and_validate_do_not_load_the_site():
    for command in (["rncp", "show", "/nonexistent.xml", "1"], ["validate"]):
        result = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", *command], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        loaded = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
        assert "generator.cli" in loaded
        assert not loaded & {"jinja2", "generator.site", "generator.browser"}, command
