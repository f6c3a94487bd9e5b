"""The build: check, draw crops, render handouts and the workshop kit, build the site into a
staging folder, publish.

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
from guidebuilder.build.check import Checked, Shelf, check_all, check_shelf, slug_of
from guidebuilder.build.progress import Progress
from guidebuilder.errors import BuildError
from guidebuilder.model import is_placeholder_url
from guidebuilder.project import Project, find_project
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


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def placeholder_warning(project: Project) -> str | None:
    """One line for every build while the shelf's public address is a stand-in."""
    if not is_placeholder_url(project.site_url):
        return None
    return (f"warning: mkdocs.yml: site_url {project.site_url} is a placeholder, so the handouts "
            "print no QR code or address; set it to where the site will be published")


def prepare_site(checked: Checked, run: Settings, progress: Progress | None = None,
                 langs: tuple[str, ...] | None = None, name=lambda text: text) -> SiteInputs:
    """The stages before the site, in order: crops, handouts, the workshop kit; their results as
    site inputs.
    `name` prefixes the stage lines (with the guide's slug on a shelf of several)."""
    from guidebuilder.handout.kit import render_kit
    from guidebuilder.handout.stage import render_handouts
    from guidebuilder.images.crops import render_crops
    from guidebuilder.site.inputs import site_inputs

    progress = progress or Progress(0)
    guide = checked.guide
    with progress.stage(name("crops")) as stage:
        crops = render_crops(guide, run.store, langs=langs, jobs=run.jobs,
                             progress=lambda done, total: progress.bar("crops", done, total))
        stage["summary"] = str(crops.report)
    with progress.stage(name("handouts")) as stage:
        handouts = render_handouts(
            guide, checked.strings, crops, run.store, epoch=run.epoch, langs=langs, jobs=run.jobs,
            progress=lambda done, total: progress.bar("handouts", done, total))
        stage["summary"] = str(handouts.report)
    with progress.stage(name("kit")) as stage:
        kit = render_kit(
            guide, checked.strings, crops, run.store, epoch=run.epoch, langs=langs, jobs=run.jobs,
            progress=lambda done, total: progress.bar("kit", done, total))
        stage["summary"] = str(kit.report)
    return site_inputs(guide, checked.strings, crops, handouts, run.store, epoch=run.epoch,
                       langs=langs, kit=kit)


def build(root: Path, out: Path, verbosity: int = 1, jobs: int | None = None,
          cache: Path | None = None, engine: str = "mkdocs", guide: str | None = None) -> None:
    """Every guide of the project (or only `guide`, a slug) and the shelf page, into out/.

    With `guide`, the other guides' folders of the previous out/ are kept as they are (a guide
    never built before is built too, so the shelf links nothing missing), and the store is not
    pruned: it still holds what the other guides need."""
    from guidebuilder.site.shelf import shelf_html
    from guidebuilder.site.stage import build_site

    progress = Progress(verbosity)
    run = settings(root, cache, jobs)
    out = out.absolute()
    with publish.build_lock(root, progress.line):
        publish.remove_leftovers(out)
        try:
            project = find_project(root)
            with progress.stage("check") as stage:
                shelf = check_shelf(project, run.store, only=guide)
                stage["summary"] = ", ".join(
                    shelf.name(c.guide, f"{plural(len(c.guide.steps), 'step')} x "
                               f"{plural(len(c.guide.languages), 'language')}")
                    for c in shelf.selected)
                if shelf.warnings:
                    progress.warnings(shelf.warnings)
                    stage["summary"] += f", {len(shelf.warnings)} warnings"
            warning = placeholder_warning(project)
            if warning:
                progress.line(warning)
            with publish.staging_folder(out) as staging:
                chosen = {c.guide.slug for c in shelf.selected}
                kept = publish.carry_over(out, staging, [g.slug for g, _ in shelf.listed
                                                         if g.slug not in chosen])
                todo = [c for c in check_others(shelf, kept, project, run) if c is not None]
                for checked in (*shelf.selected, *todo):
                    name = lambda text, g=checked.guide: shelf.name(g, text)  # noqa: E731
                    inputs = prepare_site(checked, run, progress, name=name)
                    with progress.stage(name("site")) as stage:
                        stage["summary"] = str(build_site(
                            inputs, staging / checked.guide.slug, run.store, verbosity=verbosity,
                            engine=engine))
                (staging / "index.html").write_text(shelf_html(shelf.listed), encoding="utf-8")
                write_redirects(staging, shelf)
                publish.publish(staging, out)
            if guide is None:
                run.store.prune()  # only here: a preview, a check or one guide uses part of it
        except OSError as exc:
            raise publish.machine_error(exc, out) from None
    shown = os.path.relpath(out) if out.is_relative_to(Path.cwd()) else str(out)
    progress.line(f"done: the site is in {shown}/ — open {shown}/index.html, "
                  "or preview it with `make serve`")


def write_redirects(staging: Path, shelf: Shelf) -> None:
    """At each former address of a guide, a page per language leading to its new address."""
    from guidebuilder.site.shelf import redirect_html

    for guide, _ in shelf.listed:
        for old in guide.former_slugs:
            source = guide.source_language
            pages = {"index.html": (f"../{guide.slug}/index.html", source)}
            pages.update({f"{lang.code}/index.html": (f"../../{guide.slug}/{lang.code}/index.html",
                                                      lang) for lang in guide.languages})
            for name, (target, lang) in pages.items():
                path = staging / old / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(redirect_html(target, guide.text(lang.code).title, lang.code,
                                              lang.dir), encoding="utf-8")


def check_others(shelf: Shelf, kept: set[str], project: Project, run: Settings):
    """The guides not selected whose folder the previous build does not have: checked, to build."""
    for guide, _ in shelf.listed:
        if guide.slug in kept or guide.slug in {c.guide.slug for c in shelf.selected}:
            continue
        yield check_all(guide.file, project.root, run.store, project.site_url)


def check(root: Path, cache: Path | None = None, guide: str | None = None) -> Shelf:
    """`make check`: every guide (or one) and every file it names, with the build's store."""
    return check_shelf(find_project(root), Store.for_project(root, cache), only=guide)


def serve(root: Path, lang: str, address: str, cache: Path | None = None,
          guide: str | None = None) -> None:
    """`make serve`: a live preview of one guide (the first, or `guide`) in one language; only
    what that language needs is prepared, again on every change to the guide's files or overrides/."""
    from guidebuilder.site.stage import serve_site

    run = settings(root, cache)
    project = find_project(root)
    shelf = check_shelf(project, run.store, only=guide or slug_of(project.guides[0].steps, project))
    target = shelf.selected[0].guide
    if lang not in target.codes:
        raise BuildError(f"unknown language '{lang}' for the guide '{target.slug}'; choose one of "
                         f"{', '.join(target.codes)}")

    def prepare(lang: str) -> SiteInputs:  # the stage lines say that only this language is made
        checked = check_all(target.file, root, run.store, project.site_url)
        return prepare_site(checked, run, Progress(1), langs=(lang,))

    serve_site(prepare, lang, run.store, root, run.epoch, address)
