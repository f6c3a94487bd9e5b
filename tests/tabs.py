"""Browser tabs kept open for the browser tests and lent to one test at a time.

A new tab costs Chromium a renderer process of its own: about 1 CPU-second before the page even
loads, measured on this project's pages, where loading the page again in an open tab costs a
third of that. So each test process keeps one open tab per kind of screen (pixels per CSS px,
phone or not, touch or not, script or not) and lends it out; the window is resized to what each
test asks.

What a fresh tab would give each test, a lent one gives too:
- nothing cached: the HTTP cache is off in every lent tab, so each page loads as on a first visit
  (every request reaches the server, and a page's weight is what a newcomer downloads);
- no cookies, no local or session storage left by an earlier test (the theme keeps the search and
  the palette there), no routes, no print media, no listener of an earlier test (listen());
- nothing hovered: Chromium hovers nothing in a newly loaded page until the mouse moves in it.
A tab that a test left in a state that cannot be undone (closed, crashed, stuck) is closed and
the next test gets a new one.
"""

from __future__ import annotations

import contextlib

from playwright.sync_api import Error as PlaywrightError

BLANK = "about:blank"


class Tabs:
    """The open tabs of one test process's Chromium, by kind of screen."""

    def __init__(self, browser):
        self.browser = browser
        self._idle: dict[tuple, object] = {}
        # by id of a lent or idle tab: its kind, the DevTools session that keeps its cache off,
        # and the listeners the test it is lent to added (listen())
        self._open: dict[int, tuple[tuple, object, list]] = {}

    def borrow(self, viewport: dict, scale: float = 1, **options):
        """An open tab at this window size, showing about:blank. `options` are Playwright's
        browser-context options (is_mobile, has_touch, java_script_enabled): each set of them is
        a kind of tab of its own."""
        key = (scale, *sorted(options.items()))
        page = self._idle.pop(key, None)
        if page is not None:
            page.set_viewport_size(viewport)
            return page
        context = self.browser.new_context(viewport=viewport, device_scale_factor=scale, **options)
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self._open[id(page)] = (key, session, [])
        return page

    def listen(self, page, event: str, listener) -> None:
        """page.on(event, listener) for the test the tab is lent to: removed when it is given back."""
        page.on(event, listener)
        self._open[id(page)][2].append((event, listener))

    def give_back(self, page) -> None:
        """Undo what a test did to the tab and keep it for the next one; close it when that fails."""
        key, _session, listeners = self._open[id(page)]
        for event, listener in listeners:
            page.remove_listener(event, listener)
        listeners.clear()
        try:
            page.unroute_all(behavior="ignoreErrors")
            with contextlib.suppress(PlaywrightError):  # a page of no origin has no storage
                page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            page.context.clear_cookies()
            page.emulate_media(media="null")
            page.goto(BLANK)
        except PlaywrightError:
            self._discard(page)
            return
        if key in self._idle:  # two of a kind were lent at once: keep one
            self._discard(page)
            return
        self._idle[key] = page

    def _discard(self, page) -> None:
        self._open.pop(id(page), None)
        with contextlib.suppress(PlaywrightError):
            page.context.close()

    def close(self) -> None:
        for page in list(self._idle.values()):
            self._discard(page)
        self._idle.clear()
