"""The projector view: one step per screen, for the facilitator of a workshop.

    write_projector(inputs, "fr", site_dir / "fr")     # site/<slug>/fr/projector/index.html

A standalone page, not an engine page: a Jinja template (templates/projector.html.j2) with its own
small stylesheet and script (templates/projector.css, projector.js, copied beside it), so it needs
no theme and no engine hook, and it works from file://. It shows the site's own things: the crops
of the guide page (images/<step>@2x.png, the file the page's lightbox opens), the body HTML of
pages.text_html (sanitised, ((1)) as the same badge) and the web fonts the site publishes
(assets/stylesheets/fonts.css). Without JavaScript every screen is shown, one after the other.
Core code: no MkDocs import. Written by the site stage into each language's folder before that
folder goes into the store, so it is cached and restored with the rest of the language.
"""

from __future__ import annotations

import html
from pathlib import Path

from markupsafe import Markup
from PIL import Image

from guidebuilder import outputs
from guidebuilder.model import DevicePath, Step
from guidebuilder.site import pages
from guidebuilder.site.inputs import SiteInputs
from guidebuilder.source.strings import picture_captions

FOLDER = outputs.PROJECTOR_FOLDER  # site/<slug>/<lang>/projector/
ASSETS = ("projector.css", "projector.js")  # in templates/, copied beside the views
# The largest a picture is shown, per px of the page's 1x picture: on a 1920x1080 screen the 2x file
# at its own pixel size left half the screen empty and the interface's words smaller than the
# step's; 1.5 times its pixels is a little soft but read from across the room. At 1024x768 the
# space left by the text is the limit, not this.
ENLARGE = 3


def write_projector(inputs: SiteInputs, lang: str, lang_dir: Path) -> list[Path]:
    """Every projector view of one language, into lang_dir/projector/; returns the files written.

    One view per path (outputs.projector_views): projector/index.html for a guide of one path, with
    its steps; projector/<path>.html for each path of several, with that path's steps and title."""
    guide = inputs.guide
    folder = lang_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_view(inputs, lang, path, lang_dir / href)
               for href, path in outputs.projector_views(guide)]
    for name in ASSETS:
        target = folder / name
        target.write_bytes((pages.TEMPLATES / name).read_bytes())
        written.append(target)
    return written


def write_view(inputs: SiteInputs, lang: str, path: DevicePath, target: Path) -> Path:
    """One projector view: a title screen, a screen per step of `path` (in its order, numbered in
    it), a closing screen with the address of the path's page. `target` lies in the language's
    projector/ folder."""
    target.write_text(view_html(inputs, lang, path), encoding="utf-8")
    return target


def view_html(inputs: SiteInputs, lang: str, path: DevicePath) -> str:
    guide = inputs.guide
    steps = guide.path_steps(path)
    path_title = path.title(lang) if guide.several_paths else None
    words = inputs.strings[lang]
    language = guide.language(lang)
    total = len(steps)
    screens = [{
        "id": step.id, "title": step.text(lang).title,
        "counter": str(words["projector_counter"]).format(n=position, total=total),
        "body": pages.text_html(step.text(lang).body, words),
        "tip": pages.text_html(step.text(lang).tip, words) if step.text(lang).tip else None,
        "picture": _picture(inputs, step, lang),
    } for position, step in enumerate(steps, start=1)]
    online = None if guide.has_placeholder_url else guide.path_url(lang, path)
    return pages.environment().get_template("projector.html.j2").render(
        lang=lang, dir=language.dir, rtl=language.rtl, words=words,
        title=guide.text(lang).title, path_title=path_title, steps=screens,
        online=url_breaks(online) if online else None,
        qr=pages.qr_svg(online, "projector__qr") if online else None)


def url_breaks(url: str) -> Markup:
    """An address that wraps only after a '/', never at its hyphens: someone types it off the
    wall, and a hyphen at the end of a line reads as a hyphenation."""
    scheme, _, rest = url.rpartition("://")
    parts = [html.escape(part).replace("-", "-\u2060") for part in rest.split("/")]
    return Markup((f"{html.escape(scheme)}://" if scheme else "") + "/<wbr>".join(parts))


def _picture(inputs: SiteInputs, step: Step, lang: str) -> dict | None:
    """The step's crop as the projector shows it: the 2x file, at most ENLARGE times the page's
    1x size, shrunk to the space the text leaves (beside or under the text: projector.js keeps
    the layout that shows it larger)."""
    crop = inputs.crop(step.id, lang)
    if crop is None:
        return None
    with Image.open(crop.path_2x) as at_2x:
        width, height = at_2x.size
    return {"src": f"../images/{outputs.crop_filename(step.id, 2)}",
            "width": round(width * ENLARGE / 2), "height": round(height * ENLARGE / 2),
            "alt": step.text(lang).alt,
            "captions": picture_captions(inputs.strings[lang], crop.provenance, crop.shows, lang)}
