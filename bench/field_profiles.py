"""Network and CPU profiles of a prospect's device, and how the benchmark applies them.

Network: Chromium's own emulation (CDP ``Network.emulateNetworkConditions`` on the page's
session): it is applied in the browser's network stack, so the dedicated Web Worker's requests
are throttled too, and page and worker share ONE bandwidth budget (checked: a 1 MB fetch takes
5.2 s at 1.6 Mbit/s from the worker alone, and 10 s each when page and worker fetch 1 MB at the
same time; ``bench_quiz.py --check-throttle`` measures it again). Its latency is added once per
request (request-level, as Lighthouse's "devtools" throttling does): TCP and TLS handshakes are
not modelled, which makes it slightly kinder than a real link.

CPU: NOT Chromium's ``Emulation.setCPUThrottlingRate``, which slows the page's main thread only
(checked: a busy loop in the worker runs at full speed under rate 4, and the worker's own
DevTools session refuses the command). ``cpu_throttle.CpuThrottle`` instead suspends the whole
renderer process (main thread, worker, compositor) for (rate-1) times the CPU time its busiest
thread has just used, window after window of 25 ms.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cpu_throttle import CpuThrottle


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    latency_ms: float = 0          # added to every request (round trip)
    down_kbit_s: float = 0         # 0: not limited
    up_kbit_s: float = 0
    cpu_rate: float = 1            # 2: every thread of the page runs at half speed

    @property
    def throttles_network(self) -> bool:
        return bool(self.latency_ms or self.down_kbit_s or self.up_kbit_s)

    def network_conditions(self) -> dict:
        bytes_per_s = lambda kbit_s: kbit_s * 1000 / 8 if kbit_s else -1  # noqa: E731 (-1: no limit)
        return {"offline": False, "latency": self.latency_ms,
                "downloadThroughput": bytes_per_s(self.down_kbit_s), "uploadThroughput": bytes_per_s(self.up_kbit_s)}


PROFILES = {profile.name: profile for profile in (
    Profile("loopback", "loopback, no throttling"),
    Profile("fast4g", "fast 4G: 9 Mbit/s, 60 ms RTT, CPU x2", 60, 9000, 9000, 2),
    Profile("slow4g", "slow 4G (Lighthouse mobile): 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT, CPU x4",
            150, 1600, 750, 4),
)}


def apply_network(context, page, profile: Profile):
    """Throttle the page's network (its worker's included); returns the CDP session (keep it)."""
    session = context.new_cdp_session(page)
    if profile.throttles_network:
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", profile.network_conditions())
    return session


def browser_pid(user_data_dir: Path) -> int:
    """The Chromium browser process started with this (unique, temporary) profile folder."""
    wanted = f"--user-data-dir={user_data_dir}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                arguments = cmdline.read().split(b"\0")
        except OSError:
            continue
        if wanted in arguments and not any(argument.startswith(b"--type=") for argument in arguments):
            return int(entry)
    raise RuntimeError(f"no Chromium process found for {user_data_dir}")


def cpu_throttle(user_data_dir: Path, profile: Profile) -> CpuThrottle:
    return CpuThrottle(browser_pid(user_data_dir), profile.cpu_rate)
