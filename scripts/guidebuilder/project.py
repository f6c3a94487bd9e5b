"""The shelf: which guides a project holds, where each one's files are, and the site's address.

    project = find_project(root)              # every guide: steps.yaml first, then guides/*/
    project.select("stop-grok-training")      # one of them (`make GUIDE=...`), or a clear error

- The top-level `steps.yaml` is the first guide; its screenshots, regions, mockups and capture list
  are in `guide/` (beside the builder's own words, `guide/strings/`, which every guide shares).
- Every further guide is a folder `guides/<slug>/` holding its own `steps.yaml` and the same files.
- The site's public address is `site_url` in mkdocs.yml (one place for the whole shelf); each guide
  lives at `<site_url><slug>/` and each of its languages at `<site_url><slug>/<lang>/`. The
  environment variable PUBLIC_URL, when set, replaces it (a publishing job knows where it publishes).

Plain YAML only: the core reads mkdocs.yml without MkDocs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from guidebuilder.errors import BuildError

FIRST_GUIDE_FOLDER = "guide"
GUIDES_FOLDER = "guides"
STEPS = "steps.yaml"
CONFIG = "mkdocs.yml"
# Used when mkdocs.yml names no address: a stand-in, so every build says it is one.
PLACEHOLDER_SITE_URL = "https://guides.example.org/"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class GuideFiles:
    """Where one guide's files are; its slug is checked against steps.yaml when it is loaded."""

    steps: Path  # its steps.yaml
    folder: Path  # its screenshots/, mockups/, capture.yaml
    slug: str | None  # the folder's name for guides/<slug>/; None for the first guide (from steps.yaml)

    @property
    def capture_list(self) -> Path:
        return self.folder / "capture.yaml"

    @property
    def mockups(self) -> Path:
        return self.folder / "mockups"


@dataclass(frozen=True)
class Project:
    root: Path
    site_url: str  # ends with "/"
    guides: tuple[GuideFiles, ...]

    def select(self, slug: str | None, first_slug: Callable[[], str]) -> tuple[GuideFiles, ...]:
        """Every guide (slug None), or the one named; raises BuildError naming the choices.
        `first_slug()` gives the first guide's slug (from its steps.yaml: asked only if needed)."""
        if slug is None:
            return self.guides
        named = [files for files in self.guides[1:] if files.slug == slug]
        if named:
            return (named[0],)
        first = first_slug()
        if slug == first:
            return (self.guides[0],)
        names = ", ".join([first, *(files.slug or "" for files in self.guides[1:])])
        raise BuildError(f"there is no guide '{slug}' in this project; choose one of {names} "
                         f"(make GUIDE=<slug>), or create it with make new-guide SLUG={slug}")


def find_project(root: Path) -> Project:
    root = root.resolve()
    guides = [GuideFiles(root / STEPS, root / FIRST_GUIDE_FOLDER, None)]
    folder = root / GUIDES_FOLDER
    if folder.is_dir():
        for candidate in sorted(folder.iterdir()):
            if candidate.is_dir() and (candidate / STEPS).is_file():
                guides.append(GuideFiles(candidate / STEPS, candidate, candidate.name))
    return Project(root, site_url(root), tuple(guides))


def guide_files(steps: Path, root: Path) -> GuideFiles:
    """The files of the guide whose steps.yaml is `steps` (the first guide's, or a folder's)."""
    steps, root = steps.resolve(), root.resolve()
    if steps.parent == root:
        return GuideFiles(steps, root / FIRST_GUIDE_FOLDER, None)
    return GuideFiles(steps, steps.parent, steps.parent.name)


def site_url(root: Path) -> str:
    """The shelf's public address: PUBLIC_URL, else mkdocs.yml's site_url, else the placeholder."""
    url = os.environ.get("PUBLIC_URL", "").strip()
    where = "PUBLIC_URL"
    if not url:
        url, where = _configured_url(root / CONFIG), f"{CONFIG}: site_url"
    if not url:
        return PLACEHOLDER_SITE_URL
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", url):
        raise BuildError(f"{where} {url!r} is not a web address; write it like "
                         "https://guides.my-library.org/")
    return url.rstrip("/") + "/"


def _configured_url(config: Path) -> str:
    try:
        text = config.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise BuildError(f"{CONFIG}: cannot be read ({exc.strerror})") from None
    # Only the one top-level key: the rest of mkdocs.yml is the site engine's business.
    match = re.search(r"^site_url:[ \t]*(.*?)[ \t]*(?:#.*)?$", text, re.MULTILINE)
    if not match:
        return ""
    try:
        value = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        value = match.group(1)
    return str(value or "").strip()
