"""Annotated crops of the screenshots, one per step and language, at 1x and 2x.

Each crop is a store entry (`crops/<key>/crop@1x.png`, `crop@2x.png`) keyed by everything it
depends on: screenshot, regions file, the step's image spec, the guide's redaction list, text
direction, the badge font and the images/ code (CROPS). An entry is reused while its files match
their checksums; anything else is drawn again, in parallel processes when there is more than one.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from guidebuilder.errors import GuideError, Problem
from guidebuilder.images import annotate, marks
from guidebuilder.images.marks import Box
from guidebuilder.images.screenshots import Layout, file_digest, open_screenshot, plan_all
from guidebuilder.model import Guide
from guidebuilder.report import Report
from guidebuilder.store import Entry, Kind, Store

CROPS = Kind("crops", packages=("images",), libraries=("Pillow",))
FILES = {1: "crop@1x.png", 2: "crop@2x.png"}  # scale -> file name inside an entry
# The 2x crop for print: its pixels as RGB, saved as Pillow saves by default. WeasyPrint converted
# each palette picture to these very bytes, then decoded and encoded them again into the PDF's image
# stream, in every batch of PDFs that shows it; handout/imagecache.py now takes that stream from
# this file as it is, and the PDFs do not change.
PRINT = "crop@2x-rgb.png"


@dataclass(frozen=True)
class Crop:
    step_id: str
    lang: str
    path_1x: Path  # PNG in the store, for the site at 1x
    path_2x: Path  # PNG at 2x, for the site's srcset (and print, unless path_print is set)
    size_1x: tuple[int, int]  # width, height in CSS px
    badges: tuple[int, ...]
    digest: str  # the store key: hash of all inputs
    provenance: str = "recreated"  # where its screenshot comes from (regions.PROVENANCES)
    shows: str = ""  # the language its screenshot shows: not step's language when it falls back
    path_print: Path | None = None  # the 2x picture as RGB, for print (PRINT)

    @property
    def for_print(self) -> Path:
        """The 2x picture the handouts embed: the same pixels as path_2x."""
        return self.path_print or self.path_2x

    @property
    def fallback(self) -> bool:
        """The picture shows another language's screenshot: the reader is told which."""
        return self.shows not in ("", self.lang)


class CropSet(dict):
    """render_crops' result: a dict keyed by (step_id, lang), plus what the run had to do."""

    def __init__(self, items=(), report: Report | None = None):
        super().__init__(items)
        self.report = report or Report(0, 0, "drawn")


def render_crops(guide: Guide, store: Store, *, langs: Sequence[str] | None = None,
                 jobs: int | None = None, progress: Callable[[int, int], None] | None = None
                 ) -> CropSet:
    """Every step's crop in every language (or in `langs`); raise GuideError listing every problem.

    `progress(done, total)` is called as each crop is drawn (for a progress bar).
    """
    pages, problems = plan_all(guide, langs)
    if problems:
        raise GuideError(problems)
    font = file_digest(annotate.badge_font()) if pages else ""
    planned = [(layout, store.key(CROPS, file_digest(page.shot), page.sidecar_raw, repr(step.image),
                                  repr(guide.redact), layout.rtl, font))
               for step, _lang, page, layout in pages if layout is not None]

    crops = CropSet()
    todo: dict[str, Layout] = {}  # key -> the first layout; a language's fallback shares its crop
    for layout, key in planned:
        entry = store.get(CROPS, key) if key not in todo else None
        if entry is None:
            todo.setdefault(key, layout)
        else:
            crops[layout.step_id, layout.lang] = _crop(layout, key, entry)
    drawn = _draw_all(list(todo.values()), jobs, progress)
    entries = {}
    for (key, layout), result in zip(todo.items(), drawn, strict=True):
        if isinstance(result, list):
            problems += result
        else:
            png_1x, png_2x, size, png_print = result
            files = {FILES[1]: png_1x, FILES[2]: png_2x, PRINT: png_print}
            entries[key] = store.put(CROPS, key, files,
                                     meta={"size_1x": list(size), "step": layout.step_id,
                                           "lang": layout.lang})
    for layout, key in planned:
        if key in entries:
            crops[layout.step_id, layout.lang] = _crop(layout, key, entries[key])
    if problems:
        raise GuideError(problems)
    order = [(layout.step_id, layout.lang) for layout, _ in planned]
    return CropSet(((key, crops[key]) for key in order),
                   Report(len(todo), len(planned) - len(todo), "drawn"))


def _draw_all(layouts: list[Layout], jobs: int | None,
              progress: Callable[[int, int], None] | None = None) -> Iterable[tuple | list[Problem]]:
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    report = progress or (lambda done, total: None)
    if jobs <= 1 or len(layouts) <= 1:
        results = []
        for layout in layouts:
            results.append(draw_crop(layout))
            report(len(results), len(layouts))
        return results
    with ProcessPoolExecutor(max_workers=min(jobs, len(layouts))) as pool:
        futures = [pool.submit(draw_crop, layout) for layout in layouts]
        for done, _ in enumerate(as_completed(futures), start=1):
            report(done, len(layouts))
        return [future.result() for future in futures]


def draw_crop(layout: Layout) -> tuple[bytes, bytes, tuple[int, int], bytes] | list[Problem]:
    """(1x PNG, 2x PNG, 1x size, the 2x PNG for print) for one layout, or the problems that stop
    it. Runs in a worker."""
    image, problems = open_screenshot(layout.data, layout.shown, layout.step_id, layout.lang,
                                      layout.size)
    if image is None:
        return problems
    scale = layout.scale
    annotate.redact(image, layout.redact, scale)  # before anything is cut or scaled
    exact = layout.crop
    exact = (exact[0], exact[1], min(exact[2], image.width), min(exact[3], image.height))
    background = annotate.margin_colour(image, exact)
    if layout.isolate:
        background = annotate.isolate(image, layout.isolate, exact, layout.isolate_radii)
    placed = marks.place(layout)
    # The canvas is the crop grown to whole CSS pixels and to every mark. Only the crop itself shows
    # the screenshot: the rest (a pixel of rounding, room for a badge) is the page's background, so
    # no edge ever shows a sliver of a neighbouring element.
    left, top, right, bottom = placed.canvas
    canvas = Image.new("RGB", (right - left, bottom - top), background)
    canvas.paste(image.crop(exact), (exact[0] - left, exact[1] - top))
    for frame in placed.frames:
        annotate.draw_highlight(canvas, _moved(frame, -left, -top), scale)
    for tail, tip in placed.arrows:
        annotate.draw_arrow(canvas, (tail[0] - left, tail[1] - top), (tip[0] - left, tip[1] - top), scale)
    for tag in placed.tags:
        moved = marks.Tag((tag.tip[0] - left, tag.tip[1] - top), tag.direction, tag.number)
        annotate.draw_tag(canvas, moved, scale)
    size_1x = (max(1, round(canvas.width / scale)), max(1, round(canvas.height / scale)))
    size_2x = (size_1x[0] * 2, size_1x[1] * 2)
    at_2x = canvas if canvas.size == size_2x else canvas.resize(size_2x, Image.Resampling.LANCZOS)
    at_1x = canvas if canvas.size == size_1x else canvas.resize(size_1x, Image.Resampling.LANCZOS)
    png_2x = annotate.encode_png(at_2x)
    return annotate.encode_png(at_1x), png_2x, size_1x, for_print(png_2x)


def for_print(png: bytes) -> bytes:
    """The crop's pixels as RGB, saved as WeasyPrint saves a palette picture when it loads one and
    again when it writes a picture into a PDF (weasyprint/images.py: PNG, optimize off). The
    encoded pixels of this file are the PDF's image stream. tests/test_crops.py checks the bytes
    against WeasyPrint's own."""
    with Image.open(io.BytesIO(png)) as image:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _moved(box: Box, dx: int, dy: int) -> Box:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _crop(layout: Layout, key: str, entry: Entry) -> Crop:
    width, height = entry.meta["size_1x"]
    return Crop(layout.step_id, layout.lang, entry.file(FILES[1]), entry.file(FILES[2]),
                (int(width), int(height)), _badges(layout), key, layout.provenance, layout.shows,
                entry.file(PRINT) if PRINT in entry.files else None)


def _badges(layout: Layout) -> tuple[int, ...]:
    return tuple(number for _, number in layout.highlights)

