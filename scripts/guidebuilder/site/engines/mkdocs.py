"""MkDocs Material, the default engine: runs MkDocs in-process on a language's generated docs folder.

    build_language(config_file, "ar", site_dir, epoch="1722000000", verbosity=1)

The config file (guidebuilder.site.docs) is complete, so a build needs no hook. MkDocs reports
problems through logging: in strict mode any warning fails the build, and we turn the first one
into a single-line BuildError instead of MkDocs' own abort message and traceback.
`serve` is the live preview; it alone uses hooks (scripts/mkdocs_hooks.py, which says why).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache

from guidebuilder.errors import BuildError, GuideError

NAME = "mkdocs"
SETTINGS: dict[str, Any] = {}  # nothing to add to the generated config
HOOKS = Path(__file__).resolve().parents[3] / "mkdocs_hooks.py"  # scripts/mkdocs_hooks.py
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-glightbox")


def files() -> dict[str, Path]:
    """Nothing to add to the docs folder either."""
    return {}


def version() -> str:
    """What a cached language folder built by this engine depends on, besides its inputs."""
    return " ".join(f"{name}=={metadata.version(name)}" for name in PACKAGES)


class _Templates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for the next language's build in this process.

    Each MkDocs build makes a new Jinja environment, which compiled Material's templates again for
    every language of every guide: a third of a language's build. Jinja checks each template's
    source before it reuses its code, so a template edited between two builds of one process is
    compiled again.
    """

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _Templates()


def _compile_templates_once(theme) -> None:
    """The theme's Jinja environment with _TEMPLATES as its bytecode cache."""
    make_env = theme.get_env

    def get_env():
        env = make_env()
        env.bytecode_cache = _TEMPLATES
        return env

    theme.get_env = get_env


def build_language(config_file: Path, lang: str, site_dir: Path, epoch: str, verbosity: int) -> None:
    """One language's MkDocs build into site_dir; any MkDocs warning is a one-line BuildError."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _epoch(epoch), _mkdocs_log(verbosity) as warnings:
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            _compile_templates_once(config.theme)
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
def _epoch(epoch: str) -> Iterator[None]:
    """SOURCE_DATE_EPOCH (the sitemap's dates), set for the engine's run only."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


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


# The live preview.

class _Preview:
    """The preview in progress, for scripts/mkdocs_hooks.py; see previewing()."""

    def __init__(self, refresh: Callable[[], None], finish: Callable[[Path], None]):
        self.refresh = refresh
        self.finish = finish
        self.fresh = True  # the docs folder was written just before the server started


_preview: _Preview | None = None


@contextmanager
def previewing(refresh: Callable[[], None], finish: Callable[[Path], None]) -> Iterator[None]:
    """Make the preview's two steps visible to scripts/mkdocs_hooks.py while MkDocs serves.

    MkDocs loads the hooks itself and gives them only its config, so inside this block its
    `on_config` calls `refresh_docs()` (which runs `refresh()`: prepare the inputs again and
    rewrite the docs folder) and its `on_post_build` calls `finish_output(site_dir)`. Outside the
    block there is nothing to hand over, and the hooks say so.
    """
    global _preview
    previous = _preview
    _preview = _Preview(refresh, finish)
    try:
        yield
    finally:
        _preview = previous


def _current() -> _Preview:
    if _preview is None:
        raise BuildError("this config is previewed by the guide builder: run `make serve`, "
                         "not mkdocs itself")
    return _preview


def refresh_docs() -> None:
    """Bring the docs folder up to date before a rebuild (the first build's is already)."""
    preview = _current()
    if preview.fresh:
        preview.fresh = False
        return
    preview.refresh()


def finish_output(site_dir: Path) -> None:
    _current().finish(site_dir)


def serve(config_file: Path, lang: str, epoch: str, refresh: Callable[[], None],
          finish: Callable[[Path], None], address: str = "127.0.0.1:8000") -> None:
    """Live preview of one language's docs folder, already written with the HOOKS in its config."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")  # MkDocs' own lines only, not every library's
    logger.addHandler(logging.StreamHandler())
    logger.setLevel(logging.INFO)
    with previewing(refresh, finish), _epoch(epoch):
        try:
            mkdocs_serve(str(config_file), dev_addr=address, livereload=True, open_in_browser=False)
        except MkDocsException as exc:
            raise BuildError(f"serve [{lang}]: {exc}") from None
