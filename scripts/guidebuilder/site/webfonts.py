"""Self-hosted web fonts: Debian's Noto Sans and Noto Sans Arabic, subset to WOFF2 once and cached.

The site never asks a font server for anything. Each face is cut down to the scripts the guide uses
(Latin, Arabic) so a phone downloads tens of kilobytes, not megabytes; the stylesheet declares the
matching `unicode-range`, so a French page never downloads the Arabic face unless it shows Arabic.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from guidebuilder import platform
from guidebuilder.store import Kind, Store

FONTS = Kind("fonts", packages=("site",), modules=("source/strings.py",),
             libraries=("fonttools", "Brotli"))

# Keep in step with the unicode-range lines of overrides/assets/stylesheets/fonts.css.
LATIN = "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122"
# The Arabic alphabet, its punctuation and digits, and the letters Persian and Urdu loanwords use.
ARABIC = ("U+060C,U+061B,U+061F,U+0621-0655,U+0660-066D,U+0670,U+067E,U+0686,U+0698,U+06A4,"
          "U+06A9,U+06AF,U+06CC,U+200C-200F,U+FD3E-FD3F")


@dataclass(frozen=True)
class FontFace:
    source: str  # a font file of platform.FONT_FILES
    published: str  # file name under assets/fonts/
    unicodes: str


FACES = (
    FontFace("NotoSans-Regular.ttf", "noto-sans-latin-400.woff2", LATIN),
    FontFace("NotoSans-Bold.ttf", "noto-sans-latin-700.woff2", LATIN),
    FontFace("NotoSansArabic-Regular.ttf", "noto-sans-arabic-400.woff2", ARABIC),
    FontFace("NotoSansArabic-Bold.ttf", "noto-sans-arabic-700.woff2", ARABIC),
)


def web_fonts(store: Store) -> dict[str, Path]:
    """Published file name -> subset WOFF2 in the store, made only when its inputs changed."""
    return {face.published: _subset(platform.font_path(face.source), face, store) for face in FACES}


def _subset(source: Path, face: FontFace, store: Store) -> Path:
    key = store.key(FONTS, source.read_bytes(), face.unicodes, face.published)
    entry = store.get(FONTS, key)
    if entry is None:
        entry = store.put(FONTS, key, {face.published: _subset_bytes(source, face)})
    return entry.file(face.published)


def _subset_bytes(source: Path, face: FontFace) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Arabic needs its joining forms and ligatures
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence names
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(face.unicodes))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()
