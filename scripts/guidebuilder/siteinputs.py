"""Everything one language's web page is made from: the guide, its words, crops, handouts and fonts.

Computed once per build (the crops and handouts stages cache their own work by content hash) and
handed to each language's MkDocs run. The list of published files lives here, so the pages that
link a file and the adapter that publishes it cannot disagree on its name.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from guidebuilder import outputs
from guidebuilder.errors import BuildError
from guidebuilder.fonts import web_fonts
from guidebuilder.model import Guide
from guidebuilder.strings import load_strings


@dataclass(frozen=True)
class SiteInputs:
    guide: Guide
    strings: Mapping[str, Mapping[str, str]]
    crops: Mapping[tuple[str, str], Any]  # (step id, lang) -> guidebuilder.crops.Crop
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


def optional_stage(name: str) -> ModuleType | None:
    """A stage another engineer is still writing: None while its module does not exist."""
    try:
        return importlib.import_module(f"guidebuilder.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"guidebuilder.{name}":
            return None
        raise


def prepare(guide: Guide, cache_dir: Path, jobs: int | None = None) -> SiteInputs:
    """Run (or reuse from the cache) the stages the site links to; raise on a missing crop.

    Same cache folders as guidebuilder.build, so a build that pre-warmed them costs nothing here.
    """
    strings = load_strings(guide)
    crops_stage = optional_stage("crops")
    crops = dict(crops_stage.render_crops(guide, cache_dir / "crops", jobs=jobs)) if crops_stage else {}
    missing = [f"{step.id} [{lang}]" for step in guide.steps if step.image is not None
               for lang in guide.codes if (step.id, lang) not in crops]
    if missing:
        raise BuildError(f"no annotated image for step {', '.join(missing)}; the crops stage "
                         "did not produce it")
    handout_stage = optional_stage("handout")
    handouts = (dict(handout_stage.render_handouts(guide, cache_dir, jobs=jobs))
                if handout_stage else {})
    return SiteInputs(guide, strings, crops, handouts, web_fonts(cache_dir))
