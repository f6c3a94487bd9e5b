"""Can the interface's text in each crop be read where the crop is shown? Part of `make check`.

For every crop, the size of the smallest interface text it shows, as each medium of MEDIA shows the
picture: a phone, a projector, and the four handouts. A crop below a medium's floor is a warning
(not an error) naming the step, the language, the medium, the size and the floor.

The text's size is the CSS font size the capture measured (`text_px` of each region in the
sidecar) for the regions with text that lie wholly inside the crop, are not blanked (redacted, or
outside `isolate:`). A hand-written region without `text_px` counts its box height per line of
text as its line height, and the text as 1/LINE_HEIGHT of that (a box with padding makes this
generous: write text_px when you can).

The floors, and why:
- Print, standard (12.5 pt body): 8 pt. The smallest size print is set in for continuous reading
  (footnotes, captions); below it, readers with average eyesight slow down.
- Print, large (18 pt body): 11.5 pt, the standard floor scaled like the body (8 x 18 / 12.5). 14 pt
  would be the usual large-print minimum for text, but at the large-print picture scale of today
  (1.2) a 15 px interface text prints at 13.5 pt at most, however tightly it is cropped, so the check could
  only warn; raise the floor here if the pictures' scale is raised.
- Phone: 9 CSS px, the smallest the brief's range (9-10 px) allows for a picture of text a reader
  can open full screen and zoom; about 8.5 minutes of arc for the x-height of Noto Sans at 30 cm,
  readable but not for long reading, which the step's own text (at 17 px) is for.
- Projector (1024x768, one step per screen): 16 CSS px; the picture fills up to 960x540 px and
  may be enlarged up to twice its size (the 2x PNG keeps it sharp). A 16 px letter on a 2 m wide
  image of 1024 px is about 3 cm, readable from the back of a workshop room (about 1/200 of 6 m,
  the usual rule for projected text).
"""

from __future__ import annotations

from dataclasses import dataclass

from guidebuilder.errors import Problem
from guidebuilder.images import marks
from guidebuilder.images.screenshots import Layout, Page, shown_path
from guidebuilder.model import Guide, Step

LINE_HEIGHT = 1.25  # line height / font size, for regions without text_px
PT_PER_PX = 0.75  # CSS: 96 px = 72 pt
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Medium:
    """Where a crop is shown, and the smallest its text may be there."""

    name: str  # as in messages: "on a phone (360 px wide)"
    width: float  # the widest the picture may be shown, in CSS px (96 per inch)
    height: float | None  # the tallest, if limited
    enlarge: float  # the picture's size there per CSS px of the crop, before fitting
    floor: float  # in `unit`
    unit: str  # "px" (CSS px on a screen) or "pt" (on paper)

    def text_size(self, text_px: float, size: tuple[int, int]) -> float:
        """How large text of `text_px` CSS px in a crop of `size` (CSS px) is shown, in `unit`."""
        fit = min(self.enlarge, self.width / size[0],
                  self.height / size[1] if self.height else self.enlarge)
        return text_px * fit * (PT_PER_PX if self.unit == "pt" else 1)


def _paper(name: str, paper_mm: tuple[float, float], margin_mm: float, picture_scale: float,
           height_share: float, floor: float) -> Medium:
    width, height = paper_mm
    return Medium(name, (width - 2 * margin_mm) * PX_PER_MM, height * height_share * PX_PER_MM,
                  picture_scale, floor, "pt")


# Every place a crop is shown. The handouts' figures are those of handout/document.py (layout_for:
# side margins, picture scale, tallest picture as a share of the page height); a test checks they
# agree. Change them here when the handout's layout changes.
MEDIA = (
    Medium("on a phone (360 px wide)", 328, None, 1.0, 9, "px"),  # minus the page's 16 px margins
    Medium("on a projector (1024x768)", 960, 540, 2.0, 16, "px"),
    _paper("on A4 paper", (210.0, 297.0), 17, 0.9, 0.25, 8),
    _paper("on US Letter paper", (215.9, 279.4), 17, 0.9, 0.25, 8),
    # large print: the pictures grow like the words (0.9 x 18 / 12.5), up to 60% of the text height
    _paper("on A4 paper in large print", (210.0, 297.0), 15, 0.9 * 18 / 12.5, 0.6 * 261 / 297, 11.5),
    _paper("on US Letter paper in large print", (215.9, 279.4), 15, 0.9 * 18 / 12.5,
           0.6 * (279.4 - 36) / 279.4, 11.5),
)


def legibility_warnings(guide: Guide, planned: list[tuple[Step, str, Page, Layout | None]],
                        media: tuple[Medium, ...] = MEDIA) -> list[Problem]:
    """One warning per crop and medium whose interface text would be shown below the floor; one
    for the step, without a language, when every language of the guide gives the same figure."""
    found: dict[tuple[int, Medium, float], list[str]] = {}  # (step index, ...) -> languages
    index = {step.id: n for n, step in enumerate(guide.steps)}
    for step, lang, page, layout in planned:
        if layout is None:
            continue
        text_px = smallest_text(guide, step, page, layout)
        if text_px is None:
            continue  # a picture with no text to read
        size = marks.canvas_size(layout)
        for medium in media:
            shown = round(medium.text_size(text_px, size), 1)
            if shown < medium.floor:
                found.setdefault((index[step.id], medium, shown), []).append(lang)
    steps_file = shown_path(guide, guide.file)
    warnings = []
    for (number, medium, shown), langs in found.items():
        step = guide.steps[number]
        message = (f"interface text in the picture would be {shown:g} {medium.unit} high "
                   f"{medium.name}; the floor is {medium.floor:g} {medium.unit}; crop tighter (a "
                   "smaller region or padding) or split the step")
        every = sorted(langs) == sorted(guide.codes)
        warnings += [Problem(steps_file, step.line, message, step.id, None if every else lang)
                     for lang in (langs[:1] if every else langs)]
    codes = {code: n for n, code in enumerate(guide.codes)}
    return sorted(warnings, key=lambda w: (index[w.step], codes.get(w.lang, -1)))


def smallest_text(guide: Guide, step: Step, page: Page, layout: Layout) -> float | None:
    """The CSS size of the smallest text of the regions the crop shows, or None if none has text."""
    hidden = set(guide.redact) | set(step.image.redact if step.image else ())
    sizes = []
    for name, region in page.sidecar.regions.items():
        edges = region.edges
        if (not region.text.strip() or name in hidden or not _inside(edges, layout.crop)
                or (layout.isolate and not any(_inside(edges, box) for box in layout.isolate))):
            continue
        if region.text_px is not None:
            sizes.append(region.text_px)
        else:
            lines = max(1, len(region.text.strip().splitlines()))
            sizes.append(region.box[3] / page.sidecar.scale / lines / LINE_HEIGHT)
    return min(sizes, default=None)


def _inside(box: marks.Box, within: marks.Box) -> bool:
    return (within[0] <= box[0] and within[1] <= box[1]
            and box[2] <= within[2] and box[3] <= within[3])
