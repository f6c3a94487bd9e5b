"""Whole builds of the shipped guide, run as `python -m guidebuilder build` in copies of the project:
atomic publishing under failure, interruption and kill -9, one build at a time, reproducible bytes,
the cache (no-change, one-edit, damaged entries) and the machine's own problems."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import project_copy
from guidebuilder.store import MANIFEST

EPOCH = "1722000000"


def command(project: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "guidebuilder", "--root", str(project), "build", *extra]


def environment(project: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(project / "scripts"), "CI": "1",
            "SOURCE_DATE_EPOCH": EPOCH}


def build(project: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(project, *extra), capture_output=True, text=True,
                          env=environment(project), cwd=project, timeout=600)


def start(project: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(command(project, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=environment(project), cwd=project)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stage_lines(result: subprocess.CompletedProcess) -> dict[str, str]:
    """'crops: 0 drawn, 20 cached, 0.1 s' -> {'crops': '0 drawn, 20 cached'}"""
    lines = {}
    for line in result.stdout.splitlines():
        name, _, rest = line.partition(": ")
        lines[name] = rest.rsplit(", ", 1)[0]
    return lines


def siblings(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """One project, built cold once; tests that change it restore it."""
    project = project_copy(tmp_path_factory.mktemp("built"))
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert stage_lines(result)["crops"] == "20 drawn, 0 cached"
    assert stage_lines(result)["handouts"] == "16 rendered, 0 cached"
    assert result.stdout.splitlines()[-1].startswith("done: the site is in ")
    return project, snapshot(project / "site")


def test_clean_builds_are_byte_identical(built, tmp_path: Path):
    _, first = built
    second_project = project_copy(tmp_path / "again")
    result = build(second_project)
    assert result.returncode == 0, result.stderr
    second = snapshot(second_project / "site")
    assert sorted(second) == sorted(first)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert any(name.endswith(".pdf") for name in first)
    assert any(name.endswith(".png") for name in first)
    assert "fr/search/search_index.json" in first and "fr/sitemap.xml" in first


def test_no_change_build_redraws_and_renders_nothing(built):
    project, first = built
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert stage_lines(result)["crops"] == "0 drawn, 20 cached"
    assert stage_lines(result)["handouts"] == "0 rendered, 16 cached"
    assert stage_lines(result)["site"] == "0 built, 4 cached"
    assert snapshot(project / "site") == first


def test_one_edit_renders_only_that_languages_handouts(built):
    project, first = built
    steps = project / "steps.yaml"
    original = steps.read_text(encoding="utf-8")
    steps.write_text(original.replace('title: "Abre la configuración"',
                                      'title: "Abre la configuración de tu cuenta"'), encoding="utf-8")
    try:
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert stage_lines(result)["crops"] == "0 drawn, 20 cached"
        assert stage_lines(result)["handouts"] == "4 rendered, 12 cached"
        assert stage_lines(result)["site"] == "1 built, 3 cached"
        after = snapshot(project / "site")
        changed = sorted({name.split("/")[0] for name in first if after.get(name) != first[name]})
        assert changed == ["es"]
        assert "Abre la configuración de tu cuenta" in after["es/index.html"].decode()
    finally:
        steps.write_text(original, encoding="utf-8")
        assert build(project).returncode == 0


@pytest.mark.parametrize("damage", ["truncate", "replace"])
def test_damaged_cache_entries_are_rebuilt_not_published(built, damage: str):
    project, first = built
    cache = project / ".cache"
    crop = sorted((cache / "crops").glob("*/crop@1x.png"))[0]
    pdf = sorted((cache / "handouts").glob("*/*.pdf"))[0]
    page = next(entry for entry in (cache / "site").iterdir()
                if json.loads((entry / MANIFEST).read_text(encoding="utf-8"))["meta"]["lang"] == "ar")
    page = page / "index.html"
    for entry in (crop, pdf, page):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if damage == "truncate" else data[::-1])
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert stage_lines(result)["crops"] == "1 drawn, 19 cached"
    assert stage_lines(result)["handouts"] == "1 rendered, 15 cached"
    assert stage_lines(result)["site"] == "1 built, 3 cached"
    assert snapshot(project / "site") == first


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(folder.rglob("*"))}


def test_check_and_build_use_the_cache_they_are_given(built, tmp_path: Path):
    project, first = built
    default = stamps(project / ".cache")
    store = tmp_path / "store"
    shutil.copytree(project / ".cache", store)
    for made_again in ("verified-screenshots", "fonts"):  # so that check and build must write
        shutil.rmtree(store / made_again)
    shutil.rmtree(sorted((store / "crops").iterdir())[0])
    check = subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project), "check",
                            "--cache", str(store)], capture_output=True, text=True,
                           env=environment(project), cwd=project, timeout=600)
    assert check.returncode == 0, check.stderr
    verified = sorted(p.name for p in (store / "verified-screenshots").iterdir())
    assert verified == sorted(p.name for p in (project / ".cache" / "verified-screenshots").iterdir())
    result = build(project, "--cache", str(store), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert stage_lines(result)["crops"] == "1 drawn, 19 cached"
    assert stage_lines(result)["handouts"] == "0 rendered, 16 cached"
    assert stage_lines(result)["site"] == "0 built, 4 cached"
    assert len(list((store / "fonts").iterdir())) == 4
    assert stamps(project / ".cache") == default
    assert snapshot(tmp_path / "site") == first


def test_bad_input_leaves_the_site_untouched(built):
    project, first = built
    steps = project / "steps.yaml"
    original = steps.read_text(encoding="utf-8")
    steps.write_text(original.replace('title: "Open the settings"', "title: yes"), encoding="utf-8")
    try:
        result = build(project)
    finally:
        steps.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("steps.yaml:")
    assert "step 'open-settings' [en]: YAML reads 'yes'" in result.stderr
    assert snapshot(project / "site") == first
    assert siblings(project) == []


def _wait_for_staging(project: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not siblings(project):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the build never reached its site stage"
        time.sleep(0.01)


@pytest.mark.parametrize("how", ["kill-9", "ctrl-c"])
def test_interrupted_build_leaves_previous_site(built, how: str):
    project, first = built
    proc = start(project)
    _wait_for_staging(project, proc)
    proc.send_signal(signal.SIGKILL if how == "kill-9" else signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert snapshot(project / "site") == first
    if how == "ctrl-c":
        assert proc.returncode == 130
        assert err.strip().splitlines()[-1] == "interrupted; the previous site/ is unchanged."
        assert "Traceback" not in err
        assert siblings(project) == []
    result = build(project)  # the next build removes what a killed one left behind
    assert result.returncode == 0, result.stderr
    assert siblings(project) == []
    assert snapshot(project / "site") == first


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


def run_patched(project: Path, patch: str, *args: str) -> subprocess.CompletedProcess:
    """The command line with one of the machine's facts changed first (a font or browser gone)."""
    code = f"import sys\n{patch}\nfrom guidebuilder.cli import main\nsys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=environment(project), cwd=project, timeout=600)


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


def test_missing_chromium_is_one_line(built):
    project, _ = built
    patch = ("import guidebuilder.platform as p, shutil\np.CHROMIUM_CANDIDATES = ('/nonexistent',)\n"
             "shutil.which = lambda *a, **k: None")
    result = run_patched(project, patch, "--root", str(project), "capture", "--lang", "fr",
                         "--page", "home")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: Chromium is missing; run `make setup` as root, or `sudo apt-get install chromium`"]
