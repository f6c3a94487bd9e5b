"""The builder's own words (headings, link texts) per language, from guide/strings/<code>.yaml.

The source language's file is the reference: every other language must have exactly its keys, so a
translator adding a language is told which words are still missing, with file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from guidebuilder.errors import GuideError, Problem
from guidebuilder.model import Guide
from guidebuilder.source import yamlsource

Strings = Mapping[str, Mapping[str, str]]  # lang -> key -> the builder's word in that language


def strings_dir(root: Path) -> Path:
    return root / "guide" / "strings"


def load_strings(guide: Guide) -> Strings:
    """Every language's interface words; raise GuideError listing every missing or extra key."""
    folder = strings_dir(guide.root)
    reference_code = guide.source_language.code
    problems: list[Problem] = []
    loaded: dict[str, tuple[yamlsource.Source, dict]] = {}
    for code in guide.codes:
        path = folder / f"{code}.yaml"
        shown = f"guide/strings/{code}.yaml"
        if not path.exists():
            problems.append(Problem(shown, 0, f"missing file; copy guide/strings/"
                                    f"{reference_code}.yaml to {shown} and translate it",
                                    lang=code))
            continue
        try:
            source = yamlsource.load(path, shown)
        except GuideError as exc:
            problems.extend(exc.problems)
            continue
        data = source.data if isinstance(source.data, dict) else {}
        if not isinstance(source.data, dict):
            problems.append(Problem(shown, 1, "must be a list of `key: text` lines", lang=code))
        for key, value in data.items():
            if not isinstance(value, str) or not value.strip():
                kind = source.implicit.get((key,), ("not text", ""))[0]
                problems.append(Problem(shown, source.line((key,)),
                                        f"'{key}' must be text (YAML reads it as {kind}); "
                                        "put it in quotes", lang=code))
        loaded[code] = (source, data)
    if reference_code in loaded:
        reference = loaded[reference_code][1]
        for code, (source, data) in loaded.items():
            shown = source.file
            for key in reference:
                if key not in data:
                    problems.append(Problem(shown, 0, f"'{key}' is missing; translate the line "
                                            f"'{key}' of guide/strings/{reference_code}.yaml",
                                            lang=code))
            for key in data:
                if key not in reference:
                    problems.append(Problem(shown, source.line((key,)),
                                            f"unknown key '{key}' (not in guide/strings/"
                                            f"{reference_code}.yaml); remove it or add it there",
                                            lang=code))
    if problems:
        raise GuideError(problems)
    return MappingProxyType({code: MappingProxyType(loaded[code][1]) for code in guide.codes})


def format_month(day, lang: str) -> str:
    """'juillet 2024', 'July 2024', 'julio de 2024', 'يوليو 2024': month precision, in the language."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", day, locale=lang.replace("-", "_"))


def format_day(day, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale=lang.replace("-", "_"))
