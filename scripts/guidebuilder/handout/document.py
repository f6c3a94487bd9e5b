"""The HTML of one handout: the guide's text for one language, laid out by overrides/handout/.

Markdown from steps.yaml becomes HTML here and is sanitised with nh3 (only paragraphs, emphasis,
code and https links survive), then ((n)) becomes the same dark tag with a number as on the
step's image. Everything the page loads is named relative to the handout's staging folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import markdown
import nh3
from markupsafe import Markup

from guidebuilder.handout.fonts import HANDOUT_FONTS, family_stack
from guidebuilder.model import BADGE_REF, Guide, Step
from guidebuilder.outputs import Handout
from guidebuilder.source.strings import format_day, format_month, note_title, picture_captions

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "overrides" / "handout"
TEMPLATE = "handout.html.j2"
GENERATOR = "Guide builder"
CSS_PX = 25.4 / 96  # mm per CSS pixel
ALLOWED_TAGS = {"p", "strong", "em", "code", "br", "a"}
BADGE_BEFORE = re.compile(r"(\s*)" + BADGE_REF.pattern)
NBSP = "\u00a0"
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"  # left-to-right / first-strong isolate, pop isolate
WORD_JOINER = "\u2060"  # forbids a line break where it stands; invisible, read by no screen reader
# <strong>, <em>, <code> or <a> whose text has no right-to-left letter
LTR_QUOTE = re.compile(r"(<(?:strong|em|code|a)\b[^>]*>)([^<\u0590-\u08ff\ufb1d-\ufefc]+)(</)")


@dataclass(frozen=True)
class Layout:
    """Page geometry and type sizes of one handout variant, in mm and pt."""

    width: float
    height: float
    margin_x: float
    margin_top: float
    margin_bottom: float
    body_pt: float
    image_scale: float  # printed size of a crop relative to its size on screen
    image_max_height: float

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin_x

    @property
    def content_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
STANDARD_PT, LARGE_PT = 12.5, 18.0
IMAGE_SCALE = 0.9  # standard print: a crop's printed size relative to its size on screen
# Large print enlarges the pictures as much as the words (18/12.5), up to the text width and to a
# share of the text height that leaves a step's words room on the same page.
LARGE_IMAGE_SHARE = 0.6


def layout_for(handout: Handout) -> Layout:
    width, height = PAPER_MM[handout.paper]
    if handout.large:
        return Layout(width, height, 15, 17, 19, body_pt=LARGE_PT,
                      image_scale=IMAGE_SCALE * LARGE_PT / STANDARD_PT,
                      image_max_height=(height - 17 - 19) * LARGE_IMAGE_SHARE)
    return Layout(width, height, 17, 17, 19, body_pt=STANDARD_PT, image_scale=IMAGE_SCALE,
                  image_max_height=height * 0.25)


def image_size(size_1x: tuple[int, int], layout: Layout) -> tuple[float, float]:
    """The printed width and height (mm) of a crop: its screen size times the layout's scale, shrunk
    to fit the text width and the layout's picture height when needed. A large-print picture is
    thus at least 18/12.5 of its standard size, or as wide or as tall as large print allows."""
    width, height = (side * CSS_PX * layout.image_scale for side in size_1x)
    fit = min(1.0, layout.content_width / width, layout.image_max_height / height)
    return round(width * fit, 2), round(height * fit, 2)


def _keep_https(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and not value.startswith("https://"):
        return None  # a relative link would resolve to a local file: URL inside the PDF
    return value


def markdown_html(text: str, rtl: bool = False) -> Markup:
    """The guide's Markdown as sanitised HTML, with ((n)) drawn as badge n.

    In right-to-left text, a quoted label written only in a left-to-right script (an English
    label in an Arabic sentence) is isolated, so a line break inside it cannot move its punctuation.
    WeasyPrint ignores `unicode-bidi` and `<bdi>`, so the isolation is done with U+2066/U+2069.
    """
    html = nh3.clean(markdown.markdown(text), tags=ALLOWED_TAGS, attributes={"a": {"href"}},
                     url_schemes={"https"}, link_rel=None, attribute_filter=_keep_https)
    if rtl:
        html = LTR_QUOTE.sub(lambda m: f"{m[1]}{LRI}{m[2]}{PDI}{m[3]}", html)
    # A no-break space keeps a badge on the line of the word it marks.
    return Markup(BADGE_BEFORE.sub(
        lambda m: f'{NBSP if m[1] else ""}<span class="badge">{m[2]}</span>', html))


def isolate_ltr(text: str, rtl: bool) -> str:
    """Text in a left-to-right script (an address, a page count) kept in its order in RTL text."""
    return f"{LRI}{text}{PDI}" if rtl else text


def isolate(text: str) -> str:
    """Text that may be in either direction (a source's title), laid out on its own."""
    return f"{FSI}{text}{PDI}"


def url_parts(url: str) -> list[str]:
    """The address cut after each '/': the only places a printed URL may wrap (never at a hyphen)."""
    parts = re.findall(r"[^/]*/+|[^/]+$", url)
    if len(parts) > 1 and parts[0].endswith("://"):
        parts[:2] = [parts[0] + parts[1]]
    return parts


def url_text(url: str) -> str:
    """The address as printed: one run of text that may wrap only after a '/' (as url_parts cuts it).

    Line breaking would also allow a break after '-', '?' or '//'; a word joiner after each such
    character forbids it. Plain text, not one element per piece: WeasyPrint makes a link annotation
    for every box inside an <a>, and PDF/UA wants each under the link's own Link structure element.
    """
    def joined(part: str) -> str:
        return "".join(char if char.isalnum() else char + WORD_JOINER for char in part[:-1]) + part[-1]

    return "".join(joined(part) for part in url_parts(url))


def css_string(value: str) -> Markup:
    """A CSS string literal for the template's <style> (where HTML escapes are not decoded)."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n' else char for char in value)
    return Markup(f'"{escaped}"')


def created_date(epoch: str | None) -> str | None:
    """SOURCE_DATE_EPOCH as the W3C date WeasyPrint writes into the PDF (no date without it)."""
    if not epoch:
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class StagedCrop:
    src: str  # relative to the staging folder
    size_1x: tuple[int, int]
    provenance: str = "recreated"  # where its screenshot comes from
    shows: str = ""  # the language its screenshot shows


def qr_name(url: str) -> str:
    """The staged file of a shortcut's QR code, named by its address (qr.svg is the guide's own)."""
    return f"qr-{hashlib.sha256(url.encode()).hexdigest()[:16]}.svg"


def shortcut_context(url: str | None) -> dict | None:
    return {"url": url, "qr_src": qr_name(url)} if url else None


def _step_context(step: Step, number: int, lang: str, strings: Mapping[str, str],
                  crop: StagedCrop | None, layout: Layout, rtl: bool) -> dict:
    text = step.text(lang)
    image = None
    if crop is not None:
        width, height = image_size(crop.size_1x, layout)
        image = {"src": crop.src, "alt": text.alt, "width": width, "height": height,
                 "captions": picture_captions(strings, crop.provenance, crop.shows, lang)}
    return {
        "id": step.id,
        "number": number,
        "label": strings["step"].format(n=number),
        "title": text.title,
        "body": markdown_html(text.body, rtl),
        "tip": markdown_html(text.tip, rtl) if text.tip else None,
        "image": image,
        "shortcut": shortcut_context(step.shortcut),
    }


def head_context(guide: Guide, lang: str, epoch: str | None) -> dict:
    """What every printed document's head and page box need: language, direction, metadata, fonts
    (the handouts' and the workshop kit's)."""
    language = guide.language(lang)
    return {
        "lang": lang,
        "dir": language.dir,
        "rtl": language.rtl,
        "title": guide.text(lang).title,
        "author": urlsplit(guide.public_url).hostname or GENERATOR,
        "generator": GENERATOR,
        "created": created_date(epoch),
        "fonts": HANDOUT_FONTS,
        "font_stack": Markup(", ".join(f'"{family}"' for family in family_stack(language.rtl))),
    }


def context(guide: Guide, lang: str, handout: Handout, strings: Mapping[str, str],
            crops: Mapping[str, StagedCrop], epoch: str | None) -> dict:
    """Everything the template needs for one handout: its path's steps, numbered in that path."""
    path = guide.path(handout.path)
    language = guide.language(lang)
    meta = guide.text(lang)
    layout = layout_for(handout)
    month = format_month(guide.interface_date, lang)
    verified = strings["verified_date"].format(date=format_day(guide.verified, lang)) \
        if guide.verified else None
    return {
        **head_context(guide, lang, epoch),
        "handout": handout,
        "layout": layout,
        "summary": markdown_html(meta.summary, language.rtl),
        "notes": [{"kind": note.kind, "title": note_title(strings, note, lang),
                   "body": markdown_html(note.text(lang).body, language.rtl)}
                  for note in guide.notes],
        "strings": strings,
        "path_title": path.title(lang) if guide.several_paths else None,
        "path_shortcut": shortcut_context(path.shortcut),
        "steps": [_step_context(step, number, lang, strings, crops.get(step.id), layout,
                                language.rtl)
                  for number, step in enumerate(guide.path_steps(path), start=1)],
        "interface_date": strings["interface_date"].format(date=month),
        "verified": verified,
        "source": guide.source,
        # no QR code or printed address while public_url is a placeholder (guides.example.org)
        "url": None if guide.has_placeholder_url else guide.path_url(lang, path),
        "qr_src": f"qr-{path.id}.svg" if guide.several_paths else "qr.svg",
    }


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    env.filters["url_text"] = url_text
    env.filters["isolate_ltr"] = isolate_ltr
    env.filters["isolate"] = isolate
    env.filters["mm"] = lambda value: f"{value:.2f}mm"
    return env


def render_html(ctx: dict) -> str:
    return environment().get_template(TEMPLATE).render(ctx)

