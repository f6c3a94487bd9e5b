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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from guidebuilder.errors import BuildError, GuideError
from guidebuilder.site.inputs import SiteInputs

LANG_ENV = "GUIDE_LANG"


class _Handover:
    """The inputs of the MkDocs run in progress; see handing_over()."""

    def __init__(self, prepare: Callable[[str], SiteInputs]):
        self.prepare = prepare
        self.inputs: SiteInputs | None = None


_handover: _Handover | None = None


@contextmanager
def handing_over(inputs: SiteInputs | Callable[[str], SiteInputs]) -> Iterator[None]:
    """Make the build in progress visible to scripts/mkdocs_hooks.py while MkDocs runs inside.

    MkDocs loads the hooks itself and gives them only its config. So inside this block the hooks'
    `on_config` calls `start(lang)`, which prepares this run's inputs, and the later hooks read them
    with `current()`. `inputs` is a build's SiteInputs, or (for a live preview, which loads its
    config again on every change) a function that prepares them afresh for the language.
    Outside the block there is nothing to hand over, and the hooks say so.
    """
    global _handover
    previous = _handover
    _handover = _Handover(inputs if callable(inputs) else (lambda lang: inputs))
    try:
        yield
    finally:
        _handover = previous


def start(lang: str) -> SiteInputs:
    """This MkDocs run's inputs, prepared for `lang` (called by the on_config hook)."""
    if _handover is None:
        raise BuildError("mkdocs.yml is built by the guide builder: run `make` or `make serve`, "
                         "not mkdocs itself")
    _handover.inputs = _handover.prepare(lang)
    return _handover.inputs


def current() -> SiteInputs:
    """The inputs `start` prepared for the MkDocs run in progress."""
    if _handover is None or _handover.inputs is None:
        raise BuildError("no guide build is in progress")
    return _handover.inputs


def build_language(inputs: SiteInputs, config_file: Path, lang: str, site_dir: Path,
                   verbosity: int) -> None:
    """One language's MkDocs build into site_dir; any MkDocs warning is a one-line BuildError."""
    with handing_over(inputs), _environment(lang, inputs.epoch):
        _build_language(config_file, lang, site_dir, verbosity)


def _build_language(config_file: Path, lang: str, site_dir: Path, verbosity: int) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_log(verbosity) as warnings:
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
def _environment(lang: str, epoch: str) -> Iterator[None]:
    """What MkDocs reads from the environment: the language (mkdocs.yml's `!ENV`, so serve and
    build agree) and SOURCE_DATE_EPOCH (the sitemap's dates). Set for the engine's run only."""
    values = {LANG_ENV: lang, "SOURCE_DATE_EPOCH": epoch}
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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


def serve(config_file: Path, lang: str, epoch: str, prepare: Callable[[str], SiteInputs],
          address: str = "127.0.0.1:8000") -> None:
    """Live preview of one language; `prepare(lang)` is called again for every rebuild."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")  # MkDocs' own lines only, not every library's
    logger.addHandler(logging.StreamHandler())
    logger.setLevel(logging.INFO)
    with handing_over(prepare), _environment(lang, epoch):
        try:
            mkdocs_serve(str(config_file), dev_addr=address, livereload=True, open_in_browser=False)
        except MkDocsException as exc:
            raise BuildError(f"serve [{lang}]: {exc}") from None
