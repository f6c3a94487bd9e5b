"""Where the marks of a crop go: outlines, numbered tags and arrows, as boxes in screenshot pixels.

Geometry only, no pixels: `place(layout)` says where every mark of a step's crop goes and how large
the published picture is (`Marks.canvas`), so `make check` can size a picture without drawing it.
Sizes below are CSS pixels, multiplied by the screenshot's scale.

An outline is three bands around the element: light (INNER), dark (LINE), light (OUTER). The dark
line never touches the interface's own ink, whatever its colour: light bands on both sides keep it
apart from a dark checkbox border or text even when a phone shows the picture at half its size.

A number is a **tag**, a rounded square with a point that touches its outline, not a disc: step
numbers are discs (site and handouts), and a tag's point says which outline a number belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidebuilder.images.screenshots import Layout

Box = tuple[int, int, int, int]  # left, top, right, bottom; right and bottom exclusive

INSET = 1  # screenshot pixels kept between the element and its outline (its anti-aliased edge)
INNER = 4  # light band between the element and the dark line
LINE = 4  # the dark line
OUTER = 3  # light band outside it
RADIUS = 8  # of the dark line's inner corner
TAG = 26  # the tag's height, and its width for one digit
TAG_WIDE = 34  # its width for two digits
TAG_RADIUS = 6
POINTER = 8  # how far the point reaches beyond the tag, towards the outline
POINTER_BASE = 14
RING = 3  # light ring around the tag
ARROW = 56  # length
ARROW_LINE = 4
ARROW_HEAD = 16
TALL = 2.5  # an outline taller than this many tags gets its tag near its top, not at its middle

# The way a tag's point points; the tag sits on the other side of its tip.
RIGHT, LEFT, DOWN, UP = "right", "left", "down", "up"


def grow(box: Box, by: int) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def highlight_extent(box: Box, scale: int) -> Box:
    return grow(box, (INSET + INNER + LINE + OUTER) * scale)


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


@dataclass(frozen=True)
class Tag:
    """A numbered tag whose point touches `tip` (a point between pixels), pointing `direction`."""

    tip: tuple[int, int]
    direction: str
    number: int

    def size(self, scale: int) -> tuple[int, int]:
        """Width and height of the tag's body, without its point."""
        return (TAG if self.number < 10 else TAG_WIDE) * scale, TAG * scale

    def body(self, scale: int) -> Box:
        width, height = self.size(scale)
        x, y = self.tip
        reach = POINTER * scale
        if self.direction == RIGHT:
            return x - reach - width, y - height // 2, x - reach, y + height // 2
        if self.direction == LEFT:
            return x + reach, y - height // 2, x + reach + width, y + height // 2
        if self.direction == DOWN:
            return x - width // 2, y - reach - height, x + width // 2, y - reach
        return x - width // 2, y + reach, x + width // 2, y + reach + height

    def extent(self, scale: int) -> Box:
        """Everything the tag paints: body, point and light ring."""
        return grow(union(self.body(scale), (*self.tip, *self.tip)), RING * scale)


def tag_spots(frame: Box, number: int, scale: int, rtl: bool) -> list[Tag]:
    """Where a highlight's tag may go, best first: beside its start side (left, or right in
    right-to-left languages) pointing at it, above it, beside its end side, below it."""
    left, top, right, bottom = frame
    tag = TAG * scale
    height = bottom - top
    middle = (top + bottom) // 2 if height <= TALL * tag else top + tag
    centre = (left + right) // 2
    if right - left > 3 * tag:  # a wide outline: above or below its start, not its middle
        centre = right - tag if rtl else left + tag
    start, end = (Tag((right, middle), LEFT, number), Tag((left, middle), RIGHT, number))
    if not rtl:
        start, end = end, start
    return [start, Tag((centre, top), DOWN, number), end, Tag((centre, bottom), UP, number)]


def place_tags(framed: list[tuple[Box, int]], shown: Box, scale: int, rtl: bool) -> list[Tag]:
    """A tag for each highlight (given its frame and number). The first spot that covers no other
    outline or tag, so a number can only be read as belonging to its own outline, and whose body
    covers nothing of `shown` (the region the step crops around), so it hides no interface; failing
    that, the first that covers no other mark."""
    placed: list[Tag] = []
    for index, (frame, number) in enumerate(framed):
        others = [other for i, (other, _) in enumerate(framed) if i != index]
        others += [tag.extent(scale) for tag in placed]
        spots = tag_spots(frame, number, scale, rtl)
        free = [spot for spot in spots
                if not any(overlaps(spot.extent(scale), other) for other in others)]
        clear = [spot for spot in free if not overlaps(grow(spot.body(scale), RING * scale), shown)]
        placed.append((clear or free or spots)[0])
    return placed


def arrow_points(box: Box, scale: int, rtl: bool) -> tuple[tuple[int, int], tuple[int, int]]:
    """(tail, tip): an arrow pointing at the box from its end side (right in ltr, left in rtl)."""
    left, top, right, bottom = highlight_extent(box, scale)
    y = (top + bottom) // 2
    length = ARROW * scale
    if rtl:
        return (left - length, y), (left, y)
    return (right + length, y), (right, y)


def arrow_extent(tail: tuple[int, int], tip: tuple[int, int], scale: int) -> Box:
    pad = (ARROW_HEAD // 2 + OUTER) * scale
    return (min(tail[0], tip[0]) - pad, tip[1] - pad, max(tail[0], tip[0]) + pad, tip[1] + pad)


@dataclass(frozen=True)
class Marks:
    frames: list[Box]  # each highlight's outer edge
    tags: list[Tag]
    arrows: list[tuple[tuple[int, int], tuple[int, int]]]  # tail, tip
    canvas: Box  # the crop grown to whole CSS pixels and to every mark, in screenshot pixels


def place(layout: Layout) -> Marks:
    """Every mark of a layout and the canvas that holds them."""
    scale = layout.scale
    crop = aligned(layout.crop, scale)
    frames_ = frames([box for box, _ in layout.highlights], scale)
    numbered = [(frame, number) for frame, (_, number) in zip(frames_, layout.highlights, strict=True)]
    tags = place_tags(numbered, layout.region or layout.crop, scale, layout.rtl)
    arrows = [arrow_points(box, scale, layout.rtl) for box in layout.arrows]
    canvas = crop
    for extent in (*frames_, *(tag.extent(scale) for tag in tags),
                   *(arrow_extent(tail, tip, scale) for tail, tip in arrows)):
        canvas = union(canvas, extent)
    return Marks(frames_, tags, arrows, aligned(canvas, scale))


def aligned(box: Box, scale: int) -> Box:
    """Edges on whole CSS pixels, so the 1x image is exactly the 2x one halved."""
    return (box[0] // scale * scale, box[1] // scale * scale,
            -(-box[2] // scale) * scale, -(-box[3] // scale) * scale)


def canvas_size(layout: Layout) -> tuple[int, int]:
    """The published picture's width and height in CSS pixels (its 1x PNG)."""
    left, top, right, bottom = place(layout).canvas
    return max(1, round((right - left) / layout.scale)), max(1, round((bottom - top) / layout.scale))
