"""What the build tells the person running it: one line per stage, a bar on a terminal."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager


class Progress:
    """verbosity 0: errors only; 1: a line per stage; 2: also what each stage decided."""

    def __init__(self, verbosity: int = 1, stream=None):
        self.verbosity = verbosity
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() and not os.environ.get("CI") and verbosity > 0
        self._bar_shown = False

    def line(self, text: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self._clear_bar()
            print(text, file=self.stream, flush=True)

    def warnings(self, warnings) -> None:
        """Warnings, one line each on stderr like errors, at every verbosity."""
        self._clear_bar()
        for warning in warnings:
            print(warning, file=sys.stderr, flush=True)

    def bar(self, name: str, done: int, total: int) -> None:
        """A progress bar that redraws itself on a terminal; nothing in CI or a log file."""
        if not self.tty or total <= 1:
            return
        width = 24
        filled = width * done // total
        self.stream.write(f"\r{name}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self._bar_shown = True

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self.stream.write("\r\033[K")
            self._bar_shown = False

    @contextmanager
    def stage(self, name: str):
        """Time a stage; the body sets `summary` on the yielded dict, printed with the time."""
        result = {"summary": ""}
        start = time.perf_counter()
        yield result
        seconds = time.perf_counter() - start
        summary = f"{result['summary']}, " if result["summary"] else ""
        self.line(f"{name}: {summary}{seconds:.1f} s")
