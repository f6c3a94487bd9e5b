"""`make check` on screenshots: every quoted label is shown in the screenshot of its language, and the
badges drawn match the badges the text refers to, in every language."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cropkit import BOXES, TEXTS, guide_of, make_project
from guidebuilder.errors import GuideError
from guidebuilder.images.checks import check_images
from guidebuilder.store import Store

ROOT = Path(__file__).resolve().parents[1]
STALE = ("steps.yaml:13: step 'click-button' [fr]: the label 'Bouton' does not appear in the screenshot "
         "(guide/screenshots/fr/page.regions.json); closest text shown: 'Valider' (region 'button'); "
         "update the label in steps.yaml or re-capture the screenshot (`make capture`)")


def with_texts(**changes) -> dict:
    texts = dict(TEXTS)
    for name, text in changes.items():
        texts[name] = {"fr": text, "ar": TEXTS["button"]["ar"]} if name == "button" else text
    return texts


def problems(root: Path) -> list[str]:
    try:
        check_images(guide_of(root), Store(root / ".cache"))
    except GuideError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_labels_shown_pass(tmp_path: Path):
    assert problems(make_project(tmp_path)) == []


def test_stale_screenshot_names_step_language_label_and_what_it_shows(tmp_path: Path):
    """The French screenshot predates the interface the text describes: its button says 'Valider'."""
    root = make_project(tmp_path, texts=with_texts(button="Valider"))
    assert problems(root) == [STALE]


def test_label_match_ignores_spacing_but_not_case(tmp_path: Path):
    assert problems(make_project(tmp_path / "a", texts=with_texts(button=" Bouton\n "))) == []
    assert problems(make_project(tmp_path / "b", texts=with_texts(button="Le  Bouton bleu"))) == []
    lowered = problems(make_project(tmp_path / "c", texts=with_texts(button="bouton")))
    assert lowered == [STALE.replace("'Valider'", "'bouton'")]


def test_label_inside_a_larger_region_counts(tmp_path: Path):
    boxes = {**BOXES, "menu": [60, 40, 200, 100]}
    texts = with_texts(button="", menu="Accueil Bouton Profil")
    assert problems(make_project(tmp_path, boxes=boxes, texts=texts)) == []


def test_redacted_text_never_appears_in_a_message(tmp_path: Path):
    root = make_project(tmp_path, texts=with_texts(button="", **{"account-name": "Bouton Jeanne"}))
    found = problems(root)
    assert found == [STALE.replace("closest text shown: 'Valider' (region 'button')",
                                   "its regions record no text")]
    assert all("Jeanne" not in line for line in found)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("**Bouton** ((1))", "**Bouton** ((2))", [
        "steps.yaml:20: step 'click-button' [fr]: the body refers to badge ((2)) but the image has no "
        "badge 2; add a highlight '<region> as 2' or remove the reference",
        "steps.yaml:20: step 'click-button' [fr]: the image shows badge 1 but the body never refers to "
        "it; write ((1)) where the text tells the reader what to click",
    ]),
    ("**زر** ((1))", "**زر**", [
        "steps.yaml:22: step 'click-button' [ar]: the image shows badge 1 but the body never refers to "
        "it; write ((1)) where the text tells the reader what to click",
    ]),
], ids=["text-refers-to-missing-badge", "badge-without-reference-in-one-language"])
def test_badges_drawn_match_the_text_in_every_language(tmp_path: Path, old: str, new: str, expected):
    root = make_project(tmp_path)
    steps = root / "steps.yaml"
    steps.write_text(steps.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(GuideError) as info:
        guide_of(root)
    assert [str(p) for p in info.value.problems] == expected


def test_make_check_reports_the_stale_label(tmp_path: Path):
    root = make_project(tmp_path, texts=with_texts(button="Valider"))
    for code in ("fr", "ar"):
        (root / "guide" / "strings").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "guide" / "strings" / f"{code}.yaml", root / "guide" / "strings")
    run = subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(root), "check"],
                         capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1, run.stderr
    assert run.stderr.splitlines() == [STALE, "1 problem found; nothing was built."]


def test_every_step_needs_an_image(tmp_path: Path):
    root = make_project(tmp_path)
    steps = root / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    start, end = text.index("    image:\n"), text.index("    text:\n")
    steps.write_text(text[:start] + text[end:], encoding="utf-8")
    text = steps.read_text(encoding="utf-8").replace(" ((1))", "")
    steps.write_text(text, encoding="utf-8")
    assert problems(root) == [
        "steps.yaml:13: step 'click-button': step has no image; add 'image:' with screenshot, crop and "
        "highlight, e.g. screenshot: screenshots/{lang}/home.png, crop: around nav, highlight: "
        "[nav as 1]"]
