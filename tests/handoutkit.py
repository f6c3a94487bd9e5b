"""Reading handouts back, for test_handout.py and test_handout_print.py: text (poppler and pypdf),
QR codes (zbar), and the handouts of a small fixture project rendered by the real stage."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest

from guidebuilder import outputs
from guidebuilder.handout import stage as handout
from guidebuilder.images import crops
from guidebuilder.source.strings import load_strings
from guidebuilder.source.validate import load_guide
from guidebuilder.store import Store

EPOCH = "1722000000"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
needs_zbar = pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools not installed")


def pdftotext(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def printed(path: Path) -> str:
    """The PDF's text without spaces or invisible format characters (word joiners, isolates)."""
    return "".join(c for c in pdftotext(path) if not c.isspace() and unicodedata.category(c) != "Cf")


def qr_codes(path: Path, folder: Path) -> list[str]:
    """Every QR code zbar finds on any page, at 150 dpi in grey."""
    for old in folder.glob("qr-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(path), str(folder / "qr")], check=True)
    found = []
    for png in sorted(folder.glob("qr-*.png")):
        out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
        found += out.stdout.split()
    return found


def page_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


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
