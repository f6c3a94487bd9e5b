"""The machine: where Debian keeps the fonts and the Chromium the builder uses, and, when one is
missing, the one line saying which Debian package to install.

Every stage asks here (`font_path("NotoSans-Bold.ttf")`, `chromium_path()`); none knows a folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from guidebuilder.errors import BuildError

NOTO, DEJAVU = "fonts-noto-core", "fonts-dejavu-core"
# Debian package -> the folder it installs its fonts into.
FONT_DIRS = {
    NOTO: Path("/usr/share/fonts/truetype/noto"),
    DEJAVU: Path("/usr/share/fonts/truetype/dejavu"),
}
# Every font file a stage uses, and the package that has it: the crops' badge numbers, the
# handouts' embedded fonts and the site's web fonts (each stage names the files it takes from here).
FONT_FILES = {
    "NotoSans-Regular.ttf": NOTO,
    "NotoSans-Bold.ttf": NOTO,
    "NotoSans-Italic.ttf": NOTO,
    "NotoSans-BoldItalic.ttf": NOTO,
    "NotoSansArabic-Regular.ttf": NOTO,
    "NotoSansArabic-Bold.ttf": NOTO,
    "DejaVuSans.ttf": DEJAVU,
    "DejaVuSans-Bold.ttf": DEJAVU,
}
BADGE_FONTS = ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf")  # the first one installed draws badges

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Debian's chromium-headless-shell: the same engine without the browser around it.
HEADLESS_SHELL_CANDIDATES = ("/usr/bin/chromium-headless-shell",)


def font_path(*names: str) -> Path:
    """The first of these font files that is installed; else a BuildError naming its package."""
    for name in names:
        path = FONT_DIRS[FONT_FILES[name]] / name
        if path.is_file():
            return path
    packages = " or ".join(dict.fromkeys(FONT_FILES[name] for name in names))
    raise BuildError(f"font missing: {FONT_DIRS[FONT_FILES[names[0]]] / names[0]}; install the "
                     f"Debian package {packages} (`make setup` as root)")


def chromium_path(shell: bool = False) -> Path:
    """Debian's Chromium (never a browser Playwright downloaded).

    `shell`: its headless shell where installed, Chromium itself otherwise. The shell is the same
    engine (Blink, V8, Skia) without the browser around it: it has no PDF viewer and takes about a
    third less CPU per page. The browser tests use it; captures never do (their screenshots are
    what participants' Chromium shows)."""
    candidates = (*HEADLESS_SHELL_CANDIDATES, *CHROMIUM_CANDIDATES) if shell else CHROMIUM_CANDIDATES
    for candidate in candidates:
        if Path(candidate).exists():
            return Path(candidate)
    found = shutil.which("chromium")
    if found:
        return Path(found)
    raise BuildError("Chromium is missing; run `make setup` as root, or "
                     "`sudo apt-get install chromium`")
