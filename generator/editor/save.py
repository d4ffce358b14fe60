"""Saving one catalogue file edited in the browser: merged, checked with the whole catalogue, then
replaced all at once (``generator/safe_write.py``), and optionally committed alone.

Nothing is written while the catalogue, with the edit applied, has a problem: the problems come
back as the validator's French sentences (file, line), for the editor to show. A file changed on
disk since the editor opened it (by someone in a text editor) is not overwritten either.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import ORGANISATION_FILE, PROGRAMME_SUFFIXES, check_catalogue
from ..catalogue.reference import ORGANISATION_SCHEMA, PROGRAMME_SCHEMA, SCHEMA_COMMENT
from ..catalogue.schema import ORGANISATION, PROGRAMME, SLUG
from ..catalogue.yaml_source import read_yaml, to_plain
from ..errors import StaffError
from ..safe_write import kept_file
from .merge import merged_text



class SaveRefused(StaffError):
    """The save was refused; ``problems``: the sentences to show (the validator's, one by line)."""

    exit_code = 1

    def __init__(self, sentence: str, problems: list[str] | None = None):
        super().__init__(sentence)
        self.problems = problems or [sentence]


@dataclass
class Saved:
    path: Path
    changed: list[str] = field(default_factory=list)   # the fields changed, « certification › current › level »
    committed: bool = False


def fingerprint(content: bytes | None) -> str:
    return hashlib.sha256(content or b"").hexdigest()


def declaration_of(path: Path):
    return ORGANISATION if path.name == ORGANISATION_FILE else PROGRAMME


def plain_values(path: Path) -> dict:
    """The file's values as the catalogue reads them (YAML 1.2, dates as ISO texts)."""
    source, problems = read_yaml(path, path.name)
    if source is None or not isinstance(source.tree, dict):
        raise SaveRefused(str(problems[0]) if problems else f"{path.name} : fichier illisible.")
    return to_plain(source.tree)


def changed_fields(before, after, at: tuple = ()) -> list[str]:
    """The deepest fields whose values differ, named as the reference names them."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*before, *(k for k in after if k not in before)]:
            found += changed_fields(before.get(key), after.get(key), at + (key,))
        return found
    if before == after:
        return []
    shown = [str(step + 1) if isinstance(step, int) else str(step) for step in at]
    return [" › ".join(shown)]


def _problems_with(catalogue: Path, target: Path, written: Path) -> list[str]:
    """The catalogue's problems once ``written`` replaces ``target``: checked in a copy of the folder
    (the whole catalogue, as ``validate`` would see it), reported under the real file's name."""
    with tempfile.TemporaryDirectory(prefix="editeur-") as temporary:
        copy = Path(temporary) / "catalogue"
        copy.mkdir()
        for path in catalogue.iterdir():
            if path.is_file() and path.suffix.lower() in PROGRAMME_SUFFIXES and path.name != target.name:
                shutil.copyfile(path, copy / path.name)
        shutil.copyfile(written, copy / target.name)
        _, problems = check_catalogue(copy)
        shown = []
        for problem in problems:
            sentence = str(problem)
            for folder in (str(copy.resolve()), str(copy)):
                sentence = sentence.replace(folder, "catalogue", 1)
            shown.append(sentence)
        return shown


def save_file(catalogue: Path, name: str, values: dict, opened: str | None, *, create: bool = False,
              git: bool = False) -> Saved:
    """Merge ``values`` into ``catalogue/name``, check, replace; ``opened``: the fingerprint of the
    file as the editor read it (None for a new file)."""
    catalogue = Path(catalogue)
    if not (name.endswith(".yaml") and (name == ORGANISATION_FILE or SLUG.match(name[:-5]))):
        raise SaveRefused(f"« {name} » n'est pas un nom de fichier du catalogue (minuscules, chiffres et tirets, "
                          "puis « .yaml »).")
    path = catalogue / name
    if create and path.exists():
        raise SaveRefused(f"Le programme « {name[:-5]} » existe déjà : choisissez un autre identifiant.")
    if git:
        _refuse_uncommitted(path)
    struct = declaration_of(path)
    with kept_file(path) as target:
        if not create and target.original is None:
            raise SaveRefused(f"catalogue/{name} n'existe plus : rien n'a été écrit.")
        if not create and opened is not None and fingerprint(target.original) != opened:
            raise SaveRefused(f"catalogue/{name} a été modifié ailleurs (dans un éditeur de texte ?) depuis son "
                              "ouverture dans l'éditeur : rien n'a été écrit. Rechargez la page pour repartir du "
                              "fichier tel qu'il est, puis refaites la modification.")
        try:
            original = (target.original or b"").decode("utf-8")
        except UnicodeDecodeError:
            raise SaveRefused(f"catalogue/{name} n'est pas en UTF-8 : rien n'a été écrit.") from None
        if not original.strip():   # a new file starts with the line naming its JSON Schema
            schema = ORGANISATION_SCHEMA if name == ORGANISATION_FILE else PROGRAMME_SCHEMA
            original = SCHEMA_COMMENT.format(name=schema) + "\n"
        before = plain_values(path) if target.original else {}
        text = merged_text(original, values, struct)

        def refuse_if_invalid(written: Path) -> None:
            problems = _problems_with(catalogue, path, written)
            if problems:
                raise SaveRefused("Enregistrement refusé : le catalogue aurait ces problèmes. Rien n'a été écrit.",
                                  problems)

        if text.encode("utf-8") == target.original:
            return Saved(path)
        target.replace(text.encode("utf-8"), validate=refuse_if_invalid)
    saved = Saved(path, changed_fields(before, plain_values(path)))
    if git:
        saved.committed = commit_file(path, saved.changed, created=create)
    return saved


# -- git: one file, never « git add . » ------------------------------------------------------------

def _git(path: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(path.parent), *arguments], capture_output=True, text=True)


def _refuse_uncommitted(path: Path) -> None:
    if not path.exists():
        return
    status = _git(path, "status", "--porcelain", "--", path.name)
    if status.returncode != 0:
        raise SaveRefused("Le dossier du catalogue n'est pas dans un dépôt git : relancez « serve » sans --git-commit.")
    if status.stdout.strip():
        raise SaveRefused(f"catalogue/{path.name} a des modifications non enregistrées dans git (faites ailleurs, "
                          "dans un éditeur de texte ?) : rien n'a été écrit. Enregistrez-les (git commit) ou "
                          "annulez-les, puis refaites la modification.")


def commit_message(path: Path, changed: list[str], created: bool) -> str:
    try:
        values = plain_values(path)
        title = values.get("title") or values.get("name") or path.stem
    except SaveRefused:
        title = path.stem
    if created:
        return f"Catalogue : nouveau programme « {title} » ({path.name})"
    fields = ", ".join(changed[:8]) + (" …" if len(changed) > 8 else "")
    return f"Catalogue : « {title} » ({path.name}), champ(s) modifié(s) : {fields}"


def commit_file(path: Path, changed: list[str], created: bool = False) -> bool:
    """Commit ``path`` alone (``git commit --only``: whatever else is staged stays staged, uncommitted)."""
    if created and _git(path, "add", "--", path.name).returncode != 0:
        raise SaveRefused(f"catalogue/{path.name} est enregistré, mais git refuse de l'ajouter.")
    done = _git(path, "commit", "--only", "-m", commit_message(path, changed, created), "--", path.name)
    if done.returncode != 0:
        raise SaveRefused(f"catalogue/{path.name} est enregistré, mais le commit a échoué : "
                          f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}")
    return True
