"""The build: validate, then run each stage into a temporary folder, then publish it as site/."""

from __future__ import annotations

from pathlib import Path

from guidebuilder.checks import check_all


def build(steps: Path, root: Path, out: Path, verbosity: int = 1) -> None:
    guide = check_all(steps, root)
    if verbosity:
        print(f"check: {len(guide.steps)} steps x {len(guide.languages)} languages OK")
