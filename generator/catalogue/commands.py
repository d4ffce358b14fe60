"""``python -m generator reference`` and ``python -m generator rules``: the catalogue for staff."""
from __future__ import annotations


from ..errors import UsageError


def cmd_rules(args) -> int:
    """Each rule of a programme: the label staff wrote, and what the condition checks."""
    from . import load_catalogue
    from .labels import rule_descriptions
    catalogue = load_catalogue(args.catalogue)
    try:
        entry = catalogue.programme(args.programme)
    except KeyError as error:
        raise UsageError(error.args[0]) from None
    for section, rules in rule_descriptions(entry.data):
        print(f"{section} :")
        for label, description, warning in rules:
            print(f"  - {label}")
            print(f"    condition vérifiée : {description}")
            if warning:
                print(f"    AVERTISSEMENT : {warning}")
    return 0


def register(commands) -> None:
    from .reference import cmd_reference
    parser = commands.add_parser(
        "reference", help="écrire la référence du format du catalogue et ses schémas JSON",
        description="Écrit catalogue/REFERENCE.md et les schémas JSON de catalogue/schema/ depuis les déclarations "
                    "des champs (pour les développeurs, après avoir changé un champ).",
        epilog="Codes de sortie : 0 fichiers écrits (ou à jour avec --check) ; 1 fichiers à régénérer (--check) "
               "ou un champ sans signification ni exemple.")
    parser.add_argument("--check", action="store_true", help="vérifier seulement qu'ils sont à jour (code 1 sinon)")
    parser.set_defaults(run=cmd_reference)
    rules = commands.add_parser(
        "rules", help="les règles d'un programme : libellés et conditions en clair",
        description="Liste chaque règle d'admission et de dispense d'un programme : le libellé écrit dans le "
                    "catalogue et ce que sa condition vérifie, en clair ; signale un libellé qui ne dit pas la même "
                    "chose que sa condition.",
        epilog="Codes de sortie : 0 règles affichées ; 1 le catalogue a des problèmes ; 2 programme inconnu.")
    rules.add_argument("programme", help="identifiant du programme, ex. cqp-assistant-medical")
    rules.set_defaults(run=cmd_rules)
