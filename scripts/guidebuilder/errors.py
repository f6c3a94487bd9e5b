"""One error type per domain. The command line turns them into messages; nothing else prints them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    file: str
    line: int
    message: str
    step: str | None = None
    lang: str | None = None
    where: str | None = None  # "guide" for metadata, when no step applies
    guide: str | None = None  # the guide's slug, when a project holds several
    path: str | None = None  # the device path (paths: in steps.yaml) it is about


    def __str__(self) -> str:
        context = [f"guide '{self.guide}'"] if self.guide else []
        if self.path is not None:
            context.append(f"path '{self.path}'")
        if self.step is not None:
            context.append(f"step '{self.step}'")
        elif self.where:
            context.append(self.where)
        if self.lang:
            context.append(f"[{self.lang}]")
        prefix = f"{self.file}:{self.line}:" if self.line else f"{self.file}:"
        if context:
            prefix += " " + " ".join(context) + ":"
        return f"{prefix} {self.message}"


class GuideError(Exception):
    """The guide's input is wrong. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(Exception):
    """The machine or a build stage failed (not the guide's text): one line naming cause and fix."""
