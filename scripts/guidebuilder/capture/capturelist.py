"""The capture list (guide/capture.yaml): which pages to photograph, and which regions to record.

Read once, checked strictly (unknown keys, wrong types, unknown region names are errors with their
line), and turned into immutable objects. A region is found on the page by a CSS selector, by its
visible text (one text, or one per language), or is the union of other regions of the same page.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from guidebuilder.errors import GuideError, Problem
from guidebuilder.source import yamlsource

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
TOP_KEYS = ("languages", "scale", "viewport", "output", "regions", "pages")
PAGE_KEYS = ("url", "viewport", "scale", "full_page", "clip", "click", "wait_for", "regions")
REGION_KEYS = ("selector", "text", "within", "closest", "union")
# No scheme: a file under the list's folder. A file is a recreated page, http(s) the real site.
URL_SCHEMES = ("", "file", "http", "https")


@dataclass(frozen=True)
class Viewport:
    width: int
    height: int


@dataclass(frozen=True)
class Locator:
    """How to find one element: a CSS selector, or a visible text (per language); optionally only
    inside the first element matching `within`, and optionally the closest ancestor matching
    `closest` instead of the element found."""

    selector: str | None = None
    text: Mapping[str, str] | None = None  # language (or "*") -> text
    closest: str | None = None
    within: str | None = None

    def text_for(self, lang: str) -> str | None:
        if self.text is None:
            return None
        return self.text.get(lang, self.text.get("*"))

    def describe(self, lang: str) -> str:
        found = f"selector '{self.selector}'" if self.selector else f"text '{self.text_for(lang)}'"
        if self.within:
            found += f" within '{self.within}'"
        return found + (f" (closest '{self.closest}')" if self.closest else "")


@dataclass(frozen=True)
class Region:
    name: str
    line: int
    locator: Locator | None = None
    union: tuple[str, ...] = ()  # names of other regions of the page


@dataclass(frozen=True)
class Page:
    name: str
    line: int
    url: str  # may hold {lang}; relative URLs are files under the list's folder (file: or http(s))
    viewport: Viewport
    regions: tuple[Region, ...]
    scale: int = 2  # device pixels per CSS pixel; the list's own scale unless the page sets one
    full_page: bool = False
    clip: str | None = None  # a region name: the image is cut to that region
    click: tuple[Locator, ...] = ()
    wait_for: str | None = None

    def url_for(self, lang: str) -> str:
        return self.url.replace("{lang}", lang)


@dataclass(frozen=True)
class CaptureList:
    file: str  # as shown in messages
    folder: Path  # relative URLs and the output path start here
    languages: tuple[str, ...]
    scale: int  # the default of every page (a phone screen sets its own: 3)
    output: str  # with {lang} and {page}
    pages: tuple[Page, ...] = field(default_factory=tuple)

    def output_for(self, lang: str, page: str) -> Path:
        return self.folder / self.output.replace("{lang}", lang).replace("{page}", page)


def load(path: Path, display: str | None = None) -> CaptureList:
    """Read and check a capture list; every problem is raised together as one GuideError."""
    source = yamlsource.load(path, display or path.name)
    reader = _Reader(source)
    result = reader.capture_list(path.resolve().parent)
    if reader.problems:
        raise GuideError(reader.problems)
    return result


class _Reader:
    def __init__(self, source: yamlsource.Source):
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str, where: str | None = None) -> None:
        self.problems.append(Problem(self.source.file, self.source.line(path), message,
                                     where=where))

    def mapping(self, value: object, path: tuple, allowed: tuple[str, ...], what: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"{what} must be a mapping of keys to values")
            return {}
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
                self.fail((*path, key), f"unknown key '{key}' in {what}; {hint}")
        return value

    def text(self, value: object, path: tuple, what: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        self.fail(path, f"{what} must be a non-empty text")
        return None

    def number(self, value: object, path: tuple, what: str, low: int, high: int) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.fail(path, f"{what} must be a whole number from {low} to {high}")
        return None

    def capture_list(self, folder: Path) -> CaptureList:
        data = self.mapping(self.source.data, (), TOP_KEYS, "the capture list")
        for key in ("languages", "pages"):
            if key not in data and isinstance(self.source.data, dict):
                self.fail((), f"missing key '{key}'")
        languages = self.languages(data.get("languages", []))
        scale = self.number(data.get("scale", 2), ("scale",), "scale", 1, 4) or 2
        output = data.get("output", "screenshots/{lang}/{page}.png")
        if not (isinstance(output, str) and "{lang}" in output and "{page}" in output
                and output.endswith(".png")):
            self.fail(("output",), "output must be a .png path holding {lang} and {page}")
        viewport = self.viewport(data.get("viewport"), ("viewport",)) or Viewport(1280, 800)
        common = self.regions(data.get("regions", {}), ("regions",), languages)
        pages = data.get("pages", {})
        if not isinstance(pages, dict) or not pages:
            self.fail(("pages",), "pages must map each page name to its url and regions")
            pages = {}
        return CaptureList(self.source.file, folder, languages, scale, str(output), tuple(
            self.page(name, spec, viewport, scale, common, languages)
            for name, spec in pages.items()))

    def languages(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail(("languages",), "languages must be a list of language codes, e.g. [fr, en]")
            return ()
        for i, code in enumerate(value):
            if not (isinstance(code, str) and LANG.match(code)):
                self.fail(("languages", i), f"'{code}' is not a language code such as fr or pt-BR")
        return tuple(str(code) for code in value)

    def viewport(self, value: object, path: tuple) -> Viewport | None:
        if value is None:
            return None
        data = self.mapping(value, path, ("width", "height"), "viewport")
        width = self.number(data.get("width"), (*path, "width"), "viewport width", 200, 4000)
        height = self.number(data.get("height"), (*path, "height"), "viewport height", 200, 8000)
        return Viewport(width, height) if width and height else None

    def page(self, name: str, spec: object, viewport: Viewport, scale: int,
             common: dict[str, Region], languages: tuple[str, ...]) -> Page:
        path = ("pages", name)
        where = f"page '{name}'"
        if not NAME.match(name):
            self.fail(path, "page names use lower-case letters, digits and hyphens", where)
        data = self.mapping(spec, path, PAGE_KEYS, where)
        if "url" not in data and isinstance(spec, dict):
            self.fail(path, "missing key 'url'", where)
        url = self.text(data.get("url", "?"), (*path, "url"), "url") or "?"
        if urlsplit(url).scheme not in URL_SCHEMES:
            self.fail((*path, "url"), "url must be a file (relative to the capture list, or "
                      "file:) or an http(s) address", where)
        regions = {**common, **self.regions(data.get("regions", {}), (*path, "regions"),
                                            languages)}
        for region in regions.values():
            for member in region.union:
                if member not in regions or regions[member].union:
                    self.problems.append(Problem(
                        self.source.file, region.line, f"region '{region.name}': union names "
                        f"'{member}', which is not a selector or text region of this page", where=where))
        clip = data.get("clip")
        if clip is not None and clip not in regions:
            self.fail((*path, "clip"), f"clip names '{clip}', which is not a region of this page",
                      where)
        clicks = data.get("click", [])
        if not isinstance(clicks, list):
            self.fail((*path, "click"), "click must be a list of selectors or {text: ...}", where)
            clicks = []
        click = [self.locator(c, (*path, "click", i), languages) for i, c in enumerate(clicks)]
        wait_for = data.get("wait_for")
        if wait_for is not None:
            wait_for = self.text(wait_for, (*path, "wait_for"), "wait_for")
        full_page = data.get("full_page", False)
        if not isinstance(full_page, bool):
            self.fail((*path, "full_page"), "full_page must be true or false", where)
        if "scale" in data:
            scale = self.number(data["scale"], (*path, "scale"), f"{where}: scale", 1, 4) or scale
        return Page(
            name, self.source.line(path), url,
            self.viewport(data.get("viewport"), (*path, "viewport")) or viewport,
            tuple(sorted(regions.values(), key=lambda r: r.name)), scale, full_page is True,
            clip if isinstance(clip, str) else None, tuple(c for c in click if c), wait_for)

    def regions(self, value: object, path: tuple, languages: tuple[str, ...]) -> dict[str, Region]:
        if not isinstance(value, dict):
            self.fail(path, "regions must map each region name to a selector, {text: ...} "
                      "or {union: [...]}")
            return {}
        regions = {}
        for name, spec in value.items():
            here = (*path, name)
            if not NAME.match(name):
                self.fail(here, f"region '{name}': names use lower-case letters, digits, hyphens")
            line = self.source.line(here)
            if isinstance(spec, dict) and "union" in spec:
                self.mapping(spec, here, ("union",), f"region '{name}'")
                members = spec["union"]
                if not (isinstance(members, list) and len(members) >= 2
                        and all(isinstance(m, str) for m in members)):
                    self.fail(here, f"region '{name}': union must list two or more region names")
                    members = []
                regions[name] = Region(name, line, union=tuple(members))
            else:
                locator = self.locator(spec, here, languages, f"region '{name}'")
                regions[name] = Region(name, line, locator=locator)
        return regions

    def locator(self, spec: object, path: tuple, languages: tuple[str, ...],
                what: str = "click") -> Locator | None:
        if isinstance(spec, str):
            return Locator(selector=spec) if spec.strip() else self.text(spec, path, what)
        data = self.mapping(spec, path, tuple(k for k in REGION_KEYS if k != "union"), what)
        if not data:
            return None
        if ("selector" in data) == ("text" in data):
            self.fail(path, f"{what}: give either selector or text")
            return None
        closest, within = (
            self.text(data[key], (*path, key), f"{what}: {key}") if key in data else None
            for key in ("closest", "within"))
        if "selector" in data:
            selector = self.text(data["selector"], (*path, "selector"), what)
            return Locator(selector, None, closest, within)
        text = data["text"]
        if isinstance(text, str) and text.strip():
            return Locator(None, MappingProxyType({"*": text}), closest, within)
        if isinstance(text, dict):
            missing = [lang for lang in languages if lang not in text]
            unknown = [lang for lang in text if lang not in languages]
            if missing or unknown or not all(isinstance(t, str) and t for t in text.values()):
                self.fail((*path, "text"), f"{what}: text must give one text per language "
                          f"({', '.join(languages)})")
                return None
            return Locator(None, MappingProxyType(dict(text)), closest, within)
        self.fail((*path, "text"), f"{what}: text must be a text or a mapping language -> text")
        return None
