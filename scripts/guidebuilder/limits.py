"""Hard limits on what the builder reads, so that any input gets an answer within seconds: one clear
line, never a hang or a traceback.

The limits are far above any real guide, so a person only meets them with the wrong file, a damaged
one or a hostile one. A file is checked before it is read whole, and only regular files are read: a
named pipe or a device given as steps.yaml would otherwise wait forever for data.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from guidebuilder.errors import GuideError, Problem

MB = 1024 * 1024
# steps.yaml, guide/strings/*.yaml, guide/capture.yaml. The shipped X guide's steps.yaml (15 steps
# in four languages, two device paths) is 89 KB and holds about 2,300 values: about 40 values per
# step and language, one value per 38 bytes. A file at the byte limit written like it holds about
# 55,000 values, and a terser one more, so the value limit is above that: it is there to stop a
# dense file ("[a,a,a,...": one value per 2 bytes) before composing it takes long. At the two
# limits a file takes under half a second (libyaml parses, source/yamlsource.py composes in Python;
# PyYAML's pure-Python parser, used when PyYAML has no libyaml, under two seconds). The benchmark's
# generated guide (scripts/bench.py, 200 steps) is about 1 MB: a test keeps it under both limits.
MAX_YAML_BYTES = 2 * MB
MAX_VALUES = 100_000
# A PO file of po/<slug>/: about 2 KB a step and language (the text, its source and the comments).
MAX_PO_BYTES = 2 * MB
# A screenshot's .regions.json: a few KB, one box per named element.
MAX_REGIONS_BYTES = 1 * MB
# A screenshot file. A 40-megapixel PNG (the pixel limit of images/screenshots.py) of a real
# interface compresses to a few MB; an uncompressed one is at most 160 MB, so 64 MB is generous for
# any real file while refusing, before it is read into memory, a huge one given by mistake.
MAX_SCREENSHOT_BYTES = 64 * MB
# Levels of lists and mappings inside one another. steps.yaml needs 7 (steps > step > text > language
# > labels > label > text), a regions file 4. PyYAML's composer and json.loads recurse at least once
# per level, so without a limit deep nesting ends in RecursionError.
MAX_NESTING = 50

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def read_capped(path: Path, shown: str, limit: int, advice: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises OSError when the file cannot be opened (the caller knows what a missing file means), and
    GuideError when it is not a regular file or is too large; `advice` says what to do then.
    """
    _refuse(path.stat(), shown, limit, advice)
    # O_NONBLOCK: if a pipe replaced the file since the stat, opening it must not wait for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        _refuse(os.fstat(fd), shown, limit, advice)
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while we read it
        raise GuideError(Problem(shown, 0, _too_large(f"more than {limit:,}", limit, advice)))
    return data


def _refuse(status: os.stat_result, shown: str, limit: int, advice: str) -> None:
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _KINDS if test(status.st_mode)), "a special file")
        raise GuideError(Problem(shown, 0, f"this is {kind}, not a regular file; give the path of "
                                 "the file itself"))
    if status.st_size > limit:
        raise GuideError(Problem(shown, 0, _too_large(f"{status.st_size:,}", limit, advice)))


def _too_large(size: str, limit: int, advice: str) -> str:
    return f"the file is {size} bytes, over the limit of {limit // MB} MB; {advice}"
