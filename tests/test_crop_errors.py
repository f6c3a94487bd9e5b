"""Bad screenshots and regions: each gives one exact line naming the file, step and language, both when
building the crops and in `make check`."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from cropkit import IMAGE, guide_of, make_project, page_image
from guidebuilder.errors import GuideError
from guidebuilder.images import screenshots
from guidebuilder.images.checks import check_images
from guidebuilder.images.crops import render_crops
from guidebuilder.store import Store

FR = "guide/screenshots/fr"


def shot(root: Path, lang: str = "fr", name: str = "page.png") -> Path:
    return root / "guide" / "screenshots" / lang / name


def edit_sidecar(change):
    def apply(root: Path) -> None:
        path = shot(root).with_suffix(".regions.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return apply


def set_box(name: str, box: list):
    def change(data):
        data["regions"][name]["box"] = box
    return edit_sidecar(change)


def edit_steps(old: str, new: str):
    def apply(root: Path) -> None:
        steps = root / "steps.yaml"
        text = steps.read_text(encoding="utf-8")
        assert old in text
        steps.write_text(text.replace(old, new), encoding="utf-8")
    return apply


def write_bytes(data: bytes):
    def apply(root: Path) -> None:
        shot(root).write_bytes(data)
    return apply


def truncated(root: Path) -> None:
    buffer = io.BytesIO()
    noisy = page_image()
    noisy.putdata([((i * 7) % 256, (i * 13) % 256, (i * 29) % 256) for i in range(400 * 240)])
    noisy.save(buffer, format="PNG")
    shot(root).write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


def truncated_jpeg(root: Path) -> None:
    """Pillow verifies nothing of a JPEG: the check decodes it to find this."""
    buffer = io.BytesIO()
    page_image().save(buffer, format="JPEG", quality=95)
    shot(root).write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny file whose header claims a huge image: a decompression bomb as far as a reader can tell."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 64)) + png_chunk(b"IEND", b""))


def gif(root: Path) -> None:
    page_image().save(shot(root), format="GIF")


STEP = "steps.yaml:13: step 'click-button'"
DAMAGED = f"{FR}/page.png: step 'click-button' [fr]: "

# (case, change to the fixture project, the exact lines reported)
BAD_INPUTS = [
    ("unknown-region", edit_steps("[button as 1]", "[buton as 1]"), [
        f"{STEP} [ar]: highlight region 'buton' is not in guide/screenshots/ar/page.regions.json (did "
        "you mean 'button'?); regions there: account-handle, account-name, button, page, panel",
        f"{STEP} [fr]: highlight region 'buton' is not in {FR}/page.regions.json (did you mean "
        "'button'?); regions there: account-handle, account-name, button, page, panel",
    ]),
    ("step-redact-region-missing", edit_steps("[button as 1]", "[button as 1]\n      redact: [avatar]"), [
        f"{STEP} [ar]: redact region 'avatar' is not in guide/screenshots/ar/page.regions.json; "
        "regions there: account-handle, account-name, button, page, panel",
        f"{STEP} [fr]: redact region 'avatar' is not in {FR}/page.regions.json; "
        "regions there: account-handle, account-name, button, page, panel",
    ]),
    ("region-outside-image", set_box("button", [350, 110, 100, 40]), [
        f"{FR}/page.regions.json:28: step 'click-button' [fr]: region 'button': the box [350, 110, "
        "100, 40] lies outside the image (400x240 pixels: it reaches x=450, y=150); fix it by hand "
        "or re-run `make capture`",
    ]),
    ("crop-exceeds-image", set_box("panel", [60, 40, 280, 260]), [
        f"{FR}/page.regions.json:19: step 'click-button' [fr]: region 'panel': the box [60, 40, 280, "
        "260] lies outside the image (400x240 pixels: it reaches x=340, y=300); fix it by hand or "
        "re-run `make capture`",
    ]),
    ("regions-of-another-screenshot", edit_sidecar(lambda d: d.update(size=[800, 480])), [
        DAMAGED + "the image is 400x240 pixels but its regions file says 800x480; the regions belong "
        "to another screenshot: re-run `make capture` or fix 'size' and the boxes",
    ]),
    ("highlight-outside-crop", edit_steps("crop: around panel\n      padding: 20\n      highlight: "
                                          "[button", "crop: around button\n      highlight: [panel"), [
        f"{STEP} [ar]: highlight region 'panel' is outside the crop 'around button' (with padding 32) "
        "in guide/screenshots/ar/page.regions.json; crop around a region that contains it, or raise "
        "'padding'",
        f"{STEP} [fr]: highlight region 'panel' is outside the crop 'around button' (with padding 32) "
        f"in {FR}/page.regions.json; crop around a region that contains it, or raise 'padding'",
    ]),
    ("isolate-region-missing", edit_steps("[button as 1]", "[button as 1]\n      isolate: [menu]"), [
        f"{STEP} [ar]: isolate region 'menu' is not in guide/screenshots/ar/page.regions.json; "
        "regions there: account-handle, account-name, button, page, panel",
        f"{STEP} [fr]: isolate region 'menu' is not in {FR}/page.regions.json; "
        "regions there: account-handle, account-name, button, page, panel",
    ]),
    ("highlight-not-isolated", edit_steps("[button as 1]", "[button as 1]\n"
                                          "      isolate: [account-name]"), [
        f"{STEP} [ar]: highlight region 'button' is not inside the isolated regions (account-name) in "
        "guide/screenshots/ar/page.regions.json, so it would be blanked; add it to 'isolate'",
        f"{STEP} [fr]: highlight region 'button' is not inside the isolated regions (account-name) in "
        f"{FR}/page.regions.json, so it would be blanked; add it to 'isolate'",
    ]),
    ("regions-of-another-page", edit_sidecar(lambda d: d.update(image="home.png")), [
        f"{FR}/page.regions.json: step 'click-button' [fr]: this regions file belongs to 'home.png', "
        "not to 'page.png'; copy the right one or re-run `make capture`",
    ]),
    ("negative-box", set_box("button", [-1, 110, 100, 40]), [
        f"{FR}/page.regions.json:28: step 'click-button' [fr]: region 'button': 'box' must be [x, y, "
        "width, height], four non-negative integers in image pixels, not [-1, 110, 100, 40]",
    ]),
    ("bad-text-size", edit_sidecar(lambda d: d["regions"]["button"].update(text_px="15px")), [
        f"{FR}/page.regions.json:28: step 'click-button' [fr]: region 'button': 'text_px' must be the "
        "size of its text in CSS pixels, a number from 1 to 200, not '15px'",
    ]),
    ("bad-radius", edit_sidecar(lambda d: d["regions"]["panel"].update(radius=-4)), [
        f"{FR}/page.regions.json:19: step 'click-button' [fr]: region 'panel': 'radius' must be its "
        "corners' radius in CSS pixels, a number from 0 to 5000, not -4",
    ]),
    ("unknown-sidecar-key", edit_sidecar(lambda d: d.update(dpr=2)), [
        f"{FR}/page.regions.json:57: step 'click-button' [fr]: unknown key 'dpr'; allowed keys: "
        "image, provenance, regions, scale, size, source",
    ]),
    ("missing-provenance", edit_sidecar(lambda d: d.pop("provenance")), [
        f"{FR}/page.regions.json: step 'click-button' [fr]: 'provenance' is missing; write where the "
        "screenshot comes from: \"provenance\": \"recreated\", \"real\", \"hand\" (a recreated "
        "page, the real site, a screenshot taken by hand)",
    ]),
    ("bad-provenance", edit_sidecar(lambda d: d.update(provenance="mockup")), [
        f"{FR}/page.regions.json:56: step 'click-button' [fr]: 'provenance' is 'mockup'; write where "
        "the screenshot comes from: \"provenance\": \"recreated\", \"real\", \"hand\" (a "
        "recreated page, the real site, a screenshot taken by hand)",
    ]),
    ("sidecar-not-json", lambda root: shot(root).with_suffix(".regions.json").write_text("{", "utf-8"), [
        f"{FR}/page.regions.json:1: step 'click-button' [fr]: not valid JSON (Expecting property name "
        "enclosed in double quotes, column 2); fix it by hand or re-run `make capture`",
    ]),
    ("sidecar-missing", lambda root: shot(root).with_suffix(".regions.json").unlink(), [
        f"{FR}/page.regions.json: step 'click-button' [fr]: no regions file beside {FR}/page.png: "
        f"expected {FR}/page.regions.json; run `make capture`, or write it by hand (see "
        "guide/screenshots/README.md)",
    ]),
    ("screenshot-missing", lambda root: shot(root).unlink(), [
        # load_guide finds it first, with the line of the step's screenshot
        f"steps.yaml:15: step 'click-button' [fr]: screenshot not found: expected {FR}/page.png; run "
        "`make capture` or put the screenshot there",
    ]),
    ("truncated", truncated, [
        DAMAGED + "the image is damaged or truncated; take or capture the screenshot again",
    ]),
    ("truncated-jpeg", truncated_jpeg, [
        DAMAGED + "the image is damaged or truncated; take or capture the screenshot again",
    ]),
    ("gif", gif, [
        DAMAGED + "not a PNG, JPEG or WebP image (it is a GIF image); save the screenshot as PNG",
    ]),
    ("text-file", write_bytes(b"<html>not a picture</html>\n"), [
        DAMAGED + "not a PNG, JPEG or WebP image (it is a text file); save the screenshot as PNG",
    ]),
    ("empty-file", write_bytes(b""), [
        DAMAGED + "not a PNG, JPEG or WebP image (the file is empty); save the screenshot as PNG",
    ]),
    ("decompression-bomb", write_bytes(png_header_only(30000, 30000)), [
        DAMAGED + "the image is larger than 40 megapixels; take a smaller screenshot (a window of at "
        "most 2560x1600 at scale 2)",
    ]),
]


def errors(root: Path, run) -> list[str]:
    with pytest.raises(GuideError) as info:
        run(guide_of(root))
    return [str(p) for p in info.value.problems]


RUNS = {
    "render": lambda guide: render_crops(guide, Store(guide.root / ".cache"), jobs=1),
    "check": lambda guide: check_images(guide, Store(guide.root / ".cache")),
}


@pytest.mark.parametrize("run", list(RUNS))
@pytest.mark.parametrize(("case", "change", "expected"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_exact_message(tmp_path: Path, case: str, change, expected: list[str], run: str):
    root = make_project(tmp_path / "project")
    change(root)
    assert errors(root, RUNS[run]) == expected


@pytest.mark.parametrize("run", list(RUNS))
def test_a_cut_jpeg_is_refused_after_weasyprint_was_imported(tmp_path: Path, monkeypatch, run: str):
    """Importing WeasyPrint makes Pillow load truncated files for good (a build imports it before
    it checks and draws its next guide); the screenshots are still read strictly, and the
    process's setting is left as it was."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    root = make_project(tmp_path / "project")
    truncated_jpeg(root)
    assert errors(root, RUNS[run]) == [
        DAMAGED + "the image is damaged or truncated; take or capture the screenshot again"]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_a_png_made_to_pass_its_checksums_is_refused_when_its_crop_is_drawn(tmp_path: Path):
    """`make check` reads a PNG through to its end, checking every chunk's CRC, without decoding
    its pixels; a stream broken under valid CRCs gets past it, and drawing the crop refuses it with
    the same message (a build always draws the crops of a screenshot it has not seen)."""
    root = make_project(tmp_path / "project")
    with Image.open(shot(root)) as image:
        width, height = image.size
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    shot(root).write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
                           + png_chunk(b"IDAT", b"not a zlib stream" * 40) + png_chunk(b"IEND", b""))
    check_images(guide_of(root), Store(root / ".cache"))
    assert errors(root, RUNS["render"]) == [
        DAMAGED + "the image is damaged or truncated; take or capture the screenshot again"]


def test_bomb_below_pillows_own_limit(tmp_path: Path, monkeypatch):
    """An image Pillow would still open, but bigger than our limit, is refused too."""
    monkeypatch.setattr(screenshots, "MAX_PIXELS", 50_000)
    root = make_project(tmp_path / "project")
    assert errors(root, RUNS["render"])[0] == (
        f"{FR}/page.png: step 'click-button' [ar]: the image is larger than 0.05 megapixels; take a "
        "smaller screenshot (a window of at most 2560x1600 at scale 2)"
    ).replace(FR, "guide/screenshots/ar")


def test_webp_and_jpeg_screenshots_are_accepted(tmp_path: Path):
    root = make_project(tmp_path / "project", image_yaml=IMAGE.replace("page.png", "page.webp"))
    for lang in ("fr", "ar"):
        page_image().save(shot(root, lang, "page.webp"), lossless=True)
    result = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    with Image.open(result["click-button", "ar"].path_2x) as image:
        assert image.format == "PNG"


def test_guide_redact_region_may_be_absent(tmp_path: Path):
    """guide.redact names account-avatar, which this page does not show: that is fine."""
    root = make_project(tmp_path / "project")
    assert "account-avatar" in guide_of(root).redact
    check_images(guide_of(root), Store(tmp_path / "cache"))
    assert len(render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)) == 2
