"""Compiled Jinja templates kept between builds (the theme's and the generator's own).

Every build compiled the same fifty templates (MkDocs and Material's, ours) to Python code again:
about half a second. Jinja's ``FileSystemBytecodeCache`` keeps that code in the user's build cache
(``build_cache.py``), keyed by Jinja on the template's name and file and checked against its source
(an edited template is compiled again). One folder per Jinja and Python version, whose compiled code
differs. A cache that cannot be written only makes the next build slower.
"""
from __future__ import annotations

import sys

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from ..browser.build_cache import cache_dir

CACHE_DIR = cache_dir("jinja", "GENERATOR_JINJA_CACHE") / f"jinja-{jinja2.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"


class _KeptIfPossible(FileSystemBytecodeCache):
    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)     # a temporary file renamed: whole or absent
        except OSError:
            pass


def bytecode_cache() -> FileSystemBytecodeCache | None:
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _KeptIfPossible(str(CACHE_DIR))
