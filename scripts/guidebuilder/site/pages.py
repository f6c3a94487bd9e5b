"""The web pages, from Jinja templates: the guide page per language and the language chooser.

Core code: no MkDocs import. The guide page comes out as Markdown (headings, so MkDocs builds the
table of contents and search index) holding HTML blocks made here from the guide's own Markdown,
rendered with Python-Markdown and then sanitised by nh3, whatever steps.yaml contains.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import jinja2
import markdown
import nh3
import segno
from markupsafe import Markup
from PIL import Image

from guidebuilder import outputs
from guidebuilder.model import BADGE_REF, Guide
from guidebuilder.site.inputs import SiteInputs
from guidebuilder.source.strings import format_day, format_month, note_title, picture_captions

TEMPLATES = Path(__file__).with_name("templates")
# A badge with the space before it: that space becomes a no-break space, so the tag, which points
# at the word it marks, never starts a line of its own.
BADGE_AFTER_SPACE = re.compile(r"(\s*)" + BADGE_REF.pattern)
PAGE = "index.html"  # each language's guide page (use_directory_urls: false)
# Material 9.8.2's content column on the guide page (no navigation, table of contents beside it
# from 60em): (narrowest viewport in px, fixed width in px, or None and the margin to subtract from
# the viewport). Measured in Chromium; tests/test_site_browser.py checks each picture's `sizes`
# against the width it is shown at.
CONTENT_COLUMN = ((2000, 1126, None), (1600, 1032, None), (1220, 938, None), (960, None, 274),
                  (0, None, 32))
ALLOWED_TAGS = {"p", "strong", "em", "a", "code", "ul", "ol", "li", "br", "span", "kbd"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "span": {"class", "role", "aria-label"},
                      "strong": {"class"}}
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md_heading"] = md_heading
    return env


def md_heading(text: str) -> Markup:
    """Plain text made safe inside a Markdown heading: HTML-escaped, Markdown punctuation escaped."""
    return Markup(MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False)))


def text_html(source: str, words) -> Markup:
    """The guide's Markdown as safe HTML, ((n)) as badges."""
    rendered = markdown.markdown(source, output_format="html")
    badge = environment().get_template("badge.html.j2")
    rendered = BADGE_AFTER_SPACE.sub(
        lambda m: ("\u00a0" if m[1] else "") + badge.render(n=int(m[2]), words=words).strip(),
        rendered)
    clean = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"https", "http", "mailto"}, link_rel="noopener noreferrer")
    return Markup(clean)


def guide_markdown(inputs: SiteInputs, lang: str) -> str:
    """The guide page of one language, as Markdown for MkDocs: each path's steps, numbered in it
    (one implicit path: the steps as they always were; several: a heading per path, see
    paths_context)."""
    guide = inputs.guide
    words = inputs.strings[lang]
    paths = paths_context(inputs, lang)
    handouts = [(h, handout_label(h, words)) for h, _path in inputs.handouts.get(lang, [])]
    gtext = guide.text(lang)
    online = None if guide.has_placeholder_url else guide.url_for(lang)
    return environment().get_template("guide.md.j2").render(
        lang=lang, words=words, title=gtext.title, paths=paths, several=guide.several_paths,
        handouts=_handouts_by_path(guide, lang, handouts, words, inputs.kit.get(lang, [])),
        hreflang=hreflang_links(guide), online=online, qr=qr_svg(online) if online else None,
        summary=text_html(gtext.summary, words),
        notes=[{"kind": note.kind, "title": note_title(words, note, lang),
                "body": text_html(note.text(lang).body, words)} for note in guide.notes],
        interface_date=words["interface_date"].format(date=format_month(guide.interface_date, lang)),
        verified=(words["verified_date"].format(date=format_day(guide.verified, lang))
                  if guide.verified else None),
        source=guide.source,
        any_crop=any(s["picture"] for path in paths for s in path["steps"]),
        projectors=projector_links(guide, lang, words),
        sheets=[{"href": doc.filename, "label": kit_label(doc, words)}
                for doc, _path in inputs.kit.get(lang, []) if doc.kind == "facilitator"])


def projector_links(guide: Guide, lang: str, words) -> list[dict]:
    """The projector views' links for the guide page and the shelf: href relative to the language."""
    several = guide.several_paths
    return [{"href": href, "label": (f"{words['projector_link']} — {path.title(lang)}" if several
                                     else words["projector_link"])}
            for href, path in outputs.projector_views(guide)]


def paths_context(inputs: SiteInputs, lang: str) -> list[dict]:
    """Each path with its steps for the page. In a guide of several paths, a step's anchor is
    <path>-<step> (a step shared by two paths is on the page twice) and its heading one level
    below its path's; a guide of one keeps <step> and level 2, the addresses it always had."""
    guide = inputs.guide
    words = inputs.strings[lang]
    several = guide.several_paths
    result = []
    for path in guide.paths:
        steps = []
        for number, step in enumerate(guide.path_steps(path), start=1):
            text = step.text(lang)
            crop = inputs.crop(step.id, lang)
            steps.append({
                "id": step.id, "anchor": f"{path.id}-{step.id}" if several else step.id,
                "number": number, "title": text.title, "alt": text.alt,
                "lazy": bool(result or steps), "shortcut": step.shortcut,
                "body": text_html(text.body, words),
                "tip": text_html(text.tip, words) if text.tip else None,
                "crop": crop,
                "captions": picture_captions(words, crop.provenance, crop.shows, lang) if crop else (),
                "picture": _picture(step.id, crop),
            })
        result.append({"id": path.id, "title": path.title(lang), "shortcut": path.shortcut,
                       "level": 3 if several else 2, "steps": steps})
    return result


def _handouts_by_path(guide: Guide, lang: str, handouts: list, words, kit: list) -> list[dict]:
    """The page's handout links and checklist cards, grouped by path (one group without a title
    for a guide of one)."""
    groups = []
    for path in guide.paths:
        items = [(h, label) for h, label in handouts if h.path == (path.id or None)]
        cards = [{"href": doc.filename, "label": kit_label(doc, words)} for doc, _path in kit
                 if doc.kind == "card" and doc.path == (path.id or None)]
        if items or cards:
            groups.append({"title": path.title(lang) if guide.several_paths else None,
                           "links": items, "cards": cards})
    return groups


def kit_label(doc: outputs.KitDoc, words, path_title: str | None = None) -> str:
    """"Checklist card · A4", "For facilitators: facilitator sheet · US Letter"."""
    paper = words["handout_a4"] if doc.paper == "a4" else words["handout_letter"]
    what = words["card_link"] if doc.kind == "card" else words["facilitator_link"]
    return " · ".join(part for part in (what, path_title, paper) if part)


def _picture(step_id: str, crop) -> dict | None:
    """A step's image for the page: both files with their real pixel widths, for srcset."""
    if crop is None:
        return None
    src_1x, src_2x = (f"images/{outputs.crop_filename(step_id, k)}" for k in (1, 2))
    width, height = crop.size_1x
    with Image.open(crop.path_1x) as at_1x, Image.open(crop.path_2x) as at_2x:
        srcset = f"{src_1x} {at_1x.width}w, {src_2x} {at_2x.width}w"
    return {"src": src_1x, "src_2x": src_2x, "srcset": srcset, "sizes": image_sizes(width),
            "width": width, "height": height}


def image_sizes(width: int) -> str:
    """The `sizes` of a picture `width` CSS px wide: the content column, but never wider than the
    picture itself (it is shown at most at its own size)."""
    entries: list[tuple[int, str]] = []  # (narrowest viewport, slot), widest viewports first
    upper = None
    for narrowest, column, margin in CONTENT_COLUMN:
        if column is not None:
            entries.append((narrowest, f"{min(width, column)}px"))
        else:  # the column is the viewport minus a margin: the picture fits from width + margin on
            fits_from = width + margin
            if upper is None or fits_from < upper:
                entries.append((max(narrowest, fits_from), f"{width}px"))
            if fits_from > narrowest:
                entries.append((narrowest, f"calc(100vw - {margin}px)"))
        upper = narrowest
    merged: list[tuple[int, str]] = []
    for narrowest, slot in entries:  # a wider range with the same slot says nothing more
        if merged and merged[-1][1] == slot:
            merged.pop()
        merged.append((narrowest, slot))
    return ", ".join(f"(min-width: {narrowest}px) {slot}" if narrowest else slot
                     for narrowest, slot in merged)


def page_url(guide: Guide, lang: str) -> str:
    """The public address of a language's guide page, as its canonical link names it."""
    return f"{guide.url_for(lang)}{PAGE}"


def hreflang_links(guide: Guide) -> list[dict[str, str]]:
    """Every language's page as an absolute address, as search engines want them. (No x-default
    for the chooser: Material fetches a sitemap.xml beside every alternate, and the site's root
    has none.)"""
    return [{"lang": lang.code, "href": page_url(guide, lang.code)} for lang in guide.languages]


def qr_svg(url: str, css_class: str = "guide-online__qr") -> Markup:
    """A QR code of an address, made here (no service): the guide page's printout, the projector."""
    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(border=4, dark="#000", light="#fff", omitsize=True,
                                  svgclass=css_class))


def handout_label(handout: outputs.Handout, words, path_title: str | None = None) -> str:
    """"A4 · Large print", after the path's title when the guide has several paths."""
    paper = words["handout_a4"] if handout.paper == "a4" else words["handout_letter"]
    size = words["handout_large"] if handout.large else words["handout_standard"]
    return f"{path_title} · {paper} · {size}" if path_title else f"{paper} · {size}"


def language_index_html(guide: Guide, strings) -> str:
    """site/index.html: every language named in its own script; plain links, no script needed."""
    languages = [{"code": lang.code, "dir": lang.dir, "name": lang.name,
                  "title": guide.text(lang.code).title,
                  "choose": strings[lang.code]["choose_language"]}
                 for lang in guide.languages]
    source = guide.source_language.code
    return environment().get_template("languages.html.j2").render(
        languages=languages, lang=source, dir=guide.source_language.dir,
        title=guide.text(source).title, hreflang=hreflang_links(guide))
