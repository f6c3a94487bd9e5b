"""Hard input limits: whatever the input, `make check` answers within seconds with one clear line.

Each case runs the real command line in a subprocess. A hang shows as the subprocess timeout, the
failure; no assertion is made on speed.
"""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from guidebuilder.cli import main
from guidebuilder.limits import (
    MAX_NESTING,
    MAX_REGIONS_BYTES,
    MAX_SCREENSHOT_BYTES,
    MAX_VALUES,
    MAX_YAML_BYTES,
    MB,
)

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30  # seconds; each case answers in about one


def guidebuilder(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "guidebuilder", "--root", str(project), *args],
        capture_output=True, text=True, timeout=TIMEOUT,
        env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})


def billion_laughs(path: Path) -> None:
    """Under 1 KB, which a naive walk expands to 9**10 values."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def text(content: str):
    return lambda path: path.write_text(content, encoding="utf-8")


def sparse(size: int):
    def make(path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(size)
    return make


def fixture_padded_to(size: int):
    """The valid fixture guide, grown with a comment to exactly `size` bytes."""
    def make(path: Path) -> None:
        guide = (ROOT / "tests" / "fixtures" / "minimal.yaml").read_bytes()
        padding = size - len(guide) - 3
        path.write_bytes(guide + b"\n#" + b"x" * padding + b"\n")
    return make


TOO_DEEP = (f"lists and mappings are nested more than {MAX_NESTING} levels deep here (a guide needs "
            "fewer than 10); look for a [ or { that is never closed, or indentation that keeps growing")
TOO_MANY = (f"more than {MAX_VALUES:,} values (texts, lists, mappings) in one file, where a guide "
            "needs about 40 per step and language; check that this is the right file")
ALIAS = "anchors and aliases are not allowed; write the text out in full where it is needed"
TOO_LARGE = "check that this is the right file (a guide's YAML file is usually under 100 KB)"
YAML_OVER = f"over the limit of {MAX_YAML_BYTES // MB} MB; {TOO_LARGE}"

# (case, how to write the steps file, its name, the first line on stderr, how many problems)
STEPS_LIMITS = [
    ("billion-laughs", billion_laughs, "laughs.yaml",
     f"laughs.yaml:1: anchor '&a': {ALIAS}", 19),
    ("flow-10000-deep", text("[" * 10_000 + "]" * 10_000 + "\n"), "deep.yaml",
     f"deep.yaml:1: {TOO_DEEP}", 1),
    ("flow-mappings-10000-deep", text("{a: " * 10_000 + "}" * 10_000 + "\n"), "deep.yaml",
     f"deep.yaml:1: {TOO_DEEP}", 1),
    ("block-10000-deep", text("- " * 10_000 + "x\n"), "deep.yaml",
     f"deep.yaml:1: {TOO_DEEP}", 1),
    ("block-mappings-1000-deep", text("".join(" " * i + "a:\n" for i in range(1000)) + "x\n"),
     "deep.yaml", f"deep.yaml:{MAX_NESTING + 1}: {TOO_DEEP}", 1),
    ("many-values-in-flow", text("[" + "a," * MAX_VALUES + "a]\n"), "many.yaml",
     f"many.yaml:1: {TOO_MANY}", 1),
    ("many-steps", text("steps:\n" + "  - {}\n" * MAX_VALUES), "many.yaml",
     f"many.yaml:{MAX_VALUES - 1}: {TOO_MANY}", 1),  # the mapping, its key and the list count too
    ("sparse-3x-the-limit", sparse(3 * MAX_YAML_BYTES), "steps.yaml",
     f"steps.yaml: the file is {3 * MAX_YAML_BYTES:,} bytes, {YAML_OVER}", 1),
    ("one-byte-over", fixture_padded_to(MAX_YAML_BYTES + 1), "steps.yaml",
     f"steps.yaml: the file is {MAX_YAML_BYTES + 1:,} bytes, {YAML_OVER}", 1),
    ("fifo", lambda path: os.mkfifo(path), "pipe.yaml",
     "pipe.yaml: this is a named pipe (FIFO), not a regular file; give the path of the file itself", 1),
    ("folder", lambda path: path.mkdir(), "folder.yaml",
     "folder.yaml: this is a folder, not a regular file; give the path of the file itself", 1),
]


@pytest.mark.parametrize(("make", "name", "first", "count"), [row[1:] for row in STEPS_LIMITS],
                         ids=[row[0] for row in STEPS_LIMITS])
def test_steps_file_over_a_limit_is_refused_in_one_line(project: Path, make, name, first, count):
    steps = project / "steps.yaml"  # the project's first guide
    steps.unlink()
    make(steps)
    result = guidebuilder(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert (lines[0], len(lines)) == (first.replace(name, "steps.yaml"), count + 1)
    assert lines[-1] == f"{count} problem{'s' if count > 1 else ''} found; nothing was built."


# (the file, the command that reads it): the other YAML sources share the loader and its limits
OTHER_YAML = [("guide/strings/en.yaml", "check"), ("guide/capture.yaml", "capture")]


@pytest.mark.parametrize(("shown", "command"), OTHER_YAML, ids=[row[0] for row in OTHER_YAML])
def test_other_yaml_source_over_the_limit_is_refused(project: Path, shown, command):
    sparse(MAX_YAML_BYTES + 1)(project / shown)
    result = guidebuilder(project, command)
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        f"{shown}: the file is {MAX_YAML_BYTES + 1:,} bytes, {YAML_OVER}",
        "1 problem found; nothing was built."])


REGIONS = "guide/screenshots/en/page.regions.json"
REGIONS_FIX = "fix it by hand or re-run `make capture`"
REGIONS_TOO_LARGE = "check that this is the right file or re-run `make capture`"


def regions_padded_to(size: int):
    """A valid regions file grown to exactly `size` bytes by a long 'source'."""
    head, tail = b'{"size": [400, 300], "regions": {}, "source": "', b'"}'
    return lambda path: path.write_bytes(head + b"x" * (size - len(head) - len(tail)) + tail)


# (case, how to write guide/screenshots/en/page.regions.json, the line and message reported for
# each step using it)
REGIONS_LIMITS = [
    ("sparse-2MB", sparse(2 * MB), 0,
     f"the file is 2,097,152 bytes, over the limit of 1 MB; {REGIONS_TOO_LARGE}"),
    ("one-byte-over", regions_padded_to(MAX_REGIONS_BYTES + 1), 0,
     f"the file is 1,048,577 bytes, over the limit of 1 MB; {REGIONS_TOO_LARGE}"),
    ("100000-deep", text('{"size": [400, 300],\n"regions": ' + "[" * 100_000 + "]" * 100_000 + "}"),
     2, f"lists and objects are nested more than {MAX_NESTING} levels deep here (a regions file "
     f"needs 4); {REGIONS_FIX}"),
    ("5000-digit-number", text('{"size": [4' + "0" * 5000 + ', 300], "regions": {}}'), 0,
     f"not valid JSON (a number in it is too long to be a pixel count); {REGIONS_FIX}"),
    ("fifo", lambda path: os.mkfifo(path), 0,
     "this is a named pipe (FIFO), not a regular file; give the path of the file itself"),
]


@pytest.mark.parametrize(("make", "line", "message"), [row[1:] for row in REGIONS_LIMITS],
                         ids=[row[0] for row in REGIONS_LIMITS])
def test_regions_file_over_a_limit_is_refused_in_one_line(project: Path, make, line, message):
    sidecar = project / REGIONS
    sidecar.unlink()
    make(sidecar)
    result = guidebuilder(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    where = f"{REGIONS}:{line}:" if line else f"{REGIONS}:"
    assert result.stderr.splitlines() == [
        f"{where} step 'first' [en]: {message}",
        f"{where} step 'second' [en]: {message}",
        "2 problems found; nothing was built."]


SCREENSHOT = "guide/screenshots/en/page.png"


@pytest.mark.parametrize(("make", "message"), [
    (sparse(MAX_SCREENSHOT_BYTES + 1),
     f"the file is {MAX_SCREENSHOT_BYTES + 1:,} bytes, over the limit of 64 MB; use a screenshot of a "
     "normal screen size, saved as PNG, JPEG or WebP"),
], ids=["one-byte-over"])  # a pipe or folder named as a screenshot: test_validate.py
def test_a_screenshot_over_the_limit_is_refused_before_it_is_read(project: Path, make, message):
    shot = project / SCREENSHOT
    shot.unlink()
    make(shot)
    result = guidebuilder(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{SCREENSHOT}: step 'first' [en]: {message}",
        f"{SCREENSHOT}: step 'second' [en]: {message}",
        "2 problems found; nothing was built."]


def test_a_guide_within_the_limits_still_passes(project: Path):
    result = guidebuilder(project, "check")
    assert result.returncode == 0, result.stderr
    assert "OK (2 steps in 2 languages: en, ar)" in result.stdout


@pytest.fixture
def taken_port():
    """A port on 127.0.0.1 that another program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_serve_on_a_taken_port_says_which_address_to_use(project: Path, taken_port: int):
    result = guidebuilder(project, "serve", "--lang", "en", "--addr", f"127.0.0.1:{taken_port}")
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        f"error: the address 127.0.0.1:{taken_port} is already in use (another preview or program); "
        f"choose another with make serve ADDR=127.0.0.1:{taken_port + 1}"])


MALFORMED = ("is not HOST:PORT (an IP address or localhost, a colon and a port from 1 to 65535); "
             "write it like make serve ADDR=127.0.0.1:8000")


@pytest.mark.parametrize("address", ["8000", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:0",
                                     "127.0.0.1:65536", "example.org:8000", "300.1.1.1:8000", ":8000"])
def test_serve_on_a_malformed_address_shows_the_form(project: Path, address: str):
    result = guidebuilder(project, "serve", "--addr", address)
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        f"error: the address {address!r} {MALFORMED}"])


def test_serve_turns_a_port_taken_at_the_last_moment_into_the_same_line(project, monkeypatch, capsys):
    """The first try is advisory: when MkDocs' own bind fails, the line is the same."""
    def taken(*_args, **_kwargs):
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr("guidebuilder.addresses.ensure_free", lambda host, port: None)
    monkeypatch.setattr("guidebuilder.build.orchestrator.serve", taken)
    assert main(["--root", str(project), "serve", "--addr", "127.0.0.1:8000"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: the address 127.0.0.1:8000 is already in use (another preview or program); "
        "choose another with make serve ADDR=127.0.0.1:8001"]
