"""Rendering handout HTML into PDFs with WeasyPrint, in parallel processes, reading only the
staging folder, and failing on anything WeasyPrint reports.

    pdf = render_pdf(html, stage_folder, "guide-fr-a4.pdf")
    run_jobs([Job(...), ...], jobs=2)   # renders and stores each PDF; BuildError on failures
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
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


def run_jobs(todo: list[Job], jobs: int | None, store: Callable[[Job, bytes], None],
             progress: Callable[[int, int], None] | None = None) -> None:
    """Render every job, `jobs` at a time; `store(job, pdf)` is called in this process as each ends.

    Raises one BuildError naming every handout that failed and why.
    """
    workers = min(jobs or 1, len(todo))
    failed: list[tuple[str, str]] = []
    if workers <= 1:
        for done, job in enumerate(todo, start=1):
            try:
                store(job, _render(job))
            except HandoutError as exc:
                failed.append((job.name, exc.cause))
            if progress:
                progress(done, len(todo))
    else:
        # fork, stated rather than left to Python's default (forkserver from 3.14): spawned children
        # would import the caller's __main__ again, and `python -m guidebuilder` runs its CLI there.
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            futures = {pool.submit(_render, job): job for job in todo}
            for done, future in enumerate(as_completed(futures), start=1):
                exc = future.exception()
                if exc is None:
                    store(futures[future], future.result())
                elif isinstance(exc, HandoutError):
                    failed.append((futures[future].name, exc.cause))
                else:
                    raise exc
                if progress:
                    progress(done, len(todo))
    if failed:
        order = {job.name: index for index, job in enumerate(todo)}
        raise BuildError(_one_line(sorted(failed, key=lambda item: order[item[0]])))


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


def _render(job: Job) -> bytes:
    """Render one PDF in this process; HandoutError on anything WeasyPrint complains about."""
    return render_pdf(job.html, Path(job.stage), job.name)


def render_pdf(html: str, stage: Path, name: str = "handout") -> bytes:
    """The PDF of one handout's HTML, reading nothing but files in `stage`."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    from guidebuilder.handout.fetch import VIRTUAL_BASE, BuildFolderFetcher

    fetcher = BuildFolderFetcher([stage])
    with pdfsafety.weasyprint_log() as messages:
        try:
            document = HTML(string=html, base_url=VIRTUAL_BASE,
                            url_fetcher=fetcher).render(**PDF_OPTIONS)
            _refuse_attachments(document, name)
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

