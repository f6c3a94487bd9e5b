"""`make check` for the screenshots: every region a step names exists, every image opens, and every
interface label a step quotes is really shown in that language's screenshot; and, as warnings, the
crops whose interface text would be too small to read where they are shown (legibility.py).

A label missing from the screenshot means a stale screenshot or a wrong label: the message says what
the screenshot shows instead, so the person fixing it knows which side is wrong.
"""

from __future__ import annotations

import contextlib
import difflib

from guidebuilder.errors import GuideError, Problem
from guidebuilder.images.legibility import legibility_warnings
from guidebuilder.images.regions import Sidecar, normalise
from guidebuilder.images.screenshots import file_digest, plan_all, screenshot_problems, shown_path
from guidebuilder.model import Guide, Step
from guidebuilder.store import Kind, Store

# An empty entry per screenshot content that passed screenshot_problems once.
VERIFIED = Kind("verified-screenshots", packages=("images",), libraries=("Pillow",))


def check_images(guide: Guide, store: Store) -> list[Problem]:
    """Raise GuideError listing every problem with the steps' screenshots and their regions; else
    return the warnings (crops too small to read on some medium)."""
    problems: list[Problem] = []
    for step in guide.steps:
        if step.image is None:
            # Readers follow the pictures more than the words: no step goes without one.
            problems.append(Problem(shown_path(guide, guide.file), step.line, "step has no image; add "
                                    "'image:' with screenshot, crop and highlight, e.g. screenshot: "
                                    "screenshots/{lang}/home.png, crop: around nav, highlight: "
                                    "[nav as 1]", step.id))
    pages, found = plan_all(guide)
    problems += found
    for step, lang, page, _layout in pages:
        problems += _decode_problems(store, page, step.id, lang)
        problems += label_problems(guide, step, lang, page.sidecar)
    if problems:
        raise GuideError(_unique(problems))
    return legibility_warnings(guide, pages)


def _decode_problems(store: Store, page, step_id: str, lang: str) -> list[Problem]:
    """Read the screenshot through to its end (truncation shows only then), once per distinct file
    content."""
    key = store.key(VERIFIED, file_digest(page.shot), list(page.sidecar.size))
    if store.get(VERIFIED, key) is not None:
        return []
    found = screenshot_problems(page.data, page.shown, step_id, lang, page.sidecar.size)
    if not found:
        with contextlib.suppress(OSError):  # a read-only checkout only loses the shortcut
            store.put(VERIFIED, key, {})
    return found


def label_problems(guide: Guide, step: Step, lang: str, sidecar: Sidecar) -> list[Problem]:
    """Each label the step quotes must appear in the text of a region of this screenshot: as the
    picture shows it (`shown`) when the language shows another language's screenshots."""
    hidden = set(guide.redact) | set(step.image.redact if step.image else ())
    texts = {name: normalise(region.text) for name, region in sidecar.regions.items()
             if name not in hidden}  # personal data never goes into a message
    marked = {h.region for h in step.image.highlights} if step.image else set()
    problems = []
    for label in step.text(lang).labels:
        wanted = normalise(label.in_picture)
        if any(wanted in text for text in texts.values()):
            continue
        what = f"'{label.text}' as the picture shows it, '{label.shown}'," if label.shown \
            else f"'{label.text}'"
        problems.append(Problem(shown_path(guide, guide.file), step.line,
                                f"the label {what} does not appear in the screenshot "
                                f"({sidecar.file}); {_closest(wanted, texts, marked)}; update the "
                                "label in steps.yaml or re-capture the screenshot (`make capture`)",
                                step.id, lang))
    return problems


def _closest(wanted: str, texts: dict[str, str], marked: set[str]) -> str:
    """The region text most like the label; on a tie, a region the step highlights."""
    shown = {name: text for name, text in texts.items() if text}
    if not shown:
        return "its regions record no text"

    def likeness(name: str) -> tuple[float, bool]:
        ratio = difflib.SequenceMatcher(None, wanted, shown[name], autojunk=False).ratio()
        return round(ratio, 3), name in marked

    best = max(sorted(shown), key=likeness)
    text = shown[best]
    if len(text) > 90:
        text = text[:87] + "..."
    return f"closest text shown: '{text}' (region '{best}')"


def _unique(problems: list[Problem]) -> list[Problem]:
    """A screenshot used by two steps reports its own problems once per step, not twice per step."""
    return list(dict.fromkeys(problems))
