"""Render the recreated X pages: one Jinja template set, one strings file per language.

    guide/mockups/templates/*.html + guide/mockups/strings/<lang>.yaml -> guide/mockups/<lang>/<page>.html

The rendered pages are committed (capture opens them as plain files), so a change to a template or
a strings file is followed by `python -m guidebuilder mockups`; a test fails when they are stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import jinja2

from guidebuilder.errors import GuideError, Problem
from guidebuilder.source import yamlsource
from guidebuilder.store import atomic_write

MOCKUPS = Path(__file__).resolve().parents[3] / "guide" / "mockups"
# The fictional account shown in every page; the same in every language.
ACCOUNT = {"name": "Camille Martin", "handle": "@camille_lib", "initials": "CM"}
# Page name (the contract with capture.yaml and steps.yaml) -> template and its variables.
PAGES: dict[str, tuple[str, dict[str, object]]] = {
    "home": ("home.html", {"active": "home"}),
    "more-menu": ("home.html", {"active": "home", "more_open": True}),
    "privacy": ("settings.html", {"pane": "privacy"}),
    "grok-on": ("settings.html", {"pane": "grok", "checked": True}),
    "grok-off": ("settings.html", {"pane": "grok", "checked": False}),
}
REFERENCE_LANG = "en"  # every other strings file must have exactly its keys


def load_strings(folder: Path = MOCKUPS) -> dict[str, dict]:
    """Every language's strings, checked to have the same keys as the reference language."""
    files = sorted((folder / "strings").glob("*.yaml"))
    sources = {f.stem: yamlsource.load(f, f"mockups/strings/{f.name}") for f in files}
    if REFERENCE_LANG not in sources:
        raise GuideError(Problem(f"mockups/strings/{REFERENCE_LANG}.yaml", 0, "file missing"))
    reference = _shape(sources[REFERENCE_LANG].data)
    problems = []
    for lang, source in sources.items():
        shape = _shape(source.data)
        for key in sorted(reference - shape, key=str):
            problems.append(Problem(source.file, 1, f"missing key {_dotted(key)}", lang=lang))
        for key in sorted(shape - reference, key=str):
            problems.append(Problem(source.file, source.line(key),
                                    f"unknown key {_dotted(key)}", lang=lang))
    if problems:
        raise GuideError(problems)
    return {lang: source.data for lang, source in sources.items()}


def _shape(data: object, path: tuple = ()) -> set[tuple]:
    """The set of key paths of nested mappings (list items count by position)."""
    if isinstance(data, dict):
        return set().union(*(_shape(v, (*path, k)) for k, v in data.items())) | {path}
    if isinstance(data, list):
        return set().union(*(_shape(v, (*path, i)) for i, v in enumerate(data))) | {path}
    return {path}


def _dotted(path: tuple) -> str:
    return "'" + ".".join(str(p) for p in path) + "'"


def render_all(folder: Path = MOCKUPS) -> dict[Path, str]:
    """Every page in every language: path relative to the mockups folder -> HTML."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder / "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=False, lstrip_blocks=False)
    pages = {}
    for lang, strings in load_strings(folder).items():
        for page, (template, variables) in PAGES.items():
            html = env.get_template(template).render(
                lang=lang, dir=strings["dir"], s=strings, account=ACCOUNT, page=page,
                **{"active": None, "more_open": False, **variables})
            pages[Path(lang) / f"{page}.html"] = html
    return pages


def write_all(folder: Path = MOCKUPS) -> list[Path]:
    """Render every page into <folder>/<lang>/<page>.html; returns the files that changed."""
    changed = []
    for relative, html in render_all(folder).items():
        target = folder / relative
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            atomic_write(target, html.encode())
            changed.append(target)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=MOCKUPS)
    args = parser.parse_args(argv)
    changed = write_all(args.folder)
    print(f"mockups: {len(changed)} page(s) rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
