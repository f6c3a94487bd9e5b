"""The workshop kit's printed documents: for each language, the facilitator sheet (A4 and Letter)
and, for each path, the participant's one-page checklist card (A4 and Letter), as tagged PDFs.

    kit = render_kit(guide, strings, crops, store, epoch="1722000000", jobs=2)
    kit["fr"]          # [(KitDoc, Path to the PDF), ...]
    kit.report         # "2 rendered, 6 cached"

The same loop as the handouts (stage.render_documents): one staging folder per language in the
store's work folder `kit/`, each PDF a store entry (`kit/<key>/card-fr-a4.pdf`) keyed by its HTML,
every file it reads, the PDF options, SOURCE_DATE_EPOCH and the code version of KIT. Only the
facilitator sheet prints the facilitator notes; a card that would take more than one page is an
error naming the card, not a second page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from guidebuilder import outputs
from guidebuilder.handout import kitdocs
from guidebuilder.handout.stage import LIBRARIES, STATIC_FILES, DocumentSet, Planned, render_documents
from guidebuilder.model import Guide
from guidebuilder.source.strings import Strings
from guidebuilder.store import Kind

# The handouts' own template makes no kit document: editing it renders no card again.
KIT = Kind("kit", packages=("handout",), modules=("source/strings.py",),
           files=(kitdocs.TEMPLATE_DIR,), skip=(kitdocs.TEMPLATE_DIR / "handout.html.j2",),
           libraries=LIBRARIES)
KIT_FILES = (*STATIC_FILES, "kit.css")
CARD_TOO_LONG = ("a checklist card must fit on one page: shorten the titles of this path's steps "
                 "in this language, or split the path in two")


def render_kit(guide: Guide, strings: Strings, crops: Mapping, store, *, epoch: str | None,
               langs: Sequence[str] | None = None, jobs: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> DocumentSet:
    """Every language's facilitator sheets and checklist cards as PDFs in the store, rendering only
    those whose inputs changed (arguments as handout.stage.render_handouts)."""
    def plan(lang: str, staged: Mapping) -> list[Planned]:
        result = []
        for doc in outputs.guide_kit(guide, lang):
            variant = [doc.kind, doc.lang, doc.paper] + ([doc.path] if doc.path else [])
            if doc.kind == "facilitator":
                html = kitdocs.facilitator_html(guide, lang, doc, strings[lang], staged, epoch)
                result.append(Planned(doc, html, variant))
            else:
                html = kitdocs.card_html(guide, lang, doc, strings[lang], epoch)
                result.append(Planned(doc, html, variant, (1, CARD_TOO_LONG)))
        return result

    return render_documents(KIT, guide, strings, crops, store, plan, epoch=epoch, langs=langs,
                            jobs=jobs, progress=progress, static=KIT_FILES)
