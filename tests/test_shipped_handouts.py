"""The shipped guide's handouts as published by a real build, read back: one test per language of
steps.yaml, whatever languages it holds. Does this guide's text come out whole, in order, one step
per page, in our fonts? (How handouts are made is tested on the fixture guide: test_handout.py.)"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from guidebuilder import outputs
from guidebuilder.handout import safety as pdfsafety
from pdfread import check_fonts_embedded_and_ours, needs_poppler, step_pages, titles_in_order
from projects import shipped_guide_or_none

pytestmark = pytest.mark.slow
GUIDE, _ = shipped_guide_or_none()
CODES = list(GUIDE.codes) if GUIDE else []
RTL = [lang.code for lang in GUIDE.languages if lang.rtl] if GUIDE else []
PAGE_PT = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


def handouts(shipped_build, lang: str) -> list[tuple[outputs.Handout, Path]]:
    folder = shipped_build.guide_site / lang
    return [(item, folder / item.filename) for item in outputs.handouts(lang)]


@pytest.mark.parametrize("lang", CODES)
def test_four_handouts_published_with_their_page_size(shipped_build, lang: str):
    for item, path in handouts(shipped_build, lang):
        assert path.read_bytes().startswith(b"%PDF-"), item.filename
        width, height = PAGE_PT[item.paper]
        for page in pypdf.PdfReader(path).pages:
            assert abs(float(page.mediabox.width) - width) <= 1, item.filename
            assert abs(float(page.mediabox.height) - height) <= 1, item.filename


@needs_poppler
@pytest.mark.parametrize("lang", CODES)
def test_step_titles_present_in_order(shipped_build, lang: str):
    for item, path in handouts(shipped_build, lang):
        positions = titles_in_order(path, shipped_build.guide, lang)
        assert -1 not in positions, (item.filename, positions)
        assert positions == sorted(positions), item.filename


@needs_poppler
@pytest.mark.parametrize("lang", CODES)
def test_each_step_sits_on_one_page(shipped_build, lang: str):
    """A long translation must still fit: each step's title, body and tip on one page."""
    for item, path in handouts(shipped_build, lang):
        for step_id, title_pages in step_pages(path, shipped_build.guide, lang).items():
            assert len(title_pages) == 1, (item.filename, step_id, title_pages)


@pytest.mark.parametrize("lang", RTL)
def test_right_to_left_text_extracts_in_reading_order(shipped_build, lang: str):
    """pypdf reads the words back as written (shaping and direction kept in the text layer)."""
    guide = shipped_build.guide
    words = [word for word in guide.text(lang).title.split() if word.isalpha() and not word.isascii()]
    assert words
    for item, path in handouts(shipped_build, lang):
        text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        assert all(word in text for word in words), item.filename
        for step in guide.steps:
            assert max(step.text(lang).title.split(), key=len) in text, (item.filename, step.id)


@pytest.mark.parametrize("lang", CODES)
def test_metadata_language_and_a_bookmark_per_step(shipped_build, lang: str):
    guide = shipped_build.guide
    for item, path in handouts(shipped_build, lang):
        reader = pypdf.PdfReader(path)
        assert reader.metadata["/Title"] == guide.text(lang).title
        assert reader.trailer["/Root"]["/Lang"] == lang
        (top, steps) = reader.outline
        assert top["/Title"] == guide.text(lang).title
        assert [b["/Title"] for b in steps] == [s.text(lang).title for s in guide.steps], item


@needs_poppler
@pytest.mark.parametrize("lang", CODES)
def test_every_font_embedded_and_ours(shipped_build, lang: str):
    for item, path in handouts(shipped_build, lang):
        check_fonts_embedded_and_ours(path, item.filename)


@pytest.mark.parametrize("lang", CODES)
def test_no_local_path_in_a_published_pdf(shipped_build, lang: str):
    places = [shipped_build.project, shipped_build.cache, Path.home(), Path("/tmp")]
    for item, path in handouts(shipped_build, lang):
        assert pdfsafety.local_paths_in(path.read_bytes(), places) == [], item.filename
