"""The builder's own words (headings, link texts) per language, from guide/strings/<code>.yaml.

The source language's file is the reference: every other language must have exactly its keys, so a
translator adding a language is told which words are still missing, with file and line. Every text
is `key: text`, except `language_names:`, a mapping of language codes to their names in this
language (optional; needed for each language whose screenshots this language's readers see).
`{product}` in a text is replaced here by the guide's product name in that language; the other
placeholders ({n}, {date}, {language}...) are filled by the stage that prints the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from guidebuilder.errors import GuideError, Problem
from guidebuilder.model import Guide, Note
from guidebuilder.source import yamlsource
from guidebuilder.source.hygiene import strings_warnings

# lang -> key -> the builder's word in that language; "language_names" -> code -> name
Strings = Mapping[str, Mapping[str, object]]
NAMES = "language_names"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # {n}, {date}, {product}...


def strings_dir(root: Path) -> Path:
    return root / "guide" / "strings"


def load_strings(guide: Guide) -> Strings:
    """Every language's interface words; raise GuideError listing every missing or extra key."""
    return read_strings(guide)[0]


def read_strings(guide: Guide) -> tuple[Strings, list[Problem]]:
    """load_strings, and the warnings: texts still identical to the source language's file."""
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
            if key == NAMES:
                problems += _names_problems(source, value, code)
            elif not isinstance(value, str) or not value.strip():
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
                if key not in data and key != NAMES:
                    problems.append(Problem(shown, 0, f"'{key}' is missing; translate the line "
                                            f"'{key}' of guide/strings/{reference_code}.yaml",
                                            lang=code))
            for key in data:
                if key not in reference and key != NAMES:
                    problems.append(Problem(shown, source.line((key,)),
                                            f"unknown key '{key}' (not in guide/strings/"
                                            f"{reference_code}.yaml); remove it or add it there",
                                            lang=code))
                elif key != NAMES:
                    problems += _placeholder_problems(source, key, data[key], reference[key],
                                                      reference_code, code)
    for lang in guide.languages:
        if lang.screenshots and lang.code in loaded:
            problems += _fallback_name_problems(loaded[lang.code], lang.code, lang.screenshots)
    if problems:
        raise GuideError(problems)
    warnings = strings_warnings(loaded, reference_code,
                                {guide.product(code) for code in guide.codes})
    return MappingProxyType({code: _words(loaded[code][1], guide.product(code))
                             for code in guide.codes}), warnings


def _words(data: dict, product: str) -> Mapping[str, object]:
    words: dict[str, object] = {key: value.replace("{product}", product)
                                for key, value in data.items() if key != NAMES}
    words[NAMES] = MappingProxyType(dict(data.get(NAMES) or {}))
    return MappingProxyType(words)


def _placeholder_problems(source: yamlsource.Source, key: str, value: object, reference: object,
                          reference_code: str, code: str) -> list[Problem]:
    """A placeholder the reference line does not have would be left unfilled, or stop the build."""
    if not (isinstance(value, str) and isinstance(reference, str)):
        return []
    allowed = set(PLACEHOLDER.findall(reference)) | {"{product}"}
    unknown = [name for name in dict.fromkeys(PLACEHOLDER.findall(value)) if name not in allowed]
    if not unknown:
        return []
    return [Problem(source.file, source.line((key,)), f"'{key}' uses {', '.join(unknown)}, which "
                    f"the builder does not fill here; use only {', '.join(sorted(allowed))}, as "
                    f"guide/strings/{reference_code}.yaml does", lang=code)]


def _names_problems(source: yamlsource.Source, value: object, code: str) -> list[Problem]:
    line = source.line((NAMES,))
    if not isinstance(value, dict):
        return [Problem(source.file, line, f"'{NAMES}' must be a list of `code: name` lines, e.g. "
                        f"{NAMES}: {{en: English}}", lang=code)]
    return [Problem(source.file, source.line((NAMES, key)), f"'{NAMES}': the name of '{key}' must "
                    "be text", lang=code)
            for key, name in value.items() if not isinstance(name, str) or not name.strip()]


def _fallback_name_problems(loaded: tuple[yamlsource.Source, dict], code: str, other: str
                            ) -> list[Problem]:
    """A language showing another's screenshots names that language in its captions."""
    source, data = loaded
    names = data.get(NAMES)
    if isinstance(names, dict) and other in names:
        return []
    line = source.line((NAMES,)) if isinstance(names, dict) else 0
    return [Problem(source.file, line, f"no name for '{other}', the language of the screenshots "
                    f"this language shows; add it under '{NAMES}:' as it is written in this "
                    f"language, e.g. {NAMES}: {{{other}: ...}}", lang=code)]


def format_month(day, lang: str) -> str:
    """'juillet 2024', 'July 2024', 'julio de 2024', 'يوليو 2024': month precision, in the language."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", day, locale=lang.replace("-", "_"))


def format_day(day, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale=lang.replace("-", "_"))


def note_title(words: Mapping[str, object], note: Note, lang: str) -> str:
    """A guide note's title: its own in `lang`, else the builder's default for its kind."""
    return note.text(lang).title or str(words[f"note_{note.kind}"])


def picture_captions(words: Mapping[str, object], provenance: str, shows: str, lang: str
                     ) -> tuple[str, ...]:
    """The lines under a step's picture, in the reader's language: where its screenshot comes from
    (`provenance`), and which language it shows when that is not the reader's (`shows`)."""
    lines = [str(words[f"notice_{provenance}"])]
    if shows and shows != lang:
        lines.append(str(words["fallback_caption"]).format(language=words[NAMES][shows]))
    return tuple(lines)
