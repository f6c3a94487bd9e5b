"""Everything `make check` verifies, in one place: the guide itself, then what later stages need."""

from __future__ import annotations

from pathlib import Path

from guidebuilder.images.checks import check_images
from guidebuilder.model import Guide
from guidebuilder.source.strings import load_strings
from guidebuilder.source.validate import load_guide


def check_all(steps: Path, root: Path) -> Guide:
    """Load and validate the guide and every file it names; raise GuideError on any problem."""
    guide = load_guide(steps, root)
    load_strings(guide)
    check_images(guide)
    return guide
