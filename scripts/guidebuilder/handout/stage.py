"""Printable handouts: for each language, A4 and US Letter, standard and large print, as tagged PDFs.

    handouts = render_handouts(guide, cache_dir, jobs=2)   # {lang: [(Handout, Path to the PDF)]}
    print(last_report)                                      # "handouts: 3 rendered, 13 from cache"

Each PDF is stored in <cache_dir>/handouts/ under the sha256 of everything it is made from: its
HTML (the language's text, the builder's words, dates, crop sizes), every file WeasyPrint may read
(fonts, crops, QR code, stylesheet), this code, the versions of the libraries and the PDF options.
An entry is reused only when its own checksum still matches; a damaged one is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from guidebuilder import outputs
from guidebuilder.handout import document as handout_html
from guidebuilder.handout import fonts as fontcover
from guidebuilder.handout.pdf import PDF_OPTIONS, Job, run_jobs
from guidebuilder.model import Guide
from guidebuilder.source.strings import format_day, format_month, load_strings

LIBRARIES = ("weasyprint", "pydyf", "segno", "nh3", "Markdown", "Jinja2", "fonttools", "babel")
STATIC_FILES = ("handout.css", "warning.svg")


@dataclass(frozen=True)
class HandoutReport:
    """What the last call of render_handouts did, for the build's progress line."""

    rendered: int
    cached: int
    seconds: float

    def __str__(self) -> str:
        return f"handouts: {self.rendered} rendered, {self.cached} from cache ({self.seconds:.1f} s)"


last_report: HandoutReport | None = None


def render_handouts(guide: Guide, cache_dir: Path, jobs: int | None = None,
                    progress: Callable[[int, int], None] | None = None, crops: Mapping | None = None
                    ) -> dict[str, list[tuple[outputs.Handout, Path]]]:
    """Every language's four handouts as PDFs in the cache, rendering only those whose inputs changed.

    `crops` is the crops stage's result when the caller has it already; `progress(done, total)` is
    called as each PDF is finished (for a progress bar).
    """
    global last_report
    started = time.monotonic()
    if crops is None:
        from guidebuilder.images.crops import render_crops

        crops = render_crops(guide, Path(cache_dir) / "crops", jobs=jobs)
    strings = load_strings(guide)
    store = Path(cache_dir) / "handouts"
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    result: dict[str, list[tuple[outputs.Handout, Path]]] = {}
    todo: list[Job] = []
    for lang in guide.codes:
        stage = store / "stage" / lang
        staged = _stage(guide, lang, crops, stage)
        files = _files_digest(stage)
        result[lang] = []
        for handout in outputs.handouts(lang):
            ctx = handout_html.context(guide, lang, handout, strings[lang], staged, epoch)
            html = handout_html.render_html(ctx)
            target = store / f"{cache_key(html, files, handout, epoch)}.pdf"
            result[lang].append((handout, target))
            if not is_valid_entry(target):
                todo.append(Job(handout.filename, html, str(stage), str(target)))
    if todo:  # a cached PDF's text was checked when it was rendered
        check_fonts(guide, strings)
    run_jobs(todo, jobs, lambda job, pdf: _store(Path(job.target), pdf), progress)
    _prune(store, {path for items in result.values() for _, path in items}, set(guide.codes))
    last_report = HandoutReport(len(todo), sum(map(len, result.values())) - len(todo),
                                time.monotonic() - started)
    return result


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


def _stage(guide: Guide, lang: str, crops: Mapping, stage: Path) -> dict[str, handout_html.StagedCrop]:
    """Copy what one language's handouts load into `stage`; return the crops by step id."""
    wanted: dict[str, bytes | Path] = {}
    for name in STATIC_FILES:
        wanted[name] = handout_html.TEMPLATE_DIR / name
    for face in fontcover.HANDOUT_FONTS:
        wanted[f"fonts/{face.file}"] = fontcover.font_path(face)
    wanted["qr.svg"] = qr_svg(guide.url_for(lang))
    staged = {}
    for step in guide.steps:
        crop = crops.get((step.id, lang))
        if crop is not None:
            name = f"crops/{outputs.crop_filename(step.id, 2)}"
            wanted[name] = Path(crop.path_2x)
            staged[step.id] = handout_html.StagedCrop(name, tuple(crop.size_1x))
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
    """A QR code of the guide's address, made locally; black on white, vector."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", dark="#000", light="#fff",
                                                  border=4, xmldecl=False)
    return buffer.getvalue()


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def _files_digest(stage: Path) -> dict[str, str]:
    return {path.relative_to(stage).as_posix(): _sha256(path.read_bytes())
            for path in sorted(stage.rglob("*")) if path.is_file()}


# -- the cache -----------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def code_digest() -> str:
    """This stage's own code and template: a change to any of them renders every handout again."""
    here = Path(__file__).parent
    modules = ("stage", "document", "pdf", "imagecache", "safety", "fetch", "fonts")
    files = [here / f"{name}.py" for name in modules]
    files.append(handout_html.TEMPLATE_DIR / handout_html.TEMPLATE)
    return _sha256(b"".join(_sha256(path.read_bytes()).encode() for path in files))


@cache
def library_versions() -> dict[str, str]:
    return {name: version(name) for name in LIBRARIES}


def cache_key(html: str, files: Mapping[str, str], handout: outputs.Handout, epoch: str | None) -> str:
    parts = {
        "handout": [handout.lang, handout.paper, handout.large],
        "html": _sha256(html.encode()),
        "files": dict(files),
        "code": code_digest(),
        "libraries": library_versions(),
        "options": PDF_OPTIONS,
        "SOURCE_DATE_EPOCH": epoch,
    }
    return _sha256(json.dumps(parts, sort_keys=True).encode())


def _checksum_file(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def is_valid_entry(target: Path) -> bool:
    """A stored PDF is reused only if it is whole: its bytes still have the checksum written with it."""
    try:
        data = target.read_bytes()
        expected = _checksum_file(target).read_text(encoding="ascii").strip()
    except OSError:
        return False
    return data.startswith(b"%PDF-") and _sha256(data) == expected


def _prune(store: Path, keep: set[Path], langs: set[str]) -> None:
    """Forget what this build no longer uses: every commit changes the dates, hence every key."""
    for path in store.iterdir():
        if path.is_file() and path.name.removesuffix(".sha256") not in {p.name for p in keep}:
            path.unlink(missing_ok=True)
    for stage in (store / "stage").iterdir():
        if stage.name not in langs:
            shutil.rmtree(stage, ignore_errors=True)


def _store(target: Path, pdf: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(pdf)
    temporary.replace(target)
    _write_if_changed(_checksum_file(target), (_sha256(pdf) + "\n").encode())
