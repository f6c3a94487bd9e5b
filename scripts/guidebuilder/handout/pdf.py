"""Rendering handout HTML into PDFs with WeasyPrint, in parallel processes, reading only the
staging folder, and failing on anything WeasyPrint reports.

    pdf = render_pdf(html, stage_folder, "guide-fr-a4.pdf")
    run_jobs([Job(...), ...], jobs=2)   # renders and stores each PDF; BuildError on failures

The handouts of one staging folder (a language's four) show the same pictures in the same fonts, so
they are rendered one after the other in one process with one imagecache.SharedImages and one
WeasyPrint FontConfiguration: each picture is loaded and encoded once, not once per PDF; Pango keeps
the fonts it loaded for the next PDF (a language's handouts render in 0.87 to 0.92 of the time);
and each PDF has the bytes it would have if rendered alone.
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from guidebuilder.errors import BuildError
from guidebuilder.handout import pagination
from guidebuilder.handout import safety as pdfsafety

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}


@dataclass(frozen=True)
class Job:
    """One PDF to render: all a worker process needs, nothing it has to look up."""

    name: str  # the published file name, for messages
    html: str
    stage: str  # the only folder WeasyPrint may read
    target: str  # where the caller stores the PDF
    limit: tuple[int, str] | None = None  # the most pages it may take, and what to do if more


def run_jobs(todo: list[Job], jobs: int | None, store: Callable[[Job, bytes], None],
             progress: Callable[[int, int], None] | None = None) -> None:
    """Render every job, `jobs` processes at a time; `store(job, pdf)` is called in this process as
    each ends (in parallel, as each batch of jobs sharing a staging folder ends).

    Raises one BuildError naming every handout that failed and why.
    """
    workers = min(jobs or 1, len(todo))
    failed: list[tuple[str, str]] = []
    done = 0

    def finish(job: Job, result: bytes | HandoutError) -> None:
        nonlocal done
        if isinstance(result, HandoutError):
            failed.append((job.name, result.cause))
        else:
            store(job, result)
        done += 1
        if progress:
            progress(done, len(todo))

    if workers <= 1:
        for batch in batches(todo, 1):
            for job, result in zip(batch, _render_each(batch), strict=True):
                finish(job, result)
    else:
        # fork, stated rather than left to Python's default (forkserver from 3.14): spawned children
        # would import the caller's __main__ again, and `python -m guidebuilder` runs its CLI there.
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            futures = {pool.submit(_render_batch, batch): batch for batch in batches(todo, workers)}
            for future in as_completed(futures):
                for job, result in zip(futures[future], future.result(), strict=True):
                    finish(job, result)
    if failed:
        order = {job.name: index for index, job in enumerate(todo)}
        raise BuildError(_one_line(sorted(failed, key=lambda item: order[item[0]])))


def batches(todo: list[Job], workers: int) -> list[list[Job]]:
    """The jobs by staging folder, in their order; the largest batch is halved while there are fewer
    batches than workers (one language to render must not leave a core idle)."""
    by_stage: dict[str, list[Job]] = {}
    for job in todo:
        by_stage.setdefault(job.stage, []).append(job)
    result = list(by_stage.values())
    while result and len(result) < workers:
        largest = max(range(len(result)), key=lambda index: len(result[index]))
        batch = result[largest]
        if len(batch) < 2:
            break
        half = (len(batch) + 1) // 2
        result[largest:largest + 1] = [batch[:half], batch[half:]]
    return result


def _one_line(failures: list[tuple[str, str]]) -> str:
    """'what went wrong (in a.pdf, b.pdf)', once per distinct problem."""
    by_cause: dict[str, list[str]] = {}
    for name, cause in failures:
        by_cause.setdefault(cause, []).append(name)
    return "; ".join(f"{cause} (in {', '.join(names)})" for cause, names in by_cause.items())


class HandoutError(BuildError):
    """One handout failed to render; `cause` says why without naming the file."""

    def __init__(self, name: str, cause: str):
        super().__init__(f"{name}: {cause}")
        self.name, self.cause = name, cause

    def __reduce__(self):
        return (HandoutError, (self.name, self.cause))


def _render_each(batch: list[Job]) -> Iterator[bytes | HandoutError]:
    """Render the jobs of one staging folder in this process, sharing their images; each yields its
    PDF, or the HandoutError saying why it has none."""
    from weasyprint.text.fonts import FontConfiguration

    from guidebuilder.handout.imagecache import SharedImages

    images, fonts = SharedImages(), FontConfiguration()
    try:
        for job in batch:
            try:
                yield render_pdf(job.html, Path(job.stage), job.name, images, job.limit, fonts)
            except HandoutError as exc:
                yield exc
    finally:
        # A FontConfiguration copies the fonts into a /tmp/weasyprint-* folder that only its
        # __del__ removes, and it sits in reference cycles: a worker process ends without
        # collecting it, leaving 4 MB in /tmp per batch.
        del images, fonts
        gc.collect()


def _render_batch(batch: list[Job]) -> list[bytes | HandoutError]:
    """_render_each in a worker process: the results go back together."""
    return list(_render_each(batch))


def render_pdf(html: str, stage: Path, name: str = "handout", images: dict | None = None,
               limit: tuple[int, str] | None = None, fonts=None) -> bytes:
    """The PDF of one handout's HTML, reading nothing but files in `stage`.

    `images`, a SharedImages, is the image cache of the handouts of this staging folder; `limit`,
    (most pages, what to do), refuses a document that takes more pages (a one-page card); `fonts`,
    a FontConfiguration, is shared by documents that declare the same @font-face rules (every
    template of overrides/handout/ declares fonts.HANDOUT_FONTS from the staging folder's fonts/):
    a font one document registers is there for the next, so a document that declared fewer fonts
    could print in a font it never asked for.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from guidebuilder.handout.fetch import VIRTUAL_BASE, BuildFolderFetcher

    fetcher = BuildFolderFetcher([stage])
    with pdfsafety.weasyprint_log() as messages:
        try:
            document = HTML(string=html, base_url=VIRTUAL_BASE,
                            url_fetcher=fetcher).render(cache=images, font_config=fonts,
                                                        **PDF_OPTIONS)
            _refuse_attachments(document, name)
            if limit and len(document.pages) > limit[0]:
                raise HandoutError(name, f"it takes {len(document.pages)} pages, more than "
                                   f"{limit[0]}; {limit[1]}")
            pagination.warn_split_steps(document, name)
            pdf = document.write_pdf(**PDF_OPTIONS)
        except FatalURLFetchingError as exc:
            raise HandoutError(name, str(exc.__cause__ or exc)) from None
    if messages:
        raise HandoutError(name, "WeasyPrint reported " + "; ".join(dict.fromkeys(messages)))
    leaks = pdfsafety.local_paths_in(pdf, [stage.resolve(), Path.home(), Path(tempfile.gettempdir())])
    if leaks:
        raise HandoutError(name, f"the PDF would contain local paths ({', '.join(leaks)}); "
                           "give every resource a relative name in the staging folder")
    return pdf


def _refuse_attachments(document, name: str) -> None:
    links = [link for page in document.pages for link in page.links if link[0] == "attachment"]
    if document.metadata.attachments or links:
        raise HandoutError(name, "the handout would embed a file (an attachment); handouts embed "
                           "none: remove rel=attachment from the template")
