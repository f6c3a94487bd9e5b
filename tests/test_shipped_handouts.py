"""The shipped guides' handouts as published by a real build, read back: one test per guide of the
shelf and language it holds, whatever they are. Does this guide's text come out whole, in order, one step
per page, in our fonts? (How handouts are made is tested on the fixture guide: test_handout.py.)"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pypdf
import pytest

import pdfread
from guidebuilder import outputs
from guidebuilder.handout import safety as pdfsafety
from pdfread import (
    check_fonts_embedded_and_ours,
    needs_poppler,
    skeleton,
    step_pages,
    titles_in_order,
)
from projects import shipped_guides, shipped_pairs

pytestmark = pytest.mark.slow
PAIRS = shipped_pairs()
RTL = shipped_pairs(rtl_only=True)
PAGE_PT = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


_poppler_text = pdfread.pdftotext


@functools.cache
def pdftotext(path: Path) -> str:
    """poppler's text of a published handout, read once per run: several tests read the same
    pages of a build that never changes (each page's text is cut from it: pdfread.page_texts)."""
    return _poppler_text(path)


@pytest.fixture(scope="module", autouse=True)
def _read_each_page_once():
    """pdfread's readers (page_texts, step_pages, titles_in_order) through the same once-per-run
    text."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfread, "pdftotext", pdftotext)
        yield


def handouts(shipped_build, slug: str, lang: str) -> list[tuple[outputs.Handout, Path]]:
    """Every handout of the guide in that language: four, four per path when it has several."""
    folder = shipped_build.project / "site" / slug / lang
    guide = shipped_build.guide_named(slug)
    return [(item, folder / item.filename) for item in outputs.guide_handouts(guide, lang)]


def steps_of(guide, item: outputs.Handout) -> tuple:
    """The steps a handout holds: its path's, in that path's order."""
    return guide.path_steps(guide.path(item.path))


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_four_handouts_published_with_their_page_size(shipped_build, slug: str, lang: str):
    for item, path in handouts(shipped_build, slug, lang):
        assert path.read_bytes().startswith(b"%PDF-"), item.filename
        width, height = PAGE_PT[item.paper]
        for page in pypdf.PdfReader(path).pages:
            assert abs(float(page.mediabox.width) - width) <= 1, item.filename
            assert abs(float(page.mediabox.height) - height) <= 1, item.filename


@needs_poppler
@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_step_titles_present_in_order(shipped_build, slug: str, lang: str):
    for item, path in handouts(shipped_build, slug, lang):
        positions = titles_in_order(path, steps_of(shipped_build.guide_named(slug), item), lang)
        assert -1 not in positions, (item.filename, positions)
        assert positions == sorted(positions), item.filename


@needs_poppler
@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_each_step_sits_on_one_page(shipped_build, slug: str, lang: str):
    """A long translation must still fit: each step's title, body and tip on one page."""
    for item, path in handouts(shipped_build, slug, lang):
        steps = steps_of(shipped_build.guide_named(slug), item)
        for step_id, title_pages in step_pages(path, steps, lang).items():
            assert len(title_pages) == 1, (item.filename, step_id, title_pages)


@pytest.mark.parametrize(("slug", "lang"), RTL)
def test_right_to_left_text_extracts_in_reading_order(shipped_build, slug: str, lang: str):
    """pypdf reads the words back as written (shaping and direction kept in the text layer)."""
    guide = shipped_build.guide_named(slug)
    words = [word for word in guide.text(lang).title.split() if word.isalpha() and not word.isascii()]
    assert words
    for item, path in handouts(shipped_build, slug, lang):
        text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        assert all(word in text for word in words), item.filename
        for step in steps_of(guide, item):
            assert max(step.text(lang).title.split(), key=len) in text, (item.filename, step.id)


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_metadata_language_and_a_bookmark_per_step(shipped_build, slug: str, lang: str):
    guide = shipped_build.guide_named(slug)
    for item, path in handouts(shipped_build, slug, lang):
        reader = pypdf.PdfReader(path)
        assert reader.metadata["/Title"] == guide.text(lang).title
        assert reader.trailer["/Root"]["/Lang"] == lang
        (top, steps) = reader.outline
        assert top["/Title"] == guide.text(lang).title
        assert [b["/Title"] for b in steps] == [s.text(lang).title for s in steps_of(guide, item)], item


@needs_poppler
@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_every_font_embedded_and_ours(shipped_build, slug: str, lang: str):
    for item, path in handouts(shipped_build, slug, lang):
        check_fonts_embedded_and_ours(path, item.filename)


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_no_local_path_in_a_published_pdf(shipped_build, slug: str, lang: str):
    places = [shipped_build.project, shipped_build.cache, Path.home(), Path("/tmp")]
    for item, path in handouts(shipped_build, slug, lang):
        assert pdfsafety.local_paths_in(path.read_bytes(), places) == [], item.filename


@needs_poppler
@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_handouts_name_their_own_product_and_no_other_guides(shipped_build, slug: str, lang: str):
    guide = shipped_build.guide_named(slug)
    others = [g for g in shipped_guides()[0] if g.slug != slug]
    for item, path in handouts(shipped_build, slug, lang):
        text = " ".join(pdftotext(path).split())
        assert _word(guide.product(lang)).search(text), item.filename
        for other in others:
            assert not _word(other.product(lang)).search(text), (item.filename, other.slug)


def _word(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_every_shipped_handout_passes_the_pdf_ua_1_validator(shipped_build, slug: str, lang: str):
    import page

    found = {}
    for item, path in handouts(shipped_build, slug, lang):
        report = page.validate_pdf(path, profile=page.ValidationProfile.PDF_UA_1)
        found.update({item.filename: [f"{f.rule_id}: {f.message}" for f in report.failures]}
                     if report.failures else {})
    assert found == {}


@needs_poppler
@pytest.mark.parametrize(("slug", "lang"), PAIRS)
def test_each_shortcut_box_sits_whole_on_one_page(shipped_build, slug: str, lang: str):
    """The shortcut's address and the line saying what its QR code opens stay on one page."""
    from guidebuilder.source.strings import load_strings

    guide = shipped_build.guide_named(slug)
    scan = skeleton(load_strings(guide)[lang]["shortcut_scan"])
    for item, path in handouts(shipped_build, slug, lang):
        device = guide.path(item.path)
        urls = [u for u in [device.shortcut, *(s.shortcut for s in steps_of(guide, item))] if u]
        pages = [skeleton(page) for page in pdfread.page_texts(path)]
        for url in dict.fromkeys(urls):
            with_url = [n for n, page in enumerate(pages) if skeleton(url) in page]
            assert with_url, (item.filename, url)
            assert all(scan in pages[n] for n in with_url), (item.filename, url, with_url)
