"""Annotated crops: pixel checks of each annotation on small synthetic screenshots, the published PNG's
chunks, right-to-left mirroring, the cache, and serial == parallel."""

from __future__ import annotations

import io
import json
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

import markcheck
from cropkit import (
    BOXES,
    DARK_UI,
    IMAGE,
    LIGHT,
    SECRET,
    SIZE,
    contrast,
    guide_of,
    make_project,
    page_image,
    png_chunks,
    png_with_metadata,
    save_artifact,
)
from guidebuilder.images import annotate, crops, marks
from guidebuilder.images.crops import Crop, render_crops
from guidebuilder.images.screenshots import plan_all
from guidebuilder.store import MANIFEST, Store

SCALE = 2
ORIGIN = (40, 20)  # the crop 'around panel' with padding 20, in screenshot pixels
ALLOWED_CHUNKS = {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}


def render(tmp_path: Path, **kwargs) -> dict:
    root = make_project(tmp_path / "project", **kwargs)
    return render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)


def opened(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


def pixels(image: Image.Image) -> list:
    return list(image.get_flattened_data())


def in_crop(x: int, y: int) -> tuple[int, int]:
    return x - ORIGIN[0], y - ORIGIN[1]


def count_near(image: Image.Image, centre: tuple[int, int], radius: int, colour) -> int:
    """Pixels within `radius` of centre whose colour is within a small distance of `colour`."""
    found = 0
    for y in range(centre[1] - radius, centre[1] + radius + 1):
        for x in range(centre[0] - radius, centre[0] + radius + 1):
            inside = 0 <= x < image.width and 0 <= y < image.height
            if inside and (x - centre[0]) ** 2 + (y - centre[1]) ** 2 <= radius ** 2:
                pixel = image.getpixel((x, y))
                found += sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < 30
    return found


def expected_tag(lang: str, region: str = "button", boxes=BOXES) -> tuple[int, int]:
    """The middle of the tag's body, in the crop: beside the outline's reading start side (left, or
    right in Arabic), its point touching the outline, level with the outline's middle."""
    x, y, w, h = boxes[region]
    frame = marks.highlight_extent((x, y, x + w, y + h), SCALE)
    reach = (marks.POINTER + marks.TAG // 2) * SCALE
    middle = (frame[1] + frame[3]) // 2
    return in_crop(frame[2] + reach if lang == "ar" else frame[0] - reach, middle)


TAG_AREA = (marks.TAG * SCALE) ** 2


def test_api_shape(tmp_path: Path):
    result = render(tmp_path)
    assert set(result) == {("click-button", "fr"), ("click-button", "ar")}
    crop = result["click-button", "fr"]
    assert isinstance(crop, Crop)
    assert crop.badges == (1,)
    assert crop.size_1x == (160, 100)  # (280 + 2 * 20) / 2, (160 + 2 * 20) / 2
    assert opened(crop.path_2x).size == (320, 200)
    assert opened(crop.path_1x).size == (160, 100)
    assert crop.path_1x.parent == crop.path_2x.parent
    assert crop.path_1x.is_relative_to(tmp_path / "cache")
    assert crop.path_1x.parent.name == crop.digest  # the store entry, named by its key
    assert (result.report.made, result.report.reused) == (2, 0)


def test_print_copy_is_the_picture_weasyprint_would_make_of_the_crop(tmp_path: Path):
    """The handouts embed path_print: the 2x crop as RGB, byte for byte what WeasyPrint makes of a
    palette crop when it loads one, and whose compressed pixels are what it would write into the
    PDF; so a PDF has the same bytes from either file, in a batch or alone."""
    from weasyprint.images import RasterImage

    from guidebuilder.handout import imagecache
    from guidebuilder.handout.pdf import render_pdf

    crop = render(tmp_path)["click-button", "fr"]
    with Image.open(crop.path_2x) as palette, Image.open(crop.for_print) as rgb:
        assert (palette.mode, rgb.mode) == ("P", "RGB") and crop.path_print is not None
        assert rgb.tobytes() == palette.convert("RGB").tobytes()
        loaded = RasterImage(Image.open(crop.path_2x), "crop", crop.path_2x.read_bytes())
    assert loaded.image_data.data == crop.path_print.read_bytes()
    noisy = Image.merge("RGB", [Image.effect_noise((64, 48), 80) for _ in "rgb"])  # too many colours
    as_web = annotate.encode_png(noisy)
    assert Image.open(io.BytesIO(as_web)).mode == "RGB"  # the web's file stays RGB, optimised
    for png in (crop.path_2x.read_bytes(), as_web):
        printed = crops.for_print(png)
        pixels = Image.open(io.BytesIO(png)).convert("RGB")
        assert imagecache.plain_rgb_idat(printed) == RasterImage._get_png_data(pixels)
    html = '<html lang="en"><head><title>t</title></head><body><img src="crop.png" alt="a"></body></html>'
    pdfs = []
    for name, source in (("palette", crop.path_2x), ("print", crop.path_print)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "crop.png").write_bytes(source.read_bytes())
        pdfs += [render_pdf(html, tmp_path / name), render_pdf(html, tmp_path / name,
                                                               images=imagecache.SharedImages())]
    assert len(set(pdfs)) == 1


def test_only_a_plain_rgb_png_gives_its_stream_as_it_is():
    from guidebuilder.handout import imagecache

    picture = Image.merge("RGB", [Image.effect_noise((40, 30), 60) for _ in "rgb"])

    def saved(image: Image.Image, **options) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", **options)
        return buffer.getvalue()

    def interlaced(png: bytes) -> bytes:  # Pillow writes no interlaced PNG: say so in the header
        body = png[16:28] + b"\x01"
        return png[:16] + body + struct.pack(">I", zlib.crc32(b"IHDR" + body)) + png[33:]

    assert imagecache.plain_rgb_idat(saved(picture)) is not None
    for other in (interlaced(saved(picture)), saved(picture.convert("RGBA")),
                  saved(picture.convert("L")), saved(picture.quantize(16)), b"GIF89a", b""):
        assert imagecache.plain_rgb_idat(other) is None


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_tag_at_the_reading_start_side(tmp_path: Path, lang: str):
    """Beside the highlight's left side, pointing right, in left-to-right languages; mirrored in
    Arabic. A rounded square, not a disc: its corners are dark too."""
    image = opened(render(tmp_path)["click-button", lang].path_2x)
    here = expected_tag(lang)
    mirrored = expected_tag("fr" if lang == "ar" else "ar")
    note = save_artifact(f"tag-{lang}", image)
    assert count_square(image, here, marks.TAG // 2 * SCALE - 2, annotate.DARK) > 0.7 * TAG_AREA, note
    corner = (here[0] - marks.TAG // 2 * SCALE + 7, here[1] - marks.TAG // 2 * SCALE + 7)
    assert count_square(image, corner, 1, annotate.DARK) == 9, "a tag has square corners, " + note
    assert count_near(image, here, 6, annotate.WHITE) > 10, "the white number is missing"
    assert count_near(image, mirrored, 26, annotate.DARK) == 0, note


def count_square(image: Image.Image, centre: tuple[int, int], half: int, colour) -> int:
    """Pixels of the square of side 2 * half + 1 around centre within a small distance of colour."""
    return sum(sum(abs(a - b) for a, b in zip(image.getpixel((x, y)), colour, strict=True)) < 30
               for y in range(centre[1] - half, centre[1] + half + 1)
               for x in range(centre[0] - half, centre[0] + half + 1)
               if 0 <= x < image.width and 0 <= y < image.height)


@pytest.mark.parametrize("background", [LIGHT, DARK_UI], ids=["light", "dark"])
def test_redaction_leaves_only_the_fill(tmp_path: Path, background):
    crop = render(tmp_path, background=background)["click-button", "fr"]
    exact = opened(crop.path_2x)
    for name in ("account-name", "account-handle"):
        x, y, w, h = BOXES[name]
        left, top = in_crop(x, y)
        pixels = set(exact.crop((left, top, left + w, top + h)).get_flattened_data())
        assert pixels == {annotate.REDACT_FILL}, save_artifact(f"redact-{name}", exact)
    for image in (exact, opened(crop.path_1x)):
        near_secret = [p for p in image.get_flattened_data()
                       if sum(abs(a - b) for a, b in zip(p, SECRET, strict=True)) < 120]
        assert near_secret == [], save_artifact("redact-leak", image)


def test_redaction_happens_before_scaling(tmp_path: Path):
    """Not one 1x pixel mixes the secret colour in, not even at the edges of the fill."""
    image = opened(render(tmp_path)["click-button", "fr"].path_1x)
    pinkish = [p for p in image.get_flattened_data() if p[0] > p[1] + 40 and p[2] > p[1] + 40]
    assert pinkish == [], save_artifact("redact-1x", image)


INK = (15, 20, 25)  # X's near-black text and icons


def inked_page(background, stripes: bool) -> Image.Image:
    """The fixture page with the interface's darkest ink right up to the button: either solid, or in
    text-like stripes 1 CSS px high every 2 CSS px; the button has a dark 2 CSS px border."""
    image = page_image(background)
    draw = ImageDraw.Draw(image)
    x, y, w, h = BOXES["button"]
    around = (x - 130, y - 30, x + w + 130, y + h + 30)  # under the tag too
    if stripes:
        for row in range(around[1], around[3], 4):
            draw.rectangle((around[0], row, around[2] - 1, row + 1), fill=INK)
    else:
        draw.rectangle((around[0], around[1], around[2] - 1, around[3] - 1), fill=INK)
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(29, 155, 240), outline=INK, width=4)
    return image


PAGES = {"light": lambda: page_image(LIGHT), "dim": lambda: page_image(DARK_UI),
         "black": lambda: page_image((0, 0, 0)), "ink": lambda: inked_page(LIGHT, False),
         "ink-stripes": lambda: inked_page(LIGHT, True), "dim-ink": lambda: inked_page(DARK_UI, True)}


@pytest.mark.parametrize("factor", [1.0, 0.5], ids=["1x", "half-size"])
@pytest.mark.parametrize("page", list(PAGES))
def test_outline_stays_apart_from_the_interface_ink(tmp_path: Path, page: str, factor: float):
    """In greyscale, the dark line has a light band on each side (3:1 at least) and the mark stands
    out from the pixels beside it, even over the interface's darkest ink and shown at half size."""
    root = make_project(tmp_path / "project", image=PAGES[page]())
    guide = guide_of(root)
    result = render_crops(guide, Store(tmp_path / "cache"), jobs=1)
    layouts = {(layout.step_id, layout.lang): layout for *_, layout in plan_all(guide)[0]}
    for key, crop in result.items():
        shown = markcheck.shown(opened(crop.path_1x), factor)
        measures = markcheck.across_outlines(layouts[key], shown, factor)
        assert len(measures) >= 6, f"{key}: too few places measured"
        problems = [line for m in measures for line in m.problems()]
        assert problems == [], save_artifact(f"ink-{page}-{key[1]}-{factor}", shown)


def test_tag_stands_out_in_greyscale(tmp_path: Path):
    """Over dark ink the tag's white ring keeps it apart; its number is white on dark."""
    root = make_project(tmp_path / "project", image=inked_page(LIGHT, False))
    image = opened(render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)[
        "click-button", "fr"].path_2x).convert("L")
    x, y = expected_tag("fr")
    half = marks.TAG // 2 * SCALE
    body = image.getpixel((x - half + 6, y))
    ring = image.getpixel((x - half - marks.RING * SCALE // 2, y))
    ink = image.getpixel((x - half - (marks.RING + 2) * SCALE, y))
    number = max(image.crop((x - 8, y - 12, x + 8, y + 12)).get_flattened_data())
    assert contrast(body, ring) >= 3 and contrast(ring, ink) >= 3, save_artifact("tag-grey", image)
    assert contrast(number, body) >= 4.5


def test_published_pngs_carry_no_metadata(tmp_path: Path):
    root = make_project(tmp_path / "project")
    for lang in ("fr", "ar"):
        shot = root / "guide" / "screenshots" / lang / "page.png"
        shot.write_bytes(png_with_metadata(page_image()))
        assert {"tEXt", "iTXt", "zTXt", "tIME", "eXIf", "iCCP"} <= set(png_chunks(shot.read_bytes()))
    for crop in render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1).values():
        for path in (crop.path_1x, crop.path_2x):
            assert set(png_chunks(path.read_bytes())) <= ALLOWED_CHUNKS, path


def test_jpeg_with_exif_gives_clean_png(tmp_path: Path):
    root = make_project(tmp_path / "project", image_yaml=IMAGE.replace("page.png", "page.jpg"))
    for lang in ("fr", "ar"):
        folder = root / "guide" / "screenshots" / lang
        exif = Image.Exif()
        exif[0x013B] = "Jeanne Exemple"  # Artist
        page_image().save(folder / "page.jpg", quality=95, exif=exif.tobytes())
    # the sidecar of page.jpg is page.regions.json, already there
    for crop in render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1).values():
        data = crop.path_2x.read_bytes()
        assert set(png_chunks(data)) <= ALLOWED_CHUNKS
        assert b"Jeanne" not in data


def test_arrow_comes_from_the_end_side(tmp_path: Path):
    """An arrow points at the region from the right in French, from the left in Arabic (where the
    tag is on the other side)."""
    root = make_project(tmp_path / "project", image_yaml=IMAGE + "      arrow: [button]\n")
    guide = guide_of(root)
    result = render_crops(guide, Store(tmp_path / "cache"), jobs=1)
    x, y, w, h = BOXES["button"]
    for *_, layout in plan_all(guide)[0]:
        left, top = marks.place(layout).canvas[:2]
        image = opened(result["click-button", layout.lang].path_2x)
        middle = y + h // 2 - top
        end, start = (x + w + 100 - left, x - 100 - left)
        if layout.rtl:
            end, start = start, end
        note = save_artifact(f"arrow-{layout.lang}", image)
        assert count_near(image, (end, middle), 3, annotate.DARK) > 5, note
        assert count_near(image, (start, middle), 3, annotate.DARK) == 0, note


def test_rtl_is_a_mirror_of_ltr_on_a_symmetric_page(tmp_path: Path):
    """On a page symmetric about its centre line, the Arabic crop mirrors the French one, except the
    digit itself (a mirrored "1" is not a "1")."""
    result = render(tmp_path, image_yaml=IMAGE.replace("highlight: [button as 1]",
                                                       "highlight: [button as 1]\n      redact: [panel]"))
    french = opened(result["click-button", "fr"].path_2x)
    arabic = opened(result["click-button", "ar"].path_2x)
    mirrored = arabic.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    digit = expected_tag("fr")
    width = french.width
    differ = [(i % width, i // width) for i, (a, b) in
              enumerate(zip(pixels(french), pixels(mirrored), strict=True)) if a != b]
    outside_digit = [(x, y) for x, y in differ if (x - digit[0]) ** 2 + (y - digit[1]) ** 2 > 16 ** 2]
    assert outside_digit == [], save_artifact("mirror-fr", french) + "; " + save_artifact("mirror-ar", arabic)
    assert differ, "the digit must not be mirrored"


def test_cache_hit_does_not_redraw(tmp_path: Path, monkeypatch):
    root = make_project(tmp_path / "project")
    first = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    stamps = {p: p.stat().st_mtime_ns for c in first.values() for p in (c.path_1x, c.path_2x)}

    def no_drawing(layout):
        raise AssertionError(f"{layout.step_id} [{layout.lang}] was drawn again")

    monkeypatch.setattr(crops, "draw_crop", no_drawing)
    second = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    assert second == first
    assert (second.report.made, second.report.reused) == (0, 2)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_changed_input_is_redrawn(tmp_path: Path):
    root = make_project(tmp_path / "project")
    first = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    steps = root / "steps.yaml"
    steps.write_text(steps.read_text(encoding="utf-8").replace("padding: 20", "padding: 30"),
                     encoding="utf-8")
    second = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    assert (second.report.made, second.report.reused) == (2, 0)
    assert second["click-button", "fr"].digest != first["click-button", "fr"].digest


@pytest.mark.parametrize("damage", ["truncate", "delete", "manifest"])
def test_damaged_cache_entry_is_redrawn(tmp_path: Path, damage: str):
    root = make_project(tmp_path / "project")
    first = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    crop = first["click-button", "ar"]
    good = crop.path_2x.read_bytes()
    if damage == "truncate":
        crop.path_2x.write_bytes(good[: len(good) // 2])
    elif damage == "delete":
        crop.path_2x.unlink()
    else:
        (crop.path_2x.parent / MANIFEST).write_text("{", encoding="utf-8")
    second = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    assert (second.report.made, second.report.reused) == (1, 1)
    assert second["click-button", "ar"].path_2x.read_bytes() == good


def test_serial_and_parallel_give_the_same_bytes(tmp_path: Path):
    root = make_project(tmp_path / "project", image_yaml=IMAGE + "      arrow: [button]\n")
    serial = render_crops(guide_of(root), Store(tmp_path / "serial"), jobs=1)
    parallel = render_crops(guide_of(root), Store(tmp_path / "parallel"), jobs=2)
    assert serial.keys() == parallel.keys()
    for key, crop in serial.items():
        other = parallel[key]
        assert crop.digest == other.digest
        assert crop.path_1x.read_bytes() == other.path_1x.read_bytes()
        assert crop.path_2x.read_bytes() == other.path_2x.read_bytes()


def test_output_is_palette_png_when_sharp(tmp_path: Path):
    crop = render(tmp_path)["click-button", "fr"]
    with Image.open(crop.path_2x) as image:
        assert image.mode == "P"
    noisy = Image.frombytes("RGB", (300, 200), os.urandom(300 * 200 * 3))
    data = annotate.encode_png(noisy)
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGB", "a photo-like image must not be posterised"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_tag_of_a_row_sits_beside_it(tmp_path: Path, lang: str):
    """A tag at a row's corner would sit between two rows; beside the row it cannot be misread.
    Left of this row is more of the cropped panel (the blanked name), right of it nothing: the tag
    goes right in both languages (the end side in French, the start side in Arabic), where it
    covers nothing of the interface."""
    boxes = {**BOXES, "row": [130, 150, 190, 30]}
    image_yaml = IMAGE.replace("[button as 1]", "[row as 1]")
    image = opened(render(tmp_path, image_yaml=image_yaml, boxes=boxes)["click-button", lang].path_2x)
    x, y, w, h = boxes["row"]
    frame = marks.highlight_extent((x, y, x + w, y + h), SCALE)
    reach = (marks.POINTER + marks.TAG // 2) * SCALE
    middle = (frame[1] + frame[3]) // 2 - ORIGIN[1]
    right = frame[2] + reach - ORIGIN[0]
    assert count_square(image, (right, middle), marks.TAG // 2 * SCALE - 2, annotate.DARK) \
        > 0.7 * TAG_AREA, save_artifact(f"row-tag-{lang}", image)


TIMELINE = (200, 60, 60)  # what a floating menu covers: none of it may show


def floating_panel_page(rule_at: int | None = None, radius: int = 0) -> Image.Image:
    """The panel (white, with its button; corners rounded by `radius` px) floats over a red
    "timeline"; optionally a 1 px dark rule runs down column `rule_at`, as the border of a
    neighbouring column does."""
    image = Image.new("RGB", SIZE, TIMELINE)
    x, y, w, h = BOXES["panel"]
    ImageDraw.Draw(image).rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=radius, fill=LIGHT)
    bx, by, bw, bh = BOXES["button"]
    image.paste((29, 155, 240), (bx, by, bx + bw, by + bh))
    if rule_at is not None:
        image.paste((207, 217, 222), (rule_at, 0, rule_at + 1, image.height))
    return image


def near(pixel, colour, distance: int = 60) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < distance


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_isolate_fills_what_lies_outside_the_regions_with_the_background(tmp_path: Path, lang: str):
    """`isolate: [panel]`: the crop's padding shows the panel's own background, not the timeline."""
    image_yaml = IMAGE + "      isolate: [panel]\n"
    isolated = opened(render(tmp_path / "a", image_yaml=image_yaml,
                             image=floating_panel_page())["click-button", lang].path_2x)
    plain = opened(render(tmp_path / "b", image=floating_panel_page())["click-button", lang].path_2x)
    assert any(near(p, TIMELINE) for p in pixels(plain)), "the control crop must show the timeline"
    assert not any(near(p, TIMELINE, 120) for p in pixels(isolated)), save_artifact("isolate", isolated)
    left, top = in_crop(BOXES["panel"][0], BOXES["panel"][1])
    band = isolated.crop((0, top + 10, left, top + 40))  # the padding left of the panel
    assert all(near(p, LIGHT, 6) for p in band.get_flattened_data()), \
        save_artifact("isolate-band", isolated)


def test_isolate_follows_rounded_corners(tmp_path: Path):
    """A menu with rounded corners: the bits of timeline in its box's corners are filled too."""
    root = make_project(tmp_path / "project", image_yaml=IMAGE + "      isolate: [panel]\n",
                        image=floating_panel_page(radius=24))
    for lang in ("fr", "ar"):
        sidecar = root / "guide" / "screenshots" / lang / "page.regions.json"
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        data["regions"]["panel"]["radius"] = 12  # CSS px: 24 screenshot px
        sidecar.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    image = opened(render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)[
        "click-button", "fr"].path_2x)
    assert not any(near(p, TIMELINE, 120) for p in pixels(image)), save_artifact("isolate-round", image)


def test_crop_edges_show_no_sliver_of_a_neighbour(tmp_path: Path):
    """A region starting at an odd screenshot pixel is cut at whole CSS pixels; the extra pixel of
    the 1x-aligned canvas is background, not the 1 px rule that borders the region."""
    boxes = {**BOXES, "panel": [61, 40, 279, 160]}
    image = floating_panel_page(rule_at=60)
    image.paste(LIGHT, (61, 40, 340, 200))
    image.paste((29, 155, 240), (150, 110, 250, 150))
    image_yaml = IMAGE.replace("padding: 20", "padding: 0")
    crop = render(tmp_path, image_yaml=image_yaml, boxes=boxes, image=image)["click-button", "fr"]
    for path in (crop.path_1x, crop.path_2x):
        picture = opened(path)
        column = picture.crop((0, 0, 1, picture.height)).get_flattened_data()
        assert all(near(p, LIGHT, 6) for p in column), save_artifact("sliver", picture)
