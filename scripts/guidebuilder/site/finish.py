"""What no engine's configuration can do, done on the engine's output folder, whichever engine ran.

    finish_language(site_dir, lang="ar", direction="rtl")

- `dir` on <html>: the theme puts the text direction on <body> only, so the browser's own parts
  (scroll bars, form controls) and assistive technology would take the page as left-to-right;
- an accessible name for the search dialog (axe-core: aria-dialog-name), the name of its own box;
- theme files nobody loads are not published: templates of other stages (overrides/handout/ is the
  handouts' stylesheet and template), source maps, and the search rules of the other languages
  (Material ships ~30; each language needs its own, 2 MB less per language).
Core code: it reads and rewrites files, and knows no engine.
"""

from __future__ import annotations

import re
from pathlib import Path

NOT_PUBLISHED = ("handout/",)
NOT_PUBLISHED_SUFFIXES = (".map",)
LUNR = "assets/javascripts/lunr/"
LUNR_ALWAYS = {"min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js"}
HTML_OPEN_TAG = re.compile(r"<html\b[^>]*>")
SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")>')
SEARCH_INPUT_LABEL = re.compile(r'class="md-search__input"[^>]*?aria-label="([^"]*)"')


def finish_language(site_dir: Path, lang: str, direction: str) -> None:
    """Finish one language's built folder in place."""
    for path in sorted(site_dir.rglob("*"), reverse=True):  # files before the folders holding them
        name = path.relative_to(site_dir).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif not published(name, lang):
            path.unlink()
        elif path.suffix == ".html":
            html = path.read_bytes().decode("utf-8")  # bytes: line ends stay as the engine wrote them
            finished = name_search_dialog(set_html_dir(html, direction))
            if finished != html:
                path.write_bytes(finished.encode("utf-8"))


def published(name: str, lang: str) -> bool:
    """Whether a file the engine wrote (path inside the language's folder) is to be published."""
    if name.startswith(NOT_PUBLISHED) or name.endswith(NOT_PUBLISHED_SUFFIXES):
        return False
    if name.startswith(LUNR):
        return name.removeprefix(LUNR) in {f"min/lunr.{lang}.min.js", *LUNR_ALWAYS}
    return True


def set_html_dir(html: str, direction: str) -> str:
    """Add dir= to the <html> tag (the theme puts it on <body> only)."""
    def add(match: re.Match) -> str:
        tag = re.sub(r'\sdir="[^"]*"', "", match.group(0))
        return f'{tag[:-1]} dir="{direction}">'
    return HTML_OPEN_TAG.sub(add, html, count=1)


def name_search_dialog(html: str) -> str:
    """Give Material's search dialog the accessible name of its own search box (axe: aria-dialog-name)."""
    label = SEARCH_INPUT_LABEL.search(html)
    if not label:
        return html
    return SEARCH_DIALOG.sub(lambda m: f'{m.group(1)} aria-label="{label.group(1)}">', html, count=1)
