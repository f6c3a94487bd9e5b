"""Pixels only: redaction, outline, numbered tag and arrow drawn on a screenshot, and the PNG encoder.

Where each mark goes comes from marks.py, as boxes (left, top, right, bottom) in the screenshot's own
pixels. Colours work on light and dark interfaces and in greyscale: a near-black blue line between
two white bands, a dark tag with a white number and a white ring.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

from guidebuilder import platform
from guidebuilder.images.marks import (
    ARROW_HEAD,
    ARROW_LINE,
    DOWN,
    INNER,
    LEFT,
    LINE,
    OUTER,
    POINTER,
    POINTER_BASE,
    RADIUS,
    RING,
    TAG_RADIUS,
    UP,
    Box,
    Tag,
    arrow_extent,
    grow,
)

DARK = (13, 33, 92)  # outline, tag and arrow
WHITE = (255, 255, 255)
REDACT_FILL = (112, 118, 124)  # opaque, mid grey: visible on light and dark themes

TAG_FONT = 17  # CSS px, bold
SMOOTH = 4  # annotations are drawn at 4x and reduced, for smooth edges
REDACT_MARGIN = 1  # also covers anti-aliased edges just outside the element's box

# A quantised image is kept only if it stays this close to the original (max channel difference).
QUANTISE_TOLERANCE = 24
QUANTISE_OUTLIERS = 0.002  # fraction of pixels allowed beyond it


def redact(image: Image.Image, boxes: tuple[Box, ...], scale: int) -> None:
    """Overwrite the pixels of each box with an opaque fill, in place. Nothing of them remains."""
    draw = ImageDraw.Draw(image)
    for box in boxes:
        left, top, right, bottom = grow(box, REDACT_MARGIN * scale)
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, image.width), min(bottom, image.height)
        if right > left and bottom > top:
            draw.rectangle((left, top, right - 1, bottom - 1), fill=REDACT_FILL)


def draw_highlight(image: Image.Image, frame: Box, scale: int) -> None:
    """A rounded outline just inside frame: a dark line between two white bands."""
    outer, line, inner = OUTER * scale, LINE * scale, INNER * scale
    radius = RADIUS * scale

    def band(box: Box, corner: int, width: int):
        return lambda draw, at: draw.rounded_rectangle(at(box), radius=corner * SMOOTH, outline=255,
                                                       width=width * SMOOTH)

    _smooth(image, frame, WHITE, band(frame, radius + line + outer, outer + line + inner))
    _smooth(image, frame, DARK, band(grow(frame, -outer), radius + line, line))


def margin_colour(image: Image.Image, *boxes: Box) -> tuple[int, int, int]:
    """The commonest colour along the inner edges of the boxes: the page's background, to extend
    it with."""
    counts: dict[tuple[int, int, int], int] = {}
    for left, top, right, bottom in boxes:
        for strip in ((left, top, right, top + 1), (left, bottom - 1, right, bottom),
                      (left, top, left + 1, bottom), (right - 1, top, right, bottom)):
            pixels = image.crop(strip)
            for count, colour in pixels.getcolors(maxcolors=pixels.width * pixels.height) or []:
                counts[colour] = counts.get(colour, 0) + count
    return max(sorted(counts), key=counts.__getitem__) if counts else WHITE


def isolate(image: Image.Image, boxes: tuple[Box, ...], within: Box,
            radii: tuple[int, ...] = ()) -> tuple[int, int, int]:
    """Fill everything of `within` outside the boxes (with their rounded corners, `radii` in
    pixels) with their background colour, in place, and return that colour: a menu floating over
    the timeline is shown without bits of the timeline. A browser may paint an element a pixel off
    the box it reports, so each box's outermost pixel is filled too."""
    colour = margin_colour(image, *boxes)
    left, top, right, bottom = within
    mask = Image.new("L", ((right - left) * SMOOTH, (bottom - top) * SMOOTH), 255)
    draw = ImageDraw.Draw(mask)
    for box, radius in zip(boxes, radii or (0,) * len(boxes), strict=True):
        inner = grow(box, -1)
        draw.rounded_rectangle(((inner[0] - left) * SMOOTH, (inner[1] - top) * SMOOTH,
                                (inner[2] - left) * SMOOTH - 1, (inner[3] - top) * SMOOTH - 1),
                               radius=max(0, radius - 1) * SMOOTH, fill=0)
    image.paste(colour, within, mask.reduce(SMOOTH))
    return colour


def draw_tag(image: Image.Image, tag: Tag, scale: int) -> None:
    """A dark rounded square with a white number, its point touching the outline, ringed in white.
    The shape is drawn pointing right, then mirrored or turned, so a tag and its right-to-left
    mirror match exactly; the number is never mirrored."""
    extent = tag.extent(scale)
    body = tag.body(scale)
    _paint(image, extent, WHITE, _tag_mask(tag, scale, RING * scale))
    _paint(image, extent, DARK, _tag_mask(tag, scale, 0))
    font = _font((TAG_FONT if tag.number < 10 else TAG_FONT - 2) * scale * SMOOTH)
    text = str(tag.number)

    def digits(draw: ImageDraw.ImageDraw, at) -> None:
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        middle = ((body[0] + body[2]) // 2, (body[1] + body[3]) // 2)
        x, y = at((*middle, *middle))[:2]
        draw.text((x - (left + right) / 2, y - (top + bottom) / 2), text, font=font, fill=255)

    _smooth(image, extent, WHITE, digits)


def _tag_mask(tag: Tag, scale: int, ring: int) -> Image.Image:
    """The tag's shape, grown by `ring`, as a mask SMOOTH times the size of tag.extent."""
    left, top, right, bottom = tag.extent(scale)
    width, height = right - left, bottom - top
    x, y = tag.tip[0] - left, tag.tip[1] - top
    body_w, body_h = tag.size(scale)
    turned = tag.direction in (UP, DOWN)
    if turned:  # drawn pointing right in the transposed frame, then transposed back
        width, height, x, y = height, width, y, x
    if tag.direction in (LEFT, UP):  # drawn as its mirror image, then flipped
        x = width - x
    reach, half = POINTER * scale, POINTER_BASE * scale // 2
    step = SMOOTH
    mask = Image.new("L", (width * step, height * step), 0)
    draw = ImageDraw.Draw(mask)
    body = (x - reach - body_w - ring, y - body_h // 2 - ring, x - reach + ring, y + body_h // 2 + ring)
    draw.rounded_rectangle((body[0] * step, body[1] * step, body[2] * step - 1, body[3] * step - 1),
                           radius=(TAG_RADIUS * scale + ring) * step, fill=255)
    base = x - reach - TAG_RADIUS * scale  # inside the body: point and body join without a notch
    draw.polygon([((x + ring) * step, y * step), (base * step, (y - half - ring) * step),
                  (base * step, (y + half + ring) * step)], fill=255)
    if tag.direction in (LEFT, UP):
        mask = mask.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if turned:
        mask = mask.transpose(Image.Transpose.TRANSPOSE)
    return mask


def draw_arrow(image: Image.Image, tail: tuple[int, int], tip: tuple[int, int], scale: int) -> None:
    direction = 1 if tip[0] > tail[0] else -1
    head, half, line, halo = ARROW_HEAD * scale, ARROW_HEAD // 2 * scale, ARROW_LINE * scale, OUTER * scale
    base = tip[0] - direction * head
    extent = arrow_extent(tail, tip, scale)
    for colour, extra in ((WHITE, halo), (DARK, 0)):
        def paint(draw: ImageDraw.ImageDraw, at, extra: int = extra) -> None:
            shaft = at((min(tail[0], base), tip[1] - line // 2 - extra,
                        max(tail[0], base), tip[1] + line // 2 + extra))
            draw.rectangle(shaft, fill=255)
            points = ((tip[0] + direction * extra, tip[1]),
                      (base - direction * extra, tip[1] - half - extra),
                      (base - direction * extra, tip[1] + half + extra))
            draw.polygon([at((px, py, px, py))[:2] for px, py in points], fill=255)
        _smooth(image, extent, colour, paint)


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes re-encoded from the pixels alone: no EXIF, text, ICC or time chunks.

    UI screenshots are flat colours, so a 256-colour palette usually keeps them sharp at a fraction
    of the size; when it would not, the image stays RGB.
    """
    image = image.convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    chosen = palette if _close_enough(image, palette.convert("RGB")) else image
    fresh = Image.frombytes(chosen.mode, chosen.size, chosen.tobytes())
    if chosen.mode == "P":
        fresh.putpalette(chosen.getpalette())
    buffer = io.BytesIO()
    fresh.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _close_enough(original: Image.Image, quantised: Image.Image) -> bool:
    diff = ImageChops.difference(original, quantised)
    red, green, blue = diff.split()
    worst = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    histogram = worst.histogram()
    beyond = sum(histogram[QUANTISE_TOLERANCE + 1:])
    return beyond <= QUANTISE_OUTLIERS * original.width * original.height


def _smooth(image: Image.Image, extent: Box, colour: tuple[int, int, int], paint) -> None:
    """Paint one flat colour through a mask drawn at SMOOTH times the size, then reduced: smooth
    edges, and pixels wholly inside a shape keep the exact colour. `paint(draw, at)` draws in white
    on the mask; `at(box)` turns a box in image pixels into mask pixels (end inclusive)."""
    left, top, right, bottom = extent
    mask = Image.new("L", ((right - left) * SMOOTH, (bottom - top) * SMOOTH), 0)

    def at(box):
        return ((box[0] - left) * SMOOTH, (box[1] - top) * SMOOTH,
                (box[2] - left) * SMOOTH - 1, (box[3] - top) * SMOOTH - 1)

    paint(ImageDraw.Draw(mask), at)
    image.paste(colour, (left, top, right, bottom), mask.reduce(SMOOTH))


def badge_font() -> Path:
    """The font file of the badges' numbers (platform.BADGE_FONTS: the first one installed)."""
    return platform.font_path(*platform.BADGE_FONTS)


def _paint(image: Image.Image, extent: Box, colour: tuple[int, int, int], mask: Image.Image) -> None:
    """Paint one flat colour through a mask drawn at SMOOTH times the size of extent."""
    image.paste(colour, extent, mask.reduce(SMOOTH))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(badge_font()), size)
