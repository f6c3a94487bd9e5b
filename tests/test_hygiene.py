"""Translators' hygiene: `make check` warns, without failing, about texts of a language that are
still the source language's, and stays quiet about what is the same in every language."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidebuilder.build.check import check_all
from guidebuilder.source.hygiene import untranslated
from guidebuilder.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")


@pytest.mark.parametrize(("value", "reference", "names", "expected"), [
    ("Open the settings and untick the box.", "Open the settings and untick the box.", (), True),
    ("Ouvrez les paramètres.", "Open the settings.", (), False),
    ("Open the menu", "Open the menu", (), False),  # three words: may well be the same
    ("A4", "A4", (), False),
    ("Step {n}", "Step {n}", (), False),
    ("See https://example.org/a/long/address/here", "See https://example.org/a/long/address/here", (), False),
    ("Click **Reading suggestions** ((1)).", "Click **Reading suggestions** ((1)).",
     ("Reading suggestions",), False),
    ("These steps describe the {product} website.", "These steps describe the {product} website.", (), True),
    ("Grok & Third-party Collaborators", "Grok & Third-party Collaborators",
     ("Grok & Third-party Collaborators",), False),
])
def test_what_counts_as_untranslated(value, reference, names, expected):
    assert untranslated(value, reference, names) is expected


def fallback_copy(tmp_path: Path) -> Path:
    project = tmp_path / "fallback"
    shutil.copytree(FIXTURES / "fallback", project)
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def warnings_of(project: Path) -> list[str]:
    checked = check_all(project / "steps.yaml", project, Store(project / ".cache"))
    return [str(w) for w in checked.warnings]


def test_texts_left_in_the_source_language_are_named_by_line_step_and_field(tmp_path: Path):
    project = fallback_copy(tmp_path)
    steps, strings = project / "steps.yaml", project / "guide" / "strings" / "de.yaml"
    edit(steps, 'title: "Leseempfehlungen in der Reader-App ausschalten"',
         'title: "Turn off reading suggestions in the Reader app"')
    edit(steps, 'body: "Die Reader-App gibt es noch nicht auf Deutsch: ihre Bilder sind auf Englisch."',
         'body: "The Reader app is not yet available in German: its pictures are in English."')
    edit(steps, 'alt: "Das offene Menü. Die Schaltfläche Menu trägt die Nummer 1 und Settings die Nummer 2."',
         'alt: "The open menu. The Menu button has the number 1 and Settings the number 2."')
    edit(steps, 'title: "Öffnen Sie das Menü"', 'title: "Open the menu"')  # short: not reported
    edit(strings, 'handout_scan: "Scannen Sie den Code mit der Kamera Ihres Telefons oder tippen Sie '
         'die Adresse unten ein."', "handout_scan: \"Scan the code with your phone's camera, or type "
         "the address below.\"")
    edit(strings, 'source: "Quelle"', 'source: "Source"')  # one word: not reported
    assert warnings_of(project) == [
        "steps.yaml:26: guide [de]: note 1's body is the same as in 'en', the source language; "
        "translate it",
        "steps.yaml:32: guide [de]: the guide's title is the same as in 'en', the source language; "
        "translate it",
        "steps.yaml:71: step 'open-settings' [de]: the alt text is the same as in 'en', the source "
        "language; translate it",
        "guide/strings/de.yaml:29: [de]: 'handout_scan' is the same as in guide/strings/en.yaml; "
        "translate it",
    ]


@pytest.mark.parametrize("name", ["small", "fallback", "real"])
def test_translated_fixtures_give_no_warning(name: str, tmp_path: Path):
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project, ignore=shutil.ignore_patterns("*.py"))
    assert warnings_of(project) == []


def test_the_shipped_guide_is_translated(tmp_path: Path):
    checked = check_all(ROOT / "steps.yaml", ROOT, Store(tmp_path / "cache"))
    assert [str(w) for w in checked.warnings if "the same as in" in w.message] == []


def test_check_warns_and_succeeds(tmp_path: Path):
    project = fallback_copy(tmp_path)
    edit(project / "guide" / "strings" / "de.yaml",
         'interface_date: "Diese Schritte beschreiben die Bildschirme von {product}, '
         'wie sie im {date} waren."',
         'interface_date: "These steps describe the screens of {product} as they were in {date}."')
    result = subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project), "check"],
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "scripts"),
                                                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "guide/strings/de.yaml:10: [de]: 'interface_date' is the same as in guide/strings/en.yaml; "
        "translate it"]
    assert result.stdout == "steps.yaml: OK (3 steps in 2 languages: en, de); 1 warning\n"
