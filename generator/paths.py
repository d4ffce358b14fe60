"""Where the project's own folders are (no import: the command line reads it before any command)."""
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_CATALOGUE = PROJECT_DIR / "catalogue"
