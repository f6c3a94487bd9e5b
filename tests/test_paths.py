"""Device paths and shortcuts (paths: in steps.yaml): each bad input's exact message, the model, the
guide page's markup and the handouts of each path, on the two-path fixture (tests/fixtures/paths/).
The page in a real browser (tabs, keys, no script, print) is in test_paths_browser.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import page as pdf_validator
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

import pathskit
from guidebuilder import outputs
from guidebuilder.handout.pagination import FILENAME, SplitStep, describe
from guidebuilder.source.strings import load_strings
from handoutkit import needs_zbar, pdftotext, qr_codes
from pathskit import PATHS, SITE_URL, paths_guide, paths_project
from projects import errors_after_edits, small_guide

PATH_SHORTCUT = "    shortcut: https://reader.mylibrary.org/settings\n"
STEP_SHORTCUT = "    shortcut: https://reader.mylibrary.org/settings/suggestions\n"


def errors_for(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    return errors_after_edits(PATHS, tmp_path, *edits)


PHONE_STEPS = "steps: [open-settings, untick-suggestions]"
# (case, edits of tests/fixtures/paths/steps.yaml, the exact lines `make check` must print)
BAD_PATHS = [
    ("unknown-step", [(PHONE_STEPS, "steps: [open-setings, untick-suggestions]")], [
        "steps.yaml:53: path 'phone' step 'open-setings': no step has the id 'open-setings'; "
        "write the id of a step under 'steps:' (open-menu, open-settings, untick-suggestions)",
    ]),
    ("step-twice", [(PHONE_STEPS, "steps: [open-settings, untick-suggestions, open-settings]")], [
        "steps.yaml:53: path 'phone' step 'open-settings': the step is listed twice in this path "
        "(places 1 and 3); keep one: a step appears once per path",
    ]),
    ("step-in-no-path", [("steps: [open-menu, open-settings, untick-suggestions]", PHONE_STEPS)], [
        "steps.yaml:57: step 'open-menu': this step is in no path; add 'open-menu' to the steps: "
        "of 'computer' or 'phone' under 'paths:', or remove the step",
    ]),
    ("duplicate-path-id", [("  - id: phone\n", "  - id: computer\n")], [
        "steps.yaml:49: path 'computer': duplicate path id 'computer' (first used on line 44); "
        "give each path its own id",
    ]),
    ("path-without-steps", [(PHONE_STEPS, "steps: []")], [
        "steps.yaml:53: path 'phone': this path has no steps; list its step ids in order, e.g. "
        "steps: [open-settings, check-it-worked]",
    ]),
    ("path-steps-missing", [(f"    {PHONE_STEPS}\n", "")], [
        "steps.yaml:49: path 'phone': 'steps' is missing; add 'steps:'",
    ]),
    ("path-language-missing", [('      ar: {title: "على الحاسوب"}\n', "")], [
        "steps.yaml:45: path 'computer' [ar]: no title for this path in this language; add "
        "'ar: {title: ...}' under 'text:'",
    ]),
    ("path-language-unlisted", [('      ar: {title: "على الحاسوب"}\n',
                                 '      ar: {title: "على الحاسوب"}\n'
                                 '      fr: {title: "Sur un ordinateur"}\n')], [
        "steps.yaml:48: path 'computer' [fr]: text for language 'fr', which is not listed under "
        "'languages:'; add the language there or remove this text",
    ]),
    ("unknown-key", [(PATH_SHORTCUT, PATH_SHORTCUT.replace("shortcut:", "shortcutt:"))], [
        "steps.yaml:54: path 'phone': unknown key 'shortcutt'; did you mean 'shortcut'?",
    ]),
    ("path-title-misspelt", [('{title: "On a phone or tablet"}', '{titel: "On a phone or tablet"}')], [
        "steps.yaml:51: path 'phone' [en]: title is missing; add 'title:'",
        "steps.yaml:51: path 'phone' [en]: unknown key 'titel'; did you mean 'title'?",
    ]),
    ("path-shortcut-http", [(PATH_SHORTCUT, PATH_SHORTCUT.replace("https:", "http:"))], [
        "steps.yaml:54: path 'phone': 'http://reader.mylibrary.org/settings' is not valid here; "
        "a shortcut must be a secure web address; write it in full, starting with https://",
    ]),
    ("step-shortcut-no-scheme", [(STEP_SHORTCUT, STEP_SHORTCUT.replace("https://", ""))], [
        "steps.yaml:96: step 'untick-suggestions': 'reader.mylibrary.org/settings/suggestions' is "
        "not valid here; a shortcut must be a secure web address; write it in full, starting "
        "with https://",
    ]),
    ("path-id-an-anchor-of-the-page", [("  - id: phone\n", "  - id: print\n")], [
        "steps.yaml:49: path 'print': the id 'print' is the address of the page's own section "
        "#print; give the path another id, e.g. phone",
    ]),
    ("path-id-not-a-name", [("  - id: phone\n", "  - id: Phone\n")], [
        "steps.yaml:49: path 'Phone': 'Phone' is not valid here; use lowercase letters, digits and "
        "dashes, e.g. open-settings",
    ]),
]


@pytest.mark.parametrize(("edits", "expected"), [pytest.param(e, x, id=c) for c, e, x in BAD_PATHS])
def test_bad_paths_give_exact_messages(tmp_path: Path, edits, expected):
    assert errors_for(tmp_path, *edits) == expected


def test_every_problem_of_the_paths_in_one_run(tmp_path: Path):
    edits = [edit for _case, case_edits, _ in BAD_PATHS
             if _case in ("unknown-step", "duplicate-path-id", "path-language-missing",
                          "step-shortcut-no-scheme")
             for edit in case_edits]
    found = errors_for(tmp_path, *edits)
    assert found == [  # one line shorter from line 47 on: the Arabic title removed
        "steps.yaml:45: path 'computer' [ar]: no title for this path in this language; add "
        "'ar: {title: ...}' under 'text:'",
        "steps.yaml:48: path 'computer': duplicate path id 'computer' (first used on line 44); "
        "give each path its own id",
        "steps.yaml:52: path 'computer' step 'open-setings': no step has the id 'open-setings'; "
        "write the id of a step under 'steps:' (open-menu, open-settings, untick-suggestions)",
        "steps.yaml:95: step 'untick-suggestions': 'reader.mylibrary.org/settings/suggestions' is "
        "not valid here; a shortcut must be a secure web address; write it in full, starting "
        "with https://",
    ]


def test_a_path_title_left_in_the_source_language_is_a_warning(tmp_path: Path):
    from guidebuilder.source.validate import check_guide

    text = (PATHS / "steps.yaml").read_text(encoding="utf-8").replace(
        'ar: {title: "على الهاتف أو الجهاز اللوحي"}', 'ar: {title: "On a phone or tablet"}')
    (tmp_path / "steps.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "guide").symlink_to((PATHS / "guide").resolve())
    _guide, warnings = check_guide(tmp_path / "steps.yaml", tmp_path)
    assert [str(w) for w in warnings if w.path] == [
        "steps.yaml:52: path 'phone' [ar]: the path's title is the same as in 'en', the source "
        "language; translate it"]


# -- the model -----------------------------------------------------------------------------------


def test_paths_in_the_model():
    guide = paths_guide()
    assert guide.several_paths
    computer, phone = guide.paths
    assert (computer.id, computer.steps, computer.shortcut) == (
        "computer", ("open-menu", "open-settings", "untick-suggestions"), None)
    assert (phone.id, phone.shortcut) == ("phone", "https://reader.mylibrary.org/settings")
    assert (phone.title("en"), phone.title("ar")) == ("On a phone or tablet", "على الهاتف أو الجهاز اللوحي")
    assert [step.id for step in guide.path_steps(phone)] == ["open-settings", "untick-suggestions"]
    # numbered in each path: the shared step is 2 on the computer, 1 on the phone
    assert (computer.number("open-settings"), phone.number("open-settings")) == (2, 1)
    assert [step.shortcut for step in guide.steps] == [
        None, None, "https://reader.mylibrary.org/settings/suggestions"]
    assert guide.path_url("en", phone) == f"{SITE_URL}reader-paths/en/#phone"
    assert guide.path("computer") is computer


def test_a_guide_without_paths_is_one_implicit_path_of_every_step():
    guide = small_guide()
    (path,) = guide.paths
    assert path.implicit and not guide.several_paths
    assert path.steps == tuple(step.id for step in guide.steps)
    assert path.title("en") is None and path.shortcut is None
    assert guide.path_url("en", path) == guide.url_for("en")  # no fragment: the page as before


def test_handout_file_names_per_path_and_unchanged_for_one():
    names = [h.filename for h in outputs.guide_handouts(paths_guide(), "en")]
    assert names == [f"guide-en-{path}-{paper}{large}.pdf" for path in ("computer", "phone")
                     for large in ("", "-large") for paper in ("a4", "letter")]
    assert [h.filename for h in outputs.guide_handouts(small_guide(), "en")] == [
        "guide-en-a4.pdf", "guide-en-letter.pdf", "guide-en-a4-large.pdf", "guide-en-letter-large.pdf"]
    for name in ("guide-en-phone-a4-large.pdf", "guide-pt-BR-letter.pdf", "guide-ar-a4.pdf"):
        assert FILENAME.fullmatch(name), name
    assert FILENAME.fullmatch("guide-en-phone-a4-large.pdf")["path"] == "phone"
    assert FILENAME.fullmatch("guide-pt-BR-letter.pdf")["lang"] == "pt-BR"
    assert describe(SplitStep("open-settings", (2, 3), number="1"), "guide-en-phone-a4-large.pdf") == (
        "warning: [en], path 'phone', A4, large print (guide-en-phone-a4-large.pdf): step 1 "
        "('open-settings') splits across pages 2-3; shorten its text or its picture so that it "
        "fits on one page")


# -- the guide page's markup ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def paths_site(tmp_path_factory):
    return pathskit.paths_site(tmp_path_factory)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_page_has_each_path_with_its_own_numbered_steps(paths_site, lang):
    folder, guide = paths_site
    tree = HTMLParser((folder / lang / "index.html").read_text(encoding="utf-8"))
    headings = tree.css("h2.guide-path-title")
    assert [(h.attributes["id"], h.text().strip()) for h in headings] == [
        (path.id, path.title(lang)) for path in guide.paths]
    steps = tree.css("h3.guide-step-title")
    assert [h.attributes["id"] for h in steps] == [
        f"{path.id}-{step_id}" for path in guide.paths for step_id in path.steps]
    assert [h.css_first(".guide-step-number").text() for h in steps] == [
        str(n) for path in guide.paths for n in range(1, len(path.steps) + 1)]
    ids = [node.attributes["id"] for node in tree.css("[id]")]
    assert len(ids) == len(set(ids)), "anchors stay unique with a step in two paths"
    assert tree.css_first("[data-guide-paths]").attributes["data-label"] == (
        load_strings(guide)[lang]["paths_label"])
    assert tree.css("script[src$='assets/javascripts/paths.js']")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_page_shows_shortcuts_and_each_paths_handouts(paths_site, lang):
    folder, guide = paths_site
    words = load_strings(guide)[lang]
    tree = HTMLParser((folder / lang / "index.html").read_text(encoding="utf-8"))
    shortcuts = tree.css("p.guide-shortcut")
    # the phone path's own, then the step's once in each path it is in
    assert [p.css_first("a").attributes["href"] for p in shortcuts] == [
        "https://reader.mylibrary.org/settings/suggestions", "https://reader.mylibrary.org/settings",
        "https://reader.mylibrary.org/settings/suggestions"]
    for shortcut in shortcuts:
        assert words["shortcut_title"] in shortcut.text() and words["shortcut"] in shortcut.text()
    assert "Reader" in words["shortcut"] or lang == "ar"  # {product} filled in
    groups = [p.text() for p in tree.css("p.guide-handouts__path")]
    assert groups == [path.title(lang) for path in guide.paths]
    links = [a.attributes["href"] for a in tree.css("ul.guide-handouts a")]
    assert links == [h.filename for h in outputs.guide_handouts(guide, lang)]
    assert all((folder / lang / name).is_file() for name in links)


def test_the_shelf_lists_each_paths_handouts_under_its_title():
    from guidebuilder.site.shelf import shelf_html

    guide = paths_guide()
    words = load_strings(guide)
    tree = HTMLParser(shelf_html([(guide, words), (small_guide(), load_strings(small_guide()))]))
    links = [(a.attributes["href"], a.text()) for a in tree.css(".shelf__handouts a")]
    ours = [(href, label) for href, label in links if href.startswith("reader-paths/en/")]
    assert [href for href, _ in ours] == [
        f"reader-paths/en/{h.filename}" for h in outputs.guide_handouts(guide, "en")]
    assert [label.split(" · ")[0] for _, label in ours] == [
        h_path.title("en") for h_path in guide.paths for _ in range(4)]
    assert "small/en/guide-en-a4.pdf" in [href for href, _ in links]  # one path: names as before


def test_a_single_path_page_loads_no_tab_script(tmp_path_factory):
    from sitefixture import built_site

    folder, _guide = built_site(tmp_path_factory)
    html = (folder / "en" / "index.html").read_text(encoding="utf-8")
    assert "paths.js" not in html and "guide-path" not in html and "guide-shortcut" not in html


# -- the handouts of each path -------------------------------------------------------------------


@pytest.fixture(scope="module")
def paths_build(tmp_path_factory):
    """The two-path project built once through the command line: (project, result). Its store
    starts as a copy of the paths site's (pathskit.paths_site: the same crops and web fonts), so
    every handout, kit document and language of its site is made here, but no crop is drawn again."""
    from projects import build

    project = paths_project(tmp_path_factory.mktemp("paths-build") / "project")
    site, _guide = pathskit.paths_site(tmp_path_factory)
    shutil.copytree(site.parent / "cache", project / ".cache")
    return project, build(project)


@pytest.fixture(scope="module")
def paths_handouts(paths_build):
    """The English handouts that build published: {(lang, path, paper, large): PDF}."""
    project, result = paths_build
    assert result.returncode == 0, result.stderr
    guide = paths_guide()
    return guide, {(h.lang, h.path, h.paper, h.large): project / "site" / guide.slug / "en" / h.filename
                   for h in outputs.guide_handouts(guide, "en")}


@pytest.mark.slow  # reads the PDFs of a whole build
def test_each_paths_handout_holds_only_its_steps_numbered_in_it(paths_handouts):
    guide, pdfs = paths_handouts
    assert sorted(pdfs) == sorted(("en", path.id, paper, large) for path in guide.paths
                                  for paper in ("a4", "letter") for large in (False, True))
    for (_lang, path_id, _paper, _large), pdf in pdfs.items():
        path = guide.path(path_id)
        text = " ".join(pdftotext(pdf).split())
        assert path.title("en") in text, pdf.name
        titles = [step.text("en").title for step in guide.steps if step.text("en").title in text]
        assert titles == [step.text("en").title for step in guide.steps if step.id in path.steps]
        positions = [text.index(f"Step {n} ") for n in range(1, len(path.steps) + 1)]
        assert positions == sorted(positions) and f"Step {len(path.steps) + 1} " not in text
        for number, step in enumerate(guide.path_steps(path), start=1):
            assert text.index(f"Step {number} ") < text.index(step.text("en").title), pdf.name


@pytest.mark.slow  # reads the PDFs of a whole build
@needs_zbar
def test_each_paths_qr_codes_lead_to_its_tab_and_its_shortcuts(paths_handouts, tmp_path: Path):
    guide, pdfs = paths_handouts
    page = f"{SITE_URL}reader-paths/en/"
    suggestions = "https://reader.mylibrary.org/settings/suggestions"
    assert sorted(qr_codes(pdfs["en", "computer", "a4", False], tmp_path)) == sorted(
        [suggestions, f"{page}#computer"])
    assert sorted(qr_codes(pdfs["en", "phone", "a4", False], tmp_path)) == sorted(
        ["https://reader.mylibrary.org/settings", suggestions, f"{page}#phone"])
    words = load_strings(guide)["en"]
    text = " ".join(pdftotext(pdfs["en", "phone", "letter", True]).split())
    assert text.count(words["shortcut_title"]) == 2  # the path's and its step's
    assert " ".join(words["shortcut_scan"].split()) in text  # "it opens Reader, not this guide"
    assert "https://reader.mylibrary.org/settings" in text and f"{page}#phone" in text


@pytest.mark.slow  # reads the PDFs of a whole build
def test_paths_handouts_stay_tagged(paths_handouts):
    _guide, pdfs = paths_handouts
    for key in (("en", "phone", "a4", False), ("en", "computer", "letter", True)):
        assert pdf_validator.validate_pdf(
            pdfs[key], profile=pdf_validator.ValidationProfile.PDF_UA_1).failures == [], key


@pytest.mark.slow  # a whole build through the command line
def test_a_build_publishes_each_paths_handouts_beside_the_page(paths_build):
    from projects import stage_lines

    project, result = paths_build
    assert result.returncode == 0, result.stderr
    guide = paths_guide()
    assert stage_lines(result)["handouts"] == (
        f"{4 * len(guide.paths) * len(guide.codes)} rendered, 0 cached")
    for lang in guide.codes:
        folder = project / "site" / guide.slug / lang
        assert sorted(p.name for p in folder.glob("*.pdf")) == sorted(
            [h.filename for h in outputs.guide_handouts(guide, lang)]
            + [doc.filename for doc in outputs.guide_kit(guide, lang)])
        assert (folder / "assets" / "javascripts" / "paths.js").is_file()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_path_has_its_own_projector_view_linked_from_the_page(paths_site, lang):
    """projector/<path>.html per path: only that path's steps, numbered in it, its title, and the
    page links each one under the path's title."""

    folder, guide = paths_site
    words = load_strings(guide)[lang]
    page = HTMLParser((folder / lang / "index.html").read_text(encoding="utf-8"))
    links = [(a.attributes["href"], a.text()) for a in page.css("p.guide-projector a")]
    assert links == [(f"projector/{path.id}.html", f"{words['projector_link']} — {path.title(lang)}")
                     for path in guide.paths]
    assert not (folder / lang / "projector" / "index.html").exists()
    assert outputs.projector_views(guide) == [(f"projector/{p.id}.html", p) for p in guide.paths]
    for path in guide.paths:
        view = HTMLParser((folder / lang / "projector" / f"{path.id}.html").read_text(encoding="utf-8"))
        steps = guide.path_steps(path)
        screens = view.css("section.screen--step")
        assert [s.attributes["id"] for s in screens] == [f"step-{step.id}" for step in steps]
        assert [s.css_first("h2").text().strip() for s in screens] == [
            step.text(lang).title for step in steps]
        assert [s.css_first(".screen__counter").text() for s in screens] == [
            words["projector_counter"].format(n=n, total=len(steps)) for n in range(1, len(steps) + 1)]
        assert view.css_first(".screen__path").text().strip() == path.title(lang)
