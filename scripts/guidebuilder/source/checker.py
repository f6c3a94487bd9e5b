"""The problem collector shared by the schema pass (validate.py) and the meaning pass (meaning.py).

Its own module so that neither pass imports the other: validate runs both, meaning only reports.
"""

from __future__ import annotations

from guidebuilder.errors import Problem
from guidebuilder.source.yamlsource import Source


class Checker:
    """Collects problems with their context (step id, language) from a path in the data."""

    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []
        data = source.data if isinstance(source.data, dict) else {}
        steps = data.get("steps") if isinstance(data.get("steps"), list) else []
        self.step_ids = [s.get("id") if isinstance(s, dict) else None for s in steps]
        self.step_lines = [source.line(("steps", i)) for i in range(len(steps))]
        paths = data.get("paths") if isinstance(data.get("paths"), list) else []
        self.path_ids = [p.get("id") if isinstance(p, dict) else None for p in paths]

    def step_at_line(self, line: int) -> str | None:
        found = None
        for step_id, start in zip(self.step_ids, self.step_lines, strict=True):
            if start <= line:
                found = step_id
        return found if isinstance(found, str) else None

    def add(self, path: tuple, message: str, *, key_line: bool = False, lang: str | None = None,
            line: int | None = None, step: str | None = None) -> None:
        path = tuple(path)
        if line is None:
            line = self.source.line(path)
        where = device = None
        if len(path) >= 2 and path[0] == "paths" and isinstance(path[1], int):
            path_id = self.path_ids[path[1]] if path[1] < len(self.path_ids) else None
            device = path_id if isinstance(path_id, str) else f"#{path[1] + 1}"
        elif len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int):
            step_id = self.step_ids[path[1]] if path[1] < len(self.step_ids) else None
            step = step_id if isinstance(step_id, str) else f"#{path[1] + 1}"
        elif path and path[0] == "guide":
            where = "guide"
        elif path and path[0] == "languages":
            where = "languages"
        if lang is None and "text" in path:
            i = path.index("text")
            if i + 1 < len(path) and isinstance(path[i + 1], str):
                lang = path[i + 1]
        self.problems.append(Problem(self.source.file, line, message, step, lang, where,
                                     path=device))
