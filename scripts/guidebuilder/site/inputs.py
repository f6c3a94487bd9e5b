"""Everything one language's web page is made from: the guide, its words, crops, handouts, the
workshop kit and fonts.

Made by the orchestrator from the earlier stages' results (this module runs no stage) and handed to
each language's engine run. The list of published files lives here, so the pages that
link a file and the adapter that publishes it cannot disagree on its name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidebuilder import outputs
from guidebuilder.errors import BuildError
from guidebuilder.model import Guide
from guidebuilder.site.webfonts import web_fonts
from guidebuilder.source.strings import Strings
from guidebuilder.store import Store


@dataclass(frozen=True)
class SiteInputs:
    guide: Guide
    strings: Strings
    crops: Mapping[tuple[str, str], Any]  # (step id, lang) -> guidebuilder.images.crops.Crop
    handouts: Mapping[str, list[tuple[outputs.Handout, Path]]]
    fonts: Mapping[str, Path]  # published name under assets/fonts/ -> file
    epoch: str  # SOURCE_DATE_EPOCH: the dates in sitemaps
    langs: tuple[str, ...]  # the languages to build (all, or the one a preview shows)
    # the workshop kit's PDFs: lang -> [(outputs.KitDoc, path)] (none: no kit links on the page)
    kit: Mapping[str, list[tuple[outputs.KitDoc, Path]]] = field(default_factory=dict)

    def crop(self, step_id: str, lang: str):
        return self.crops.get((step_id, lang))

    def published_files(self, lang: str) -> dict[str, Path]:
        """Path inside site/<lang>/ -> file to copy there (crops, handouts, the kit, fonts)."""
        files: dict[str, Path] = {}
        for step in self.guide.steps:
            crop = self.crop(step.id, lang)
            if crop is not None:
                files[f"images/{outputs.crop_filename(step.id, 1)}"] = Path(crop.path_1x)
                files[f"images/{outputs.crop_filename(step.id, 2)}"] = Path(crop.path_2x)
        for handout, path in [*self.handouts.get(lang, []), *self.kit.get(lang, [])]:
            files[handout.filename] = Path(path)
        for name, path in self.fonts.items():
            files[f"assets/fonts/{name}"] = path
        return files


def site_inputs(guide: Guide, strings: Strings, crops: Mapping, handouts: Mapping, store: Store,
                *, epoch: str, langs: Sequence[str] | None = None,
                kit: Mapping | None = None) -> SiteInputs:
    """The earlier stages' results as the site needs them; raise when a crop the page shows is missing."""
    langs = tuple(langs or guide.codes)
    missing = [f"{step.id} [{lang}]" for step in guide.steps if step.image is not None
               for lang in langs if (step.id, lang) not in crops]
    if missing:
        raise BuildError(f"no annotated image for step {', '.join(missing)}; the crops stage "
                         "did not produce it")
    return SiteInputs(guide, strings, dict(crops), dict(handouts), web_fonts(store), epoch, langs,
                      dict(kit or {}))
