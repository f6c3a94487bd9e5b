"""Everything `make check` verifies, in one place: the guide itself, then what later stages need."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from guidebuilder.errors import Problem
from guidebuilder.images.checks import check_images
from guidebuilder.model import Guide
from guidebuilder.source.strings import Strings, read_strings
from guidebuilder.source.validate import check_guide
from guidebuilder.store import Store


@dataclass(frozen=True)
class Checked:
    """A guide that passed every check, with the builder's words in each of its languages."""

    guide: Guide
    strings: Strings
    warnings: tuple[Problem, ...] = ()  # nothing wrong, but worth a look (small text, untranslated)


def check_all(steps: Path, root: Path, store: Store | None = None) -> Checked:
    """Load and validate the guide and every file it names; raise GuideError on any problem, and
    return the warnings with the guide.

    `store` keeps which screenshots were already fully decoded (default: the project's store).
    """
    guide, untranslated = check_guide(steps, root)
    strings, untranslated_words = read_strings(guide)
    warnings = check_images(guide, store or Store.for_project(root))
    return Checked(guide, strings, tuple(untranslated + untranslated_words + warnings))
