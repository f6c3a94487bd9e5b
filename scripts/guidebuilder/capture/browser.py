"""Debian's Chromium (found by guidebuilder.platform) driven by Playwright: the one place that
knows how to start it offline."""

from __future__ import annotations

from contextlib import contextmanager

from guidebuilder.platform import chromium_path

# Without these, Chromium keeps trying to reach Google's servers (updates, sync, field trials).
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
    "--no-default-browser-check", "--font-render-hinting=none",
)


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
