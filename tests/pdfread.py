"""Reading handouts back: text through poppler's pdftotext, compared letters and digits only."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from guidebuilder.model import BADGE_REF

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def pdftotext(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_texts(path: Path) -> list[str]:
    """pdftotext's text of each page, from one run over the whole file cut at its form feeds (it
    ends every page with one): the same text, byte for byte, as `pdftotext(path, n)` gives for
    page n, in one process instead of one per page."""
    return [page + "\f" for page in pdftotext(path).split("\f")[:-1]]


def skeleton(text: str) -> str:
    """Letters and digits only, for comparing with pdftotext's output. pdftotext writes an Arabic
    lam-alef ligature backwards (alef, lam): both sides are given that order. The PDF itself is right:
    pypdf reads the ligatures back correctly, see test_arabic_extracts_as_arabic."""
    text = re.sub("ل([اأإآى])", r"\1ل", BADGE_REF.sub(r"\1", text))
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def plain(markdown: str) -> str:
    return BADGE_REF.sub(r"\1", markdown).replace("**", "")


def last_words(markdown: str, count: int = 4) -> str:
    return " ".join(plain(markdown).split()[-count:])


def step_pages(path: Path, steps, lang: str) -> dict[str, list[int]]:
    """For each of `steps` (the handout's: its path's), the pages its title is on; asserts its
    body's and tip's last words are there.

    The last words of the body and of the tip, each word on its own: poppler may give the lines of
    right-to-left text with a left-to-right phrase inside in a shuffled order."""
    pages = [skeleton(page) for page in page_texts(path)]
    found = {}
    for step in steps:
        text = step.text(lang)
        own = skeleton(text.title)
        # Another step's title may hold this one ("Open Settings and Support", "Open the
        # settings"): those are taken out of the page first.
        longer = [skeleton(s.text(lang).title) for s in steps
                  if s.id != step.id and own in skeleton(s.text(lang).title)]
        title_pages = [n for n, page in enumerate(pages) if own in _without(page, longer)]
        found[step.id] = title_pages
        if len(title_pages) != 1:
            continue
        for part in [text.body] + ([text.tip] if text.tip else []):
            words = [skeleton(word) for word in last_words(part).split()]
            page = pages[title_pages[0]]
            assert all(word in page for word in words), (path.name, step.id, words)
    return found


def _without(page: str, parts: list[str]) -> str:
    for part in sorted(parts, key=len, reverse=True):
        page = page.replace(part, "")
    return page


def titles_in_order(path: Path, steps, lang: str) -> list[int]:
    """Where each of `steps` has its title in the handout's text (-1: missing)."""
    text = skeleton(pdftotext(path))
    return [text.find(skeleton(step.text(lang).title)) for step in steps]


def check_fonts_embedded_and_ours(path: Path, name: str) -> None:
    """Every font of the PDF is embedded and one of the handout fonts (pdffonts)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, name
    for row in rows:
        assert row[-5] == "yes", (name, row)  # emb
        assert re.fullmatch(r"[A-Z]{6}\+Handout-(Sans|Arabic|Symbols)(-Bold)?(-Italic)?", row[0]), row
