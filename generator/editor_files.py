"""Files an editor or a download leaves beside the ones staff edit: Emacs « .#x.yaml » (a dangling
link), « #x.yaml# » and « x.yaml~ », Vim « .x.yaml.swp/.swo/.swx », LibreOffice/Word « ~$x »,
« x.yaml.bak », « x.tmp », browsers' « x.part » and « x.crdownload ». Hidden files are skipped
as a whole. The catalogue loader does not read them and ``serve`` does not rebuild for them."""
from __future__ import annotations

from pathlib import PurePath

EDITOR_PREFIXES = (".", "~$", "#")
EDITOR_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".part", ".crdownload")


def is_editor_file(path: PurePath) -> bool:
    return path.name.startswith(EDITOR_PREFIXES) or path.name.endswith(EDITOR_SUFFIXES)
