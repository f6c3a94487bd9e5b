"""Which steps of a handout do not sit on one page, read from WeasyPrint's layout before the PDF is
written: the stylesheet asks for `break-inside: avoid`, but a step taller than a page is split (or,
if one picture is taller than the page, cut off at its bottom) all the same.

    document = HTML(string=html).render()
    split_steps(document)                  # [SplitStep('open-settings', (4, 5))]
    warn_split_steps(document, "guide-fr-a4-large.pdf")   # one warning line per such step
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

LOGGER = logging.getLogger("guidebuilder.handout")
STEP_CLASS = "step"  # <section class="step" id="step-<id>"> in overrides/handout/handout.html.j2
FILENAME = re.compile(r"guide-(?P<lang>[a-z]{2,3}(?:-[A-Z][A-Za-z]{1,3})?)(?:-(?P<path>[a-z0-9][a-z0-9-]*))?"
                      r"-(?P<paper>a4|letter)(?P<large>-large)?\.pdf")
PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}


@dataclass(frozen=True)
class SplitStep:
    id: str
    pages: tuple[int, ...]  # 1-based numbers of the pages it is on
    cut_off: bool = False  # it runs past the bottom of a page (a single box taller than the page)
    number: str = ""  # as the handout numbers it (data-number)


def split_steps(document) -> list[SplitStep]:
    """The steps of a rendered WeasyPrint Document that are on more than one page or run past a
    page's bottom, in the order of the handout."""
    pages: dict[str, list[int]] = {}
    numbers: dict[str, str] = {}
    cut_off: set[str] = set()
    for page_number, page in enumerate(document.pages, start=1):
        page_box = page._page_box  # WeasyPrint has no public API for the laid-out boxes
        bottom = page_box.content_box_y() + page_box.height
        for box in page_box.descendants():
            element = getattr(box, "element", None)
            if box.element_tag != "section" or element is None:
                continue
            if STEP_CLASS not in (element.get("class") or "").split():
                continue
            step = (element.get("id") or "").removeprefix("step-")
            numbers[step] = element.get("data-number") or ""
            if page_number not in pages.setdefault(step, []):
                pages[step].append(page_number)
            if box.position_y + box.margin_height() > bottom + 0.5:
                cut_off.add(step)
    return [SplitStep(step, tuple(on), step in cut_off, numbers[step])
            for step, on in pages.items() if len(on) > 1 or step in cut_off]


def describe(split: SplitStep, name: str, guide: str | None = None) -> str:
    """One line naming the guide, language, paper and step."""
    match = FILENAME.fullmatch(name)
    where = name
    if match:
        variant = "large print" if match["large"] else "standard print"
        device = f"path '{match['path']}', " if match["path"] else ""
        where = f"[{match['lang']}], {device}{PAPER_NAMES[match['paper']]}, {variant} ({name})"
    on = (f"runs past the bottom of page {split.pages[0]}" if split.cut_off and len(split.pages) == 1
          else f"splits across pages {split.pages[0]}-{split.pages[-1]}")
    title = f'guide "{guide}" ' if guide else ""
    step = f"step {split.number} ('{split.id}')" if split.number else f"step '{split.id}'"
    return (f"warning: {title}{where}: {step} {on}; "
            "shorten its text or its picture so that it fits on one page")


def warn_split_steps(document, name: str) -> list[SplitStep]:
    """Log one warning line per step that does not sit on one page; return those steps."""
    found = split_steps(document)
    for split in found:
        LOGGER.warning(describe(split, name, document.metadata.title))
    return found
