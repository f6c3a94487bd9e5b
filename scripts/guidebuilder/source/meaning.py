"""The checks of steps.yaml that a JSON Schema cannot express.

Every listed language complete (steps, the guide's texts, its notes, the facilitator notes:
facilitator.py), step ids unique, the device paths sound (paths.py), dates
real, Markdown safe (no raw HTML, no javascript: links), labels quoted in the body (both ways when
the picture is another language's: `shown`), badges and their references matching, a screenshot
fallback naming a language that has screenshots of its own, screenshots present and inside
guide/. Run on data the schema pass has seen: parts it refused are skipped here, not reported twice.
"""

from __future__ import annotations

import re
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path

from guidebuilder.source.checker import Checker
from guidebuilder.source.facilitator import check_facilitator, facilitator_texts
from guidebuilder.source.paths import check_paths

DATE_FIELDS = {("guide", "interface_date"), ("guide", "verified")}
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s*\[[^\]]+\]:\s*<?(\S+)", re.MULTILINE)
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def check_meaning(check: Checker, folder: Path, root: Path) -> None:
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
    shots: dict[str, str] = {code: code for code in codes}  # language -> whose screenshots it shows
    with _skip_malformed():
        if codes:
            shots.update(_check_fallbacks(check, data["languages"], codes))
    with _skip_malformed():
        if codes:
            _check_languages(check, ("guide", "text"), data["guide"]["text"], codes, "the guide's texts")
    with _skip_malformed():
        for code, text in data["guide"]["text"].items():
            for key, value in text.items():
                if isinstance(value, str):
                    _check_markdown(check, ("guide", "text", code, key), value)
    for i, note in enumerate(data["guide"].get("notes") or []):
        with _skip_malformed():
            _check_note(check, ("guide", "notes", i), note, codes)
    check_paths(check, data, codes)
    check_facilitator(check, data, codes)
    for path, text in facilitator_texts(data):
        _check_markdown(check, path, text)

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
                _check_step_text(check, ("steps", i, "text", code), text, step.get("image"),
                                 shots.get(code, code))
        if "image" in step:
            with _skip_malformed():
                _check_image(check, ("steps", i, "image"), step["image"], codes, folder, root,
                             shots)


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


def _check_date(check: Checker, path: tuple, value: str) -> None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        check.add(path, f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-07-26")
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        check.add(path, f"{value!r} is not a date (no such day); write a real date as YYYY-MM-DD")


def _check_languages(check: Checker, path: tuple, texts: dict, codes: list[str], what: str) -> None:
    for code in codes:
        if code not in texts:
            check.add(path, f"no text for {what} in this language; add '{code}:' under 'text:' "
                      "with title, body, alt and labels" if path[0] == "steps" else
                      f"no text for {what} in this language; add '{code}:' under 'text:' "
                      f"with {'title, summary' if path[-2:] == ('guide', 'text') else 'body'}",
                      lang=code)
    for code in texts:
        if code not in codes:
            check.add((*path, code), f"text for language '{code}', which is not listed under "
                      "'languages:'; add the language there or remove this text",
                      key_line=True, lang=code)


def _check_fallbacks(check: Checker, languages: list, codes: list[str]) -> dict[str, str]:
    """`screenshots: <code>` must name another listed language that has screenshots of its own."""
    found = {}
    for i, lang in enumerate(languages):
        other = lang.get("screenshots")
        if not isinstance(other, str):
            continue
        path = ("languages", i, "screenshots")
        if other == lang["code"]:
            check.add(path, f"a language shows its own screenshots without 'screenshots:'; remove "
                      f"'screenshots: {other}'", lang=lang["code"])
        elif other not in codes:
            check.add(path, f"'{other}' is not a language of this guide; name one listed under "
                      f"'languages:' ({', '.join(c for c in codes if c != lang['code'])})",
                      lang=lang["code"])
        elif any(o.get("code") == other and o.get("screenshots") for o in languages):
            check.add(path, f"'{other}' itself shows another language's screenshots; name a "
                      "language that has its own", lang=lang["code"])
        else:
            found[lang["code"]] = other
    return found


def _check_note(check: Checker, path: tuple, note: dict, codes: list[str]) -> None:
    if codes:
        _check_languages(check, (*path, "text"), note["text"], codes, "this note")
    for code, text in note["text"].items():
        for key in ("title", "body"):
            if isinstance(text.get(key), str):
                _check_markdown(check, (*path, "text", code, key), text[key])


def _check_step_text(check: Checker, path: tuple, text: dict, image: dict | None,
                     shots: str) -> None:
    """`shots`: the language whose screenshots this text's readers see (its own code, or not)."""
    for key in ("title", "body", "alt", "tip"):
        if isinstance(text.get(key), str):
            _check_markdown(check, (*path, key), text[key])
    body = text["body"]
    if not isinstance(body, str):
        return
    for i, label in enumerate(text.get("labels") or []):
        label_text = label.get("text") if isinstance(label, dict) else label
        shown = label.get("shown") if isinstance(label, dict) else None
        if isinstance(label_text, str) and label_text not in body:
            check.add((*path, "labels", i), f"the label '{label_text}' is not quoted in the body; "
                      f"write it exactly, in bold: **{label_text}**")
        if not isinstance(label_text, str):
            continue
        if shots == path[-1] and shown is not None:
            check.add((*path, "labels", i, "shown"), "'shown' is only for a language that shows "
                      "another language's screenshots ('screenshots:' under 'languages:'); remove it")
        elif shots != path[-1] and shown is None:
            check.add((*path, "labels", i), f"this language shows the {shots} screenshots: write "
                      f"the label as the picture shows it too, {{text: \"{label_text}\", shown: "
                      f"\"<the {shots} label>\"}}, and quote both in the body: **<the {shots} "
                      f"label>** ({label_text})")
        elif isinstance(shown, str) and shown not in body:
            check.add((*path, "labels", i, "shown"), f"the label as the picture shows it, "
                      f"'{shown}', is not quoted in the body; quote it before the label in this "
                      f"language: **{shown}** ({label_text})")
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


def _check_markdown(check: Checker, path: tuple, value: str) -> None:
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


def _check_image(check: Checker, path: tuple, image: dict, codes: list[str], folder: Path,
                 root: Path, shots: dict[str, str]) -> None:
    badges = [spec.rsplit(" as ", 1)[1] for spec in image.get("highlight", [])]
    for n in sorted({b for b in badges if badges.count(b) > 1}):
        check.add((*path, "highlight"), f"badge {n} is used twice; number the badges 1, 2, 3...")
    template = image["screenshot"]
    shot = Path(template)
    guide_dir = folder.resolve()
    inside = (guide_dir.relative_to(root).as_posix() if guide_dir.is_relative_to(root)
              else guide_dir.name)
    if shot.is_absolute() or template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template):
        check.add((*path, "screenshot"), f"the screenshot path {template!r} is absolute; write it "
                  f"relative to {inside}/, e.g. screenshots/{{lang}}/settings.png")
        return
    if ".." in shot.parts:
        check.add((*path, "screenshot"), f"the screenshot path {template!r} contains '..'; keep "
                  f"screenshots inside {inside}/, e.g. screenshots/{{lang}}/settings.png")
        return
    for code in dict.fromkeys(shots.get(code, code) for code in codes):  # fallbacks share theirs
        relative = template.replace("{lang}", code)
        candidate = folder / relative
        shown = f"{inside}/{relative}"
        if not candidate.exists():
            check.add((*path, "screenshot"), f"screenshot not found: expected {shown}; run "
                      "`make capture` or put the screenshot there", lang=code)
        elif not candidate.resolve().is_relative_to(guide_dir):
            check.add((*path, "screenshot"), f"{shown} is a link that leads outside {inside}/ "
                      f"(to {candidate.resolve()}); copy the image into {inside}/ instead", lang=code)
        elif not candidate.is_file():
            check.add((*path, "screenshot"), f"{shown} is not a file", lang=code)
