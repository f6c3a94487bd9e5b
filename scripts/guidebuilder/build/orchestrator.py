"""The build: check, draw crops, render handouts, build the site into a staging folder, publish.

The only module that runs the stages, in order, each with the model and the earlier stages'
results; each returns its value with its own report, printed as one line. Every expensive stage
keeps its work in the one store (`--cache`), so an unchanged build costs little; site/ is replaced
only when every stage succeeded (see publish.py), and only then does the store forget the entries
this build did not use.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from guidebuilder.build import publish
from guidebuilder.build.check import Checked, check_all
from guidebuilder.build.progress import Progress
from guidebuilder.errors import BuildError
from guidebuilder.model import Guide
from guidebuilder.site.inputs import SiteInputs
from guidebuilder.store import Store


def source_date_epoch(root: Path) -> str:
    """SOURCE_DATE_EPOCH if set, else the last commit's time: two builds of one commit carry the
    same dates."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, check=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out or "315532800"  # 1980-01-01, when there is no git history (a tarball)


@dataclass(frozen=True)
class Settings:
    """What every stage of one build shares."""

    root: Path
    store: Store
    epoch: str  # SOURCE_DATE_EPOCH
    jobs: int


def settings(root: Path, cache: Path | None = None, jobs: int | None = None) -> Settings:
    return Settings(root, Store.for_project(root, cache), source_date_epoch(root),
                    jobs or os.cpu_count() or 1)


def placeholder_warning(guide: Guide, steps: Path, root: Path) -> str | None:
    """One line for every build while the guide's public address is a stand-in."""
    if not guide.has_placeholder_url:
        return None
    shown = steps.relative_to(root).as_posix() if steps.is_relative_to(root) else str(steps)
    return (f"warning: {shown}: public_url {guide.public_url} is a placeholder, so the handouts "
            "print no QR code or address; set it to where the site will be published")


def prepare_site(checked: Checked, run: Settings, progress: Progress | None = None,
                 langs: tuple[str, ...] | None = None) -> SiteInputs:
    """The stages before the site, in order: crops, then handouts; their results as site inputs."""
    from guidebuilder.handout.stage import render_handouts
    from guidebuilder.images.crops import render_crops
    from guidebuilder.site.inputs import site_inputs

    progress = progress or Progress(0)
    guide = checked.guide
    with progress.stage("crops") as stage:
        crops = render_crops(guide, run.store, langs=langs, jobs=run.jobs,
                             progress=lambda done, total: progress.bar("crops", done, total))
        stage["summary"] = str(crops.report)
    with progress.stage("handouts") as stage:
        handouts = render_handouts(
            guide, checked.strings, crops, run.store, epoch=run.epoch, langs=langs, jobs=run.jobs,
            progress=lambda done, total: progress.bar("handouts", done, total))
        stage["summary"] = str(handouts.report)
    return site_inputs(guide, checked.strings, crops, handouts, run.store, epoch=run.epoch,
                       langs=langs)


def build(steps: Path, root: Path, out: Path, verbosity: int = 1, jobs: int | None = None,
          cache: Path | None = None, engine: str = "mkdocs") -> None:
    from guidebuilder.site.stage import build_site

    progress = Progress(verbosity)
    run = settings(root, cache, jobs)
    out = out.absolute()
    with publish.build_lock(root, progress.line):
        publish.remove_leftovers(out)
        try:
            with progress.stage("check") as stage:
                checked = check_all(steps, root, run.store)
                guide = checked.guide
                stage["summary"] = f"{len(guide.steps)} steps x {len(guide.languages)} languages"
                if checked.warnings:
                    progress.warnings(checked.warnings)
                    stage["summary"] += f", {len(checked.warnings)} warnings"
            warning = placeholder_warning(guide, steps, root)
            if warning:
                progress.line(warning)
            inputs = prepare_site(checked, run, progress)
            with publish.staging_folder(out) as staging, progress.stage("site") as stage:
                stage["summary"] = str(build_site(inputs, staging, run.store, verbosity=verbosity,
                                                  engine=engine))
                publish.publish(staging, out)
            run.store.prune()  # only here: a preview or a check uses part of what is kept
        except OSError as exc:
            raise publish.machine_error(exc, out) from None
    shown = os.path.relpath(out) if out.is_relative_to(Path.cwd()) else str(out)
    progress.line(f"done: the site is in {shown}/ — open {shown}/index.html, "
                  "or preview it with `make serve`")


def check(steps: Path, root: Path, cache: Path | None = None) -> Checked:
    """`make check`: the guide and every file it names, with the build's store (`--cache`)."""
    return check_all(steps, root, Store.for_project(root, cache))


def serve(steps: Path, root: Path, lang: str, address: str, cache: Path | None = None) -> None:
    """`make serve`: a live preview of one language; only what that language needs is prepared,
    again on every change to steps.yaml, guide/ or overrides/."""
    from guidebuilder.site.stage import serve_site

    run = settings(root, cache)
    checked = check_all(steps, root, run.store)
    if lang not in checked.guide.codes:
        raise BuildError(f"unknown language '{lang}'; choose one of {', '.join(checked.guide.codes)}")

    def prepare(lang: str) -> SiteInputs:  # the stage lines say that only this language is made
        return prepare_site(check_all(steps, root, run.store), run, Progress(1), langs=(lang,))

    serve_site(prepare, lang, run.store, root, run.epoch, address)
