"""Small synthetic screenshots for the crop tests, and the measures the tests take of the output.

A fixture page is 400x240 pixels at scale 2 (a 200x120 CSS px window): a flat background, a button,
and the account name in a colour found nowhere else, so a test can tell whether any of it survived.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

from guidebuilder.source.validate import load_guide

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LIGHT, DARK_UI = (255, 255, 255), (21, 32, 43)  # X's light and dim backgrounds
SECRET = (250, 20, 200)  # the account name's colour: must vanish
SIZE = (400, 240)
BOXES = {
    "page": [0, 0, 400, 240],
    "panel": [60, 40, 280, 160],
    "button": [150, 110, 100, 40],
    "account-name": [70, 172, 60, 14],
    "account-handle": [70, 188, 60, 10],
}
TEXTS = {"button": {"fr": "Bouton", "ar": "زر"}, "account-name": "Jeanne Exemple"}

STEPS = """\
languages: [{code: fr, name: Français}, {code: ar, name: العربية, dir: rtl}]
# A made-up app, named in the builder's own words ("These steps describe the Appli website...")
guide:
  slug: test
  interface_date: "2024-07-26"
  source: {title: "Un article", publisher: "Un journal", url: "https://example.org/a"}
  redact: [account-name, account-handle, account-avatar]
  text:
    fr: {title: "Guide", summary: "Résumé."}
    ar: {title: "دليل", summary: "ملخص."}
  product: "Appli"
steps:
  - id: click-button
    image:
IMAGE
    text:
      fr: {title: "Cliquez", body: "Cliquez sur **Bouton** ((1)).", alt: "Le bouton, numéro 1.",
           labels: ["Bouton"]}
      ar: {title: "انقر", body: "انقر على **زر** ((1)).", alt: "الزر، الرقم 1.", labels: ["زر"]}
"""
IMAGE = """\
      screenshot: "screenshots/{lang}/page.png"
      crop: around panel
      padding: 20
      highlight: [button as 1]
"""


def page_image(background=LIGHT) -> Image.Image:
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    x, y, w, h = BOXES["button"]
    draw.rectangle((x, y, x + w - 1, y + h - 1), fill=(29, 155, 240))
    for name in ("account-name", "account-handle"):
        x, y, w, h = BOXES[name]
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=SECRET)
    return image


def make_project(root: Path, image_yaml: str = IMAGE, background=LIGHT, boxes=None, texts=None,
                 image: Image.Image | None = None) -> Path:
    """A project folder with steps.yaml and one screenshot + sidecar per language."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "steps.yaml").write_text(STEPS.replace("IMAGE\n", image_yaml), encoding="utf-8")
    for lang in ("fr", "ar"):
        shot = root / "guide" / "screenshots" / lang / "page.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        (image or page_image(background)).save(shot)
        write_sidecar(shot, boxes or BOXES, texts or TEXTS, lang)
    return root


def write_sidecar(shot: Path, boxes: dict, texts: dict, lang: str, size=SIZE) -> None:
    regions = {}
    for name, box in boxes.items():
        text = texts.get(name, "")
        regions[name] = {"box": box, "text": text[lang] if isinstance(text, dict) else text}
    data = {"image": shot.name, "size": list(size), "scale": 2, "source": "test", "regions": regions,
            "provenance": "recreated"}
    shot.with_suffix(".regions.json").write_text(json.dumps(data, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")


def guide_of(root: Path):
    return load_guide(root / "steps.yaml", root)


def png_chunks(data: bytes) -> list[str]:
    """The chunk types of a PNG file, in order."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append(kind.decode("ascii"))
        at += 12 + length
    return chunks


def png_with_metadata(image: Image.Image) -> bytes:
    """A PNG carrying text, international text, time, EXIF and ICC chunks, spliced in by hand."""
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    extra = (chunk(b"tEXt", b"Author\0Jeanne Exemple")
             + chunk(b"iTXt", b"Comment\0\0\0\0\0secret note")
             + chunk(b"zTXt", b"Place\0\0" + zlib.compress(b"home address"))
             + chunk(b"tIME", struct.pack(">HBBBBB", 2024, 7, 26, 12, 0, 0))
             + chunk(b"eXIf", b"MM\0*\0\0\0\x08\0\0")
             + chunk(b"iCCP", b"icc\0\0" + zlib.compress(b"\0" * 128)))
    ihdr_end = 8 + 12 + 13
    return data[:ihdr_end] + extra + data[ihdr_end:]


def luminance(rgb) -> float:
    """WCAG 2 relative luminance."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    if isinstance(rgb, int):
        rgb = (rgb, rgb, rgb)
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def save_artifact(name: str, image: Image.Image) -> str:
    """Keep the actual image of a failed pixel test, WeasyPrint-style; return where it is."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    image.save(path)
    return f"actual image saved as {path}"
