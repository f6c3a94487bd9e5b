"""The checks of the facilitator notes that a JSON Schema cannot express.

Facilitator notes (`facilitator:` beside the guide's and a step's text) are optional, but a
facilitator sheet is made in every language: so a guide or step that has notes in one language has
them in all, with as many items in each list (a shorter list is an item left untranslated). Run on
data the schema pass has seen: parts it refused are skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator

from guidebuilder.source.checker import Checker

GUIDE_LISTS = ("before_you_start", "materials")
WHAT = {"before_you_start": "'before you start' items", "materials": "materials",
        "mistakes": "common mistakes"}


def check_facilitator(check: Checker, data: dict, codes: list[str]) -> None:
    guide = data.get("guide") if isinstance(data.get("guide"), dict) else {}
    _check_complete(check, ("guide", "text"), guide.get("text"), codes, GUIDE_LISTS, ("undo",),
                    "the guide")
    steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    for i, step in enumerate(steps):
        if isinstance(step, dict):
            _check_complete(check, ("steps", i, "text"), step.get("text"), codes, ("mistakes",),
                            ("note",), "this step")


def facilitator_texts(data: dict) -> Iterator[tuple[tuple, str]]:
    """Every facilitator note's text with its path: each is Markdown, checked as the steps' are."""
    guide = data.get("guide") if isinstance(data.get("guide"), dict) else {}
    for code, notes in _notes_by_lang(guide.get("text")).items():
        path = ("guide", "text", code, "facilitator")
        for key in GUIDE_LISTS:
            for j, item in enumerate(_list(notes, key)):
                if isinstance(item, str):
                    yield (*path, key, j), item
        if isinstance(notes.get("undo"), str):
            yield (*path, "undo"), notes["undo"]
    steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    for i, step in enumerate(steps):
        texts = step.get("text") if isinstance(step, dict) else None
        for code, notes in _notes_by_lang(texts).items():
            path = ("steps", i, "text", code, "facilitator")
            for j, mistake in enumerate(_list(notes, "mistakes")):
                for key in ("problem", "say"):
                    if isinstance(mistake, dict) and isinstance(mistake.get(key), str):
                        yield (*path, "mistakes", j, key), mistake[key]
            if isinstance(notes.get("note"), str):
                yield (*path, "note"), notes["note"]


def _notes_by_lang(texts) -> dict[str, dict]:
    if not isinstance(texts, dict):
        return {}
    return {code: text["facilitator"] for code, text in texts.items()
            if isinstance(code, str) and isinstance(text, dict)
            and isinstance(text.get("facilitator"), dict)}


def _list(notes: dict, key: str) -> list:
    value = notes.get(key)
    return value if isinstance(value, list) else []


def _check_complete(check: Checker, path: tuple, texts, codes: list[str], lists: tuple[str, ...],
                    singles: tuple[str, ...], what: str) -> None:
    notes = _notes_by_lang(texts)
    if not notes or not isinstance(texts, dict):
        return
    reference = next((code for code in codes if code in notes), next(iter(notes)))
    ref = notes[reference]
    for code in codes:
        if code not in texts or not isinstance(texts[code], dict):
            continue  # the text itself is missing: reported once, by the language check
        if code not in notes:
            check.add((*path, code), f"{what} has facilitator notes in {reference} but not in "
                      f"this language; add 'facilitator:' under text.{code}, translated from "
                      f"{reference}'s (or remove them from every language)", lang=code)
            continue
        mine = notes[code]
        for key in lists:
            want, have = len(_list(ref, key)), len(_list(mine, key))
            if want != have:
                check.add((*path, code, "facilitator", *((key,) if key in mine else ())),
                          f"{reference} lists {want} {WHAT[key]} and this language {have}; "
                          f"translate each of {reference}'s, in the same order", lang=code)
        for key in singles:
            if (key in ref) != (key in mine):
                has, lacks = (reference, code) if key in ref else (code, reference)
                check.add((*path, code, "facilitator"), f"the facilitator notes have '{key}:' in "
                          f"{has} but not in {lacks}; write it in both, or in neither", lang=code)
