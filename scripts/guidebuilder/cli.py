"""The command line: `python -m guidebuilder check|build|capture|serve`.

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
    parser.add_argument("--steps", type=Path, help="the guide file (default: <root>/steps.yaml)")
    _cache_option(parser, None)
    sub = parser.add_subparsers(dest="command", required=True)
    _cache_option(sub.add_parser("check", help="validate steps.yaml and the files it names"))
    serve = _cache_option(sub.add_parser(
        "serve", help="live preview of one language's site, rebuilt on every change"))
    serve.add_argument("--lang", default="fr", help="language code from steps.yaml (default: fr)")
    serve.add_argument("--addr", default=addresses.DEFAULT, help="address to serve on, HOST:PORT")
    build = _cache_option(sub.add_parser("build", help="build the site, handouts and crops into site/"))
    build.add_argument("--verbosity", type=int, default=1, choices=(0, 1, 2))
    build.add_argument("--out", type=Path,
                       help="output folder (default: <root>/site, or <root>/site-<engine>)")
    build.add_argument("--engine", default=ENGINES[0], choices=ENGINES,
                       help="the site's engine: mkdocs (default) or zensical, its successor")
    build.add_argument("--jobs", type=int, help="processes for crops and handouts (default: all cores)")
    capture = sub.add_parser("capture", help="screenshot the pages of a capture list, with "
                             "their named regions (guide/screenshots/README.md)")
    capture.add_argument("--list", type=Path, help="default: <root>/guide/capture.yaml")
    capture.add_argument("--storage-state", type=Path,
                         help="Playwright storage state of a logged-in browser; never commit it")
    capture.add_argument("--lang", action="append", help="only this language (repeatable)")
    capture.add_argument("--page", action="append", help="only this page (repeatable)")
    mockups = sub.add_parser("mockups", help="render the recreated pages of a mockups folder")
    mockups.add_argument("--dir", type=Path, help="the mockups folder (default: <root>/guide/mockups)")
    args = parser.parse_args(argv)
    steps = args.steps or args.root / "steps.yaml"
    try:
        if args.command == "check":
            return _check(steps, args.root, args.cache)
        if args.command == "serve":
            return _serve(steps, args)
        if args.command == "build":
            return _build(steps, args.root, args)
        if args.command == "capture":
            return _capture(args)
        if args.command == "mockups":
            from guidebuilder.capture.mockups import main as mockups_main

            return mockups_main(["--dir", str(args.dir or args.root / "guide" / "mockups")])
    except GuideError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was built.",
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
    """--cache, before or after the command (`--cache X build` or `build --cache X`): a command's
    own option is set only when given, so it never hides the one given before the command."""
    parser.add_argument("--cache", type=Path, default=default,
                        help="the store of crops, handouts, site and fonts (default: <root>/.cache)")
    return parser


def _check(steps: Path, root: Path, cache: Path | None) -> int:
    from guidebuilder.build.orchestrator import check

    checked = check(steps, root, cache)
    guide = checked.guide
    print_warnings(checked.warnings)
    print(f"{steps.name}: OK ({len(guide.steps)} steps in {len(guide.languages)} languages: "
          f"{', '.join(guide.codes)}){_warned(checked.warnings)}")
    return 0


def print_warnings(warnings) -> None:
    """Warnings, one line each on stderr like errors; they do not stop anything."""
    for warning in warnings:
        print(warning, file=sys.stderr)


def _warned(warnings) -> str:
    count = len(warnings)
    return f"; {count} warning{'s' if count != 1 else ''}" if count else ""


def _serve(steps: Path, args: argparse.Namespace) -> int:
    from guidebuilder.build.orchestrator import serve

    host, port = addresses.parse(args.addr)
    addresses.ensure_free(host, port)  # before the first build, which takes a while
    try:
        serve(steps, args.root, args.lang, args.addr, cache=args.cache)
    except OSError as exc:  # taken after all, between the try and MkDocs' own bind
        if exc.errno != errno.EADDRINUSE:
            raise
        raise BuildError(addresses.unusable(host, port, exc)) from None
    return 0


def _capture(args: argparse.Namespace) -> int:
    from guidebuilder.capture import capturelist
    from guidebuilder.capture.shoot import capture

    path = args.list or args.root / "guide" / "capture.yaml"
    capture(capturelist.load(path, str(path.relative_to(args.root)) if path.is_relative_to(
        args.root) else str(path)), languages=args.lang, pages=args.page,
        storage_state=args.storage_state)
    return 0


def _build(steps: Path, root: Path, args: argparse.Namespace) -> int:
    from guidebuilder.build.orchestrator import build

    default_out = root / ("site" if args.engine == ENGINES[0] else f"site-{args.engine}")
    build(steps, root, args.out or default_out, verbosity=args.verbosity, jobs=args.jobs,
          cache=args.cache, engine=args.engine)
    return 0
