"""Publishing site/ in one step and one build at a time (the parts that need no real build)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from guidebuilder.build import publish
from guidebuilder.errors import BuildError


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_site(folder: Path, marker: str) -> None:
    (folder / "fr").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(marker)
    (folder / "fr" / "index.html").write_text(marker * 2)


def test_publish_replaces_site_and_leaves_nothing_behind(tmp_path: Path):
    out = tmp_path / "site"
    make_site(out, "old")
    with publish.staging_folder(out) as staging:
        make_site(staging, "new")
        publish.publish(staging, out)
    assert tree(out) == {"fr/index.html": b"newnew", "index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_a_ctrl_c_just_after_the_staging_folder_appears_leaves_nothing(tmp_path: Path, monkeypatch):
    """The interrupt lands the moment the folder exists, before the code that made it returns (a
    Ctrl+C test of test_build.py once found a staging folder left behind this way)."""
    out = tmp_path / "site"
    make_site(out, "previous")
    made = os.mkdir

    def made_then_interrupted(path, *args, **kwargs):
        made(path, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "mkdir", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt), publish.staging_folder(out):
        pass
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"


def test_failed_stage_leaves_previous_site_exactly(tmp_path: Path):
    out = tmp_path / "site"
    make_site(out, "old")
    before = tree(out)
    with pytest.raises(RuntimeError), publish.staging_folder(out) as staging:
        make_site(staging, "half")
        raise RuntimeError("a stage failed")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_killed_build_leftovers_removed_by_next_build(tmp_path: Path):
    out = tmp_path / "site"
    make_site(out, "old")
    script = (f"import sys, time; sys.path.insert(0, {str(Path(publish.__file__).parents[2])!r})\n"
              "from pathlib import Path\nfrom guidebuilder.build import publish\n"
              f"with publish.staging_folder(Path({str(out)!r})) as s:\n"
              "    (s / 'x').write_text('partial'); print('ready', flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    proc.kill()  # kill -9: no cleanup runs
    proc.wait()
    leftovers = [p for p in tmp_path.iterdir() if p.name != "site"]
    assert leftovers, "the killed build should have left its staging folder"
    assert tree(out) == {"fr/index.html": b"oldold", "index.html": b"old"}
    publish.remove_leftovers(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_read_only_output_folder_is_one_clear_error(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere; see test_build for the real read-only test")
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    with pytest.raises(BuildError, match="permission denied"):
        publish.check_writable(parent / "site")


def test_second_build_waits_for_the_first(tmp_path: Path):
    order: list[str] = []
    said: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with publish.build_lock(tmp_path, said.append):
            order.append("first start")
            first_in.set()
            time.sleep(0.5)
            order.append("first end")

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with publish.build_lock(tmp_path, said.append):
        order.append("second")
    thread.join()
    assert order == ["first start", "first end", "second"]
    assert said == ["another build is running in this folder; waiting for it to finish..."]


def test_disk_full_is_named():
    import errno

    error = publish.machine_error(OSError(errno.ENOSPC, "No space left on device", "/x/site/a.pdf"),
                                  Path("/x/site"))
    assert str(error) == ("the disk is full (writing /x/site/a.pdf); free some space and run make "
                          "again — the previous site/ is unchanged")
