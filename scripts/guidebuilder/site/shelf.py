"""site/index.html: the shelf, every guide of the project in each of its languages.

    html = shelf_html([(guide, strings), ...])

Plain HTML and CSS (no script, no request outside the site), so it works opened from a folder or a
USB stick. Each language's entry carries its own `lang` and `dir`, so a screen reader reads each
title with the right voice; the links are relative (<slug>/<lang>/index.html, the handouts, the
checklist cards, the projector view and the facilitator sheet beside it).
"""

from __future__ import annotations

from collections.abc import Sequence

from guidebuilder import outputs
from guidebuilder.model import Guide
from guidebuilder.site.pages import environment, handout_label, kit_label, projector_links
from guidebuilder.source.strings import Strings


def shelf_html(guides: Sequence[tuple[Guide, Strings]]) -> str:
    """The shelf page; the first guide's first language sets the page's own language."""
    first, first_strings = guides[0]
    prompts: dict[str, dict] = {}  # the shelf's title once in every language of any guide
    entries = []
    for guide, strings in guides:
        languages = []
        for lang in guide.languages:
            words = strings[lang.code]
            prompts.setdefault(lang.code, {"code": lang.code, "dir": lang.dir,
                                           "text": words["shelf_title"]})
            languages.append({
                "code": lang.code, "dir": lang.dir, "name": lang.name,
                "title": guide.text(lang.code).title,
                "href": f"{guide.slug}/{lang.code}/index.html",
                "handouts": [{"href": f"{guide.slug}/{lang.code}/{handout.filename}",
                              "label": handout_label(handout, words,
                                                     guide.path(handout.path).title(lang.code))}
                             for handout in outputs.guide_handouts(guide, lang.code)],
                "cards": [{"href": f"{guide.slug}/{lang.code}/{doc.filename}",
                           "label": kit_label(doc, words, guide.path(doc.path).title(lang.code))}
                          for doc in outputs.guide_kit(guide, lang.code) if doc.kind == "card"],
                "sheets": [{"href": f"{guide.slug}/{lang.code}/{doc.filename}",
                            "label": kit_label(doc, words)}
                           for doc in outputs.guide_kit(guide, lang.code)
                           if doc.kind == "facilitator"],
                "print_heading": words["print_heading"],
                "projectors": [{**view, "href": f"{guide.slug}/{lang.code}/{view['href']}"}
                               for view in projector_links(guide, lang.code, words)],
            })
        entries.append({"slug": guide.slug, "languages": languages})
    source = first.source_language
    assets = f"{first.slug}/{source.code}/assets"
    return environment().get_template("shelf.html.j2").render(
        lang=source.code, dir=source.dir, title=first_strings[source.code]["shelf_title"],
        prompts=list(prompts.values()), guides=entries, assets=assets)


def redirect_html(target: str, title: str, lang: str, direction: str) -> str:
    """A page at a guide's former address that leads to its new one (printed handouts keep
    working): an instant refresh, and a plain link for browsers that do not follow it."""
    return environment().get_template("moved.html.j2").render(
        target=target, title=title, lang=lang, dir=direction)
