"""Plain-language figures: a reading-level score per step and language, and a warning (never an
error) for a step above its language's target.

What is scored is what a learner reads: the step's body and tip, as plain sentences. Interface
labels (quoted in **bold**, the step's `labels`) and badge references ((1)) are taken out first:
the reader does not choose those words, and a long label ("Confidentialité des données") would
otherwise make a short sentence look hard.

Each language gets the formula made for it, computed from counts of words, sentences and
syllables (the syllables from pyphen's hyphenation dictionaries, shipped in the wheel):

  en  Flesch–Kincaid grade     0.39 w/s + 11.8 y/w − 15.59       lower is easier
  fr  Kandel–Moles ease        207 − 1.015 w/s − 73.6 y/w         higher is easier
  es  Fernández-Huerta ease    206.84 − 1.02 w/s − 60 y/w         higher is easier
  ar  none: the OSMAN formula counts syllables from the short vowels (tashkeel), which everyday
      Arabic text — ours included — leaves out; its figure would be noise.

(w/s: words per sentence; y/w: syllables per word.) Sentences are counted by textstat's rule
(sentence_count), which folds a sentence of two words or fewer ("Click OK.", once the label is out)
into the count of its neighbours: the figure errs on the hard side. The rule is a regular
expression, written out here rather than imported: textstat imports nltk, a quarter of a second
added to every `make check`; test_readability.py checks that both count the same on every shipped
text. textstat's own English syllable count looks words up in CMUdict, which nltk downloads at run
time; pyphen is used instead, for every language, so the check needs no network. The targets are in
TARGETS and explained in the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyphen  # textstat's hyphenation library, its dictionaries in the wheel

from guidebuilder.errors import Problem
from guidebuilder.model import BADGE_REF, Guide, StepText
from guidebuilder.source.checker import Checker
from guidebuilder.source.yamlsource import Source


@dataclass(frozen=True)
class Formula:
    name: str
    hyphenation: str  # pyphen's dictionary
    target: float
    higher_is_easier: bool

    def score(self, words_per_sentence: float, syllables_per_word: float) -> float:
        w, y = words_per_sentence, syllables_per_word
        if self.name == "Flesch–Kincaid grade":
            return 0.39 * w + 11.8 * y - 15.59
        if self.name == "Kandel–Moles ease":
            return 207 - 1.015 * w - 73.6 * y
        return 206.84 - 1.02 * w - 60 * y  # Fernández-Huerta

    def too_hard(self, score: float) -> bool:
        return score < self.target if self.higher_is_easier else score > self.target

    def shown_target(self) -> str:
        return f"{'at least' if self.higher_is_easier else 'at most'} {self.target:g}"


# Plain-language targets: grade 8 at most, or a reading ease of 60 or more (the "standard"
# band of Flesch's scale, which Kandel–Moles and Fernández-Huerta adapt). See the README.
TARGETS = {
    "en": Formula("Flesch–Kincaid grade", "en_US", 8, higher_is_easier=False),
    "fr": Formula("Kandel–Moles ease", "fr_FR", 60, higher_is_easier=True),
    "es": Formula("Fernández-Huerta ease", "es_ES", 60, higher_is_easier=True),
}
UNSCORED = {"ar": "no score: the OSMAN formula needs the short vowels (tashkeel), which the text "
                  "leaves out"}

BOLD = re.compile(r"\*\*(.+?)\*\*")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKUP = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+|[*_`>#]", re.MULTILINE)
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
END = re.compile(r"[.!?…:;]\s*$")
SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")  # textstat 0.7's sentence_count, as it splits
COUNTED_WORD = re.compile(r"\S*\w\S*")  # what textstat counts: a token left once punctuation is out


def formula(lang: str) -> Formula | None:
    """The formula of a language (by its code's first part), or None if it has none."""
    return TARGETS.get(lang.split("-")[0].lower())


def plain_text(text: StepText) -> str:
    """The body and tip as plain sentences, without labels, badge references or Markdown."""
    labels = {part for label in text.labels for part in (label.text, label.shown) if part}
    # A label quoted without bold is still a label; whole words only ("On" is not in "Only").
    quoted = re.compile("|".join(rf"(?<!\w){re.escape(label)}(?!\w)"
                                 for label in sorted(labels, key=len, reverse=True)) or "(?!)")
    parts = []
    for chunk in (text.body, text.tip or ""):
        chunk = quoted.sub(" ", BOLD.sub(lambda m: " " if m.group(1) in labels else m.group(1),
                                         chunk))
        chunk = MARKUP.sub(" ", LINK.sub(r"\1", BADGE_REF.sub(" ", chunk)))
        # Each line of a list is a sentence of its own, whether or not it ends with a full stop.
        lines = [" ".join(line.split()) for line in chunk.splitlines() if re.search(r"\w", line)]
        parts += [line if END.search(line) else f"{line}." for line in lines]
    return " ".join(parts)


def score(text: str, lang: str) -> float | None:
    """The language's reading-level score of a plain text (None: no formula, or no words)."""
    chosen = formula(lang)
    words = WORD.findall(text.lower())
    if chosen is None or not words:
        return None
    sentences = sentence_count(text)
    dictionary = pyphen.Pyphen(lang=chosen.hyphenation)
    syllables = sum(len(dictionary.positions(word)) + 1 for word in words)
    return round(chosen.score(len(words) / sentences, syllables / len(words)), 1)


def sentence_count(text: str) -> int:
    """textstat.sentence_count (0.7): the runs of text up to a ., ! or ?, leaving out those of two
    words or fewer (a word: what keeps a letter or digit once punctuation is taken out); at least 1."""
    return max(1, sum(1 for run in SENTENCE.findall(text) if len(COUNTED_WORD.findall(run)) > 2))


def step_scores(guide: Guide) -> dict[str, dict[str, float | None]]:
    """lang -> step id -> score, for every language of the guide."""
    return {code: {step.id: score(plain_text(step.text(code)), code) for step in guide.steps}
            for code in guide.codes}


def readability_warnings(source: Source, guide: Guide) -> list[Problem]:
    """One warning per step and language whose body and tip read above the language's target."""
    check = Checker(source)
    for i, step in enumerate(guide.steps):
        for code in guide.codes:
            chosen, value = formula(code), score(plain_text(step.text(code)), code)
            if chosen is not None and value is not None and chosen.too_hard(value):
                check.add(("steps", i, "text", code, "body"),
                          f"reads above the plain-language target: {chosen.name} {value:g}, "
                          f"target {chosen.shown_target()}; shorter sentences and words help",
                          lang=code)
    return sorted(check.problems, key=lambda p: p.line)
