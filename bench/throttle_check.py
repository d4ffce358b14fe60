"""`bench_quiz.py --check-throttle`: does each profile reach the dedicated Web Worker?

A test page starts a worker that fetches 1 MB of incompressible bytes and then runs a fixed
busy loop (best of 3); the page runs the same loop on its main thread, then page and worker fetch 1 MB each
at the same time (one shared bandwidth budget, or one each?). Printed per profile, with what a
link of that bandwidth and latency would give. Run it on a quiet machine for clean ratios.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from field_profiles import PROFILES, apply_network, cpu_throttle
from fresh_browser import fresh_browser
from generator.browser.static_server import StaticServer

BLOB_BYTES = 1_000_000
PAGE = """<!doctype html><html lang=en><title>throttle check</title><script>
const LOOP = () => { const t = performance.now(); let x = 0; for (let i = 0; i < 1e8; i++) x = (x + i * 7) % 1000003; return performance.now() - t; };
const worker = new Worker("worker.js");
const ask = (what) => new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.postMessage(what); });
const pageFetch = async () => { const t = performance.now(); await (await fetch("blob.bin?page" + Math.random())).arrayBuffer(); return performance.now() - t; };
window.check = async () => {
  const workerFetch = await ask("fetch");
  const workerCpu = Math.min(await ask("cpu"), await ask("cpu"), await ask("cpu"));  // least disturbed of 3
  const mainCpu = Math.min(LOOP(), LOOP(), LOOP());
  const [both, pageBoth] = await Promise.all([ask("fetch"), pageFetch()]);
  return { workerFetch, workerCpu, mainCpu, together: Math.max(both, pageBoth) };
};
</script>"""
WORKER = """
const LOOP = () => { const t = performance.now(); let x = 0; for (let i = 0; i < 1e8; i++) x = (x + i * 7) % 1000003; return performance.now() - t; };
onmessage = async (event) => {
  if (event.data === "cpu") { postMessage(LOOP()); return; }
  const t = performance.now(); await (await fetch("blob.bin?worker" + Math.random())).arrayBuffer();
  postMessage(performance.now() - t);
};
"""


def check_throttle(profiles) -> int:
    with tempfile.TemporaryDirectory(prefix="throttle-check-") as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        (folder / "index.html").write_text(PAGE, encoding="utf-8")
        (folder / "worker.js").write_text(WORKER, encoding="utf-8")
        (folder / "blob.bin").write_bytes(os.urandom(BLOB_BYTES))
        results = {}
        with StaticServer(folder, keep_alive=True) as server:
            for profile in [PROFILES["loopback"], *[p for p in profiles if p.name != "loopback"]]:
                with fresh_browser(playwright) as (context, page, user_data_dir):
                    apply_network(context, page, profile)
                    with cpu_throttle(user_data_dir, profile):
                        page.goto(server.origin + "/index.html")
                        results[profile.name] = page.evaluate("check()")
    base = results["loopback"]
    print(f"{'profile':<10} {'worker fetch 1 MB':>18} {'link would give':>16} {'page+worker 1 MB each':>22} "
          f"{'worker CPU':>16} {'main CPU':>16}")
    for profile in [PROFILES["loopback"], *[p for p in profiles if p.name != "loopback"]]:
        found = results[profile.name]
        ideal = (BLOB_BYTES * 8 / (profile.down_kbit_s * 1000) * 1000 if profile.down_kbit_s else 0) + profile.latency_ms
        print(f"{profile.name:<10} {found['workerFetch']:>15.0f} ms {ideal:>13.0f} ms {found['together']:>19.0f} ms "
              f"{found['workerCpu']:>9.0f} ms x{found['workerCpu'] / base['workerCpu']:.1f} "
              f"{found['mainCpu']:>9.0f} ms x{found['mainCpu'] / base['mainCpu']:.1f}   (CPU rate {profile.cpu_rate:g})")
    return 0
