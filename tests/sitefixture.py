"""The site built once per test session, shared by test_site_html.py and test_site_browser.py.

The site tests test the site, not the other stages: the handouts are always small stand-in PDFs,
and the crops are the real stage's when steps.yaml gives steps an image (the page weight then counts
real images), else small stand-in PNGs for every step so the page still shows one image per step.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from guidebuilder import outputs
from guidebuilder.checks import check_all

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class FakeCrop:
    step_id: str
    lang: str
    path_1x: Path
    path_2x: Path
    size_1x: tuple[int, int]
    badges: tuple[int, ...]
    digest: str


def fake_render_crops(guide, cache_dir: Path, jobs=None):
    cache_dir.mkdir(parents=True, exist_ok=True)
    crops = {}
    for step in guide.steps:
        for lang in guide.codes:
            paths = []
            for scale in (1, 2):
                image = Image.new("RGB", (480 * scale, 270 * scale), "#f7f9f9")
                draw = ImageDraw.Draw(image)
                draw.rectangle((40 * scale, 60 * scale, 300 * scale, 120 * scale),
                               outline="#b3261e", width=4 * scale)
                path = cache_dir / f"{step.id}-{lang}@{scale}x.png"
                image.save(path)
                paths.append(path)
            crops[(step.id, lang)] = FakeCrop(step.id, lang, paths[0], paths[1], (480, 270), (1,),
                                              f"fake-{step.id}-{lang}")
    return crops


def fake_render_handouts(guide, cache_dir: Path, jobs=None):
    cache_dir.mkdir(parents=True, exist_ok=True)
    result = {}
    for lang in guide.codes:
        result[lang] = []
        for handout in outputs.handouts(lang):
            path = cache_dir / handout.filename
            Image.new("RGB", (60, 80), "white").save(path, "PDF")
            result[lang].append((handout, path))
    return result


def _fake_module(name: str, **functions) -> types.ModuleType:
    module = types.ModuleType(f"guidebuilder.{name}")
    for key, value in functions.items():
        setattr(module, key, value)
    return module


_built: dict[str, tuple[Path, object]] = {}


def built_site(tmp_path_factory) -> tuple[Path, object]:
    """Build the four-language site once per test session; return (site folder, guide)."""
    if "site" not in _built:
        _built["site"] = _build(tmp_path_factory.mktemp("built-site"))
    return _built["site"]


def _build(tmp_root: Path) -> tuple[Path, object]:
    from guidebuilder import siteinputs
    from guidebuilder.site import build_site

    guide = check_all(ROOT / "steps.yaml", ROOT)
    real_crops = siteinputs.optional_stage("crops")
    use_real = real_crops is not None and any(step.image for step in guide.steps)
    fakes = {"guidebuilder.handout": _fake_module("handout", render_handouts=fake_render_handouts)}
    if not use_real:
        fakes["guidebuilder.crops"] = _fake_module("crops", render_crops=fake_render_crops)
    saved = {name: sys.modules.get(name) for name in fakes}
    sys.modules.update(fakes)
    try:
        build_site(guide, tmp_root / "site", tmp_root / "cache", verbosity=0)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return tmp_root / "site", guide
