"""The build: check, draw crops, render handouts, build the site into a staging folder, publish.

Every expensive stage is cached by content hash under .cache/, so an unchanged build costs little;
site/ is replaced only when every stage succeeded (see publish.py).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from guidebuilder.build import publish
from guidebuilder.build.check import check_all
from guidebuilder.build.progress import Progress


def source_date_epoch(root: Path) -> str:
    """The last commit's time, so two builds of one commit carry the same dates."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, check=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out or "315532800"  # 1980-01-01, when there is no git history (a tarball)


def build(steps: Path, root: Path, out: Path, verbosity: int = 1, jobs: int | None = None,
          cache: Path | None = None) -> None:
    from guidebuilder.handout import stage as handout
    from guidebuilder.handout.stage import render_handouts
    from guidebuilder.images.crops import render_crops
    from guidebuilder.site.engine import build_site

    progress = Progress(verbosity)
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root)
    cache = cache or root / ".cache"
    jobs = jobs or os.cpu_count() or 1
    out = out.absolute()
    with publish.build_lock(root, progress.line):
        publish.remove_leftovers(out)
        try:
            with progress.stage("check") as stage:
                guide = check_all(steps, root)
                stage["summary"] = f"{len(guide.steps)} steps x {len(guide.languages)} languages"
            with progress.stage("crops") as stage:
                crops = render_crops(guide, cache / "crops", jobs=jobs,
                                     progress=lambda done, total: progress.bar("crops", done, total))
                stage["summary"] = f"{crops.drawn} drawn, {crops.reused} cached"
            with progress.stage("handouts") as stage:
                handouts = render_handouts(
                    guide, cache, jobs=jobs, crops=crops,
                    progress=lambda done, total: progress.bar("handouts", done, total))
                report = handout.last_report
                stage["summary"] = f"{report.rendered} rendered, {report.cached} cached"
            with publish.staging_folder(out) as staging, progress.stage("site") as stage:
                counts = build_site(guide, staging, cache, verbosity=verbosity, crops=crops,
                                    handouts=handouts)
                stage["summary"] = f"{counts['built']} built, {counts['cached']} cached"
                publish.publish(staging, out)
        except OSError as exc:
            raise publish.machine_error(exc, out) from None
    shown = os.path.relpath(out) if out.is_relative_to(Path.cwd()) else str(out)
    progress.line(f"done: the site is in {shown}/ — open {shown}/index.html, "
                  "or preview it with `make serve`")

