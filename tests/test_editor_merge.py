"""The catalogue editor's backend without a browser: a save merges the form's values into the file
as staff wrote it (comments, order, quoting, folded texts, the schema line), writes cleared fields
as their declarations want, checks the whole catalogue first and writes nothing on a problem,
commits that one file only; the editor's configuration comes from the field declarations."""
import difflib
import json
import subprocess

import pytest

from generator.catalogue import check_catalogue
from generator.catalogue.editor_config import EDITOR_CONFIG, editor_config, free_text_paths
from generator.catalogue.reference import ROOT, SCHEMA_FOLDER, fields
from generator.catalogue.schema import ORGANISATION, PROGRAMME
from generator.editor.api import Editor
from generator.editor.form_values import from_form, to_form
from generator.editor.merge import merged_text
from generator.editor.save import SaveRefused, fingerprint, plain_values, save_file

from .site_helpers import catalogue_copy

PROGRAMME_FILE = "cqp-assistant-medical.yaml"


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def programme(tmp_path):
    catalogue = catalogue_copy(tmp_path / "catalogue")
    path = catalogue / PROGRAMME_FILE
    return catalogue, path, path.read_text(encoding="utf-8")


def form_of(path):
    """The values as the editor's form holds them (conditions as YAML text)."""
    return to_form(PROGRAMME, plain_values(path))


def test_unchanged_values_give_back_the_file_byte_for_byte(programme):
    _, path, text = programme
    assert merged_text(text, from_form(PROGRAMME, form_of(path)), PROGRAMME) == text


def test_one_field_changed_changes_only_its_line_and_keeps_every_comment(programme):
    _, path, text = programme
    values = from_form(PROGRAMME, form_of(path))
    values["title"] = "CQP Assistant(e) médical(e) en alternance"
    merged = merged_text(text, values, PROGRAMME)
    assert changed_lines(text, merged) == ["-title: CQP Assistant(e) médical(e)",
                                           "+title: CQP Assistant(e) médical(e) en alternance"]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 20 and all(comment in merged.splitlines() for comment in comments)
    assert merged.startswith("# yaml-language-server: $schema=schema/programme.schema.json\n")


def test_a_changed_folded_text_stays_folded_at_the_width_staff_wrote_it(programme):
    _, path, text = programme
    values = plain_values(path)
    values["summary"] += " Elle se prépare en cabinet médical, auprès d'un tuteur, pendant huit mois."
    merged = merged_text(text, values, PROGRAMME)
    changed = changed_lines(text, merged)
    assert changed[0].startswith("-  la gestion administrative") and len(changed) == 3, changed
    summary = merged.split("summary: >-\n")[1].split("\n\n")[0].splitlines()
    assert all(len(line) <= 2 + 92 for line in summary), summary


def test_quoted_and_flow_values_keep_their_writing(programme):
    _, path, text = programme
    values = plain_values(path)
    values["certification"]["current"]["nsf"] = ["331", "332"]
    merged = merged_text(text, values, PROGRAMME)
    assert changed_lines(text, merged) == ['-    nsf: ["331"]', '+    nsf: ["331", "332"]']


def test_cleared_fields_are_written_as_their_declarations_want(programme):
    _, path, text = programme
    values = plain_values(path)
    values["certification"]["current"]["level"] = ""     # nullable: null
    values["format"] = ""                                 # optional, not nullable: removed
    merged = merged_text(text, values, PROGRAMME)
    assert changed_lines(text, merged) == ["-    level: 4", "+    level: null", "-format: Formation en alternance"]
    # the comment written under the removed line introduces the next one: it stays
    assert "# présentiel, distance ou mixte : présentiel et e-learning ici." in merged
    assert '""' not in "".join(changed_lines(text, merged))


def test_empty_parts_sent_for_null_fields_leave_them_null(programme):
    _, path, text = programme
    values = plain_values(path)
    values["price"] = {"total_eur": "", "includes": ""}
    values["sessions"] = []
    values["pathways"] = {"bridges": [], "next_steps": [], "equivalences": []}
    assert merged_text(text, values, PROGRAMME) == text


def test_a_new_field_goes_where_the_declarations_put_it(programme):
    _, path, text = programme
    values = plain_values(path)
    values["attestation"] = "Attestation de fin de formation"
    merged = merged_text(text, values, PROGRAMME)
    lines = merged.splitlines()
    assert lines.index("attestation: Attestation de fin de formation") == lines.index("format: Formation en alternance") - 1


def test_conditions_travel_as_yaml_text_and_a_bad_one_is_refused_with_its_field(programme):
    _, path, _ = programme
    form = form_of(path)
    condition = form["admission"]["paths"][0]["condition"]
    assert isinstance(condition, str) and "answer:" in condition
    form["admission"]["paths"][0]["condition"] = "{answer: level4_or_bac, equals: [true"
    with pytest.raises(SaveRefused) as refused:
        from_form(PROGRAMME, form)
    assert "[admission › paths › 1 › condition]" in refused.value.sentence and "YAML" in refused.value.sentence


def test_a_save_that_breaks_a_rule_writes_nothing_and_says_why(programme):
    catalogue, path, text = programme
    values = plain_values(path)
    values["duration_weeks"] = 35          # a duration given twice
    values["blocs"][0]["hours"] += 1       # a bloc's hours no longer adding up
    with pytest.raises(SaveRefused) as refused:
        save_file(catalogue, PROGRAMME_FILE, values, fingerprint(path.read_bytes()))
    assert path.read_text(encoding="utf-8") == text
    problems = "\n".join(refused.value.problems)
    assert f"catalogue/{PROGRAMME_FILE}, ligne" in problems
    assert "durée" in problems.lower() and "blocs › 1" in problems, problems
    assert not list(catalogue.glob(".*.tmp"))


def test_a_valid_save_replaces_the_file_and_keeps_the_previous_version(programme):
    catalogue, path, text = programme
    values = plain_values(path)
    values["title"] = "CQP Assistant(e) médical(e) — alternance"
    saved = save_file(catalogue, PROGRAMME_FILE, values, fingerprint(path.read_bytes()))
    assert saved.changed == ["title"]
    assert (catalogue / f"{PROGRAMME_FILE}.bak").read_text(encoding="utf-8") == text
    assert check_catalogue(catalogue)[1] == []


def test_a_file_changed_elsewhere_since_it_was_opened_is_not_overwritten(programme):
    catalogue, path, text = programme
    opened = fingerprint(path.read_bytes())
    path.write_text(text.replace("data_date: 2026-11-22", "data_date: 2026-11-23"), encoding="utf-8")
    values = plain_values(path)
    values["title"] = "Autre titre"
    with pytest.raises(SaveRefused, match="modifié ailleurs"):
        save_file(catalogue, PROGRAMME_FILE, values, opened)
    assert "Autre titre" not in path.read_text(encoding="utf-8")


def _git(directory, *arguments):
    return subprocess.run(["git", "-C", str(directory), *arguments], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repository(programme):
    catalogue, path, text = programme
    _git(catalogue, "init", "-q")
    _git(catalogue, "config", "user.email", "test@example.org")
    _git(catalogue, "config", "user.name", "Test")
    _git(catalogue, "add", ".")
    _git(catalogue, "commit", "-qm", "départ")
    return catalogue, path, text


def test_with_git_a_save_commits_that_file_alone_with_a_french_message(repository):
    catalogue, path, _ = repository
    (catalogue / "notes.txt").write_text("un fichier laissé là\n")
    values = plain_values(path)
    values["title"] = "CQP Assistant(e) médical(e) — alternance"
    saved = save_file(catalogue, PROGRAMME_FILE, values, fingerprint(path.read_bytes()), git=True)
    assert saved.committed
    shown = [line for line in _git(catalogue, "show", "--name-only", "--format=%s", "HEAD").splitlines() if line]
    assert shown == [
        "Catalogue : « CQP Assistant(e) médical(e) — alternance » (cqp-assistant-medical.yaml), "
        "champ(s) modifié(s) : title", PROGRAMME_FILE]
    assert "?? notes.txt" in _git(catalogue, "status", "--porcelain")


def test_with_git_a_file_with_uncommitted_changes_is_refused(repository):
    catalogue, path, text = repository
    path.write_text(text.replace("data_date: 2026-11-22", "data_date: 2026-11-23"), encoding="utf-8")
    edited = path.read_text(encoding="utf-8")
    values = plain_values(path)
    values["title"] = "Autre titre"
    with pytest.raises(SaveRefused, match="modifications non enregistrées dans git"):
        save_file(catalogue, PROGRAMME_FILE, values, fingerprint(path.read_bytes()), git=True)
    assert path.read_text(encoding="utf-8") == edited


def test_the_api_answers_the_decap_protocol_and_refuses_paths_outside_the_catalogue(programme):
    catalogue, path, text = programme
    editor = Editor(catalogue)
    status, entries = editor.answer({"action": "entriesByFolder", "params": {"folder": "catalogue", "extension": "yaml"}})
    assert status == 200 and [entry["file"]["path"] for entry in entries] == [f"catalogue/{PROGRAMME_FILE}"]
    status, entry = editor.answer({"action": "getEntry", "params": {"path": f"catalogue/{PROGRAMME_FILE}"}})
    values = json.loads(entry["data"])
    values["title"] = "Titre changé"
    raw = json.dumps(values, ensure_ascii=False)
    status, answer = editor.answer({"action": "persistEntry", "params": {
        "dataFiles": [{"path": f"catalogue/{PROGRAMME_FILE}", "slug": "x", "raw": raw}], "options": {}}})
    assert status == 200, answer
    assert changed_lines(text, path.read_text(encoding="utf-8")) == [
        "-title: CQP Assistant(e) médical(e)", "+title: Titre changé"]
    for bad in ("../etc/passwd.yaml", "catalogue/../x.yaml", "catalogue/.cache.yaml", "docs/index.yaml"):
        status, answer = editor.answer({"action": "getEntry", "params": {"path": bad}})
        assert status == 422 and "n'est pas un fichier du catalogue" in answer["error"]


def test_a_new_programme_starts_from_the_schema_line(programme):
    catalogue, path, _ = programme
    values = plain_values(path)
    values["id"] = "cqp-assistant-medical-bis"
    saved = save_file(catalogue, "cqp-assistant-medical-bis.yaml", values, None, create=True)
    written = saved.path.read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=schema/programme.schema.json\nid: cqp-assistant-medical-bis\n")
    assert check_catalogue(catalogue)[1] == []
    with pytest.raises(SaveRefused, match="existe déjà"):
        save_file(catalogue, "cqp-assistant-medical-bis.yaml", values, None, create=True)


def _config_fields(widgets, prefix=""):
    for widget in widgets:
        path = f"{prefix}{widget['name']}"
        yield path, widget
        inner = widget.get("fields")
        if inner:
            yield from _config_fields(inner, path + ("[]." if widget["widget"] == "list" else "."))


def test_the_editor_configuration_is_generated_from_every_declaration():
    config = editor_config()
    programmes, organisation = config["collections"]
    for struct, widgets in ((PROGRAMME, programmes["fields"]), (ORGANISATION, organisation["files"][0]["fields"])):
        declared = {path: field for path, field in fields(struct)}
        configured = dict(_config_fields(widgets))
        free = [path for path, widget in configured.items() if "YAML" in widget["hint"]]
        inside_free_text = {p for p in declared if any(p.startswith(f + ".") for f in free)}
        assert set(declared) - inside_free_text <= set(configured)
        for path, field in declared.items():
            if path in inside_free_text:
                continue
            assert field.meaning in configured[path]["hint"] and field.example in configured[path]["hint"]
    course_mode = dict(_config_fields(programmes["fields"]))["course_mode"]
    assert course_mode["widget"] == "select" and course_mode["options"] == ["présentiel", "distance", "mixte"]
    total = dict(_config_fields(programmes["fields"]))["hours.total"]
    assert (total["min"], total["max"], total["required"]) == (1, 100_000, True)
    assert "exemptions.grounds[].condition" in free_text_paths() and "lheo.entry_level" in free_text_paths()
    committed = json.loads((ROOT / SCHEMA_FOLDER / EDITOR_CONFIG).read_text(encoding="utf-8"))
    assert committed == config, "lancez « python -m generator reference »"


def test_the_api_refuses_requests_from_another_origin_or_host(programme):
    import http.client
    from generator.editor.routes import EditorRoutes, loopback
    from generator.site.watch import Watcher
    catalogue, _, _ = programme
    assert loopback("127.0.0.1") and not loopback("0.0.0.0")
    body = json.dumps({"action": "getEntry", "params": {"path": f"catalogue/{PROGRAMME_FILE}"}})
    with Watcher(catalogue, catalogue.parent / "site", lambda: 0, sources=[], editor=EditorRoutes(catalogue)) as watcher:
        port = watcher.origin.rsplit(":", 1)[1]
        answers = []
        for headers in ({}, {"Origin": "http://evil.example"}, {"Host": f"evil.example:{port}"}):
            connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
            connection.request("POST", "/api/v1", body, {"Content-Type": "application/json", **headers})
            answers.append(connection.getresponse().status)
            connection.close()
    assert answers == [200, 403, 403]


def test_the_organisation_is_saved_through_the_api_like_a_programme(programme):
    catalogue, _, _ = programme
    path = catalogue / "organisation.yaml"
    text = path.read_text(encoding="utf-8")
    editor = Editor(catalogue)
    status, entries = editor.answer({"action": "entriesByFiles", "params": {"files": [{"path": "catalogue/organisation.yaml"}]}})
    values = json.loads(entries[0]["data"])
    values["phone"] = "04 94 00 00 00"
    status, answer = editor.answer({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "catalogue/organisation.yaml", "slug": "organisation", "raw": json.dumps(values)}], "options": {}}})
    assert status == 200, answer
    assert changed_lines(text, path.read_text(encoding="utf-8")) == ["-phone: null", "+phone: 04 94 00 00 00"]
    values["legal"]["siret"] = "12345678900000"   # a SIRET whose key does not match
    status, answer = editor.answer({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "catalogue/organisation.yaml", "slug": "organisation", "raw": json.dumps(values)}], "options": {}}})
    assert status == 422 and "catalogue/organisation.yaml, ligne" in answer["error"] and "SIRET" in answer["error"]


def test_a_removed_field_takes_its_own_line_comment_with_it(programme):
    _, path, text = programme
    values = plain_values(path)
    del values["rhythm"]["practice_place"]
    merged = merged_text(text, values, PROGRAMME)
    assert changed_lines(text, merged) == ["-  practice_place: en cabinet médical   # où se passent les jours de pratique"]


@pytest.mark.parametrize("path", sorted([*ROOT.glob("catalogue/*.yaml"), *ROOT.glob("tests/fixtures/kinds/*.yaml")]),
                         ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_catalogue_file_comes_back_byte_for_byte_through_the_form(path):
    struct = ORGANISATION if path.name == "organisation.yaml" else PROGRAMME
    text = path.read_text(encoding="utf-8")
    form = json.loads(json.dumps(to_form(struct, plain_values(path))))
    assert merged_text(text, from_form(struct, form), struct) == text
