"""Annotated crops of the screenshots, one per step and language, at 1x and 2x.

Each crop is keyed by a hash of everything it depends on (screenshot, regions file, the step's image
spec, the guide's redaction list, text direction, this code). `<cache>/<digest>@1x.png` and `@2x.png`
are reused while `<digest>.json` still records their exact hashes; anything else is drawn again, in
parallel processes when there is more than one to draw.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import PIL
from PIL import Image

from guidebuilder.errors import GuideError, Problem
from guidebuilder.images import annotate, marks
from guidebuilder.images.marks import Box
from guidebuilder.images.screenshots import Layout, file_digest, open_screenshot, plan_all
from guidebuilder.model import Guide
from guidebuilder.report import Report
from guidebuilder.store import Store


@dataclass(frozen=True)
class Crop:
    step_id: str
    lang: str
    path_1x: Path  # PNG in the cache folder, for the site at 1x
    path_2x: Path  # PNG at 2x, for the site's srcset and print
    size_1x: tuple[int, int]  # width, height in CSS px
    badges: tuple[int, ...]
    digest: str  # hash of all inputs


class CropSet(dict):
    """render_crops' result: a dict keyed by (step_id, lang), plus what the run had to do."""

    def __init__(self, items=(), report: Report | None = None):
        super().__init__(items)
        self.report = report or Report(0, 0, "drawn")


@cache
def code_version() -> str:
    """Changes whenever the drawing code, Pillow or the badge font changes."""
    digest = hashlib.sha256(PIL.__version__.encode())
    for module in ("annotate.py", "crops.py", "marks.py", "regions.py", "screenshots.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    for font in annotate.FONT_FILES:
        if Path(font).exists():
            digest.update(Path(font).read_bytes())
            break
    return digest.hexdigest()


def render_crops(guide: Guide, store: Store, *, langs: Sequence[str] | None = None,
                 jobs: int | None = None, progress: Callable[[int, int], None] | None = None
                 ) -> CropSet:
    """Every step's crop in every language (or in `langs`); raise GuideError listing every problem.

    `progress(done, total)` is called as each crop is drawn (for a progress bar).
    """
    pages, problems = plan_all(guide, langs)
    cache_dir = store.folder("crops")
    planned: list[tuple[Layout, str]] = []
    for step, _lang, page, layout in pages:
        if layout is not None:
            inputs = (file_digest(page.shot), page.sidecar_raw, repr(step.image),
                      repr(guide.redact), layout.rtl)
            planned.append((layout, _digest(inputs)))
    if problems:
        raise GuideError(problems)

    cache_dir.mkdir(parents=True, exist_ok=True)
    crops = CropSet()
    todo = []
    for layout, digest in planned:
        crop = _from_cache(layout, digest, cache_dir)
        if crop is None:
            todo.append((layout, digest))
        else:
            crops[layout.step_id, layout.lang] = crop
    drawn = _draw_all([layout for layout, _ in todo], jobs, progress)
    for (layout, digest), result in zip(todo, drawn, strict=True):
        if isinstance(result, list):
            problems += result
        else:
            crops[layout.step_id, layout.lang] = _store(layout, digest, result, cache_dir)
    if problems:
        raise GuideError(problems)
    order = [(layout.step_id, layout.lang) for layout, _ in planned]
    return CropSet(((key, crops[key]) for key in order),
                   Report(len(todo), len(planned) - len(todo), "drawn"))


def _digest(inputs: tuple) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in inputs:
        data = part if isinstance(part, bytes) else repr(part).encode()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


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


def draw_crop(layout: Layout) -> tuple[bytes, bytes, tuple[int, int]] | list[Problem]:
    """(1x PNG, 2x PNG, 1x size) for one layout, or the problems that stop it. Runs in a worker."""
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
    return annotate.encode_png(at_1x), annotate.encode_png(at_2x), size_1x


def _moved(box: Box, dx: int, dy: int) -> Box:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _paths(cache_dir: Path, digest: str) -> tuple[Path, Path, Path]:
    return (cache_dir / f"{digest}@1x.png", cache_dir / f"{digest}@2x.png",
            cache_dir / f"{digest}.json")


def _from_cache(layout: Layout, digest: str, cache_dir: Path) -> Crop | None:
    path_1x, path_2x, manifest = _paths(cache_dir, digest)
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        if (hashlib.sha256(path_1x.read_bytes()).hexdigest() != record["1x"]
                or hashlib.sha256(path_2x.read_bytes()).hexdigest() != record["2x"]):
            return None
        size = (int(record["size_1x"][0]), int(record["size_1x"][1]))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return Crop(layout.step_id, layout.lang, path_1x, path_2x, size, _badges(layout), digest)


def _store(layout: Layout, digest: str, result: tuple[bytes, bytes, tuple[int, int]],
           cache_dir: Path) -> Crop:
    png_1x, png_2x, size = result
    path_1x, path_2x, manifest = _paths(cache_dir, digest)
    _write(path_1x, png_1x)
    _write(path_2x, png_2x)
    record = {"1x": hashlib.sha256(png_1x).hexdigest(), "2x": hashlib.sha256(png_2x).hexdigest(),
              "size_1x": list(size), "step": layout.step_id, "lang": layout.lang}
    _write(manifest, json.dumps(record, indent=1, sort_keys=True).encode())
    return Crop(layout.step_id, layout.lang, path_1x, path_2x, size, _badges(layout), digest)


def _badges(layout: Layout) -> tuple[int, ...]:
    return tuple(number for _, number in layout.highlights)


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: a crash never leaves half a PNG under its final name."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
