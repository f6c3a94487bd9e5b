"""Names of the published files, shared by the stages that write them and the pages that link them."""

from __future__ import annotations

from dataclasses import dataclass

PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Handout:
    lang: str
    paper: str  # "a4" or "letter"
    large: bool

    @property
    def filename(self) -> str:
        """Published as site/<lang>/<filename>."""
        return f"guide-{self.lang}-{self.paper}{'-large' if self.large else ''}.pdf"


def handouts(lang: str) -> tuple[Handout, ...]:
    return tuple(Handout(lang, paper, large) for large in (False, True) for paper in PAPERS)


def crop_filename(step_id: str, scale: int = 1) -> str:
    """Published as site/<lang>/images/<filename>."""
    return f"{step_id}.png" if scale == 1 else f"{step_id}@{scale}x.png"
