"""Capture: the capture list's checks, screenshots and regions of a tiny fixture page read back
from pixels, and the committed mockups and screenshots (self-contained, marked, complete)."""

from __future__ import annotations

import json
import struct
from contextlib import nullcontext
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from guidebuilder.capture import capturelist, mockups, shoot
from guidebuilder.capture.shoot import capture, provenance
from guidebuilder.cli import main
from guidebuilder.errors import BuildError, GuideError
from guidebuilder.images.regions import parse_sidecar
from projects import run_patched

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "guide"
CAPTURE_LIST = capturelist.load(GUIDE / "capture.yaml", "guide/capture.yaml")
SHOTS = [(lang, page) for lang in CAPTURE_LIST.languages for page in CAPTURE_LIST.pages]
PNG_PIXEL_CHUNKS = {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}
# The region names steps.yaml and the crops rely on, per page. A computer page shows the whole
# account in its left column; a phone screen shows what the app shows there (PHONE_ACCOUNT).
ACCOUNT = {"account-avatar", "account-name", "account-handle"}
GROK = {"training-setting", "delete-history", "personalize-setting", "remember-setting",
        "other-options"}
CONTRACT = {
    "home": ACCOUNT | {"nav", "more-button"},
    "more-menu": ACCOUNT | {"more-button", "more-menu", "settings-entry", "more-area"},
    "privacy": ACCOUNT | {"settings-list", "privacy-entry", "privacy-pane",
                          "data-sharing-heading", "grok-entry", "privacy-area"},
    "grok-on": ACCOUNT | GROK | {"grok-pane", "training-checkbox"},
    "grok-off": ACCOUNT | GROK | {"grok-pane", "training-checkbox"},
    "phone-home": {"account-avatar", "profile-button", "top-area"},
    "phone-menu": ACCOUNT | {"drawer", "support-entry", "menu-lower"},
    "phone-support": ACCOUNT | {"support-entry", "settings-entry", "support-area"},
    "phone-settings": {"account-handle", "privacy-entry", "privacy-rows"},
    "phone-privacy": {"account-handle", "data-sharing-heading", "grok-entry", "grok-rows"},
    "phone-grok-on": {"account-handle"} | GROK | {"training-switch"},
    "phone-grok-off": {"account-handle"} | GROK | {"training-switch"},
}
PHONE_ACCOUNT = {page: CONTRACT[page] & ACCOUNT for page in CONTRACT if page.startswith("phone-")}

FIXTURE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
body { margin: 0; font: 14px "DejaVu Sans", sans-serif; background: #fff; }
div { position: absolute; }
#red { left: 37px; top: 21px; width: 50px; height: 30px; background: #f00; color: #f00;
       border-radius: 6px; }
#blue { left: 120.25px; top: 70px; width: 40px; height: 20px; background: #00f; }
#words { left: 10px; top: 120px; color: #000; }
#far { left: 10px; top: 600px; width: 10px; height: 10px; background: #0f0; }
</style></head><body>
<div id="red">  Red
   box  </div><div id="blue"></div>
<div id="words"><span>Hello    world</span><br> <small style="font-size: 11.5px">second</small>   line </div>
<div id="far"></div>
<div style="left: 200px; top: 120px"><span>Twin</span></div>
<div id="second" style="left: 250px; top: 150px"><span>Twin</span></div>
</body></html>"""

FIXTURE_LIST = """languages: [en, fr]
scale: 2
viewport: {width: 300, height: 200}
pages:
  sample:
    url: "page.html"
    regions:
      red: "#red"
      blue: "#blue"
      words: {text: {en: "Hello world", fr: "Hello world"}, closest: "div"}
      both: {union: [red, blue]}
      twin: {text: Twin, within: "#second"}
  clipped:
    url: "page.html"
    clip: blue
    regions:
      blue: "#blue"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def png_chunks(path: Path) -> list[str]:
    data = path.read_bytes()
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append(kind.decode("ascii"))
        at += 12 + length
    return chunks


def colour_box(image: Image.Image, colour: tuple[int, int, int]) -> list[int]:
    """The box [x, y, w, h] of the pixels of exactly this colour."""
    solid = Image.new("RGB", image.size, colour)
    difference = ImageChops.difference(image.convert("RGB"), solid).convert("L")
    mask = difference.point(lambda v: 255 if v == 0 else 0)
    x0, y0, x1, y1 = mask.getbbox()
    return [x0, y0, x1 - x0, y1 - y0]


def sidecar_of(png: Path) -> dict:
    return json.loads(png.with_suffix(".regions.json").read_text(encoding="utf-8"))


# --- the capture list -------------------------------------------------------------------------

BAD_LISTS = [
    ("languages: [en]\npages:\n  home:\n    url: a.html\n    regoins: {}\n",
     "bad.yaml:5: unknown key 'regoins' in page 'home'; did you mean 'regions'?"),
    ("languages: [en]\nzoom: 2\npages:\n  home: {url: a.html}\n",
     "bad.yaml:2: unknown key 'zoom' in the capture list; allowed: languages, scale, viewport, "
     "output, regions, pages"),
    ("languages: [en]\npages:\n  home:\n    url: a.html\n    regions:\n      a: '#a'\n"
     "      both: {union: [a, b]}\n",
     "bad.yaml:7: page 'home': region 'both': union names 'b', which is not a selector or text "
     "region of this page"),
    ("languages: [en, fr]\npages:\n  home:\n    url: a.html\n    regions:\n"
     "      a: {text: {en: Home}}\n",
     "bad.yaml:6: region 'a': text must give one text per language (en, fr)"),
    ("languages: [en]\npages:\n  home:\n    url: a.html\n    clip: nowhere\n",
     "bad.yaml:5: page 'home': clip names 'nowhere', which is not a region of this page"),
    ("languages: [en]\nscale: 9\npages:\n  home: {url: a.html}\n",
     "bad.yaml:2: scale must be a whole number from 1 to 4"),
    ("languages: [en]\npages:\n  phone:\n    url: a.html\n    scale: 5\n",
     "bad.yaml:5: page 'phone': scale must be a whole number from 1 to 4"),
    ("languages: [en]\npages:\n  phone: {url: a.html, scale: 2.5}\n",
     "bad.yaml:3: page 'phone': scale must be a whole number from 1 to 4"),
    ("languages: [en]\npages:\n  home:\n    url: a.html\n    regions:\n      a: {selector: x, text: y}\n",
     "bad.yaml:6: region 'a': give either selector or text"),
    ("languages: [en]\npages:\n  home: {url: 'data:text/html,<p>'}\n",
     "bad.yaml:3: page 'home': url must be a file (relative to the capture list, or file:) or an "
     "http(s) address"),
]


@pytest.mark.parametrize(("text", "message"), BAD_LISTS,
                         ids=[message.split(": ", 1)[1][:40] for _, message in BAD_LISTS])
def test_bad_capture_list_is_one_line_with_file_and_line(tmp_path, text, message):
    with pytest.raises(GuideError) as caught:
        capturelist.load(write(tmp_path, "bad.yaml", text))
    assert [str(p) for p in caught.value.problems] == [message]


def test_command_line_reports_a_bad_list_in_one_line(tmp_path, capsys):
    bad = write(tmp_path, "bad.yaml", BAD_LISTS[0][0])
    assert main(["capture", "--list", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"{bad}{BAD_LISTS[0][1].removeprefix('bad.yaml')}"
    assert "Traceback" not in err


def test_missing_storage_state_is_named_before_any_browser_starts(tmp_path):
    with pytest.raises(BuildError, match=r"--storage-state .*nowhere\.json: no such file"):
        capture(CAPTURE_LIST, storage_state=tmp_path / "nowhere.json")


def test_a_page_may_set_its_own_scale_over_the_lists(tmp_path):
    listed = capturelist.load(write(tmp_path, "capture.yaml", FIXTURE_LIST + """  phone:
    url: "page.html"
    viewport: {width: 390, height: 844}
    scale: 3
"""))
    scales = {page.name: (page.scale, page.viewport) for page in listed.pages}
    assert scales == {"sample": (2, capturelist.Viewport(300, 200)),
                      "clipped": (2, capturelist.Viewport(300, 200)),
                      "phone": (3, capturelist.Viewport(390, 844))}


def test_the_project_capture_list_names_every_contract_region():
    for page in CAPTURE_LIST.pages:
        assert CONTRACT[page.name] <= {r.name for r in page.regions}, page.name


# --- capturing a fixture page -----------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(browser):
    """The test process's Chromium (conftest.py) for this module's browser tests, capture()
    included (a launch costs 1.4 s; they made eight); capture() still opens a fresh browser
    context for each screenshot, so no test sees another's pages, cookies or routes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shoot, "launch", lambda: nullcontext(browser))
        yield browser


@pytest.fixture(scope="module")
def fixture_capture(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("capture")
    write(folder, "page.html", FIXTURE_PAGE)
    listed = capturelist.load(write(folder, "capture.yaml", FIXTURE_LIST))
    written = capture(listed, log=lambda _: None)
    first = {p: p.read_bytes() for p in written}
    capture(listed, languages=["en"], log=lambda _: None)  # again: must give the same bytes
    return folder, listed, written, first


@pytest.mark.browser
def test_image_is_viewport_times_scale_without_metadata(fixture_capture):
    folder, listed, written, _ = fixture_capture
    assert sorted(p.relative_to(folder).as_posix() for p in written) == [
        "screenshots/en/clipped.png", "screenshots/en/sample.png",
        "screenshots/fr/clipped.png", "screenshots/fr/sample.png"]
    png = folder / "screenshots/en/sample.png"
    page = listed.pages[0]
    with Image.open(png) as image:
        assert image.size == (page.viewport.width * 2, page.viewport.height * 2)
        assert sidecar_of(png)["size"] == list(image.size)
    assert set(png_chunks(png)) <= PNG_PIXEL_CHUNKS


@pytest.mark.browser
def test_boxes_are_the_elements_pixels(fixture_capture):
    folder, *_ = fixture_capture
    png = folder / "screenshots/en/sample.png"
    sidecar = sidecar_of(png)
    with Image.open(png) as image:
        red, blue = colour_box(image, (255, 0, 0)), colour_box(image, (0, 0, 255))
    assert sidecar["regions"]["red"]["box"] == red
    # blue starts at 120.25 CSS px: 240.5 image px, antialiased at its left edge
    found = sidecar["regions"]["blue"]["box"]
    assert abs(found[0] - blue[0]) <= 1 and abs(found[2] - blue[2]) <= 1
    assert found[1] == blue[1] and found[3] == blue[3]
    both = sidecar["regions"]["both"]["box"]
    assert both[:2] == [min(red[0], found[0]), min(red[1], found[1])]
    assert both[0] + both[2] == found[0] + found[2] and both[1] + both[3] == found[1] + found[3]


@pytest.mark.browser
def test_texts_are_visible_text_normalised_per_line(fixture_capture):
    folder, *_ = fixture_capture
    sidecar = sidecar_of(folder / "screenshots/fr/sample.png")
    texts = {name: region["text"] for name, region in sidecar["regions"].items()}
    assert texts == {"red": "Red box", "blue": "", "words": "Hello world\nsecond line",
                     "both": "Red box", "twin": "Twin"}
    assert sidecar["regions"]["twin"]["box"][1] >= 150 * 2  # the one inside #second
    assert sidecar["image"] == "sample.png" and sidecar["scale"] == 2
    assert sidecar["source"] == "page.html" and sidecar["provenance"] == "recreated"


@pytest.mark.browser
def test_text_size_is_the_smallest_visible_font_size(fixture_capture):
    """text_px, for the legibility check: the CSS font size of a region's smallest visible text;
    a union takes its members' smallest; a region without text has none. radius, which isolate:
    follows: the element's corner radius."""
    folder, *_ = fixture_capture
    regions = sidecar_of(folder / "screenshots/en/sample.png")["regions"]
    sizes = {name: region.get("text_px") for name, region in regions.items()}
    assert sizes == {"red": 14, "blue": None, "words": 11.5, "both": 14, "twin": 14}
    assert {name: region.get("radius") for name, region in regions.items()} == {
        "red": 6, "blue": None, "words": None, "both": None, "twin": None}


@pytest.mark.browser
def test_sidecar_is_sorted_indented_and_capture_is_repeatable(fixture_capture):
    folder, _, _, first = fixture_capture
    for lang in ("en",):
        for name in ("sample", "clipped"):
            png = folder / f"screenshots/{lang}/{name}.png"
            text = png.with_suffix(".regions.json").read_text(encoding="utf-8")
            data = json.loads(text)
            assert text.endswith("}\n") and text.startswith('{\n  "image": ')
            assert list(data) == sorted(data) and list(data["regions"]) == sorted(data["regions"])
            assert first[png] == png.read_bytes(), f"{png.name} differs between two captures"


@pytest.mark.browser
def test_clip_cuts_the_image_to_a_region(fixture_capture):
    folder, *_ = fixture_capture
    png = folder / "screenshots/en/clipped.png"
    sidecar = sidecar_of(png)
    with Image.open(png) as image:
        assert list(image.size) == sidecar["size"] == sidecar["regions"]["blue"]["box"][2:]
        assert sidecar["regions"]["blue"]["box"][:2] == [0, 0]


@pytest.mark.browser
def test_missing_selector_names_page_language_region_and_selector(tmp_path, chromium):
    write(tmp_path, "page.html", FIXTURE_PAGE)
    listed = capturelist.load(write(tmp_path, "capture.yaml", FIXTURE_LIST.replace(
        'blue: "#blue"\n      words', 'blue: "#nowhere"\n      words', 1).replace(
        'red: "#red"', 'red: "[[x"', 1)))
    with pytest.raises(GuideError) as caught:
        capture(listed, languages=["fr"], pages=["sample"], log=lambda _: None)
    invalid, missing = (str(p) for p in caught.value.problems)
    assert invalid.startswith("capture.yaml:8: page 'sample' [fr]: region 'red': selector '[[x' "
                              "is not valid: ")
    assert missing == ("capture.yaml:9: page 'sample' [fr]: region 'blue': selector '#nowhere' "
                       "matches nothing on the page")
    assert not (tmp_path / "screenshots/fr/sample.png").exists()


@pytest.mark.browser
def test_a_page_of_its_own_scale_is_shot_and_measured_at_that_scale(tmp_path, chromium):
    """A phone screen at 3 device pixels per CSS pixel beside pages at the list's 2."""
    write(tmp_path, "page.html", FIXTURE_PAGE)
    listed = capturelist.load(write(tmp_path, "capture.yaml", FIXTURE_LIST.replace(
        '    url: "page.html"\n    regions:', '    url: "page.html"\n    scale: 3\n    regions:', 1)))
    [png] = capture(listed, languages=["en"], pages=["sample"], log=lambda _: None)
    sidecar = sidecar_of(png)
    with Image.open(png) as image:
        assert image.size == (300 * 3, 200 * 3) and sidecar["scale"] == 3
        assert sidecar["regions"]["red"]["box"] == colour_box(image, (255, 0, 0)) == [
            37 * 3, 21 * 3, 50 * 3, 30 * 3]


@pytest.mark.browser
def test_region_below_the_screenshot_is_an_error(tmp_path, chromium):
    write(tmp_path, "page.html", FIXTURE_PAGE)
    listed = capturelist.load(write(tmp_path, "capture.yaml", FIXTURE_LIST.replace(
        'red: "#red"', 'red: "#far"', 1)))
    with pytest.raises(GuideError) as caught:
        capture(listed, languages=["en"], pages=["sample"], log=lambda _: None)
    assert "region 'red' lies outside the screenshot" in str(caught.value)


@pytest.mark.browser
def test_a_recreated_page_asking_for_the_network_fails(tmp_path, chromium):
    write(tmp_path, "page.html", FIXTURE_PAGE.replace(
        "</body>", '<img src="https://example.invalid/tracker.png"></body>'))
    listed = capturelist.load(write(tmp_path, "capture.yaml", FIXTURE_LIST))
    with pytest.raises(GuideError) as caught:
        capture(listed, languages=["en"], pages=["sample"], log=lambda _: None)
    assert [str(p) for p in caught.value.problems] == [
        "capture.yaml:5: page 'sample' [en]: the page asked for the network, which a recreated "
        "page must never do: https://example.invalid/tracker.png"]


# --- the committed mockups and screenshots ----------------------------------------------------

def test_a_strings_file_with_a_missing_or_unknown_key_is_refused(tmp_path):
    import shutil

    shutil.copytree(GUIDE / "mockups" / "strings", tmp_path / "strings")
    es = tmp_path / "strings" / "es.yaml"
    es.write_text(es.read_text(encoding="utf-8").replace('  more: "Más"\n', '  mas: "Más"\n'),
                  encoding="utf-8")
    line = es.read_text(encoding="utf-8").splitlines().index('  mas: "Más"') + 1
    with pytest.raises(GuideError) as caught:
        mockups.load_strings(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "mockups/strings/es.yaml:1: [es]: missing key 'nav.more'",
        f"mockups/strings/es.yaml:{line}: [es]: unknown key 'nav.mas'"]


@pytest.mark.parametrize(("lang", "page"), SHOTS, ids=[f"{lang}-{p.name}" for lang, p in SHOTS])
def test_committed_screenshot_has_its_sidecar_and_regions_inside(lang, page):
    png = CAPTURE_LIST.output_for(lang, page.name)
    sidecar = sidecar_of(png)
    with Image.open(png) as image:
        size = list(image.size)
    assert sidecar["image"] == png.name and sidecar["size"] == size
    assert sidecar["source"] == page.url_for(lang)
    assert CONTRACT[page.name] <= set(sidecar["regions"])
    for name, region in sidecar["regions"].items():
        x, y, w, h = region["box"]
        assert w > 0 and h > 0 and x >= 0 and y >= 0, name
        assert x + w <= size[0] and y + h <= size[1], f"{lang}/{page.name}: {name} outside"
    assert set(png_chunks(png)) <= PNG_PIXEL_CHUNKS
    parsed, problems = parse_sidecar(png.with_suffix(".regions.json").read_bytes(), png.name,
                                     None, lang)
    assert parsed is not None and not problems  # the crops' own reader accepts it


def test_committed_screenshots_show_the_fictional_account_only():
    fictional = {"account-avatar": "CM", "account-name": "Camille Martin",
                 "account-handle": "@camille_lib"}
    for lang, page in SHOTS:
        regions = sidecar_of(CAPTURE_LIST.output_for(lang, page.name))["regions"]
        expected = PHONE_ACCOUNT.get(page.name, ACCOUNT)
        shown = {name: regions[name]["text"] for name in ACCOUNT if name in regions}
        assert shown == {name: fictional[name] for name in expected}, f"{lang}/{page.name}"


def test_every_account_element_of_a_mockup_is_a_recorded_region():
    """Redaction follows the regions: an avatar, name or handle a page shows but the capture list
    does not record would be published unblanked."""
    import re

    for lang, page in SHOTS:
        html = (GUIDE / page.url_for(lang)).read_text(encoding="utf-8")
        shown = set(re.findall(r'data-region="(account-[a-z]+)"', html))
        assert shown == {r.name for r in page.regions} & ACCOUNT, f"{lang}/{page.name}"


def test_labels_quoted_by_the_guide_are_in_the_screenshots_of_their_language():
    """A language that shows another language's screenshots (as a new one may, until it has its
    own) is checked against those, by each label's `shown`."""
    from guidebuilder.source.validate import load_guide

    guide = load_guide(ROOT / "steps.yaml", ROOT)
    texts = {lang: "\n".join(region["text"] for page in CAPTURE_LIST.pages
                             for region in sidecar_of(
                                 CAPTURE_LIST.output_for(lang, page.name))["regions"].values())
             for lang in {guide.screenshot_lang(code) for code in guide.codes}}
    for step in guide.steps:
        for lang in guide.codes:
            shots = guide.screenshot_lang(lang)
            for label in step.text(lang).labels:
                seen = label.text if shots == lang else label.shown
                assert seen in texts[shots], f"step {step.id} [{lang}]: '{seen}' ({shots} screenshots)"


@pytest.fixture(scope="module")
def loaded_mockups(chromium):
    """Every mockup page of every guide opened in Chromium: its requests, <html dir>, and the
    marking.

    One tab goes from page to page: a new tab for each page took three times as long (8.3 s against
    3.0 s for the 20 pages), and each page's requests are still its own (listened to from its goto
    until its load event)."""
    results = {}
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        tab = context.new_page()
        for folder in [GUIDE / "mockups", *sorted(ROOT.glob("guides/*/mockups"))]:
            strings = mockups.load_strings(folder)
            pages = [page.name for page in mockups.load_pages(folder).pages]
            for lang, name in ((lang, name) for lang in strings for name in pages):
                requests: list[str] = []

                def listen(request, seen=requests):
                    seen.append(request.url)

                tab.on("request", listen)
                tab.goto((folder / lang / f"{name}.html").as_uri(), wait_until="load")
                tab.remove_listener("request", listen)
                notice = tab.locator("[data-region=mockup-notice]")
                results[lang, f"{folder.relative_to(ROOT)}/{name}"] = {
                    "requests": requests, "dir": tab.evaluate("document.documentElement.dir"),
                    "notice": notice.inner_text() if notice.count() else None,
                    "notice_visible": notice.count() == 1 and notice.is_visible(),
                    "expected_notice": strings[lang]["notice"],
                }
    finally:
        context.close()
    return results


@pytest.mark.browser
def test_mockups_make_no_network_request(loaded_mockups):
    for (lang, name), seen in loaded_mockups.items():
        assert seen["requests"], f"{lang}/{name}: nothing loaded at all"
        outside = [url for url in seen["requests"] if not url.startswith("file:")]
        assert not outside, f"{lang}/{name} asked for {outside}"


@pytest.mark.browser
def test_mockups_carry_the_recreated_interface_marking(loaded_mockups):
    for (lang, name), seen in loaded_mockups.items():
        assert seen["notice_visible"], f"{lang}/{name}: no visible marking"
        assert seen["notice"] == seen["expected_notice"], f"{lang}/{name}"


@pytest.mark.browser
def test_arabic_mockups_are_right_to_left(loaded_mockups):
    for (lang, name), seen in loaded_mockups.items():
        assert seen["dir"] == ("rtl" if lang == "ar" else "ltr"), f"{lang}/{name}"


def test_provenance_is_recreated_for_a_file_and_real_for_a_web_page():
    assert [provenance(url) for url in ("file:///tmp/home.html", "https://www.example.org/",
                                        "http://localhost:8000/")] == ["recreated", "real", "real"]


@pytest.mark.browser
def test_source_of_a_local_file_never_shows_where_it_lives(tmp_path, chromium):
    write(tmp_path, "page.html", FIXTURE_PAGE)
    url = (tmp_path / "page.html").as_uri()
    listed = capturelist.load(write(tmp_path, "capture.yaml", FIXTURE_LIST.replace(
        'url: "page.html"', f'url: "{url}"', 1)))
    [png] = capture(listed, languages=["en"], pages=["sample"], log=lambda _: None)
    assert sidecar_of(png)["source"] == "page.html"


@pytest.mark.browser
def test_clicks_open_the_more_menu_as_a_person_would(tmp_path, chromium):
    home = (GUIDE / "mockups" / "en" / "home.html").as_uri()
    listed = capturelist.load(write(tmp_path, "capture.yaml", f"""languages: [en]
pages:
  clicked:
    url: "{home}"
    click: ["[data-region=more-button]"]
    wait_for: "[data-region=more-menu]"
    regions:
      settings-entry: {{text: "Settings and privacy", closest: "a"}}
"""))
    [png] = capture(listed, log=lambda _: None)
    committed = sidecar_of(CAPTURE_LIST.output_for("en", "more-menu"))["regions"]
    assert sidecar_of(png)["regions"]["settings-entry"] == committed["settings-entry"]


def test_missing_chromium_is_one_line(tmp_path):
    """The command line, with no Chromium anywhere: one line naming the fix, nothing written."""
    listed = write(tmp_path, "capture.yaml", 'languages: [en]\npages:\n  home: {url: "page.html"}\n')
    patch = ("import guidebuilder.platform as b, shutil\nb.CHROMIUM_CANDIDATES = ('/nonexistent',)\n"
             "shutil.which = lambda *a, **k: None")
    result = run_patched(ROOT, patch, "--root", str(tmp_path), "capture", "--list", str(listed))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: Chromium is missing; run `make setup` as root, or `sudo apt-get install chromium`"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["capture.yaml"]
