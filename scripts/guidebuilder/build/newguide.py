"""`make new-guide SLUG=...`: a new guide in guides/<slug>/, from a template that passes `make check`.

The template (build/guide-template/) is one step in English with a drawn example screenshot and its
regions file, so the guide builds at once and each later edit can be checked on its own.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from guidebuilder.errors import BuildError
from guidebuilder.project import GUIDES_FOLDER, SLUG, STEPS, find_project

TEMPLATE = Path(__file__).with_name("guide-template")


def new_guide(root: Path, slug: str, today: date | None = None) -> str:
    """Create guides/<slug>/; return what to tell the user. Refuses a bad or taken slug."""
    if not SLUG.match(slug) or len(slug) > 60:
        raise BuildError(f"'{slug}' cannot be a guide's address; use lowercase letters, digits and "
                         "dashes, e.g. make new-guide SLUG=stop-meta-ai")
    project = find_project(root)
    folder = project.root / GUIDES_FOLDER / slug
    taken = {files.slug for files in project.guides[1:]}
    from guidebuilder.build.check import slug_of

    taken.add(slug_of(project.guides[0].steps, project))
    if slug in taken or folder.exists():
        raise BuildError(f"there is already a guide '{slug}' ({folder.relative_to(project.root)}/); "
                         "choose another slug")
    staging = folder.with_name(f".{slug}.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(TEMPLATE, staging)
    steps = staging / STEPS
    text = steps.read_text(encoding="utf-8")
    steps.write_text(text.replace("{slug}", slug)
                     .replace("{today}", (today or date.today()).isoformat())
                     .replace("{{lang}}", "{lang}"), encoding="utf-8")
    staging.rename(folder)
    shown = folder.relative_to(project.root).as_posix()
    return (f"created {shown}/ — a one-step example guide that passes `make check`.\n"
            f"Next: edit {shown}/steps.yaml (title, summary, steps), put your screenshots in "
            f"{shown}/screenshots/<lang>/ with their regions files (guide/screenshots/README.md), "
            f"then run make check GUIDE={slug} and make GUIDE={slug}.")
