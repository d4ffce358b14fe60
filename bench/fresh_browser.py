"""A visitor's browser for one benchmark visit: Debian's Chromium with its own new profile
folder (empty disk cache, as on a first visit; a reload then uses the disk cache as a returning
visitor's browser does). Playwright's usual `browser.new_context()` is an incognito-like context
whose in-memory cache keeps no large file (measured: a 6.9 MB response was fetched again on every
reload while 3.5 MB ones were reused), which would make a cached reload look worse than it is.
"""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from generator.browser.static_server import CHROMIUM, CHROMIUM_ARGS


@contextlib.contextmanager
def fresh_browser(playwright, init_script: str | None = None):
    """Yields (context, page, user_data_dir); everything is closed and removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        context = playwright.chromium.launch_persistent_context(
            folder, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if init_script:
                context.add_init_script(init_script)
            page = context.pages[0] if context.pages else context.new_page()
            yield context, page, Path(folder)
        finally:
            context.close()
