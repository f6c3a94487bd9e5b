"""Measures of the outlines in a published crop, in greyscale, as a reader's screen shows them.

For each side of each outline, at a quarter, half and three quarters of its straight part (away
from its rounded corners and from tags), the pixels across it: the neighbouring interface just
outside, the outer light band, the dark line, the inner light band, and the element's edge just
inside. WCAG's contrast ratio of the dark line against each light band, and of the mark against
each neighbour, tells whether the line stays apart from the interface's own ink when the picture
is shown smaller.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from cropkit import contrast
from guidebuilder.images import marks

NEIGHBOUR = 2  # CSS px of interface looked at on each side of the mark


@dataclass(frozen=True)
class Across:
    """The greyscale values across one side of an outline, at one place."""

    where: str
    outside: int  # darkest pixel of the interface just outside
    outer: int  # lightest of the outer band
    line: int  # darkest of the dark line
    inner: int  # lightest of the inner band
    inside: int  # darkest of the element's edge just inside

    def problems(self, ratio: float = 3.0) -> list[str]:
        found = []
        for name, band in (("outer", self.outer), ("inner", self.inner)):
            if contrast(self.line, band) < ratio:
                found.append(f"{self.where}: line {self.line} vs {name} band {band}: "
                             f"{contrast(self.line, band):.2f}:1")
        for name, ink, band in (("outside", self.outside, self.outer), ("inside", self.inside, self.inner)):
            best = max(contrast(band, ink), contrast(self.line, ink))
            if best < ratio:
                found.append(f"{self.where}: mark vs {name} {ink}: {best:.2f}:1")
        return found


def shown(published_1x: Image.Image, factor: float) -> Image.Image:
    """The 1x picture in greyscale, as a screen shows it `factor` times its size."""
    grey = published_1x.convert("L")
    if factor == 1:
        return grey
    size = (max(1, round(grey.width * factor)), max(1, round(grey.height * factor)))
    return grey.resize(size, Image.Resampling.BILINEAR)


def across_outlines(layout, image: Image.Image, factor: float) -> list[Across]:
    """Every measure of every outline of `layout`'s crop, shown as `image` (see shown())."""
    placed = marks.place(layout)
    scale = layout.scale
    unit = factor / scale  # screenshot px -> shown px
    origin = placed.canvas[:2]
    avoid = [marks.grow(tag.extent(scale), 2 * scale) for tag in placed.tags]
    bands = {"outside": (-NEIGHBOUR, 0), "outer": (0, marks.OUTER),
             "line": (marks.OUTER, marks.OUTER + marks.LINE),
             "inner": (marks.OUTER + marks.LINE, marks.OUTER + marks.LINE + marks.INNER)}
    inset = marks.OUTER + marks.LINE + marks.INNER
    bands["inside"] = (inset, inset + marks.INSET + NEIGHBOUR)
    corner = (marks.RADIUS + marks.LINE + marks.OUTER) * scale
    found = []
    for number, frame in enumerate(placed.frames, start=1):
        left, top, right, bottom = frame
        for side in ("left", "right", "top", "bottom"):
            ends = (top, bottom) if side in ("left", "right") else (left, right)
            along = (ends[0] + corner, ends[1] - corner)  # the straight part of the side
            if along[1] - along[0] < 2 * scale:
                continue
            for part in (0.25, 0.5, 0.75):
                at = round(along[0] + part * (along[1] - along[0]))
                edge = {"left": left, "right": right, "top": top, "bottom": bottom}[side]
                inward = 1 if side in ("left", "top") else -1
                span = sorted((edge - inward * NEIGHBOUR * scale, edge + inward * (inset + 3) * scale))
                probe = ((span[0], at - 1, span[1], at + 1) if side in ("left", "right")
                         else (at - 1, span[0], at + 1, span[1]))
                if any(marks.overlaps(probe, box) for box in avoid):
                    continue
                values = {}
                for name, (start, end) in bands.items():
                    a = edge + inward * start * scale
                    b = edge + inward * end * scale
                    values[name] = _band(image, side, at, min(a, b), max(a, b), origin, unit,
                                         dark=name in ("line", "outside", "inside"))
                if values["outside"] is None:
                    continue  # the canvas ends there: nothing of the interface to compare with
                found.append(Across(f"outline {number} {side} at {part:.0%}", **values))
    return found


def _band(image: Image.Image, side: str, at: int, a: int, b: int, origin, unit: float,
          dark: bool) -> int | None:
    """The darkest (or lightest) shown pixel whose centre falls in [a, b) across the side at `at`
    (screenshot px); the one holding the band's middle if none does; None outside the image."""
    vertical = side in ("left", "right")
    shift = origin[0] if vertical else origin[1]
    lo, hi = (a - shift) * unit, (b - shift) * unit
    cross = ((at - (origin[1] if vertical else origin[0])) * unit)
    indices = [i for i in range(int(lo) - 1, int(hi) + 2) if lo <= i + 0.5 < hi]
    if not indices:
        indices = [int((lo + hi) / 2)]
    row = int(cross)
    pixels = []
    for i in indices:
        x, y = (i, row) if vertical else (row, i)
        if 0 <= x < image.width and 0 <= y < image.height:
            pixels.append(image.getpixel((x, y)))
    if not pixels:
        return None
    return min(pixels) if dark else max(pixels)
