"""The checks of `paths:` that a JSON Schema cannot express, and the paths of the model.

Path ids unique (and not an anchor the page has already), each path's text in every language of
the guide, each listed step a step of the guide and listed once per path, every step in at least
one path. Run on data the schema pass has seen: parts it refused (a path without `steps:`, an id
that is not a name) are skipped here.
"""

from __future__ import annotations

from types import MappingProxyType

from guidebuilder.model import DevicePath, PathText
from guidebuilder.source import yamlsource
from guidebuilder.source.checker import Checker

# Anchors the guide page has whatever the guide says (guide.md.j2): a path's id is its anchor too.
RESERVED = ("print", "source")


def check_paths(check: Checker, data: dict, codes: list[str]) -> None:
    paths = data.get("paths")
    if not isinstance(paths, list):
        return
    steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    step_ids = [s["id"] for s in steps if isinstance(s, dict) and isinstance(s.get("id"), str)]
    first: dict[str, int] = {}  # path id -> index of the path that has it first
    listed: set[str] = set()
    for i, path in enumerate(paths):
        if not isinstance(path, dict):
            continue
        path_id = path.get("id")
        if isinstance(path_id, str):
            if path_id in RESERVED:
                check.add(("paths", i, "id"), f"the id '{path_id}' is the address of the page's "
                          f"own section #{path_id}; give the path another id, e.g. phone")
            elif path_id in first:
                line = check.source.line(("paths", first[path_id], "id"))
                check.add(("paths", i, "id"), f"duplicate path id '{path_id}' (first used on line "
                          f"{line}); give each path its own id")
            first.setdefault(path_id, i)
        if isinstance(path.get("text"), dict) and codes:
            _check_languages(check, ("paths", i, "text"), path["text"], codes)
        if isinstance(path.get("steps"), list):
            listed |= _check_path_steps(check, i, path["steps"], step_ids)
    if not isinstance(data.get("steps"), list):
        return
    known = list(first)
    for step_id in step_ids:
        if step_id not in listed:
            check.add(("steps", _index_of(steps, step_id), "id"),
                      f"this step is in no path; add '{step_id}' to the steps: of "
                      f"{' or '.join(repr(k) for k in known) or 'a path'} under 'paths:', "
                      "or remove the step")


def _index_of(steps: list, step_id: str) -> int:
    return next(i for i, s in enumerate(steps) if isinstance(s, dict) and s.get("id") == step_id)


def _check_path_steps(check: Checker, i: int, listed: list, step_ids: list[str]) -> set[str]:
    seen: dict[str, int] = {}
    for j, step_id in enumerate(listed):
        if not isinstance(step_id, str):
            continue
        where = ("paths", i, "steps", j)
        if step_id not in step_ids:
            check.add(where, f"no step has the id '{step_id}'; write the id of a step under "
                      f"'steps:' ({', '.join(step_ids)})", step=step_id)
        elif step_id in seen:
            check.add(where, f"the step is listed twice in this path (places {seen[step_id] + 1} "
                      f"and {j + 1}); keep one: a step appears once per path", step=step_id)
        seen.setdefault(step_id, j)
    return set(seen)


def _check_languages(check: Checker, path: tuple, texts: dict, codes: list[str]) -> None:
    for code in codes:
        if code not in texts:
            check.add(path, f"no title for this path in this language; add '{code}: {{title: ...}}' "
                      "under 'text:'", lang=code)
    for code in texts:
        if code not in codes:
            check.add((*path, code), f"text for language '{code}', which is not listed under "
                      "'languages:'; add the language there or remove this text",
                      key_line=True, lang=code)


def build_paths(source: yamlsource.Source, step_ids: tuple[str, ...]) -> tuple[DevicePath, ...]:
    """The guide's paths, or its one implicit path holding every step in order."""
    data = source.data
    if "paths" not in data:
        return (DevicePath("", MappingProxyType({}), step_ids),)
    return tuple(
        DevicePath(path["id"],
                   MappingProxyType({code: PathText(t["title"]) for code, t in path["text"].items()}),
                   tuple(path["steps"]), path.get("shortcut"), source.line(("paths", i)))
        for i, path in enumerate(data["paths"]))
