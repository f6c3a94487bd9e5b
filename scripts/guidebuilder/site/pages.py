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
from markupsafe import Markup

from guidebuilder import outputs
from guidebuilder.model import BADGE_REF, Guide
from guidebuilder.site.inputs import SiteInputs
from guidebuilder.source.strings import format_day, format_month

TEMPLATES = Path(__file__).with_name("templates")
# A badge with the space before it: that space becomes a no-break space, so the tag, which points
# at the word it marks, never starts a line of its own.
BADGE_AFTER_SPACE = re.compile(r"(\s*)" + BADGE_REF.pattern)
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
    """The guide page of one language, as Markdown for MkDocs."""
    guide = inputs.guide
    words = inputs.strings[lang]
    steps = []
    for step in guide.steps:
        text = step.text(lang)
        steps.append({
            "id": step.id, "number": step.number, "title": text.title, "alt": text.alt,
            "body": text_html(text.body, words),
            "tip": text_html(text.tip, words) if text.tip else None,
            "crop": inputs.crop(step.id, lang),
            "src_1x": f"images/{outputs.crop_filename(step.id, 1)}",
            "src_2x": f"images/{outputs.crop_filename(step.id, 2)}",
        })
    handouts = [(h, _handout_label(h, words)) for h, _path in inputs.handouts.get(lang, [])]
    gtext = guide.text(lang)
    return environment().get_template("guide.md.j2").render(
        lang=lang, words=words, title=gtext.title, steps=steps, handouts=handouts,
        summary=text_html(gtext.summary, words), mobile_note=text_html(gtext.mobile_note, words),
        interface_date=words["interface_date"].format(date=format_month(guide.interface_date, lang)),
        verified=(words["verified_date"].format(date=format_day(guide.verified, lang))
                  if guide.verified else None),
        source=guide.source, any_crop=any(s["crop"] for s in steps))


def _handout_label(handout: outputs.Handout, words) -> str:
    paper = words["handout_a4"] if handout.paper == "a4" else words["handout_letter"]
    size = words["handout_large"] if handout.large else words["handout_standard"]
    return f"{paper} · {size}"


def language_index_html(guide: Guide, strings) -> str:
    """site/index.html: every language named in its own script; plain links, no script needed."""
    languages = [{"code": lang.code, "dir": lang.dir, "name": lang.name,
                  "title": guide.text(lang.code).title,
                  "choose": strings[lang.code]["choose_language"]}
                 for lang in guide.languages]
    source = guide.source_language.code
    return environment().get_template("languages.html.j2").render(
        languages=languages, lang=source, dir=guide.source_language.dir,
        title=guide.text(source).title)
