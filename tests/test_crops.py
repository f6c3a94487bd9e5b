"""Annotated crops: pixel checks of each annotation on small synthetic screenshots, the published PNG's
chunks, right-to-left mirroring, the cache, and serial == parallel."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from cropkit import (
    BOXES,
    DARK_UI,
    IMAGE,
    LIGHT,
    SECRET,
    contrast,
    guide_of,
    make_project,
    page_image,
    png_chunks,
    png_with_metadata,
    save_artifact,
)
from guidebuilder.images import annotate, crops
from guidebuilder.images.crops import Crop, render_crops

SCALE = 2
ORIGIN = (40, 20)  # the crop 'around panel' with padding 20, in screenshot pixels
ALLOWED_CHUNKS = {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}


def render(tmp_path: Path, **kwargs) -> dict:
    root = make_project(tmp_path / "project", **kwargs)
    return render_crops(guide_of(root), tmp_path / "cache", jobs=1)


def crop_count(root: Path) -> int:
    guide = guide_of(root)
    return len(guide.steps) * len(guide.codes)


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


def expected_badge(lang: str) -> tuple[int, int]:
    x, y, w, h = BOXES["button"]
    centre = annotate.badge_centre((x, y, x + w, y + h), SCALE, rtl=lang == "ar")
    return in_crop(*centre)


def test_api_shape(tmp_path: Path):
    result = render(tmp_path)
    assert set(result) == {("click-button", "fr"), ("click-button", "ar")}
    crop = result["click-button", "fr"]
    assert isinstance(crop, Crop)
    assert crop.badges == (1,)
    assert crop.size_1x == (160, 100)  # (280 + 2 * 20) / 2, (160 + 2 * 20) / 2
    assert opened(crop.path_2x).size == (320, 200)
    assert opened(crop.path_1x).size == (160, 100)
    assert crop.path_1x.parent == crop.path_2x.parent == tmp_path / "cache"
    assert crop.digest in crop.path_1x.name
    assert (result.drawn, result.reused) == (crop_count(tmp_path / "project"), 0)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_badge_at_the_reading_start_corner(tmp_path: Path, lang: str):
    """Top-left of the highlight in left-to-right languages, top-right in Arabic."""
    image = opened(render(tmp_path)["click-button", lang].path_2x)
    here = expected_badge(lang)
    mirrored = expected_badge("fr" if lang == "ar" else "ar")
    badge_area = 3.14 * 26 ** 2
    assert count_near(image, here, 26, annotate.DARK) > 0.6 * badge_area, \
        save_artifact(f"badge-{lang}", image)
    assert count_near(image, here, 6, annotate.WHITE) > 10, "the white number is missing"
    assert count_near(image, mirrored, 26, annotate.DARK) == 0, save_artifact(f"badge-{lang}", image)


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


@pytest.mark.parametrize("background", [LIGHT, DARK_UI, (0, 0, 0)], ids=["light", "dim", "black"])
@pytest.mark.parametrize("greyscale", [False, True], ids=["colour", "greyscale"])
def test_highlight_contrast_at_least_3_to_1(tmp_path: Path, background, greyscale: bool):
    image = opened(render(tmp_path, background=background)["click-button", "fr"].path_2x)
    if greyscale:
        image = image.convert("L").convert("RGB")
    x, y, _, h = BOXES["button"]
    left, middle = in_crop(x, y + h // 2)
    outside = image.getpixel((left - 25, middle))
    outer_halo = image.getpixel((left - 16, middle))
    line = image.getpixel((left - 11, middle))
    inner_halo = image.getpixel((left - 6, middle))
    element = image.getpixel((left + 2, middle))
    note = save_artifact(f"contrast-{background}-{greyscale}", image)
    assert contrast(line, outer_halo) >= 3 and contrast(line, inner_halo) >= 3, note
    # The mark as a whole stands out from the page around it and from the element inside it.
    assert max(contrast(outer_halo, outside), contrast(line, outside)) >= 3, note
    assert max(contrast(inner_halo, element), contrast(line, element)) >= 3, note


def test_published_pngs_carry_no_metadata(tmp_path: Path):
    root = make_project(tmp_path / "project")
    for lang in ("fr", "ar"):
        shot = root / "guide" / "screenshots" / lang / "page.png"
        shot.write_bytes(png_with_metadata(page_image()))
        assert {"tEXt", "iTXt", "zTXt", "tIME", "eXIf", "iCCP"} <= set(png_chunks(shot.read_bytes()))
    for crop in render_crops(guide_of(root), tmp_path / "cache", jobs=1).values():
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
    for crop in render_crops(guide_of(root), tmp_path / "cache", jobs=1).values():
        data = crop.path_2x.read_bytes()
        assert set(png_chunks(data)) <= ALLOWED_CHUNKS
        assert b"Jeanne" not in data


def test_arrow_comes_from_the_end_side(tmp_path: Path):
    """An arrow points at the region from the right in French, from the left in Arabic."""
    result = render(tmp_path, image_yaml=IMAGE + "      arrow: [button]\n")
    x, y, w, h = BOXES["button"]
    _, middle = in_crop(x, y + h // 2)
    right = in_crop(x + w + 60, y)[0]
    left = in_crop(x - 60, y)[0]
    french = opened(result["click-button", "fr"].path_2x)
    arabic = opened(result["click-button", "ar"].path_2x)
    assert count_near(french, (right, middle), 3, annotate.DARK) > 5, save_artifact("arrow-fr", french)
    assert count_near(french, (left, middle), 3, annotate.DARK) == 0, save_artifact("arrow-fr", french)
    assert count_near(arabic, (left, middle), 3, annotate.DARK) > 5, save_artifact("arrow-ar", arabic)
    assert count_near(arabic, (right, middle), 3, annotate.DARK) == 0, save_artifact("arrow-ar", arabic)


def test_rtl_is_a_mirror_of_ltr_on_a_symmetric_page(tmp_path: Path):
    """On a page symmetric about its centre line, the Arabic crop mirrors the French one, except the
    digit itself (a mirrored "1" is not a "1")."""
    result = render(tmp_path, image_yaml=IMAGE.replace("highlight: [button as 1]",
                                                       "highlight: [button as 1]\n      redact: [panel]"))
    french = opened(result["click-button", "fr"].path_2x)
    arabic = opened(result["click-button", "ar"].path_2x)
    mirrored = arabic.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    digit = expected_badge("fr")
    width = french.width
    differ = [(i % width, i // width) for i, (a, b) in
              enumerate(zip(pixels(french), pixels(mirrored), strict=True)) if a != b]
    outside_digit = [(x, y) for x, y in differ if (x - digit[0]) ** 2 + (y - digit[1]) ** 2 > 16 ** 2]
    assert outside_digit == [], save_artifact("mirror-fr", french) + "; " + save_artifact("mirror-ar", arabic)
    assert differ, "the digit must not be mirrored"


def test_cache_hit_does_not_redraw(tmp_path: Path, monkeypatch):
    root = make_project(tmp_path / "project")
    first = render_crops(guide_of(root), tmp_path / "cache", jobs=1)
    stamps = {p: p.stat().st_mtime_ns for c in first.values() for p in (c.path_1x, c.path_2x)}

    def no_drawing(layout):
        raise AssertionError(f"{layout.step_id} [{layout.lang}] was drawn again")

    monkeypatch.setattr(crops, "draw_crop", no_drawing)
    second = render_crops(guide_of(root), tmp_path / "cache", jobs=1)
    assert second == first
    assert (second.drawn, second.reused) == (0, crop_count(root))
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_changed_input_is_redrawn(tmp_path: Path):
    root = make_project(tmp_path / "project")
    first = render_crops(guide_of(root), tmp_path / "cache", jobs=1)
    steps = root / "steps.yaml"
    steps.write_text(steps.read_text(encoding="utf-8").replace("padding: 20", "padding: 30"),
                     encoding="utf-8")
    second = render_crops(guide_of(root), tmp_path / "cache", jobs=1)
    assert (second.drawn, second.reused) == (crop_count(root), 0)
    assert second["click-button", "fr"].digest != first["click-button", "fr"].digest


@pytest.mark.parametrize("damage", ["truncate", "delete", "manifest"])
def test_damaged_cache_entry_is_redrawn(tmp_path: Path, damage: str):
    root = make_project(tmp_path / "project")
    first = render_crops(guide_of(root), tmp_path / "cache", jobs=1)
    crop = first["click-button", "ar"]
    good = crop.path_2x.read_bytes()
    if damage == "truncate":
        crop.path_2x.write_bytes(good[: len(good) // 2])
    elif damage == "delete":
        crop.path_2x.unlink()
    else:
        crop.path_2x.with_name(f"{crop.digest}.json").write_text("{", encoding="utf-8")
    second = render_crops(guide_of(root), tmp_path / "cache", jobs=1)
    assert (second.drawn, second.reused) == (1, crop_count(root) - 1)
    assert second["click-button", "ar"].path_2x.read_bytes() == good


def test_serial_and_parallel_give_the_same_bytes(tmp_path: Path):
    root = make_project(tmp_path / "project", image_yaml=IMAGE + "      arrow: [button]\n")
    serial = render_crops(guide_of(root), tmp_path / "serial", jobs=1)
    parallel = render_crops(guide_of(root), tmp_path / "parallel", jobs=2)
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
def test_badge_of_a_row_sits_beside_it(tmp_path: Path, lang: str):
    """A corner badge on a row of a list sits between two rows; beside the row it cannot be misread."""
    boxes = {**BOXES, "row": [130, 150, 190, 30]}
    image_yaml = IMAGE.replace("[button as 1]", "[row as 1]")
    image = opened(render(tmp_path, image_yaml=image_yaml, boxes=boxes)["click-button", lang].path_2x)
    x, y, w, h = boxes["row"]
    frame = annotate.highlight_extent((x, y, x + w, y + h), SCALE)
    beside = (annotate.BADGE // 2 + annotate.RING) * SCALE
    centre = (frame[2] + beside if lang == "ar" else frame[0] - beside, (frame[1] + frame[3]) // 2)
    assert count_near(image, in_crop(*centre), 26, annotate.DARK) > 0.6 * 3.14 * 26 ** 2, \
        save_artifact(f"row-badge-{lang}", image)
