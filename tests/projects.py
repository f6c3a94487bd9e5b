"""Project copies and whole builds for the tests, run the way a user runs them: the command line.

- `published_project(dest)`: the project as committed (the benchmark's copy), its mkdocs.yml given
  a real site_url (PUBLISHED_URL), as a library publishes it: what the shared build of the shipped
  shelf builds.
- `fixture_project(dest)`: the builder's code with the fixture guide of tests/fixtures/small/ in
  place of steps.yaml and guide/: what the tool tests build.
- `WarmBuild`: one cold build made once per test session (see conftest.py). A test that needs a
  built project gets a fresh copy of the project with a copy of that build's whole cache folder and
  site/ (`WarmBuild.copy`); the builder checks every cache entry's checksum before reusing it, so
  the copied cache is verified by the builder itself. Only tests about cold builds start empty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from filelock import FileLock

from bench import project_copy
from guidebuilder import outputs
from guidebuilder.errors import GuideError
from guidebuilder.model import Guide
from guidebuilder.source.validate import load_guide

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("fixtures")
SMALL = FIXTURES / "small"
EPOCH = "1722000000"
RESULT = "build-result.json"  # a shared build's command-line output, for the other test processes


@lru_cache
def small_guide() -> Guide:
    """The fixture guide, loaded where it lies (its screenshots and strings are committed)."""
    return load_guide(SMALL / "steps.yaml", SMALL)


def shipped_guide_or_none() -> tuple[Guide | None, str | None]:
    """The shipped steps.yaml loaded, or why it does not load: content tests are parametrized from
    it at import, and one test reports the error (test_every_step.py) instead of every file failing."""
    try:
        return load_guide(ROOT / "steps.yaml", ROOT), None
    except GuideError as exc:
        return None, str(exc)


@lru_cache
def shipped_guides() -> tuple[tuple[Guide, ...], tuple[str, ...]]:
    """Every guide of the shipped shelf that loads, and the errors of those that do not (loaded
    once per test process: test modules parametrize from it at import)."""
    from guidebuilder.project import find_project

    guides, errors = [], []
    for files in find_project(ROOT).guides:
        try:
            guides.append(load_guide(files.steps, ROOT))
        except GuideError as exc:
            errors.append(str(exc))
    return tuple(guides), tuple(errors)


def shipped_pairs(rtl_only: bool = False) -> list:
    """pytest parameters (guide slug, language) for every language of every shipped guide."""
    import pytest

    return [pytest.param(guide.slug, lang.code, id=f"{guide.slug}-{lang.code}")
            for guide in shipped_guides()[0] for lang in guide.languages
            if lang.rtl or not rtl_only]


PUBLISHED_URL = "https://guides.mylibrary.org/"


def published_project(dest: Path) -> Path:
    """The shipped project with a real site_url: every handout and card prints its address and QR
    codes, so the content tests read what participants are given (the placeholder's "no address"
    behaviour is tested on the fixture guides)."""
    project = project_copy(dest)
    config = project / "mkdocs.yml"
    text, count = re.subn(r"(?m)^site_url: .*$", f"site_url: {PUBLISHED_URL}",
                          config.read_text(encoding="utf-8"))
    assert count == 1, "mkdocs.yml has no site_url line to set"
    config.write_text(text, encoding="utf-8")
    return project


def _is_code(name: str) -> bool:
    """The builder and its theme, without the shipped guides (steps.yaml, guide/, guides/) or the
    tests."""
    if name == "steps.yaml" or name.startswith(("tests/", "guides/")):
        return False
    return not name.startswith("guide/") or name.startswith("guide/pages/")


def fixture_project(dest: Path) -> Path:
    project_copy(dest, keep=_is_code)
    shutil.copytree(SMALL, dest, dirs_exist_ok=True,  # not what a build or `make check` left there
                    ignore=shutil.ignore_patterns("*.py", "__pycache__", ".cache", "site", ".site-*"))
    return dest


# -- the command line ----------------------------------------------------------------------------


def command(project: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "guidebuilder", "--root", str(project), "build", *extra]


def environment(project: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(project / "scripts"), "CI": "1",
            "SOURCE_DATE_EPOCH": EPOCH}


def build(project: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(project, *extra), capture_output=True, text=True,
                          env=environment(project), cwd=project, timeout=600)


def start(project: Path, *extra: str, preexec_fn=None) -> subprocess.Popen:
    return subprocess.Popen(command(project, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=environment(project), cwd=project, preexec_fn=preexec_fn)


def run_patched(project: Path, patch: str, *args: str) -> subprocess.CompletedProcess:
    """The command line with one of the machine's facts changed first (a font or browser gone)."""
    code = f"import sys\n{patch}\nfrom guidebuilder.cli import main\nsys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=environment(project), cwd=project, timeout=600)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


STAGES = ("crops", "handouts", "kit", "site")


def stage_lines(result: subprocess.CompletedProcess, slug: str | None = None) -> dict[str, str]:
    """'crops: 0 drawn, 20 cached, 0.1 s' -> {'crops': '0 drawn, 20 cached'}. On a shelf of several
    guides a guide's lines start with its slug ('small: crops: ...'): give `slug` to read them."""
    lines = {}
    for line in result.stdout.splitlines():
        name, _, rest = line.partition(": ")
        if slug is not None and name == slug and rest.partition(": ")[0] in STAGES:
            name, _, rest = rest.partition(": ")
        lines[name] = rest.rsplit(", ", 1)[0]
    return lines


def expected_cold_lines(guide: Guide) -> dict[str, str]:
    """What the first build of a guide prints, from the guide itself. A language that shows another
    language's screenshots (`screenshots:` under `languages:`, as a new language may until it has
    its own) shares that language's crops: each is drawn once, and counted as cached for the
    other."""
    languages = len(guide.codes)
    total = len(guide.steps) * languages
    drawn = len({(step.id, guide.screenshot_lang(lang)) for step in guide.steps for lang in guide.codes})
    return {"check": f"{len(guide.steps)} steps x {languages} languages",
            "crops": f"{drawn} drawn, {total - drawn} cached",
            "handouts": f"{4 * len(guide.paths) * languages} rendered, 0 cached",
            "kit": f"{len(outputs.guide_kit(guide, guide.codes[0])) * languages} rendered, 0 cached",
            "site": f"{languages} built, 0 cached"}


def run_folder(tmp_path_factory, name: str) -> Path:
    """A folder every test process of this run sees (`make test` runs pytest -n: one per core and
    one more): what one process makes there once, the others read.

    When you work on the tests themselves and have not changed the builder or a guide, set
    GUIDEBUILDER_KEEP_BUILDS to a folder: the shared builds are kept there and reused by the next
    runs. Never set it in CI: a kept build does not follow later changes (delete the folder)."""
    if os.environ.get("GUIDEBUILDER_KEEP_BUILDS"):
        kept = Path(os.environ["GUIDEBUILDER_KEEP_BUILDS"]).resolve()
        kept.mkdir(parents=True, exist_ok=True)
        return kept / name
    return tmp_path_factory.getbasetemp().parent / name if os.environ.get("PYTEST_XDIST_WORKER") \
        else tmp_path_factory.getbasetemp() / name


# -- one build shared by the tests that are not about cold builds ---------------------------------


@dataclass(frozen=True)
class WarmBuild:
    """A project built once from an empty cache, the cache kept outside it. Never change it: copy it."""

    project: Path
    cache: Path
    result: subprocess.CompletedProcess  # the cold build's output, for the tests of a first build
    new_project: Callable[[Path], Path]  # published_project or fixture_project

    @cached_property
    def guide(self) -> Guide:
        return load_guide(self.project / "steps.yaml", self.project)

    @cached_property
    def site(self) -> dict[str, bytes]:
        """Every file of the published site/, by path."""
        return snapshot(self.project / "site")

    @property
    def guide_site(self) -> Path:
        """The guide's own folder of the published site: site/<slug>/ (its languages in it)."""
        return self.project / "site" / self.guide.slug

    @cached_property
    def guides(self) -> dict[str, Guide]:
        """Every guide of the built project's shelf, by slug, loaded once (a load checks the whole
        guide: about a third of a second)."""
        from guidebuilder.project import find_project

        loaded = (load_guide(files.steps, self.project) for files in find_project(self.project).guides)
        return {guide.slug: guide for guide in loaded}

    def guide_named(self, slug: str) -> Guide:
        """One guide of the built project's shelf, by slug."""
        return self.guides[slug]

    def copy(self, dest: Path) -> Path:
        """A fresh project at dest holding a copy of the whole cache folder and of site/."""
        project = self.new_project(dest)
        shutil.copytree(self.cache, project / ".cache", symlinks=True)
        shutil.copytree(self.project / "site", project / "site", symlinks=True)
        return project


def warm_build(new_project: Callable[[Path], Path], folder: Path) -> WarmBuild:
    project = new_project(folder / "project")
    cache = folder / "cache"
    result = build(project, "--cache", str(cache))
    (folder / RESULT).write_text(json.dumps({"args": result.args, "returncode": result.returncode,
                                             "stdout": result.stdout, "stderr": result.stderr}),
                                 encoding="utf-8")
    return _checked(WarmBuild(project, cache, result, new_project))


def shared_warm_build(new_project: Callable[[Path], Path], folder: Path) -> WarmBuild:
    """The same cold build for every test process of one run (pytest -n): the first process to ask
    builds it in `folder`, the others wait for it and read what it left, result included."""
    with FileLock(f"{folder}.lock"):
        saved = folder / RESULT
        if not saved.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a process stopped mid-build left
            folder.mkdir(parents=True)
            return warm_build(new_project, folder)
        data = json.loads(saved.read_text(encoding="utf-8"))
    result = subprocess.CompletedProcess(data["args"], data["returncode"], data["stdout"], data["stderr"])
    return _checked(WarmBuild(folder / "project", folder / "cache", result, new_project))


def _checked(warm: WarmBuild) -> WarmBuild:
    result = warm.result
    assert result.returncode == 0, f"the shared build failed:\n{result.stderr}{result.stdout}"
    return warm


def errors_after_edits(fixture: Path, tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    """The problems `make check` reports for a fixture guide's steps.yaml after text edits (each
    (old, new), replaced once), the fixture's guide/ folder linked beside it."""
    text = (fixture / "steps.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"fixture has no {old!r}"
        text = text.replace(old, new, 1)
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "steps.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "guide").symlink_to((fixture / "guide").resolve())
    try:
        load_guide(tmp_path / "steps.yaml", tmp_path)
    except GuideError as exc:
        return [str(p) for p in exc.problems]
    raise AssertionError("the edited guide has no problem")

