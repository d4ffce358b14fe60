"""What the site publishes from docs/: regular files inside docs/, in folders MkDocs publishes.

A link to the Qualiopi certificate is written only when its file will be published
(``document_fault`` says why not otherwise), and a file of docs/ that is a link to something
outside docs/ (``/etc/passwd``…) stops the build instead of being copied into the site.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import StaffError

# Where MkDocs takes the hand-written files from (mkdocs.yml, docs_dir).
DOCS_DIRECTORY = Path(__file__).resolve().parents[2] / "docs"
# Folders of docs/ MkDocs does not publish: mkdocs.yml's exclude_docs (the theme's overrides/) and
# MkDocs' own default (/templates/); a name starting with a dot is never published either.
UNPUBLISHED_FOLDERS = ("overrides", "templates")


class OutsideDocs(StaffError):
    exit_code = 1


def document_fault(document: str, docs: Path = DOCS_DIRECTORY) -> str | None:
    """Why ``document`` (a path inside docs/) would not be published as it is, or None."""
    parts = Path(document).parts
    if any(part.startswith(".") for part in parts):
        return "un nom commençant par un point n'est pas publié par le site"
    if parts and parts[0] in UNPUBLISHED_FOLDERS:
        return f"le dossier docs/{parts[0]}/ n'est pas publié par le site"
    path = docs / document
    if not path.exists():
        return f"il est introuvable dans {docs}"
    if not _inside(path, docs):
        return f"c'est un lien vers un fichier hors de docs/ ({path.resolve()}), que le site ne publie pas"
    if not path.is_file():
        return "ce n'est pas un fichier ordinaire"
    return None


def _inside(path: Path, docs: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(docs)))


def refuse_links_outside_docs(sources: list[str], docs: Path) -> None:
    """Stop the build when a file MkDocs is about to copy from docs/ is not a regular file inside it
    (``sources``: every file MkDocs copies; the theme's own, outside docs/, are not staff's)."""
    docs = Path(os.path.abspath(docs))
    from_docs = [source for source in sources if Path(os.path.abspath(source)).is_relative_to(docs)]
    faulty = [source for source in from_docs if not (_inside(Path(source), docs) and Path(source).is_file())]
    if faulty:
        shown = ", ".join(f"« {Path(source).relative_to(docs)} » (→ {os.path.realpath(source)})" for source in faulty)
        raise OutsideDocs(f"Des fichiers de docs/ sont des liens vers des fichiers hors de docs/ ou ne sont pas des "
                          f"fichiers ordinaires : {shown}. Le site les publierait : remplacez chaque lien par le "
                          "fichier lui-même ou retirez-le, puis relancez la construction.")
