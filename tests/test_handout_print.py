"""What a reader holding the printed handout meets, on the fixture guides (tool tests: no counts of
the shipped guide): the guide's address, the done-marks, pages, pictures, Arabic text. The fixture
guide's handouts as they are come from conftest's `small_handouts`, rendered once per session; a
test that edits a guide renders a copy of the minimal one (`project`)."""

from __future__ import annotations

import logging
import re
import subprocess
import unicodedata
from pathlib import Path

import page
import pypdf
import pytest
from PIL import Image, ImageChops

from guidebuilder.handout import document as handout_html
from guidebuilder.handout import fonts, pagination, pdf
from guidebuilder.model import is_placeholder_url
from guidebuilder.outputs import Handout
from guidebuilder.source.strings import load_strings
from guidebuilder.store import Store
from handoutkit import (
    Rendered,
    edit,
    hollow_squares,
    link_annotations,
    needs_poppler,
    needs_zbar,
    pdftotext,
    printed,
    qr_codes_of,
    render_project,
)

REAL_URL = "https://bibliotheque.lyon.fr/guides/test/"


@pytest.mark.parametrize(("url", "placeholder"), [
    ("https://guides.example.org/stop-grok-training/", True),
    ("https://example.com/", True),
    ("https://www.example.net/guides/", True),
    ("https://guides.library.test/", True),
    ("https://guides.invalid/", True),
    ("http://localhost:8000/", True),
    ("https://guides.example/", True),
    ("https://bibliotheque.lyon.fr/guides/", False),
    ("https://example.org.evil.com/", False),
    ("https://notexample.org/", False),
])
def test_placeholder_addresses(url: str, placeholder: bool):
    assert is_placeholder_url(url) is placeholder


@pytest.mark.slow  # reads every page at 150 dpi for the QR code: make test, not test-fast
@needs_zbar
@needs_poppler
def test_a_placeholder_address_is_never_printed_nor_in_a_qr_code(small_handouts: Rendered, tmp_path: Path):
    guide = small_handouts.guide
    assert guide.has_placeholder_url
    host = guide.public_url.split("//")[1].split("/")[0]
    words = load_strings(guide)
    handouts = list(small_handouts.all())
    codes = qr_codes_of([path for _lang, _item, path in handouts], tmp_path)
    for lang, item, path in handouts:
        assert codes[path] == [], item.filename
        assert host not in printed(path), item.filename
        assert letters(words[lang]["handout_ask_address"]) in letters(pdftotext(path)), item.filename


@pytest.mark.slow  # renders PDFs of its own: make test, not test-fast
@needs_zbar
@needs_poppler
def test_a_real_address_is_printed_and_in_the_qr_code(project: Path, tmp_path: Path):
    (project / "mkdocs.yml").write_text(f"site_url: {REAL_URL.removesuffix('test/')}\n",
                                        encoding="utf-8")  # the shelf's address; the guide is test/
    pdfs = render_project(project, langs=("en", "ar"), jobs=2)
    codes = qr_codes_of(list(pdfs.values()), tmp_path)
    for (lang, _paper, _large), path in pdfs.items():
        assert codes[path] == [f"{REAL_URL}{lang}/"], path.name
        assert f"{REAL_URL}{lang}/" in printed(path)
        assert "Ask the library" not in pdftotext(path)
        # each address one link annotation under its own Link element, and the validator agrees
        links = link_annotations(path)
        assert [uri for uri, _, _ in links] == [f"{REAL_URL}{lang}/", "https://example.org/article"]
        assert all(element["/S"] == "/Link" and width > 10 for _, width, element in links)
        assert page.validate_pdf(path, profile=page.ValidationProfile.PDF_UA_1).failures == []


# -- pictures in large print -------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_print_pictures_grow_with_the_words_up_to_the_text_box(paper: str):
    ratio = handout_html.LARGE_PT / handout_html.STANDARD_PT
    standard = handout_html.layout_for(Handout("en", paper, False))
    large = handout_html.layout_for(Handout("en", paper, True))
    assert large.image_max_height == pytest.approx(large.content_height * handout_html.LARGE_IMAGE_SHARE)
    small = handout_html.image_size((200, 100), standard)
    assert handout_html.image_size((200, 100), large) == pytest.approx(
        (small[0] * ratio, small[1] * ratio), abs=0.02)  # neither at a cap: exactly the ratio
    wide = handout_html.image_size((1200, 100), large)
    assert wide[0] == pytest.approx(large.content_width, abs=0.01)  # as wide as the text
    tall = handout_html.image_size((270, 1500), large)
    assert tall[1] == pytest.approx(large.image_max_height, abs=0.01)  # as tall as allowed
    # a picture the standard handout had to shrink is still at least the ratio larger
    shrunk = handout_html.image_size((270, 567), standard)
    assert handout_html.image_size((270, 567), large)[1] >= shrunk[1] * ratio


# -- steps that do not fit on a page ------------------------------------------------------------


def test_split_steps_reads_weasyprints_pages():
    from weasyprint import HTML

    tall = '<svg xmlns="http://www.w3.org/2000/svg" width="20mm" height="400mm"></svg>'
    html = ('<html lang="en"><head><title>T</title><style>@page { size: A5 } '
            "section { break-inside: avoid }</style></head><body>"
            '<section class="step" id="step-short" data-number="1"><p>Short.</p></section>'
            f'<section class="step" id="step-long" data-number="2">{"<p>On and on.</p>" * 60}</section>'
            f'<section class="step" id="step-tall" data-number="3">{tall}</section>'
            '<section class="step" id="step-after" data-number="4"><p>After.</p></section></body></html>')
    document = HTML(string=html).render()
    assert pagination.split_steps(document) == [
        pagination.SplitStep("long", (2, 3, 4, 5), number="2"),
        pagination.SplitStep("tall", (6,), cut_off=True, number="3")]


@pytest.mark.slow  # renders PDFs of its own: make test, not test-fast
def test_a_step_too_tall_for_a_page_is_named_by_the_build(project: Path, caplog):
    edit(project / "steps.yaml", 'body: "That is all."', 'body: "' + "That is all. " * 700 + '"')
    with caplog.at_level(logging.WARNING, logger="guidebuilder.handout"):
        render_project(project, langs=("en",))
    lines = [record.getMessage() for record in caplog.records if record.name == "guidebuilder.handout"]
    expected = [rf'warning: guide "Guide" \[en\], {paper}, {variant} \(guide-en-{name}\.pdf\): step 2 '
                r"\('second'\) splits across pages \d-\d; shorten its text or its picture so that it "
                r"fits on one page"
                for variant, suffix in (("standard print", ""), ("large print", "-large"))
                for paper, name in (("A4", f"a4{suffix}"), ("US Letter", f"letter{suffix}"))]
    assert len(lines) == len(expected), lines
    for line, pattern in zip(lines, expected, strict=True):
        assert re.fullmatch(pattern, line), line


def test_the_fixture_guide_fits_without_a_warning(small_handouts: Rendered):
    assert small_handouts.report.made == len(small_handouts.jobs) > 0
    assert small_handouts.warnings == []


# -- done-marks ----------------------------------------------------------------------------------


def test_the_square_finder_finds_a_checkbox_and_nothing_else(tmp_path: Path):
    """The oracle of the next test, on a drawn page (100 dpi): an empty and a ticked box with rounded
    corners are found; a writing line, a filled disc (a badge), a ring and letters are not."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (800, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([20, 20, 52, 52], radius=4, outline=0, width=4)  # 8 mm, like the old tick
    draw.rounded_rectangle([100, 20, 126, 46], radius=4, outline=0, width=3)
    draw.line([(106, 33), (112, 40), (122, 26)], fill=0, width=3)  # ticked
    draw.line([(200, 50), (320, 50)], fill=0, width=3)
    draw.ellipse([400, 20, 430, 50], fill=0)
    draw.ellipse([480, 20, 510, 50], outline=0, width=4)
    font = ImageFont.truetype("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", 90)
    draw.text((20, 120), "OQDoab0", font=font, fill=0)
    image.save(tmp_path / "page.png")
    assert [(x, y) for x, y, _w, _h in hollow_squares(tmp_path / "page.png", 100)] == [(5, 5), (25, 5)]


@pytest.mark.slow  # reads every page as an image: make test, not test-fast
@needs_poppler
def test_done_marks_are_words_and_a_line_never_a_box(small_handouts: Rendered, tmp_path: Path):
    guide = small_handouts.guide
    words = load_strings(guide)
    handouts = list(small_handouts.all())
    for lang, _item, path in handouts:
        text = visible(pdftotext(path))
        assert letters(words[lang]["handout_done_hint"]) in letters(text), path.name
        # "Done:" once per step (the hint quotes the word without its colon)
        assert text.count(visible(words[lang]["handout_done"])) == len(guide.steps), path.name
        subprocess.run(["pdftoppm", "-r", "100", "-gray", str(path), str(tmp_path / path.stem)],
                       check=True)  # PGM: PNG compression would take longer than the search
    sheets = sorted(tmp_path.glob("*.pgm"))
    assert len(sheets) >= len(handouts)
    found = {sheet.name: hollow_squares(sheet, 100) for sheet in sheets}
    assert found == {name: [] for name in found}


def visible(text: str) -> str:
    """Text as printed: invisible format characters dropped, any run of spaces one space."""
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def letters(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


# -- Arabic text that copies out right -----------------------------------------------------------

ARABIC = "على الإعدادات إلى لا لأ لإ لآ الاختيار"


def arabic_page(folder: Path, font: Path) -> Path:
    """A page of ARABIC set in `font` (regular), rendered the way the handouts are."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "arabic.ttf").write_bytes(font.read_bytes())
    html = ('<html lang="ar" dir="rtl"><head><title>t</title><style>@font-face { font-family: A; '
            'src: url(arabic.ttf) } body { font: 20pt A }</style></head>'
            f"<body><p>{ARABIC}</p></body></html>")
    path = folder / "page.pdf"
    path.write_bytes(pdf.render_pdf(html, folder, "arabic.pdf"))
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", str(path),
                    str(folder / "page")], check=True)
    return path


@needs_poppler
def test_arabic_ligatures_copy_as_their_letters_and_look_the_same(tmp_path: Path):
    face = next(face for face in fonts.HANDOUT_FONTS if face.split_ligatures and face.weight == 400)
    split = arabic_page(tmp_path / "split", fonts.handout_font(face, Store(tmp_path / "cache")))
    original = arabic_page(tmp_path / "original", fonts.font_path(face))
    assert visible(pdftotext(split)) == ARABIC
    assert visible(pypdf.PdfReader(split).pages[0].extract_text()) == ARABIC
    assert visible(pdftotext(original)) != ARABIC  # what readers copied before: "عىل", "اإلعدادات"
    with Image.open(tmp_path / "split" / "page.png") as new, \
            Image.open(tmp_path / "original" / "page.png") as old:
        assert ImageChops.difference(new.convert("L"), old.convert("L")).getbbox() is None


def test_the_split_font_is_made_once_and_again_when_damaged(tmp_path: Path):
    face = next(face for face in fonts.HANDOUT_FONTS if face.split_ligatures)
    store = Store(tmp_path)
    path = fonts.handout_font(face, store)
    made = path.stat().st_mtime_ns
    assert fonts.handout_font(face, store) == path and path.stat().st_mtime_ns == made
    path.write_bytes(b"damaged")
    again = fonts.handout_font(face, store)
    assert again.read_bytes().startswith(b"\0\1\0\0")
    assert again.read_bytes() == fonts.handout_font(face, Store(tmp_path / "other")).read_bytes()
