"""Every step has text in each language and an image in each language.

One test per (step, language) of the real steps.yaml, so a failure names exactly which step in which
language lacks its words or its picture.
"""

from __future__ import annotations

import dataclasses

import pytest
from PIL import Image

from guidebuilder.errors import GuideError
from guidebuilder.images.crops import render_crops
from projects import shipped_guide_or_none

GUIDE, LOAD_ERROR = shipped_guide_or_none()
PAIRS = [(step.id, lang) for step in GUIDE.steps for lang in GUIDE.codes] if GUIDE else []


def test_steps_yaml_loads():
    assert LOAD_ERROR is None, f"steps.yaml does not load:\n{LOAD_ERROR}"
    assert PAIRS, "steps.yaml has no steps"


@pytest.fixture(scope="module")
def crops(tmp_path_factory):
    """Every crop, drawn once. When some fail, each step is drawn alone in each language, so the
    pairs that work still pass and each problem is kept against its own step and language."""
    if GUIDE is None:
        pytest.skip("steps.yaml does not load")
    cache = tmp_path_factory.mktemp("crops")
    try:
        return render_crops(GUIDE, cache, jobs=2), {}
    except GuideError:
        pass
    drawn, failed = {}, {}
    for step in GUIDE.steps:
        for language in GUIDE.languages:
            alone = dataclasses.replace(GUIDE, steps=(step,), languages=(language,))
            try:
                drawn.update(render_crops(alone, cache, jobs=1))
            except GuideError as exc:
                failed[step.id, language.code] = [str(problem) for problem in exc.problems]
    return drawn, failed


@pytest.mark.parametrize(("step_id", "lang"), PAIRS, ids=[f"{s}-{lang}" for s, lang in PAIRS])
def test_step_has_text(step_id: str, lang: str):
    step = next(s for s in GUIDE.steps if s.id == step_id)
    assert lang in step.texts, f"step '{step_id}' has no text in {lang}"
    text = step.text(lang)
    for field in ("title", "body", "alt"):
        assert getattr(text, field).strip(), f"step '{step_id}' [{lang}]: {field} is empty"


@pytest.mark.parametrize(("step_id", "lang"), PAIRS, ids=[f"{s}-{lang}" for s, lang in PAIRS])
def test_step_has_image(step_id: str, lang: str, crops):
    drawn, failed = crops
    step = next(s for s in GUIDE.steps if s.id == step_id)
    assert step.image is not None, f"step '{step_id}' has no image"
    screenshot = GUIDE.screenshot_path(step, lang)
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
