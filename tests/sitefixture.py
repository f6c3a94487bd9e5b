"""The site built once per test session, shared by test_site_html.py and test_site_browser.py.

The site tests test the site, not the other stages: the handouts are small stand-in PDFs; the crops
are the real stage's, so the page weight counts the real images.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from guidebuilder import outputs
from guidebuilder.build.check import check_all

ROOT = Path(__file__).resolve().parents[1]


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


_built: dict[str, tuple[Path, object]] = {}


def built_site(tmp_path_factory) -> tuple[Path, object]:
    """Build the four-language site once per test session; return (site folder, guide)."""
    if "site" not in _built:
        _built["site"] = _build(tmp_path_factory.mktemp("built-site"))
    return _built["site"]


def _build(tmp_root: Path) -> tuple[Path, object]:
    """The real crops; small stand-in PDFs (the handouts have their own tests)."""
    from guidebuilder.images.crops import render_crops
    from guidebuilder.site.inputs import site_inputs
    from guidebuilder.site.stage import build_site
    from guidebuilder.store import Store

    checked = check_all(ROOT / "steps.yaml", ROOT)
    guide, store = checked.guide, Store(tmp_root / "cache")
    crops = render_crops(guide, store)
    handouts = fake_render_handouts(guide, tmp_root / "cache" / "handouts")
    inputs = site_inputs(guide, checked.strings, crops, handouts, store, epoch="1722000000")
    build_site(inputs, tmp_root / "site", store, verbosity=0)
    return tmp_root / "site", guide
