"""Plain-language figures: `make check` scores each step's body and tip per language and warns,
without failing, about a step that reads above its language's target."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidebuilder.build.check import check_all
from guidebuilder.model import Label, StepText
from guidebuilder.source.readability import TARGETS, plain_text, score, sentence_count
from guidebuilder.store import Store
from projects import shipped_guides

FIXTURES = Path(__file__).with_name("fixtures")
EASY = "Log in to the Reader website, then click **Menu** ((1))."
HARD = ("Subsequently, administratively authenticate utilizing institutional credentials, "
        "notwithstanding organizational configuration considerations regarding "
        "interoperability, confidentiality and accessibility.")


def text(body: str, labels: tuple[str, ...] = (), tip: str | None = None) -> StepText:
    return StepText("Title", body, "Alt.", tuple(Label(label) for label in labels), tip)


def copy(tmp_path: Path, name: str) -> Path:
    shutil.copytree(FIXTURES / name, tmp_path / name)
    return tmp_path / name


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, old
    path.write_text(content.replace(old, new), encoding="utf-8")


def readability_lines(project: Path) -> list[str]:
    checked = check_all(project / "steps.yaml", project, Store(project / ".cache"))
    return [str(w) for w in checked.warnings if "plain-language" in str(w)]


def test_labels_badges_and_markdown_are_left_out_of_the_text():
    step = text("1. Click **Reading suggestions** ((1))\n2. Untick it", ("Reading suggestions",),
                tip="See [the help](https://example.org).")
    assert plain_text(step) == "Click. Untick it. See the help."


def test_a_label_is_taken_out_as_whole_words_only_and_as_the_picture_shows_it():
    step = StepText("Title", "Only **Menu** (Menü) is On.", "Alt.",
                    (Label("Menü", shown="Menu"), Label("On")))
    assert plain_text(step) == "Only ( ) is ."


def test_a_label_of_long_words_does_not_raise_the_score():
    body = "Click **Administrative Interoperability Configuration** ((1))."
    as_label = score(plain_text(text(body, ("Administrative Interoperability Configuration",))), "en")
    as_words = score(plain_text(text(body)), "en")
    assert as_label < TARGETS["en"].target < as_words


@pytest.mark.parametrize(("body", "lang", "hard"), [
    (EASY, "en", False), (HARD, "en", True),
    ("Ouvrez le menu. Cliquez sur le bouton.", "fr", False),
    ("Ultérieurement, l'authentification administrative institutionnelle nécessite "
     "obligatoirement l'identification préalable.", "fr", True),
    ("Abra el menú. Pulse el botón.", "es", False),
    ("Posteriormente, la autenticación administrativa institucional requiere "
     "obligatoriamente identificación correspondiente.", "es", True),
])
def test_each_language_has_its_formula_and_target(body: str, lang: str, hard: bool):
    value = score(plain_text(text(body)), lang)
    assert TARGETS[lang].too_hard(value) is hard


def test_arabic_gets_no_score_and_no_warning():
    assert score("انقر على الزر. ثم افتح الإعدادات والخصوصية والأمان.", "ar") is None


def test_a_hard_step_gets_one_warning_line_naming_file_line_step_language_score_and_target(
        tmp_path: Path):
    project = copy(tmp_path, "fallback")
    edit(project / "steps.yaml", 'body: "Log in to the Reader website, then click **Menu** ((1))."',
         f'body: "{HARD} Click **Menu** ((1))."')
    line = next(i for i, row in enumerate((project / "steps.yaml").read_text().splitlines(), 1)
                if HARD in row)
    value = score(plain_text(text(f"{HARD} Click **Menu** ((1)).", ("Menu",))), "en")
    assert readability_lines(project) == [
        f"steps.yaml:{line}: step 'open-menu' [en]: reads above the plain-language target: "
        f"Flesch–Kincaid grade {value:g}, target at most 8; shorter sentences and words help"]


def test_an_easy_guide_gets_no_reading_warning(tmp_path: Path):
    assert readability_lines(copy(tmp_path, "fallback")) == []
    assert readability_lines(copy(tmp_path, "small")) == []  # English and Arabic


def test_scores_need_no_download(monkeypatch: pytest.MonkeyPatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("the reading-level figures tried to download data")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    assert score("Open the settings. Then untick the box.", "en") is not None


SENTENCES = [
    "Click OK.", "Open the menu. Click OK. Then close the window and wait.", "e.g. this one. And that.",
    "Wait... then go on with the next step now!", "¿Qué hace? ¡Pulse el botón azul ahora!",
    "Cliquez sur l'option « Paramètres » — puis sur OK.", "Download 1.5 GB of data, then restart it.",
    "A - b - c d e? f g.", "Menu\n- first item here\n- second one", "افتح القائمة ثم اختر الإعدادات. تم.",
    "   ", "Don't stop. It's fine, isn't it?", "Step (1) then (2) and (3).",
]


def test_sentences_are_counted_as_textstat_counts_them():
    """The sentence rule is written out in readability.py (textstat imports nltk); it must count as
    textstat does, on every shipped step's scored text and on edge cases."""
    import textstat  # here, not at the top: it imports nltk, which only this test needs

    texts = [plain_text(step.text(code)) for guide in shipped_guides()[0]
             for step in guide.steps for code in guide.codes] + SENTENCES
    assert len(texts) > len(SENTENCES)
    differ = [(t, sentence_count(t), textstat.sentence_count(t)) for t in texts
              if t.strip() and sentence_count(t) != textstat.sentence_count(t)]
    assert differ == []
