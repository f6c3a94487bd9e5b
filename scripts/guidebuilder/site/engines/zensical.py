"""Zensical, the successor of Material for MkDocs (opt-in: `make ENGINE=zensical`).

    build_language(config_file, "ar", site_dir, epoch="1722000000", verbosity=1)

Runs `zensical build --strict` as a subprocess on the language's generated docs folder
(guidebuilder.site.docs), which Zensical reads as an mkdocs.yml; it runs no MkDocs hook, and the
builder needs none. Zensical refuses an output folder outside its config's folder, so it builds
into <docs folder>/site/, which is then moved to site_dir. What it does not do yet for this site is
listed in the README ("The website").
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from guidebuilder.errors import BuildError

NAME = "zensical"
OUTPUT = "site"  # inside the config's folder
# Zensical's lightbox loads GLightbox from a CDN unless the page already has it: we serve the copy
# mkdocs-glightbox ships (the one the MkDocs build serves), at the same paths.
GLIGHTBOX = {"assets/javascripts/glightbox.min.js": "glightbox.min.js",
             "assets/stylesheets/glightbox.min.css": "glightbox.min.css"}
SETTINGS: dict[str, Any] = {
    "site_dir": OUTPUT,
    "theme": {"variant": "classic"},  # the look of Material for MkDocs, which our overrides style
    "extra_javascript": ["assets/javascripts/glightbox.min.js"],
    "extra_css": ["assets/stylesheets/glightbox.min.css"],
}
TIMEOUT = 600
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Zensical colours its report even into a pipe
PROBLEM = re.compile(r"(?:warning|error):\s*(.+)", re.IGNORECASE)
LOCATION = re.compile(r"\[\s*([^\s\]]+:\d+(?::\d+)?)\s*\]")  # "╭─[ index.md:97:10 ]"


def version() -> str:
    """What a cached language folder built by this engine depends on, besides its inputs."""
    try:
        return f"zensical=={metadata.version('zensical')}"
    except metadata.PackageNotFoundError:
        return "zensical (not installed)"


def files() -> dict[str, Path]:
    """This engine's own files for the docs folder (path inside it -> file)."""
    spec = importlib.util.find_spec("mkdocs_glightbox")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("mkdocs-glightbox is not installed: run `make setup`")
    folder = Path(next(iter(spec.submodule_search_locations))) / "glightbox"
    return {name: folder / source for name, source in GLIGHTBOX.items()}


def command() -> list[str]:
    """`zensical build`, from the same environment as this Python."""
    script = Path(sys.executable).with_name("zensical")
    if not script.is_file():
        found = shutil.which("zensical")
        if found is None:
            raise BuildError("Zensical is not installed: run `make setup` (it is pinned in "
                             "requirements.txt)")
        script = Path(found)
    return [str(script), "build"]


def build_language(config_file: Path, lang: str, site_dir: Path, epoch: str, verbosity: int) -> None:
    """One language's Zensical build into site_dir; a warning or error is a one-line BuildError."""
    output = config_file.parent / OUTPUT
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    try:
        done = subprocess.run([*command(), "--strict", "--clean", "--config-file", str(config_file)],
                              cwd=config_file.parent, env=env, capture_output=True,
                              encoding="utf-8", errors="replace",
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"site [{lang}]: zensical took more than {TIMEOUT} s") from None
    lines = [" ".join(ANSI.sub("", line).split()) for line in (done.stdout + done.stderr).splitlines()]
    lines = [line for line in lines if line]
    if verbosity >= 2:
        for line in lines:
            print(f"  zensical: {line}")
    if done.returncode != 0 or not output.is_dir():
        raise BuildError(f"site [{lang}]: zensical: {first_problem(lines)}")
    site_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(output.iterdir()):
        shutil.move(str(path), str(site_dir / path.name))
    output.rmdir()


def first_problem(lines: list[str]) -> str:
    """Zensical's first warning or error, with its place ("index.md:97:10: page does not exist");
    else the last line, which ends its traceback (a crash of Zensical itself)."""
    for number, line in enumerate(lines):
        problem = PROBLEM.match(line)
        if problem:
            places = (LOCATION.search(other) for other in lines[number + 1:number + 3])
            place = next((found.group(1) for found in places if found), None)
            return f"{place}: {problem.group(1)}" if place else problem.group(1)
    return lines[-1] if lines else "it stopped without saying why"
