"""Slow Chromium's renderer processes down by a factor, as a slower CPU would: every thread of
the page (main thread, Web Worker, compositor) gets `rate` times the CPU time it needs here.

How: a helper process (not the benchmark's own Python, whose GIL and event loop would stretch
the windows) lets the renderers run for a short window, reads how much CPU time the busiest of
their threads used in it (/proc/PID/task/TID/schedstat), then suspends them (SIGSTOP) for
(rate - 1) times that, and resumes them (SIGCONT). Counting CPU time rather than wall time keeps
the factor close to `rate` on a machine shared with other jobs: a thread that waited for a core
is not punished twice (a plain wall-clock duty cycle, like Chromium's own throttler, is).

Why not Chromium's own emulation: ``Emulation.setCPUThrottlingRate`` slows the page's main
thread only; a dedicated Web Worker (where the quiz runs Python) keeps full speed (measured: a
busy loop in the worker took 537 ms unthrottled and 535 ms under rate 4, the main thread's
2215 ms), and the worker's own DevTools session refuses the command ("Operation is only
supported for pages, not workers").

    with CpuThrottle(browser_pid, rate=4): ...   # every renderer process under that browser
    python bench/cpu_throttle.py RATE BROWSER_PID   (the helper process itself)

Renderers come and go (a first navigation swaps the process): the helper looks for them again
several times a second. Only descendants of the given browser process are touched.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

WINDOW_S = 0.025   # the renderers run this long between two measured pauses
RESCAN_EVERY = 8   # windows between two looks for new renderer processes


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


def thread_cpu_ns(pids: list[int]) -> dict[tuple[int, str], int]:
    """CPU time used so far by every thread of these processes, in nanoseconds."""
    times = {}
    for pid in pids:
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in threads:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat", "rb") as schedstat:
                    times[(pid, tid)] = int(schedstat.read().split()[0])
            except (OSError, IndexError, ValueError):
                continue
    return times


class CpuThrottle:
    def __init__(self, browser_pid: int, rate: float):
        self.browser_pid, self.rate = browser_pid, rate
        self._process: subprocess.Popen | None = None

    def __enter__(self):
        if self.rate > 1:
            self._process = subprocess.Popen([sys.executable, __file__, str(self.rate), str(self.browser_pid)])
        return self

    def __exit__(self, *exc):
        if self._process is not None:
            self._process.terminate()   # the helper resumes every process before it exits
            self._process.wait()
            _send(renderer_pids(self.browser_pid), signal.SIGCONT)  # again, should it have died between two signals


def _send(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _throttle(rate: float, browser_pid: int) -> None:
    stop = False

    def on_term(*_):
        nonlocal stop
        stop = True
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    pids: list[int] = []
    window = 0
    try:
        while not stop:
            if window % RESCAN_EVERY == 0:
                pids = renderer_pids(browser_pid)
            window += 1
            before = thread_cpu_ns(pids)
            time.sleep(WINDOW_S)
            after = thread_cpu_ns(pids)
            busiest = max((used - before.get(thread, used) for thread, used in after.items()), default=0)
            if busiest <= 0 or stop:
                continue
            _send(pids, signal.SIGSTOP)
            time.sleep((rate - 1) * busiest / 1e9)
            _send(pids, signal.SIGCONT)
    finally:
        _send(pids, signal.SIGCONT)


if __name__ == "__main__":
    _throttle(float(sys.argv[1]), int(sys.argv[2]))
