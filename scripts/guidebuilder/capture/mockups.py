"""Render the recreated pages of one mockups folder: Jinja templates, one strings file per language,
and `pages.yaml`, the list of pages (each a template and its variables) and the fictional account.

    <folder>/templates/*.html + <folder>/strings/<lang>.yaml + <folder>/pages.yaml
        -> <folder>/<lang>/<page>.html

The rendered pages are committed (capture opens them as plain files), so a change to a template, a
strings file or pages.yaml is followed by `python -m guidebuilder mockups --dir <folder>`; a test
fails when they are stale.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from guidebuilder.errors import GuideError, Problem
from guidebuilder.source import yamlsource
from guidebuilder.store import atomic_write

MOCKUPS = Path(__file__).resolve().parents[3] / "guide" / "mockups"
REFERENCE_LANG = "en"  # every other strings file must have exactly its keys
PAGES_KEYS = ("account", "defaults", "pages")
PAGE_KEYS = ("template", "variables")


@dataclass(frozen=True)
class MockupPage:
    name: str  # the contract with capture.yaml (its urls) and so with steps.yaml
    template: str  # under templates/
    variables: Mapping[str, object]  # the folder's defaults, overridden by the page's own


@dataclass(frozen=True)
class PageList:
    """pages.yaml: the fictional account every page shows, and the pages."""

    account: Mapping[str, object]
    pages: tuple[MockupPage, ...]


def load_pages(folder: Path = MOCKUPS, shown: str = "mockups") -> PageList:
    """Read and check <folder>/pages.yaml; every problem is raised together."""
    source = yamlsource.load(folder / "pages.yaml", f"{shown}/pages.yaml")
    problems: list[Problem] = []

    def mapping(path: tuple, allowed: tuple[str, ...] | None, what: str) -> dict:
        value = _at(source.data, path)
        if not isinstance(value, dict):
            problems.append(Problem(source.file, source.line(path), f"{what} must be a mapping"))
            return {}
        for key in value if allowed is not None else ():
            if key not in allowed:
                problems.append(Problem(source.file, source.line((*path, key)),
                                        f"unknown key '{key}' in {what}; allowed: "
                                        + ", ".join(allowed)))
        return value

    top = mapping((), PAGES_KEYS, "pages.yaml")
    account = mapping(("account",), None, "account") if "account" in top else {}
    defaults = mapping(("defaults",), None, "defaults") if "defaults" in top else {}
    pages = []
    for name in mapping(("pages",), None, "pages") if "pages" in top else ():
        where = ("pages", name)
        spec = mapping(where, PAGE_KEYS, f"page '{name}'")
        template = spec.get("template")
        if not (isinstance(template, str) and (folder / "templates" / template).is_file()):
            problems.append(Problem(source.file, source.line((*where, "template")),
                                    f"page '{name}': template must name a file of templates/"))
        own = mapping((*where, "variables"), None, f"page '{name}': variables") \
            if "variables" in spec else {}
        pages.append(MockupPage(str(name), str(template), {**defaults, **own}))
    if not pages:
        problems.append(Problem(source.file, source.line(("pages",)),
                                "pages must map each page name to its template"))
    if problems:
        raise GuideError(problems)
    return PageList(account, tuple(pages))


def _at(data: object, path: tuple) -> object:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def load_strings(folder: Path = MOCKUPS, shown: str = "mockups") -> dict[str, dict]:
    """Every language's strings, checked to have the same keys as the reference language."""
    files = sorted((folder / "strings").glob("*.yaml"))
    sources = {f.stem: yamlsource.load(f, f"{shown}/strings/{f.name}") for f in files}
    if REFERENCE_LANG not in sources:
        raise GuideError(Problem(f"{shown}/strings/{REFERENCE_LANG}.yaml", 0, "file missing"))
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


def render_all(folder: Path = MOCKUPS, shown: str = "mockups") -> dict[Path, str]:
    """Every page in every language: path relative to the mockups folder -> HTML."""
    listed = load_pages(folder, shown)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder / "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=False, lstrip_blocks=False)
    pages = {}
    for lang, strings in load_strings(folder, shown).items():
        for page in listed.pages:
            html = env.get_template(page.template).render(
                lang=lang, dir=strings["dir"], s=strings, account=listed.account, page=page.name,
                **page.variables)
            pages[Path(lang) / f"{page.name}.html"] = html
    return pages


def write_all(folder: Path = MOCKUPS, shown: str = "mockups") -> list[Path]:
    """Render every page into <folder>/<lang>/<page>.html; returns the files that changed."""
    changed = []
    for relative, html in render_all(folder, shown).items():
        target = folder / relative
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            atomic_write(target, html.encode())
            changed.append(target)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=MOCKUPS)
    args = parser.parse_args(argv)
    changed = write_all(args.dir, _shown(args.dir))
    print(f"mockups: {len(changed)} page(s) rewritten in {_shown(args.dir)}")
    return 0


def _shown(folder: Path) -> str:
    """The folder as messages show it: relative to the working directory when under it."""
    try:
        return folder.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return folder.as_posix()


if __name__ == "__main__":
    raise SystemExit(main())
