"""MkDocs hooks of `make serve` only. A build needs none: its docs folder and config are complete
(guidebuilder.site.docs) and the core finishes the output itself (guidebuilder.site.finish).

The live preview is MkDocs' own server, which rebuilds when a watched file changes but only reads
files again. So:
- `on_config`, at the start of every rebuild, prepares the inputs again and rewrites the docs folder
  (an edit of steps.yaml becomes a new index.md before MkDocs collects the files). Only files that
  changed are written; as the server watches the docs folder and the config, a change causes one
  more rebuild, which finds nothing left to write (a new title is in the config from then on).
- `on_post_build` finishes the server's own temporary output folder as a build finishes its
  (<html dir>, the search dialog's name, unpublished theme files): no other code of ours sees it.
Both only call the builder (guidebuilder.site.engines.mkdocs hands them the preview in progress).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

if str(Path(__file__).parent) not in sys.path:  # plain `mkdocs serve` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).parent))

from guidebuilder.errors import BuildError, GuideError
from guidebuilder.site.engines import mkdocs as engine

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        engine.refresh_docs()
    except (GuideError, BuildError) as exc:
        raise PluginError(str(exc)) from exc
    return config


def on_post_build(config: MkDocsConfig) -> None:
    engine.finish_output(Path(config.site_dir))
