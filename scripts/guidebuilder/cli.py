"""The command line: `python -m guidebuilder <command>` (check, translations, po, po-import, build,
serve, capture, mockups, new-guide, package).

Every command works on all the project's guides, or on one with `--guide <slug>` (`make GUIDE=`).

The only place that prints errors: a GuideError or BuildError becomes one line per problem and exit
status 1. A traceback means a bug in the builder, never a mistake in the guide.
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from guidebuilder import addresses
from guidebuilder.errors import BuildError, GuideError
from guidebuilder.site.engines import NAMES as ENGINES

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="guidebuilder", description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    _cache_option(parser, None)
    _guide_option(parser, None)
    sub = parser.add_subparsers(dest="command", required=True)
    _guide_option(_cache_option(sub.add_parser(
        "check", help="validate each guide's steps.yaml and the files it names")))
    _guide_option(_cache_option(sub.add_parser(
        "translations", help="where each guide's translations stand, per language: a table")))
    _guide_option(_cache_option(sub.add_parser(
        "po", help="write the guide's texts as PO files for translators, into po/<slug>/")))
    _guide_option(_cache_option(sub.add_parser(
        "po-import", help="write the translations of the PO files in po/ back into steps.yaml "
        "and guide/strings/")))
    serve = _guide_option(_cache_option(sub.add_parser(
        "serve", help="live preview of one guide in one language, rebuilt on every change "
        "(default: the first guide)")))
    serve.add_argument("--lang", default="fr", help="language code from steps.yaml (default: fr)")
    serve.add_argument("--addr", default=addresses.DEFAULT, help="address to serve on, HOST:PORT")
    build = _guide_option(_cache_option(sub.add_parser(
        "build", help="build the site, handouts and crops of every guide (or one) into site/")))
    build.add_argument("--verbosity", type=int, default=1, choices=(0, 1, 2))
    build.add_argument("--out", type=Path,
                       help="output folder (default: <root>/site, or <root>/site-<engine>)")
    build.add_argument("--engine", default=ENGINES[0], choices=ENGINES,
                       help="the site's engine: mkdocs (default) or zensical, its successor")
    build.add_argument("--jobs", type=int, help="processes for crops and handouts (default: all cores)")
    capture = _guide_option(sub.add_parser(
        "capture", help="screenshot the pages of each guide's capture list, with their named "
        "regions (guide/screenshots/README.md)"))
    capture.add_argument("--list", type=Path,
                         help="one capture list (default: every guide's capture.yaml)")
    capture.add_argument("--storage-state", type=Path,
                         help="Playwright storage state of a logged-in browser; never commit it")
    capture.add_argument("--lang", action="append", help="only this language (repeatable)")
    capture.add_argument("--page", action="append", help="only this page (repeatable)")
    mockups = _guide_option(sub.add_parser(
        "mockups", help="render each guide's recreated pages (its mockups/ folder)"))
    mockups.add_argument("--dir", type=Path, help="one mockups folder (default: every guide's)")
    package = sub.add_parser("package", help="zip the built site/ into one file that opens with "
                             "no network (site-package.zip)")
    package.add_argument("--site", type=Path, help="the built site (default: <root>/site)")
    package.add_argument("--out", type=Path, help="the zip (default: <root>/site-package.zip)")
    new = sub.add_parser("new-guide", help="start a new guide in guides/<slug>/ from a template")
    new.add_argument("slug", help="the new guide's address under the site, e.g. stop-meta-ai")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.root, args.cache, args.guide)
        if args.command == "translations":
            return _translations(args.root, args.cache, args.guide)
        if args.command in ("po", "po-import"):
            return _po(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "build":
            return _build(args.root, args)
        if args.command == "capture":
            return _capture(args)
        if args.command == "mockups":
            return _mockups(args)
        if args.command == "package":
            return _package(args)
        if args.command == "new-guide":
            from guidebuilder.build.newguide import new_guide

            print(new_guide(args.root, args.slug))
            return 0
    except GuideError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        done = "written" if args.command in ("po", "po-import") else "built"
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was {done}.",
              file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous site/ is unchanged.", file=sys.stderr)
        return 130
    return 2


def _cache_option(parser: argparse.ArgumentParser, default=argparse.SUPPRESS) -> argparse.ArgumentParser:
    """--cache, before or after the command (`--cache DIR build` or `build --cache DIR`): a command's
    own option is set only when given, so it never hides the one given before the command."""
    parser.add_argument("--cache", type=Path, default=default,
                        help="the store of crops, handouts, site and fonts (default: <root>/.cache)")
    return parser


def _guide_option(parser: argparse.ArgumentParser, default=argparse.SUPPRESS) -> argparse.ArgumentParser:
    """--guide SLUG, before or after the command, like --cache."""
    parser.add_argument("--guide", default=default, metavar="SLUG",
                        help="only this guide (its slug: guides/<slug>/, or the first guide's)")
    return parser


def _check(root: Path, cache: Path | None, guide: str | None) -> int:
    from guidebuilder.build.orchestrator import check

    shelf = check(root, cache, guide)
    print_warnings(shelf.warnings)
    for checked in shelf.selected:
        g = checked.guide
        print(f"{g.shown_file}: OK ({_count(len(g.steps), 'step')} in "
              f"{_count(len(g.languages), 'language')}: {', '.join(g.codes)})"
              f"{_warned(checked.warnings)}")
    return 0


def _translations(root: Path, cache: Path | None, guide: str | None) -> int:
    from guidebuilder.build.orchestrator import check
    from guidebuilder.build.translations import translation_report

    for checked in check(root, cache, guide).selected:
        print("\n".join(translation_report(checked).lines()))
    return 0


def _po(args: argparse.Namespace) -> int:
    from guidebuilder.build.orchestrator import source_date_epoch
    from guidebuilder.build.po.commands import export_po, import_po

    if args.command == "po":
        lines = export_po(args.root, args.cache, args.guide, source_date_epoch(args.root))
    else:
        lines = import_po(args.root, args.cache, args.guide)
    print("\n".join(lines))
    return 0


def print_warnings(warnings) -> None:
    """Warnings, one line each on stderr like errors; they do not stop anything."""
    for warning in warnings:
        print(warning, file=sys.stderr)


def _warned(warnings) -> str:
    return f"; {_count(len(warnings), 'warning')}" if warnings else ""


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _serve(args: argparse.Namespace) -> int:
    from guidebuilder.build.orchestrator import serve

    host, port = addresses.parse(args.addr)
    addresses.ensure_free(host, port)  # before the first build, which takes a while
    try:
        serve(args.root, args.lang, args.addr, cache=args.cache, guide=args.guide)
    except OSError as exc:  # taken after all, between the try and MkDocs' own bind
        if exc.errno != errno.EADDRINUSE:
            raise
        raise BuildError(addresses.unusable(host, port, exc)) from None
    return 0


def _capture(args: argparse.Namespace) -> int:
    from guidebuilder.capture import capturelist
    from guidebuilder.capture.shoot import capture

    lists = [args.list] if args.list else [files.capture_list for files in _guides(args)
                                           if files.capture_list.is_file()]
    if not lists:
        raise BuildError("no capture list (capture.yaml) in the guide's folder; write one like "
                         "guide/capture.yaml, or take the screenshots by hand "
                         "(guide/screenshots/README.md)")
    for path in lists:
        shown = str(path.relative_to(args.root)) if path.is_relative_to(args.root) else str(path)
        capture(capturelist.load(path, shown), languages=args.lang, pages=args.page,
                storage_state=args.storage_state)
    return 0


def _mockups(args: argparse.Namespace) -> int:
    from guidebuilder.capture.mockups import main as mockups_main

    folders = [args.dir] if args.dir else [files.mockups for files in _guides(args)
                                           if files.mockups.is_dir()]
    for folder in folders:
        mockups_main(["--dir", str(folder)])
    return 0


def _guides(args: argparse.Namespace):
    """The project's guides a command works on: all, or the one of --guide."""
    from guidebuilder.build.check import slug_of
    from guidebuilder.project import find_project

    project = find_project(args.root)
    return project.select(args.guide, lambda: slug_of(project.guides[0].steps, project))


def _build(root: Path, args: argparse.Namespace) -> int:
    from guidebuilder.build.orchestrator import build

    default_out = root / ("site" if args.engine == ENGINES[0] else f"site-{args.engine}")
    build(root, args.out or default_out, verbosity=args.verbosity, jobs=args.jobs,
          cache=args.cache, engine=args.engine, guide=args.guide)
    return 0


def _package(args: argparse.Namespace) -> int:
    from guidebuilder.build.orchestrator import source_date_epoch
    from guidebuilder.build.package import package_site

    out = package_site(args.site or args.root / "site", args.out or args.root / "site-package.zip",
                       source_date_epoch(args.root))
    print(f"package: {out}")
    return 0
