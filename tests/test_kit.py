"""The workshop kit's printed documents (the projector view has test_projector.py): facilitator
notes in steps.yaml (each bad input's exact message), the facilitator sheet read back from its
PDFs, the participant's checklist card (one page, every path, language and paper), and no
participant output carrying a facilitator note. On tests/fixtures/kit/: the two-path fixture guide
with notes in both languages; every count and text comes from the guide loaded."""

from __future__ import annotations

import functools
import subprocess
import unicodedata
from pathlib import Path

import page as pdf_validator
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from guidebuilder import outputs
from guidebuilder.errors import BuildError, GuideError
from guidebuilder.handout import document as handout_html
from guidebuilder.handout.kit import render_kit
from guidebuilder.images.crops import render_crops
from guidebuilder.source.strings import load_strings
from guidebuilder.source.validate import load_guide
from guidebuilder.store import Store
from handoutkit import needs_zbar, page_count, qr_codes
from projects import FIXTURES, errors_after_edits, small_guide

KIT = FIXTURES / "kit"
SITE_URL = "https://guides.mylibrary.org/"
EPOCH = "1722000000"


def kit_guide(folder: Path = KIT):
    return load_guide(folder / "steps.yaml", folder, site_url=SITE_URL)


def flat(text: str) -> str:
    """Text as printed, to look for a note in: no spaces (a note may wrap anywhere, and pdftotext
    splits Arabic words at their marks), no invisible format characters (isolates, joiners), no
    combining marks (pdftotext gives an Arabic letter's vowel marks in another order)."""
    return "".join(c for c in text if not c.isspace()
                   and unicodedata.category(c) not in ("Cf", "Mn"))


def printed(pdf: Path) -> str:
    """A PDF's text in reading order, flat. pypdf, not poppler: poppler gives the lines of an
    Arabic paragraph out of order and loses a vowel mark inside a lam-alef (see pdfread.skeleton)."""
    return flat("".join(page_texts(pdf)))


def has_line(pdf: Path, expected: str) -> bool:
    """Whether a line of the PDF holds exactly the characters of `expected`. A line mixing Arabic
    and digits ("المجموع: 9 د") is read back in its visual order, its characters all there."""
    want = sorted(flat(expected))
    return any(sorted(flat(line)) == want for page in page_texts(pdf) for line in page.split("\n"))


def page_texts(pdf: Path) -> tuple[str, ...]:
    """pypdf's text of each page, extracted once per version of the file (a tenth of a second a
    page; several tests read the same kit, and one test a sheet once per note)."""
    stat = pdf.stat()
    return _extracted(pdf, stat.st_mtime_ns, stat.st_size)


@functools.cache
def _extracted(pdf: Path, _mtime_ns: int, _size: int) -> tuple[str, ...]:
    import pypdf

    return tuple(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


def plain(markdown: str) -> str:
    return flat(markdown.replace("**", ""))


def every_note(guide, lang: str) -> list[str]:
    """Each facilitator note of the guide in one language, as printed (Markdown marks removed)."""
    notes = guide.text(lang).facilitator
    found = [*notes.before_you_start, *notes.materials, notes.undo]
    for step in guide.steps:
        own = step.text(lang).facilitator
        if own:
            found += [part for m in own.mistakes for part in (m.problem, m.say)]
            found += [own.note] if own.note else []
    return [plain(note) for note in found]


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """The fixture guide's kit, rendered once by the real crops and kit stages."""
    store = Store(tmp_path_factory.mktemp("kit") / "cache")
    guide = kit_guide()
    crops = render_crops(guide, store, jobs=2)
    result = render_kit(guide, load_strings(guide), crops, store, epoch=EPOCH, jobs=2)
    return guide, crops, store, {(doc.kind, doc.lang, doc.path, doc.paper): pdf
                                 for items in result.values() for doc, pdf in items}, result


@pytest.fixture(scope="module")
def kit_site(kit):
    """The site stage's inputs for the kit's guide as a build gives them, the kit included: made
    once (it subsets the web fonts, almost 2 s), read by the page, projector and shelf tests."""
    from guidebuilder.site.inputs import site_inputs

    guide, crops, store, _pdfs, result = kit
    return site_inputs(guide, load_strings(guide), crops, {}, store, epoch=EPOCH, kit=result)


# -- facilitator notes in steps.yaml --------------------------------------------------------------


def errors_for(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    return errors_after_edits(KIT, tmp_path, *edits)


def line_of(text: str, nth: int = 1) -> int:
    """The line of steps.yaml where `text` starts (its nth time)."""
    lines = (KIT / "steps.yaml").read_text(encoding="utf-8").split("\n")
    found = [n for n, line in enumerate(lines, start=1) if text in line]
    return found[nth - 1]


AR_MISTAKE = '''            - problem: "يفتح بعض المشاركين متجر التطبيقات بدل موقع القارئ."
              say: "اكتبوا عنوان موقع القارئ في شريط العناوين."
'''


def test_notes_in_one_language_only_are_refused_naming_step_and_language(tmp_path: Path):
    ar_notes = ('''        facilitator:
          mistakes:
''' + AR_MISTAKE)
    line = line_of('title: "افتح القائمة"') - 1  # its `ar:`
    assert errors_for(tmp_path, (ar_notes, "")) == [
        f"steps.yaml:{line}: step 'open-menu' [ar]: this step has facilitator notes "
        "in en but not in this language; add 'facilitator:' under text.ar, translated from en's "
        "(or remove them from every language)"]


def test_a_mistake_left_untranslated_is_refused(tmp_path: Path):
    typo = AR_MISTAKE.replace("            - problem:", "            - problemo:", 1)
    line = line_of('problem: "يفتح')
    assert errors_for(tmp_path, (AR_MISTAKE, typo)) == [
        f"steps.yaml:{line}: step 'open-menu' [ar]: 'problem' is missing; add 'problem:'",
        f"steps.yaml:{line}: step 'open-menu' [ar]: unknown key 'problemo'; "
        "did you mean 'problem'?"]
    extra = AR_MISTAKE + AR_MISTAKE
    assert errors_for(tmp_path / "b", (AR_MISTAKE, extra)) == [
        f"steps.yaml:{line_of('mistakes:', 2)}: step 'open-menu' [ar]: en lists 1 common mistakes "
        "and this language 2; translate each of en's, in the same order"]


def test_the_guide_notes_lists_and_undo_must_match_across_languages(tmp_path: Path):
    problems = errors_for(
        tmp_path, ('          - "بطاقة مهام مطبوعة لكل مشارك."\n', ""),
        ('        undo: "لاستعادة الاقتراحات، حدد المربع تحت **اقتراحات القراءة** من جديد."\n', ""))
    assert problems == [
        f"steps.yaml:{line_of('facilitator:', 2)}: guide [ar]: the facilitator notes have "
        "'undo:' in en but not in ar; write it in both, or in neither",
        f"steps.yaml:{line_of('materials:', 2)}: guide [ar]: en lists 2 materials and this "
        "language 1; translate each of en's, in the same order"]


@pytest.mark.parametrize(("minutes", "message"), [
    ("0", "'minutes': 0 is less than the minimum of 1"),
    ("90", "'minutes': 90 is greater than the maximum of 60"),
    ('"two"', "'minutes' must be integer, not str"),
])
def test_minutes_are_a_whole_number_from_1_to_60(tmp_path: Path, minutes: str, message: str):
    assert errors_for(tmp_path, ("    minutes: 2\n", f"    minutes: {minutes}\n")) == [
        f"steps.yaml:{line_of('minutes: 2')}: step 'open-menu': {message}"]


def test_raw_html_in_a_note_is_refused(tmp_path: Path):
    line = line_of('note: "Older phones')
    assert errors_for(tmp_path, ("Older phones show", "<b>Older</b> phones show")) == [
        f"steps.yaml:{line}: step 'open-settings' [en]: raw HTML is "
        "not allowed in the text; use Markdown (**bold**, [link](https://...))"]


def test_notes_in_the_model():
    guide = kit_guide()
    en = guide.text("en").facilitator
    assert len(en.before_you_start) == len(guide.text("ar").facilitator.before_you_start) == 2
    assert en.undo.startswith("To get the suggestions back")
    step = guide.steps[1]
    assert step.minutes == 3
    assert step.text("en").facilitator.note == "Older phones show the entry further down the menu."
    assert small_guide().text("en").facilitator is None  # optional: a guide without notes


# -- the facilitator sheet ------------------------------------------------------------------------


def test_kit_file_names_per_language_and_path():
    names = [doc.filename for doc in outputs.guide_kit(kit_guide(), "ar")]
    assert names == ["facilitator-ar-a4.pdf", "facilitator-ar-letter.pdf",
                     "card-ar-computer-a4.pdf", "card-ar-computer-letter.pdf",
                     "card-ar-phone-a4.pdf", "card-ar-phone-letter.pdf"]
    assert [doc.filename for doc in outputs.guide_kit(small_guide(), "en")] == [
        "facilitator-en-a4.pdf", "facilitator-en-letter.pdf", "card-en-a4.pdf", "card-en-letter.pdf"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_sheet_prints_every_note_the_plan_and_the_unconfirmed_labels(kit, lang):
    guide, _crops, _store, pdfs, _result = kit
    words = load_strings(guide)[lang]
    for paper in outputs.PAPERS:
        text = printed(pdfs["facilitator", lang, None, paper])
        for note in every_note(guide, lang):
            assert note in text, (paper, note)
        for path in guide.paths:  # the session plan: each path's total from its steps' minutes
            total = sum(step.minutes for step in guide.path_steps(path))
            assert has_line(pdfs["facilitator", lang, None, paper],
                            words["facilitator_total"].format(minutes=total)), (paper, path.id)
            assert flat(path.title(lang)) in text
        unconfirmed = [label.text for step in guide.steps for label in step.text(lang).labels
                       if not label.confirmed]
        for label in unconfirmed:
            assert flat(label) in text
        if not unconfirmed:
            assert flat(words["facilitator_unconfirmed_none"]) in text
        assert flat(words["facilitator_private"]) in text


def test_the_sheet_shows_every_step_picture_small(kit):
    """Each step's crop is on the sheet once, printed at most half its size on screen: a 2x crop
    at 192 pixels per inch or more (pdfimages lists each image drawn, with its resolution)."""
    guide, _crops, _store, pdfs, _result = kit
    listing = subprocess.run(["pdfimages", "-list", str(pdfs["facilitator", "en", None, "a4"])],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(listing) == len([step for step in guide.steps if step.image])
    assert all(int(line.split()[12]) >= 192 for line in listing), listing


def test_a_guide_without_notes_still_gets_its_sheet(tmp_path: Path):
    """The small fixture has no notes: the sheet has the plan (no times given) and every step."""
    guide = small_guide()
    store = Store(tmp_path / "cache")
    crops = render_crops(guide, store, langs=("en",))
    result = render_kit(guide, load_strings(guide), crops, store, epoch=EPOCH, langs=("en",))
    sheet = {doc.filename: pdf for doc, pdf in result["en"]}["facilitator-en-a4.pdf"]
    text = printed(sheet)
    words = load_strings(guide)["en"]
    assert flat(words["facilitator_no_minutes"]) in text
    for step in guide.steps:
        assert flat(step.text("en").title) in text
    assert flat(words["facilitator_before"]) not in text  # no empty headings


@pytest.mark.slow  # an external validator over several PDFs
def test_the_kit_is_tagged_pdf_ua(kit):
    _guide, _crops, _store, pdfs, _result = kit
    for key in (("facilitator", "ar", None, "a4"), ("card", "en", "phone", "letter")):
        assert pdf_validator.validate_pdf(
            pdfs[key], profile=pdf_validator.ValidationProfile.PDF_UA_1).failures == [], key


# -- the checklist card ---------------------------------------------------------------------------


def test_every_card_is_one_page_with_its_paths_steps_in_order(kit):
    guide, _crops, _store, pdfs, _result = kit
    for (kind, lang, path_id, _paper), pdf in pdfs.items():
        if kind != "card":
            continue
        assert page_count(pdf) == 1, pdf.name
        text = printed(pdf)
        path = guide.path(path_id)
        titles = [flat(step.text(lang).title) for step in guide.path_steps(path)]
        places = [text.find(title) for title in titles]
        assert -1 not in places and places == sorted(places), (pdf.name, titles)
        others = {flat(step.text(lang).title) for step in guide.steps} - set(titles)
        assert not [title for title in others if title in text], pdf.name
        assert flat(path.title(lang)) in text
        assert flat(load_strings(guide)[lang]["handout_done"].rstrip(" :")) in text


@needs_zbar
def test_a_card_leads_to_its_paths_page_and_shortcut(kit, tmp_path: Path):
    guide, _crops, _store, pdfs, _result = kit
    for path in guide.paths:
        wanted = [guide.path_url("en", path)] + ([path.shortcut] if path.shortcut else [])
        assert sorted(qr_codes(pdfs["card", "en", path.id, "a4"], tmp_path)) == sorted(wanted)
        text = printed(pdfs["card", "en", path.id, "letter"])
        for url in wanted:
            assert url in text


def test_a_card_too_long_for_one_page_is_an_error_naming_it(tmp_path: Path):
    folder = tmp_path / "long"
    folder.mkdir()
    text = (KIT / "steps.yaml").read_text(encoding="utf-8")
    long_title = " ".join(["Open the settings of the Reader app, then wait until it has loaded"] * 30)
    text = text.replace('title: "Open the settings"', f'title: "{long_title}"', 1)
    (folder / "steps.yaml").write_text(text, encoding="utf-8")
    (folder / "guide").symlink_to((KIT / "guide").resolve())
    guide = kit_guide(folder)
    store = Store(tmp_path / "cache")
    crops = render_crops(guide, store, langs=("en",))
    with pytest.raises(BuildError) as info:
        render_kit(guide, load_strings(guide), crops, store, epoch=EPOCH, langs=("en",))
    message = str(info.value)
    assert "a checklist card must fit on one page" in message
    assert "card-en-computer-a4.pdf" in message and "facilitator" not in message.split(";")[-1]


def test_an_unchanged_kit_is_reused(kit):
    guide, crops, store, pdfs, first = kit
    again = render_kit(guide, load_strings(guide), crops, store, epoch=EPOCH, jobs=2)
    assert str(again.report) == f"0 rendered, {sum(map(len, first.values()))} cached"
    assert {doc.filename: pdf.read_bytes() for items in again.values() for doc, pdf in items} == {
        pdf.name: pdf.read_bytes() for pdf in pdfs.values()}


# -- no participant output carries a note ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_participant_output_has_a_facilitator_note(kit, kit_site, lang):
    """The card's PDF, each handout's HTML (all a handout's PDF is made from), the guide page (with
    its links to the kit, as published) and the projector views: none holds any facilitator note."""
    from guidebuilder.site import pages, projector

    guide, _crops, _store, pdfs, _result = kit
    inputs = kit_site
    words = load_strings(guide)
    notes = every_note(guide, lang)
    staged = {step.id: handout_html.StagedCrop(f"crops/{step.id}.png", (400, 300))
              for step in guide.steps}
    outputs_text = [printed(pdf) for (kind, code, _p, _paper), pdf in pdfs.items()
               if kind == "card" and code == lang]
    outputs_text += [flat(HTMLParser(handout_html.render_html(handout_html.context(
        guide, lang, handout, words[lang], staged, EPOCH))).text())
        for handout in outputs.guide_handouts(guide, lang)]
    outputs_text.append(flat(pages.guide_markdown(inputs, lang)))
    outputs_text += [flat(HTMLParser(projector.view_html(inputs, lang, path)).text())
                for path in guide.paths]
    for note in notes:
        for output in outputs_text:
            assert note not in output and note[:20] not in output, note
    # and the sheet does have them: the search above can find a note
    assert all(note in printed(pdfs["facilitator", lang, None, "a4"]) for note in notes)


# -- on the site and the shelf --------------------------------------------------------------------


def test_the_page_and_the_shelf_link_the_kit(kit, kit_site):
    from guidebuilder.site import pages
    from guidebuilder.site.shelf import shelf_html

    guide = kit[0]
    words = load_strings(guide)
    inputs = kit_site
    for lang in guide.codes:
        page = HTMLParser(pages.guide_markdown(inputs, lang))
        cards = [a.attributes["href"] for a in page.css("ul.guide-cards a")]
        sheets = [a.attributes["href"] for a in page.css("p.guide-facilitator a")]
        kit_docs = outputs.guide_kit(guide, lang)
        assert cards == [doc.filename for doc in kit_docs if doc.kind == "card"]
        assert sheets == [doc.filename for doc in kit_docs if doc.kind == "facilitator"]
        assert set(inputs.published_files(lang)) >= {doc.filename for doc in kit_docs}
    shelf = HTMLParser(shelf_html([(guide, words)]))
    listed = [a.attributes["href"] for a in shelf.css(".shelf__cards a, .shelf__facilitator a")]
    assert sorted(listed) == sorted(f"{guide.slug}/{lang}/{doc.filename}" for lang in guide.codes
                                    for doc in outputs.guide_kit(guide, lang))


@pytest.mark.slow  # reads the shared warm build
def test_a_build_publishes_the_kit_beside_each_page(small_build):
    guide = small_build.guide
    site = small_build.project / "site" / guide.slug
    for lang in guide.codes:
        for doc in outputs.guide_kit(guide, lang):
            assert (site / lang / doc.filename).read_bytes().startswith(b"%PDF-"), doc.filename
        html = (site / lang / "index.html").read_text(encoding="utf-8")
        assert all(doc.filename in html for doc in outputs.guide_kit(guide, lang))



def test_a_note_character_missing_from_the_fonts_names_step_and_language(tmp_path: Path):
    """The sheet prints the notes with the handouts' fonts: their characters are checked too."""
    from guidebuilder.handout.stage import check_fonts

    text = (KIT / "steps.yaml").read_text(encoding="utf-8").replace(
        "Older phones show the entry", "Older phones 漢 show the entry")
    (tmp_path / "steps.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "guide").symlink_to((KIT / "guide").resolve())
    guide = kit_guide(tmp_path)
    with pytest.raises(GuideError) as info:
        check_fonts(guide, load_strings(guide))
    line = next(n for n, row in enumerate(text.split("\n"), start=1) if "漢" in row)
    assert [str(p) for p in info.value.problems] == [
        f"steps.yaml:{line}: step 'open-settings' [en]: the character '漢' (U+6F22) is in no "
        "handout font; replace it, or add a font that has it to HANDOUT_FONTS in "
        "scripts/guidebuilder/handout/fonts.py"]


# -- the shipped guides (content tests: whatever guides, languages and paths they hold) -----------


@pytest.mark.slow  # renders every shipped guide's cards
@pytest.mark.slow
def test_every_shipped_card_fits_one_page_once_published(shipped_build):
    """Published at a real address (the shared build's), a card also prints its path's address and
    QR codes: every shipped path's card must still fit one page, in every language, on both papers
    (render_kit refuses a longer card, so the build would have failed)."""
    from guidebuilder.project import find_project

    for files in find_project(shipped_build.project).guides:
        guide = load_guide(files.steps, shipped_build.project)
        assert not guide.has_placeholder_url, "the shared build is published at a real address"
        paths = {path.id: path for path in guide.paths}
        for lang in guide.codes:
            for doc in outputs.guide_kit(guide, lang):
                if doc.kind != "card":
                    continue
                pdf = shipped_build.project / "site" / guide.slug / lang / doc.filename
                assert page_count(pdf) == 1, pdf.name
                path = paths[doc.path] if doc.path else guide.paths[0]
                assert flat(guide.path_url(lang, path)) in printed(pdf), pdf.name


def test_a_note_left_in_the_source_language_is_a_warning(tmp_path: Path):
    from guidebuilder.source.validate import check_guide

    text = (KIT / "steps.yaml").read_text(encoding="utf-8").replace(
        "تعرض الهواتف القديمة هذا الخيار في أسفل القائمة.",
        "Older phones show the entry further down the menu.")
    (tmp_path / "steps.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "guide").symlink_to((KIT / "guide").resolve())
    _guide, warnings = check_guide(tmp_path / "steps.yaml", tmp_path)
    line = [n for n, row in enumerate(text.split("\n"), start=1) if "Older phones" in row][-1]
    assert [str(w) for w in warnings if "facilitator" in w.message] == [
        f"steps.yaml:{line}: step 'open-settings' [ar]: this facilitator note is the same as in "
        "'en', the source language; translate it"]


def test_the_kit_and_the_handouts_rebuild_only_for_their_own_code():
    """Editing a card's template renders no handout again, and the handouts' template no card:
    each kind's code version reads only the files that make it (and those both use)."""
    from guidebuilder.handout.kit import KIT
    from guidebuilder.handout.stage import HANDOUTS
    from guidebuilder.store import code_files

    handouts = {name for name, _path in code_files(HANDOUTS)}
    kit = {name for name, _path in code_files(KIT)}
    assert {"handout/kit.py", "handout/kitdocs.py", "handout/card.html.j2", "handout/kit.css"} <= (
        kit - handouts)
    assert "handout/handout.html.j2" in handouts - kit
    assert {"handout/document.py", "handout/macros.html.j2", "handout/handout.css",
            "handout/pdf.py"} <= handouts & kit
