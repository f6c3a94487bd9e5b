"""Debian's Chromium (found by guidebuilder.platform) driven by Playwright: the one place that
knows how to start it offline."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from guidebuilder.platform import chromium_path

# Without these, Chromium keeps trying to reach Google's servers (updates, sync, field trials).
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
    "--no-default-browser-check", "--font-render-hinting=none",
)


# Playwright's sync API runs one driver per thread, and refuses a second while the first is open:
# the driver the open launch() calls share (a test session holds a browser while a capture starts).
_driver = threading.local()


@contextmanager
def launch(shell: bool = False):
    """Yield a headless Playwright Browser on Debian's Chromium (never a downloaded one); `shell`:
    on its headless shell where installed (platform.chromium_path). Calls nested in one thread
    share one Playwright driver, each with a browser of its own."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path(shell)
    playwright = getattr(_driver, "playwright", None)
    if playwright is not None:
        yield from _browser(playwright, executable)
        return
    with sync_playwright() as playwright:
        _driver.playwright = playwright
        try:
            yield from _browser(playwright, executable)
        finally:
            _driver.playwright = None


def _browser(playwright, executable):
    browser = playwright.chromium.launch(
        executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS))
    try:
        yield browser
    finally:
        browser.close()
