"""Photograph pages and record their named regions: `python -m guidebuilder capture`.

For each language and page of a capture list, open the URL in Debian's Chromium at a fixed viewport
and scale (the list's, or the page's own: a phone screen is 390 x 844 at 3), save `<page>.png`
(re-encoded by Pillow: no metadata) and beside it `<page>.regions.json`:

    {"image": "home.png", "size": [w, h], "scale": 2, "source": "mockups/fr/home.html",
     "provenance": "recreated",
     "regions": {"nav": {"box": [x, y, w, h], "text": "Home\\nExplore", "text_px": 20}}}

Boxes are the image pixels wholly inside each element, texts are the elements' visible text, and
text_px the CSS font size of the smallest visible text in each. `provenance` says what was
photographed: "recreated" for a local file (a mockup), "real" for an http(s) page, so the notice
under a picture can follow it. The same sidecar can be written by hand for a screenshot taken by
hand.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

from guidebuilder.capture.browser import launch
from guidebuilder.capture.capturelist import CaptureList, Locator, Page, Region
from guidebuilder.errors import BuildError, GuideError, Problem
from guidebuilder.store import atomic_write

# Freeze what moves, so two captures of the same page give the same pixels.
FREEZE_CSS = """*, *::before, *::after { animation: none !important; transition: none !important;
  caret-color: transparent !important; scroll-behavior: auto !important; }
html { scrollbar-width: none !important; }"""
# Geometry in document CSS pixels, the visible text of one element (or of its `closest` ancestor),
# the font size of its smallest visible text (for the legibility check) and its corner radius (for
# isolate:, which follows the element's shape).
MEASURE_JS = """(el, closest) => {
  const target = closest ? el.closest(closest) : el;
  if (!target) return null;
  const r = target.getBoundingClientRect();
  let smallest = 0;
  const walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || !parent || !parent.getClientRects().length) continue;
    const style = getComputedStyle(parent);
    if (style.visibility !== "visible" || style.display === "none") continue;
    const size = parseFloat(style.fontSize);
    if (size > 0 && (!smallest || size < smallest)) smallest = size;
  }
  const corners = getComputedStyle(target);
  const radius = Math.min(r.width / 2, r.height / 2, Math.max(...["TopLeft", "TopRight",
    "BottomLeft", "BottomRight"].map((c) => parseFloat(corners[`border${c}Radius`]) || 0)));
  return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height,
          text: target.innerText || target.textContent || "", text_px: smallest, radius};
}"""
LOCATE_TIMEOUT_MS = 3000
EPSILON = 0.01  # of an image pixel: layout arithmetic is not exact
# A "box" or "size" list in indented JSON (a line starting so cannot be inside a JSON string).
NUMBER_LIST = re.compile(r'^(\s*"(?:box|size)": )\[([-\d,\s]*)\]', re.MULTILINE)


def capture(capture_list: CaptureList, *, languages: Iterable[str] | None = None,
            pages: Iterable[str] | None = None, storage_state: Path | None = None,
            log: Callable[[str], None] = print) -> list[Path]:
    """Capture every (language, page) asked for; returns the PNGs written. Raises GuideError
    naming page, language and region for everything that could not be found."""
    langs = _pick(languages, capture_list.languages, "language", "--lang", capture_list)
    names = _pick(pages, [p.name for p in capture_list.pages], "page", "--page", capture_list)
    if storage_state is not None and not storage_state.is_file():
        raise BuildError(f"--storage-state {storage_state}: no such file")
    shots, problems = [], []
    with launch() as browser:
        for lang in langs:
            for page in (p for p in capture_list.pages if p.name in names):
                try:
                    png, sidecar = _shoot(browser, capture_list, page, lang, storage_state)
                except GuideError as exc:
                    problems.extend(exc.problems)
                    continue
                shots.append((capture_list.output_for(lang, page.name), png, sidecar))
    if problems:  # all or nothing: a half-refreshed set of screenshots would mix interfaces
        raise GuideError(problems)
    for target, png, sidecar in shots:
        _write(target, png, sidecar)
        log(f"capture: {_shown(target, capture_list.folder)} ({len(sidecar['regions'])} regions)")
    return [target for target, _, _ in shots]


def _pick(asked: Iterable[str] | None, known: Iterable[str], what: str, option: str,
          capture_list: CaptureList) -> list[str]:
    known = list(known)
    asked = list(asked) if asked else known
    unknown = [a for a in asked if a not in known]
    if unknown:
        raise GuideError(Problem(capture_list.file, 0, f"{option} {', '.join(unknown)}: no such "
                                 f"{what} in the capture list (known: {', '.join(known)})"))
    return [k for k in known if k in asked]


def _shoot(browser, capture_list: CaptureList, page: Page, lang: str,
           storage_state: Path | None) -> tuple[bytes, dict]:
    """One screenshot (PNG bytes, pixels only) and its sidecar."""
    url = _absolute_url(page.url_for(lang), capture_list.folder)
    problem = _problem_maker(capture_list, page, lang)
    context = browser.new_context(
        viewport={"width": page.viewport.width, "height": page.viewport.height},
        device_scale_factor=page.scale, locale=lang, timezone_id="UTC",
        color_scheme="light", reduced_motion="reduce",
        storage_state=str(storage_state) if storage_state else None)
    blocked: list[str] = []
    if url.startswith("file:"):  # a recreated page must not reach the network
        context.route("**/*", lambda route: _files_only(route, blocked))
    try:
        tab = context.new_page()
        _prepare(tab, url, page, lang, problem)
        boxes = _measure(tab, page, lang, problem)
        png = tab.screenshot(full_page=page.full_page, animations="disabled", caret="hide")
        scroll = (0, 0) if page.full_page else tuple(tab.evaluate("[scrollX, scrollY]"))
    finally:
        context.close()
    if blocked:
        raise GuideError(problem(page.line, "the page asked for the network, which a recreated "
                                 f"page must never do: {', '.join(sorted(set(blocked)))}"))
    return _image_and_sidecar(png, boxes, scroll, capture_list, page, lang, problem)


def _prepare(tab, url: str, page: Page, lang: str, problem) -> None:
    """Open the page, do its clicks, wait for what it names, and freeze what moves."""
    try:
        tab.goto(url, wait_until="load", timeout=60_000)
        for locator in page.click:
            _element(tab, locator, lang, problem, page.line, "click").click(timeout=10_000)
            tab.wait_for_timeout(300)
    except GuideError:
        raise
    except Exception as exc:  # Playwright's errors carry the browser's reason
        raise GuideError(problem(page.line, f"cannot open {url}: {_first_line(exc)}")) from None
    if page.wait_for:
        _element(tab, Locator(selector=page.wait_for), lang, problem, page.line, "wait_for")
    tab.add_style_tag(content=FREEZE_CSS)
    tab.evaluate("document.fonts.ready.then(() => true)")


def _image_and_sidecar(png: bytes, boxes: dict[str, dict], scroll: tuple[float, float],
                       capture_list: CaptureList, page: Page, lang: str,
                       problem) -> tuple[bytes, dict]:
    """Re-encode the screenshot (cut to `clip` if asked) and turn CSS boxes into image pixels."""
    image = Image.open(io.BytesIO(png))
    image.load()
    image = image.convert("RGB")
    offset = (0, 0)
    if page.clip:
        corners = _pixels(boxes[page.clip], scroll, page.scale, as_corners=True)
        image = image.crop(corners)
        offset = (corners[0], corners[1])
    regions = {}
    for name, box in sorted(boxes.items()):
        x, y, w, h = _pixels(box, scroll, page.scale)
        pixels = _clamp([x - offset[0], y - offset[1], w, h], image.size)
        if pixels is None:
            raise GuideError(problem(_region(page, name).line, f"region '{name}' lies outside "
                                     "the screenshot; use full_page: true or a taller viewport"))
        regions[name] = {"box": pixels, "text": box["text"]}
        if box["text"] and box.get("text_px"):
            regions[name]["text_px"] = _css_px(box["text_px"])
        if box.get("radius"):
            regions[name]["radius"] = _css_px(box["radius"])
    sidecar = {"image": capture_list.output_for(lang, page.name).name, "size": list(image.size),
               "scale": page.scale, "regions": regions,
               "source": _source(page.url_for(lang), capture_list.folder),
               "provenance": provenance(_absolute_url(page.url_for(lang), capture_list.folder))}
    return _png_bytes(image), sidecar


def _measure(tab, page: Page, lang: str, problem) -> dict[str, dict]:
    """Every region of the page in document CSS pixels, with its text; all failures at once."""
    boxes, problems = {}, []
    for region in page.regions:
        if region.union:
            continue
        try:
            element = _element(tab, region.locator, lang, problem, region.line,
                               f"region '{region.name}'")
        except GuideError as exc:
            problems.extend(exc.problems)
            continue
        found = element.evaluate(MEASURE_JS, region.locator.closest)
        if found is None or found["w"] <= 0 or found["h"] <= 0:
            problems.append(problem(region.line, f"region '{region.name}': "
                                    f"{region.locator.describe(lang)} has no visible box"))
            continue
        found["text"] = normalise_text(found["text"])
        boxes[region.name] = found
    for region in page.regions:
        if region.union and all(m in boxes for m in region.union):
            members = [boxes[m] for m in region.union]
            x0 = min(b["x"] for b in members)
            y0 = min(b["y"] for b in members)
            x1 = max(b["x"] + b["w"] for b in members)
            y1 = max(b["y"] + b["h"] for b in members)
            sizes = [b["text_px"] for b in members if b["text"] and b.get("text_px")]
            boxes[region.name] = {"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0,
                                  "text": "\n".join(b["text"] for b in members if b["text"]),
                                  "text_px": min(sizes, default=0)}
    if problems:
        raise GuideError(problems)
    return boxes


def _files_only(route, blocked: list[str]) -> None:
    """Let a recreated page load its own files; refuse, and note, anything else."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        blocked.append(route.request.url)
        route.abort()


def _element(tab, locator: Locator, lang: str, problem, line: int, what: str):
    """The first visible element the locator finds, waiting a little for pages still loading."""
    scope = tab.locator(locator.within).first if locator.within else tab
    if locator.selector:
        found = scope.locator(f"{locator.selector} >> visible=true")
    else:
        found = scope.get_by_text(locator.text_for(lang), exact=True).locator("visible=true")
    try:
        found.first.wait_for(state="visible", timeout=LOCATE_TIMEOUT_MS)
    except Exception as exc:
        reason = "matches nothing on the page" if "Timeout" in type(exc).__name__ + str(
            exc) else f"is not valid: {_first_line(exc).removeprefix('Locator.wait_for: ')}"
        raise GuideError(problem(line, f"{what}: {locator.describe(lang)} {reason}")) from None
    return found.first


def normalise_text(text: str) -> str:
    """Visible text with the spaces of each line collapsed and empty lines dropped."""
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _pixels(box: dict, origin: tuple[float, float], scale: int,
            as_corners: bool = False) -> list[int]:
    """The image pixels wholly inside an element: an edge at a fraction of a pixel leaves its
    antialiased pixel (half the neighbour's) out of the box."""
    x0 = math.ceil((box["x"] - origin[0]) * scale - EPSILON)
    y0 = math.ceil((box["y"] - origin[1]) * scale - EPSILON)
    x1 = math.floor((box["x"] + box["w"] - origin[0]) * scale + EPSILON)
    y1 = math.floor((box["y"] + box["h"] - origin[1]) * scale + EPSILON)
    return [x0, y0, x1, y1] if as_corners else [x0, y0, x1 - x0, y1 - y0]


def _css_px(size: float) -> float | int:
    """A font size as written in the sidecar: 15, or 18.75."""
    size = round(size, 2)
    return int(size) if size == int(size) else size


def _clamp(box: list[int], size: tuple[int, int]) -> list[int] | None:
    x0, y0 = max(box[0], 0), max(box[1], 0)
    x1, y1 = min(box[0] + box[2], size[0]), min(box[1] + box[3], size[1])
    return [x0, y0, x1 - x0, y1 - y0] if x1 > x0 and y1 > y0 else None


def _region(page: Page, name: str) -> Region:
    return next(r for r in page.regions if r.name == name)


def _problem_maker(capture_list: CaptureList, page: Page, lang: str):
    def problem(line: int, message: str) -> Problem:
        return Problem(capture_list.file, line, message, lang=lang, where=f"page '{page.name}'")
    return problem


def _absolute_url(url: str, folder: Path) -> str:
    if urlsplit(url).scheme:
        return url
    return (folder / url).resolve().as_uri()


def provenance(url: str) -> str:
    """What the page is: a local file is a recreated page, an http(s) one the real site."""
    return "recreated" if urlsplit(url).scheme == "file" else "real"


def _source(url: str, folder: Path) -> str:
    """What the sidecar names as the source: the URL, or the path under the list's folder
    (never a local absolute path, which would tell where someone keeps their files)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return Path(url).as_posix()
    if parts.scheme == "file":
        local = Path(unquote(parts.path))
        return local.relative_to(folder).as_posix() if local.is_relative_to(folder) else local.name
    return url


def _png_bytes(image: Image.Image) -> bytes:
    """PNG from pixels only: no text chunks, no ICC profile, no time stamp."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def sidecar_json(sidecar: dict) -> str:
    """Indented JSON with sorted keys; lists of numbers (boxes, sizes) kept on one line."""
    text = json.dumps(sidecar, ensure_ascii=False, indent=2, sort_keys=True)
    return NUMBER_LIST.sub(
        lambda m: m[1] + "[" + ", ".join(re.findall(r"-?\d+", m[2])) + "]", text) + "\n"


def _write(target: Path, png: bytes, sidecar: dict) -> None:
    atomic_write(target, png)
    atomic_write(target.with_suffix(".regions.json"), sidecar_json(sidecar).encode())


def _shown(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
