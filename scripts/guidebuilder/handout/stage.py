"""Printable handouts: for each language, A4 and US Letter, standard and large print, as tagged PDFs
(one such set per path when a guide has several: guide-fr-phone-a4.pdf).

    handouts = render_handouts(guide, strings, crops, store, epoch="1722000000", jobs=2)
    handouts["fr"]          # [(Handout, Path to the PDF), ...]
    handouts.report         # "3 rendered, 13 cached"

Each PDF is a store entry (`handouts/<key>/guide-fr-a4.pdf`) keyed by everything it is made from:
its HTML (the language's text, the builder's words, dates, crop sizes), every file WeasyPrint may
read (fonts, crops, QR code, stylesheet), the PDF options, SOURCE_DATE_EPOCH, and the code version
of HANDOUTS (handout/, the builder's words, overrides/handout/, the libraries below). An entry is
reused only while its checksum matches; a damaged one is rendered again.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidebuilder import outputs
from guidebuilder.handout import document as handout_html
from guidebuilder.handout import fonts as fontcover
from guidebuilder.handout.pdf import PDF_OPTIONS, Job, run_jobs
from guidebuilder.model import Guide
from guidebuilder.report import Report
from guidebuilder.source.strings import Strings, format_day, format_month
from guidebuilder.store import Kind, Store, atomic_write

LIBRARIES = ("weasyprint", "pydyf", "segno", "nh3", "Markdown", "Jinja2", "fonttools", "babel")
# What makes only the workshop kit (handout/kit.py): editing it renders no handout again.
KIT_ONLY = (*(Path(__file__).with_name(name) for name in ("kit.py", "kitdocs.py")),
            *(handout_html.TEMPLATE_DIR / name for name in ("kit-base.html.j2", "facilitator.html.j2",
                                                            "card.html.j2", "kit.css")))
HANDOUTS = Kind("handouts", packages=("handout",), modules=("source/strings.py",),
                files=(handout_html.TEMPLATE_DIR,), skip=KIT_ONLY, libraries=LIBRARIES)
STATIC_FILES = ("handout.css", "warning.svg")


class DocumentSet(dict):
    """A printing stage's result: {lang: [(document, path of the PDF)]}, and what the run did.
    (A document is an outputs.Handout or an outputs.KitDoc: anything with a `filename`.)"""

    def __init__(self, items=(), report: Report | None = None):
        super().__init__(items)
        self.report = report or Report(0, 0, "rendered")


@dataclass(frozen=True)
class Planned:
    """One PDF a printing stage would render: its HTML, what tells it from its siblings in the
    key, and the most pages it may take (with what to do when it takes more)."""

    document: Any  # outputs.Handout or outputs.KitDoc
    html: str
    variant: list
    limit: tuple[int, str] | None = None


def render_handouts(guide: Guide, strings: Strings, crops: Mapping, store: Store, *,
                    epoch: str | None, langs: Sequence[str] | None = None, jobs: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> DocumentSet:
    """Every language's four handouts as PDFs in the store, rendering only those whose inputs changed.

    `crops` is the images stage's result; `epoch` is SOURCE_DATE_EPOCH (the dates in the PDFs);
    `langs` limits the work to some languages (a preview of one); `progress(done, total)` is called as
    each PDF is finished (for a progress bar).
    """
    def plan(lang: str, staged: Mapping[str, handout_html.StagedCrop]) -> list[Planned]:
        result = []
        for handout in outputs.guide_handouts(guide, lang):
            ctx = handout_html.context(guide, lang, handout, strings[lang], staged, epoch)
            result.append(Planned(handout, handout_html.render_html(ctx), _variant(handout)))
        return result

    return render_documents(HANDOUTS, guide, strings, crops, store, plan, epoch=epoch,
                            langs=langs, jobs=jobs, progress=progress)


def render_documents(kind: Kind, guide: Guide, strings: Strings, crops: Mapping, store: Store,
                     plan: Callable[[str, Mapping], list[Planned]], *, epoch: str | None,
                     langs: Sequence[str] | None = None, jobs: int | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     static: Sequence[str] = STATIC_FILES) -> DocumentSet:
    """The printing stages' one loop: stage each language's files (`static` templates' files,
    fonts, QR codes, crops) in the store's work folder of `kind`, `plan` its PDFs, reuse those the
    store has and render the others in parallel."""
    work = store.work(kind.name)
    planned: dict[str, list[tuple[Any, str]]] = {}
    paths: dict[str, Path] = {}
    todo: list[Job] = []
    for lang in langs or guide.codes:
        stage = work / lang
        staged = _stage(guide, lang, crops, stage, store, static)
        files = _files_digest(stage)
        planned[lang] = []
        for item in plan(lang, staged):
            key = store.key(kind, item.variant, item.html, dict(files), PDF_OPTIONS, epoch)
            planned[lang].append((item.document, key))
            entry = store.get(kind, key)
            if entry is None:
                todo.append(Job(item.document.filename, item.html, str(stage), key, item.limit))
            else:
                paths[key] = entry.file(item.document.filename)
    if todo:  # a cached PDF's text was checked when it was rendered
        check_fonts(guide, strings)

    def keep(job: Job, pdf: bytes) -> None:
        paths[job.target] = store.put(kind, job.target, {job.name: pdf}).file(job.name)

    run_jobs(todo, jobs, keep, progress)
    if langs is None:
        _forget_stages(work, set(guide.codes))
    return DocumentSet({lang: [(document, paths[key]) for document, key in items]
                        for lang, items in planned.items()},
                       Report(len(todo), sum(map(len, planned.values())) - len(todo), "rendered"))


def check_fonts(guide: Guide, strings: Mapping[str, Mapping[str, str]]) -> None:
    """Fail, naming character, step and language, when a text has a glyph no handout font has."""
    texts = []
    for lang in guide.codes:
        dates = [format_month(guide.interface_date, lang)]
        if guide.verified:
            dates.append(format_day(guide.verified, lang))
        texts += fontcover.guide_texts(guide, lang, strings[lang], extra=dates)
    fontcover.check_coverage(texts, fontcover.source_lines(guide, guide.codes))


# -- the staging folder: the one place WeasyPrint reads from ------------------------------------


def _stage(guide: Guide, lang: str, crops: Mapping, stage: Path, store: Store,
           static: Sequence[str] = STATIC_FILES) -> dict[str, handout_html.StagedCrop]:
    """Copy what one language's documents load into `stage`; return the crops by step id."""
    wanted: dict[str, bytes | Path] = {}
    for name in static:
        wanted[name] = handout_html.TEMPLATE_DIR / name
    for face in fontcover.HANDOUT_FONTS:
        wanted[f"fonts/{face.file}"] = fontcover.handout_font(face, store)
    if guide.several_paths:  # each path's handouts lead to its tab on the page
        for path in guide.paths:
            wanted[f"qr-{path.id}.svg"] = qr_svg(guide.path_url(lang, path))
    else:
        wanted["qr.svg"] = qr_svg(guide.url_for(lang))
    for url in [path.shortcut for path in guide.paths] + [step.shortcut for step in guide.steps]:
        if url:
            wanted[handout_html.qr_name(url)] = qr_svg(url)
    staged = {}
    for step in guide.steps:
        crop = crops.get((step.id, lang))
        if crop is not None:
            name = f"crops/{outputs.crop_filename(step.id, 2)}"
            wanted[name] = Path(crop.for_print)
            staged[step.id] = handout_html.StagedCrop(name, tuple(crop.size_1x), crop.provenance,
                                                      crop.shows)
    stage.mkdir(parents=True, exist_ok=True)
    for old in sorted(stage.rglob("*"), reverse=True):
        relative = old.relative_to(stage).as_posix()
        if old.is_file() and relative not in wanted:
            old.unlink()
    for name, content in wanted.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        _write_if_changed(stage / name, data)
    return staged


def qr_svg(url: str) -> bytes:
    """A QR code of an address (the guide's, a path's, a shortcut's), made locally; black on white,
    vector."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", dark="#000", light="#fff",
                                                  border=4, xmldecl=False)
    return buffer.getvalue()


def _write_if_changed(path: Path, data: bytes) -> None:
    if not (path.is_file() and path.read_bytes() == data):
        atomic_write(path, data)


def _files_digest(stage: Path) -> dict[str, str]:
    return {path.relative_to(stage).as_posix(): _sha256(path.read_bytes())
            for path in sorted(stage.rglob("*")) if path.is_file()}


# -- the key -------------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_key(store: Store, html: str, files: Mapping[str, str], handout: outputs.Handout,
              epoch: str | None) -> str:
    """A handout's key, as render_documents makes it."""
    return store.key(HANDOUTS, _variant(handout), html, dict(files), PDF_OPTIONS, epoch)


def _variant(handout: outputs.Handout) -> list:
    """What tells a handout's key from its siblings' (the same HTML could serve two)."""
    return [handout.lang, handout.paper, handout.large] + ([handout.path] if handout.path else [])


def _forget_stages(work: Path, langs: set[str]) -> None:
    """The staging folders of languages the guide no longer has."""
    for stage in work.iterdir():
        if stage.name not in langs:
            shutil.rmtree(stage, ignore_errors=True)
