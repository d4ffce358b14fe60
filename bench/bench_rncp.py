"""Benchmark of the RNCP export reader at the real size; prints figures (nothing is asserted).

A synthetic export (~570 MB by default) is streamed to a temporary file by repeating the real
12-fiche extract's fiches with new numbers (copy k adds k x 100000 to every RNCP number it
carries, bloc codes and replacements included); the 36358 -> 40913 test fixture comes last, so
the catalogue's fiche is at the very end. Then, each in a child process:
- ``rncp show`` of the last synthetic fiche (the whole file is read);
- ``rncp check`` of the project's catalogue;
and, with ``--zip``, the same two on the file zipped (deflate) as France compétences ships it;
with ``--full-reader``, ``read_fiches`` (tests/rncp_oracle.py: iterparse of every element, every fiche built) over the
whole file, for comparison with the fast scan that show and check use.
Time is wall-clock; peak memory is the child's maximum resident set (ru_maxrss).
The synthetic files are deleted afterwards.

    .venv/bin/python bench/bench_rncp.py [--megabytes 570] [--zip] [--full-reader] [--keep DIR]
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "rncp"
EXTRACT = FIXTURES / "export_fiches_RNCP_V4_1_extract.xml"
CQP_FIXTURE = FIXTURES / "cqp_assistant_medical_36358_40913.xml"
FICHE = re.compile(r"<FICHE>.*?</FICHE>", re.DOTALL)
NUMBER = re.compile(r"RNCP(\d+)")
OFFSET = 100_000


def synthesise(target: Path, megabytes: float) -> tuple[int, int]:
    """Write the synthetic export; return (number of fiches, last synthetic number)."""
    extract = EXTRACT.read_text(encoding="utf-8")
    fiches = FICHE.findall(extract)
    cqp = FICHE.findall(CQP_FIXTURE.read_text(encoding="utf-8"))
    wanted = int(megabytes * 1_000_000)
    written, count, copy, last = 0, 0, 0, None
    with open(target, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n')
        while written < wanted:
            shift = copy * OFFSET
            block = NUMBER.sub(lambda m: f"RNCP{int(m.group(1)) + shift}", "\n  ".join(fiches))
            out.write("  " + block + "\n")
            written += len(block.encode("utf-8"))
            count += len(fiches)
            last = int(NUMBER.search(fiches[-1]).group(1)) + shift
            copy += 1
        for fiche in cqp:
            out.write("  " + fiche + "\n")
            count += 1
        out.write("</FICHES>\n")
    return count, last


def measure(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of a child process, measured from a fresh intermediate
    process so the peak is this child's alone."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    done = subprocess.run([sys.executable, "-c", probe, *argv], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, kilobytes, code = done.stdout.split()
    return float(seconds), int(kilobytes) / 1024, int(code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=570, help="taille visée de l'export synthétique (Mo)")
    parser.add_argument("--zip", action="store_true", help="mesurer aussi l'export zippé")
    parser.add_argument("--full-reader", action="store_true", help="mesurer aussi read_fiches sur tout le fichier")
    parser.add_argument("--keep", type=Path, help="dossier où garder le fichier synthétique (sinon supprimé)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-rncp-", dir=args.keep))
    export = folder / "export_fiches_RNCP_V4_1_synthetic.xml"
    try:
        started = time.perf_counter()
        count, last = synthesise(export, args.megabytes)
        size = export.stat().st_size / 1_000_000
        print(f"export synthétique : {size:.0f} Mo, {count} fiches, écrit en {time.perf_counter() - started:.1f} s")
        baseline = measure([sys.executable, "-c", "import generator.cli"])
        print(f"référence (python + import de generator) : {baseline[0]:.2f} s, pic {baseline[1]:.0f} Mo")
        exports = [("xml", export)]
        if args.zip:
            archive = folder / "export_fiches_RNCP_V4_1_synthetic.zip"
            started = time.perf_counter()
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(export, export.name)
            print(f"zip : {archive.stat().st_size / 1_000_000:.0f} Mo, écrit en {time.perf_counter() - started:.1f} s")
            exports.append(("zip", archive))
        for kind, path in exports:
            for label, argv in (
                    (f"show RNCP{last}", ["rncp", "show", str(path), str(last)]),
                    ("check du catalogue", ["rncp", "check", str(path)])):
                seconds, peak, code = measure([sys.executable, "-m", "generator", *argv])
                print(f"{kind} {label} : {seconds:.1f} s, pic mémoire {peak:.0f} Mo (code de sortie {code})")
        if args.full_reader:
            count_all = ("import sys; from tests.rncp_oracle import read_fiches; "
                         "print(sum(1 for _ in read_fiches(sys.argv[1])))")
            seconds, peak, code = measure([sys.executable, "-c", count_all, str(export)])
            print(f"xml read_fiches (lecture complète, iterparse) : {seconds:.1f} s, pic mémoire {peak:.0f} Mo "
                  f"(code de sortie {code})")
    finally:
        if args.keep is None:
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
