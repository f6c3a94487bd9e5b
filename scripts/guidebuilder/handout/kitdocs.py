"""The HTML of the workshop kit's documents, laid out by overrides/handout/ (facilitator.html.j2,
card.html.j2, kit.css): the facilitator sheet of a language and a path's checklist card.

Like the handouts' (document.py): Markdown sanitised by nh3, ((n)) drawn as badges, addresses
printed so that they wrap only after a '/', every file named relative to the staging folder.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from guidebuilder import outputs
from guidebuilder.handout import document
from guidebuilder.handout.document import Layout, StagedCrop, markdown_html, shortcut_context
from guidebuilder.model import DevicePath, Guide, Step
from guidebuilder.outputs import KitDoc
from guidebuilder.source.strings import format_month

TEMPLATE_DIR = document.TEMPLATE_DIR
SHEET_PT, CARD_PT = 12.0, 16.0
# The facilitator sheet's pictures: small, beside the step's notes
PICTURE_MM = (58.0, 48.0)


def inline_html(text: str, rtl: bool) -> Markup:
    """Markdown of one line (a list item) as inline HTML: a <p> inside a list item would be tagged
    as a paragraph in the PDF's list item, where PDF/UA wants only a label and a body."""
    html = str(markdown_html(text, rtl)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def sheet_layout(paper: str, body_pt: float) -> Layout:
    width, height = document.PAPER_MM[paper]
    return Layout(width, height, 16, 16, 18, body_pt=body_pt, image_scale=0.5,
                  image_max_height=PICTURE_MM[1])


def picture_size(size_1x: tuple[int, int]) -> tuple[float, float]:
    """A crop at most PICTURE_MM, keeping its proportions; never larger than half its screen size."""
    width, height = (side * document.CSS_PX * 0.5 for side in size_1x)
    fit = min(1.0, PICTURE_MM[0] / width, PICTURE_MM[1] / height)
    return round(width * fit, 2), round(height * fit, 2)


def _common(guide: Guide, lang: str, doc: KitDoc, layout: Layout, epoch: str | None) -> dict:
    return {**document.head_context(guide, lang, epoch), "doc": doc, "layout": layout}


def projector_url(guide: Guide, lang: str, path: DevicePath) -> str:
    """The public address of a path's projector view (site/projector.py writes it)."""
    name = next(href for href, view in outputs.projector_views(guide) if view == path)
    return f"{guide.url_for(lang)}{name}"


def step_numbers(guide: Guide, step: Step, lang: str, strings: Mapping[str, str]) -> str:
    """"Step 2", or in a guide of several paths "On a computer: Step 2 · On a phone: Step 1"."""
    if not guide.several_paths:
        return strings["step"].format(n=guide.paths[0].number(step.id))
    return " · ".join(f"{path.title(lang)}: {strings['step'].format(n=path.number(step.id))}"
                      for path in guide.paths if step.id in path.steps)


def session_plan(guide: Guide, lang: str, strings: Mapping[str, str]) -> list[dict]:
    """Each path's steps with their minutes, and the path's total from the notes."""
    plans = []
    for path in guide.paths:
        steps = guide.path_steps(path)
        known = [step.minutes for step in steps if step.minutes]
        total = sum(known)
        if not known:
            total_text = strings["facilitator_no_minutes"]
        elif len(known) < len(steps):
            total_text = strings["facilitator_total_partial"].format(minutes=total)
        else:
            total_text = strings["facilitator_total"].format(minutes=total)
        plans.append({
            "title": path.title(lang) if guide.several_paths else None,
            "steps": [{"number": number, "title": step.text(lang).title,
                       "minutes": (strings["facilitator_minutes"].format(minutes=step.minutes)
                                   if step.minutes else strings["facilitator_no_minutes"])}
                      for number, step in enumerate(steps, start=1)],
            "total": total_text,
            "projector": None if guide.has_placeholder_url else projector_url(guide, lang, path),
        })
    return plans


def unconfirmed_labels(guide: Guide, lang: str, strings: Mapping[str, str]) -> list[dict]:
    """Every label of this language nobody has confirmed on the real interface, by step."""
    return [{"where": f"{step_numbers(guide, step, lang, strings)} — {step.text(lang).title}",
             "text": label.text, "shown": label.shown}
            for step in guide.steps for label in step.text(lang).labels if not label.confirmed]


def facilitator_html(guide: Guide, lang: str, doc: KitDoc, strings: Mapping[str, str],
                     crops: Mapping[str, StagedCrop], epoch: str | None) -> str:
    """The facilitator sheet: the plan, what to prepare, each step with its picture small and its
    notes, how to undo, and the labels still to check on the real interface."""
    rtl = guide.language(lang).rtl
    notes = guide.text(lang).facilitator
    steps = []
    for step in guide.steps:
        text = step.text(lang)
        crop = crops.get(step.id)
        picture = None
        if crop is not None:
            width, height = picture_size(crop.size_1x)
            picture = {"src": crop.src, "alt": text.alt, "width": width, "height": height}
        own = text.facilitator
        steps.append({
            "numbers": step_numbers(guide, step, lang, strings), "title": text.title,
            "minutes": (strings["facilitator_minutes"].format(minutes=step.minutes)
                        if step.minutes else None),
            "body": markdown_html(text.body, rtl), "picture": picture,
            "mistakes": [{"problem": markdown_html(m.problem, rtl), "say": markdown_html(m.say, rtl)}
                         for m in (own.mistakes if own else ())],
            "note": markdown_html(own.note, rtl) if own and own.note else None,
        })
    ctx = _common(guide, lang, doc, sheet_layout(doc.paper, SHEET_PT), epoch)
    ctx.update({
        "strings": strings,
        "interface_date": strings["interface_date"].format(
            date=format_month(guide.interface_date, lang)),
        "url": None if guide.has_placeholder_url else guide.url_for(lang),
        "plans": session_plan(guide, lang, strings),
        "before": [inline_html(item, rtl) for item in (notes.before_you_start if notes else ())],
        "materials": [inline_html(item, rtl) for item in (notes.materials if notes else ())],
        "undo": markdown_html(notes.undo, rtl) if notes and notes.undo else None,
        "steps": steps,
        "unconfirmed": unconfirmed_labels(guide, lang, strings),
    })
    return document.environment().get_template("facilitator.html.j2").render(ctx)


def card_html(guide: Guide, lang: str, doc: KitDoc, strings: Mapping[str, str],
              epoch: str | None) -> str:
    """A path's checklist card: one line per step with a paper done-line, the page's QR code and
    address, and the path's shortcut when it has one. No facilitator note."""
    path = guide.path(doc.path)
    ctx = _common(guide, lang, doc, sheet_layout(doc.paper, CARD_PT), epoch)
    ctx.update({
        "strings": strings,
        "path_title": path.title(lang) if guide.several_paths else None,
        "steps": [{"number": number, "label": strings["step"].format(n=number),
                   "title": step.text(lang).title}
                  for number, step in enumerate(guide.path_steps(path), start=1)],
        "url": None if guide.has_placeholder_url else guide.path_url(lang, path),
        "qr_src": f"qr-{path.id}.svg" if guide.several_paths else "qr.svg",
        "shortcut": shortcut_context(path.shortcut),
    })
    return document.environment().get_template("card.html.j2").render(ctx)
