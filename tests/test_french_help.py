"""Issue 16: ``--help`` of every command is French, complete (every argument explained, exit codes
whole, nothing cut) and argparse's own errors are French sentences."""
import argparse
import re
import subprocess
import sys

import pytest

from generator.cli import CORE_COMMANDS, EXTENSIONS, build_parser

from .conftest import ROOT

# argparse's English words and common English ones; option names and codes are allowed around them.
ENGLISH = re.compile(r"\b(usage|positional arguments|optional arguments|show this help|message and exit|"
                     r"the|and|of|file|default|required|invalid|choose from|error|directory|output)\b", re.I)


def _subparsers(parser):
    return {sub_name: sub for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for sub_name, sub in action.choices.items()}


def _walk(parser, name):
    """(name, parser) of ``parser`` and of every command and action below it."""
    yield name, parser
    for sub_name, sub in _subparsers(parser).items():
        yield from _walk(sub, f"{name} {sub_name}")


def _parsers():
    """The command line, then each command as `python -m generator COMMAND` builds it: the command
    table (cli.EXTENSIONS) imports only the named command's module, so each is built on its own."""
    top = "python -m generator"
    yield top, build_parser([])
    for command in (*CORE_COMMANDS, *EXTENSIONS):
        built = _subparsers(build_parser([command]))
        assert command in built, f"build_parser([{command!r}]) does not register {command!r}"
        yield from _walk(built[command], f"{top} {command}")


PARSERS = list(_parsers())


def test_every_command_is_walked():
    names = {name.split(" ", 3)[-1] for name, _ in PARSERS}
    assert {"validate", "evaluate", "evaluate-batch", "build", "serve", "lheo", "reference", "rules",
            "rncp show", "rncp check", "rncp update"} <= names


@pytest.mark.parametrize("name,parser", PARSERS, ids=[name for name, _ in PARSERS])
def test_help_is_french_complete_and_uncut(name, parser):
    text = parser.format_help()
    # option names (--site-dir), metavars (AAAA-MM-JJ) and addresses are not sentences
    words = re.sub(r"--?[\w-]+|https?://\S+|\b[A-ZÉ][A-ZÉ-]+\b", " ", text)
    assert not ENGLISH.search(words), (name, ENGLISH.search(words))
    assert text.startswith("utilisation : ")
    assert parser.description and parser.description.rstrip().endswith((".", ")")), name
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            assert action.help, (name, action.option_strings or action.dest)   # every option explained
    is_group = any(isinstance(action, argparse._SubParsersAction) for action in parser._actions)
    if not is_group or name == "python -m generator":
        codes = re.search(r"Codes de sortie : (.*)", " ".join(parser.epilog.split()))
        assert codes and codes.group(1).endswith("."), name
        assert re.search(r"\b0 ", codes.group(1)) and re.search(r"\b[12] ", codes.group(1)), name


def test_top_help_names_every_exit_code_whole():
    text = " ".join(build_parser([]).format_help().split())
    for code in ("0 tout s'est bien passé", "1 quelque chose demande votre action", "2 une entrée est fausse",
                 "130 interrompu (Ctrl-C)."):
        assert code in text


@pytest.mark.parametrize("arguments,sentence", [
    (["evaluate"], "il manque : programme."),
    (["serve", "--port", "huit"], "--port attend un nombre entier, pas « huit »."),
    (["valider"], "« valider » n'est pas possible pour COMMANDE"),
    (["validate", "--vite"], "option ou argument inconnu : --vite."),
])
def test_argument_errors_are_french(arguments, sentence):
    done = subprocess.run([sys.executable, "-m", "generator", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("utilisation : ") and sentence in done.stderr, done.stderr
    assert "error" not in done.stderr and "usage" not in done.stderr
