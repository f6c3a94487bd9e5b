"""Translators' hygiene: warnings (never errors) for texts still identical to the source language's.

A translator who copies the source language's file or step block and forgets a part leaves text the
reader cannot read, and nothing else would notice. A value is reported when it is the same as the
source language's and still has a few words once what is the same in every language is taken
out: interface labels, the product's name, addresses, numbers, badges and placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from guidebuilder.errors import Problem
from guidebuilder.model import Guide
from guidebuilder.source.checker import Checker
from guidebuilder.source.facilitator import facilitator_texts
from guidebuilder.source.yamlsource import Source

MIN_WORDS = 4  # fewer words left than this: identical by nature ("A4", "Done", "Step {n}")
URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+(?:/\S*)?")
PLACEHOLDER = re.compile(r"\{[^{}\s]*\}|\(\(\d{1,2}\)\)")
WORD = re.compile(r"[^\W\d_]{2,}")
GUIDE_FIELDS = ("title", "summary")
STEP_FIELDS = ("title", "body", "alt", "tip")
NOTE_FIELDS = ("title", "body")


def untranslated(value: object, reference: object, names: Iterable[str] = ()) -> bool:
    """Whether `value` is the reference text left as it was, beyond names that need no translation."""
    if not isinstance(value, str) or value != reference:
        return False
    rest = PLACEHOLDER.sub(" ", URL.sub(" ", value))
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        rest = rest.replace(name, " ")
    return len(WORD.findall(rest)) >= MIN_WORDS


def guide_warnings(source: Source, guide: Guide) -> list[Problem]:
    """Every guide text, path title, step text, note text and facilitator note identical to the
    source language's."""
    check = Checker(source)
    first = guide.source_language.code
    products = {guide.product(code) for code in guide.codes}
    meta = source.data["guide"]

    def compare(path: tuple, texts: Mapping, fields: tuple[str, ...], names: set[str],
                what: str = "the") -> None:
        for code in guide.codes[1:]:
            for field in fields:
                value = texts[code].get(field)
                if untranslated(value, texts[first].get(field), names):
                    check.add((*path, code, field), f"{what} {_field(field)} is the same as in "
                              f"'{first}', the source language; translate it", lang=code)

    compare(("guide", "text"), meta["text"], GUIDE_FIELDS, products, "the guide's")
    for i, note in enumerate(meta.get("notes") or []):
        compare(("guide", "notes", i, "text"), note["text"], NOTE_FIELDS, products,
                f"note {i + 1}'s")
    for i, path in enumerate(source.data.get("paths") or []):
        compare(("paths", i, "text"), path["text"], ("title",), products, "the path's")
    for i, step in enumerate(guide.steps):
        labels = {part for text in step.texts.values() for label in text.labels
                  for part in (label.text, label.shown)}
        compare(("steps", i, "text"), source.data["steps"][i]["text"], STEP_FIELDS,
                products | labels)
    _compare_facilitator_notes(check, source, guide, products)
    return sorted(check.problems, key=lambda p: p.line)


def _compare_facilitator_notes(check: Checker, source: Source, guide: Guide,
                               products: set[str]) -> None:
    """Each facilitator note still the source language's (the language is the part after text)."""
    first = guide.source_language.code
    notes = dict(facilitator_texts(source.data))
    for path, value in notes.items():
        at = path.index("text") + 1
        if path[at] == first:
            continue
        names = set(products)
        if path[0] == "steps":
            names |= {part for text in guide.steps[path[1]].texts.values()
                      for label in text.labels for part in (label.text, label.shown)}
        if untranslated(value, notes.get((*path[:at], first, *path[at + 1:])), names):
            check.add(path, f"this facilitator note is the same as in '{first}', the source "
                      "language; translate it", lang=path[at])


def strings_warnings(loaded: Mapping[str, tuple[Source, dict]], first: str,
                     names: Iterable[str] = ()) -> list[Problem]:
    """Every builder string identical to the source language's strings file's."""
    if first not in loaded:
        return []
    reference = loaded[first][1]
    warnings = []
    for code, (source, data) in loaded.items():
        if code == first:
            continue
        for key, value in data.items():
            if untranslated(value, reference.get(key), names):
                warnings.append(Problem(source.file, source.line((key,)), f"'{key}' is the same as "
                                        f"in guide/strings/{first}.yaml; translate it", lang=code))
    return warnings


def _field(field: str) -> str:
    return {"alt": "alt text"}.get(field, field)
