"""The shipped guides' sites as published by a real build, read as files: one test per guide of the
shelf and language it holds, whatever they are. (How the site is made is tested on the fixture guide:
test_site_html.py runs the same checks there.)"""

from __future__ import annotations

import re

import pytest

from projects import ROOT, shipped_guides, shipped_pairs
from sitefixture import (
    check_alt_text,
    check_language_and_direction,
    check_links_and_anchors,
    check_search_index,
    check_steps,
    check_summary_date_source_and_handouts,
    check_switcher,
    glyphs_missing_from_web_fonts,
    parse,
)

pytestmark = pytest.mark.slow
PAIRS = shipped_pairs()
SLUGS = [guide.slug for guide in shipped_guides()[0]]


@pytest.fixture
def site(shipped_build, slug: str):
    """(the guide's folder of the site, the guide)"""
    return shipped_build.project / "site" / slug, shipped_build.guide_named(slug)


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_page_language_and_direction(site, lang: str):
    check_language_and_direction(*site, lang)


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_every_step_has_its_title_text_and_image(site, lang: str):
    check_steps(*site, lang)


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_summary_warning_date_source_and_handouts(site, lang: str):
    check_summary_date_source_and_handouts(*site, lang)


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_switcher_links_to_every_language(site, lang: str):
    check_switcher(*site, lang)


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_links_and_anchors_of_the_page_resolve(site, lang: str):
    """The guide's own text may link to a step: every link of the page must land."""
    folder, _guide = site
    assert check_links_and_anchors(folder, [folder / lang / "index.html"]) > 0


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_search_index_holds_every_step(site, lang: str):
    check_search_index(*site, lang)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_image_has_alt_text(site):
    folder, _guide = site
    check_alt_text(folder)


@pytest.mark.parametrize("slug", SLUGS)
def test_web_fonts_cover_every_character_of_the_guide(site):
    """A new language in a script the subsets lack would show in a fallback font: named here."""
    assert glyphs_missing_from_web_fonts(*site) == []


def _word(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_page_names_its_own_product_and_no_other_guides(site, slug: str, lang: str):
    """A guide's page speaks of its own platform: none of another guide's product or title."""
    folder, guide = site
    text = parse(folder / lang / "index.html").css_first("article").text()
    assert _word(guide.product(lang)).search(text), guide.product(lang)
    for other in shipped_guides()[0]:
        if other.slug != slug:
            assert not _word(other.product(lang)).search(text), (other.slug, other.product(lang))
            assert other.text(lang).title not in text


# Every address a build has printed on the first guide's handouts so far: public_url in steps.yaml
# was https://guides.example.org/stop-grok-training/ up to its move to mkdocs.yml's site_url, and
# each handout printed <public_url><lang>/ (and its QR code the same).
PRINTED_SO_FAR = "https://guides.example.org/stop-grok-training/{lang}/"


@pytest.mark.parametrize("lang", ["fr", "en", "es", "ar"])
def test_addresses_printed_on_the_first_guides_handouts_still_lead_to_its_page(shipped_build, lang):
    from guidebuilder.project import site_url

    address = PRINTED_SO_FAR.format(lang=lang)
    base = site_url(ROOT)  # as committed (the shared build is given a real address)
    assert address.startswith(base), f"{address} is no longer under the site's address {base}"
    page = shipped_build.project / "site" / address.removeprefix(base) / "index.html"
    assert page.is_file(), f"{address} would lead nowhere"
    assert parse(page).css_first("html").attributes["lang"] == lang
