"""The general model on fixture guides: the guide's notes, its product's name, where each screenshot
comes from (provenance) and a language shown another language's screenshots (fallback).

Fixtures: tests/fixtures/small/ (English and Arabic, recreated screenshots, two notes, an Arabic
name for the product), tests/fixtures/fallback/ (German readers see the English screenshots) and
tests/fixtures/real/ (English, every screenshot from the real site). The page is read from the
Markdown the site stage hands to MkDocs; the handouts are rendered and read back with pdftotext.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import page as pdf_validator
import pytest

from guidebuilder.build.check import check_all
from guidebuilder.errors import GuideError
from guidebuilder.images.crops import render_crops
from guidebuilder.site.inputs import SiteInputs
from guidebuilder.site.pages import guide_markdown
from guidebuilder.source.strings import load_strings
from guidebuilder.source.validate import load_guide
from guidebuilder.store import Store
from handoutkit import EPOCH, render_project
from pdfread import needs_poppler, pdftotext

FIXTURES = Path(__file__).with_name("fixtures")


def copy_fixture(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / name, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def page(project: Path, lang: str) -> str:
    """The guide page of one language as the site stage writes it for the engine."""
    guide = load_guide(project / "steps.yaml", project)
    crops = render_crops(guide, Store(project / ".cache"), jobs=1)
    inputs = SiteInputs(guide, load_strings(guide), crops, {}, {}, EPOCH, guide.codes)
    return guide_markdown(inputs, lang)


def captions(markdown: str) -> list[list[str]]:
    """The lines under each picture, in order."""
    return [caption.split("<br>") for caption in
            re.findall(r'<figcaption class="guide-step__caption">(.*?)</figcaption>', markdown)]


def notes(markdown: str) -> list[tuple[str, str, str]]:
    """(kind, title, body text) of each guide note on the page."""
    found = re.findall(r'<div class="admonition (\w+) guide-note">\n<p class="admonition-title">'
                       r'(.*?)</p>\n(.*?)\n</div>', markdown, re.S)
    return [(kind, title, re.sub(r"<[^>]+>", "", body)) for kind, title, body in found]


def check_messages(project: Path) -> list[str]:
    with pytest.raises(GuideError) as info:
        check_all(project / "steps.yaml", project, Store(project / ".cache"))
    return [str(p) for p in info.value.problems]


# -- the model -------------------------------------------------------------------------------------


def test_the_model_holds_notes_product_and_fallback():
    small = load_guide(FIXTURES / "small" / "steps.yaml", FIXTURES / "small")
    assert [note.kind for note in small.notes] == ["warning", "tip"]
    assert small.notes[0].text("en").title == "On a phone"
    assert small.notes[1].text("ar").title is None  # the builder's default title for a tip
    assert (small.product("en"), small.product("ar")) == ("Reader", "القارئ")
    fallback = load_guide(FIXTURES / "fallback" / "steps.yaml", FIXTURES / "fallback")
    assert [fallback.screenshot_lang(code) for code in fallback.codes] == ["en", "en"]
    label = fallback.steps[0].text("de").labels[0]
    assert (label.text, label.shown, label.in_picture) == ("Menü", "Menu", "Menu")
    step = fallback.steps[0]
    assert fallback.screenshot_path(step, "de") == fallback.screenshot_path(step, "en")


def test_builder_strings_name_the_product_in_the_readers_language():
    guide = load_guide(FIXTURES / "small" / "steps.yaml", FIXTURES / "small")
    strings = load_strings(guide)
    assert strings["en"]["interface_date"] == (
        "These steps describe the screens of Reader as they were in {date}.")
    assert "القارئ" in strings["ar"]["interface_date"] and "{product}" not in strings["ar"]["interface_date"]


# -- notes and product on the page -----------------------------------------------------------------


def test_notes_are_admonitions_with_their_title_or_the_default_one(tmp_path: Path):
    project = copy_fixture("small", tmp_path / "small")
    assert notes(page(project, "en")) == [
        ("warning", "On a phone", "The setting is only on the website, not in the phone app."),
        ("tip", "Tip", "Ask the library staff if you have forgotten your password.")]
    assert notes(page(project, "ar")) == [
        ("warning", "على الهاتف", "الإعداد موجود على الموقع فقط، وليس في تطبيق الهاتف."),
        ("tip", "نصيحة", "اسأل موظفي المكتبة إذا نسيت كلمة المرور.")]


def test_the_page_names_the_product_as_the_language_writes_it(tmp_path: Path):
    project = copy_fixture("small", tmp_path / "small")
    assert "These steps describe the screens of Reader as they were in July 2024." in page(project, "en")
    arabic = page(project, "ar")
    assert "تصف هذه الخطوات شاشات القارئ كما كانت في" in arabic
    assert captions(arabic)[0] == ["شاشة من القارئ أعيد إنشاؤها، بحساب وهمي."]


# -- provenance --------------------------------------------------------------------------------------


def test_each_picture_says_its_screenshot_is_recreated(tmp_path: Path):
    project = copy_fixture("small", tmp_path / "small")
    assert captions(page(project, "en")) == [["A recreated Reader screen, with a made-up account."]] * 3


def test_real_screenshots_show_no_recreated_notice(tmp_path: Path):
    project = copy_fixture("real", tmp_path / "real")
    markdown = page(project, "en")
    assert captions(markdown) == [["A screenshot of the real Reader website."]] * 3
    assert "recreated" not in markdown


def test_each_picture_follows_its_own_screenshots_provenance(tmp_path: Path):
    project = copy_fixture("real", tmp_path / "real")
    sidecar = project / "guide" / "screenshots" / "en" / "settings.regions.json"
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**data, "provenance": "hand"}), encoding="utf-8")
    assert captions(page(project, "en")) == [["A screenshot of the real Reader website."]] * 2 + [
        ["A screenshot of Reader, taken by hand."]]


def test_a_regions_file_without_provenance_is_named(tmp_path: Path):
    project = copy_fixture("real", tmp_path / "real")
    sidecar = project / "guide" / "screenshots" / "en" / "settings.regions.json"
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    del data["provenance"]
    sidecar.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert check_messages(project) == [
        "guide/screenshots/en/settings.regions.json: step 'untick-suggestions' [en]: 'provenance' is "
        "missing; write where the screenshot comes from: \"provenance\": \"recreated\", \"real\", "
        "\"hand\" (a recreated page, the real site, a screenshot taken by hand)"]


# -- a language shown another language's screenshots --------------------------------------------------


def test_fallback_pictures_are_captioned_in_the_readers_language(tmp_path: Path):
    project = copy_fixture("fallback", tmp_path / "fallback")
    german = page(project, "de")
    assert captions(german) == [["Ein nachgebauter Bildschirm von Reader-App, mit einem erfundenen "
                                 "Konto.", "Das Bild zeigt Reader-App auf Englisch."]] * 3
    assert captions(page(project, "en")) == [["A recreated Reader screen, with a made-up account."]] * 3
    # the alt text stays in the reader's language; the body quotes the label both ways
    assert 'alt="Die Seitenleiste der Reader-Startseite.' in german
    assert "<strong>Menu</strong> (Menü)" in german


def test_fallback_languages_share_the_crops_they_show(tmp_path: Path):
    project = copy_fixture("fallback", tmp_path / "fallback")
    guide = load_guide(project / "steps.yaml", project)
    crops = render_crops(guide, Store(project / ".cache"), jobs=1)
    for step in guide.steps:
        english, german = crops[step.id, "en"], crops[step.id, "de"]
        assert german.path_2x.read_bytes() == english.path_2x.read_bytes()
        assert (german.shows, german.fallback, english.fallback) == ("en", True, False)
    assert (crops.report.made, crops.report.reused) == (3, 3)  # drawn once, shown twice


def test_the_label_check_looks_for_shown_in_the_fallback_picture(tmp_path: Path):
    project = copy_fixture("fallback", tmp_path / "fallback")
    steps = project / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    steps.write_text(text.replace('{text: "Menü", shown: "Menu"}', '{text: "Menü", shown: "Men"}')
                     .replace("**Menu** (Menü)", "**Men** (Menü)"), encoding="utf-8")
    assert check_all(steps, project, Store(project / ".cache")).guide  # "Men" is inside "Menu"
    steps.write_text(text.replace('{text: "Menü", shown: "Menu"}', '{text: "Menü", shown: "Start"}')
                     .replace("**Menu** (Menü)", "**Start** (Menü)"), encoding="utf-8")
    assert check_messages(project) == [
        "steps.yaml:37: step 'open-menu' [de]: the label 'Menü' as the picture shows it, 'Start', "
        "does not appear in the screenshot (guide/screenshots/en/home.regions.json); closest text "
        "shown: 'Settings' (region 'settings-entry'); update the label in steps.yaml or re-capture "
        "the screenshot (`make capture`)"]


def test_a_fallback_language_without_its_name_in_the_strings_is_named(tmp_path: Path):
    project = copy_fixture("fallback", tmp_path / "fallback")
    strings = project / "guide" / "strings" / "de.yaml"
    text = strings.read_text(encoding="utf-8")
    line = text.split("\n").index("language_names:") + 1
    strings.write_text(text.replace('  en: "Englisch"', '  fr: "Französisch"'), encoding="utf-8")
    assert check_messages(project) == [
        f"guide/strings/de.yaml:{line}: [de]: no name for 'en', the language of the screenshots this "
        "language shows; add it under 'language_names:' as it is written in this language, e.g. "
        "language_names: {en: ...}"]


# -- the handouts, read back ---------------------------------------------------------------------------


def printed_text(path: Path) -> str:
    return " ".join(pdftotext(path).split())


@pytest.mark.slow  # renders PDFs of its own
@needs_poppler
def test_handouts_print_notes_product_and_fallback_captions(tmp_path: Path):
    project = copy_fixture("fallback", tmp_path / "fallback")
    pdfs = render_project(project)
    for large in (False, True):
        german = printed_text(pdfs["de", "a4", large])
        assert "Auf Englisch Die Reader-App gibt es noch nicht auf Deutsch" in german
        assert german.count("Das Bild zeigt Reader-App auf Englisch.") == 3
        assert german.count("Ein nachgebauter Bildschirm von Reader-App, mit einem erfundenen Konto.") == 3
        assert "Diese Schritte beschreiben die Bildschirme von Reader-App" in german
        english = printed_text(pdfs["en", "letter", large])
        assert "Good to know The Reader app is not yet available in German" in english
        assert "The picture shows" not in english
        assert english.count("A recreated Reader screen, with a made-up account.") == 3
    for path in pdfs.values():  # notes and captions keep the handouts tagged as PDF/UA-1 wants
        assert pdf_validator.validate_pdf(
            path, profile=pdf_validator.ValidationProfile.PDF_UA_1).failures == [], path.name


@pytest.mark.slow  # renders PDFs of its own
@needs_poppler
def test_handouts_of_real_screenshots_say_nothing_recreated(tmp_path: Path):
    project = copy_fixture("real", tmp_path / "real")
    pdfs = render_project(project, langs=("en",))
    for path in pdfs.values():
        text = printed_text(path)
        assert text.count("A screenshot of the real Reader website.") == 3
        assert "recreated" not in text and "made-up account" not in text
        assert "On a phone The setting is only on the website, not in the phone app." in text
        assert "Tip Ask the library staff if you have forgotten your password." in text
