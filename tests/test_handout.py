"""The printed handouts, read back from the PDFs themselves (pypdf and poppler's tools).

Tool tests: every handout of the fixture guide (tests/fixtures/small/) is rendered once per session
(conftest's `small_handouts`) and every count comes from that guide. The shipped guide's published
handouts are read by test_shipped_handouts.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zlib
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageDraw

from guidebuilder import outputs
from guidebuilder.errors import BuildError, GuideError
from guidebuilder.handout import document as handout_html
from guidebuilder.handout import fetch as pdffetch
from guidebuilder.handout import imagecache, pdf
from guidebuilder.handout import safety as pdfsafety
from guidebuilder.handout import stage as handout
from guidebuilder.model import BADGE_REF, Guide
from guidebuilder.source.strings import load_strings
from guidebuilder.source.validate import load_guide
from guidebuilder.store import Store
from handoutkit import Rendered, link_annotations, needs_poppler, pdftotext
from pdfread import check_fonts_embedded_and_ours
from projects import SMALL

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1722000000"
PAGE_PT = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
FONT_FIX = "replace it, or add a font that has it to HANDOUT_FONTS in scripts/guidebuilder/handout/fonts.py"


def total(guide: Guide) -> int:
    """How many handouts a whole render of this guide makes."""
    return sum(len(outputs.handouts(lang)) for lang in guide.codes)


def skeleton(text: str) -> str:
    """Letters and digits only, for comparing with pdftotext's output (which moves spaces around a
    left-to-right phrase in right-to-left text, and the marks of bold Arabic)."""
    return "".join(c for c in BADGE_REF.sub(r"\1", text) if unicodedata.category(c)[0] in "LN")


def plain(markdown: str) -> str:
    return BADGE_REF.sub(r"\1", markdown).replace("**", "")


def last_words(markdown: str, count: int = 4) -> str:
    return " ".join(plain(markdown).split()[-count:])


# -- what every handout must be ----------------------------------------------------------------


def test_every_handout_with_its_published_name(small_handouts: Rendered):
    assert list(small_handouts.handouts) == list(small_handouts.guide.codes)
    for lang, items in small_handouts.handouts.items():
        assert [item for item, _ in items] == list(outputs.handouts(lang))
        assert all(path.is_file() and path.parent.parent == small_handouts.cache / "handouts"
                   and path.name == item.filename for item, path in items)
    assert (small_handouts.report.made, small_handouts.report.reused) == (total(small_handouts.guide), 0)


def test_page_size_of_every_page(small_handouts: Rendered):
    for _lang, item, path in small_handouts.all():
        width, height = PAGE_PT[item.paper]
        for page in pypdf.PdfReader(path).pages:
            assert abs(float(page.mediabox.width) - width) <= 1, item.filename
            assert abs(float(page.mediabox.height) - height) <= 1, item.filename


@needs_poppler
def test_step_titles_present_in_order(small_handouts: Rendered):
    for lang, item, path in small_handouts.all():
        text = skeleton(pdftotext(path))
        positions = [text.find(skeleton(step.text(lang).title)) for step in small_handouts.guide.steps]
        assert -1 not in positions, (item.filename, positions)
        assert positions == sorted(positions), item.filename


@needs_poppler
def test_each_step_sits_on_one_page(small_handouts: Rendered):
    for lang, item, path in small_handouts.all():
        pages = [skeleton(pdftotext(path, n)) for n in range(1, len(pypdf.PdfReader(path).pages) + 1)]
        for step in small_handouts.guide.steps:
            text = step.text(lang)
            title_pages = [n for n, page in enumerate(pages) if skeleton(text.title) in page]
            assert len(title_pages) == 1, (item.filename, step.id, title_pages)
            # The last words of the body and of the tip, each word on its own: poppler may give the
            # lines of right-to-left text with a left-to-right phrase inside in a shuffled order.
            for part in [text.body] + ([text.tip] if text.tip else []):
                words = [skeleton(word) for word in last_words(part).split()]
                page = pages[title_pages[0]]
                assert all(word in page for word in words), (item.filename, step.id, words)


def rtl_runs(text: str) -> list[str]:
    """The runs of Arabic words of a text, between its other characters (a reader may place
    left-to-right words, digits and brackets elsewhere on the line)."""
    return [" ".join(run.split()) for run in re.split(r"[^\u0600-\u06ff\s]+", text) if run.strip()]


def visible(text: str, marks: bool = True) -> str:
    """Text as a reader copies it: no invisible format characters, one space between words; with
    `marks=False`, no vowel marks either (pdftotext moves those of bold Arabic to a line of their own)."""
    drop = {"Cf"} if marks else {"Cf", "Mn"}
    return " ".join("".join(c for c in text if unicodedata.category(c) not in drop).split())


@needs_poppler
def test_right_to_left_titles_copy_out_as_written(small_handouts: Rendered):
    """Copying a step title out of an Arabic handout gives its letters in their order, with pypdf and
    with poppler (pdftotext; Evince and Okular copy the same): no "عىل" for "على", no "اإلعدادات"
    for "الإعدادات" (the lam-alef ligatures, see handout/ligatures.py)."""
    guide = small_handouts.guide
    assert any(language.rtl for language in guide.languages)  # what the fixture guide is for
    for lang, item, path in small_handouts.all():
        if not guide.language(lang).rtl:
            continue
        by_pypdf = visible("\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages))
        by_poppler = visible(pdftotext(path), marks=False)
        for text in [guide.text(lang).title] + [step.text(lang).title for step in guide.steps]:
            for run in rtl_runs(visible(text)):
                assert run in by_pypdf, (item.filename, run)
                assert visible(run, marks=False) in by_poppler, (item.filename, run)


@needs_poppler
def test_every_font_embedded_and_ours(small_handouts: Rendered):
    for _lang, item, path in small_handouts.all():
        check_fonts_embedded_and_ours(path, item.filename)


def test_metadata_language_bookmarks_and_tags(small_handouts: Rendered):
    for lang, item, path in small_handouts.all():
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
        assert reader.metadata["/Title"] == small_handouts.guide.text(lang).title
        assert reader.metadata["/Author"] == "guides.example.org"
        assert root["/Lang"] == lang
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        (top, steps) = reader.outline
        assert top["/Title"] == small_handouts.guide.text(lang).title
        assert [b["/Title"] for b in steps] == [s.text(lang).title for s in small_handouts.guide.steps], item


def test_every_handout_passes_the_pdf_ua_1_validator(small_handouts: Rendered):
    """An external validator (page, Matterhorn-based) finds nothing. Known WeasyPrint gaps it does
    not check (running header and footer outside the structure tree) are listed in the README."""
    import page

    found = {}
    for _lang, item, path in small_handouts.all():
        report = page.validate_pdf(path, profile=page.ValidationProfile.PDF_UA_1)
        if report.failures:
            found[item.filename] = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert found == {}


def test_each_printed_address_is_one_link_under_one_link_element(small_handouts: Rendered):
    for lang, item, path in small_handouts.all():
        links = link_annotations(path)
        guide_link = [] if small_handouts.guide.has_placeholder_url else [small_handouts.guide.url_for(lang)]
        assert [uri for uri, _, _ in links] == [*guide_link, small_handouts.guide.source.url], item
        for _uri, width, element in links:
            assert width > 10, item.filename
            assert element["/S"] == "/Link", item.filename
            objects = [kid.get_object() for kid in element["/K"] if not isinstance(kid, int)]
            assert [kid["/Type"] for kid in objects] == ["/OBJR"], item.filename


def test_dates_come_from_source_date_epoch(small_handouts: Rendered):
    for _lang, item, path in small_handouts.all():
        info = pypdf.PdfReader(path).metadata
        assert info["/CreationDate"] == info["/ModDate"] == "D:20240726132000Z", item.filename


def test_no_local_path_in_any_pdf(small_handouts: Rendered):
    for _lang, item, path in small_handouts.all():
        data = path.read_bytes()
        places = [small_handouts.cache, SMALL, ROOT, Path.home(), Path("/tmp")]
        assert pdfsafety.local_paths_in(data, places) == [], item


def test_text_is_dark_on_white(small_handouts: Rendered):
    """Greyscale legibility: every text colour but the badges' white has a contrast of 7:1 or more."""
    def contrast(rgb):
        lum = sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
                  for w, c in zip((0.2126, 0.7152, 0.0722), rgb, strict=True))
        return 1.05 / (lum + 0.05)

    colours = set()
    for _lang, _item, path in small_handouts.all():
        for page in pypdf.PdfReader(path).pages:
            stream = page.get_contents().get_data().decode("latin-1")
            colours |= set(re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\s+BT", stream))
    colours = {tuple(map(float, c)) for c in colours}
    assert (0.0, 0.0, 0.0) in colours
    for colour in colours - {(1.0, 1.0, 1.0)}:
        assert contrast(colour) >= 7, colour
    assert contrast((13 / 255, 33 / 255, 92 / 255)) >= 4.5  # the badges' background behind white digits


def test_large_print_body_is_18_pt_or_more(small_handouts: Rendered):
    """The size most of the text is set in: 12-13 pt in standard print, at least 18 pt in large."""
    for _lang, item, path in small_handouts.all():
        low, high = (18, 18.5) if item.large else (12, 13)
        glyphs: dict[float, int] = {}
        for page in pypdf.PdfReader(path).pages:
            stream = page.get_contents().get_data().decode("latin-1")
            for size, run in re.findall(r"/\w+ ([\d.]+) Tf\s*\[(.*?)\] TJ", stream, re.DOTALL):
                points = round(float(size) * 0.75, 1)  # WeasyPrint draws in CSS pixels
                glyphs[points] = glyphs.get(points, 0) + run.count("<")
        assert low <= max(glyphs, key=glyphs.get) <= high, (item.filename, glyphs)


def pictures_mm(path: Path) -> list[tuple[float, float]]:
    """Printed width and height (mm) of each raster picture drawn, in the order of the pages; the
    warning icon (a vector drawing) is left out."""
    sizes = []
    for page in pypdf.PdfReader(path).pages:
        def visit(operator, _operands, cm, _tm):
            if operator == b"Do" and min(abs(cm[0]), abs(cm[3])) > 5:
                sizes.append((abs(cm[0]) * 25.4 / 72, abs(cm[3]) * 25.4 / 72))
        page.extract_text(visitor_operand_before=visit)
    return sizes


@pytest.mark.slow  # renders PDFs of its own: make test, not test-fast
def test_large_print_enlarges_the_pictures_as_much_as_the_words(small_handouts: Rendered):
    """Each step's picture is 18/12.5 of its standard size or more, unless it is as wide as the text
    or as tall as large print lets a picture be; it is never wider or taller than that."""
    ratio = handout_html.LARGE_PT / handout_html.STANDARD_PT
    count = sum(1 for step in small_handouts.guide.steps if step.image)
    for lang in small_handouts.guide.codes:
        for paper in outputs.PAPERS:
            layout = handout_html.layout_for(outputs.Handout(lang, paper, True))
            standard = pictures_mm(small_handouts.pdf(lang, paper))[:count]
            large = pictures_mm(small_handouts.pdf(lang, paper, large=True))[:count]
            assert len(standard) == len(large) == count
            for (width, height), (big_width, big_height) in zip(standard, large, strict=True):
                where = (lang, paper, (width, height), (big_width, big_height))
                assert big_width / big_height == pytest.approx(width / height, rel=0.01), where
                assert big_width <= layout.content_width + 0.3, where
                assert big_height <= layout.image_max_height + 0.3, where
                at_a_cap = (big_width >= layout.content_width - 0.3
                            or big_height >= layout.image_max_height - 0.3)
                assert at_a_cap or big_width >= width * ratio * 0.99, where


# -- cache, determinism, parallel --------------------------------------------------------------


def test_unchanged_inputs_come_from_the_cache_and_a_damaged_entry_is_rendered_again(small_handouts: Rendered):
    store = Store(small_handouts.cache)
    stale = store.put(handout.HANDOUTS, "0" * 64, {"guide-fr-a4.pdf": b"%PDF-1.7 from an older commit"})
    store = Store(small_handouts.cache)  # a new build: it has used nothing yet
    report = small_handouts.render_again(jobs=2, store=store)
    assert (report.made, report.reused) == (0, total(small_handouts.guide))
    assert store.prune() == [stale.path]  # what the orchestrator does after a whole build
    damaged = small_handouts.pdf(small_handouts.guide.codes[-1], "letter")
    original = damaged.read_bytes()
    damaged.write_bytes(original[: len(original) // 2])
    report = small_handouts.render_again(jobs=1)  # serial this time: the same bytes as the parallel run
    assert (report.made, report.reused) == (1, total(small_handouts.guide) - 1)
    assert damaged.read_bytes() == original


@pytest.mark.slow  # renders PDFs of its own: make test, not test-fast
def test_same_bytes_in_one_batch_in_halves_or_each_alone(small_handouts: Rendered):
    """The build rendered each language's four handouts in one batch, in a worker, sharing their
    images (the expected bytes). The same bytes come from two batches in parallel and from each
    handout rendered on its own in this process, with nothing shared."""
    lang = next(language.code for language in small_handouts.guide.languages if language.rtl)
    four = [job for job in small_handouts.jobs if job.name.startswith(f"guide-{lang}-")]
    expected = {item.filename: path.read_bytes() for item, path in small_handouts.handouts[lang]}
    assert len(expected) == len(four) == 4
    assert [len(batch) for batch in pdf.batches(small_handouts.jobs, 2)] == [4] * len(
        small_handouts.guide.codes)  # the build's: one batch per language
    assert [len(batch) for batch in pdf.batches(four, 2)] == [2, 2]
    got: dict[str, bytes] = {}
    pdf.run_jobs(four, 2, lambda job, data: got.__setitem__(job.name, data))
    assert got == expected, "2 workers"
    for job in four:
        assert pdf.render_pdf(job.html, Path(job.stage), job.name) == expected[job.name], job.name


@pytest.mark.slow  # renders PDFs of its own: make test, not test-fast
def test_rendering_leaves_no_font_folder_behind(small_handouts: Rendered, tmp_path: Path, monkeypatch):
    """WeasyPrint copies the fonts of each document into a temporary folder (4 MB)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # forked workers inherit it
    lang = small_handouts.guide.codes[0]
    two = [job for job in small_handouts.jobs if job.name.startswith(f"guide-{lang}-a4")]
    assert len(two) == 2
    for workers in (2, 1):
        pdf.run_jobs(two, workers, lambda job, data: None)
        assert list(tmp_path.glob("weasyprint-*")) == [], f"{workers} worker(s)"


@pytest.mark.slow  # renders PDFs of its own: make test, not test-fast
def test_a_batch_loads_its_fonts_once(small_handouts: Rendered, monkeypatch):
    """One FontConfiguration for the handouts of a staging folder: Pango keeps the faces it loaded
    for the next PDF (test_same_bytes_in_one_batch_in_halves_or_each_alone checks the bytes)."""
    from weasyprint.text import fonts

    made = []

    class Counted(fonts.FontConfiguration):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(fonts, "FontConfiguration", Counted)
    lang = small_handouts.guide.codes[0]
    four = [job for job in small_handouts.jobs if job.name.startswith(f"guide-{lang}-")]
    pdf.run_jobs(four, 1, lambda job, data: None)
    assert len(four) == 4 and len(made) == 1


def test_batches_keep_staging_folders_apart():
    jobs = [pdf.Job(f"{lang}-{n}.pdf", "<html>", f"/stage/{lang}", "") for lang in "ab" for n in range(4)]
    assert [[job.name for job in batch] for batch in pdf.batches(jobs, 2)] == [
        ["a-0.pdf", "a-1.pdf", "a-2.pdf", "a-3.pdf"], ["b-0.pdf", "b-1.pdf", "b-2.pdf", "b-3.pdf"]]
    assert [len(batch) for batch in pdf.batches(jobs[:3], 4)] == [1, 1, 1]
    assert [len(batch) for batch in pdf.batches(jobs[:1], 2)] == [1]
    assert pdf.batches([], 2) == []


PICTURES_HTML = """<html lang="en"><head><title>t</title>
<meta name="dcterms.created" content="2024-07-26T13:20:00Z"></head><body>
<p>A palette crop, a picture with transparency, a drawing.</p>
<img src="crop.png" alt="crop"><img src="alpha.png" alt="alpha"><img src="qr.svg" alt="qr">
</body></html>"""


def write_pictures(stage: Path) -> None:
    image = Image.new("RGB", (120, 80), (247, 249, 249))
    ImageDraw.Draw(image).ellipse([10, 10, 60, 60], fill=(13, 33, 92))
    image.convert("P", palette=Image.Palette.ADAPTIVE).save(stage / "crop.png")
    Image.new("RGBA", (40, 30), (13, 33, 92, 128)).save(stage / "alpha.png")
    (stage / "qr.svg").write_bytes(handout.qr_svg("https://guides.example.org/"))


def test_shared_images_give_twice_the_bytes_of_a_fresh_process(tmp_path: Path):
    write_pictures(tmp_path)
    (tmp_path / "page.html").write_text(PICTURES_HTML, encoding="utf-8")
    fresh = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from guidebuilder.handout.pdf import render_pdf; "
         "sys.stdout.buffer.write(render_pdf(Path(sys.argv[1]).read_text(), Path(sys.argv[2])))",
         str(tmp_path / "page.html"), str(tmp_path)],
        capture_output=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")}).stdout
    images = imagecache.SharedImages()
    first = pdf.render_pdf(PICTURES_HTML, tmp_path, images=images)
    second = pdf.render_pdf(PICTURES_HTML, tmp_path, images=images)
    assert fresh.startswith(b"%PDF-") and first == fresh and second == fresh
    encoded = [image for image in images.values() if isinstance(image, imagecache._EncodedOnce)]
    assert len(encoded) == 2 and all(image.encoded for image in encoded)  # the reuse was exercised


def test_an_image_that_fails_fails_every_handout_sharing_it(tmp_path: Path):
    (tmp_path / "bad.png").write_bytes(b"not a picture")
    html = '<html lang="en"><head><title>t</title></head><body><img src="bad.png" alt="x"></body></html>'
    two = [pdf.Job(name, html, str(tmp_path), "") for name in ("guide-en-a4.pdf", "guide-en-letter.pdf")]
    with pytest.raises(BuildError) as info:
        pdf.run_jobs(two, 1, lambda job, data: pytest.fail(f"{job.name} was rendered"))
    assert "Failed to load image at 'file:///handout/bad.png'" in str(info.value)
    assert str(info.value).endswith("(in guide-en-a4.pdf, guide-en-letter.pdf)")


def test_cache_key_follows_every_input(tmp_path: Path):
    item = outputs.Handout("en", "a4", False)

    def key(*args):
        return handout.cache_key(Store(tmp_path), *args)

    assert key("<html>", {"qr.svg": "1"}, item, EPOCH) == key("<html>", {"qr.svg": "1"}, item, EPOCH)
    assert len({key("<html>", {"qr.svg": "1"}, item, EPOCH), key("<html >", {"qr.svg": "1"}, item, EPOCH),
                key("<html>", {"qr.svg": "2"}, item, EPOCH),
                key("<html>", {"qr.svg": "1"}, outputs.Handout("en", "a4", True), EPOCH),
                key("<html>", {"qr.svg": "1"}, item, None)}) == 5


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


def test_the_leak_scan_reads_every_stream_but_pictures():
    def obj(number: int, header: bytes, data: bytes) -> bytes:
        stream = zlib.compress(data)
        return b"%d 0 obj\n<<%s/Filter /FlateDecode/Length %d>>\nstream\n%s\nendstream\nendobj\n" % (
            number, header, len(stream), stream)

    page = obj(1, b"", b"BT (/tmp/build/handout.css) Tj ET")
    picture = obj(2, b"/Type /XObject/Subtype /Image/Width 2/Height 2", b"/tmp/" * 3)
    assert pdfsafety.local_paths_in(b"%PDF-1.7\n" + page + picture, [Path("/tmp")]) == ["/tmp/"]
    assert pdfsafety.local_paths_in(b"%PDF-1.7\n" + picture, [Path("/tmp")]) == []


def test_markdown_is_sanitised_and_badges_drawn():
    html = handout_html.markdown_html("Click **More** ((2)), see [the page](page.html) and "
                                      "[X](https://x.com).")
    assert str(html) == ('<p>Click <strong>More</strong>\u00a0<span class="badge">2</span>, '
                         'see <a>the page</a> and <a href="https://x.com">X</a>.</p>')
    rtl = handout_html.markdown_html("اسم **Grok & Co** و**الخصوصية**", rtl=True)
    assert "<strong>\u2066Grok &amp; Co\u2069</strong>" in rtl and "<strong>الخصوصية</strong>" in rtl


def test_printed_address_may_wrap_only_after_a_slash():
    text = handout_html.url_text("https://guides.example.org/stop-grok-training/fr/?a=1")
    assert text.replace(handout_html.WORD_JOINER, "") == "https://guides.example.org/stop-grok-training/fr/?a=1"
    # a word joiner after every character where line breaking would allow a break, but a cut
    assert text.split(handout_html.WORD_JOINER) == [
        "https:", "/", "/", "guides.", "example.", "org/stop-", "grok-", "training/fr/?", "a=", "1"]


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
