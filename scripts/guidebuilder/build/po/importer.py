"""`make po-import`: the translations of the PO files back into steps.yaml and guide/strings/.

Every PO file is read and checked before anything is written: an entry whose badge references
((1)) or **bold** labels do not fit its step is refused with the PO file's line and msgctxt. Fuzzy
and empty entries are left out. The new files are then checked as `make check` checks them; if the
guide would not pass, the old files are put back, so a refused import leaves nothing changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib
import yaml

from guidebuilder.build.po import yamledit
from guidebuilder.build.po.catalog import PO_FOLDER, Domain, read_po, read_po_text
from guidebuilder.build.po.entries import Entry
from guidebuilder.errors import Problem
from guidebuilder.model import BADGE_REF
from guidebuilder.source.strings import PLACEHOLDER

BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class LanguageImport:
    """What one PO file brings: the values to write, and what it leaves out."""

    shown: str  # po/<slug>/<lang>.po
    changes: dict[str, tuple[tuple, str]] = field(default_factory=dict)  # msgctxt -> (path, text)
    fuzzy: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    no_place: list[str] = field(default_factory=list)  # a key steps.yaml does not have yet

    def lines(self) -> list[str]:
        out = [f"{self.shown}: {len(self.changes)} changed, {len(self.fuzzy)} fuzzy (not "
               f"imported), {len(self.missing)} missing"]
        out += [f"  changed: {c}" for c in self.changes]
        out += [f"  fuzzy: {c}" for c in self.fuzzy]
        out += [f"  missing: {c}" for c in self.missing]
        out += [f"  not written: {c} (steps.yaml has no such key in this language yet; add it "
                "there by hand once)" for c in self.no_place]
        return out


def read_domain(domain: Domain, root: Path) -> tuple[dict[str, LanguageImport], list[Problem]]:
    """Every PO file of the domain read and checked: code -> what it brings, and the problems."""
    imports, problems = {}, []
    for code in domain.languages[1:]:
        shown = f"{PO_FOLDER}/{domain.name}/{code}.po"
        text = read_po_text(domain.po_file(root, code), shown)
        if text is not None:
            catalog = read_po(domain.po_file(root, code), shown, text)
            imports[code], found = _read_language(domain, code, catalog, shown, _msgstr_lines(text))
            problems += found
    return imports, problems


def _msgstr_lines(text: str) -> dict[str, int]:
    """msgctxt -> the line of its msgstr, which a problem names (polib knows where entries start)."""
    lines, context = {}, None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("msgctxt "):
            context = line[len('msgctxt "'):-1]
        elif line.startswith("msgstr") and context is not None:
            lines.setdefault(context, number)
            context = None
    return lines


def _read_language(domain: Domain, code: str, catalog: polib.POFile, shown: str,
                   lines: dict[str, int]) -> tuple[LanguageImport, list[Problem]]:
    result, problems = LanguageImport(shown), []
    first = domain.languages[0]
    by_context = {e.msgctxt: e for e in catalog if not e.obsolete}
    wanted = {e.context: e for e in domain.entries}
    labels = _labels_after(domain, code, by_context)
    for context, entry in wanted.items():
        po_entry = by_context.get(context)
        if po_entry is None or not po_entry.msgstr:
            result.missing.append(context)
            continue
        if "fuzzy" in po_entry.flags or po_entry.msgid != (entry.text(first) or ""):
            result.fuzzy.append(context)  # made for another source text: `make po` marks it
            continue
        for message in _placeholder_problems(entry, po_entry, labels):
            problems.append(Problem(shown, lines.get(context, po_entry.linenum),
                                    f'msgctxt "{context}": {message}'))
        if po_entry.msgstr != (entry.text(code) or ""):
            result.changes[context] = (entry.where(code), po_entry.msgstr)
    return result, problems


def _labels_after(domain: Domain, code: str, by_context: dict) -> Callable[[int], set[str]]:
    """The labels each step will have in `code` once imported (a body may quote them in bold), with
    the labels as another language's picture shows them (`shown`), which the body quotes too."""
    def labels(step: int) -> set[str]:
        found = set()
        for entry in domain.entries:
            if entry.step != step:
                continue
            if entry.kind == "label":
                po_entry = by_context.get(entry.context)
                usable = po_entry is not None and po_entry.msgstr and "fuzzy" not in po_entry.flags
                found.add(po_entry.msgstr if usable else entry.text(code) or "")
            elif entry.quotable:
                found |= entry.quotable(code)
        return found - {""}
    return labels


def _placeholder_problems(entry: Entry, po_entry: polib.POEntry,
                          labels: Callable[[int], set[str]]) -> list[str]:
    source, translated = po_entry.msgid, po_entry.msgstr
    problems = []
    wanted, got = Counter(BADGE_REF.findall(source)), Counter(BADGE_REF.findall(translated))
    if wanted != got:
        problems.append(f"the badge references are {_refs(got)} but the source has {_refs(wanted)}; "
                        "keep each ((n)) as it is, where it fits in the sentence")
    if entry.kind == "body":  # bold is a label, or a word kept as the source has it (**F5**)
        allowed = labels(entry.step)
        kept = set(BOLD.findall(source))
        for word in dict.fromkeys(BOLD.findall(translated)):
            if word not in allowed and word not in kept:
                names = ", ".join(f"**{label}**" for label in sorted(allowed)) or "none"
                problems.append(f"**{word}** is in bold but is not one of this step's labels "
                                f"({names}); write the label exactly, or remove the bold")
    if entry.kind == "strings":
        allowed = set(PLACEHOLDER.findall(source)) | {"{product}"}
        unknown = [p for p in dict.fromkeys(PLACEHOLDER.findall(translated)) if p not in allowed]
        if unknown:
            problems.append(f"{', '.join(unknown)} is not filled in here; keep only "
                            f"{', '.join(sorted(allowed))}, as the source has them")
    return problems


def _refs(counts: Counter) -> str:
    return ", ".join(f"(({n}))" for n in sorted(counts.elements(), key=int)) or "none"


def new_texts(domain: Domain, imports: dict[str, LanguageImport]) -> dict[Path, str]:
    """The YAML files the import changes, with their new text (every other byte kept). A value
    whose key the file lacks (a tip or a product name never written in that language) moves from
    `changed` to `no_place`: inserting keys would have to guess the layout."""
    changes: dict[Path, dict[tuple, str]] = {}
    for code, result in imports.items():
        path = domain.files[code]
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        for context, (where, value) in list(result.changes.items()):
            try:
                yamledit.node_at(root, where)
            except yamledit.Missing:
                del result.changes[context]
                result.no_place.append(context)
                continue
            changes.setdefault(path, {})[where] = value
    return {path: yamledit.edit(path.read_text(encoding="utf-8"), edits)
            for path, edits in changes.items()}
