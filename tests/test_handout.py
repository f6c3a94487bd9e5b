"""The printed handouts, read back from the PDFs themselves (pypdf and poppler's tools, zbar for the QR).

Tool tests: the fixture guide's handouts (tests/fixtures/small/, two languages, one right to left)
are rendered once per session; every count comes from that guide. The shipped guide's own handouts
are read back by test_shipped_handouts.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from guidebuilder import outputs
from guidebuilder.errors import BuildError, GuideError
from guidebuilder.handout import document as handout_html
from guidebuilder.handout import fetch as pdffetch
from guidebuilder.handout import pdf
from guidebuilder.handout import safety as pdfsafety
from guidebuilder.handout import stage as handout
from guidebuilder.model import Guide
from guidebuilder.source.strings import load_strings
from guidebuilder.source.validate import load_guide
from pdfread import needs_poppler, pdftotext, step_pages, titles_in_order
from projects import EPOCH, ROOT, small_guide

PAGE_PT = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
FONT_FIX = "replace it, or add a font that has it to HANDOUT_FONTS in scripts/guidebuilder/handout/fonts.py"
FIRST = small_guide().codes[0]
RTL = next(lang.code for lang in small_guide().languages if lang.rtl)


@dataclass
class Built:
    guide: Guide
    cache: Path
    handouts: dict
    report: handout.HandoutReport

    @property
    def total(self) -> int:
        return 4 * len(self.guide.codes)

    def render_again(self, jobs: int | None = None) -> handout.HandoutReport:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
            assert handout.render_handouts(self.guide, self.cache, jobs=jobs) == self.handouts
        return handout.last_report

    def pdf(self, lang: str, paper: str = "a4", large: bool = False) -> Path:
        return dict(self.handouts[lang])[outputs.Handout(lang, paper, large)]

    def all(self):
        for lang, items in self.handouts.items():
            for item, path in items:
                yield lang, item, path


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    guide = small_guide()
    cache = tmp_path_factory.mktemp("handout-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = handout.render_handouts(guide, cache, jobs=2)
    return Built(guide, cache, result, handout.last_report)


# -- what every handout must be ----------------------------------------------------------------


def test_four_handouts_per_language_with_published_names(built: Built):
    assert list(built.handouts) == list(built.guide.codes)
    for lang, items in built.handouts.items():
        assert [item for item, _ in items] == list(outputs.handouts(lang))
        assert all(path.is_file() and path.parent == built.cache / "handouts" for _, path in items)
    assert (built.report.rendered, built.report.cached) == (built.total, 0)


def test_page_size_of_every_page(built: Built):
    for _lang, item, path in built.all():
        width, height = PAGE_PT[item.paper]
        for page in pypdf.PdfReader(path).pages:
            assert abs(float(page.mediabox.width) - width) <= 1, item.filename
            assert abs(float(page.mediabox.height) - height) <= 1, item.filename


@needs_poppler
def test_step_titles_present_in_order(built: Built):
    for lang, item, path in built.all():
        positions = titles_in_order(path, built.guide, lang)
        assert -1 not in positions, (item.filename, positions)
        assert positions == sorted(positions), item.filename


@needs_poppler
def test_each_step_sits_on_one_page(built: Built):
    assert any(step.text(lang).tip for step in built.guide.steps for lang in built.guide.codes)
    for lang, item, path in built.all():
        for step_id, title_pages in step_pages(path, built.guide, lang).items():
            assert len(title_pages) == 1, (item.filename, step_id, title_pages)


def test_arabic_extracts_as_arabic(built: Built):
    title = built.guide.text(RTL).title
    for paper in outputs.PAPERS:
        text = "".join(page.extract_text() for page in pypdf.PdfReader(built.pdf(RTL, paper)).pages)
        arabic_words = [word for word in title.split() if re.fullmatch("[\u0600-\u06ff]+", word)]
        assert arabic_words and all(word in text for word in arabic_words)
        for step in built.guide.steps:
            assert max(step.text(RTL).title.split(), key=len) in text


@needs_poppler
def test_every_font_embedded_and_ours(built: Built):
    for _lang, item, path in built.all():
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        assert rows, item.filename
        for row in rows:
            assert row[-5] == "yes", (item.filename, row)  # emb
            assert re.fullmatch(r"[A-Z]{6}\+Handout-(Sans|Arabic|Symbols)(-Bold)?(-Italic)?", row[0]), row


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools not installed")
@pytest.mark.parametrize("lang", [FIRST, RTL])
def test_qr_code_leads_to_the_guide_in_the_same_language(built: Built, lang, tmp_path):
    path = built.pdf(lang, "letter", large=lang == RTL)
    last = len(pypdf.PdfReader(path).pages)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", str(last), "-l", str(last),
                    str(path), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
    assert out.stdout.strip() == built.guide.url_for(lang)
    printed = "".join(c for c in pdftotext(path) if not c.isspace() and unicodedata.category(c) != "Cf")
    assert built.guide.url_for(lang) in printed


def test_metadata_language_bookmarks_and_tags(built: Built):
    for lang, item, path in built.all():
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
        assert reader.metadata["/Title"] == built.guide.text(lang).title
        assert reader.metadata["/Author"] == "guides.example.org"
        assert root["/Lang"] == lang
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        (top, steps) = reader.outline
        assert top["/Title"] == built.guide.text(lang).title
        assert [b["/Title"] for b in steps] == [s.text(lang).title for s in built.guide.steps], item


def test_dates_come_from_source_date_epoch(built: Built):
    info = pypdf.PdfReader(built.pdf(FIRST)).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20240726132000Z"


def test_no_local_path_in_any_pdf(built: Built):
    for _lang, item, path in built.all():
        data = path.read_bytes()
        assert pdfsafety.local_paths_in(data, [built.cache, ROOT, Path.home(), Path("/tmp")]) == [], item


def test_text_is_dark_on_white(built: Built):
    """Greyscale legibility: every text colour but the badges' white has a contrast of 7:1 or more."""
    def contrast(rgb):
        lum = sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
                  for w, c in zip((0.2126, 0.7152, 0.0722), rgb, strict=True))
        return 1.05 / (lum + 0.05)

    colours = set()
    for page in pypdf.PdfReader(built.pdf(FIRST)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        colours |= set(re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\s+BT", stream))
    colours = {tuple(map(float, c)) for c in colours}
    assert (0.0, 0.0, 0.0) in colours
    for colour in colours - {(1.0, 1.0, 1.0)}:
        assert contrast(colour) >= 7, colour
    assert contrast((13 / 255, 33 / 255, 92 / 255)) >= 4.5  # the badges' background behind white digits


def test_large_print_body_is_18_pt_or_more(built: Built):
    """The size most of the text is set in: 12-13 pt in standard print, at least 18 pt in large."""
    for large, low, high in ((False, 12, 13), (True, 18, 18.5)):
        glyphs: dict[float, int] = {}
        for page in pypdf.PdfReader(built.pdf(FIRST, "letter", large)).pages:
            stream = page.get_contents().get_data().decode("latin-1")
            for size, run in re.findall(r"/\w+ ([\d.]+) Tf\s*\[(.*?)\] TJ", stream, re.DOTALL):
                points = round(float(size) * 0.75, 1)  # WeasyPrint draws in CSS pixels
                glyphs[points] = glyphs.get(points, 0) + run.count("<")
        assert low <= max(glyphs, key=glyphs.get) <= high, glyphs


# -- cache, determinism, parallel --------------------------------------------------------------


def test_unchanged_inputs_come_from_the_cache_and_a_damaged_entry_is_rendered_again(built: Built):
    stale = built.cache / "handouts" / ("0" * 64 + ".pdf")
    stale.write_bytes(b"%PDF-1.7 from an older commit")
    report = built.render_again(jobs=2)
    assert (report.rendered, report.cached) == (0, built.total)
    assert not stale.exists()
    damaged = built.pdf(RTL, "letter")
    original = damaged.read_bytes()
    damaged.write_bytes(original[: len(original) // 2])
    report = built.render_again(jobs=1)  # serial this time: the same bytes as the parallel run
    assert (report.rendered, report.cached) == (1, built.total - 1)
    assert damaged.read_bytes() == original


def test_cache_key_follows_every_input():
    item = outputs.Handout("en", "a4", False)
    key = handout.cache_key("<html>", {"qr.svg": "1"}, item, EPOCH)
    assert key == handout.cache_key("<html>", {"qr.svg": "1"}, item, EPOCH)
    assert len({key, handout.cache_key("<html >", {"qr.svg": "1"}, item, EPOCH),
                handout.cache_key("<html>", {"qr.svg": "2"}, item, EPOCH),
                handout.cache_key("<html>", {"qr.svg": "1"}, outputs.Handout("en", "a4", True), EPOCH),
                handout.cache_key("<html>", {"qr.svg": "1"}, item, None)}) == 5


# -- safety --------------------------------------------------------------------------------------


def test_fetcher_serves_only_files_inside_the_build_folder(tmp_path: Path):
    stage = tmp_path / "stage"
    (stage / "img").mkdir(parents=True)
    (stage / "img" / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    (stage / "link.txt").symlink_to(tmp_path / "secret.txt")
    fetcher = pdffetch.BuildFolderFetcher([stage])
    assert fetcher.resolve((stage / "img" / "a.png").as_uri()) == (stage / "img" / "a.png").resolve()
    for url in [(tmp_path / "secret.txt").as_uri(), stage.as_uri() + "/../secret.txt",
                (stage / "link.txt").as_uri(), "file:///etc/passwd", stage.as_uri() + "/img",
                "http://example.org/a.png", "https://example.org/a.png", "data:text/plain,hi",
                "ftp://example.org/a", "file://evil.example.org/a.png", "img/a.png"]:
        with pytest.raises(pdffetch.RefusedURL):
            fetcher.resolve(url)


@pytest.mark.parametrize(("body", "message"), [
    ('<img src="https://example.org/x.png" alt="x">',
     "refused 'https://example.org/x.png': handouts may only use files from the build folder, "
     "not https URLs"),
    ('<img src="file:///etc/hostname" alt="x">', "refused 'file:///etc/hostname': outside the build folder"),
    ('<img src="missing.png" alt="x">', "no such file in the build folder"),
    ('<link rel="attachment" href="ok.css"><p>x</p>', "the handout would embed a file"),
    ('<p><a rel="attachment" href="ok.css">x</a></p>', "the handout would embed a file"),
    ('<p style="colour: red">x</p>', "WeasyPrint reported warning: Ignored `colour: red`"),
])
def test_anything_outside_or_wrong_fails_the_handout(tmp_path: Path, body: str, message: str):
    (tmp_path / "ok.css").write_text("p { color: black }")
    html = f'<html lang="en"><head><title>t</title></head><body>{body}</body></html>'
    with pytest.raises(BuildError) as info:
        pdf.render_pdf(html, tmp_path, "guide-en-a4.pdf")
    assert str(info.value).startswith("guide-en-a4.pdf: ")
    assert message in str(info.value)


def test_markdown_is_sanitised_and_badges_drawn():
    html = handout_html.markdown_html("Click **More** ((2)), see [the page](page.html) and "
                                      "[X](https://x.com).")
    assert str(html) == ('<p>Click <strong>More</strong>\u00a0<span class="badge">2</span>, '
                         'see <a>the page</a> and <a href="https://x.com">X</a>.</p>')
    rtl = handout_html.markdown_html("اسم **Grok & Co** و**الخصوصية**", rtl=True)
    assert "<strong>\u2066Grok &amp; Co\u2069</strong>" in rtl and "<strong>الخصوصية</strong>" in rtl


# -- fonts -----------------------------------------------------------------------------------------


def test_a_character_missing_from_the_fonts_names_character_step_and_language(project: Path):
    steps = project / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    for old, new in [('title: "Open it"', 'title: "Open it 漢"'),
                     ('summary: "Summary."', 'summary: "Summary 𝄞."'),
                     ('body: "هذا كل شيء."', 'body: "هذا كل شيء 漢."')]:
        text = text.replace(old, new)
    steps.write_text(text, encoding="utf-8")
    guide = load_guide(steps, project)
    with pytest.raises(GuideError) as info:
        handout.check_fonts(guide, load_strings(guide))
    assert [str(p) for p in info.value.problems] == [
        f"steps.yaml:17: guide [en]: the character '𝄞' (U+1D11E) is in no handout font; {FONT_FIX}",
        f"steps.yaml:31: step 'first' [en]: the character '漢' (U+6F22) is in no handout font; {FONT_FIX}",
        f"steps.yaml:52: step 'second' [ar]: the character '漢' (U+6F22) is in no handout font; {FONT_FIX}",
    ]


def test_shipped_guide_and_strings_are_covered_by_the_fonts():
    guide = load_guide(ROOT / "steps.yaml", ROOT)
    handout.check_fonts(guide, load_strings(guide))
