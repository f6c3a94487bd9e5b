"""The two-path fixture guide's page in a real browser (Debian's Chromium via Playwright), opened
from the folder (file://) as on a workshop PC: paths.js makes the paths accessible tabs (keys,
aria-selected, the fragment), and without JavaScript, and on paper, every path is readable in
order."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathskit import paths_site

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VISIBLE_STEPS = """[...document.querySelectorAll('h3.guide-step-title')]
    .filter(h => h.checkVisibility()).map(h => h.id)"""
AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")
TABS = """[...document.querySelectorAll('[role=tab]')].map(t =>
    [t.id, t.getAttribute('aria-selected'), t.tabIndex, t.textContent])"""


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    return paths_site(tmp_path_factory)


@pytest.fixture
def open_page(tabs, site):
    lent = []

    def opening(lang: str = "en", fragment: str = "", viewport=DESKTOP, **options):
        page = tabs.borrow(viewport, **options)
        errors: list[str] = []
        tabs.listen(page, "pageerror", lambda error: errors.append(str(error)))
        lent.append(page)
        page.goto((site[0] / lang / "index.html").as_uri() + fragment, wait_until="load")
        page.errors = errors
        return page

    yield opening
    for page in lent:
        tabs.give_back(page)


def anchors(guide, path_id: str) -> list[str]:
    return [f"{path_id}-{step_id}" for step_id in guide.path(path_id).steps]


def test_paths_are_tabs_that_keys_move_between(open_page, site):
    _folder, guide = site
    page = open_page()
    assert page.evaluate(TABS) == [
        ["tab-computer", "true", 0, "On a computer"], ["tab-phone", "false", -1, "On a phone or tablet"]]
    tablist = page.locator("[role=tablist]")
    assert tablist.get_attribute("aria-label") == "Your device"
    panel = page.locator("#panel-computer")
    assert panel.get_attribute("role") == "tabpanel"
    assert panel.get_attribute("aria-labelledby") == "tab-computer"
    assert page.locator("#tab-computer").get_attribute("aria-controls") == "panel-computer"
    assert page.evaluate(VISIBLE_STEPS) == anchors(guide, "computer")

    page.focus("#tab-computer")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-phone"
    assert [t[1] for t in page.evaluate(TABS)] == ["false", "true"]
    assert page.evaluate(VISIBLE_STEPS) == anchors(guide, "phone")
    assert page.evaluate("location.hash") == "#phone"  # a link to this tab, kept on switching
    page.keyboard.press("ArrowRight")  # wraps round
    assert page.evaluate("document.activeElement.id") == "tab-computer"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.id") == "tab-phone"
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.id") == "tab-computer"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.id") == "tab-phone"
    page.click("#tab-computer")
    assert page.evaluate(VISIBLE_STEPS) == anchors(guide, "computer")
    assert page.evaluate("location.hash") == "#computer"
    assert page.errors == []


def test_arrow_keys_follow_the_reading_direction_in_arabic(open_page):
    page = open_page("ar")
    page.focus("#tab-computer")
    page.keyboard.press("ArrowLeft")  # right to left: the next tab is on the left
    assert page.evaluate("document.activeElement.id") == "tab-phone"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-computer"


@pytest.mark.parametrize("fragment", ["#phone", "#phone-untick-suggestions"])
def test_the_fragment_opens_its_tab(open_page, site, fragment):
    _folder, guide = site
    page = open_page(fragment=fragment)
    assert [t[1] for t in page.evaluate(TABS)] == ["false", "true"]
    assert page.evaluate(VISIBLE_STEPS) == anchors(guide, "phone")
    page.evaluate("location.hash = '#computer-open-menu'")  # a link in the table of contents
    page.wait_for_function("document.getElementById('tab-computer').ariaSelected === 'true'")
    assert page.evaluate(VISIBLE_STEPS) == anchors(guide, "computer")


def _in_reading_order(page) -> list[str]:
    return page.evaluate("""[...document.querySelectorAll('h2.guide-path-title, h3.guide-step-title')]
        .filter(h => h.checkVisibility())
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .map(h => h.id)""")


def test_without_javascript_every_path_is_shown_in_order(open_page, site):
    _folder, guide = site
    page = open_page(java_script_enabled=False, viewport=PHONE)
    assert page.locator("[role=tablist]").count() == 0
    assert _in_reading_order(page) == [
        anchor for path in guide.paths for anchor in (path.id, *anchors(guide, path.id))]


def test_print_shows_every_path_whichever_tab_is_chosen(open_page, site):
    _folder, guide = site
    page = open_page(fragment="#phone")
    page.emulate_media(media="print")
    assert not page.locator("[role=tablist]").is_visible()
    assert _in_reading_order(page) == [
        anchor for path in guide.paths for anchor in (path.id, *anchors(guide, path.id))]
    shortcut = page.locator(".guide-shortcut").first
    assert shortcut.is_visible() and "https://reader.mylibrary.org/" in shortcut.inner_text()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tabs_pass_axe_core(open_page, viewport):
    page = open_page(fragment="#phone", viewport=viewport)
    page.add_script_tag(path=str(AXE))  # the copy axe-playwright-python ships: no CDN
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]] == []
