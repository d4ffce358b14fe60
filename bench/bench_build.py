"""Site build time: the real catalogue, then 50, 100 and 200 synthetic programmes.

Synthetic programmes are copies of the real one under new ids. Prints seconds per build and
per programme, to see whether the build grows linearly with the number of programmes, and the
machine's load (`uptime`: it may be shared).
Usage: .venv/bin/python bench/bench_build.py [--sizes 50 100 200] [--cold]
Without --cold the build caches are those of this machine (warm once a run has filled them); with
--cold the PDF sheets, search entries and compiled templates start empty (new sheets to make),
the runtime's caches (brotli copies, stdlib survey, snapshot) stay as they are.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "catalogue"
REAL_ID = "cqp-assistant-medical"


def synthetic_catalogue(directory: Path, count: int) -> Path:
    directory.mkdir(parents=True)
    shutil.copy(CATALOGUE / "organisation.yaml", directory)
    text = (CATALOGUE / f"{REAL_ID}.yaml").read_text(encoding="utf-8")
    for index in range(count):
        programme_id = f"programme-{index:04d}"
        copy = text.replace(f"id: {REAL_ID}\n", f"id: {programme_id}\n", 1)
        copy = copy.replace("title: CQP Assistant(e) médical(e)\n", f"title: Programme synthétique {index}\n", 1)
        (directory / f"{programme_id}.yaml").write_text(copy, encoding="utf-8")
    return directory


COLD_CACHES = ("PROGRAMME_SHEET_CACHE", "GENERATOR_SEARCH_CACHE", "GENERATOR_JINJA_CACHE")


def timed_build(catalogue: Path, site: Path, environment: dict | None = None) -> float:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "generator", "--catalogue", str(catalogue), "build",
                          "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True, env=environment)
    elapsed = time.perf_counter() - start
    if run.returncode:
        sys.exit(f"build failed:\n{run.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 100, 200])
    parser.add_argument("--cold", action="store_true", help="empty PDF sheet, search and template caches")
    args = parser.parse_args()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    with tempfile.TemporaryDirectory() as temporary:
        temporary = Path(temporary)
        environment = None
        if args.cold:
            environment = {**os.environ, **{name: str(temporary / "cold" / name.lower()) for name in COLD_CACHES}}
        real = timed_build(CATALOGUE, temporary / "site-real", environment)
        print(f"real catalogue (1 programme){' cold' if args.cold else ''}: {real:.1f} s", flush=True)
        previous = None
        for size in args.sizes:
            catalogue = synthetic_catalogue(temporary / f"catalogue-{size}", size)
            elapsed = timed_build(catalogue, temporary / f"site-{size}", environment)
            pages = len(list((temporary / f"site-{size}").rglob("*.html")))
            line = f"{size} programmes: {elapsed:.1f} s, {pages} HTML pages, {elapsed / size * 1000:.0f} ms per programme"
            if previous:
                marginal = (elapsed - previous[1]) / (size - previous[0]) * 1000
                line += (f" (x{elapsed / previous[1]:.2f} time for x{size / previous[0]:.2f} programmes;"
                         f" {marginal:.0f} ms per added programme: linear growth keeps this steady)")
            print(line, flush=True)
            previous = (size, elapsed)
            shutil.rmtree(temporary / f"site-{size}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
