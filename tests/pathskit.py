"""The fixture guide of two device paths (tests/fixtures/paths/: the small guide's steps, a computer
path of three and a phone path of two, sharing two steps, with shortcuts) as a project, its site
and its handouts, for test_paths.py and test_paths_browser.py."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from PIL import Image

from guidebuilder import outputs
from guidebuilder.model import Guide
from guidebuilder.source.validate import load_guide
from projects import FIXTURES, fixture_project

PATHS = FIXTURES / "paths"
SITE_URL = "https://guides.mylibrary.org/"
EPOCH = "1722000000"


@lru_cache
def paths_guide() -> Guide:
    """The fixture guide where it lies, at a real address (so its handouts print QR codes)."""
    return load_guide(PATHS / "steps.yaml", PATHS, site_url=SITE_URL)


def paths_project(dest: Path) -> Path:
    """The builder's code with the two-path guide as its steps.yaml, published at SITE_URL."""
    project = fixture_project(dest)
    shutil.copy(PATHS / "steps.yaml", project / "steps.yaml")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_url: https://guides.example.org/", f"site_url: {SITE_URL}"), encoding="utf-8")
    return project


def fake_handouts(guide: Guide, folder: Path) -> dict:
    """Stand-in PDFs under the real names (the handouts have their own tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    result = {}
    for lang in guide.codes:
        result[lang] = []
        for handout in outputs.guide_handouts(guide, lang):
            path = folder / handout.filename
            Image.new("RGB", (60, 80), "white").save(path, "PDF")
            result[lang].append((handout, path))
    return result


def paths_site(tmp_path_factory) -> tuple[Path, Guide]:
    """build_paths_site once per run, for every test process (both test files read it)."""
    from sitefixture import shared_site

    return shared_site(tmp_path_factory, "paths-site", lambda folder: build_paths_site(folder)[0],
                       lambda project: load_guide(project / "steps.yaml", project))


def build_paths_site(root: Path) -> tuple[Path, Guide]:
    """The two-path guide's site, built in-process by the real stages (stand-in handouts)."""
    from guidebuilder.build.check import check_all
    from guidebuilder.images.crops import render_crops
    from guidebuilder.site.inputs import site_inputs
    from guidebuilder.site.stage import build_site
    from guidebuilder.store import Store

    project = paths_project(root / "project")
    store = Store(root / "cache")
    checked = check_all(project / "steps.yaml", project, store)
    crops = render_crops(checked.guide, store)
    handouts = fake_handouts(checked.guide, root / "fake-handouts")
    inputs = site_inputs(checked.guide, checked.strings, crops, handouts, store, epoch=EPOCH)
    build_site(inputs, root / "site", store, verbosity=0)
    return root / "site", checked.guide
