"""The handout's fonts, and the check that they have a glyph for every character we print.

WeasyPrint (through Pango and fontconfig) quietly falls back to any installed font, or draws an
empty box, when the declared fonts lack a character; the PDF then depends on the machine or shows
tofu. So the handout declares its own font stack (below, embedded through @font-face) and every
character of every text is looked up in those fonts' character maps before anything is rendered.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from guidebuilder.errors import BuildError, GuideError, Problem
from guidebuilder.model import Guide

FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu"))
FONT_PACKAGES = "fonts-noto-core and fonts-dejavu-core (run `make setup`)"
FONT_FIX = "replace it, or add a font that has it to HANDOUT_FONTS in scripts/guidebuilder/handout/fonts.py"


@dataclass(frozen=True)
class FontFace:
    family: str  # the name the stylesheet uses
    file: str  # a file name in one of FONT_DIRS
    weight: int = 400
    style: str = "normal"
    split_ligatures: bool = False  # embed the copy of ligatures.py (Arabic text that copies right)


# Latin first, then Arabic, then DejaVu for the odd symbol. Arabic handouts put Arabic first.
HANDOUT_FONTS = (
    FontFace("Handout Sans", "NotoSans-Regular.ttf"),
    FontFace("Handout Sans", "NotoSans-Bold.ttf", 700),
    FontFace("Handout Sans", "NotoSans-Italic.ttf", 400, "italic"),
    FontFace("Handout Sans", "NotoSans-BoldItalic.ttf", 700, "italic"),
    FontFace("Handout Arabic", "NotoSansArabic-Regular.ttf", split_ligatures=True),
    FontFace("Handout Arabic", "NotoSansArabic-Bold.ttf", 700, split_ligatures=True),
    FontFace("Handout Symbols", "DejaVuSans.ttf"),
    FontFace("Handout Symbols", "DejaVuSans-Bold.ttf", 700),
)
LATIN_STACK = ("Handout Sans", "Handout Arabic", "Handout Symbols")
ARABIC_STACK = ("Handout Arabic", "Handout Sans", "Handout Symbols")


def family_stack(rtl: bool) -> tuple[str, ...]:
    return ARABIC_STACK if rtl else LATIN_STACK


def font_path(face: FontFace) -> Path:
    for folder in FONT_DIRS:
        if (folder / face.file).is_file():
            return folder / face.file
    raise BuildError(f"the handout font {face.file} is not installed; install {FONT_PACKAGES}")


def handout_font(face: FontFace, folder: Path) -> Path:
    """The file a handout embeds for `face`: the installed font, or for a face with
    `split_ligatures` its copy made by ligatures.py, kept in `folder` under the hash of the font and
    of that code (made once; a damaged copy is made again)."""
    from guidebuilder.handout import ligatures

    source = font_path(face)
    if not face.split_ligatures:
        return source
    data = source.read_bytes()
    code = Path(ligatures.__file__).read_bytes()
    key = hashlib.sha256(hashlib.sha256(data).digest() + hashlib.sha256(code).digest()).hexdigest()
    target = folder / f"{source.stem}-{key[:20]}{source.suffix}"
    checksum = target.with_name(target.name + ".sha256")
    try:
        if hashlib.sha256(target.read_bytes()).hexdigest() == checksum.read_text(encoding="ascii"):
            return target
    except OSError:
        pass
    patched = ligatures.split_ligatures(data)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{source.stem}-*"):  # an older font or older code
        old.unlink(missing_ok=True)
    for path, content in ((target, patched), (checksum, hashlib.sha256(patched).hexdigest().encode())):
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(content)
        temporary.replace(path)
    return target


@cache
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def covered() -> frozenset[int]:
    """Code points every weight of the stack can draw (regular and bold, upright)."""
    by_weight: dict[int, set[int]] = {}
    for face in HANDOUT_FONTS:
        if face.style == "normal":
            by_weight.setdefault(face.weight, set()).update(_cmap(font_path(face)))
    return frozenset(set.intersection(*by_weight.values()))


def _needs_glyph(char: str) -> bool:
    # Line breaks and invisible format characters (joiners, marks) are not drawn as glyphs.
    return unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp"}


@dataclass(frozen=True)
class Text:
    """One text the handout prints, and where a person would fix it."""

    value: str
    file: str
    line: int
    lang: str
    step: str | None = None
    where: str | None = None
    end: int = 0  # the last line it can be on (0: the end of the file)


def check_coverage(texts: Iterable[Text], sources: Mapping[str, list[str]] | None = None) -> None:
    """Raise GuideError naming each character no handout font has, with file, line, step, language.

    `sources` maps a file name to its lines, to point at the exact line holding the character.
    """
    have = covered()
    problems: dict[tuple, Problem] = {}
    for text in texts:
        for char in dict.fromkeys(text.value):
            if ord(char) in have or not _needs_glyph(char):
                continue
            line = _line_of(char, (sources or {}).get(text.file), text.line, text.end)
            message = f"the character '{char}' (U+{ord(char):04X}) is in no handout font; {FONT_FIX}"
            problem = Problem(text.file, line, message, text.step, text.lang, text.where)
            problems.setdefault((text.file, line, text.step, text.lang, char), problem)
    if problems:
        raise GuideError(list(problems.values()))


def _line_of(char: str, lines: list[str] | None, start: int, end: int) -> int:
    """The first line from `start` to `end` holding the character (the start line if none does)."""
    if not lines:
        return start
    for number in range(max(start, 1), min(end or len(lines), len(lines)) + 1):
        if char in lines[number - 1]:
            return number
    return start


def guide_texts(guide: Guide, lang: str, strings: Mapping[str, str], extra: Iterable[str] = ()) -> list[Text]:
    """Every text a handout in `lang` prints, each with the place it comes from."""
    file = guide.file.name
    first_step = guide.steps[0].line if guide.steps else 0
    meta = guide.text(lang)
    texts = [Text(value, file, 1, lang, where="guide", end=max(first_step - 1, 0))
             for value in (meta.title, meta.summary, meta.mobile_note, guide.source.title,
                           guide.source.publisher, guide.url_for(lang), *extra)]
    ends = [step.line - 1 for step in guide.steps[1:]] + [0]
    for step, end in zip(guide.steps, ends, strict=True):
        step_text = step.text(lang)
        for value in (step_text.title, step_text.body, step_text.tip or ""):
            texts.append(Text(value, file, step.line, lang, step=step.id, end=end))
    shown = f"guide/strings/{lang}.yaml"
    texts.extend(Text(value, shown, 1, lang) for value in strings.values())
    return texts


def source_lines(guide: Guide, langs: Iterable[str]) -> dict[str, list[str]]:
    """The lines of steps.yaml and of the strings files, for `check_coverage`."""
    files = {guide.file.name: guide.file}
    files.update({f"guide/strings/{lang}.yaml": guide.root / "guide" / "strings" / f"{lang}.yaml"
                  for lang in langs})
    result = {}
    for shown, path in files.items():
        try:
            result[shown] = path.read_text(encoding="utf-8").split("\n")
        except OSError:
            continue
    return result
