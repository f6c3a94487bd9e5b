"""`make serve`: a live preview of one language that rebuilds when steps.yaml changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench import project_copy
from guidebuilder import outputs
from guidebuilder.source.validate import load_guide
from test_build import environment


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


def test_serve_previews_one_language_and_rebuilds_on_save(tmp_path: Path):
    project = project_copy(tmp_path / "project")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "guidebuilder", "--root", str(project), "serve", "--lang", "ar",
         "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment(project),
        cwd=project)
    url = f"http://127.0.0.1:{port}/index.html"
    try:
        page = wait_for(url, "<html", proc)
        assert 'lang="ar"' in page and 'dir="rtl"' in page
        steps = project / "steps.yaml"
        text = steps.read_text(encoding="utf-8")
        steps.write_text(text.replace('title: "افتح الإعدادات"', 'title: "افتح إعدادات حسابك"'),
                         encoding="utf-8")
        wait_for(url, "افتح إعدادات حسابك", proc)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert "Traceback" not in output
    # Only what Arabic needs is prepared: its crops and its handouts, none of the other languages'.
    guide = load_guide(project / "steps.yaml", project)
    crops = sum(1 for step in guide.steps if step.image is not None)
    assert f"crops: {crops} drawn, 0 cached" in output
    assert f"handouts: {len(outputs.handouts('ar'))} rendered, 0 cached" in output
