"""The handout's fonts, and the check that they have a glyph for every character we print.

WeasyPrint (through Pango and fontconfig) quietly falls back to any installed font, or draws an
empty box, when the declared fonts lack a character; the PDF then depends on the machine or shows
tofu. So the handout declares its own font stack (below, embedded through @font-face) and every
character of every text is looked up in those fonts' character maps before anything is rendered.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from guidebuilder import platform
from guidebuilder.errors import GuideError, Problem
from guidebuilder.model import Guide
from guidebuilder.store import Kind, Store

FONT_FIX = "replace it, or add a font that has it to HANDOUT_FONTS in scripts/guidebuilder/handout/fonts.py"


@dataclass(frozen=True)
class FontFace:
    family: str  # the name the stylesheet uses
    file: str  # a font file of platform.FONT_FILES
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
    return platform.font_path(face.file)


FONT_COPIES = Kind("handout-fonts", packages=("handout",), libraries=("fonttools",))


def handout_font(face: FontFace, store: Store) -> Path:
    """The file a handout embeds for `face`: the installed font, or for a face with
    `split_ligatures` its copy made by ligatures.py, kept in the store under the hash of the font and
    of that code (made once; a damaged copy is made again)."""
    from guidebuilder.handout import ligatures

    source = font_path(face)
    if not face.split_ligatures:
        return source
    data = source.read_bytes()
    key = store.key(FONT_COPIES, data)
    entry = store.get(FONT_COPIES, key)
    if entry is None:
        entry = store.put(FONT_COPIES, key, {source.name: ligatures.split_ligatures(data)})
    return entry.file(source.name)


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
    """Every text a handout or the workshop kit in `lang` prints, each with the place it comes
    from."""
    file = guide.file.name
    first_step = guide.steps[0].line if guide.steps else 0
    meta = guide.text(lang)
    notes = [part for note in guide.notes
             for part in (note.text(lang).title or "", note.text(lang).body)]
    paths = [part for path in guide.paths for part in (path.title(lang) or "", path.shortcut or "")]
    own = meta.facilitator
    notes += [*own.before_you_start, *own.materials, own.undo or ""] if own else []
    texts = [Text(value, file, 1, lang, where="guide", end=max(first_step - 1, 0))
             for value in (meta.title, meta.summary, *notes, *paths, guide.source.title,
                           guide.source.publisher, guide.url_for(lang), *extra)]
    ends = [step.line - 1 for step in guide.steps[1:]] + [0]
    for step, end in zip(guide.steps, ends, strict=True):
        step_text = step.text(lang)
        notes_of_step = step_text.facilitator
        kit = ([part for m in notes_of_step.mistakes for part in (m.problem, m.say)]
               + [notes_of_step.note or ""]) if notes_of_step else []
        for value in (step_text.title, step_text.body, step_text.tip or "", step.shortcut or "",
                      *kit):
            texts.append(Text(value, file, step.line, lang, step=step.id, end=end))
    shown = f"guide/strings/{lang}.yaml"
    texts.extend(Text(value, shown, 1, lang) for value in strings.values() if isinstance(value, str))
    texts.extend(Text(value, shown, 1, lang) for value in strings.get("language_names", {}).values())
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
