"""Figures of ``rncp fetch`` + ``rncp check`` on an export the size of France compétences' own,
served by tests/rncp_server.py (a local data.gouv.fr): bytes, time, peak memory (/usr/bin/time -v),
an interrupted download (Ctrl-C at about 40 %) resumed by the next run, and the run with nothing new.

    .venv/bin/python bench/rncp_fetch.py [--megabytes 570] [--work /tmp/rncp-bench]

Not named bench_*.py: ``scripts/dev bench`` does not run it (it writes some 1.2 GB).
"""
from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "rncp"
NAME = "export-fiches-rncp-v4-1-2026-11-29.zip"


def make_export(path: Path, megabytes: int) -> None:
    """The shared extract's fiches repeated under new numbers up to the size, then the CQP's two
    fiches; stored in a zip (no compression: the download is as big as the XML)."""
    extract = (FIXTURES / "export_fiches_RNCP_V4_1_extract.xml").read_text(encoding="utf-8")
    fiches = re.findall(r"<FICHE>.*?</FICHE>", extract, re.S)
    cqp = (FIXTURES / "cqp_assistant_medical_36358_40913.xml").read_text(encoding="utf-8")
    cqp_fiches = re.findall(r"<FICHE>.*?</FICHE>", cqp, re.S)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        with archive.open("export_fiches_RNCP_V4_1_2026_11_29.xml", "w", force_zip64=True) as xml:
            xml.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n')
            written, number = 0, 900000
            while written < megabytes * 1_000_000:
                for fiche in fiches:
                    number += 1
                    text = re.sub(r"<NUMERO_FICHE>RNCP\d+", f"<NUMERO_FICHE>RNCP{number}", fiche, count=1)
                    text = re.sub(r"<ID_FICHE_(NOUVELLE|ANCIENNE)_CERTIFICATION>RNCP\d+",
                                  r"<ID_FICHE_\1_CERTIFICATION>RNCP1", text)
                    data = ("  " + text + "\n").encode("utf-8")
                    xml.write(data)
                    written += len(data)
            for fiche in cqp_fiches:
                xml.write(("  " + fiche + "\n").encode("utf-8"))
            xml.write(b"</FICHES>\n")


def timed(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, dict]:
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, cwd=ROOT, **kwargs)
    figures = {}
    for key, label in (("Elapsed (wall clock) time (h:mm:ss or m:ss)", "temps"),
                       ("Maximum resident set size (kbytes)", "mémoire max (Ko)")):
        match = re.search(re.escape(key) + r": (.*)", done.stderr)
        figures[label] = match.group(1).strip() if match else "?"
    return done, figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=570)
    parser.add_argument("--work", type=Path, default=Path("/tmp/rncp-bench"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    served, fetched = args.work / "served", args.work / "fetched"
    served.mkdir(parents=True)
    fetched.mkdir()
    export = served / NAME
    started = time.monotonic()
    make_export(export, args.megabytes)
    print(f"export servi : {export.stat().st_size:,} octets (fait en {time.monotonic() - started:.0f} s)")

    server = subprocess.Popen([sys.executable, "-m", "tests.rncp_server", str(export)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        api = server.stdout.readline().strip()
        python = str(ROOT / ".venv" / "bin" / "python")
        fetch = [python, "-m", "generator", "rncp", "fetch", "--source", api, "-o", str(fetched)]
        target = fetched / NAME
        part = fetched / f".{NAME}.part"

        # 1. interrupted at about 40 %, like a Ctrl-C
        client = subprocess.Popen(fetch, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while not part.exists() or part.stat().st_size < 0.4 * export.stat().st_size:
            time.sleep(0.05)
        client.send_signal(signal.SIGINT)
        out, err = client.communicate()
        print(f"\n1. interrompu (SIGINT) : code {client.returncode}, {part.stat().st_size:,} octets gardés dans "
              f"{part.name}, cible présente : {target.exists()}\n   {err.strip()}")

        # 2. resumed
        done, figures = timed(fetch)
        print(f"\n2. reprise : code {done.returncode}, {figures}\n   "
              + "\n   ".join(line for line in done.stderr.splitlines() if "Export du RNCP" in line))
        same = subprocess.run(["cmp", str(export), str(target)]).returncode == 0
        print(f"   octets identiques à l'export servi : {same} ; restes : "
              f"{sorted(p.name for p in fetched.iterdir() if p.name.endswith(('.part', '.tmp')))}")

        # 3. the check on it
        done, figures = timed([python, "-m", "generator", "rncp", "check", str(target), "--today", "2026-11-30"])
        print(f"\n3. rncp check : code {done.returncode}, {figures}\n   "
              + "\n   ".join(done.stdout.splitlines()[:1] + done.stdout.splitlines()[-1:]))

        # 4. nothing new
        done, figures = timed(fetch)
        print(f"\n4. deuxième fetch : code {done.returncode}, {figures}\n   "
              + "\n   ".join(line for line in done.stderr.splitlines() if "Export du RNCP" in line))

        # 5. from scratch, whole (for the time and memory of one full download)
        target.unlink()
        for record in fetched.glob(".*.json"):
            record.unlink()
        done, figures = timed(fetch)
        print(f"\n5. fetch complet : code {done.returncode}, {figures}\n   "
              + "\n   ".join(line for line in done.stderr.splitlines() if "Export du RNCP" in line))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            log, _ = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            log, _ = server.communicate()
        print("\nrequêtes servies :\n   " + "\n   ".join(log.splitlines()))


if __name__ == "__main__":
    main()
