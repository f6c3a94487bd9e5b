"""Everything `make check` verifies, in one place: each guide itself, then what later stages need.

    checked = check_all(files, root, store)           # one guide
    shelf = check_shelf(project, store, only="slug")  # the guides of a project (or one of them)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from guidebuilder.errors import GuideError, Problem
from guidebuilder.images.checks import check_images
from guidebuilder.model import Guide
from guidebuilder.project import Project
from guidebuilder.source import yamlsource
from guidebuilder.source.strings import Strings, load_strings, read_strings
from guidebuilder.source.validate import check_guide, load_guide
from guidebuilder.store import Store


@dataclass(frozen=True)
class Checked:
    """A guide that passed every check, with the builder's words in each of its languages."""

    guide: Guide
    strings: Strings
    warnings: tuple[Problem, ...] = ()  # nothing wrong, but worth a look (small text, untranslated)


@dataclass(frozen=True)
class Shelf:
    """The guides a command works on (`selected`, fully checked) and every guide the shelf page
    lists (`listed`: the selected ones and the others, loaded but not checked again)."""

    selected: tuple[Checked, ...]
    listed: tuple[tuple[Guide, Strings], ...]
    several: bool  # the project holds more than one guide: messages name the guide

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(w for checked in self.selected for w in checked.warnings)

    def name(self, guide: Guide, text: str) -> str:
        """A stage line or message about one guide, prefixed with its slug on a shelf of several."""
        return f"{guide.slug}: {text}" if self.several else text


def check_all(steps: Path, root: Path, store: Store | None = None,
              site_url: str | None = None) -> Checked:
    """Load and validate one guide and every file it names; raise GuideError on any problem, and
    return the warnings with the guide.

    `store` keeps which screenshots were already read through and checked (default: the project's
    store).
    """
    guide, untranslated = check_guide(steps, root, site_url)
    strings, untranslated_words = read_strings(guide)
    warnings = check_images(guide, store or Store.for_project(root))
    return Checked(guide, strings, tuple(untranslated + untranslated_words + warnings))


def check_shelf(project: Project, store: Store, only: str | None = None) -> Shelf:
    """Check the selected guides (all, or the one named), and load the others for the shelf page.
    Every guide's problems are reported together, each naming its guide on a shelf of several."""
    several = len(project.guides) > 1
    selected = project.select(only, lambda: slug_of(project.guides[0].steps, project))
    problems: list[Problem] = []
    checked: dict[Path, Checked] = {}
    listed: list[tuple[Guide, Strings]] = []
    for files in project.guides:
        try:
            if files in selected:
                result = check_all(files.steps, project.root, store, project.site_url)
                checked[files.steps] = result
                listed.append((result.guide, result.strings))
            else:
                guide = load_guide(files.steps, project.root, project.site_url)
                listed.append((guide, load_strings(guide)))
        except GuideError as exc:
            problems.extend(_named(exc.problems, files.slug or slug_of(files.steps, project),
                                   several))
    if problems:
        raise GuideError(problems)
    _check_addresses(listed)
    return Shelf(tuple(checked[f.steps] for f in selected),
                 tuple(listed), several)


def _check_addresses(listed) -> None:
    """No two guides share an address, former addresses included."""
    owner: dict[str, Guide] = {}
    problems = []
    for guide, _ in listed:
        for slug in (guide.slug, *guide.former_slugs):
            other = owner.setdefault(slug, guide)
            if other is not guide:
                problems.append(Problem(guide.shown_file, 0, f"the address '{slug}/' is also "
                                        f"used by {other.shown_file}; two guides cannot share an "
                                        "address: change the slug of the newer one",
                                        where="guide"))
    if problems:
        raise GuideError(problems)


def _named(problems, slug: str | None, several: bool) -> list[Problem]:
    if not several or slug is None:
        return list(problems)
    return [dataclasses.replace(problem, guide=slug) for problem in problems]


def slug_of(steps: Path, project: Project) -> str:
    """The slug a guide's steps.yaml gives itself, read without validating the rest (for GUIDE=
    and for naming a guide whose file has problems)."""
    try:
        data = yamlsource.load(steps, steps.name).data
        slug = data["guide"]["slug"]
    except (GuideError, KeyError, TypeError):
        slug = None
    if isinstance(slug, str) and slug:
        return slug
    return steps.relative_to(project.root).as_posix() if steps.is_relative_to(project.root) \
        else steps.name
