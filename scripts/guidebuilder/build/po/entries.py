"""The translatable texts of a guide, as gettext entries: one function over the model.

Each entry has a stable msgctxt (`<slug>/step/<step id>/<field>`, labels and notes by index), the
YAML path of its text in any language, a comment for the translator and where the source language's
text is (for `#:`). Adding a field is one line in `guide_entries`, as the device paths' titles
(`paths[].text.<lang>.title`) were; the facilitator notes, a list per note, have a function each.

Export, import, the placeholder checks and the fuzzy count all work from this list only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from guidebuilder.model import Guide
from guidebuilder.source.strings import NAMES, PLACEHOLDER

LANG = "<lang>"  # stands for the language code in a YAML path
LABEL = "interface label: must match the screenshot exactly, as the product shows it"
UNCONFIRMED = "unconfirmed label: nobody has checked it on the real interface yet"
BOLD = "words in **bold** are interface labels: write them exactly as this step's labels"


@dataclass(frozen=True)
class Entry:
    context: str  # msgctxt, stable across exports
    path: tuple  # where its text is in a language's YAML, with LANG for the code
    text: Callable[[str], str | None]  # its text in a language (None: not written yet)
    comment: str  # `#.`: what the string is, for the translator
    source_path: tuple | None = None  # where the source language's text is, when elsewhere
    kind: str = "text"  # "body" (badges and bold labels checked), "label", "strings"
    step: int | None = None  # index of its step, for the labels a body may quote
    comment_for: Callable[[str], str] | None = None  # a comment that depends on the language
    quotable: Callable[[str], set[str]] | None = None  # a body's: the `shown` labels it may quote

    def comment_in(self, code: str) -> str:
        return self.comment_for(code) if self.comment_for else self.comment

    def where(self, code: str) -> tuple:
        return tuple(code if part == LANG else part for part in self.path)


def guide_entries(guide: Guide) -> list[Entry]:
    """Every text of the guide a translator translates, in the order of steps.yaml."""
    slug, first = guide.slug, guide.codes[0]

    def has(get):  # only what the source language has is asked of the others
        return bool(get(first))

    entries = [
        Entry(f"{slug}/guide/title", ("guide", "text", LANG, "title"),
              lambda c: guide.text(c).title, "the guide's title, on the site and the handouts"),
        Entry(f"{slug}/guide/summary", ("guide", "text", LANG, "summary"),
              lambda c: guide.text(c).summary, "the guide's summary, under its title"),
        Entry(f"{slug}/guide/product", ("guide", "text", LANG, "product"),
              guide.product, "the product's name as readers of this language know it (keep it "
              "as it is when they know it by the same name)",
              source_path=("guide", "product")),
    ]
    entries += _guide_facilitator_entries(guide)
    for k, note in enumerate(guide.notes):
        base, path = f"{slug}/note/{k}", ("guide", "notes", k, "text", LANG)
        if note.text(first).title:
            entries.append(Entry(f"{base}/title", (*path, "title"),
                                 lambda c, n=note: n.text(c).title, f"title of the {note.kind} note"))
        entries.append(Entry(f"{base}/body", (*path, "body"), lambda c, n=note: n.text(c).body,
                             f"text of the {note.kind} note, before the steps"))
    entries += [Entry(f"{slug}/path/{p.id}/title", ("paths", i, "text", LANG, "title"),
                      lambda c, p=p: p.title(c), "title of a device path: its tab on the page, "
                      "its handouts' subtitle (e.g. On a phone or tablet)")
                for i, p in enumerate(guide.paths) if not p.implicit]
    for i, step in enumerate(guide.steps):
        base, path, n = f"{slug}/step/{step.id}", ("steps", i, "text", LANG), _step_name(guide, step)
        entries += [
            Entry(f"{base}/title", (*path, "title"), lambda c, s=step: s.text(c).title,
                  f"title of step {n}"),
            Entry(f"{base}/body", (*path, "body"), lambda c, s=step: s.text(c).body,
                  _body_comment(n, step.text(first).badge_refs), kind="body", step=i,
                  quotable=lambda c, s=step: {lab.shown for lab in s.text(c).labels if lab.shown}),
            Entry(f"{base}/alt", (*path, "alt"), lambda c, s=step: s.text(c).alt,
                  f"alt text of the picture of step {n}: what a blind reader hears instead"),
        ]
        if has(lambda c, s=step: s.text(c).tip):
            entries.append(Entry(f"{base}/tip", (*path, "tip"), lambda c, s=step: s.text(c).tip,
                                 f"tip under step {n}"))
        entries += _step_facilitator_entries(guide, step, i, n)
        for j, label in enumerate(step.text(first).labels):
            entries.append(Entry(f"{base}/label/{j}", (*path, "labels", j),
                                 lambda c, s=step, j=j: _label(s.text(c).labels, j),
                                 _label_comment(label.confirmed, n), kind="label", step=i,
                                 comment_for=lambda c, s=step, j=j, n=n: _label_comment(
                                     _confirmed(s.text(c).labels, j), n)))
    return [e for e in entries if e.text(first)]


def _guide_facilitator_entries(guide: Guide) -> list[Entry]:
    """The guide's facilitator notes (only on the facilitator sheet), item by item."""
    notes = guide.text(guide.codes[0]).facilitator
    if notes is None:
        return []
    base, path = f"{guide.slug}/guide/facilitator", ("guide", "text", LANG, "facilitator")

    def item(c, key, j):
        own = guide.text(c).facilitator
        items = getattr(own, key) if own else ()
        return items[j] if j < len(items) else None

    entries = [Entry(f"{base}/{key}/{j}", (*path, key, j), lambda c, k=key, j=j: item(c, k, j),
                     f"{what} (item {j + 1}), on the facilitator sheet only")
               for key, what in (("before_you_start", "what the facilitator checks before the "
                                  "workshop"), ("materials", "what the workshop room needs"))
               for j in range(len(getattr(notes, key)))]
    if notes.undo:
        entries.append(Entry(f"{base}/undo", (*path, "undo"),
                             lambda c: (guide.text(c).facilitator.undo
                                        if guide.text(c).facilitator else None),
                             "how a participant undoes the change, on the facilitator sheet; "
                             f"{BOLD}"))
    return entries


def _step_facilitator_entries(guide: Guide, step, index: int, n: str) -> list[Entry]:
    """A step's facilitator notes: each common mistake (what happens, what to say) and its note."""
    notes = step.text(guide.codes[0]).facilitator
    if notes is None:
        return []
    base = f"{guide.slug}/step/{step.id}/facilitator"
    path = ("steps", index, "text", LANG, "facilitator")

    def mistake(c, j, key):
        own = step.text(c).facilitator
        return getattr(own.mistakes[j], key) if own and j < len(own.mistakes) else None

    entries = [Entry(f"{base}/mistake/{j}/{key}", (*path, "mistakes", j, key),
                     lambda c, j=j, k=key: mistake(c, j, k),
                     f"{what} at step {n} (common mistake {j + 1}), on the facilitator sheet only")
               for j in range(len(notes.mistakes))
               for key, what in (("problem", "what participants often get wrong"),
                                 ("say", "what the facilitator says about it"))]
    if notes.note:
        entries.append(Entry(f"{base}/note", (*path, "note"),
                             lambda c: (step.text(c).facilitator.note
                                        if step.text(c).facilitator else None),
                             f"a note for the facilitator at step {n}, on the facilitator sheet only"))
    return entries


def _step_name(guide: Guide, step) -> str:
    """How the comments name a step: its number, in each path it is in when there are several."""
    first = guide.codes[0]
    if not guide.several_paths:
        return str(guide.paths[0].number(step.id))
    return ", ".join(f"{path.number(step.id)} of '{path.title(first)}'"
                     for path in guide.paths if step.id in path.steps)


def _body_comment(n: str, badges: tuple[int, ...]) -> str:
    refs = ", ".join(f"(({b}))" for b in badges)
    kept = f"; badge references {refs} must stay, with the same numbers" if badges else ""
    return f"instructions of step {n}{kept}; {BOLD}"


def _label(labels, j: int) -> str | None:
    return labels[j].text if j < len(labels) else None


def _confirmed(labels, j: int) -> bool:
    return j >= len(labels) or labels[j].confirmed


def _label_comment(confirmed: bool, n: str) -> str:
    """Confirmation is per language: the Arabic label may be unchecked where the English one is."""
    return f"{LABEL if confirmed else UNCONFIRMED} (step {n})"


def strings_entries(words: dict[str, dict]) -> list[Entry]:
    """The builder's own words: one entry per key of the source language's strings file (`words`:
    code -> the file's plain data). `language_names` is left out: each language names different ones."""
    first = next(iter(words))
    entries = []
    for key, value in words[first].items():
        if key == NAMES or not isinstance(value, str):
            continue
        kept = sorted(set(PLACEHOLDER.findall(value)))
        comment = "the builder's own words, on every guide's site and handouts"
        if kept:
            comment += f"; keep {', '.join(kept)} as written (the build fills them in)"
        entries.append(Entry(f"strings/{key}", (key,),
                             lambda c, k=key: _text(words.get(c, {}).get(k)), comment,
                             kind="strings"))
    return entries


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
