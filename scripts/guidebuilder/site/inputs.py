"""Everything one language's web page is made from: the guide, its words, crops, handouts and fonts.

Computed once per build (the crops and handouts stages cache their own work by content hash) and
handed to each language's MkDocs run. The list of published files lives here, so the pages that
link a file and the adapter that publishes it cannot disagree on its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidebuilder import outputs
from guidebuilder.errors import BuildError
from guidebuilder.model import Guide
from guidebuilder.site.webfonts import web_fonts
from guidebuilder.source.strings import load_strings


@dataclass(frozen=True)
class SiteInputs:
    guide: Guide
    strings: Mapping[str, Mapping[str, str]]
    crops: Mapping[tuple[str, str], Any]  # (step id, lang) -> guidebuilder.images.crops.Crop
    handouts: Mapping[str, list[tuple[outputs.Handout, Path]]]
    fonts: Mapping[str, Path]  # published name under assets/fonts/ -> file

    def crop(self, step_id: str, lang: str):
        return self.crops.get((step_id, lang))

    def published_files(self, lang: str) -> dict[str, Path]:
        """Path inside site/<lang>/ -> file to copy there (crops, handouts, fonts)."""
        files: dict[str, Path] = {}
        for step in self.guide.steps:
            crop = self.crop(step.id, lang)
            if crop is not None:
                files[f"images/{outputs.crop_filename(step.id, 1)}"] = Path(crop.path_1x)
                files[f"images/{outputs.crop_filename(step.id, 2)}"] = Path(crop.path_2x)
        for handout, path in self.handouts.get(lang, []):
            files[handout.filename] = Path(path)
        for name, path in self.fonts.items():
            files[f"assets/fonts/{name}"] = path
        return files


def prepare(guide: Guide, cache_dir: Path, jobs: int | None = None, crops: Mapping | None = None,
            handouts: Mapping | None = None) -> SiteInputs:
    """The stages the site links to, as given by the build or run (cached) here; raise on a missing crop.

    Same cache folders as guidebuilder.build.orchestrator, so `make serve` reuses what a build made.
    """
    from guidebuilder.handout.stage import render_handouts
    from guidebuilder.images.crops import render_crops

    strings = load_strings(guide)
    if crops is None:
        crops = render_crops(guide, cache_dir / "crops", jobs=jobs)
    crops = dict(crops)
    missing = [f"{step.id} [{lang}]" for step in guide.steps if step.image is not None
               for lang in guide.codes if (step.id, lang) not in crops]
    if missing:
        raise BuildError(f"no annotated image for step {', '.join(missing)}; the crops stage "
                         "did not produce it")
    if handouts is None:
        handouts = render_handouts(guide, cache_dir, jobs=jobs)
    handouts = dict(handouts)
    return SiteInputs(guide, strings, crops, handouts, web_fonts(cache_dir))
