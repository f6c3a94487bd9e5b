"""Shared fixtures: a small valid guide in a temporary project folder, and helpers to break it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")


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
    sidecar.write_text(json.dumps({"image": shot.name, "size": size, "scale": 2, "regions": regions},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
    return sidecar
