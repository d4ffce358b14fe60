"""The one base for every error a staff member can cause and fix (catalogue, answers file,
RNCP export, missing runtime, a file that cannot be read or written…).

Its message is a French sentence: what is wrong, where (file and line when there is one) and
what to do. The command line catches ``StaffError`` once and prints it (exit code from the
error); the site engine's hooks wrap it once. Never a traceback for these.

``generator/rules/`` does not import this module: the rules are also packaged alone for the
browser, and report bad answers with their own ``InvalidAnswers``.
"""
from __future__ import annotations

from pathlib import Path


class StaffError(Exception):
    """An error a staff member can fix. ``exit_code``: 1 something needs action, 2 bad input."""

    exit_code = 2

    def __init__(self, sentence: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(sentence)
        self.sentence = sentence
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.sentence
        where = str(self.path) + (f", ligne {self.line}" if self.line else "")
        return f"{where} : {self.sentence}"


class UsageError(StaffError):
    """The caller's input is wrong (an argument, an answers file, a CSV): message printed, exit 2."""

    exit_code = 2
