"""`make serve`: a live preview of one language that rebuilds when steps.yaml changes.

Run on a copy of the fixture guide's warm build, in its right-to-left language: the preview's
first build costs nothing, and the edit renders that language only."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from guidebuilder import outputs
from projects import environment

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_for(url: str, wanted: str, proc: subprocess.Popen, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        page = fetch(url)
        if page and wanted in page:
            return page
        time.sleep(0.5)
    pytest.fail(f"{wanted!r} never appeared at {url}")


def test_serve_previews_one_language_and_rebuilds_on_save(small_build, tmp_path: Path):
    project = small_build.copy(tmp_path / "project")
    guide = small_build.guide
    lang = next(language.code for language in guide.languages if language.rtl)
    title = guide.steps[0].text(lang).title
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "guidebuilder", "--root", str(project), "serve", "--lang", lang,
         "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment(project),
        cwd=project)
    url = f"http://127.0.0.1:{port}/index.html"
    try:
        page = wait_for(url, "<html", proc)
        assert f'lang="{lang}"' in page and 'dir="rtl"' in page
        steps = project / "steps.yaml"
        text = steps.read_text(encoding="utf-8")
        assert text.count(f'title: "{title}"') == 1
        steps.write_text(text.replace(f'title: "{title}"', f'title: "{title} الآن"'), encoding="utf-8")
        wait_for(url, f"{title} الآن", proc)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert "Traceback" not in output
    # Only what this language needs is prepared (from the warm cache): its crops and its handouts.
    crops = sum(1 for step in guide.steps if step.image is not None)
    assert f"crops: 0 drawn, {crops} cached" in output
    assert f"handouts: 0 rendered, {len(outputs.handouts(lang))} cached" in output


def test_serve_previews_a_guide_of_the_shelf_and_rebuilds_when_its_file_changes(
        small_build, tmp_path: Path):
    """`make serve GUIDE=<slug>`: a guide in guides/<slug>/, watched in its own folder."""
    project = small_build.copy(tmp_path / "project")
    slug = "stop-test-ai"
    made = subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project),
                           "new-guide", slug], capture_output=True, text=True,
                          env=environment(project), cwd=project, timeout=120)
    assert made.returncode == 0, made.stderr
    steps = project / "guides" / slug / "steps.yaml"
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "guidebuilder", "--root", str(project), "--guide", slug, "serve",
         "--lang", "en", "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment(project),
        cwd=project)
    url = f"http://127.0.0.1:{port}/index.html"
    try:
        wait_for(url, "title here", proc)
        text = steps.read_text(encoding="utf-8")
        steps.write_text(text.replace("Open the settings", "Open the settings now"), encoding="utf-8")
        wait_for(url, "Open the settings now", proc)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert "Traceback" not in output
    assert f"{small_build.guide.slug}" not in output  # the other guide is not prepared
