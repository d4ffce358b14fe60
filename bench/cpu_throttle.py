"""Slow a set of processes down by a factor, as a slower CPU would: every thread of them runs
only 1/rate of the wall-clock time (SIGSTOP / SIGCONT duty cycle, in a separate process so that
the benchmark's own Python (GIL, Playwright's event loop) does not stretch the run windows).

Why not Chromium's own emulation: ``Emulation.setCPUThrottlingRate`` slows the page's main
thread only; a dedicated Web Worker (where the quiz runs Python) keeps full speed, and the
worker's own DevTools session refuses the command ("only supported for pages, not workers").
Applied to the renderer process, this throttle reaches the main thread, the worker and the
compositor alike, like a phone whose every core is slower.

    with CpuThrottle(browser_pid, rate=4): ...   # every renderer process under that browser
    python bench/cpu_throttle.py RATE PERIOD_S BROWSER_PID   (the helper process itself)

Renderers come and go (a first navigation swaps the process): the helper looks for them again
several times a second. Only descendants of the given browser process are touched.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

PERIOD_S = 0.1  # one run + pause cycle; long enough that scheduling delays are a small error


RESCAN_EVERY = 3  # cycles between two looks for new renderer processes


def renderer_pids(browser_pid: int) -> list[int]:
    """Chromium renderer processes descending from browser_pid (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], list(children.get(browser_pid, []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"--type=renderer" in cmdline.read():
                    found.append(pid)
        except OSError:
            continue
    return found


class CpuThrottle:
    def __init__(self, browser_pid: int, rate: float, period_s: float = PERIOD_S):
        self.browser_pid, self.rate, self.period_s = browser_pid, rate, period_s
        self._process: subprocess.Popen | None = None

    def __enter__(self):
        if self.rate > 1:
            self._process = subprocess.Popen(
                [sys.executable, __file__, str(self.rate), str(self.period_s), str(self.browser_pid)])
        return self

    def __exit__(self, *exc):
        if self._process is not None:
            self._process.terminate()   # the helper resumes every process before it exits
            self._process.wait()
            _resume(renderer_pids(self.browser_pid))  # and again, in case it died between two signals


def _resume(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def _duty_cycle(rate: float, period_s: float, browser_pid: int) -> None:
    running = period_s / rate
    stopped = period_s - running
    stop = False

    def on_term(*_):
        nonlocal stop
        stop = True
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    pids: list[int] = []
    cycle = 0
    try:
        while not stop:
            if cycle % RESCAN_EVERY == 0:
                pids = renderer_pids(browser_pid)
            cycle += 1
            time.sleep(running)
            if stop:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGSTOP)
                except ProcessLookupError:
                    pass
            time.sleep(stopped)
            _resume(pids)
    finally:
        _resume(pids)


if __name__ == "__main__":
    _duty_cycle(float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))
