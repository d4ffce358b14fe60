"""``python -m generator lheo [-o FICHIER] [--today AAAA-MM-JJ]``: the offer as LHÉO 2.3 XML."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ..safe_write import WriteFailed, kept_file
from ..today import parse_today
from . import NAMESPACE, lheo_document


def _reads_back_as_lheo(written: Path) -> None:
    """The temporary file, before it replaces anything: whole, well-formed LHÉO."""
    try:
        root = ET.parse(written).getroot()
    except ET.ParseError:
        root = None
    if root is None or root.tag != f"{{{NAMESPACE}}}lheo":
        raise WriteFailed("le fichier écrit ne se relit pas comme un document LHÉO : rien n'a été remplacé. "
                          "Relancez.", written)


def write_offer(output: Path, document: bytes) -> Path | None:
    """Replace ``output`` all at once (generator/safe_write.py: lock, temporary file, check,
    ``.bak`` of the previous version); return the backup's path, if any."""
    if not output.parent.is_dir():
        raise WriteFailed(f"le dossier « {output.parent} » n'existe pas : rien n'a été écrit.", output)
    with kept_file(output) as target:
        return target.replace(document, validate=_reads_back_as_lheo)


def cmd_lheo(args) -> int:
    from ..catalogue import load_catalogue
    catalogue = load_catalogue(args.catalogue)
    document = lheo_document(catalogue, parse_today(args.today))   # LheoMissingFacts: nothing written
    if args.output is None:
        sys.stdout.buffer.write(document)
        return 0
    backup = write_offer(Path(args.output), document)
    names = ", ".join(entry.id for entry in catalogue.programmes)
    print(f"Offre LHÉO 2.3 écrite dans {args.output} ({len(catalogue.programmes)} formation(s) : {names})"
          + (f" ; la version précédente est gardée dans « {backup} »." if backup else "."), file=sys.stderr)
    return 0


def register(commands) -> None:
    lheo = commands.add_parser(
        "lheo", help="exporter l'offre de formation au format LHÉO 2.3 (XML)",
        description="Écrit l'offre de formation du catalogue au format LHÉO 2.3 (Carif-Oref, France Travail). "
                    "Refuse d'écrire tant qu'un fait demandé par LHÉO manque, et les nomme tous.",
        epilog="Codes de sortie : 0 offre écrite ; 1 le catalogue a des problèmes, un fait LHÉO manque ou le fichier "
               "n'a pas pu être écrit ; 2 option ou date invalide.")
    lheo.add_argument("--output", "-o", metavar="FICHIER",
                      help="fichier XML à écrire (par défaut : sortie standard) ; un fichier existant est gardé en "
                           "FICHIER.bak")
    lheo.add_argument("--today", metavar="AAAA-MM-JJ",
                      help="date de référence : les sessions commencées avant sont omises (par défaut : aujourd'hui)")
    lheo.set_defaults(run=cmd_lheo)
