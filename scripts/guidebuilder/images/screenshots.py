"""A step's screenshot in one language: its bytes opened safely, its regions resolved to boxes.

`plan(guide, step, lang)` does everything that needs names (the sidecar, which regions exist, the
crop with its padding) and returns a `Layout` of plain boxes, so drawing needs no names at all.
`open_screenshot` refuses anything that is not a PNG, JPEG or WebP of sane size, and damaged files;
`screenshot_problems` finds the same without decoding a PNG's pixels, for `make check`.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from guidebuilder import limits
from guidebuilder.errors import GuideError, Problem
from guidebuilder.images.regions import Sidecar, parse_sidecar, read_sidecar, sidecar_path
from guidebuilder.model import Guide, Step

MAX_PIXELS = 40_000_000  # 40 megapixels: a 5K screen at DPR 2 is 29 MP
FORMATS = ("PNG", "JPEG", "WEBP")
MAGIC = ((b"GIF8", "a GIF image"), (b"BM", "a BMP image"), (b"II*\0", "a TIFF image"),
         (b"MM\0*", "a TIFF image"), (b"<svg", "an SVG file"), (b"<?xml", "an XML file"),
         (b"%PDF", "a PDF file"))

Box = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class Layout:
    """Everything needed to draw one crop, in the screenshot's pixels. Picklable, name-free."""

    step_id: str
    lang: str
    shown: str  # the screenshot as named in messages
    data: bytes  # the screenshot file
    size: tuple[int, int]
    scale: int
    crop: Box  # the crop region plus padding, clamped to the image
    highlights: tuple[tuple[Box, int], ...]
    arrows: tuple[Box, ...]
    redact: tuple[Box, ...]
    rtl: bool
    isolate: tuple[Box, ...] = ()  # when set, only these show; the rest of the crop is background
    region: Box | None = None  # the region cropped around, before padding (tags avoid covering it)
    isolate_radii: tuple[int, ...] = ()  # each isolated region's corner radius, screenshot px
    provenance: str = "recreated"  # the screenshot's, from its regions file: not drawn, told
    shows: str = ""  # the language the screenshot shows (lang's fallback, or lang itself)


@dataclass(frozen=True)
class Page:
    """A screenshot and its sidecar as read from disk for one step and language."""

    shot: Path
    shown: str
    data: bytes
    sidecar_raw: bytes
    sidecar: Sidecar


def shown_path(guide: Guide, path: Path) -> str:
    try:
        return path.relative_to(guide.root).as_posix()
    except ValueError:
        return path.as_posix()


@lru_cache(maxsize=64)
def _read(path: Path, stamp: tuple[int, int]) -> bytes:
    """A file's bytes, read once while it is unchanged: steps that share a screenshot share them."""
    return limits.read_capped(path, path.name, limits.MAX_SCREENSHOT_BYTES,
                              "use a screenshot of a normal screen size, saved as PNG, JPEG or WebP")


def read_bytes(path: Path) -> bytes:
    status = path.stat()
    return _read(path, (status.st_mtime_ns, status.st_size))


@lru_cache(maxsize=64)
def _digest(path: Path, stamp: tuple[int, int]) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file, computed once while it is unchanged."""
    status = path.stat()
    return _digest(path, (status.st_mtime_ns, status.st_size))


def read_page(guide: Guide, step: Step, lang: str) -> tuple[Page | None, list[Problem]]:
    shot = guide.screenshot_path(step, lang)
    shown = shown_path(guide, shot)
    side = sidecar_path(shot)
    side_shown = shown_path(guide, side)
    try:
        data = read_bytes(shot)
    except GuideError as exc:  # not a regular file, or too large
        return None, [replace(p, file=shown, step=step.id, lang=lang) for p in exc.problems]
    except OSError:
        return None, [Problem(shown, 0, f"screenshot not found: expected {shown}; run `make capture` "
                              "or put the screenshot there", step.id, lang)]
    try:
        raw = read_sidecar(side, side_shown)
    except GuideError as exc:  # not a regular file, or too large
        return None, [replace(p, step=step.id, lang=lang) for p in exc.problems]
    except OSError:
        return None, [Problem(side_shown, 0, f"no regions file beside {shown}: expected {side_shown}; "
                              "run `make capture`, or write it by hand (see guide/screenshots/README.md)",
                              step.id, lang)]
    sidecar, problems = parse_sidecar(raw, side_shown, step.id, lang)
    if sidecar is None:
        return None, problems
    if sidecar.image is not None and Path(sidecar.image).stem != shot.stem:  # .png -> .webp is fine
        return None, [Problem(side_shown, 0, f"this regions file belongs to '{sidecar.image}', not to "
                              f"'{shot.name}'; copy the right one or re-run `make capture`",
                              step.id, lang)]
    return Page(shot, shown, data, raw, sidecar), problems


def plan_all(guide: Guide, langs: Sequence[str] | None = None
             ) -> tuple[list[tuple[Step, str, Page, Layout | None]], list[Problem]]:
    """Every step with an image, in every language (or `langs`): its page and layout, and every
    problem found.

    Shared by `make check` and the crops stage, so both read and resolve the same way.
    """
    planned: list[tuple[Step, str, Page, Layout | None]] = []
    problems: list[Problem] = []
    for step in guide.steps:
        if step.image is None:
            continue
        for lang in langs or guide.codes:
            page, found = read_page(guide, step, lang)
            problems += found
            if page is None:
                continue
            layout, found = plan(guide, step, page, lang)
            problems += found
            planned.append((step, lang, page, layout))
    return planned, problems


def plan(guide: Guide, step: Step, page: Page, lang: str) -> tuple[Layout | None, list[Problem]]:
    """Resolve the step's region names against the page's sidecar; every problem at once."""
    spec = step.image
    assert spec is not None
    sidecar = page.sidecar
    problems: list[Problem] = []
    steps_file = shown_path(guide, guide.file)

    def box_of(name: str, role: str) -> Box | None:
        region = sidecar.regions.get(name)
        if region is None:
            hint = difflib.get_close_matches(name, list(sidecar.regions), n=1)
            also = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(Problem(steps_file, step.line, f"{role} region '{name}' is not in "
                                    f"{sidecar.file}{also}; regions there: {sidecar.describe()}",
                                    step.id, lang))
            return None
        return region.edges

    crop_region = box_of(spec.crop, "crop")
    highlights = tuple((box, h.badge) for h in spec.highlights
                       if (box := box_of(h.region, "highlight")) is not None)
    arrows = tuple(box for name in spec.arrows if (box := box_of(name, "arrow")) is not None)
    own = tuple(box for name in spec.redact if (box := box_of(name, "redact")) is not None)
    isolate = tuple(box for name in spec.isolate if (box := box_of(name, "isolate")) is not None)
    # guide.redact lists what to blank wherever it shows; a page without the account lacks them.
    shared = tuple(sidecar.regions[name].edges for name in guide.redact
                   if name in sidecar.regions and name not in spec.redact)
    if crop_region is None:
        return None, problems
    padding = spec.padding
    crop = (max(crop_region[0] - padding, 0), max(crop_region[1] - padding, 0),
            min(crop_region[2] + padding, sidecar.size[0]), min(crop_region[3] + padding, sidecar.size[1]))
    for (box, _), name in zip(highlights, [h.region for h in spec.highlights], strict=False):
        _inside_crop(box, name, "highlight", crop, spec, sidecar, problems, steps_file, step, lang)
    for box, name in zip(arrows, spec.arrows, strict=False):
        _inside_crop(box, name, "arrow", crop, spec, sidecar, problems, steps_file, step, lang)
    if isolate and len(isolate) == len(spec.isolate):
        for h in spec.highlights:
            if h.region in sidecar.regions and not _covered(sidecar.regions[h.region].edges, isolate):
                problems.append(Problem(steps_file, step.line, f"highlight region '{h.region}' is "
                                        f"not inside the isolated regions ({', '.join(spec.isolate)}) "
                                        f"in {sidecar.file}, so it would be blanked; add it to "
                                        "'isolate'", step.id, lang))
    if problems:
        return None, problems
    radii = tuple(round(sidecar.regions[name].radius * sidecar.scale) for name in spec.isolate)
    layout = Layout(step.id, lang, page.shown, page.data, sidecar.size, sidecar.scale, crop,
                    highlights, arrows, own + shared,
                    guide.language(guide.screenshot_lang(lang)).rtl, isolate,
                    crop_region, radii, sidecar.provenance, guide.screenshot_lang(lang))
    return layout, []


def _covered(box: Box, by: tuple[Box, ...]) -> bool:
    """Whether box lies inside one of the boxes `by`."""
    return any(b[0] <= box[0] and b[1] <= box[1] and box[2] <= b[2] and box[3] <= b[3] for b in by)


def _inside_crop(box: Box, name: str, role: str, crop: Box, spec, sidecar: Sidecar,
                 problems: list[Problem], steps_file: str, step: Step, lang: str) -> None:
    if box[0] < crop[0] or box[1] < crop[1] or box[2] > crop[2] or box[3] > crop[3]:
        problems.append(Problem(steps_file, step.line, f"{role} region '{name}' is outside the crop "
                                f"'around {spec.crop}' (with padding {spec.padding}) in {sidecar.file}; "
                                "crop around a region that contains it, or raise 'padding'",
                                step.id, lang))


def open_screenshot(data: bytes, shown: str, step: str | None, lang: str | None,
                    expected: tuple[int, int] | None = None) -> tuple[Image.Image | None, list[Problem]]:
    """Decode a screenshot into RGB pixels, or explain why it cannot be used."""
    return _open(data, shown, step, lang, expected, decode=True)


def screenshot_problems(data: bytes, shown: str, step: str | None, lang: str | None,
                        expected: tuple[int, int] | None = None) -> list[Problem]:
    """What open_screenshot would refuse, found without decoding a PNG's pixels (`make check`).

    A PNG's verify() reads every chunk and checks its CRC up to the end, so a truncated or damaged
    file is refused here in a few milliseconds instead of the 40 ms of a full decode. Only a file
    made to pass its CRCs with a broken stream inside gets through: drawing its crop then refuses it
    with the same message. Pillow verifies nothing of a JPEG or WebP, so those are decoded.
    """
    return _open(data, shown, step, lang, expected, decode=False)[1]


def _open(data: bytes, shown: str, step: str | None, lang: str | None,
          expected: tuple[int, int] | None, decode: bool) -> tuple[Image.Image | None, list[Problem]]:
    def problem(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(shown, 0, message, step, lang)]

    try:
        with warnings.catch_warnings(), _truncation_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise Image.DecompressionBombError
                if expected is not None and (width, height) != expected:
                    return problem(f"the image is {width}x{height} pixels but its regions file says "
                                   f"{expected[0]}x{expected[1]}; the regions belong to another "
                                   "screenshot: re-run `make capture` or fix 'size' and the boxes")
                is_png = probe.format == "PNG"  # verify() checks only a PNG
                probe.verify()
            if is_png and not decode:
                return None, []
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                image.load()
                return (_to_rgb(image) if decode else None), []
    except UnidentifiedImageError:
        return problem(f"not a PNG, JPEG or WebP image ({_looks_like(data)}); save the screenshot "
                       "as PNG")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return problem(f"the image is larger than {MAX_PIXELS / 1e6:g} megapixels; take a "
                       "smaller screenshot (a window of at most 2560x1600 at scale 2)")
    except (OSError, SyntaxError, ValueError, EOFError):
        return problem("the image is damaged or truncated; take or capture the screenshot again")


@contextmanager
def _truncation_refused() -> Iterator[None]:
    """Pillow's loading of a truncated file as an error, whatever the process set: importing
    WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES for good, and a build imports it before it
    checks or draws the next guide's screenshots (a cut JPEG then decoded as a grey picture)."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _looks_like(data: bytes) -> str:
    head = data[:16].lstrip()
    for magic, name in MAGIC:
        if head.startswith(magic):
            return f"it is {name}"
    if not data:
        return "the file is empty"
    if b"\0" in data[:512]:
        return "its format is unknown"
    return "it is a text file"
