"""Turn steps.yaml into a Guide, or report every problem in it at once.

Three passes over the same parsed file: the JSON Schema (shape, unknown keys, types), then the
checks a schema cannot express (meaning.py: languages complete, ids unique, Markdown safe, files
present), then the construction of the immutable model. Every problem carries file, line, step and language.
"""

from __future__ import annotations

import difflib
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType

import jsonschema

from guidebuilder import project
from guidebuilder.errors import BuildError, GuideError, Problem
from guidebuilder.limits import MAX_YAML_BYTES, read_capped
from guidebuilder.model import (
    Guide,
    GuideFacilitator,
    GuideText,
    Highlight,
    ImageSpec,
    Label,
    Language,
    Mistake,
    Note,
    NoteText,
    Source,
    Step,
    StepFacilitator,
    StepText,
)
from guidebuilder.source import yamlsource
from guidebuilder.source.checker import Checker
from guidebuilder.source.hygiene import guide_warnings
from guidebuilder.source.meaning import check_meaning
from guidebuilder.source.paths import build_paths
from guidebuilder.source.readability import readability_warnings

SCHEMA_FILE = Path(__file__).with_name("steps.schema.json")
FIELD_NAMES = {"title": "title", "body": "body", "alt": "alt text", "labels": "labels",
               "summary": "summary", "product": "the product's name", "kind": "the note's kind"}
# Keys of older guides, and where their content goes now.
MOVED = {"mobile_note": "it is now a note of the guide: under 'guide:', notes: [{kind: warning, "
                        "text: {<lang>: {title: ..., body: ...}}}]",
         "public_url": ("it has moved: the whole shelf has one address, `site_url:` in "
                        "mkdocs.yml (each guide lives at <site_url><slug>/); delete this line and "
                        "set site_url there")}
# The image's lists, and an example of each for the message when one is not a list.
LIST_EXAMPLES = {"highlight": "[more-button as 1]", "arrow": "[more-button]",
                 "redact": "[account-name]", "isolate": "[more-button, more-menu]"}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def load_guide(path: Path, root: Path | None = None, site_url: str | None = None) -> Guide:
    """Parse and validate a guide's steps.yaml; raise GuideError listing every problem.

    `root` is the project folder: the top-level steps.yaml keeps its files in <root>/guide/, the
    steps.yaml of guides/<slug>/ beside itself. `site_url` is the shelf's address (default: what
    mkdocs.yml or PUBLIC_URL says, see guidebuilder.project)."""
    return check_guide(path, root, site_url)[0]


def check_guide(path: Path, root: Path | None = None,
                site_url: str | None = None) -> tuple[Guide, list[Problem]]:
    """load_guide, and the warnings about the file (texts still identical to the source language's)."""
    root = (root or path.parent).resolve()
    files = project.guide_files(path, root)
    shown = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) \
        else path.name
    try:
        source = yamlsource.load(path, shown)
    except GuideError as exc:
        raise GuideError(_with_step_context(exc.problems, path)) from None
    check = Checker(source)
    _check_schema(check)
    if isinstance(check.source.data, dict):
        check_meaning(check, files.folder, root)
        _check_slug(check, files)
    if check.problems:
        raise GuideError(check.problems)
    try:
        address = site_url or project.site_url(root)
    except BuildError as exc:
        raise GuideError(Problem(project.CONFIG, 0, str(exc).removeprefix(
            f"{project.CONFIG}: "))) from None
    guide = _build(source, path, root, files.folder, address)
    return guide, guide_warnings(source, guide) + readability_warnings(source, guide)


def _check_slug(check: Checker, files: project.GuideFiles) -> None:
    """A guide in guides/<slug>/ is published at <site_url><slug>/: the folder and the slug agree."""
    slug = (check.source.data.get("guide") or {}).get("slug") if isinstance(
        check.source.data.get("guide"), dict) else None
    if files.slug is not None and isinstance(slug, str) and slug != files.slug:
        check.add(("guide", "slug"), f"the slug '{slug}' differs from the guide's folder "
                  f"guides/{files.slug}/; make them the same (the slug is the guide's address)")


def _with_step_context(problems: list[Problem], path: Path) -> list[Problem]:
    """Loader problems know only their line: name the step they are in when we can tell."""
    try:  # within the limits, or the reader would not have got this far
        text = read_capped(path, path.name, MAX_YAML_BYTES, "").decode("utf-8", errors="replace")
    except (OSError, GuideError):
        return problems
    lines = text.split("\n")
    # the ids under `steps:`, not those of `paths:` above it
    first = next((n for n, line in enumerate(lines, start=1) if line.startswith("steps:")), 0)
    starts = [(n, m.group(1)) for n, line in enumerate(lines, start=1)
              if n > first and (m := re.match(r"^\s*-\s+id:\s*['\"]?([\w-]+)", line))]
    result = []
    for p in problems:
        step = None
        for n, step_id in starts:
            if n <= p.line:
                step = step_id
        result.append(Problem(p.file, p.line, p.message, step, p.lang, p.where) if step else p)
    return result


def _check_schema(check: Checker) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    for error in validator.iter_errors(check.source.data):
        _report_schema_error(check, error)


def _report_schema_error(check: Checker, error: jsonschema.ValidationError) -> None:
    path = tuple(error.absolute_path)
    field = path[-1] if path and isinstance(path[-1], str) else None
    name = FIELD_NAMES.get(field, f"'{field}'" if field else "this value")
    implicit = check.source.implicit.get(path)
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        for key in extra:
            hint = difflib.get_close_matches(key, allowed, n=1)
            fix = f"did you mean '{hint[0]}'?" if hint else f"allowed keys here: {', '.join(allowed)}"
            fix = MOVED.get(key, fix)
            check.add((*path, key), f"unknown key '{key}'; {fix}")
    elif error.validator == "required":
        missing = error.message.split("'")[1]
        what = FIELD_NAMES.get(missing, f"'{missing}'")
        check.add(path, f"{what} is missing; add '{missing}:'")
    elif error.validator == "type" and error.validator_value == "array" and field in LIST_EXAMPLES:
        check.add(path, f"'{field}' must be a list in square brackets, e.g. {field}: "
                  f"{LIST_EXAMPLES[field]}")
    elif error.validator == "type" and implicit:
        kind, raw = implicit
        check.add(path, f"YAML reads {raw!r} as {kind}, not as text; put it in quotes: \"{raw}\"")
    elif error.validator == "type":
        check.add(path, f"{name} must be {error.validator_value}, not {type(error.instance).__name__}")
    elif error.validator == "pattern" and error.schema.get("pattern") == "\\S":
        check.add(path, f"{name} is empty; write the text")
    elif error.validator == "pattern" and isinstance(error.instance, str):
        check.add(path, f"{error.instance!r} is not valid here; {_pattern_hint(error)}")
    elif error.validator == "oneOf" and isinstance(error.instance, str):
        check.add(path, f"{name} is empty; write the label as the interface shows it")
    elif error.validator == "oneOf" and isinstance(error.instance, dict):
        for sub in sorted(error.context, key=lambda e: len(e.path)):
            if isinstance(sub.instance, dict):
                _report_schema_error(check, sub)
                return
        check.add(path, "a label is either text or {text: ..., unconfirmed: true, shown: ...}")
    elif error.validator == "oneOf" and implicit:
        kind, raw = implicit
        check.add(path, f"YAML reads {raw!r} as {kind}, not as text; put it in quotes: \"{raw}\"")
    elif error.validator == "enum":
        check.add(path, f"{error.instance!r} is not allowed; use one of {error.validator_value}")
    elif error.validator == "minItems" and path[:1] == ("paths",) and field == "steps":
        check.add(path, "this path has no steps; list its step ids in order, e.g. "
                  "steps: [open-settings, check-it-worked]")
    elif error.validator == "minItems":
        check.add(path, f"{name} is an empty list; add at least one")
    else:
        check.add(path, f"{name}: {error.message}")


def _pattern_hint(error: jsonschema.ValidationError) -> str:
    hints = {
        "^[a-z0-9][a-z0-9-]*$": "use lowercase letters, digits and dashes, e.g. open-settings",
        "^https?://[^\\s]+$": "write a full address starting with https://",
        "^https://[^\\s]+$": ("a shortcut must be a secure web address; write it in full, "
                               "starting with https://"),
        "^around [a-z0-9][a-z0-9-]*$": "write 'around <region name>', e.g. around settings-menu",
        "^[a-z0-9][a-z0-9-]* as [1-9][0-9]?$": (
            "write '<region name> as <badge number>', e.g. more-button as 1"),
    }
    return hints.get(error.schema.get("pattern"), f"it must match {error.schema.get('pattern')}")


def _build(source: yamlsource.Source, path: Path, root: Path, folder: Path, site_url: str) -> Guide:
    data = source.data
    languages = tuple(Language(lang["code"], lang["name"], lang.get("dir", "ltr"),
                               lang.get("screenshots"))
                      for lang in data["languages"])
    meta = data["guide"]
    notes = tuple(
        Note(note["kind"], MappingProxyType({code: NoteText(t["body"], t.get("title"))
                                             for code, t in note["text"].items()}),
             source.line(("guide", "notes", i)))
        for i, note in enumerate(meta.get("notes", ())))
    steps = tuple(_build_step(step, i, source) for i, step in enumerate(data["steps"]))
    return Guide(
        file=path.resolve(),
        root=root,
        slug=meta["slug"],
        folder=folder,
        languages=languages,
        product_name=meta["product"],
        interface_date=date.fromisoformat(meta["interface_date"]),
        verified=date.fromisoformat(meta["verified"]) if "verified" in meta else None,
        source=Source(**meta["source"]),
        public_url=f"{site_url}{meta['slug']}/",
        texts=MappingProxyType({code: _guide_text(t) for code, t in meta["text"].items()}),
        steps=steps,
        redact=tuple(meta.get("redact", ())),
        former_slugs=tuple(meta.get("former_slugs", ())),
        notes=notes,
        paths=build_paths(source, tuple(step.id for step in steps)),
    )


def _build_step(step: dict, index: int, source: yamlsource.Source) -> Step:
    texts = {}
    for code, t in step["text"].items():
        labels = tuple(Label(lab["text"], not lab.get("unconfirmed", False), lab.get("shown"))
                       if isinstance(lab, dict) else Label(lab) for lab in t["labels"])
        texts[code] = StepText(t["title"], t["body"], t["alt"], labels, t.get("tip"),
                               _step_facilitator(t.get("facilitator")))
    image = None
    if "image" in step:
        spec = step["image"]
        image = ImageSpec(
            screenshot=spec["screenshot"],
            crop=spec["crop"].removeprefix("around "),
            padding=spec.get("padding", 32),
            highlights=tuple(Highlight(h.rsplit(" as ", 1)[0], int(h.rsplit(" as ", 1)[1]))
                             for h in spec.get("highlight", ())),
            arrows=tuple(spec.get("arrow", ())),
            redact=tuple(spec.get("redact", ())),
            isolate=tuple(spec.get("isolate", ())),
        )
    return Step(step["id"], MappingProxyType(texts), image, source.line(("steps", index)),
                step.get("shortcut"), step.get("minutes"))


def _guide_text(text: dict) -> GuideText:
    notes = text.get("facilitator")
    facilitator = None if notes is None else GuideFacilitator(
        tuple(notes.get("before_you_start", ())), tuple(notes.get("materials", ())),
        notes.get("undo"))
    return GuideText(text["title"], text["summary"], text.get("product"), facilitator)


def _step_facilitator(notes: dict | None) -> StepFacilitator | None:
    if notes is None:
        return None
    return StepFacilitator(tuple(Mistake(m["problem"], m["say"]) for m in notes.get("mistakes", ())),
                           notes.get("note"))
