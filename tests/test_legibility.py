"""The legibility check of `make check`: the size of a crop's interface text on each medium, as exact
warning lines on small fixture guides (tests/conftest.py's `project`), and its media table against
the handouts' own layout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_png, write_regions
from guidebuilder.handout.document import CSS_PX, image_size, layout_for
from guidebuilder.images.checks import check_images
from guidebuilder.images.legibility import MEDIA, PT_PER_PX
from guidebuilder.outputs import PAPERS, Handout
from guidebuilder.source.validate import load_guide
from guidebuilder.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIX = "crop tighter (a smaller region or padding) or split the step"
LABELS = {"en": "Open", "ar": "فتح"}


def screenshots(project: Path, size: tuple[int, int], boxes: dict, text_px: dict | None = None,
                langs=("en", "ar")) -> None:
    """Replace the fixture's screenshots (scale 2) and their regions; `text_px` per region."""
    for lang in langs:
        shot = make_png(project / "guide" / "screenshots" / lang / "page.png", size=size)
        sidecar = write_regions(shot, boxes, {"button": LABELS[lang], "panel": "Panel\nOpen"})
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        for name, value in (text_px or {}).items():
            data["regions"][name]["text_px"] = value
        sidecar.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def edit_steps(project: Path, old: str, new: str, count: int = -1) -> None:
    steps = project / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    assert old in text
    steps.write_text(text.replace(old, new, count), encoding="utf-8")


def warnings(project: Path) -> list[str]:
    return [str(w) for w in check_images(load_guide(project / "steps.yaml", project),
                                         Store(project / ".cache"))]


def lines(step: str, line: int, figures: list[tuple[str, str, str]], lang: str | None = None) -> list[str]:
    where = f"steps.yaml:{line}: step '{step}'" + (f" [{lang}]" if lang else "")
    return [f"{where}: interface text in the picture would be {size} high {medium}; the floor is "
            f"{floor}; {FIX}" for size, medium, floor in figures]


# A 1200x300 CSS px window whose text is 13 px: what the whole X window was in the review.
WIDE = ((2400, 600), {"panel": [0, 0, 2400, 600], "button": [100, 100, 200, 40]},
        {"button": 13, "panel": 13})
WIDE_FIGURES = [  # 13 px x min(picture scale, width / 1200, height / 300), in pt x 0.75 on paper
    ("3.6 px", "on a phone (360 px wide)", "9 px"),  # 328 / 1200
    ("10.4 px", "on a projector (1024x768)", "16 px"),  # 960 / 1200
    ("5.4 pt", "on A4 paper", "8 pt"),  # 176 mm = 665 px wide
    ("5.6 pt", "on US Letter paper", "8 pt"),  # 181.9 mm = 687 px
    ("5.5 pt", "on A4 paper in large print", "11.5 pt"),  # 180 mm = 680 px
    ("5.7 pt", "on US Letter paper in large print", "11.5 pt"),  # 185.9 mm = 703 px
]


def test_wide_crop_warns_on_every_medium_once_for_all_languages(project: Path):
    screenshots(project, *WIDE)
    edit_steps(project, "crop: around panel\n", "crop: around panel\n      padding: 0\n")
    assert warnings(project) == lines("first", 24, WIDE_FIGURES) + lines("second", 41, WIDE_FIGURES)


def test_a_language_whose_crop_differs_is_named(project: Path):
    """The Arabic screenshot is half as wide: only the English crop is too small on a phone."""
    screenshots(project, *WIDE, langs=("en",))
    screenshots(project, (1200, 600), {"panel": [0, 0, 1200, 600], "button": [100, 100, 200, 40]},
                {"button": 13}, langs=("ar",))
    edit_steps(project, "crop: around panel\n      highlight: [button as 1]\n",
               "crop: around panel\n      padding: 0\n      highlight: [button as 1]\n")
    edit_steps(project, "  - id: second\n    image:\n      screenshot: \"screenshots/{lang}/page.png\"\n"
               "      crop: around panel\n", "  - id: second\n    image:\n      screenshot: "
               "\"screenshots/{lang}/page.png\"\n      crop: around button\n")
    found = warnings(project)
    assert [w for w in found if "phone" in w] == lines("first", 24, WIDE_FIGURES[:1], "en") + lines(
        "first", 24, [("7.1 px", "on a phone (360 px wide)", "9 px")], "ar")  # 13 x 328 / 600
    assert [w for w in found if "'second'" in w] == []


def test_tight_crop_passes(project: Path):
    """The same window cropped around the button: 13 px text shown at full size everywhere."""
    screenshots(project, *WIDE)
    edit_steps(project, "crop: around panel", "crop: around button")
    assert warnings(project) == []


def test_text_size_without_text_px_comes_from_the_box_height(project: Path):
    """A hand-written region without text_px: its box height per line of text is its line height,
    and its text 1/1.25 of that. Here 40 image px = 20 CSS px for two lines: 8 px text."""
    screenshots(project, (1600, 300), {"panel": [0, 0, 1600, 300], "button": [100, 100, 200, 40]})
    edit_steps(project, '"Open"', '"Open"', 1)
    for lang in ("en", "ar"):
        sidecar = project / "guide" / "screenshots" / lang / "page.regions.json"
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        data["regions"]["button"]["text"] = f"{LABELS[lang]}\nnow"
        data["regions"]["panel"]["text"] = ""
        sidecar.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    edit_steps(project, "crop: around panel\n", "crop: around panel\n      padding: 0\n")
    phone = [w for w in warnings(project) if "phone" in w]
    # 8 px x 328 / 800 CSS px
    assert phone == lines("first", 24, [("3.3 px", "on a phone (360 px wide)", "9 px")]) + lines(
        "second", 41, [("3.3 px", "on a phone (360 px wide)", "9 px")])


def test_only_text_the_picture_shows_counts(project: Path):
    """Tiny text outside the crop, in a region the crop cuts, in a redacted region or outside
    `isolate:` is not shown, so it is not measured."""
    boxes = {"panel": [0, 0, 400, 300], "button": [150, 120, 100, 40], "far": [0, 280, 40, 20],
             "across": [380, 0, 20, 320], "account-name": [10, 10, 60, 20], "corner": [10, 250, 40, 20]}
    sizes = {"button": 15, "far": 1, "across": 1, "account-name": 1, "corner": 2}
    screenshots(project, (400, 320), boxes, sizes)
    for lang in ("en", "ar"):
        sidecar = project / "guide" / "screenshots" / lang / "page.regions.json"
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        for name in sizes:
            data["regions"][name]["text"] = data["regions"][name]["text"] or "tiny"
        data["regions"]["far"]["box"] = [0, 300, 40, 20]  # below the panel
        sidecar.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    edit_steps(project, "crop: around panel\n      highlight: [button as 1]\n",
               "crop: around panel\n      padding: 0\n      highlight: [button as 1]\n"
               "      redact: [account-name]\n      isolate: [button]\n")
    edit_steps(project, "  - id: second\n    image:\n      screenshot: \"screenshots/{lang}/page.png\"\n"
               "      crop: around panel\n", "  - id: second\n    image:\n      screenshot: "
               "\"screenshots/{lang}/page.png\"\n      crop: around button\n")
    assert warnings(project) == []
    edit_steps(project, "      isolate: [button]\n", "")
    assert warnings(project)[0] == lines("first", 24, [("2 px", "on a phone (360 px wide)", "9 px")])[0]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("large", [False, True], ids=["standard", "large"])
@pytest.mark.parametrize("size", [(300, 100), (600, 87), (1041, 638), (257, 567)])
def test_paper_media_print_pictures_as_the_handouts_do(paper: str, large: bool, size):
    """The media table repeats the handouts' layout (handout/document.py): a picture of `size` CSS px
    must print at the scale the handout gives it. When this fails, update MEDIA."""
    name = f"on {'A4' if paper == 'a4' else 'US Letter'} paper{' in large print' if large else ''}"
    medium = next(m for m in MEDIA if m.name == name)
    width_mm, _ = image_size(size, layout_for(Handout("en", paper, large)))
    printed_scale = width_mm / (size[0] * CSS_PX)
    assert medium.text_size(1, size) / PT_PER_PX == pytest.approx(printed_scale, abs=0.005)


def test_make_check_prints_warnings_and_exits_0(project: Path):
    screenshots(project, *WIDE)
    edit_steps(project, "crop: around panel\n", "crop: around panel\n      padding: 0\n")
    run = subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project), "check"],
                         capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == lines("first", 24, WIDE_FIGURES) + lines("second", 41, WIDE_FIGURES)
    assert run.stdout == "steps.yaml: OK (2 steps in 2 languages: en, ar); 12 warnings\n"


def test_the_build_prints_warnings_at_every_verbosity(project: Path, capsys):
    """The build's check stage hands its warnings to Progress: on stderr, even with `make V=0`."""
    from guidebuilder.build.progress import Progress

    screenshots(project, *WIDE)
    edit_steps(project, "crop: around panel\n", "crop: around panel\n      padding: 0\n")
    found = check_images(load_guide(project / "steps.yaml", project), Store(project / ".cache"))
    Progress(0).warnings(found)
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == lines("first", 24, WIDE_FIGURES) + lines("second", 41, WIDE_FIGURES)
