"""Reading handouts back, for test_handout.py and test_handout_print.py: text (poppler and pypdf),
QR codes (zbar), and handouts rendered by the real stage: those of the fixture guide once per
session (`render_fixture_guide`, conftest's `small_handouts`), those of a project copy on demand."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest

from guidebuilder import outputs
from guidebuilder.handout import pdf
from guidebuilder.handout import stage as handout
from guidebuilder.images import crops
from guidebuilder.model import Guide
from guidebuilder.report import Report
from guidebuilder.source.strings import load_strings
from guidebuilder.source.validate import load_guide
from guidebuilder.store import Store
from pdfread import needs_poppler, pdftotext  # noqa: F401  (re-exported for the handout tests)
from projects import small_guide

EPOCH = "1722000000"
needs_zbar = pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools not installed")


def printed(path: Path) -> str:
    """The PDF's text without spaces or invisible format characters (word joiners, isolates)."""
    return "".join(c for c in pdftotext(path) if not c.isspace() and unicodedata.category(c) != "Cf")


def qr_codes(path: Path, folder: Path) -> list[str]:
    """Every QR code zbar finds on any page, at 150 dpi in grey (qr_codes_of one PDF)."""
    return qr_codes_of([path], folder)[path]


def qr_codes_of(paths: list[Path], folder: Path) -> dict[Path, list[str]]:
    """Every QR code zbar finds on any page of each PDF, at 150 dpi in grey, in the pages' order.
    The pages are written as PGM, not PNG: compressing them took three quarters of the time (6.5 s
    against 1.5 s for 8 handouts). One zbarimg reads every page of every PDF and says which page
    each code is on (--xml): starting it takes a sixth of a second, more than reading a page."""
    for old in folder.glob("qr-*.pgm"):
        old.unlink()
    pages: dict[str, Path] = {}
    for number, path in enumerate(paths):
        subprocess.run(["pdftoppm", "-r", "150", "-gray", str(path), str(folder / f"qr-{number}")],
                       check=True)
        own = sorted(folder.glob(f"qr-{number}-*.pgm"))
        assert own, path.name
        pages.update({str(page): path for page in own})
    out = subprocess.run(["zbarimg", "--quiet", "--xml", *pages], capture_output=True, text=True)
    found: dict[Path, list[str]] = {path: [] for path in paths}
    read = set()
    for source in ElementTree.fromstring(out.stdout):
        read.add(source.get("href"))
        found[pages[source.get("href")]] += [text for data in source.iter(f"{ZBAR}data")
                                             for text in (data.text or "").split()]
    assert read == set(pages), out.stderr  # zbar read every page
    return found


ZBAR = "{http://zbar.sourceforge.net/2008/barcode}"


def link_annotations(path: Path) -> list[tuple[str, float, dict]]:
    """(URI, width in pt, its structure element) of every link annotation, via the parent tree."""
    reader = pypdf.PdfReader(path)
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            x1, _, x2, _ = (float(v) for v in annotation["/Rect"])
            element = parents[annotation["/StructParent"]].get_object()
            found.append((annotation["/A"]["/URI"], abs(x2 - x1), element))
    return found


def page_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


@dataclass
class Rendered:
    """Every handout of a guide, rendered once from an empty cache. Read it; never change its files
    but through `render_again`, which must give the same handouts."""

    guide: Guide
    cache: Path
    handouts: dict
    report: Report
    crops: dict
    jobs: list[pdf.Job]  # what the render gave pdf.run_jobs
    warnings: list[str]  # what the handout stage logged, forked workers included

    def render_again(self, jobs: int | None = None, store: Store | None = None) -> Report:
        again = handout.render_handouts(self.guide, load_strings(self.guide), self.crops,
                                        store or Store(self.cache), epoch=EPOCH, jobs=jobs)
        assert again == self.handouts
        return again.report

    def pdf(self, lang: str, paper: str = "a4", large: bool = False) -> Path:
        return dict(self.handouts[lang])[outputs.Handout(lang, paper, large)]

    def all(self):
        for lang, items in self.handouts.items():
            for item, path in items:
                yield lang, item, path


@contextmanager
def handout_warnings(log: Path) -> Iterator[list[str]]:
    """The lines the handout stage logs at warning level, filled in when the block ends. A file, not
    caplog: forked workers inherit the handler and append to the same file."""
    found: list[str] = []
    handler = logging.FileHandler(log, encoding="utf-8")
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("guidebuilder.handout")
    level = logger.level
    logger.setLevel(logging.WARNING)  # whatever a command line run earlier in this process set
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.close()
        found += log.read_text(encoding="utf-8").splitlines()


def render_fixture_guide(folder: Path) -> Rendered:
    """The fixture guide's crops and handouts (tests/fixtures/small/, read where it lies), through the
    real stages in two worker processes, into a cache in `folder`."""
    guide = small_guide()
    cache = folder / "cache"
    store = Store(cache)
    drawn = crops.render_crops(guide, store, jobs=2)
    jobs: list[pdf.Job] = []

    def run_jobs(todo, *args, **kwargs):
        jobs.extend(todo)
        return pdf.run_jobs(todo, *args, **kwargs)

    with handout_warnings(folder / "handout-warnings.log") as warnings, \
            pytest.MonkeyPatch.context() as patch:
        patch.setattr(handout, "run_jobs", run_jobs)
        result = handout.render_handouts(guide, load_strings(guide), drawn, store, epoch=EPOCH, jobs=2)
    return Rendered(guide, cache, result, result.report, drawn, jobs, warnings)


def render_project(project: Path, langs: tuple[str, ...] | None = None, jobs: int = 1) -> dict:
    """The fixture project's handouts, through the real crops and handouts stages:
    {(lang, paper, large): path of the PDF}."""
    guide = load_guide(project / "steps.yaml", project)
    store = Store(project / ".cache")
    drawn = crops.render_crops(guide, store, langs=langs, jobs=jobs)
    result = handout.render_handouts(guide, load_strings(guide), drawn, store, epoch=EPOCH,
                                     langs=langs, jobs=jobs)
    return {(item.lang, item.paper, item.large): path
            for items in result.values() for item, path in items if isinstance(item, outputs.Handout)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def hollow_squares(png: Path, dpi: int, smallest_mm: float = 3, largest_mm: float = 20) -> list[tuple]:
    """Outlined squares drawn on a page image (an empty checkbox, ticked or not), as (x, y, width,
    height) in mm: dark shapes whose box is square, whose four sides are dark along at least 85% of
    their length, and whose middle is light. Letters fail (an O has round sides), and so do the
    badges (filled discs) and a line to write on (one side)."""
    from PIL import Image

    image = Image.open(png).convert("L")
    width = image.size[0]
    dark = image.point([1] * 128 + [0] * 128).tobytes()  # 1 where the pixel is darker than 128
    mm = dpi / 25.4
    found = []
    for runs in _dark_shapes(dark, image.size):
        x0, x1 = min(a for _y, a, _b in runs), max(b for _y, _a, b in runs)
        y0, y1 = runs[0][0], runs[-1][0]
        w, h = x1 - x0 + 1, y1 - y0 + 1
        if not (smallest_mm * mm <= min(w, h) and max(w, h) <= largest_mm * mm and 0.8 <= w / h <= 1.25):
            continue
        shape = {y * width + x for y, a, b in runs for x in range(a, b + 1)}
        band = max(1, round(0.4 * mm))  # how far in from the box's edge a side may be drawn
        sides = [[{(y0 + d) * width + x for d in range(band)} for x in range(x0, x1 + 1)],
                 [{(y1 - d) * width + x for d in range(band)} for x in range(x0, x1 + 1)],
                 [{y * width + x0 + d for d in range(band)} for y in range(y0, y1 + 1)],
                 [{y * width + x1 - d for d in range(band)} for y in range(y0, y1 + 1)]]
        drawn = [sum(bool(near & shape) for near in side) / len(side) for side in sides]
        if min(drawn) >= 0.85 and not dark[((y0 + y1) // 2) * width + (x0 + x1) // 2]:
            found.append((round(x0 / mm), round(y0 / mm), round(w / mm, 1), round(h / mm, 1)))
    return found


def _dark_shapes(dark: bytes, size: tuple[int, int]) -> list[list[tuple[int, int, int]]]:
    """Each 8-connected set of dark pixels (1 in `dark`), as its runs (y, first x, last x) from top
    to bottom. Runs, not pixels: a flood fill pixel by pixel took three seconds per handout. A run
    joins a run of the row above that touches it, diagonally included."""
    width, height = size
    parent: list[int] = []  # union-find over the runs, by index

    def root(run: int) -> int:
        while parent[run] != run:
            parent[run] = parent[parent[run]]
            run = parent[run]
        return run

    rows: list[list[tuple[int, int, int]]] = []  # per row: (first x, last x, run index)
    runs: list[tuple[int, int, int]] = []
    for y in range(height):
        row = []
        for match in re.finditer(b"\x01+", dark[y * width:(y + 1) * width]):
            index = len(runs)
            runs.append((y, match.start(), match.end() - 1))
            parent.append(index)
            row.append((match.start(), match.end() - 1, index))
        above = rows[-1] if rows else []
        i = 0
        for first, last, index in row:
            while i < len(above) and above[i][1] < first - 1:
                i += 1
            j = i
            while j < len(above) and above[j][0] <= last + 1:
                a, b = root(above[j][2]), root(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
                j += 1
        rows.append(row)
    shapes: dict[int, list[tuple[int, int, int]]] = {}
    for index, run in enumerate(runs):
        shapes.setdefault(root(index), []).append(run)
    return list(shapes.values())
