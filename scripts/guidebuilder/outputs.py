"""Names of the published files, shared by the stages that write them and the pages that link them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidebuilder.model import Guide

PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Handout:
    lang: str
    paper: str  # "a4" or "letter"
    large: bool
    path: str | None = None  # the device path, in a guide of several (a guide of one: None)

    @property
    def filename(self) -> str:
        """Published as site/<lang>/<filename>: guide-<lang>[-<path>]-<paper>[-large].pdf."""
        device = f"-{self.path}" if self.path else ""
        return f"guide-{self.lang}{device}-{self.paper}{'-large' if self.large else ''}.pdf"


def handouts(lang: str, paths: Sequence[str] = ()) -> tuple[Handout, ...]:
    """A language's handouts: four (A4, Letter; standard, large print), four per path when a guide
    has several (`paths`: their ids; none for a guide of one path, whose names stay as they were)."""
    return tuple(Handout(lang, paper, large, path) for path in (paths or (None,))
                 for large in (False, True) for paper in PAPERS)


def guide_handouts(guide: Guide, lang: str) -> tuple[Handout, ...]:
    """Every handout a guide has in one language."""
    return handouts(lang, tuple(path.id for path in guide.paths) if guide.several_paths else ())


def crop_filename(step_id: str, scale: int = 1) -> str:
    """Published as site/<lang>/images/<filename>."""
    return f"{step_id}.png" if scale == 1 else f"{step_id}@{scale}x.png"
