"""The editor's backend: the ``decap-server`` proxy protocol, answered by the project itself.

Decap CMS (``backend: proxy``) POSTs JSON ``{action, params}`` to ``/api/v1``. Reading answers
each file's values as the form holds them (``form_values.to_form``); ``persistEntry`` goes through
``save.save_file``: merged into the file as staff wrote it, checked with the whole catalogue,
replaced all at once, optionally committed alone. Only the files of the catalogue folder are
reachable (``catalogue/<name>.yaml``); there is no media library and nothing is deleted here.
"""
from __future__ import annotations

import json
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..catalogue import ORGANISATION_FILE, programme_files
from ..errors import StaffError
from .form_values import to_form, from_form
from .save import SaveRefused, declaration_of, fingerprint, plain_values, save_file

FOLDER = "catalogue"   # the folder the editor's configuration names; served from ``Editor.catalogue``


class Editor:
    def __init__(self, catalogue: Path, git: bool = False):
        self.catalogue = Path(catalogue)
        self.git = git
        self.opened: dict[str, str] = {}   # file name -> fingerprint of the content the form was given

    def answer(self, body: dict) -> tuple[int, dict | list]:
        """(HTTP status, JSON) for one request of the protocol."""
        action, params = body.get("action"), body.get("params") or {}
        try:
            if action == "info":
                return 200, {"repo": self.catalogue.parent.name, "publish_modes": ["simple"], "type": "local_fs"}
            if action == "entriesByFolder":
                if params.get("folder") != FOLDER:
                    raise SaveRefused(f"« {params.get('folder')} » n'est pas le dossier du catalogue.")
                return 200, [self._entry(path.name) for path in programme_files(self.catalogue)
                             if self._readable(path)]
            if action == "entriesByFiles":
                return 200, [self._entry(self._name(file["path"])) for file in params.get("files", [])
                             if (self.catalogue / self._name(file["path"])).is_file()]
            if action == "getEntry":
                return 200, self._entry(self._name(params.get("path", "")))
            if action == "persistEntry":
                return 200, self._persist(params)
            if action == "getMedia":
                return 200, []
            return 422, {"error": "Action non prévue par l'éditeur du catalogue (pas de médias, pas de "
                                  "suppression ici : passez par les fichiers)."}
        except SaveRefused as refused:
            lines = [refused.sentence] + [p for p in refused.problems if p != refused.sentence]
            return 422, {"error": "\n".join(lines)}
        except StaffError as error:
            return 422, {"error": str(error)}

    def _name(self, path: str) -> str:
        """The file name of ``catalogue/<name>.yaml``; anything else is refused."""
        folder, _, name = str(path).partition("/")
        if folder != FOLDER or not name or "/" in name or name.startswith(".") or not name.endswith(".yaml"):
            raise SaveRefused(f"« {path} » n'est pas un fichier du catalogue (catalogue/<nom>.yaml).")
        return name

    def _readable(self, path: Path) -> bool:
        try:
            plain_values(path)
            return True
        except SaveRefused:
            return False

    def _entry(self, name: str) -> dict:
        path = self.catalogue / name
        if not path.is_file():
            raise SaveRefused(f"catalogue/{name} n'existe pas.")
        content = path.read_bytes()
        self.opened[name] = fingerprint(content)
        values = to_form(declaration_of(path), plain_values(path))
        # JSON is YAML: the form reads exactly these values, whatever YAML 1.1 would make of « on ».
        return {"data": json.dumps(values, ensure_ascii=False, indent=1),
                "file": {"path": f"{FOLDER}/{name}", "id": self.opened[name]}}

    def _persist(self, params: dict) -> dict:
        files = params.get("dataFiles") or []
        if len(files) != 1:
            raise SaveRefused("L'éditeur enregistre un fichier à la fois.")
        data_file = files[0]
        name = self._name(data_file.get("newPath") or data_file["path"])
        if data_file.get("newPath") and data_file["newPath"] != data_file["path"]:
            raise SaveRefused("Renommer un fichier n'est pas prévu ici : l'identifiant d'un programme est le nom "
                              "de son fichier, qui apparaît dans les adresses du site.")
        try:
            values = YAML(typ="safe", pure=True).load(data_file.get("raw") or "") or {}
        except YAMLError:
            raise SaveRefused("Le formulaire a envoyé un contenu illisible : rien n'a été écrit.") from None
        if not isinstance(values, dict):
            raise SaveRefused("Le formulaire a envoyé un contenu illisible : rien n'a été écrit.")
        create = bool((params.get("options") or {}).get("newEntry"))
        if create and name == ORGANISATION_FILE:
            raise SaveRefused("« organisation » est réservé au fichier de l'organisme : choisissez un autre identifiant.")
        path = self.catalogue / name
        saved = save_file(self.catalogue, name, from_form(declaration_of(path), values),
                          None if create else self.opened.get(name), create=create, git=self.git)
        self.opened[name] = fingerprint(path.read_bytes())
        changed = ", ".join(saved.changed) or "aucun changement"
        return {"message": f"catalogue/{name} enregistré ({changed})" + (" et commité." if saved.committed else ".")}
