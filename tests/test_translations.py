"""`make translations`: the figures of a guide with a language partly left in the source language."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from guidebuilder.build.check import check_all
from guidebuilder.build.translations import translation_report
from guidebuilder.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")
SUMMARY = "The Reader app suggests books from what you read. This guide shows you how to turn them off."
ALT = "The side bar of the Reader home page. The Menu button is framed and has the number 1."


def partly_translated(tmp_path: Path) -> Path:
    """The fallback fixture (en, de) with the German summary and one German alt text left in English."""
    project = tmp_path / "fallback"
    shutil.copytree(FIXTURES / "fallback", project)
    steps = project / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    for german in ('"Die Reader-App empfiehlt Bücher nach dem, was Sie lesen. Diese Anleitung zeigt, '
                   'wie Sie das ausschalten."',
                   '"Die Seitenleiste der Reader-Startseite. Die Schaltfläche Menu ist eingerahmt '
                   'und trägt die Nummer 1."'):
        assert german in text, german
    text = text.replace('summary: "Die Reader-App empfiehlt', f'summary: "{SUMMARY}"\n#', 1)
    text = text.replace('alt: "Die Seitenleiste der Reader-Startseite', f'alt: "{ALT}"\n#', 1)
    steps.write_text(text, encoding="utf-8")
    return project


def report_of(project: Path):
    return translation_report(check_all(project / "steps.yaml", project, Store(project / ".cache")))


def test_a_partly_translated_language_shows_its_share_labels_and_identical_texts(tmp_path: Path):
    report = report_of(partly_translated(tmp_path))
    en, de = report.languages
    # 12 texts: the title, the summary, the note's body, and 3 steps × title, body, alt text.
    assert (en.entries, en.translated, en.identical) == (12, 12, ())
    assert (de.entries, de.translated, de.share) == (12, 10, "83% (10/12)")
    assert [p.where or p.step for p in de.identical] == ["guide", "open-menu"]
    assert de.unconfirmed == ("open-settings: Einstellungen",)
    assert de.strings.endswith("keys, all translated") and en.strings.startswith("reference, ")
    assert en.reading.startswith("Flesch–Kincaid grade ") and en.reading.endswith("target at most 8")
    assert de.reading == "no score: no formula for this language"
    assert report.fuzzy.startswith("n/a (no PO files")


def test_the_table_has_a_row_per_language_and_lists_what_is_left(tmp_path: Path):
    lines = report_of(partly_translated(tmp_path)).lines()
    assert lines[0] == "steps.yaml (fallback/)"
    assert lines[1].split()[:3] == ["lang", "translated", "unconfirmed"]
    assert lines[2].split()[:3] == ["en", "source", "0"]
    assert lines[3].split()[:5] == ["de", "83%", "(10/12)", "1", "2"]
    assert "  [de] unconfirmed label: open-settings: Einstellungen" in lines
    assert sum("[de] still the source language's: steps.yaml:" in line for line in lines) == 2


def test_po_files_replace_the_fuzzy_placeholder_with_their_count(tmp_path: Path):
    """Once `make po` has written po/<slug>/, the report counts its fuzzy entries per language."""
    import polib

    from guidebuilder.build.po.commands import export_po

    project = partly_translated(tmp_path)
    export_po(project, project / ".cache", None, "1722000000")
    po_file = project / "po" / "fallback" / "de.po"
    catalog = polib.pofile(str(po_file))
    assert report_of(project).fuzzy == "0 in po/fallback/ (de 0)"
    for entry in catalog[:2]:
        entry.flags.append("fuzzy")
    catalog.save()
    assert report_of(project).fuzzy == "2 in po/fallback/ (de 2)"


def test_the_command_prints_the_table(tmp_path: Path):
    project = partly_translated(tmp_path)
    (project / "mkdocs.yml").write_text("site_name: x\nsite_url: https://example.org/\n")
    done = subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project),
                           "translations"], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "scripts")}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[3].split()[:2] == ["de", "83%"]
