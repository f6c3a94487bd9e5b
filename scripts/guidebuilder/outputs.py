"""Names of the published files, shared by the stages that write them and the pages that link them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidebuilder.model import DevicePath, Guide

PAPERS = ("a4", "letter")
PROJECTOR_FOLDER = "projector"  # the projector views (site/projector.py), beside the guide page
PROJECTOR = f"{PROJECTOR_FOLDER}/index.html"  # the view of a guide of one path


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


KIT_KINDS = ("facilitator", "card")


@dataclass(frozen=True)
class KitDoc:
    """A printed document of the workshop kit: the facilitator sheet (one per language) or the
    participant's checklist card (one per language and path)."""

    kind: str  # one of KIT_KINDS
    lang: str
    paper: str  # "a4" or "letter"
    path: str | None = None  # a card's device path, in a guide of several (else None)

    @property
    def filename(self) -> str:
        """Published as site/<lang>/<filename>: facilitator-<lang>-<paper>.pdf,
        card-<lang>[-<path>]-<paper>.pdf."""
        device = f"-{self.path}" if self.path else ""
        return f"{self.kind}-{self.lang}{device}-{self.paper}.pdf"


def guide_kit(guide: Guide, lang: str) -> tuple[KitDoc, ...]:
    """A language's kit: the facilitator sheet on both papers, then each path's card on both."""
    paths = tuple(path.id for path in guide.paths) if guide.several_paths else (None,)
    return (tuple(KitDoc("facilitator", lang, paper) for paper in PAPERS)
            + tuple(KitDoc("card", lang, paper, path) for path in paths for paper in PAPERS))


def projector_views(guide: Guide) -> list[tuple[str, DevicePath]]:
    """Each path's projector view, relative to site/<slug>/<lang>/: projector/index.html for a
    guide of one path, projector/<path>.html for each path of several."""
    if not guide.several_paths:
        return [(PROJECTOR, guide.paths[0])]
    return [(f"{PROJECTOR_FOLDER}/{path.id}.html", path) for path in guide.paths]


def crop_filename(step_id: str, scale: int = 1) -> str:
    """Published as site/<lang>/images/<filename>."""
    return f"{step_id}.png" if scale == 1 else f"{step_id}@{scale}x.png"
