"""Pixels only: redaction, highlight, badge and arrow drawn on a screenshot, and the PNG encoder.

Geometry comes in as boxes (left, top, right, bottom) in the screenshot's own pixels; sizes below are
in CSS pixels and multiplied by the screenshot's scale (2 for the captured pages). Colours work on
light and dark interfaces and in greyscale: a near-black blue line between two white halos, a dark
badge with a white number and a white ring.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

from guidebuilder.errors import BuildError

Box = tuple[int, int, int, int]  # left, top, right, bottom; right and bottom exclusive

DARK = (13, 33, 92)  # outline, badge and arrow
WHITE = (255, 255, 255)
REDACT_FILL = (112, 118, 124)  # opaque, mid grey: visible on light and dark themes
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
              "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")

GAP = 4  # between the element and the outline
LINE = 3  # the dark outline
HALO = 2  # white on each side of it
RADIUS = 8
BADGE = 28  # diameter
RING = 2
BADGE_FONT = 17
ARROW = 56  # length
ARROW_LINE = 4
ARROW_HEAD = 16
SMOOTH = 4  # annotations are drawn at 4x and reduced, for smooth edges
ROW_RATIO = 3  # a highlight this many times wider than tall is a row
REDACT_MARGIN = 1  # also covers anti-aliased edges just outside the element's box

# A quantised image is kept only if it stays this close to the original (max channel difference).
QUANTISE_TOLERANCE = 24
QUANTISE_OUTLIERS = 0.002  # fraction of pixels allowed beyond it


def grow(box: Box, by: int) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def redact(image: Image.Image, boxes: tuple[Box, ...], scale: int) -> None:
    """Overwrite the pixels of each box with an opaque fill, in place. Nothing of them remains."""
    draw = ImageDraw.Draw(image)
    for box in boxes:
        left, top, right, bottom = grow(box, REDACT_MARGIN * scale)
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, image.width), min(bottom, image.height)
        if right > left and bottom > top:
            draw.rectangle((left, top, right - 1, bottom - 1), fill=REDACT_FILL)


def highlight_extent(box: Box, scale: int) -> Box:
    return grow(box, (GAP + LINE + HALO) * scale)


def frames(boxes: list[Box], scale: int) -> list[Box]:
    """The outer edge of each highlight. Where two highlighted elements are closer than two
    outlines, each outline stops half-way, so they sit side by side instead of crossing."""
    outer = [list(highlight_extent(box, scale)) for box in boxes]
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes):
            if i == j or not overlaps(tuple(outer[i]), tuple(outer[j])):
                continue
            if a[3] <= b[1]:  # a above b
                outer[i][3] = min(outer[i][3], (a[3] + b[1]) // 2)
            elif a[2] <= b[0]:  # a left of b
                outer[i][2] = min(outer[i][2], (a[2] + b[0]) // 2)
            elif b[3] <= a[1]:  # a below b
                outer[i][1] = max(outer[i][1], (b[3] + a[1]) // 2)
            elif b[2] <= a[0]:  # a right of b
                outer[i][0] = max(outer[i][0], (b[2] + a[0]) // 2)
    return [(f[0], f[1], f[2], f[3]) for f in outer]


def draw_highlight(image: Image.Image, frame: Box, scale: int) -> None:
    """A thick rounded outline just inside frame, with a white halo on both sides of it."""
    line, halo, radius = LINE * scale, HALO * scale, RADIUS * scale
    inner = grow(frame, -halo)

    def outline(box: Box, corner: int, width: int):
        return lambda draw, at: draw.rounded_rectangle(at(box), radius=corner * SMOOTH, outline=255,
                                                       width=width * SMOOTH)

    _smooth(image, frame, WHITE, outline(frame, radius + line + halo, line + 2 * halo))
    _smooth(image, frame, DARK, outline(inner, radius + line, line))


def badge_spots(frame: Box, scale: int, rtl: bool) -> list[tuple[int, int]]:
    """Where a highlight's badge may go, best first: just outside its top-left corner (top-right in
    right-to-left languages), then beside its left side, its bottom-left corner, then the other side;
    for a wide, short highlight (a row), beside its left side first."""
    left, top, right, bottom = frame
    diagonal = (BADGE // 2 - RADIUS // 2) * scale
    beside = (BADGE // 2 + RING) * scale
    start, end = (right, left) if rtl else (left, right)
    out = 1 if rtl else -1  # the direction away from the box on the start side
    middle = (top + bottom) // 2
    spots = [(start + out * diagonal, top - diagonal), (start + out * beside, middle),
             (start + out * diagonal, bottom + diagonal), (end - out * diagonal, top - diagonal),
             (end - out * diagonal, bottom + diagonal)]
    if right - left > ROW_RATIO * (bottom - top):
        # A row in a list: a badge at its corner sits between two rows; beside it, it is unambiguous.
        spots.insert(0, spots.pop(1))
    return spots


def badge_centre(box: Box, scale: int, rtl: bool) -> tuple[int, int]:
    """Where the badge of a highlight with no neighbour goes."""
    return badge_spots(highlight_extent(box, scale), scale, rtl)[0]


def place_badges(framed: list[tuple[Box, int]], scale: int, rtl: bool
                 ) -> list[tuple[tuple[int, int], int]]:
    """A spot for each badge (given each highlight's frame and number) that covers no other
    highlight and no other badge, so a number can only be read as belonging to its own box."""
    placed: list[tuple[tuple[int, int], int]] = []
    for index, (frame, number) in enumerate(framed):
        others = [other for i, (other, _) in enumerate(framed) if i != index]
        others += [badge_extent(centre, scale) for centre, _ in placed]
        spots = badge_spots(frame, scale, rtl)
        free = [spot for spot in spots
                if not any(overlaps(badge_extent(spot, scale), other) for other in others)]
        placed.append(((free or spots)[0], number))
    return placed


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def badge_extent(centre: tuple[int, int], scale: int) -> Box:
    radius = (BADGE // 2 + RING) * scale
    return centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius


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


def isolate(image: Image.Image, boxes: tuple[Box, ...], within: Box) -> tuple[int, int, int]:
    """Fill everything of `within` outside the boxes with their background colour, in place, and
    return that colour: a menu floating over the timeline is shown without bits of the timeline."""
    colour = margin_colour(image, *boxes)
    left, top, right, bottom = within
    mask = Image.new("L", (right - left, bottom - top), 255)
    draw = ImageDraw.Draw(mask)
    for box in boxes:
        draw.rectangle((box[0] - left, box[1] - top, box[2] - left - 1, box[3] - top - 1), fill=0)
    image.paste(colour, within, mask)
    return colour


def draw_badge(image: Image.Image, centre: tuple[int, int], number: int, scale: int) -> None:
    """A dark disc with a white ring and a white number. (x, y) is a point between pixels, so a
    badge and its right-to-left mirror match exactly."""
    radius = BADGE // 2 * scale
    x, y = centre
    extent = badge_extent(centre, scale)
    disc = (x - radius, y - radius, x + radius, y + radius)
    font = _font((BADGE_FONT if number < 10 else BADGE_FONT - 3) * scale * SMOOTH)

    def digits(draw: ImageDraw.ImageDraw, at) -> None:
        left, top, right, bottom = draw.textbbox((0, 0), str(number), font=font)
        middle_x, middle_y = at((x, y, x, y))[:2]
        draw.text((middle_x - (left + right) / 2, middle_y - (top + bottom) / 2), str(number),
                  font=font, fill=255)

    _smooth(image, extent, WHITE, lambda draw, at: draw.ellipse(at(extent), fill=255))
    _smooth(image, extent, DARK, lambda draw, at: draw.ellipse(at(disc), fill=255))
    _smooth(image, extent, WHITE, digits)


def arrow_points(box: Box, scale: int, rtl: bool) -> tuple[tuple[int, int], tuple[int, int]]:
    """(tail, tip): an arrow pointing at the box from its end side (right in ltr, left in rtl)."""
    left, top, right, bottom = highlight_extent(box, scale)
    y = (top + bottom) // 2
    length = ARROW * scale
    if rtl:
        return (left - length, y), (left, y)
    return (right + length, y), (right, y)


def arrow_extent(tail: tuple[int, int], tip: tuple[int, int], scale: int) -> Box:
    pad = (ARROW_HEAD // 2 + HALO) * scale
    return (min(tail[0], tip[0]) - pad, tip[1] - pad, max(tail[0], tip[0]) + pad, tip[1] + pad)


def draw_arrow(image: Image.Image, tail: tuple[int, int], tip: tuple[int, int], scale: int) -> None:
    direction = 1 if tip[0] > tail[0] else -1
    head, half, line, halo = ARROW_HEAD * scale, ARROW_HEAD // 2 * scale, ARROW_LINE * scale, HALO * scale
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


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    raise BuildError(f"the badge font is missing ({FONT_FILES[0]}); install it with "
                     "`sudo apt-get install fonts-dejavu-core`, or run `make` as root")
