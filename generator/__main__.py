"""``python -m generator``: a Ctrl-C at any moment, even while the command's modules are still
being imported, ends with a sentence and exit code 130, never a traceback."""
import sys

INTERRUPTED = "Interrompu (Ctrl-C) : relancez la commande si besoin."


def _run() -> int:
    try:
        from .cli import main   # imported here: a Ctrl-C during the import is caught too
        return main()
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130


sys.exit(_run())
