"""Debian's Chromium driven by Playwright: one place that knows how to start it offline."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

from guidebuilder.errors import BuildError

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Without these, Chromium keeps trying to reach Google's servers (updates, sync, field trials).
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
    "--no-default-browser-check", "--font-render-hinting=none",
)


def chromium_path() -> Path:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    found = shutil.which("chromium")
    if found:
        return Path(found)
    raise BuildError("Chromium is missing; run `make setup` as root, or "
                     "`sudo apt-get install chromium`")


@contextmanager
def launch():
    """Yield a headless Playwright Browser on Debian's Chromium (never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()
