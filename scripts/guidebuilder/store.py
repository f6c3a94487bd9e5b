"""The one cache of the build's expensive outputs, under <cache>/ (`--cache`, default .cache/).

Every stage receives the Store from the orchestrator and keeps its work in `store.folder(kind)`;
nothing else knows where the cache lives.
"""

from __future__ import annotations

from pathlib import Path


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    def folder(self, kind: str) -> Path:
        """The folder of one kind of output (crops, handouts, site, fonts, ...)."""
        return self.root / kind
