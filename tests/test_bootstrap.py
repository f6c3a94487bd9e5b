"""The set-up that `make` runs first: as a normal user with a Debian package missing, it stops and
prints the exact command to run; with everything present, a second run returns at once."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def project_with(tmp_path: Path, packages: str) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "bootstrap.sh", tmp_path / "scripts")
    (tmp_path / "scripts" / "debian-packages.txt").write_text(packages)
    (tmp_path / "requirements.txt").write_text("")
    return tmp_path


def as_normal_user(tmp_path: Path) -> dict[str, str]:
    """`id -u` answers 1000, whoever runs the test."""
    shims = tmp_path / "shims"
    shims.mkdir()
    fake_id = shims / "id"
    fake_id.write_text('#!/bin/sh\n[ "$1" = "-u" ] && echo 1000 && exit 0\nexec /usr/bin/id "$@"\n')
    fake_id.chmod(fake_id.stat().st_mode | stat.S_IEXEC)
    return {**os.environ, "PATH": f"{shims}:{os.environ['PATH']}"}


def test_missing_package_as_normal_user_prints_the_command(tmp_path: Path):
    (tmp_path / "p").mkdir()
    project = project_with(tmp_path / "p", "# fonts\ncoreutils\nno-such-package-for-the-test\n")
    result = subprocess.run(["bash", str(project / "scripts" / "bootstrap.sh")], capture_output=True,
                            text=True, env=as_normal_user(tmp_path), timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "bootstrap: these Debian packages are missing: no-such-package-for-the-test",
        "bootstrap: run this once, then run make again:",
        "    sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        "no-such-package-for-the-test",
    ]
    assert not (project / ".venv").exists()


@pytest.mark.slow  # makes a real virtual environment
def test_second_run_reuses_what_is_installed(tmp_path: Path):
    (tmp_path / "p").mkdir()
    project = project_with(tmp_path / "p", "coreutils\n")
    first = subprocess.run(["bash", str(project / "scripts" / "bootstrap.sh")], capture_output=True,
                           text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert (project / ".venv" / "bin" / "python").exists()
    second = subprocess.run(["bash", str(project / "scripts" / "bootstrap.sh")], capture_output=True,
                            text=True, timeout=60)
    assert second.returncode == 0
    assert second.stdout == "" and second.stderr == ""
