"""The builder's own words: a translator is told exactly which are missing, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebuilder.errors import GuideError
from guidebuilder.source.strings import format_month, load_strings
from guidebuilder.source.validate import load_guide
from projects import small_guide

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_strings_complete_for_every_language():
    guide = load_guide(ROOT / "steps.yaml", ROOT)
    strings = load_strings(guide)
    assert set(strings) == set(guide.codes)
    reference = strings[guide.source_language.code]
    for lang in guide.codes:
        assert set(strings[lang]) == set(reference), lang
        assert "2" in strings[lang]["step"].format(n=2), f"{lang}: 'step' must keep {{n}}"


def test_strings_are_read_as_written():
    strings = load_strings(small_guide())
    assert strings["ar"]["step"].format(n=2) == "الخطوة 2"
    assert set(strings["ar"]) == set(strings["en"])


def test_missing_and_extra_keys_are_named(project: Path):
    ar = project / "guide/strings/ar.yaml"
    lines = [line for line in ar.read_text(encoding="utf-8").splitlines() if not line.startswith("source:")]
    ar.write_text("\n".join([*lines, "sauce: \"x\""]) + "\n", encoding="utf-8")
    guide = load_guide(project / "steps.yaml", project)
    with pytest.raises(GuideError) as info:
        load_strings(guide)
    assert [str(p) for p in info.value.problems] == [
        "guide/strings/ar.yaml: [ar]: 'source' is missing; translate the line 'source' of "
        "guide/strings/en.yaml",
        f"guide/strings/ar.yaml:{len(lines) + 1}: [ar]: unknown key 'sauce' (not in guide/strings/en.yaml); "
        "remove it or add it there",
    ]


def test_missing_strings_file_says_what_to_copy(project: Path):
    (project / "guide/strings/ar.yaml").unlink()
    guide = load_guide(project / "steps.yaml", project)
    with pytest.raises(GuideError) as info:
        load_strings(guide)
    assert [str(p) for p in info.value.problems] == [
        "guide/strings/ar.yaml: [ar]: missing file; copy guide/strings/en.yaml to guide/strings/ar.yaml "
        "and translate it",
    ]


def test_month_names_in_each_language():
    from datetime import date

    day = date(2024, 7, 26)
    assert [format_month(day, lang) for lang in ("fr", "en", "es", "ar")] == [
        "juillet 2024", "July 2024", "julio de 2024", "يوليو 2024"]


def test_a_placeholder_the_builder_does_not_fill_is_named(project: Path):
    ar = project / "guide/strings/ar.yaml"
    lines = ar.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("interface_date:"))
    lines[line - 1] = 'interface_date: "تصف هذه الخطوات موقع {produkt} كما كان في {date}."'
    ar.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_strings(load_guide(project / "steps.yaml", project))
    assert [str(p) for p in info.value.problems] == [
        f"guide/strings/ar.yaml:{line}: [ar]: 'interface_date' uses {{produkt}}, which the builder "
        "does not fill here; use only {date}, {product}, as guide/strings/en.yaml does"]


def test_the_product_is_filled_in_and_other_placeholders_kept(project: Path):
    strings = load_strings(load_guide(project / "steps.yaml", project))
    assert strings["en"]["interface_date"] == ("These steps describe the screens of Reader App as "
                                               "they were in {date}.")
    assert strings["ar"]["fallback_caption"] == "تعرض الصورة Reader باللغة {language}."
