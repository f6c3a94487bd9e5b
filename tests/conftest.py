"""Shared fixtures: small guides in temporary project folders, helpers to break them, and the two
builds shared by the slow tier.

Tiers (README, "Tests"): tool tests build the fixture guides of tests/fixtures/ and take every count
from the guide they load; content tests follow whatever steps.yaml holds; slow end-to-end tests are
marked `slow` (or `browser`) and share one warm build per guide unless they test a cold build.
`make test-fast` runs all but the last tier.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from handoutkit import Rendered, render_fixture_guide
from projects import ROOT, WarmBuild, fixture_project, published_project, run_folder, shared_warm_build
from tabs import Tabs

FIXTURES = Path(__file__).with_name("fixtures")
WARM_FIXTURES = {"small_build", "shipped_build"}


def make_png(path: Path, size=(400, 300), colour=(255, 255, 255)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the minimal fixture guide, its strings and its screenshots."""
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "steps.yaml")
    shutil.copytree(ROOT / "guide" / "strings", tmp_path / "guide" / "strings")
    strings = tmp_path / "guide" / "strings"
    for extra in strings.glob("*.yaml"):
        if extra.stem not in {"en", "ar"}:
            extra.unlink()
    for lang, label in (("en", "Open"), ("ar", "فتح")):
        shot = make_png(tmp_path / "guide" / "screenshots" / lang / "page.png")
        write_regions(shot, {"panel": [40, 40, 320, 200], "button": [150, 120, 100, 40]},
                      {"button": label})
    return tmp_path


def write_regions(shot: Path, boxes: dict, texts: dict | None = None) -> Path:
    """The regions sidecar of a fixture screenshot, as `make capture` writes it."""
    with Image.open(shot) as image:
        size = list(image.size)
    regions = {name: {"box": box, "text": (texts or {}).get(name, "")} for name, box in boxes.items()}
    sidecar = shot.with_suffix(".regions.json")
    sidecar.write_text(json.dumps({"image": shot.name, "size": size, "scale": 2, "regions": regions,
                                   "provenance": "recreated"},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
    return sidecar


@pytest.fixture(scope="session")
def small_handouts(tmp_path_factory) -> Rendered:
    """The fixture guide's handouts rendered once, in this process, by the real crops and handouts
    stages: what the handout tool tests read (test_handout.py, test_handout_print.py)."""
    return render_fixture_guide(tmp_path_factory.mktemp("small-handouts"))


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> WarmBuild:
    """The fixture guide (tests/fixtures/small/) built once per run, cold, with the real command
    line."""
    return shared_warm_build(fixture_project, run_folder(tmp_path_factory, "small-build"))


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> WarmBuild:
    """The shipped shelf built once per run, cold, with the real command line, at a real address
    (projects.published_project): its site, handouts and kit are what the content and browser
    tests read."""
    return shared_warm_build(published_project, run_folder(tmp_path_factory, "shipped-build"))


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process, started by the real launch() with its offline flags, for
    every browser test (a launch costs about 1.4 s). Each test borrows a tab from `tabs` (below)
    or opens a fresh browser context (capture() does), so no test sees another's pages, cookies
    or routes.

    It is Chromium's headless shell (Debian's chromium-headless-shell, platform.chromium_path):
    the same engine that lays out, runs and draws the pages, without the browser around it, for a
    third less CPU. What only the whole browser does (its PDF viewer) is tested in `full_browser`."""
    from guidebuilder.capture.browser import launch

    with launch(shell=True) as chromium:
        yield chromium


@pytest.fixture(scope="session")
def full_browser():
    """Chromium itself, as participants run it, for what the headless shell lacks: the PDF viewer."""
    from guidebuilder.capture.browser import launch

    with launch() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def tabs(browser) -> Tabs:
    """Open tabs of that Chromium lent to one test at a time (tabs.py): a new tab costs a
    renderer process, about 1 CPU-second; each lent tab is as a fresh one would be (nothing
    cached, stored or routed)."""
    lent = Tabs(browser)
    yield lent
    lent.close()


def pytest_collection_modifyitems(config, items):
    """A test that needs a whole build belongs to the slow tier: say so rather than slow down
    `make test-fast` without anyone noticing."""
    unmarked = [item.nodeid for item in items
                if WARM_FIXTURES & set(getattr(item, "fixturenames", ()))
                and not (item.get_closest_marker("slow") or item.get_closest_marker("browser"))]
    if unmarked:
        raise pytest.UsageError("these tests use a whole build but are not marked slow: "
                                + ", ".join(unmarked))
