"""The website: one MkDocs Material build per language from the one mkdocs.yml, plus the chooser.

This module and scripts/mkdocs_hooks.py are the MkDocs side of the builder; the page itself comes
from the core (guidebuilder.site.pages). Each language is a separate, documented Material build
(`theme.language` from GUIDE_LANG, `extra.alternate` for the switcher) into site/<lang>/.
MkDocs reports problems through logging: in strict mode any warning fails the build, and we turn the
first one into a single-line BuildError instead of MkDocs' own abort message and traceback.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from guidebuilder.errors import BuildError, GuideError
from guidebuilder.model import Guide
from guidebuilder.site import cache as sitecache
from guidebuilder.site import pages
from guidebuilder.site.inputs import SiteInputs, prepare

LANG_ENV = "GUIDE_LANG"
CONFIG_NAME = "mkdocs.yml"
# What the hook uses while build_site runs; None when MkDocs runs on its own (`make serve`).
_active: SiteInputs | None = None


def build_site(guide: Guide, out_dir: Path, cache_dir: Path, verbosity: int = 1, *,
               crops: Mapping | None = None, handouts: Mapping | None = None) -> dict[str, int]:
    """Build every language into out_dir/<lang>/ and the language chooser into out_dir/index.html.

    A language whose inputs did not change is copied from the cache. `crops` and `handouts` are
    those stages' results when the caller already has them. Returns the counts
    {"built": n, "cached": m} for the progress line.
    """
    global _active
    inputs = prepare(guide, cache_dir, crops=crops, handouts=handouts)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {"built": 0, "cached": 0}
    _active = inputs
    try:
        for lang in guide.codes:
            key = sitecache.language_key(inputs, lang)
            if sitecache.restore(cache_dir, lang, key, out_dir / lang):
                counts["cached"] += 1
                continue
            _build_language(guide.root / CONFIG_NAME, lang, out_dir / lang, verbosity)
            sitecache.store(cache_dir, lang, key, out_dir / lang)
            counts["built"] += 1
    finally:
        _active = None
    (out_dir / "index.html").write_text(pages.language_index_html(guide, inputs.strings),
                                        encoding="utf-8")
    return counts


def current_inputs(root: Path) -> SiteInputs:
    """The inputs of the build in progress, or (under `mkdocs serve`) fresh ones from steps.yaml."""
    if _active is not None:
        return _active
    from guidebuilder.build.check import check_all

    return prepare(check_all(root / "steps.yaml", root), root / ".cache")


def alternate_links(guide: Guide) -> list[dict[str, str]]:
    """Material's language switcher: relative links, so it works from file:// too."""
    return [{"name": lang.name, "link": f"../{lang.code}/index.html", "lang": lang.code}
            for lang in guide.languages]


def _build_language(config_file: Path, lang: str, site_dir: Path, verbosity: int) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _language(lang), _mkdocs_log(verbosity) as warnings:
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            build(config)
        except (GuideError, BuildError):
            raise
        except MkDocsException as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, GuideError | BuildError):
                raise cause from None
            detail = warnings[0] if warnings else str(exc)
            raise BuildError(f"site [{lang}]: {detail}") from None
        if warnings:  # not strict after all (a plugin logged without counting): still an error
            raise BuildError(f"site [{lang}]: {warnings[0]}")


@contextmanager
def _language(lang: str) -> Iterator[None]:
    """mkdocs.yml reads the language from the environment (`!ENV`), so serve and build agree."""
    previous = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = lang
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = previous


class _Collect(logging.Handler):
    def __init__(self, verbosity: int):
        super().__init__(logging.DEBUG)
        self.verbosity = verbosity
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if record.levelno >= logging.WARNING:
            self.warnings.append(message)
        elif self.verbosity >= 2 and record.levelno >= logging.INFO:
            print(f"  mkdocs: {message}")


@contextmanager
def _mkdocs_log(verbosity: int) -> Iterator[list[str]]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect(verbosity)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield handler.warnings
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def serve(root: Path, lang: str, address: str = "127.0.0.1:8000") -> None:
    """`make serve`: live preview of one language, rebuilt when steps.yaml, guide/ or overrides/ change."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    from guidebuilder.build.check import check_all

    guide = check_all(root / "steps.yaml", root)
    if lang not in guide.codes:
        raise BuildError(f"unknown language '{lang}'; choose one of {', '.join(guide.codes)}")
    os.environ[LANG_ENV] = lang
    logger = logging.getLogger("mkdocs")  # MkDocs' own lines only, not every library's
    logger.addHandler(logging.StreamHandler())
    logger.setLevel(logging.INFO)
    try:
        mkdocs_serve(str(root / CONFIG_NAME), dev_addr=address, livereload=True,
                     open_in_browser=False)
    except MkDocsException as exc:
        raise BuildError(f"serve [{lang}]: {exc}") from None
