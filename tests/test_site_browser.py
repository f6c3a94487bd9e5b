"""The built site in a real browser (Debian's Chromium via Playwright), served on 127.0.0.1 and once
opened straight from the folder (file://), as on a workshop PC with no network.

Two tiers. The shipped guide's site, from the shared build (conftest.py), so the page weight, search
and axe-core judge the real pages; every language, step and direction comes from the loaded
steps.yaml. And tool tests of what the builder and its theme changes do (keyboard focus, the
lightbox, which picture file a screen loads, the printout), on the fixture guide's site
(sitefixture.py: tests/fixtures/small/), their counts taken from that guide."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import itertools
import shutil
import subprocess
import threading
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pypdf
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from guidebuilder import outputs
from guidebuilder.source.strings import load_strings
from projects import shipped_guide_or_none, shipped_guides, shipped_pairs, small_guide
from sitefixture import built_site, published_site

pytestmark = pytest.mark.browser
GUIDE, _ = shipped_guide_or_none()
LANGS = list(GUIDE.codes) if GUIDE else []
RTL = [lang.code for lang in GUIDE.languages if lang.rtl] if GUIDE else []
SMALL = small_guide()
SMALL_RTL = [lang.code for lang in SMALL.languages if lang.rtl]
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1024, "height": 768}
DESKTOP = {"width": 1280, "height": 900}
PAGE_BUDGET = 500 * 1024
PAPER_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
PRINT_MARGIN_MM = 15  # guide.css, @page
AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


@pytest.fixture(scope="session")
def site(shipped_build):
    """The first shipped guide's folder of the site (site/<slug>/) and the guide."""
    return shipped_build.guide_site, shipped_build.guide


def two_languages(guide) -> tuple[str, str]:
    """A language and another one to switch to (the last), or a skip when there is only one."""
    if len(guide.codes) < 2:
        pytest.skip("one language: no switcher")
    return guide.codes[0], guide.codes[-1]


@pytest.fixture(scope="session")
def small_site(tmp_path_factory):
    return built_site(tmp_path_factory)


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    return published_site(tmp_path_factory)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static web server as the site will have one: text compressed with gzip, like any host."""

    COMPRESS = (".html", ".css", ".js", ".json", ".xml", ".svg")
    sent: ClassVar[list[tuple[int, int]]] = []  # (bytes sent, file size) of every response

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.suffix not in self.COMPRESS or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            body = super().send_head()
            if body is not None and path.is_file():
                self.sent.append((path.stat().st_size, path.stat().st_size))
            return body
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.sent.append((len(body), path.stat().st_size))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """The folder served on 127.0.0.1 (a free port); yields its address."""
    handler = functools.partial(_Handler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site):
    with serving(site[0]) as url:
        yield url


@pytest.fixture(scope="session")
def shelf_server(shipped_build):
    """The whole shipped site, the shelf page at its root."""
    with serving(shipped_build.project / "site") as url:
        yield url


@pytest.fixture(scope="session")
def small_server(small_site):
    with serving(small_site[0]) as url:
        yield url


class Visit:
    """One page opened in a tab as a fresh one would be (tabs.py), with every request it made
    recorded."""

    def __init__(self, tabs, url: str, viewport=DESKTOP, scale: float = 1, **options):
        self.tabs = tabs
        self.page = tabs.borrow(viewport, scale, **options)
        self.requests: list[str] = []  # sent: the page's own policy refused none of them
        self.refused: list[str] = []  # refused by the page's Content-Security-Policy: never sent
        self.failed: list[str] = []
        tabs.listen(self.page, "request", lambda r: self.requests.append(r.url))
        tabs.listen(self.page, "requestfailed", self._failed)
        tabs.listen(self.page, "response", self._response)
        try:
            self.page.goto(url, wait_until="load")
        except BaseException:
            self.close()
            raise

    def _failed(self, request):
        if request.failure == "csp":
            self.requests.remove(request.url)
            self.refused.append(request.url)
        else:
            self.failed.append(f"{request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def scroll_through(self):
        """Down the page a window's height at a time, as a reader scrolls: every lazy picture
        comes into the window (Chromium starts loading it well before); then until nothing loads."""
        height = self.page.evaluate("document.documentElement.scrollHeight")
        window = self.page.evaluate("innerHeight")
        for y in range(0, height + window, window):
            self.page.evaluate(f"window.scrollTo(0, {y})")
            self.page.wait_for_timeout(60)
        self.page.wait_for_load_state("networkidle")

    def broken_images(self) -> list[str]:
        """Shown images that did not load (the pictures kept for paper are not shown)."""
        return self.page.evaluate(
            "[...document.images].filter(i => i.checkVisibility())"
            ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))")

    def close(self):
        self.tabs.give_back(self.page)  # its listeners removed


def outside(urls: list[str], allowed: tuple[str, ...]) -> list[str]:
    return [u for u in urls if not u.startswith(("data:", "blob:", "about:"))
            and not any(u.startswith(a) for a in allowed)]


@pytest.mark.parametrize(("slug", "lang"), shipped_pairs())
def test_page_loads_every_request_local_every_image_shown_and_light_on_a_phone(
        tabs, shelf_server, shipped_build, slug, lang, capsys):
    """Each guide's page in each language on a phone, scrolled through as a reader does. A phone's
    screen has two pixels per CSS pixel: it loads the 2x pictures, the heaviest the page has."""
    guide = shipped_build.guide_named(slug)
    server = f"{shelf_server}/{slug}"
    _Handler.sent.clear()
    visit = Visit(tabs, f"{server}/{lang}/index.html", viewport=PHONE, scale=2)
    try:
        visit.scroll_through()
        assert visit.failed == []
        assert outside(visit.requests, (server + "/",)) == []
        # Material looks for a sitemap beside each alternate address; off the public host the
        # page's policy keeps those requests in the browser.
        assert sorted(visit.refused) == sorted(f"{guide.url_for(code)}sitemap.xml"
                                               for code in guide.codes)
        assert visit.broken_images() == []
        assert len(visit.page.query_selector_all("figure img.guide-step__screen")) == len(guide.steps)
        html = visit.page.locator("html")
        assert html.get_attribute("lang") == lang
        assert html.get_attribute("dir") == guide.language(lang).dir
        assert visit.page.evaluate("document.cookie") == ""
        # Counted by the server (the search worker's requests included), bodies gzip-compressed
        # like any web host does for text; images and fonts are sent as they are.
        sent = sum(size for size, _raw in _Handler.sent)
        raw = sum(raw for _size, raw in _Handler.sent)
        with capsys.disabled():  # shown in every run, not only when the test fails
            print(f"\npage weight [{slug} {lang}] at {PHONE['width']}x{PHONE['height']} "
                  f"(2x screen), scrolled through: {sent / 1024:.0f} KB sent "
                  f"({raw / 1024:.0f} KB of files) in {len(_Handler.sent)} responses")
        assert sent < PAGE_BUDGET
    finally:
        visit.close()


@pytest.mark.parametrize("lang", RTL)
def test_right_to_left_layout_is_mirrored(tabs, server, lang):
    visit = Visit(tabs, f"{server}/{lang}/index.html")
    try:
        page = visit.page
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        logo = page.locator(".md-header__button.md-logo").bounding_box()
        search = page.locator(".md-search").bounding_box()
        assert logo["x"] > DESKTOP["width"] / 2 > search["x"]  # logo right, search left
        toc = page.locator(".md-sidebar--secondary").bounding_box()
        content = page.locator(".md-content").bounding_box()
        assert toc["x"] < content["x"]  # the table of contents moves to the left
    finally:
        visit.close()


def test_switcher_lands_on_the_same_page_in_the_other_language(tabs, server, site):
    _folder, guide = site
    start, other = two_languages(guide)
    step = guide.steps[min(1, len(guide.steps) - 1)].id
    path = next(p for p in guide.paths if step in p.steps)
    # a step's anchor is <path>-<step> one level down when the guide has several paths
    step, level = (f"{path.id}-{step}", "h3") if guide.several_paths else (step, "h2")
    visit = Visit(tabs, f"{server}/{start}/index.html#{step}")
    try:
        page = visit.page
        page.locator(".md-select").hover()
        page.locator(f"a.md-select__link[hreflang={other}]").click()
        page.wait_for_url(f"**/{other}/index.html*")
        assert page.locator("html").get_attribute("lang") == other
        assert page.locator(f"{level}#{step}").count() == 1
    finally:
        visit.close()


def test_shelf_page_leads_to_every_guide_in_each_language(tabs, shelf_server, shipped_build):
    """The shelf page (site/index.html): no script needed, nothing from elsewhere, and every
    guide's page in every language one click away."""
    visit = Visit(tabs, f"{shelf_server}/index.html")
    try:
        assert visit.failed == [] and outside(visit.requests, (shelf_server + "/",)) == []
        for guide in shipped_guides()[0]:
            for lang in guide.languages:
                link = visit.page.locator(f"#{guide.slug} li[lang={lang.code}] a.shelf__page")
                assert guide.text(lang.code).title in link.inner_text()
        last = shipped_guides()[0][-1]
        visit.page.locator(f"#{last.slug} li[lang={last.codes[-1]}] a.shelf__page").click()
        visit.page.wait_for_url(f"**/{last.slug}/{last.codes[-1]}/index.html")
        assert visit.page.locator("html").get_attribute("lang") == last.codes[-1]
    finally:
        visit.close()


def test_root_index_leads_to_each_language(tabs, server, site):
    _folder, guide = site
    visit = Visit(tabs, f"{server}/index.html")
    try:
        assert visit.failed == [] and outside(visit.requests, (server + "/",)) == []
        for lang in guide.languages:
            link = visit.page.locator(f"a[lang={lang.code}]")
            assert lang.name in link.inner_text()
        last = guide.codes[-1]
        visit.page.locator(f"a[lang={last}]").click()
        visit.page.wait_for_url(f"**/{last}/index.html")
    finally:
        visit.close()


def search(page, word: str):
    page.locator("label.md-search__icon[for=__search], .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    page.wait_for_function("() => typeof __md_get === 'function'")
    box.fill(word)
    result = page.locator(".md-search-result__item").first
    for _attempt in range(3):  # the index may still be loading in its worker: ask again
        # Material reads the query on keyup; fill() (like typing Arabic here) sends no key.
        box.press("End")
        try:
            result.wait_for(state="visible", timeout=4_000)
            break
        except PlaywrightTimeout:
            continue
    return page.locator(".md-search-result__list").inner_text()


def distinctive_word(title: str) -> str:
    return max(title.replace("'", " ").split(), key=len)


def searchable_title(guide, lang: str) -> tuple[str, str]:
    """A step title and its longest word, the word in as few other titles as can be: a word every
    step has ("settings") lists more results than the search shows at first."""
    titles = [step.text(lang).title for step in guide.steps]
    return min(((title, distinctive_word(title)) for title in titles),
               key=lambda pair: sum(pair[1].lower() in t.lower() for t in titles))


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_a_step(tabs, server, site, lang):
    _folder, guide = site
    title, word = searchable_title(guide, lang)
    visit = Visit(tabs, f"{server}/{lang}/index.html")
    try:
        assert title in search(visit.page, word)
        assert visit.failed == []
    finally:
        visit.close()


def test_opened_from_the_folder_everything_works(tabs, site):
    """file://: images, lightbox, search (inlined index + iframe worker) and the language switch."""
    folder, guide = site
    start, other = two_languages(guide)
    visit = Visit(tabs, (folder / start / "index.html").as_uri())
    try:
        page = visit.page
        visit.scroll_through()
        assert visit.broken_images() == []
        assert outside(visit.requests, ("file://",)) == []
        # Material asks each language's sitemap.xml to keep the reader on the same page when
        # switching; browsers refuse such requests on file://, and Material falls back to the link.
        assert [f for f in visit.failed if "/sitemap.xml" not in f] == []
        title = guide.steps[min(1, len(guide.steps) - 1)].text(start).title
        assert title in search(page, distinctive_word(title))
        page.keyboard.press("Escape")
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(".md-select").hover()
        page.locator(f"a.md-select__link[hreflang={other}]").click()
        page.wait_for_url(f"**/{other}/index.html*")
        assert urlsplit(page.url).scheme == "file"
        assert page.locator("html").get_attribute("lang") == other
    finally:
        visit.close()


@pytest.mark.parametrize("lang", LANGS[:1])
def test_image_zooms_on_click_without_any_outside_request(tabs, server, lang):
    visit = Visit(tabs, f"{server}/{lang}/index.html")
    try:
        page = visit.page
        page.locator("figure a.glightbox").first.click()
        zoomed = page.locator(".glightbox-container .gslide-image img").first
        zoomed.wait_for(state="visible", timeout=10_000)
        assert "@2x" in zoomed.get_attribute("src")
        page.wait_for_load_state("networkidle")
        assert outside(visit.requests, (server + "/",)) == []
    finally:
        visit.close()


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, from the copy axe-playwright-python ships
    (loaded from disk: no CDN)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
            for v in result["violations"]]


def one_per_direction(guide) -> list[str]:
    """The first left-to-right and the first right-to-left language."""
    return list(dict.fromkeys({lang.dir: lang.code for lang in reversed(guide.languages)}.values()))


# Every language's page at a phone's width (what its words add: names, labels, lang); the layout
# at the desktop's width in each direction, for the languages' layouts differ only by it.
AXE_PAGES = [("index.html", "desktop"), ("index.html", "phone"),
             *((f"{lang}/index.html", "phone") for lang in LANGS),
             *((f"{lang}/index.html", "desktop") for lang in (one_per_direction(GUIDE) if GUIDE else []))]


@pytest.mark.parametrize(("path", "viewport"), AXE_PAGES, ids=[f"{p}-{v}" for p, v in AXE_PAGES])
def test_axe_finds_no_violation(tabs, server, path, viewport):
    viewport = {"desktop": DESKTOP, "phone": PHONE}[viewport]
    visit = Visit(tabs, f"{server}/{path}", viewport=viewport)
    try:
        assert axe_violations(visit.page) == []
    finally:
        visit.close()


def test_a_handout_opens_in_the_browser_instead_of_downloading(full_browser, small_server):
    """On a library PC a downloaded file disappears into Downloads; the browser shows it (in
    Chromium itself: the headless shell has no PDF viewer, and downloads every PDF)."""
    lang = SMALL.codes[0]
    context = full_browser.new_context(accept_downloads=True)  # as by default
    downloads = []
    try:
        page = context.new_page()
        page.on("download", lambda download: downloads.append(download.suggested_filename))
        page.goto(f"{small_server}/{lang}/index.html")
        link = page.locator("ul.guide-handouts a").first
        target = link.get_attribute("href")
        with page.expect_navigation():
            link.click()
        assert page.url == f"{small_server}/{lang}/{target}" and downloads == []
    finally:
        context.close()


# Keyboard and screen readers

FOCUS_STATE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  window.__walked = window.__walked || new WeakSet();
  const again = window.__walked.has(e);
  window.__walked.add(e);
  const box = e.getClientRects()[0] || e.getBoundingClientRect(), cs = getComputedStyle(e);
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const label = (e.getAttribute("aria-label") || e.textContent || e.querySelector("img")?.alt || "");
  return {
    again,
    name: `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} "${label.trim().slice(0, 30)}"`,
    menu: e.matches(".md-select__link"),
    at: hit ? `${hit.tagName.toLowerCase()}.${[...hit.classList].join(".")}` : null,
    shown: e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
      && box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth && !!hit && e.contains(hit),
    ring: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2
          && !/^(transparent|rgba\\(.*, 0\\))$/.test(cs.outlineColor),
  };
}"""


def focus_state(page, settle_ms: int = 3_000) -> dict | None:
    """Where focus is, once it is shown (menus open with a transition), or after settle_ms."""
    state = page.evaluate(FOCUS_STATE)
    for _ in range(settle_ms // 50):
        if state is None or state["again"] or (state["shown"] and state["ring"]):
            return state
        page.wait_for_timeout(50)
        state = {**page.evaluate(FOCUS_STATE), "again": state["again"]}
    return state


@pytest.mark.parametrize(("viewport", "pace_ms"), [(PROJECTOR, 0), (PHONE, 500)],
                         ids=["projector", "phone"])
@pytest.mark.parametrize("lang", SMALL.codes)
def test_every_tab_stop_is_shown_with_a_focus_ring(tabs, small_server, small_site, lang, viewport,
                                                   pace_ms):
    """Tab through the whole page: no stop on a hidden widget (closed search results, the
    off-screen drawer), and each stop visible with an outline of 2 px or more (computed style).
    On a phone at a person's pace where it matters: the theme reacts to the search box after
    400 ms, so each stop in the header (language menu, search) and the first after it is looked
    at after that pace; the other stops have no timer of the theme's (transitions: focus_state)."""
    _folder, guide = small_site
    visit = Visit(tabs, f"{small_server}/{lang}/index.html", viewport=viewport)
    in_header = "!!document.activeElement?.closest('.md-header')"
    try:
        stops, problems = [], []
        was_in_header = False
        for _ in range(200):
            visit.page.keyboard.press("Tab")
            now_in_header = visit.page.evaluate(in_header)
            if was_in_header or now_in_header:
                visit.page.wait_for_timeout(pace_ms)
            was_in_header = now_in_header
            state = focus_state(visit.page)
            if state is None or state["again"]:
                break
            stops.append(state)
            if not state["shown"]:
                problems.append(f"hidden: {state['name']} (on top: {state['at']})")
            elif not state["ring"]:
                problems.append(f"no focus ring: {state['name']}")
        assert problems == []
        assert sum(s["menu"] for s in stops) == len(guide.languages), "the language menu"
        assert sum("glightbox" in s["name"] for s in stops) == len(guide.steps), "the pictures"
    finally:
        visit.close()


LIGHTBOX = ".glightbox-container"
SHOWN_PICTURE = ".glightbox-container .gslide.current .gslide-image img"


def open_lightbox(page, picture: int, how: str = "keyboard"):
    """Open the lightbox on the page's n-th picture, by keyboard (Enter), mouse or finger."""
    link = page.locator("figure a.glightbox").nth(picture)
    if how == "keyboard":
        link.focus()
        page.keyboard.press("Enter")
    elif how == "tap":
        link.scroll_into_view_if_needed()
        link.tap()
    else:
        link.click()
    page.locator(SHOWN_PICTURE).wait_for(state="visible")
    page.wait_for_timeout(600)  # GLightbox's opening effect


@pytest.mark.parametrize("lang", SMALL.codes)
def test_closing_the_lightbox_gives_focus_back_to_the_picture(tabs, small_server, lang):
    """Esc or the close button: focus returns to the picture that opened the lightbox, where a
    keyboard user left off, and its ring shows again (after a mouse click no ring is due). The
    three ways one after the other on one page, the mouse last (it changes which focus shows)."""
    visit = Visit(tabs, f"{small_server}/{lang}/index.html", viewport=PROJECTOR)
    try:
        page = visit.page
        for how in ("Escape", "close button, keyboard", "close button, mouse"):
            open_lightbox(page, 1, "mouse" if how.endswith("mouse") else "keyboard")
            if how == "Escape":
                page.keyboard.press("Escape")
            elif how.endswith("keyboard"):
                assert page.evaluate("document.activeElement.matches('.gclose')"), how
                page.keyboard.press("Enter")
            else:
                page.locator(".gclose").click()
            page.locator(LIGHTBOX).wait_for(state="detached")
            page.wait_for_function("document.activeElement.matches('figure a.glightbox')")
            assert page.evaluate("[...document.querySelectorAll('figure a.glightbox')]"
                                 ".indexOf(document.activeElement)") == 1, how
            if not how.endswith("mouse"):
                state = focus_state(page)
                assert state["shown"] and state["ring"], how
    finally:
        visit.close()


@pytest.mark.parametrize("lang", SMALL.codes)
def test_the_lightbox_is_a_named_dialog_with_focus_inside(tabs, small_server, small_site, lang):
    """Opened from the keyboard, focus moves into the lightbox (its close button); every Tab stop
    there shows a ring on the black backdrop; the dialog is named by the step's heading and its
    picture has the step's alt text."""
    _folder, guide = small_site
    step = guide.steps[1]
    visit = Visit(tabs, f"{small_server}/{lang}/index.html", viewport=PROJECTOR)
    try:
        page = visit.page
        open_lightbox(page, 1)
        problems = []
        for _ in range(4):
            state = focus_state(page)
            if not page.evaluate(f"!!document.activeElement.closest('{LIGHTBOX}')"):
                problems.append(f"focus left the lightbox: {state and state['name']}")
            elif not (state["shown"] and state["ring"]):
                problems.append(f"no visible ring: {state['name']}")
            page.keyboard.press("Tab")
        assert problems == []
        dialog = page.locator(f"{LIGHTBOX}[role=dialog]")
        assert dialog.get_attribute("aria-modal") == "true"
        name = page.evaluate(f"""() => {{
          const id = document.querySelector("{LIGHTBOX}").getAttribute("aria-labelledby");
          return id && document.getElementById(id).textContent}}""")
        assert name is not None and step.text(lang).title in name
        assert page.locator(SHOWN_PICTURE).get_attribute("alt") == step.text(lang).alt
        assert visit.failed == [] and outside(visit.requests, (small_server + "/",)) == []
    finally:
        visit.close()


def test_the_lightbox_follows_the_picture_it_shows(tabs, small_server, small_site):
    """After the arrow key moves to the next picture, the dialog is named by that step, and
    closing returns focus to that picture on the page."""
    _folder, guide = small_site
    lang = guide.codes[0]
    visit = Visit(tabs, f"{small_server}/{lang}/index.html", viewport=PROJECTOR)
    try:
        page = visit.page
        open_lightbox(page, 0)
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(600)  # GLightbox's slide effect
        name = page.evaluate(f"""() => document.getElementById(
          document.querySelector("{LIGHTBOX}").getAttribute("aria-labelledby")).textContent""")
        assert guide.steps[1].text(lang).title in name
        page.keyboard.press("Escape")
        page.locator(LIGHTBOX).wait_for(state="detached")
        page.wait_for_function("document.activeElement.matches('figure a.glightbox')")
        assert page.evaluate("[...document.querySelectorAll('figure a.glightbox')]"
                             ".indexOf(document.activeElement)") == 1
    finally:
        visit.close()


def touch(cdp, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(points)]})


def pinch_and_drag(page, centre: tuple[float, float], spread: float, drag: tuple[float, float]):
    """Two fingers spread apart from the centre, then one finger drags: real touch events."""
    cdp = page.context.new_cdp_session(page)
    x, y = centre
    touch(cdp, "touchStart", [(x - 20, y), (x + 20, y)])
    for step in range(1, 11):
        d = 20 + (spread - 20) * step / 10
        touch(cdp, "touchMove", [(x - d, y), (x + d, y)])
        page.wait_for_timeout(16)
    touch(cdp, "touchEnd", [])
    page.wait_for_timeout(150)  # GLightbox ends a pinch 50 ms after the fingers lift
    touch(cdp, "touchStart", [(x, y)])
    for step in range(1, 11):
        touch(cdp, "touchMove", [(x + drag[0] * step / 10, y + drag[1] * step / 10)])
        page.wait_for_timeout(16)
    touch(cdp, "touchEnd", [])
    page.wait_for_timeout(150)


def shown_box(page) -> dict:
    return page.evaluate(f"""() => {{
      const img = document.querySelector("{SHOWN_PICTURE}"), box = img.getBoundingClientRect();
      return {{x: box.x, y: box.y, width: box.width, src: img.currentSrc, natural: img.naturalWidth}}}}""")


@pytest.mark.parametrize("lang", SMALL.codes)
def test_on_a_phone_the_lightbox_shows_the_2x_file_and_zooms_and_pans(tabs, small_server,
                                                                      small_site, lang):
    """A tap on a picture on a 3x phone: the lightbox loads the 2x file (whatever the page's
    srcset chose) and shows it across the screen; two fingers zoom it past the screen's width,
    one finger then moves it."""
    folder, guide = small_site
    step = guide.steps[-1]
    visit = Visit(tabs, f"{small_server}/{lang}/index.html", viewport=PHONE, scale=3,
                  is_mobile=True, has_touch=True)
    try:
        page = visit.page
        open_lightbox(page, len(guide.steps) - 1, "tap")
        two_x = folder / lang / "images" / outputs.crop_filename(step.id, 2)
        before = shown_box(page)
        assert before["src"].endswith(f"/{lang}/images/{two_x.name}")
        assert before["natural"] == Image.open(two_x).width
        assert before["width"] == pytest.approx(min(PHONE["width"], before["natural"]), abs=1)
        centre = (PHONE["width"] / 2, page.evaluate(
            f"(b => b.y + b.height / 2)(document.querySelector('{SHOWN_PICTURE}')"
            ".getBoundingClientRect())"))
        pinch_and_drag(page, centre, spread=120, drag=(60, 30))
        after = shown_box(page)
        assert after["width"] > 2 * PHONE["width"], "zoomed"
        zoomed_x = before["x"] + before["width"] / 2 - after["width"] / 2  # zoom keeps the centre
        assert 0.8 * 60 <= after["x"] - zoomed_x <= 60 + 5, "moved with the finger"
        assert after["src"] == before["src"] and page.locator(LIGHTBOX).count() == 1
        assert visit.failed == [] and outside(visit.requests, (small_server + "/",)) == []
    finally:
        visit.close()


@pytest.mark.parametrize("lang", SMALL.codes)
def test_axe_finds_no_violation_on_a_phone(tabs, small_server, lang):
    """What the builder and its theme changes add (focus rings, language links, the lightbox as a
    dialog), judged by axe-core at a phone's width, on the page and then with the lightbox open;
    the shipped pages: test_axe_finds_no_violation."""
    visit = Visit(tabs, f"{small_server}/{lang}/index.html", viewport=PHONE)
    try:
        assert axe_violations(visit.page) == [], "page"
        open_lightbox(visit.page, 0, "mouse")
        assert axe_violations(visit.page) == [], "lightbox open"
    finally:
        visit.close()


# Pictures: the file each screen needs

SLOTS = """() => [...document.querySelectorAll("img.guide-step__screen")].map(img => {
  const probe = document.createElement("div");
  probe.style.cssText = "position:absolute;visibility:hidden;height:0";
  document.body.append(probe);
  let slot = null;
  for (const entry of img.sizes.split(",").map(s => s.trim())) {
    const m = entry.match(/^\\((.*?)\\)\\s+(.*)$/);
    if (m && !matchMedia(`(${m[1]})`).matches) continue;
    probe.style.width = m ? m[2] : entry;
    slot = probe.getBoundingClientRect().width;
    break;
  }
  probe.remove();
  const files = img.srcset.split(",").map(s => s.trim().split(/\\s+/))
    .map(([url, w]) => ({url: new URL(url, document.baseURI).href, width: parseInt(w)}));
  return {shown: img.getBoundingClientRect().width, slot, files, current: img.currentSrc};
})"""


@pytest.mark.parametrize("lang", SMALL.codes)
def test_sizes_say_the_width_each_picture_is_shown_at(tabs, small_server, lang):
    """pages.CONTENT_COLUMN against Material's layout, at each of its breakpoints: one page, the
    window resized to each width (the layout and the sizes' media queries follow the window, no
    reload needed: a wrong margin fails at the width it is wrong for)."""
    visit = Visit(tabs, f"{small_server}/{lang}/index.html", viewport=PHONE)
    try:
        for width in (PHONE["width"], 700, 1024, 1280, 1700, 2100):
            visit.page.set_viewport_size({"width": width, "height": 800})
            for picture in visit.page.evaluate(SLOTS):
                assert picture["slot"] == pytest.approx(picture["shown"], abs=1), (
                    width, picture["files"][0])
    finally:
        visit.close()


@pytest.mark.parametrize("scale", [1, 2])
def test_a_phone_loads_no_bigger_file_than_its_screen_needs(tabs, small_server, scale):
    """On a phone, a 2x screen takes the 1x file of a picture shown at less than half its width;
    a 1x screen takes no 2x file at all (nor do the pictures kept for paper)."""
    visit = Visit(tabs, f"{small_server}/{SMALL.codes[0]}/index.html", viewport=PHONE, scale=scale)
    try:
        visit.scroll_through()
        for picture in visit.page.evaluate(SLOTS):
            one_x = picture["files"][0]
            if one_x["width"] >= picture["shown"] * scale:
                assert picture["current"] == one_x["url"], picture
        if scale == 1:
            assert [u for u in visit.requests if "@2x." in u] == []
    finally:
        visit.close()


# Ctrl+P: the page on paper

def printed(tabs, page_file: Path, paper: str) -> pypdf.PdfReader:
    """The page as Chromium prints it, opened from the folder without scrolling (as after Ctrl+P
    straight away: the later pictures are still lazy). The outline marks each heading's page."""
    visit = Visit(tabs, page_file.as_uri(), viewport=PROJECTOR)
    try:
        return pypdf.PdfReader(io.BytesIO(visit.page.pdf(format=paper, outline=True, tagged=True)))
    finally:
        visit.close()


def heading_pages(reader: pypdf.PdfReader) -> list[int]:
    """The page of each second-level heading, in order (the steps come first)."""
    _title, children = reader.outline[0], reader.outline[1]
    return [reader.get_destination_page_number(item) for item in children
            if not isinstance(item, list)]


def rendered_pages(reader: pypdf.PdfReader, tmp_path: Path, dpi: int) -> list[Image.Image]:
    """Each page of the printout as a greyscale picture, through poppler."""
    pdf = tmp_path / "printout.pdf"
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.write(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    return [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]


def qr_codes(picture: Path) -> list[str]:
    found = subprocess.run(["zbarimg", "-q", "--raw", str(picture)], capture_output=True, text=True)
    return found.stdout.split()


def ink_bottom_pt(picture: Image.Image) -> int:
    """How far down a page rendered at 72 dpi its lowest ink is, in pt."""
    return picture.point(lambda v: 255 if v < 250 else 0).getbbox()[3]


def laid_out_for_paper(tabs, page_file: Path, paper: str) -> dict:
    """The page laid out with the print stylesheet at the paper's text width, its pictures for
    paper loaded (as Chromium loads them before it prints): each step's height in pt (its
    heading's top to its last part's bottom) and its paper picture's inner width in CSS px."""
    width_mm = PAPER_MM[paper][0] - 2 * PRINT_MARGIN_MM
    visit = Visit(tabs, page_file.as_uri(), viewport={"width": round(width_mm / 25.4 * 96),
                                                         "height": 900})
    try:
        page = visit.page
        page.emulate_media(media="print")
        page.evaluate("document.querySelectorAll('img.guide-step__print')"
                      ".forEach(img => { img.loading = 'eager'; })")
        page.wait_for_function("[...document.querySelectorAll('img.guide-step__print')]"
                               ".every(img => img.complete && img.naturalWidth > 0)")
        return page.evaluate("""() => ({
          heights: Object.fromEntries([...document.querySelectorAll(".guide-step")].map(step =>
            [step.dataset.step, 0.75 * (step.getBoundingClientRect().bottom
                                        - step.previousElementSibling.getBoundingClientRect().top)])),
          widths: Object.fromEntries([...document.querySelectorAll(".guide-step")].map(step =>
            [step.dataset.step, step.querySelector("img.guide-step__print")
                                    ?.clientWidth])),  // without its border
        })""")
    finally:
        visit.close()


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="poppler-utils and zbar-tools read the printout back")
@pytest.mark.parametrize(("lang", "paper"), [(SMALL.codes[0], "A4"), (SMALL.codes[0], "Letter"),
                                             *((code, "A4") for code in SMALL_RTL)])
def test_printout_keeps_steps_whole_on_few_pages_with_2x_pictures_and_the_address(
        tabs, published, lang, paper, tmp_path):
    """Ctrl+P: a step starts a new page only when it would not fit in what is left of the one
    before (short steps share a page), no step is split, every picture is printed from its 2x
    file, and the last page names the handouts, the page's address and its QR code."""
    folder, guide = published
    page_file = folder / lang / "index.html"
    reader = printed(tabs, page_file, paper)
    pictures = rendered_pages(reader, tmp_path, dpi=72)
    steps = guide.steps
    starts = dict(zip((s.id for s in steps), heading_pages(reader), strict=False))
    layout = laid_out_for_paper(tabs, page_file, paper)
    needed = layout["heights"]
    for step in steps:
        if step.image is not None:  # two file pixels per CSS px: 192 ppi or more on paper
            file = Image.open(folder / lang / "images" / outputs.crop_filename(step.id, 2))
            assert file.width / layout["widths"][step.id] >= 1.99, f"step '{step.id}'"
    paper_pt = PAPER_MM[paper][1] / 25.4 * 72
    margin_pt = PRINT_MARGIN_MM / 25.4 * 72
    for before, step in itertools.pairwise(steps):
        if starts[step.id] != starts[before.id]:
            free = paper_pt - margin_pt - ink_bottom_pt(pictures[starts[before.id]])
            assert needed[step.id] + 6 > free, f"step '{step.id}' would fit on the page before"
    images = [(number, image.image.size) for number, page in enumerate(reader.pages)
              for image in page.images]
    with_picture = [step for step in steps if step.image is not None]
    assert len(images) == len(with_picture)
    for step, (page, size) in zip(with_picture, images, strict=True):
        assert page == starts[step.id], f"step '{step.id}' split across pages"
        assert size == Image.open(folder / lang / "images" / outputs.crop_filename(step.id, 2)).size
    text = "".join("".join(page.extract_text() for page in reader.pages).split())
    assert guide.url_for(lang) in text
    assert all(h.filename in text for h in outputs.handouts(lang)), "the handouts by name"
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f",
                    str(len(reader.pages)), str(tmp_path / "printout.pdf"), str(tmp_path / "last")],
                   check=True)
    assert qr_codes(tmp_path / "last.png") == [guide.url_for(lang)]


def test_printout_of_a_placeholder_address_names_none(tabs, small_site):
    folder, guide = small_site
    assert guide.has_placeholder_url, "the fixture guide's public_url is a placeholder"
    lang = guide.codes[0]
    strings = load_strings(guide)
    reader = printed(tabs, folder / lang / "index.html", "A4")
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert strings[lang]["handout_ask_address"] in text
    assert guide.url_for(lang) not in text
