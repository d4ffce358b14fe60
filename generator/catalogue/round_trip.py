"""How the commands that rewrite a catalogue file (``rncp update``, the editor's saves) load and dump
it: ruamel.yaml round-trip, with the settings under which the catalogue's files come back byte for
byte (comments, key order, quoting, the schema line)."""
from __future__ import annotations

from ruamel.yaml import YAML


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 120
    yaml.preserve_quotes = True
    yaml.representer.add_representer(     # an empty value is written `null`, as the files write it
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml
