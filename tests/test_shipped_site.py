"""The shipped guide's site as published by a real build, read as files: one test per language of
steps.yaml, whatever languages it holds. (How the site is made is tested on the fixture guide:
test_site_html.py runs the same checks there.)"""

from __future__ import annotations

import pytest

from projects import shipped_guide_or_none
from sitefixture import (
    check_alt_text,
    check_language_and_direction,
    check_links_and_anchors,
    check_search_index,
    check_steps,
    check_summary_date_source_and_handouts,
    check_switcher,
    glyphs_missing_from_web_fonts,
)

pytestmark = pytest.mark.slow
GUIDE, _ = shipped_guide_or_none()
CODES = list(GUIDE.codes) if GUIDE else []


@pytest.fixture(scope="module")
def site(shipped_build):
    return shipped_build.guide_site, shipped_build.guide


@pytest.mark.parametrize("lang", CODES)
def test_page_language_and_direction(site, lang: str):
    check_language_and_direction(*site, lang)


@pytest.mark.parametrize("lang", CODES)
def test_every_step_has_its_title_text_and_image(site, lang: str):
    check_steps(*site, lang)


@pytest.mark.parametrize("lang", CODES)
def test_summary_warning_date_source_and_handouts(site, lang: str):
    check_summary_date_source_and_handouts(*site, lang)


@pytest.mark.parametrize("lang", CODES)
def test_switcher_links_to_every_language(site, lang: str):
    check_switcher(*site, lang)


@pytest.mark.parametrize("lang", CODES)
def test_links_and_anchors_of_the_page_resolve(site, lang: str):
    """The guide's own text may link to a step: every link of the page must land."""
    folder, _guide = site
    assert check_links_and_anchors(folder, [folder / lang / "index.html"]) > 0


@pytest.mark.parametrize("lang", CODES)
def test_search_index_holds_every_step(site, lang: str):
    check_search_index(*site, lang)


def test_every_image_has_alt_text(site):
    folder, _guide = site
    check_alt_text(folder)


def test_web_fonts_cover_every_character_of_the_guide(site):
    """A new language in a script the subsets lack would show in a fallback font: named here."""
    assert glyphs_missing_from_web_fonts(*site) == []
