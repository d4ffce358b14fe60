"""``python -m generator lheo [-o FICHIER] [--today AAAA-MM-JJ]``: the offer as LHÉO 2.3 XML."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ..safe_write import WriteFailed, kept_file
from ..today import parse_today
from . import NAMESPACE, left_out, lheo_document


def write_offer(output: Path, document: bytes) -> Path | None:
    """Replace ``output`` all at once (generator/safe_write.py: lock, temporary file, check,
    ``.bak`` of the previous version); return the backup's path, if any. ``document`` has passed
    the XSD; the check here is that the disk gave back what was written."""
    if not output.parent.is_dir():
        raise WriteFailed(f"le dossier « {output.parent} » n'existe pas : rien n'a été écrit.", output)

    def reads_back_as_written(written: Path) -> None:
        try:
            same = written.read_bytes() == document and ET.fromstring(document).tag == f"{{{NAMESPACE}}}lheo"
        except (OSError, ET.ParseError):
            same = False
        if not same:
            raise WriteFailed("le fichier écrit sur le disque ne se relit pas tel qu'il a été écrit (disque "
                              "défaillant ?) : rien n'a été remplacé. Vérifiez le disque, puis relancez.", output)

    with kept_file(output) as target:
        return target.replace(document, validate=reads_back_as_written)


def cmd_lheo(args) -> int:
    from ..catalogue import ORGANISATION_FILE, load_catalogue, programme_files
    from ..safe_write import refuse_same_file
    catalogue = load_catalogue(args.catalogue)
    if args.output is not None:   # the export read every catalogue file: it must replace none of them
        for source in [Path(args.catalogue) / ORGANISATION_FILE, *programme_files(Path(args.catalogue))]:
            refuse_same_file(source, args.output, "Le fichier de sortie (-o)")
    today = parse_today(args.today)
    document = lheo_document(catalogue, today)   # LheoMissingFacts, LheoInvalid: nothing written
    for sentence in left_out(catalogue, today):
        print(f"Avertissement : {sentence}", file=sys.stderr)
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
