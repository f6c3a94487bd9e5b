"""The projector view (site/projector.py): one step per screen, for a workshop's facilitator.

Tool tests on the fixture guide's site (sitefixture.py: tests/fixtures/small/, English and Arabic),
every count taken from the loaded guide. The files first (what the page holds, its links, the
store), then Chromium (marked browser and slow): at 1024x768 zoomed to 150% (a 683x512 window at
1.5 pixels per px), at 1024x768 unzoomed and at 1920x1080, each step's title, body and whole
picture inside the window; the clicker's keys, the buttons, the counter and the announcement;
right to left in Arabic; no request leaving the machine; axe-core; and, without JavaScript, every
step in order. One content test: every shipped guide's steps fit the screen too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from guidebuilder import outputs
from guidebuilder.site import pages, projector
from guidebuilder.site.shelf import shelf_html
from guidebuilder.source.strings import load_strings
from projects import shipped_pairs, small_guide
from sitefixture import _build, built_site, check_links_and_anchors, parse, published_site
from test_site_browser import axe_violations, serving

SMALL = small_guide()
STRINGS = load_strings(SMALL)
LANGS = list(SMALL.codes)
VIEW = outputs.PROJECTOR  # the view of a guide of one path, as the fixture is
# (viewport, device scale): a 1024x768 projector with the browser zoomed to 150%, the same
# unzoomed, a 1920x1080 one.
ZOOMED = ({"width": 683, "height": 512}, 1.5)
SCREENS = {"1024x768 at 150%": ZOOMED, "1024x768": ({"width": 1024, "height": 768}, 1),
           "1920x1080": ({"width": 1920, "height": 1080}, 1)}
MIN_TEXT_DEVICE_PX = 28  # on the projected image


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_site(tmp_path_factory)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return published_site(tmp_path_factory)


def words(lang: str):
    return STRINGS[lang]


def counter(lang: str, n: int) -> str:
    return str(words(lang)["projector_counter"]).format(n=n, total=len(SMALL.steps))


# -- the files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_screen_per_step_with_the_pages_body_and_2x_picture(site, lang):
    folder, guide = site
    tree = parse(folder / lang / VIEW)
    html = tree.css_first("html")
    assert html.attributes["lang"] == lang
    assert html.attributes["dir"] == guide.language(lang).dir
    screens = tree.css("main section.screen")
    assert len(screens) == len(guide.steps) + 2  # a title screen, the steps, a closing screen
    assert screens[0].css_first(".screen__title").text() == guide.text(lang).title
    assert guide.text(lang).title in tree.css_first("h1").text()
    page = parse(folder / lang / "index.html")
    for n, (step, screen) in enumerate(zip(guide.steps, screens[1:-1], strict=True), start=1):
        text = step.text(lang)
        title_id = screen.attributes["aria-labelledby"]
        assert screen.css_first(f"#{title_id}").text() == text.title  # a labelled region
        assert screen.css_first(".screen__counter").text() == counter(lang, n)
        # the guide page's own sanitised body, badges included
        site_body = page.css_first(f".guide-step[data-step='{step.id}'] .guide-step__body")
        assert screen.css_first(".screen__body").html.split(">", 1)[1].rsplit("<", 1)[0].strip() \
            == site_body.html.split(">", 1)[1].rsplit("<", 1)[0].strip()
        assert len(screen.css(".guide-badge[role=img][aria-label]")) == len(text.badge_refs)
        img = screen.css_first("img")
        assert img.attributes["src"] == f"../images/{outputs.crop_filename(step.id, 2)}"
        assert img.attributes["alt"] == text.alt
        assert (folder / lang / "projector" / img.attributes["src"]).resolve().is_file()
    assert check_links_and_anchors(folder, [folder / lang / VIEW]) >= len(guide.steps) + 2


@pytest.mark.parametrize("lang", LANGS)
def test_no_resource_from_another_host(site, lang):
    folder, _guide = site
    tree = parse(folder / lang / VIEW)
    for node in tree.css("[src], [href]"):
        for attr in ("src", "href"):
            value = node.attributes.get(attr) or ""
            assert not re.match(r"^([a-z]+:)?//", value), value
    for name in projector.ASSETS:
        text = (folder / lang / projector.FOLDER / name).read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), name


@pytest.mark.parametrize("lang", LANGS)
def test_address_and_qr_code_only_when_the_address_is_real(site, published, lang):
    placeholder = parse(site[0] / lang / VIEW)
    for end in (placeholder.css(".screen")[0], placeholder.css(".screen")[-1]):
        assert end.css_first(".screen__ask").text() == words(lang)["handout_ask_address"]
        assert end.css_first("svg") is None and "example.org" not in end.html
    folder, guide = published
    real = parse(folder / lang / VIEW)
    for end in (real.css(".screen")[0], real.css(".screen")[-1]):
        # as typed: the word joiners that keep it from wrapping at a hyphen are invisible
        assert end.css_first(".screen__url").text().replace("\u2060", "") == guide.url_for(lang)
        assert end.css_first(".screen__qr svg") is not None
    assert all(s.css_first(".screen__url") is None for s in real.css(".screen")[1:-1])


@pytest.mark.parametrize("lang", LANGS)
def test_the_guide_page_and_the_shelf_link_it(site, lang):
    folder, guide = site
    page = parse(folder / lang / "index.html")
    link = page.css_first("p.guide-projector a")
    assert link.attributes["href"] == outputs.PROJECTOR and link.text() == words(lang)["projector_link"]
    # after the handouts, not among the steps
    html = page.html
    assert html.index("guide-projector") > html.index("guide-handouts")
    assert html.index("guide-projector") > max(html.index(f'data-step="{s.id}"') for s in guide.steps)
    shelf = parse_html(shelf_html([(guide, STRINGS)]))
    hrefs = [a.attributes["href"] for a in shelf.css(".shelf__projector a")]
    assert hrefs == [f"{guide.slug}/{code}/{VIEW}" for code in guide.codes]


def parse_html(text: str):
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(text)


def test_restored_from_the_store_byte_for_byte(site, tmp_path):
    """A second build with the same store restores each language, its projector view included."""
    folder, _guide = site
    shutil.copytree(folder.parent / "cache", tmp_path / "cache")  # the shared build is never changed
    again, _ = _build(tmp_path, cache=tmp_path / "cache")
    for lang in LANGS:
        for path in sorted((folder / lang / projector.FOLDER).iterdir()):
            assert (again / lang / projector.FOLDER / path.name).read_bytes() == path.read_bytes()


def test_the_cache_key_follows_the_projector_code_and_template(site):
    from guidebuilder.site.cache import site_kind

    parts = site_kind(site[1].root)
    assert pages.TEMPLATES.resolve() in {Path(p).resolve() for p in parts.files}  # its template,
    assert "site" in parts.packages  # CSS and script, and site/projector.py


# -- in the browser -------------------------------------------------------------------------------

CURRENT = """() => {
  const screens = [...document.querySelectorAll('section.screen')];
  const shown = screens.filter(s => s.checkVisibility());
  return {index: shown.length === 1 ? screens.indexOf(shown[0]) : -1,
          count: screens.length,
          counter: shown[0]?.querySelector('.screen__counter')?.textContent ?? null,
          live: document.querySelector('.controls [aria-live]').textContent};
}"""

BOXES = """() => {
  const screen = [...document.querySelectorAll('section.screen')].find(s => s.checkVisibility());
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const img = screen.querySelector('img');
  const body = screen.querySelector('.screen__body');
  return {
    title: box(screen.querySelector('.screen__title')),
    body: body ? box(body) : null,
    picture: img ? {...box(img), loaded: img.complete && img.naturalWidth > 0} : null,
    controls: box(document.querySelector('.controls')),
    font: body ? parseFloat(getComputedStyle(body).fontSize) : null,
    scale: devicePixelRatio, width: innerWidth, height: innerHeight,
  };
}"""


class Projector:
    """The fixture guide's projector view in one language, in a lent tab (tabs.py) where every request
    that is neither file:// nor the local server is stopped and recorded."""

    def __init__(self, tabs, url: str, allowed: str, viewport=ZOOMED[0], scale=ZOOMED[1],
                 **options):
        self.tabs = tabs
        self.page = tabs.borrow(viewport, scale, **options)
        self.stopped: list[str] = []
        try:
            self.page.route("**/*", self._route(allowed))
            self.page.goto(url, wait_until="load")
        except BaseException:
            self.close()
            raise

    def _route(self, allowed: str):
        def handle(route):
            url = route.request.url
            if url.startswith((allowed, "data:", "blob:", "about:")):
                route.continue_()
            else:
                self.stopped.append(url)
                route.abort()
        return handle

    def state(self) -> dict:
        return self.page.evaluate(CURRENT)

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        return self.state()

    def close(self):
        self.tabs.give_back(self.page)  # its route removed


@pytest.fixture(scope="module")
def server(site):
    with serving(site[0]) as url:
        yield url


def open_view(tabs, site, lang, how="file", server=None, **options) -> Projector:
    folder = site[0]
    if how == "file":
        return Projector(tabs, (folder / lang / VIEW).as_uri(), "file://", **options)
    return Projector(tabs, f"{server}/{lang}/{VIEW}", server + "/", **options)


def inside(box: dict, width: float, bottom: float) -> bool:
    return box["left"] >= -0.5 and box["top"] >= -0.5 and box["right"] <= width + 0.5 \
        and box["bottom"] <= bottom + 0.5


def check_each_step_fits(view: Projector, steps: int, screen: str) -> None:
    """Title, body and the whole picture of each step inside the window, above the controls; the
    body's text at least 28 px of the projected image."""
    viewport, scale = SCREENS[screen]
    for n in range(1, steps + 1):
        assert view.press("PageDown")["index"] == n
        view.page.wait_for_function(
            "[...document.images].filter(i => i.checkVisibility()).every(i => i.complete)")
        boxes = view.page.evaluate(BOXES)
        bottom = boxes["controls"]["top"]
        for part in ("title", "body", "picture"):
            assert inside(boxes[part], boxes["width"], bottom), (screen, n, part, boxes)
        assert boxes["picture"]["loaded"]
        assert boxes["font"] * boxes["scale"] >= MIN_TEXT_DEVICE_PX, (screen, n, boxes["font"])
        if scale == 1 and viewport["width"] == 1024:
            assert boxes["font"] >= MIN_TEXT_DEVICE_PX  # also in CSS px, unzoomed
    assert view.stopped == []


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.browser
@pytest.mark.slow
def test_each_step_fits_the_screen_with_large_text(tabs, site, lang, screen):
    viewport, scale = SCREENS[screen]
    view = open_view(tabs, site, lang, viewport=viewport, scale=scale)
    try:
        check_each_step_fits(view, len(SMALL.steps), screen)
    finally:
        view.close()


@pytest.mark.parametrize("screen", ["1024x768 at 150%", "1920x1080"])
@pytest.mark.parametrize(("slug", "lang"), shipped_pairs())
@pytest.mark.browser
@pytest.mark.slow
def test_every_shipped_step_fits_the_screen(tabs, shipped_build, slug, lang, screen):
    """Content test: the shipped guides' own steps (the longest texts) fit too."""
    guide = shipped_build.guide_named(slug)
    viewport, scale = SCREENS[screen]
    for href, path in outputs.projector_views(guide):  # one view per path (device)
        page = shipped_build.project / "site" / slug / lang / href
        view = Projector(tabs, page.as_uri(), "file://", viewport=viewport, scale=scale)
        try:
            check_each_step_fits(view, len(guide.path_steps(path)), screen)
        finally:
            view.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.browser
@pytest.mark.slow
def test_clicker_keys_move_and_each_move_is_announced(tabs, site, server, lang):
    """Page Down, space and the arrow 'forward' (ArrowRight; ArrowLeft right to left) go on; Page
    Up, Shift+space and the other arrow go back; Home and End jump to the first and last screen."""
    rtl = SMALL.language(lang).rtl
    forward, back = ("ArrowLeft", "ArrowRight") if rtl else ("ArrowRight", "ArrowLeft")
    view = open_view(tabs, site, lang, how="http", server=server)
    try:
        state = view.state()
        assert state["index"] == 0 and state["count"] == len(SMALL.steps) + 2
        assert view.page.locator("html").get_attribute("dir") == SMALL.language(lang).dir
        assert view.press(forward)["index"] == 1
        state = view.state()
        assert state["counter"] == counter(lang, 1)
        assert state["live"] == f"{counter(lang, 1)}: {SMALL.steps[0].text(lang).title}"
        if len(SMALL.steps) >= 3:
            assert view.press("PageDown")["index"] == 2
            state = view.press("Space")
            assert state["index"] == 3 and state["counter"] == counter(lang, 3)
            assert state["live"].endswith(SMALL.steps[2].text(lang).title)
            assert view.press("PageUp")["index"] == 2
            assert view.press(back)["index"] == 1
            assert view.press("Shift+Space")["index"] == 0
        last = len(SMALL.steps) + 1
        state = view.press("End")
        assert state["index"] == last and state["live"] == words(lang)["projector_end"]
        assert view.press(forward)["index"] == last  # no further than the end
        state = view.press("Home")
        assert state["index"] == 0 and state["live"] == SMALL.text(lang).title
        assert view.press(back)["index"] == 0
        assert view.stopped == []
    finally:
        view.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.browser
@pytest.mark.slow
def test_buttons_are_large_mirrored_and_show_their_focus(tabs, site, lang):
    rtl = SMALL.language(lang).rtl
    view = open_view(tabs, site, lang)
    try:
        page = view.page
        previous = page.get_by_role("button", name=words(lang)["projector_previous"])
        following = page.get_by_role("button", name=words(lang)["projector_next"])
        prev_box, next_box = previous.bounding_box(), following.bounding_box()
        assert min(prev_box["height"], next_box["height"]) >= 44  # CSS px: a large target
        assert (prev_box["x"] > next_box["x"]) == rtl  # "previous" on the side one comes from
        following.click()
        assert view.state()["index"] == 1
        following.click()
        previous.click()
        assert view.state()["index"] == 1
        page.keyboard.press("Tab")  # from the button just clicked to the next stop
        page.keyboard.press("Shift+Tab")
        ring = page.evaluate("""() => { const e = document.activeElement, cs = getComputedStyle(e);
            return {button: e.matches('.controls__button'), style: cs.outlineStyle,
                    width: parseFloat(cs.outlineWidth)}; }""")
        assert ring["button"] and ring["style"] != "none" and ring["width"] >= 2
        page.keyboard.press("Space")  # a focused button does its own job, once
        assert view.state()["index"] == 0
    finally:
        view.close()


@pytest.mark.parametrize("published_url", [False, True], ids=["placeholder", "published"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.browser
@pytest.mark.slow
def test_axe_finds_no_violation_on_any_screen(tabs, site, published, lang, published_url):
    view = open_view(tabs, published if published_url else site, lang)
    try:
        for n in range(len(SMALL.steps) + 2):
            assert view.state()["index"] == n
            assert axe_violations(view.page) == [], n
            view.press("PageDown")
        assert view.stopped == []
    finally:
        view.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.browser
@pytest.mark.slow
def test_without_javascript_every_step_is_shown_in_order(tabs, site, lang):
    view = open_view(tabs, site, lang, java_script_enabled=False)
    try:
        page = view.page
        screens = page.locator("section.screen")
        assert screens.count() == len(SMALL.steps) + 2
        tops = [screens.nth(i).bounding_box()["y"] for i in range(screens.count())]
        assert tops == sorted(tops) and len(set(tops)) == len(tops)
        for step in SMALL.steps:
            title = page.locator(f"#step-{step.id}-title")
            assert title.is_visible() and title.text_content() == step.text(lang).title
            assert page.locator(f"#step-{step.id} img").is_visible()
        assert not page.locator(".controls").is_visible()  # buttons that could do nothing
        assert view.stopped == []
    finally:
        view.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_view_reopens_on_the_screen_its_address_names(tabs, site):
    lang = LANGS[0]
    step = SMALL.steps[-1]
    url = f"{(site[0] / lang / VIEW).as_uri()}#step-{step.id}"
    view = Projector(tabs, url, "file://")
    try:
        assert view.state()["counter"] == counter(lang, len(SMALL.steps))
        view.press("Home")
        assert view.page.url.endswith("#start")
    finally:
        view.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.browser
@pytest.mark.slow
def test_a_strip_goes_under_the_text_and_a_tall_picture_beside_it(tabs, site, lang):
    """Whichever layout shows the picture larger: a picture much wider than high across the
    screen, one higher than wide beside the text (the fixture has both; the others may go
    either way)."""
    from PIL import Image

    folder, guide = site
    view = open_view(tabs, site, lang)
    try:
        for n, step in enumerate(guide.steps, start=1):
            view.press("PageDown")
            with Image.open(folder / lang / "images" / outputs.crop_filename(step.id, 2)) as shot:
                ratio = shot.width / shot.height
            wide = view.page.locator(f"#step-{step.id}").evaluate(
                "s => s.classList.contains('screen--wide')")
            if ratio >= 2.5:
                assert wide, (n, step.id, ratio)
            elif ratio <= 1:
                assert not wide, (n, step.id, ratio)
    finally:
        view.close()
