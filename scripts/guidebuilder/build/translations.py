"""`make translations`: where each guide's translations stand, per language, as a table.

    report = translation_report(checked)   # one checked guide -> GuideReport
    print("\\n".join(report.lines()))

Per language: the share of entries translated (the guide's title and summary, its notes' texts and
every step's title, body, alt text and tip, present and not left as the source language's: the rule
of source/hygiene.py), the interface labels not yet confirmed, the builder strings file, and the
reading level (median and hardest step, source/readability.py). Fuzzy entries live in the PO files
of po/<slug>/ (`make po`): counted per language; "n/a" until the guide has PO files.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from guidebuilder.build.check import Checked
from guidebuilder.build.po.catalog import fuzzy_counts
from guidebuilder.errors import Problem
from guidebuilder.model import Guide
from guidebuilder.source import hygiene, readability, yamlsource
from guidebuilder.source.strings import read_strings


@dataclass(frozen=True)
class LanguageReport:
    code: str
    entries: int  # texts of the source language that this language should have too
    translated: int
    unconfirmed: tuple[str, ...]  # "step-id: label"
    identical: tuple[Problem, ...]  # hygiene's warnings of this language
    strings: str  # the builder strings file's status
    reading: str  # median and worst step, or why there is no figure

    @property
    def share(self) -> str:
        percent = 100 * self.translated / self.entries if self.entries else 100
        return f"{percent:.0f}% ({self.translated}/{self.entries})"


@dataclass(frozen=True)
class GuideReport:
    guide: Guide
    languages: tuple[LanguageReport, ...]
    fuzzy: str

    def lines(self) -> list[str]:
        first = self.guide.codes[0]
        head = ("lang", "translated", "unconfirmed labels", "identical", "builder strings",
                "reading level: median / hardest step")
        rows = [head] + [(r.code, "source" if r.code == first else r.share, str(len(r.unconfirmed)),
                          "-" if r.code == first else str(len(r.identical)), r.strings, r.reading)
                         for r in self.languages]
        widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
        out = [f"{self.guide.shown_file} ({self.guide.slug}/)"]
        out += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                .rstrip() for row in rows]
        out.append(f"  fuzzy: {self.fuzzy}")
        for r in self.languages:
            out += [f"  [{r.code}] unconfirmed label: {label}" for label in r.unconfirmed]
        for r in self.languages:
            out += [f"  [{r.code}] still the source language's: {p}" for p in r.identical]
        return out


def translation_report(checked: Checked) -> GuideReport:
    guide = checked.guide
    source = yamlsource.load(guide.file, guide.shown_file)
    identical = hygiene.guide_warnings(source, guide)
    _, strings_warnings = read_strings(guide)
    scores = readability.step_scores(guide)
    languages = []
    for code in guide.codes:
        entries, translated = _entries(guide, code)
        languages.append(LanguageReport(
            code, entries, translated, _unconfirmed(guide, code),
            tuple(p for p in identical if p.lang == code),
            _strings_status(checked, code, [p for p in strings_warnings if p.lang == code]),
            _reading(code, scores[code])))
    return GuideReport(guide, tuple(languages), _fuzzy(guide))


def _entries(guide: Guide, code: str) -> tuple[int, int]:
    """(texts the source language has, how many of them this language has translated)."""
    first = guide.codes[0]
    products = {guide.product(c) for c in guide.codes}
    texts = [(guide.text(code), guide.text(first), hygiene.GUIDE_FIELDS, products)]
    texts += [(n.text(code), n.text(first), hygiene.NOTE_FIELDS, products) for n in guide.notes]
    for step in guide.steps:
        labels = {part for text in step.texts.values() for label in text.labels
                  for part in (label.text, label.shown)}
        texts.append((step.text(code), step.text(first), hygiene.STEP_FIELDS, products | labels))
    wanted = done = 0
    for text, reference, fields, names in texts:
        for field in fields:
            value, ref = getattr(text, field), getattr(reference, field)
            if not ref:
                continue
            wanted += 1
            done += bool(value) and (code == first or not hygiene.untranslated(value, ref, names))
    return wanted, done


def _unconfirmed(guide: Guide, code: str) -> tuple[str, ...]:
    return tuple(f"{step.id}: {label.text}" for step in guide.steps
                 for label in step.text(code).labels if not label.confirmed)


def _strings_status(checked: Checked, code: str, same: list[Problem]) -> str:
    keys = len([k for k in checked.strings[code] if k != "language_names"])
    if code == checked.guide.codes[0]:
        return f"reference, {keys} keys"
    return f"{keys} keys, {len(same)} same as source" if same else f"{keys} keys, all translated"


def _reading(code: str, scores: dict[str, float | None]) -> str:
    chosen = readability.formula(code)
    known = {step: s for step, s in scores.items() if s is not None}
    if chosen is None:
        return readability.UNSCORED.get(code.split("-")[0], "no score: no formula for this language")
    if not known:
        return f"{chosen.name}: no text"
    order = sorted(known, key=known.get, reverse=not chosen.higher_is_easier)
    worst = order[0]
    return (f"{chosen.name} {round(statistics.median(known.values()), 1):g} / {known[worst]:g} ({worst}); "
            f"target {chosen.shown_target()}")


def _fuzzy(guide: Guide) -> str:
    counts = fuzzy_counts(guide.root, guide.slug)
    if counts is None:
        return "n/a (no PO files; make po writes them)"
    per_language = ", ".join(f"{code} {n}" for code, n in counts.items())
    return f"{sum(counts.values())} in po/{guide.slug}/ ({per_language})"
