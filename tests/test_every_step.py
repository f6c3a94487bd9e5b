"""Every step has text in each language and an image in each language, readable where it is shown,
with marks that stand out in greyscale.

One test per (guide, step, language) of the shipped shelf (steps.yaml and every guides/<slug>/), so
a failure names exactly which step of which guide in which language lacks its words or its picture.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from filelock import FileLock
from PIL import Image

import markcheck
from guidebuilder.errors import GuideError
from guidebuilder.images.checks import VERIFIED
from guidebuilder.images.crops import CROPS, render_crops
from guidebuilder.images.legibility import MEDIA, legibility_warnings
from guidebuilder.images.screenshots import plan_all
from guidebuilder.store import Store
from projects import run_folder, shipped_guides

_LOADED, LOAD_ERRORS = shipped_guides()
GUIDES = {guide.slug: guide for guide in _LOADED}
PAIRS = [pytest.param(slug, step.id, lang, id=f"{slug}-{step.id}-{lang}")
         for slug, guide in GUIDES.items() for step in guide.steps for lang in guide.codes]


def test_every_guide_loads():
    assert LOAD_ERRORS == (), "a guide does not load:\n" + "\n".join(LOAD_ERRORS)
    assert all(guide.steps for guide in GUIDES.values()), "a guide has no steps"


@pytest.fixture(scope="module")
def all_crops(tmp_path_factory, request):
    """Every guide's crops, each drawn once per run (see _draw), by slug. The first test process
    draws them into a store every process of the run shares; the others wait for it, and the
    store gives them the same files after checking each one's checksum (drawing them in each
    process cost 9 CPU-seconds a process).

    When the run also makes the shipped shelf's cold build (`make test`, not `make test-fast`),
    the store starts from a copy of that build's crops and screenshot checks: the same stage drew
    them from the same screenshots, the store checks their checksums, and it draws whatever its
    keys do not find (8 CPU-seconds less a run)."""
    shipped = _shipped_build_of_this_run(request)
    cache = run_folder(tmp_path_factory, "shipped-crops")
    with FileLock(f"{cache}.lock"):
        if shipped is not None and not cache.exists():
            for kind in (CROPS.name, VERIFIED.name):
                if (shipped.cache / kind).is_dir():
                    shutil.copytree(shipped.cache / kind, cache / kind)
        return {slug: _draw(guide, cache) for slug, guide in GUIDES.items()}


def _shipped_build_of_this_run(request):
    """The shared cold build of the shipped shelf when a test of this run uses it anyway (a failed
    build is reported by its own tests: then the crops are drawn here)."""
    if not any("shipped_build" in getattr(item, "fixturenames", ()) for item in request.session.items):
        return None
    try:
        return request.getfixturevalue("shipped_build")
    except AssertionError:
        return None


def _draw(guide, cache):
    """Every crop of a guide. When some fail, each step is drawn alone in each language, so the
    pairs that work still pass and each problem is kept against its own step and language."""
    try:
        return render_crops(guide, Store(cache), jobs=2), {}
    except GuideError:
        pass
    drawn, failed = {}, {}
    for step in guide.steps:
        for language in guide.languages:
            alone = dataclasses.replace(guide, steps=(step,), languages=(language,))
            try:
                drawn.update(render_crops(alone, Store(cache), jobs=1))
            except GuideError as exc:
                failed[step.id, language.code] = [str(problem) for problem in exc.problems]
    return drawn, failed


@pytest.fixture
def crops(all_crops, slug):
    return all_crops[slug]


@pytest.mark.parametrize(("slug", "step_id", "lang"), PAIRS)
def test_step_has_text(slug: str, step_id: str, lang: str):
    step = next(s for s in GUIDES[slug].steps if s.id == step_id)
    assert lang in step.texts, f"step '{step_id}' has no text in {lang}"
    text = step.text(lang)
    for field in ("title", "body", "alt"):
        assert getattr(text, field).strip(), f"step '{step_id}' [{lang}]: {field} is empty"


@pytest.mark.parametrize(("slug", "step_id", "lang"), PAIRS)
def test_step_has_image(slug: str, step_id: str, lang: str, crops):
    drawn, failed = crops
    step = next(s for s in GUIDES[slug].steps if s.id == step_id)
    assert step.image is not None, f"step '{step_id}' has no image"
    screenshot = GUIDES[slug].screenshot_path(step, lang)
    assert screenshot.is_file(), f"step '{step_id}' [{lang}]: no screenshot at {screenshot}"
    problems = failed.get((step_id, lang), [])
    assert not problems, "\n".join(problems)
    crop = drawn[step_id, lang]
    width, height = crop.size_1x
    assert width > 0 and height > 0
    for path, scale in ((crop.path_1x, 1), (crop.path_2x, 2)):
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == (width * scale, height * scale), path
    assert sorted(crop.badges) == sorted(step.text(lang).badge_refs), \
        f"step '{step_id}' [{lang}]: the image shows badges {crop.badges}, the text refers to " \
        f"{step.text(lang).badge_refs}"


@pytest.fixture(scope="module")
def all_planned():
    return {slug: {(step.id, lang): (step, lang, page, layout)
                   for step, lang, page, layout in plan_all(guide)[0]}
            for slug, guide in GUIDES.items()}


@pytest.fixture
def planned(all_planned, slug):
    return all_planned[slug]


@pytest.mark.parametrize(("slug", "step_id", "lang"), PAIRS)
def test_step_picture_is_legible_on_every_medium(slug: str, step_id: str, lang: str, planned):
    """No legibility warning: the interface's text is big enough on a phone, a projector and paper."""
    found = legibility_warnings(GUIDES[slug], [planned[step_id, lang]])
    assert [str(w) for w in found] == []


@pytest.mark.parametrize(("slug", "step_id", "lang"), PAIRS)
def test_step_marks_stand_out_in_greyscale(slug: str, step_id: str, lang: str, crops, planned):
    """The published crop in greyscale, as published (1x) and as a phone shows it: each outline's
    dark line has a light band on each side, and the mark stands out from the pixels beside it."""
    drawn, _ = crops
    layout = planned[step_id, lang][3]
    with Image.open(drawn[step_id, lang].path_1x) as image:
        published = image.convert("RGB")
    phone = next(m for m in MEDIA if "phone" in m.name)
    for name, factor in (("1x", 1.0), ("phone", min(1.0, phone.width / published.width))):
        measures = markcheck.across_outlines(layout, markcheck.shown(published, factor), factor)
        assert measures or not layout.highlights, f"{name}: no outline measured"
        problems = [line for m in measures for line in m.problems()]
        assert problems == [], f"{step_id} [{lang}] {name} (x{factor:.2f}): {problems}"
