"""``rncp fetch`` and ``rncp watch`` against a local server playing data.gouv.fr (tests/rncp_server.py)."""
from __future__ import annotations

import io
import json
import shutil
import socket
import zipfile

import pytest

from generator.cli import main
from generator.rncp import fetch
from generator.rncp.fetch import FetchError, choose_export, is_xml_export

from .conftest import CATALOGUE, FIXTURES
from .rncp_server import DATASET, ExportServer

EXTRACT = FIXTURES / "rncp" / "export_fiches_RNCP_V4_1_extract.xml"
CQP_FICHES = FIXTURES / "rncp" / "cqp_assistant_medical_36358_40913.xml"
PROGRAMME = "cqp-assistant-medical"
TODAY = "2026-11-22"


def export_zip(with_cqp: bool = True) -> bytes:
    """The shared extract (with the CQP's two fiches spliced in), zipped as France compétences does."""
    xml = EXTRACT.read_text(encoding="utf-8")
    if with_cqp:
        cqp = CQP_FICHES.read_text(encoding="utf-8")
        fiches = cqp[cqp.index("<FICHE>"):cqp.rindex("</FICHE>") + len("</FICHE>")]
        xml = xml.replace("</FICHES>", f"  {fiches}\n</FICHES>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export_fiches_RNCP_V4_1_2026_11_29.xml", xml)
    return buffer.getvalue()


EXPORT = export_zip()


@pytest.fixture
def server():
    with ExportServer(EXPORT) as running:
        yield running


@pytest.fixture
def catalogue_36358(tmp_path):
    """The catalogue whose programme still records RNCP 36358 (replaced by 40913 in the export)."""
    from .test_rncp_check_update import OLD_RECORD
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, directory)
    path = directory / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  current:\n"), text.index("\nformat:")
    path.write_text(text[:start] + OLD_RECORD + text[end:], encoding="utf-8")
    return directory


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def fetch_into(capsys, server, directory, *extra):
    return run(capsys, "rncp", "fetch", "--source", server.api, "-o", str(directory), *extra)


def leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith((".part", ".part.json", ".tmp")))


# -- the rule ------------------------------------------------------------------------------

def test_the_newest_xml_export_is_chosen_among_decoys(server):
    chosen = choose_export({"resources": server.resources()}, "test")
    assert chosen.url.endswith("/export-fiches-rncp-v4-1-2026-11-29.zip")
    assert chosen.filesize == len(EXPORT) and chosen.checksum[0] == "sha256"
    kept = [r["title"] for r in server.resources() if is_xml_export(r)]
    # the CSV exports (zipped or not), the RS export and the PDF notice are out; the older XML stays a candidate
    assert kept == ["Export des fiches RNCP (XML) du 28/11/2026", "export-fiches-rncp-v4-1-2026-11-29.zip"]


def test_a_plain_xml_resource_counts_and_dates_decide():
    older = {"title": "rncp.xml", "format": "XML", "url": "https://x/a.xml", "last_modified": "2026-01-01T00:00:00"}
    newer = {"title": "Export", "format": "", "url": "https://x/fiches-2026-02-01.xml", "last_modified": "2026-02-01"}
    assert choose_export({"resources": [older, newer]}, "test").url == "https://x/fiches-2026-02-01.xml"


@pytest.mark.parametrize("dataset, words", [
    ({"data": []}, "pas de liste « resources »"),
    ({"resources": ["x"]}, "une ressource n'est pas un objet"),
    ({"resources": [{"title": "e.zip", "format": "zip", "url": "ftp://x/e.zip", "last_modified": "2026-01-01"}]},
     "sans adresse http"),
    ({"resources": [{"title": "e.zip", "format": "zip", "url": "https://x/e.zip", "last_modified": "hier"}]},
     "date « last_modified » illisible"),
    ({"resources": [{"title": "e.csv", "format": "csv", "url": "https://x/e.csv", "last_modified": "2026-01-01"}]},
     "aucun export XML du RNCP"),
])
def test_a_dataset_of_another_shape_gets_a_sentence(dataset, words):
    with pytest.raises(FetchError) as raised:
        choose_export(dataset, "https://x/api/1/datasets/d/")
    assert words in str(raised.value) and "rien n'a été écrit" in str(raised.value)


# -- downloads -----------------------------------------------------------------------------

def test_fetch_downloads_the_export_then_check_reads_it(server, tmp_path, capsys, catalogue_36358):
    code, out, err = fetch_into(capsys, server, tmp_path)
    target = tmp_path / "export-fiches-rncp-v4-1-2026-11-29.zip"
    assert code == 0, err
    assert out.strip() == str(target) and "Export du RNCP téléchargé" in err
    assert target.read_bytes() == EXPORT and leftovers(tmp_path) == []
    assert [s.path for s in server.file_requests()] == ["/files/export-fiches-rncp-v4-1-2026-11-29.zip"]
    assert "\r" not in err   # no progress bar off a terminal
    code, out, err = run(capsys, "--catalogue", str(catalogue_36358), "rncp", "check", str(target), "--today", TODAY)
    assert code == 1 and "RNCP 36358 a été remplacée par RNCP 40913" in out and "(14 fiches RNCP lues)" in out


def test_second_run_with_nothing_new_downloads_nothing(server, tmp_path, capsys):
    assert fetch_into(capsys, server, tmp_path)[0] == 0
    before = len(server.file_requests())
    code, out, err = fetch_into(capsys, server, tmp_path)
    assert code == 0 and "déjà à jour" in err and "rien n'a été téléchargé" in err
    assert len(server.file_requests()) == before   # the checksum alone said so


def test_without_checksum_the_server_says_not_modified(tmp_path, capsys):
    with ExportServer(EXPORT, checksum_type=None) as server:
        assert fetch_into(capsys, server, tmp_path)[0] == 0
        code, _, err = fetch_into(capsys, server, tmp_path)
        assert code == 0 and "déjà à jour" in err
        assert [(s.status, s.sent) for s in server.file_requests()] == [(200, len(EXPORT)), (304, 0)]


def test_a_dropped_connection_is_resumed_with_a_range_request(server, tmp_path, capsys):
    half = len(EXPORT) // 2
    server.drop_after = half
    code, out, err = fetch_into(capsys, server, tmp_path)
    target = tmp_path / "export-fiches-rncp-v4-1-2026-11-29.zip"
    assert code == 1 and out == ""
    assert "interrompu" in err and "reprendra" in err and "Traceback" not in err
    assert not target.exists()
    assert (tmp_path / f".{target.name}.part").stat().st_size == half
    code, out, err = fetch_into(capsys, server, tmp_path)
    assert code == 0, err
    assert "reprise après" in err
    last = server.file_requests()[-1]
    assert (last.range, last.status, last.sent) == (f"bytes={half}-", 206, len(EXPORT) - half)
    assert target.read_bytes() == EXPORT and leftovers(tmp_path) == []


def test_a_wrong_checksum_leaves_no_file(server, tmp_path, capsys):
    server.body = bytes(len(EXPORT))   # same size, other bytes
    code, out, err = fetch_into(capsys, server, tmp_path)
    assert code == 1 and "empreinte sha256" in err and "supprimé" in err
    assert list(tmp_path.iterdir()) == [] or all(p.name.endswith(".lock") for p in tmp_path.iterdir())


def test_a_previous_export_stays_whole_when_the_next_fails(server, tmp_path, capsys):
    target = tmp_path / "export-fiches-rncp-v4-1-2026-11-29.zip"
    target.write_bytes(b"previous export")
    server.body = bytes(len(EXPORT))
    assert fetch_into(capsys, server, tmp_path)[0] == 1
    assert target.read_bytes() == b"previous export"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_offline_gets_a_sentence(tmp_path, capsys):
    code, out, err = run(capsys, "rncp", "fetch", "--source", f"http://127.0.0.1:{_closed_port()}/api/1/",
                         "-o", str(tmp_path))
    assert code == 1 and out == "" and "Traceback" not in err
    assert "refuse la connexion" in err and "Vérifiez la connexion réseau" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("setup, code, words", [
    (lambda s: setattr(s, "status", 503), 1, "en panne ou surchargé (erreur 503)"),
    (lambda s: setattr(s, "status", 404), 1, "introuvable"),
    (lambda s: setattr(s, "dataset_json", b"<html>maintenance</html>"), 1, "ce n'est pas du JSON"),
    (lambda s: setattr(s, "dataset_json", json.dumps({"resources": {}}).encode()), 1, "pas de liste « resources »"),
])
def test_server_faults_get_a_sentence(server, tmp_path, capsys, setup, code, words):
    setup(server)
    got, out, err = fetch_into(capsys, server, tmp_path)
    assert got == code and words in err and "Traceback" not in err, err
    assert leftovers(tmp_path) == [] and not any(p.suffix == ".zip" for p in tmp_path.iterdir())


def test_an_unknown_dataset_is_the_callers_input(server, tmp_path, capsys):
    code, _, err = fetch_into(capsys, server, tmp_path, "--dataset", "pas-ce-jeu")
    assert code == 2 and "(erreur 404)" in err and "--dataset" in err


def test_the_progress_bar_shows_bytes_speed_and_time_left(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    assert fetch.progress_wanted(screen)
    bar = fetch.Progress(10_000_000, 0, screen)
    bar.drawn = -1.0
    bar.add(2_500_000)
    bar.close()
    assert "2,5 Mo / 10,0 Mo" in screen.getvalue() and "Mo/s" in screen.getvalue() and "reste" in screen.getvalue()
    monkeypatch.setenv("CI", "true")
    assert not fetch.progress_wanted(screen)


def test_the_default_folder_keeps_only_the_latest_export(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(fetch, "DEFAULT_DIRECTORY", tmp_path)
    old = tmp_path / "export-fiches-rncp-v4-1-2026-11-28.zip"
    old.write_bytes(b"old")
    (tmp_path / f".{old.name}.fetch.json").write_text("{}")
    assert run(capsys, "rncp", "fetch", "--source", server.api)[0] == 0
    assert not old.exists() and (tmp_path / "export-fiches-rncp-v4-1-2026-11-29.zip").read_bytes() == EXPORT


# -- the watch -------------------------------------------------------------------------------

def test_watch_exit_codes_changed_then_nothing_to_do(server, tmp_path, capsys, catalogue_36358):
    watch = ("--catalogue", str(catalogue_36358), "rncp", "watch", "--source", server.api,
             "-o", str(tmp_path), "--today", TODAY)
    code, out, err = run(capsys, *watch, "--update")
    assert code == 1, err
    assert "RNCP 36358 a été remplacée par RNCP 40913" in out and "passe de RNCP 36358 à RNCP 40913" in out
    path = catalogue_36358 / f"{PROGRAMME}.yaml"
    assert "rncp: 40913" in path.read_text(encoding="utf-8")
    # staff confirm the exemption rules for the new fiche: nothing left to do
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  confirmed_for: []", "  confirmed_for:\n    - {rncp: 40913, confirmed_on: 2026-11-23, "
                                 "by: Responsable pédagogique}"), encoding="utf-8")
    code, out, err = run(capsys, *watch)
    assert code == 0, out + err
    assert "À jour : rien à faire" in out and "déjà à jour" in err


def test_watch_errors_exit_2_never_1(tmp_path, capsys, catalogue_36358):
    code, out, err = run(capsys, "--catalogue", str(catalogue_36358), "rncp", "watch",
                         "--source", f"http://127.0.0.1:{_closed_port()}/api/1/", "-o", str(tmp_path))
    assert code == 2 and "refuse la connexion" in err
    (catalogue_36358 / f"{PROGRAMME}.yaml").write_text("title: [", encoding="utf-8")
    code, _, err = run(capsys, "--catalogue", str(catalogue_36358), "rncp", "check", str(EXTRACT))
    assert code == 2 and "problème(s) dans le catalogue" in err


def test_help_documents_the_exit_codes(capsys):
    for command in ("watch", "check"):
        with pytest.raises(SystemExit):
            main(["rncp", command, "--help"])
        out = capsys.readouterr().out
        assert "0  rien à faire" in out and "1  le registre a changé" in out and "2  erreur" in out


def test_dataset_address():
    assert fetch.dataset_url("http://h/api/1", DATASET) == f"http://h/api/1/datasets/{DATASET}/"


def test_a_download_cut_after_its_last_byte_is_finished_without_downloading_again(server, tmp_path, capsys):
    target = tmp_path / "export-fiches-rncp-v4-1-2026-11-29.zip"
    (tmp_path / f".{target.name}.part").write_bytes(EXPORT)
    (tmp_path / f".{target.name}.part.json").write_text(json.dumps({"url": f"{server.base}/files/{target.name}",
                                                                    "etag": server.etag}))
    code, _, err = fetch_into(capsys, server, tmp_path)
    assert code == 0, err
    assert [(s.range, s.status) for s in server.file_requests()] == [(f"bytes={len(EXPORT)}-", 416)]
    assert target.read_bytes() == EXPORT and leftovers(tmp_path) == []


def test_a_partial_file_of_another_version_is_fetched_whole(server, tmp_path, capsys):
    """If-Range: the server's file changed since the partial download began, it sends it whole."""
    target = tmp_path / "export-fiches-rncp-v4-1-2026-11-29.zip"
    (tmp_path / f".{target.name}.part").write_bytes(b"x" * 1000)
    (tmp_path / f".{target.name}.part.json").write_text(json.dumps({"url": f"{server.base}/files/{target.name}",
                                                                    "etag": '"an-older-file"'}))
    assert fetch_into(capsys, server, tmp_path)[0] == 0
    assert [(s.status, s.sent) for s in server.file_requests()] == [(200, len(EXPORT))]
    assert target.read_bytes() == EXPORT


def test_two_fetches_of_the_same_file_take_no_turns(server, tmp_path, capsys):
    from generator.safe_write import file_lock
    with file_lock(tmp_path / ".export-fiches-rncp-v4-1-2026-11-29.zip.part"):
        code, _, err = fetch_into(capsys, server, tmp_path)
    assert code == 1 and "un autre « rncp fetch » télécharge déjà" in err
    assert server.file_requests() == []
