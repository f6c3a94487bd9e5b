"""Turn steps.yaml into a Guide, or report every problem in it at once.

Three passes over the same parsed file: the JSON Schema (shape, unknown keys, types), then the
checks a schema cannot express (languages complete, ids unique, Markdown safe, files present), then
the construction of the immutable model. Every problem carries file, line, step and language.
"""

from __future__ import annotations

import difflib
import json
import re
from contextlib import contextmanager, suppress
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType

import jsonschema

from guidebuilder import yamlsource
from guidebuilder.errors import GuideError, Problem
from guidebuilder.model import (
    Guide,
    GuideText,
    Highlight,
    ImageSpec,
    Label,
    Language,
    Source,
    Step,
    StepText,
)

SCHEMA_FILE = Path(__file__).with_name("steps.schema.json")
DATE_FIELDS = {("guide", "interface_date"), ("guide", "verified")}
FIELD_NAMES = {"title": "title", "body": "body", "alt": "alt text", "labels": "labels",
               "summary": "summary", "mobile_note": "note about the mobile app"}
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S+)", re.MULTILINE)
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)


@cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


class _Checker:
    """Collects problems with their context (step id, language) from a path in the data."""

    def __init__(self, source: yamlsource.Source):
        self.source = source
        self.problems: list[Problem] = []
        data = source.data if isinstance(source.data, dict) else {}
        steps = data.get("steps") if isinstance(data.get("steps"), list) else []
        self.step_ids = [s.get("id") if isinstance(s, dict) else None for s in steps]
        self.step_lines = [source.line(("steps", i)) for i in range(len(steps))]

    def step_at_line(self, line: int) -> str | None:
        found = None
        for step_id, start in zip(self.step_ids, self.step_lines, strict=True):
            if start <= line:
                found = step_id
        return found if isinstance(found, str) else None

    def add(self, path: tuple, message: str, *, key_line: bool = False, lang: str | None = None,
            line: int | None = None) -> None:
        path = tuple(path)
        if line is None:
            line = self.source.line(path)
        step = where = None
        if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int):
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
        self.problems.append(Problem(self.source.file, line, message, step, lang, where))


def load_guide(path: Path, root: Path | None = None) -> Guide:
    """Parse and validate steps.yaml; raise GuideError listing every problem."""
    root = (root or path.parent).resolve()
    try:
        source = yamlsource.load(path, path.name)
    except GuideError as exc:
        raise GuideError(_with_step_context(exc.problems, path)) from None
    check = _Checker(source)
    _check_schema(check)
    if isinstance(check.source.data, dict):
        _check_meaning(check, root)
    if check.problems:
        raise GuideError(check.problems)
    return _build(source, path, root)


def _with_step_context(problems: list[Problem], path: Path) -> list[Problem]:
    """Loader problems know only their line: name the step they are in when we can tell."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return problems
    starts = [(n, m.group(1)) for n, line in enumerate(text.split("\n"), start=1)
              if (m := re.match(r"^\s*-\s+id:\s*['\"]?([\w-]+)", line))]
    result = []
    for p in problems:
        step = None
        for n, step_id in starts:
            if n <= p.line:
                step = step_id
        result.append(Problem(p.file, p.line, p.message, step, p.lang, p.where) if step else p)
    return result


def _check_schema(check: _Checker) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    for error in validator.iter_errors(check.source.data):
        _report_schema_error(check, error)


def _report_schema_error(check: _Checker, error: jsonschema.ValidationError) -> None:
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
            check.add((*path, key), f"unknown key '{key}'; {fix}")
    elif error.validator == "required":
        missing = error.message.split("'")[1]
        what = FIELD_NAMES.get(missing, f"'{missing}'")
        check.add(path, f"{what} is missing; add '{missing}:'")
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
        check.add(path, "a label is either text or {text: ..., unconfirmed: true}")
    elif error.validator == "oneOf" and implicit:
        kind, raw = implicit
        check.add(path, f"YAML reads {raw!r} as {kind}, not as text; put it in quotes: \"{raw}\"")
    elif error.validator == "enum":
        check.add(path, f"{error.instance!r} is not allowed; use one of {error.validator_value}")
    elif error.validator == "minItems":
        check.add(path, f"{name} is an empty list; add at least one")
    else:
        check.add(path, f"{name}: {error.message}")


def _pattern_hint(error: jsonschema.ValidationError) -> str:
    hints = {
        "^[a-z0-9][a-z0-9-]*$": "use lowercase letters, digits and dashes, e.g. open-settings",
        "^https?://[^\\s]+$": "write a full address starting with https://",
        "^around [a-z0-9][a-z0-9-]*$": "write 'around <region name>', e.g. around settings-menu",
        "^[a-z0-9][a-z0-9-]* as [1-9][0-9]?$": (
            "write '<region name> as <badge number>', e.g. more-button as 1"),
    }
    return hints.get(error.schema.get("pattern"), f"it must match {error.schema.get('pattern')}")


def _check_meaning(check: _Checker, root: Path) -> None:
    """Checks a schema cannot express. Parts the schema already refused are skipped, not re-reported,
    so one run still reports every problem in the parts that are well formed."""
    data = check.source.data
    for path, (kind, raw) in check.source.implicit.items():
        value = _get(data, path)
        if isinstance(value, str) and path not in DATE_FIELDS:
            check.add(path, f"YAML reads {raw!r} as {kind}, not as text; put it in quotes: \"{raw}\"")
    with _skip_malformed():
        for key in ("interface_date", "verified"):
            if isinstance(data["guide"].get(key), str):
                _check_date(check, ("guide", key), data["guide"][key])
    codes: list[str] = []
    with _skip_malformed():
        codes = [lang["code"] for lang in data["languages"]]
    if not all(isinstance(code, str) for code in codes):
        codes = []  # the schema reported the bad code; coverage checks would only echo it
    for i, code in enumerate(codes):
        if code in codes[:i]:
            check.add(("languages", i, "code"), f"language '{code}' is listed twice; remove one")
    with _skip_malformed():
        if codes:
            _check_languages(check, ("guide", "text"), data["guide"]["text"], codes, "the guide's texts")
    with _skip_malformed():
        for code, text in data["guide"]["text"].items():
            for key, value in text.items():
                if isinstance(value, str):
                    _check_markdown(check, ("guide", "text", code, key), value)

    ids: dict[str, int] = {}
    for i, step in enumerate(data.get("steps") or []):
        with _skip_malformed():
            if step["id"] in ids:
                first = check.source.line(("steps", ids[step["id"]], "id"))
                check.add(("steps", i, "id"), f"duplicate step id '{step['id']}' (first used on line "
                          f"{first}); give each step its own id")
            ids.setdefault(step["id"], i)
        with _skip_malformed():
            if codes:
                _check_languages(check, ("steps", i, "text"), step["text"], codes, "this step")
        for code, text in (step.get("text") or {}).items():
            with _skip_malformed():
                _check_step_text(check, ("steps", i, "text", code), text, step.get("image"))
        if "image" in step:
            with _skip_malformed():
                _check_image(check, ("steps", i, "image"), step["image"], codes, root)


@contextmanager
def _skip_malformed():
    """Malformed data was reported by the schema pass; the checks of that part stop quietly."""
    with suppress(KeyError, TypeError, AttributeError, IndexError, ValueError):
        yield


def _get(data, path):
    try:
        for part in path:
            data = data[part]
    except (KeyError, IndexError, TypeError):
        return None
    return data


def _check_date(check: _Checker, path: tuple, value: str) -> None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        check.add(path, f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-07-26")
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        check.add(path, f"{value!r} is not a date (no such day); write a real date as YYYY-MM-DD")


def _check_languages(check: _Checker, path: tuple, texts: dict, codes: list[str], what: str) -> None:
    for code in codes:
        if code not in texts:
            check.add(path, f"no text for {what} in this language; add '{code}:' under 'text:' "
                      "with title, body, alt and labels" if path[0] == "steps" else
                      f"no text for {what} in this language; add '{code}:' under 'text:' "
                      "with title, summary and mobile_note", lang=code)
    for code in texts:
        if code not in codes:
            check.add((*path, code), f"text for language '{code}', which is not listed under "
                      "'languages:'; add the language there or remove this text",
                      key_line=True, lang=code)


def _check_step_text(check: _Checker, path: tuple, text: dict, image: dict | None) -> None:
    for key in ("title", "body", "alt", "tip"):
        if isinstance(text.get(key), str):
            _check_markdown(check, (*path, key), text[key])
    body = text["body"]
    if not isinstance(body, str):
        return
    for i, label in enumerate(text.get("labels") or []):
        label_text = label.get("text") if isinstance(label, dict) else label
        if isinstance(label_text, str) and label_text not in body:
            check.add((*path, "labels", i), f"the label '{label_text}' is not quoted in the body; "
                      f"write it exactly, in bold: **{label_text}**")
    refs = sorted({int(n) for n in re.findall(r"\(\((\d{1,2})\)\)", body)})
    badges = []
    if image:
        for spec in image.get("highlight", []):
            badges.append(int(spec.rsplit(" as ", 1)[1]))
    for n in refs:
        if n not in badges:
            check.add((*path, "body"), f"the body refers to badge (({n})) but the image has no "
                      "badge {n}; add a highlight '<region> as {n}' or remove the reference"
                      .replace("{n}", str(n)))
    for n in badges:
        if n not in refs:
            check.add((*path, "body"), f"the image shows badge {n} but the body never refers to it; "
                      f"write (({n})) where the text tells the reader what to click")


def _check_markdown(check: _Checker, path: tuple, value: str) -> None:
    if RAW_HTML.search(value):
        check.add(path, "raw HTML is not allowed in the text; use Markdown (**bold**, [link](https://...))")
    for match in LINK_TARGET.finditer(value):
        target = match.group(1) or match.group(2) or ""
        if BAD_SCHEME.match(target):
            check.add(path, f"link to {target.split(':')[0]}: is not allowed; "
                      "links must start with https://")
    if re.search(r"(?i)javascript:", value) and not any(
            BAD_SCHEME.match(m.group(1) or m.group(2) or "") for m in LINK_TARGET.finditer(value)):
        check.add(path, "'javascript:' is not allowed in the text; remove it")


def _check_image(check: _Checker, path: tuple, image: dict, codes: list[str], root: Path) -> None:
    badges = [spec.rsplit(" as ", 1)[1] for spec in image.get("highlight", [])]
    for n in sorted({b for b in badges if badges.count(b) > 1}):
        check.add((*path, "highlight"), f"badge {n} is used twice; number the badges 1, 2, 3...")
    template = image["screenshot"]
    shot = Path(template)
    if shot.is_absolute() or template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template):
        check.add((*path, "screenshot"), f"the screenshot path {template!r} is absolute; write it "
                  "relative to guide/, e.g. screenshots/{lang}/settings.png")
        return
    if ".." in shot.parts:
        check.add((*path, "screenshot"), f"the screenshot path {template!r} contains '..'; keep "
                  "screenshots inside guide/, e.g. screenshots/{lang}/settings.png")
        return
    guide_dir = (root / "guide").resolve()
    for code in codes:
        relative = template.replace("{lang}", code)
        candidate = root / "guide" / relative
        shown = f"guide/{relative}"
        if not candidate.exists():
            check.add((*path, "screenshot"), f"screenshot not found: expected {shown}; run "
                      "`make capture` or put the screenshot there", lang=code)
        elif not candidate.resolve().is_relative_to(guide_dir):
            check.add((*path, "screenshot"), f"{shown} is a link that leads outside guide/ "
                      f"(to {candidate.resolve()}); copy the image into guide/ instead", lang=code)
        elif not candidate.is_file():
            check.add((*path, "screenshot"), f"{shown} is not a file", lang=code)


def _build(source: yamlsource.Source, path: Path, root: Path) -> Guide:
    data = source.data
    languages = tuple(Language(lang["code"], lang["name"], lang.get("dir", "ltr"))
                      for lang in data["languages"])
    meta = data["guide"]
    steps = tuple(_build_step(step, i, source) for i, step in enumerate(data["steps"]))
    return Guide(
        file=path,
        root=root,
        languages=languages,
        interface_date=date.fromisoformat(meta["interface_date"]),
        verified=date.fromisoformat(meta["verified"]) if "verified" in meta else None,
        source=Source(**meta["source"]),
        public_url=meta["public_url"],
        texts=MappingProxyType({code: GuideText(**t) for code, t in meta["text"].items()}),
        steps=steps,
        redact=tuple(meta.get("redact", ())),
    )


def _build_step(step: dict, index: int, source: yamlsource.Source) -> Step:
    texts = {}
    for code, t in step["text"].items():
        labels = tuple(Label(lab["text"], not lab["unconfirmed"]) if isinstance(lab, dict)
                       else Label(lab) for lab in t["labels"])
        texts[code] = StepText(t["title"], t["body"], t["alt"], labels, t.get("tip"))
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
        )
    return Step(step["id"], index + 1, MappingProxyType(texts), image,
                source.line(("steps", index)))
