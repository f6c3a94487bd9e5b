"""Whole builds, run as `python -m guidebuilder build` in copies of a project holding the fixture
guide (tests/fixtures/small/): the first build and reproducible bytes, from an empty cache; then,
each from its own copy of one shared warm build, the cache (no-change, one-edit, damaged entries),
atomic publishing under failure, interruption and kill -9, one build at a time, and the machine's
own problems. Every count comes from the guide the build loads. Last, the shipped guide: its first
build, and a copy of its cache reused."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from guidebuilder.store import MANIFEST
from projects import (
    build,
    expected_cold_lines,
    fixture_project,
    run_patched,
    shipped_guides,
    snapshot,
    stage_lines,
    start,
)

pytestmark = pytest.mark.slow


def totals(guide) -> tuple[int, int, int]:
    """(crops, handouts, languages) of a whole build of this guide."""
    return (len(guide.steps) * len(guide.codes), 4 * len(guide.paths) * len(guide.codes),
            len(guide.codes))


def siblings(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


@pytest.fixture
def built(small_build, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A project of this test's own, with copies of the shared build's cache folder and site/."""
    return small_build.copy(tmp_path / "built"), small_build.site


# -- from an empty cache -------------------------------------------------------------------------


def test_first_build_makes_every_output(small_build):
    lines = stage_lines(small_build.result)
    expected = expected_cold_lines(small_build.guide)
    assert {name: lines.get(name) for name in expected} == expected
    assert small_build.result.stdout.splitlines()[-1].startswith("done: the site is in ")


def test_clean_builds_are_byte_identical(small_build, tmp_path: Path):
    """A second checkout elsewhere, its cache in the default place: the same bytes."""
    first = small_build.site
    second_project = fixture_project(tmp_path / "again")
    result = build(second_project)
    assert result.returncode == 0, result.stderr
    second = snapshot(second_project / "site")
    assert sorted(second) == sorted(first)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert any(name.endswith(".pdf") for name in first)
    assert any(name.endswith(".png") for name in first)
    lang, slug = small_build.guide.codes[0], small_build.guide.slug
    assert f"{slug}/{lang}/search/search_index.json" in first and f"{slug}/{lang}/sitemap.xml" in first


# -- from a copy of the warm build ---------------------------------------------------------------


def test_no_change_build_redraws_and_renders_nothing(built, small_build):
    project, first = built
    crops, handouts, languages = totals(small_build.guide)
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert stage_lines(result)["crops"] == f"0 drawn, {crops} cached"
    assert stage_lines(result)["handouts"] == f"0 rendered, {handouts} cached"
    assert stage_lines(result)["site"] == f"0 built, {languages} cached"
    assert snapshot(project / "site") == first


def test_one_edit_renders_only_that_languages_handouts(built, small_build):
    project, first = built
    guide = small_build.guide
    crops, handouts, languages = totals(guide)
    lang, title = guide.codes[-1], guide.steps[0].text(guide.codes[-1]).title
    steps = project / "steps.yaml"
    original = steps.read_text(encoding="utf-8")
    assert original.count(f'title: "{title}"') == 1
    steps.write_text(original.replace(f'title: "{title}"', f'title: "{title} 2"'), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert stage_lines(result)["crops"] == f"0 drawn, {crops} cached"
    assert stage_lines(result)["handouts"] == f"4 rendered, {handouts - 4} cached"
    assert stage_lines(result)["site"] == f"1 built, {languages - 1} cached"
    after = snapshot(project / "site")
    slug = small_build.guide.slug
    changed = sorted({name.split("/")[1] for name in first if name.startswith(f"{slug}/")
                      and after.get(name) != first[name]})
    assert changed == [lang]
    assert f"{title} 2" in after[f"{slug}/{lang}/index.html"].decode()


def test_damaged_cache_entries_are_rebuilt_not_published(built, small_build):
    """Both kinds of damage in one build: the first crop, PDF and page (of the first language) cut
    in half, the second ones (the page of the last language) replaced by other bytes."""
    project, first = built
    crops, handouts, languages = totals(small_build.guide)
    cache = project / ".cache"
    damaged = []
    for position, damage in enumerate(("truncate", "replace")):
        crop = sorted((cache / "crops").glob("*/crop@1x.png"))[position]
        pdf = sorted((cache / "handouts").glob("*/*.pdf"))[position]
        lang = small_build.guide.codes[-position]
        page = next(entry for entry in (cache / "site").iterdir()
                    if json.loads((entry / MANIFEST).read_text(encoding="utf-8"))["meta"]["lang"] == lang)
        for entry in (crop, pdf, page / "index.html"):
            data = entry.read_bytes()
            entry.write_bytes(data[: len(data) // 2] if damage == "truncate" else data[::-1])
            damaged.append(entry)
    assert len(set(damaged)) == 6
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert stage_lines(result)["crops"] == f"2 drawn, {crops - 2} cached"
    assert stage_lines(result)["handouts"] == f"2 rendered, {handouts - 2} cached"
    assert stage_lines(result)["site"] == f"2 built, {languages - 2} cached"
    assert snapshot(project / "site") == first


def test_bad_input_leaves_the_site_untouched(built, small_build):
    project, first = built
    lang, step = small_build.guide.codes[0], small_build.guide.steps[1]
    steps = project / "steps.yaml"
    original = steps.read_text(encoding="utf-8")
    steps.write_text(original.replace(f'title: "{step.text(lang).title}"', "title: yes"),
                     encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("steps.yaml:")
    assert f"step '{step.id}' [{lang}]: YAML reads 'yes'" in result.stderr
    assert snapshot(project / "site") == first
    assert siblings(project) == []


def _wait_for_staging(project: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not siblings(project):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the build never reached its site stage"
        time.sleep(0.01)


def _as_in_a_terminal() -> None:
    """Ctrl+C reaches a build run in a terminal. A test run started in the background (`make test &`,
    or by a script) hands every process it starts an ignored SIGINT (POSIX), and Python then never
    raises KeyboardInterrupt: the build would finish and prove nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("how", ["kill-9", "ctrl-c"])
def test_interrupted_build_leaves_previous_site(built, how: str):
    """Stopped during its site stage. With everything cached that stage only copies folders and
    could finish before the signal lands, so the theme's stylesheet (part of every language's site,
    of no crop or handout) gets a comment: MkDocs runs again, and the signal finds it running. On a
    busy machine the build can still win the race and publish before the signal lands: that run
    proves nothing, so the test edits the stylesheet again and stops the next build."""
    project, first = built
    unedited = first
    stylesheet = project / "overrides" / "assets" / "stylesheets" / "guide.css"
    original = stylesheet.read_text(encoding="utf-8")
    attempts = []  # seconds until the staging folder was seen, until the build ended; its end
    for attempt in range(5):
        stylesheet.write_text(original + f"\n/* edited while build {attempt} was stopped */\n",
                              encoding="utf-8")
        started = time.monotonic()
        proc = start(project, preexec_fn=_as_in_a_terminal)
        _wait_for_staging(project, proc)
        seen = time.monotonic() - started
        proc.send_signal(signal.SIGKILL if how == "kill-9" else signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        attempts.append((round(seen, 2), round(time.monotonic() - started, 2),
                         out.strip().splitlines()[-3:], err.strip().splitlines()[-1:]))
        if proc.returncode != 0:
            break
        first = snapshot(project / "site")  # published before the signal: the new previous site
    stylesheet.write_text(original, encoding="utf-8")
    assert proc.returncode != 0, f"five builds in a row finished before the signal landed: {attempts}"
    assert snapshot(project / "site") == first
    if how == "ctrl-c":
        assert proc.returncode == 130
        assert err.strip().splitlines()[-1] == "interrupted; the previous site/ is unchanged."
        assert "Traceback" not in err
        assert siblings(project) == []
    result = build(project)  # the next build removes what a killed one left behind
    assert result.returncode == 0, result.stderr
    assert siblings(project) == []
    assert snapshot(project / "site") == unedited


def test_two_builds_at_once(built):
    project, first = built
    procs = [start(project), start(project)]
    results = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], results
    waited = [out for out, _ in results if "another build is running" in out]
    assert len(waited) == 1
    assert snapshot(project / "site") == first
    assert siblings(project) == []


@pytest.fixture
def small_mount(tmp_path: Path):
    """A tiny tmpfs, mounted with the given options; skipped where mounting is not allowed."""
    mounted = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mount{len(mounted)}"
        point.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                                capture_output=True, text=True)
        if result.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_read_only_output_folder(built, small_mount):
    project, _ = built
    point = small_mount("ro,size=1m")
    result = build(project, "--out", str(point / "site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write to {point / 'site'}: read-only file system; build elsewhere with --out "
        "or make the folder writable — the previous site/ is unchanged"]


def test_disk_full(built, small_mount):
    project, _ = built
    point = small_mount("size=600k")
    result = build(project, "--out", str(point / "site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the disk is full (writing "), lines
    assert lines[0].endswith("free some space and run make again — the previous site/ is unchanged")
    assert sorted(p.name for p in point.iterdir()) == []


def test_missing_font_is_one_line_and_keeps_the_site(built, tmp_path: Path):
    project, first = built
    patch = ("from pathlib import Path\nimport guidebuilder.platform as p\n"
             f"p.FONT_DIRS = dict.fromkeys(p.FONT_DIRS, Path({str(tmp_path)!r}))")
    cache = tmp_path / "empty-cache"  # nothing cached: every stage must look for its fonts
    result = run_patched(project, patch, "--root", str(project), "build", "--cache", str(cache))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and "fonts-noto-core" in lines[0], lines
    assert snapshot(project / "site") == first
    assert siblings(project) == []


# -- the shipped guide ---------------------------------------------------------------------------


def test_shipped_shelf_builds_from_scratch(shipped_build):
    """Every guide of the shipped shelf made from nothing (each one's lines name it)."""
    guides = shipped_guides()[0]
    several = len(guides) > 1
    for guide in guides:
        lines = stage_lines(shipped_build.result, guide.slug if several else None)
        expected = expected_cold_lines(guide)
        del expected["check"]  # one line for the whole shelf
        assert {name: lines.get(name) for name in expected} == expected, guide.slug


def test_a_copied_cache_of_the_shipped_shelf_is_reused_elsewhere(shipped_build, tmp_path: Path):
    """Another folder, the cache copied in: nothing is made again, the site is the same bytes."""
    project = shipped_build.copy(tmp_path / "copy")
    result = build(project)
    assert result.returncode == 0, result.stderr
    guides = shipped_guides()[0]
    for guide in guides:
        lines = stage_lines(result, guide.slug if len(guides) > 1 else None)
        crops, handouts, languages = totals(guide)
        assert lines["crops"] == f"0 drawn, {crops} cached", guide.slug
        assert lines["handouts"] == f"0 rendered, {handouts} cached", guide.slug
        assert lines["site"] == f"0 built, {languages} cached", guide.slug
    assert snapshot(project / "site") == shipped_build.site
