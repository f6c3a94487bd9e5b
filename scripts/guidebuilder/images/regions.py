"""The named regions of a screenshot: `<page>.regions.json` beside `<page>.png`.

Written by `make capture` or by hand. Strict like steps.yaml: unknown keys are errors, boxes are four
non-negative integers in image pixels, and every box lies inside the image. A region may record
`text_px`, the size of the smallest text in it in CSS pixels (capture measures it), which the
legibility check uses, and `radius`, its rounded corners' radius, which `isolate:` follows. The
file says where the screenshot comes from (`provenance`: a recreated page, the real site, or taken
by hand), which the notice under each picture follows. Every problem names the sidecar file, the
step and the language that use it, and says what to do.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from guidebuilder.errors import Problem
from guidebuilder.limits import MAX_NESTING, MAX_REGIONS_BYTES, read_capped

TOP_KEYS = {"image", "size", "scale", "source", "regions", "provenance"}
# Where a screenshot comes from: a recreated page (guide/mockups/), the real site captured, or a
# screenshot taken by hand. The notice under its picture says so.
PROVENANCES = ("recreated", "real", "hand")
REGION_KEYS = {"box", "text", "text_px", "radius"}
MAX_TEXT_PX = 200
MAX_RADIUS = 5000
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FIX = "fix it by hand or re-run `make capture`"
# A JSON string (group 1: its raw text; group 2: the colon that makes it a key) or a bracket.
_TOKEN = re.compile(r'"((?:[^"\\]+|\\.)*)"(\s*:)?|[\[\]{}]')


@dataclass(frozen=True)
class Region:
    name: str
    box: tuple[int, int, int, int]  # x, y, width, height in image pixels
    text: str = ""
    text_px: float | None = None  # size of its smallest text, CSS px (font size)
    radius: float = 0  # its rounded corners' radius, CSS px (isolate follows the element's shape)

    @property
    def edges(self) -> tuple[int, int, int, int]:
        """left, top, right, bottom (right and bottom exclusive)."""
        x, y, w, h = self.box
        return x, y, x + w, y + h


@dataclass(frozen=True)
class Sidecar:
    file: str  # as shown in messages, e.g. guide/screenshots/fr/home.regions.json
    size: tuple[int, int]
    scale: int
    regions: Mapping[str, Region]
    provenance: str = "recreated"  # one of PROVENANCES
    image: str | None = None
    source: str | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, name: str) -> int:
        """The line where region `name` is defined, for messages (0 when unknown)."""
        return self.lines.get(name, 0)

    def describe(self) -> str:
        """The region names, for 'which regions exist' in messages."""
        return ", ".join(sorted(self.regions)) or "none"


def sidecar_path(screenshot: Path) -> Path:
    """guide/screenshots/fr/home.png -> guide/screenshots/fr/home.regions.json"""
    return screenshot.with_suffix(".regions.json")


def read_sidecar(path: Path, shown: str) -> bytes:
    """The sidecar's bytes. Raises OSError if it cannot be opened, GuideError if it is not a regular
    file or is over MAX_REGIONS_BYTES."""
    return read_capped(path, shown, MAX_REGIONS_BYTES,
                       "check that this is the right file or re-run `make capture`")


def parse_sidecar(raw: bytes, shown: str, step: str | None, lang: str | None
                  ) -> tuple[Sidecar | None, list[Problem]]:
    """Parse and validate one sidecar's bytes. Returns (sidecar or None, problems)."""
    problems: list[Problem] = []
    text = raw.decode("utf-8", errors="replace")

    def problem(message: str, line: int = 0) -> None:
        problems.append(Problem(shown, line, message, step, lang))

    key_lines, deep_line = _scan(text)
    if deep_line:  # json.loads recurses once per level: refuse before it can run out of stack
        problem(f"lists and objects are nested more than {MAX_NESTING} levels deep here (a regions "
                f"file needs 4); {FIX}", deep_line)
        return None, problems
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem(f"not valid JSON ({exc.msg}, column {exc.colno}); {FIX}", exc.lineno)
        return None, problems
    except ValueError:  # Python refuses to convert integers of more than 4300 digits
        problem(f"not valid JSON (a number in it is too long to be a pixel count); {FIX}")
        return None, problems
    if not isinstance(data, dict):
        problem(f"must be a JSON object with 'size' and 'regions'; {FIX}")
        return None, problems
    for key in sorted(set(data) - TOP_KEYS):
        problem(f"unknown key '{key}'; allowed keys: {', '.join(sorted(TOP_KEYS))}",
                key_lines.get(key, 0))
    size = _size(data.get("size"), problem, key_lines)
    scale = data.get("scale", 2)
    if type(scale) is not int or not 1 <= scale <= 4:
        problem(f"'scale' must be 1, 2, 3 or 4 (the device pixel ratio), not {scale!r}",
                key_lines.get("scale", 0))
        scale = 2
    provenance = data.get("provenance")
    if provenance not in PROVENANCES:
        choices = ", ".join(f'"{p}"' for p in PROVENANCES)
        what = "is missing" if "provenance" not in data else f"is {provenance!r}"
        problem(f"'provenance' {what}; write where the screenshot comes from: \"provenance\": "
                f"{choices} (a recreated page, the real site, a screenshot taken by hand)",
                key_lines.get("provenance", 0))
    for key in ("image", "source"):
        if key in data and not isinstance(data[key], str):
            problem(f"'{key}' must be text, not {type(data[key]).__name__}", key_lines.get(key, 0))
    regions = _regions(data.get("regions"), size, problem, key_lines)
    if problems or size is None:
        return None, problems
    lines = MappingProxyType({name: key_lines.get(name, 0) for name in regions})
    return Sidecar(shown, size, scale, MappingProxyType(regions), provenance, data.get("image"),
                   data.get("source"), lines), problems


def _size(value, problem, key_lines: dict[str, int]) -> tuple[int, int] | None:
    if value is None:
        problem(f"'size' is missing; write the image's size in pixels: \"size\": [width, height]; {FIX}")
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(type(v) is int and v > 0 for v in value)):
        problem(f"'size' must be [width, height] in pixels (two positive integers), not {value!r}",
                key_lines.get("size", 0))
        return None
    return value[0], value[1]


def _regions(value, size, problem, key_lines: dict[str, int]) -> dict[str, Region]:
    if not isinstance(value, dict):
        problem("'regions' is missing or not an object; write \"regions\": {\"name\": {\"box\": "
                f"[x, y, width, height], \"text\": \"...\"}}; {FIX}", key_lines.get("regions", 0))
        return {}
    regions = {}
    for name, spec in value.items():
        line = key_lines.get(name, 0)
        where = f"region '{name}'"
        if not NAME.match(name):
            problem(f"{where}: a region name uses lowercase letters, digits and dashes, "
                    "e.g. more-button", line)
            continue
        if not isinstance(spec, dict):
            problem(f"{where} must be an object with 'box' and 'text'", line)
            continue
        for key in sorted(set(spec) - REGION_KEYS):
            problem(f"{where}: unknown key '{key}'; allowed keys: box, text, text_px, radius", line)
        box = spec.get("box")
        if (not isinstance(box, list) or len(box) != 4
                or not all(type(v) is int and v >= 0 for v in box)):
            problem(f"{where}: 'box' must be [x, y, width, height], four non-negative integers "
                    f"in image pixels, not {box!r}", line)
            continue
        if box[2] == 0 or box[3] == 0:
            problem(f"{where}: the box {box} is empty (width or height 0); the element was not "
                    f"visible when captured; {FIX}", line)
            continue
        if size and (box[0] + box[2] > size[0] or box[1] + box[3] > size[1]):
            problem(f"{where}: the box {box} lies outside the image ({size[0]}x{size[1]} pixels: "
                    f"it reaches x={box[0] + box[2]}, y={box[1] + box[3]}); {FIX}", line)
            continue
        label = spec.get("text", "")
        if not isinstance(label, str):
            problem(f"{where}: 'text' must be text, not {type(label).__name__}", line)
            continue
        size_px = spec.get("text_px")
        if size_px is not None and (type(size_px) not in (int, float)
                                    or not 1 <= size_px <= MAX_TEXT_PX):
            problem(f"{where}: 'text_px' must be the size of its text in CSS pixels, a number from 1 "
                    f"to {MAX_TEXT_PX}, not {size_px!r}", line)
            continue
        radius = spec.get("radius", 0)
        if type(radius) not in (int, float) or not 0 <= radius <= MAX_RADIUS:
            problem(f"{where}: 'radius' must be its corners' radius in CSS pixels, a number from 0 "
                    f"to {MAX_RADIUS}, not {radius!r}", line)
            continue
        regions[name] = Region(name, (box[0], box[1], box[2], box[3]), label, size_px, radius)
    return regions


def _scan(text: str) -> tuple[dict[str, int], int]:
    """One pass over the JSON text: the line (1-based) of each key's first `"key":`, and the line
    where nesting first goes deeper than MAX_NESTING (0 if it never does)."""
    key_lines: dict[str, int] = {}
    line, position, depth = 1, 0, 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return key_lines, line
        elif token in ("]", "}"):
            depth -= 1
        elif match.group(2):
            key = match.group(1)
            if "\\" in key:
                try:
                    key = json.loads(f'"{key}"')
                except ValueError:
                    continue
            key_lines.setdefault(key, line)
    return key_lines, 0


def normalise(text: str) -> str:
    """Whitespace-normalised text, for comparing a label with what a screenshot shows."""
    return " ".join(unicodedata.normalize("NFC", text).split())
