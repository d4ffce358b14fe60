"""The staff reference and the JSON Schema, generated from the schema: complete, up to date, usable."""
import argparse
import copy
import json
import re
import subprocess
import sys

import jsonschema
import pytest

from generator.catalogue import load_catalogue, schema
from generator.catalogue.reference import (CONDITION_DOCS, REFERENCE_FILE, SCHEMA_FOLDER, cmd_reference, condition_docs,
                                           fields, generated_files, schema_paths, undocumented_fields)
from generator.rules.conditions import COMPOSITES, leaf_operators
from generator.rules.kinds import KINDS, KindField, QuestionKind

from .conftest import CATALOGUE, FIXTURES, ROOT
from .publishing_helpers import published_catalogue

CATALOGUES = (CATALOGUE, FIXTURES / "mini", FIXTURES / "kinds")


def _shown(path):
    return "`" + path.replace("[]", "[ ]").replace(".", " › ") + "`"


def test_every_declared_field_has_a_meaning_and_an_example():
    assert undocumented_fields() == []
    assert len(schema_paths()) > 150  # the walk reaches the programme's fields, nested ones included
    assert {"questions[].choices[].label", "sessions[].place.city", "record.registered_on",
            "questions[].default.plus_months"} <= schema_paths()
    assert set(condition_docs()) == {*leaf_operators(), *COMPOSITES} and set(CONDITION_DOCS) == set(COMPOSITES)
    assert all(meaning.strip() and example.strip() for meaning, example in condition_docs().values())


@pytest.mark.parametrize("meaning, example", [("", "12"), ("Un nombre.", ""), ("  ", "12")])
def test_a_field_declared_without_a_meaning_or_an_example_is_caught(monkeypatch, meaning, example):
    monkeypatch.setitem(schema.PROGRAMME.fields, "new_field", schema.Field(schema.TEXT, meaning, example,
                                                                           required=False))
    assert undocumented_fields() == ["new_field"]
    with pytest.raises(KeyError, match="new_field"):
        generated_files()


def test_a_nested_or_organisation_field_without_a_meaning_is_caught(monkeypatch):
    legal = schema.ORGANISATION.fields["legal"].spec.spec
    monkeypatch.setitem(legal.fields, "vat_number", schema.Field(schema.TEXT, required=False))
    monkeypatch.setitem(schema.CERTIFICATION_RECORD.fields, "url", schema.Field(schema.TEXT, "Adresse.", ""))
    assert undocumented_fields() == ["record.url", "legal.vat_number"]


def test_a_kind_field_without_words_is_caught(monkeypatch):
    class Undocumented(QuestionKind):
        name, fields = "undocumented", {"steps": KindField(("integer", 0, 10), "", "")}

    class Declared(QuestionKind):
        name, fields = "declared", {"ticks": KindField(("integer", 2, 10), "nombre de graduations.", "4",
                                                       )}

    monkeypatch.setitem(KINDS, "undocumented", Undocumented())
    monkeypatch.setitem(KINDS, "declared", Declared())
    assert undocumented_fields() == ["questions[].steps"]
    ticks = schema.QUESTION.fields["ticks"]
    assert (ticks.meaning, ticks.example, ticks.required) == ("type declared : nombre de graduations.", "4", False)
    assert (ticks.spec.minimum, ticks.spec.maximum) == (2, 10)


def test_the_parts_of_a_kind_field_carry_their_words():
    value = schema.QUESTION.fields["choices"].spec.item.fields["value"]
    assert (value.meaning, value.example) == ("Valeur du choix, citée par les conditions.", "none")


def test_the_committed_reference_lists_every_field():
    text = (ROOT / REFERENCE_FILE).read_text(encoding="utf-8")
    for path in schema_paths():
        name, _, rest = path.partition(".")
        shown = _shown(rest) if name in ("record", "rule") else _shown(path)
        assert shown in text, path
    for path, _ in fields(schema.ORGANISATION):
        assert _shown(path) in text
    for operator in condition_docs():
        assert f"| `{operator}` |" in text
    for link in re.findall(r"\]\(([^)#]+)\)", text):
        assert (ROOT / REFERENCE_FILE.parent / link).is_file(), link


def test_the_committed_files_are_up_to_date():
    completed = subprocess.run([sys.executable, "-m", "generator", "reference", "--check"], cwd=ROOT,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_check_fails_and_writing_repairs_stale_files(tmp_path, capsys):
    assert cmd_reference(argparse.Namespace(check=True, root=tmp_path)) == 1
    assert "n'est pas à jour" in capsys.readouterr().err
    assert cmd_reference(argparse.Namespace(check=False, root=tmp_path)) == 0
    assert cmd_reference(argparse.Namespace(check=True, root=tmp_path)) == 0
    (tmp_path / REFERENCE_FILE).write_text("ancienne version", encoding="utf-8")
    assert cmd_reference(argparse.Namespace(check=True, root=tmp_path)) == 1


@pytest.mark.parametrize("directory", CATALOGUES)
def test_every_catalogue_file_names_its_json_schema(directory):
    for path in sorted(directory.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        expected = "organisation.schema.json" if path.name == "organisation.yaml" else "programme.schema.json"
        target = (path.parent / match.group(1)).resolve()
        assert target == (ROOT / SCHEMA_FOLDER / expected).resolve(), path


@pytest.fixture(scope="module")
def programme_schema():
    document = json.loads((ROOT / SCHEMA_FOLDER / "programme.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


@pytest.mark.parametrize("directory", CATALOGUES)
def test_the_json_schema_accepts_every_valid_programme(programme_schema, directory):
    catalogue = load_catalogue(directory)
    organisation = json.loads((ROOT / SCHEMA_FOLDER / "organisation.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(catalogue.organisation, organisation)
    for entry in catalogue.programmes:
        assert list(programme_schema.iter_errors(entry.data)) == [], entry.id


def _break(data, edit):
    broken = copy.deepcopy(data)
    edit(broken)
    return broken


@pytest.mark.parametrize("edit", [
    lambda d: d["blocs"][0]["modules"][0].update(exempted_bye=["x"]),       # misspelt field
    lambda d: d.pop("course_mode"),                                         # required field
    lambda d: d.update(course_mode="hybride"),                              # not an allowed value
    lambda d: d["exemptions"]["grounds"][0].update(condition={"answer": "x", "at_most": 3}),  # unknown operator
    lambda d: d["questions"][0].update(type="texte"),
    lambda d: d.update(duration_months="huit"),
])
def test_the_json_schema_catches_what_an_editor_should_flag(programme_schema, catalogue, edit):
    data = catalogue.programme("cqp-assistant-medical").data
    assert list(programme_schema.iter_errors(data)) == []
    assert list(programme_schema.iter_errors(_break(data, edit)))


@pytest.fixture(scope="module")
def organisation_schema():
    document = json.loads((ROOT / SCHEMA_FOLDER / "organisation.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The real programme and an organisation with every publishing fact filled (made-up values)."""
    return load_catalogue(published_catalogue(tmp_path_factory.mktemp("reference") / "catalogue"))


def test_the_json_schema_accepts_every_publishing_fact_filled(programme_schema, organisation_schema, published):
    data = published.programme("cqp-assistant-medical").data
    assert data["price"]["total_eur"] and data["sessions"] and data["lheo"]["entry_level"] == 4
    assert list(programme_schema.iter_errors(data)) == []
    assert list(organisation_schema.iter_errors(published.organisation)) == []


@pytest.mark.parametrize("edit", [
    lambda d: d["price"].update(total_eur="3 500 €"),                 # a number, not a text
    lambda d: d["results"][0].update(success_rate=120),              # a percentage
    lambda d: d["sessions"][0].update(status="fermée"),
    lambda d: d["sessions"][0]["place"].pop("city"),
    lambda d: d["lheo"].update(formacode=["4627"]),                  # 5 digits
    lambda d: d["lheo"].update(entry_level=9),
    lambda d: d["lheo"].update(entry_level="bac"),
    lambda d: d["lheo"].update(formacode_version="13"),
])
def test_the_json_schema_flags_a_wrong_publishing_fact(programme_schema, published, edit):
    assert list(programme_schema.iter_errors(_break(published.programme("cqp-assistant-medical").data, edit)))


@pytest.mark.parametrize("edit", [
    lambda d: d["legal"].update(siret="123 456 782 00010"),           # spaces
    lambda d: d["legal"].update(siret=12345678200010),               # not in quotes
    lambda d: d["legal"].update(nda="1234567890"),                   # 10 digits
    lambda d: d["accessibility"].update(compliance_rate="75 %"),
    lambda d: d["qualiopi_certificate"].update(document="/etc/certificat.pdf"),
    lambda d: d["host"].update(adress="2 rue du Serveur"),           # misspelt field
])
def test_the_organisation_json_schema_flags_a_wrong_identity(organisation_schema, published, edit):
    assert list(organisation_schema.iter_errors(_break(published.organisation, edit)))
