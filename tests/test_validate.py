"""steps.yaml validation: a valid guide loads into the model; each bad input gives its exact message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from guidebuilder.errors import GuideError
from guidebuilder.source import yamlsource
from guidebuilder.source.validate import load_guide

ROOT = Path(__file__).resolve().parents[1]


def replace(old: str, new: str, count: int = 1):
    def edit(text: str) -> str:
        assert old in text, f"fixture has no {old!r}"
        return text.replace(old, new, count)
    return edit


def errors_for(project: Path, edit) -> list[str]:
    steps = project / "steps.yaml"
    steps.write_text(edit(steps.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_guide(steps, project)
    return [str(p) for p in info.value.problems]


# A warning note in both languages, inserted before the guide's texts.
NOTE = ('  notes:\n    - kind: warning\n      text:\n'
        '        en: {title: "On a phone", body: "Use a computer."}\n'
        '        ar: {body: "استخدم حاسوبًا."}\n  text:')


def FALLBACK(text: str) -> str:
    """Arabic shows the English screenshots, its label and body written as that asks."""
    return (text.replace("    dir: rtl\n", "    dir: rtl\n    screenshots: en\n")
            .replace('labels: ["فتح"]', 'labels: [{text: "فتح", shown: "Open"}]')
            .replace("انقر على **فتح** ((1)).", "انقر على **Open** (فتح) ((1))."))


# (case, edit of tests/fixtures/minimal.yaml, the exact lines `make check` must print)
BAD_INPUTS = [
    ("yaml-syntax", replace('title: "Open it"', 'title: "Open it'), [
        "steps.yaml:32: step 'first': YAML syntax error at column 16: did not find expected "
        "key; check the indentation, colons and quotes on this line and the one before",
    ]),
    ("misspelt-key", replace('        title: "Open it"', '        titel: "Open it"'), [
        "steps.yaml:30: step 'first' [en]: title is missing; add 'title:'",
        "steps.yaml:31: step 'first' [en]: unknown key 'titel'; did you mean 'title'?",
    ]),
    ("unknown-top-key", replace("steps:", "stepz: []\nsteps:"), [
        "steps.yaml:23: unknown key 'stepz'; did you mean 'steps'?",
    ]),
    ("duplicate-key", replace('        alt: "The Open button, marked 1."',
                              '        alt: "The Open button, marked 1."\n        alt: "Again."'), [
        "steps.yaml:34: step 'first': duplicate key 'alt' (already on line 33); keep only one of them",
    ]),
    ("duplicate-step-id", replace("  - id: second", "  - id: first"), [
        "steps.yaml:40: step 'first': duplicate step id 'first' (first used on line 24); "
        "give each step its own id",
    ]),
    ("missing-alt", replace('        alt: "زر فتح وعليه الرقم 1."\n', ""), [
        "steps.yaml:35: step 'first' [ar]: alt text is missing; add 'alt:'",
    ]),
    ("missing-labels", replace('        labels: ["Open"]\n', ""), [
        "steps.yaml:30: step 'first' [en]: labels is missing; add 'labels:'",
    ]),
    ("missing-language", replace(
        '      ar:\n        title: "انتهى"\n        body: "هذا كل شيء."\n'
        '        alt: "الصفحة، بلا علامات."\n        labels: []\n', ""), [
        "steps.yaml:44: step 'second' [ar]: no text for this step in this language; add 'ar:' under "
        "'text:' with title, body, alt and labels",
    ]),
    ("missing-guide-language", replace(
        '    ar:\n      title: "دليل"\n      summary: "ملخص."\n', ""), [
        "steps.yaml:14: guide [ar]: no text for the guide's texts in this language; add 'ar:' under "
        "'text:' with title, summary",
    ]),
    ("unlisted-language", replace('        labels: []\n', '        labels: []\n      de:\n'
                                  '        title: "Fertig"\n        body: "Das ist alles."\n'
                                  '        alt: "Nichts."\n        labels: []\n'), [
        "steps.yaml:50: step 'second' [de]: text for language 'de', which is not listed under "
        "'languages:'; add the language there or remove this text",
    ]),
    ("empty-text", replace('body: "That is all."', 'body: "   "'), [
        "steps.yaml:47: step 'second' [en]: body is empty; write the text",
    ]),
    ("null-text", replace('body: "That is all."', "body:"), [
        "steps.yaml:47: step 'second' [en]: YAML reads '' as nothing (null), not as text; "
        "put it in quotes: \"\"",
    ]),
    ("boolean", replace('title: "Done"', "title: yes"), [
        "steps.yaml:46: step 'second' [en]: YAML reads 'yes' as a yes/no value (boolean), not as text; "
        "put it in quotes: \"yes\"",
    ]),
    ("number", replace('title: "Done"', "title: 1.10"), [
        "steps.yaml:46: step 'second' [en]: YAML reads '1.10' as a number, not as text; "
        "put it in quotes: \"1.10\"",
    ]),
    ("integer", replace('title: "Done"', "title: 42"), [
        "steps.yaml:46: step 'second' [en]: YAML reads '42' as a number, not as text; "
        "put it in quotes: \"42\"",
    ]),
    ("date-as-text", replace('title: "Done"', "title: 2024-07-26"), [
        "steps.yaml:46: step 'second' [en]: YAML reads '2024-07-26' as a date, not as text; "
        "put it in quotes: \"2024-07-26\"",
    ]),
    ("language-code-no", replace("  - code: en", "  - code: no"), [
        "steps.yaml:2: languages: YAML reads 'no' as a yes/no value (boolean), not as text; "
        "put it in quotes: \"no\"",
    ]),
    ("anchor-alias", lambda t: (t.replace('alt: "The Open button, marked 1."', 'alt: &same "Marked."')
                                .replace('alt: "The page, nothing marked."', "alt: *same")), [
        "steps.yaml:33: step 'first': anchor '&same': anchors and aliases are not allowed; "
        "write the text out in full where it is needed",
        "steps.yaml:48: step 'second': alias '*same': anchors and aliases are not allowed; "
        "write the text out in full where it is needed",
    ]),
    ("raw-html", replace('body: "That is all."', 'body: "That is <script>alert(1)</script> all."'), [
        "steps.yaml:47: step 'second' [en]: raw HTML is not allowed in the text; "
        "use Markdown (**bold**, [link](https://...))",
    ]),
    ("javascript-link", replace('body: "That is all."', 'body: "That is [all](javascript:alert(1))."'), [
        "steps.yaml:47: step 'second' [en]: link to javascript: is not allowed; "
        "links must start with https://",
    ]),
    ("javascript-bare", replace('summary: "Summary."', 'summary: "See javascript:void(0)."'), [
        "steps.yaml:17: guide [en]: 'javascript:' is not allowed in the text; remove it",
    ]),
    ("absolute-image", replace('screenshot: "screenshots/{lang}/page.png"\n      crop: around panel\n'
                               '    text:', 'screenshot: "/etc/{lang}/page.png"\n      crop: around panel\n'
                               '    text:'), [
        "steps.yaml:42: step 'second': the screenshot path '/etc/{lang}/page.png' is absolute; write it "
        "relative to guide/, e.g. screenshots/{lang}/settings.png",
    ]),
    ("dotdot-image", replace('screenshot: "screenshots/{lang}/page.png"',
                             'screenshot: "../{lang}/page.png"'), [
        "steps.yaml:26: step 'first': the screenshot path '../{lang}/page.png' contains '..'; keep "
        "screenshots inside guide/, e.g. screenshots/{lang}/settings.png",
    ]),
    ("missing-image", replace('screenshot: "screenshots/{lang}/page.png"',
                              'screenshot: "shots/{lang}/p.png"'), [
        "steps.yaml:26: step 'first' [ar]: screenshot not found: expected guide/shots/ar/p.png; run "
        "`make capture` or put the screenshot there",
        "steps.yaml:26: step 'first' [en]: screenshot not found: expected guide/shots/en/p.png; run "
        "`make capture` or put the screenshot there",
    ]),
    ("not-a-date", replace('interface_date: "2024-07-26"', 'interface_date: "July 2024"'), [
        "steps.yaml:8: guide: 'July 2024' is not a date; write it as YYYY-MM-DD, e.g. 2024-07-26",
    ]),
    ("impossible-date", replace('interface_date: "2024-07-26"', 'interface_date: "2024-02-30"'), [
        "steps.yaml:8: guide: '2024-02-30' is not a date (no such day); write a real date as YYYY-MM-DD",
    ]),
    ("badge-without-ref", replace('body: "Click **Open** ((1))."', 'body: "Click **Open**."'), [
        "steps.yaml:32: step 'first' [en]: the image shows badge 1 but the body never refers to it; "
        "write ((1)) where the text tells the reader what to click",
    ]),
    ("ref-without-badge", replace('body: "That is all."', 'body: "That is all ((2))."'), [
        "steps.yaml:47: step 'second' [en]: the body refers to badge ((2)) but the image has no badge 2; "
        "add a highlight '<region> as 2' or remove the reference",
    ]),
    ("label-not-quoted", replace('labels: ["Open"]', 'labels: ["Open", "Close"]'), [
        "steps.yaml:34: step 'first' [en]: the label 'Close' is not quoted in the body; "
        "write it exactly, in bold: **Close**",
    ]),
    ("bad-step-id", replace("  - id: second", "  - id: Second Step"), [
        "steps.yaml:40: step 'Second Step': 'Second Step' is not valid here; use lowercase letters, "
        "digits and dashes, e.g. open-settings",
    ]),
    ("bad-crop", replace("crop: around panel\n      highlight", "crop: panel\n      highlight"), [
        "steps.yaml:27: step 'first': 'panel' is not valid here; write 'around <region name>', "
        "e.g. around settings-menu",
    ]),
    ("isolate-not-a-list", replace("highlight: [button as 1]", "highlight: [button as 1]\n"
                                   "      isolate: true"), [
        "steps.yaml:29: step 'first': 'isolate' must be a list in square brackets, e.g. isolate: "
        "[more-button, more-menu]",
    ]),
    ("isolate-one-name", replace("highlight: [button as 1]", "highlight: [button as 1]\n"
                                 "      isolate: panel"), [
        "steps.yaml:29: step 'first': 'isolate' must be a list in square brackets, e.g. isolate: "
        "[more-button, more-menu]",
    ]),
    ("isolate-empty", replace("highlight: [button as 1]", "highlight: [button as 1]\n"
                              "      isolate: []"), [
        "steps.yaml:29: step 'first': 'isolate' is an empty list; add at least one",
    ]),
    ("isolate-bad-name", replace("highlight: [button as 1]", "highlight: [button as 1]\n"
                                 "      isolate: [More Menu]"), [
        "steps.yaml:29: step 'first': 'More Menu' is not valid here; use lowercase letters, digits "
        "and dashes, e.g. open-settings",
    ]),
    ("duplicate-language", replace("  - code: ar", "  - code: en"), [
        "steps.yaml:4: languages: language 'en' is listed twice; remove one",
        "steps.yaml:19: guide [ar]: text for language 'ar', which is not listed under 'languages:'; "
        "add the language there or remove this text",
        "steps.yaml:35: step 'first' [ar]: text for language 'ar', which is not listed under "
        "'languages:'; add the language there or remove this text",
        "steps.yaml:50: step 'second' [ar]: text for language 'ar', which is not listed under "
        "'languages:'; add the language there or remove this text",
    ]),
    # the product, the guide's notes
    ("missing-product", replace('  product: "Reader"\n', ""), [
        "steps.yaml:7: guide: the product's name is missing; add 'product:'",
    ]),
    ("old-mobile-note", replace('      product: "Reader App"\n',
                                '      mobile_note: "Use a computer."\n'), [
        "steps.yaml:18: guide [en]: unknown key 'mobile_note'; it is now a note of the guide: under "
        "'guide:', notes: [{kind: warning, text: {<lang>: {title: ..., body: ...}}}]",
    ]),
    ("note-kind", replace("  text:", NOTE.replace("kind: warning", "kind: danger")), [
        "steps.yaml:15: guide: 'danger' is not allowed; use one of ['warning', 'info', 'tip']",
    ]),
    ("note-missing-language",
     replace("  text:", NOTE.replace('        ar: {body: "استخدم حاسوبًا."}\n', "")), [
        "steps.yaml:16: guide [ar]: no text for this note in this language; add 'ar:' under 'text:' "
        "with body",
    ]),
    ("note-without-body", replace("  text:", NOTE.replace('body: "Use a computer."', 'titel: "x"')), [
        "steps.yaml:17: guide [en]: body is missing; add 'body:'",
        "steps.yaml:17: guide [en]: unknown key 'titel'; did you mean 'title'?",
    ]),
    ("note-raw-html", replace("  text:", NOTE.replace("Use a computer.", "Use <b>a</b> computer.")), [
        "steps.yaml:17: guide [en]: raw HTML is not allowed in the text; use Markdown (**bold**, "
        "[link](https://...))",
    ]),
    # a language showing another language's screenshots
    ("fallback-unknown-language", replace("    dir: rtl\n", "    dir: rtl\n    screenshots: de\n"), [
        "steps.yaml:7: languages [ar]: 'de' is not a language of this guide; name one listed under "
        "'languages:' (en)",
    ]),
    ("fallback-to-itself", replace("    dir: rtl\n", "    dir: rtl\n    screenshots: ar\n"), [
        "steps.yaml:7: languages [ar]: a language shows its own screenshots without 'screenshots:'; "
        "remove 'screenshots: ar'",
    ]),
    ("fallback-label-without-shown", replace("    dir: rtl\n", "    dir: rtl\n    screenshots: en\n"), [
        "steps.yaml:40: step 'first' [ar]: this language shows the en screenshots: write the label as "
        "the picture shows it too, {text: \"فتح\", shown: \"<the en label>\"}, and quote both in the "
        "body: **<the en label>** (فتح)",
    ]),
    ("fallback-shown-not-quoted", lambda t: FALLBACK(t).replace("**Open** (فتح)", "**فتح**"), [
        "steps.yaml:40: step 'first' [ar]: the label as the picture shows it, 'Open', is not quoted "
        "in the body; quote it before the label in this language: **Open** (فتح)",
    ]),
    ("shown-without-fallback", replace('labels: ["فتح"]', 'labels: [{text: "فتح", shown: "Open"}]'), [
        "steps.yaml:39: step 'first' [ar]: 'shown' is only for a language that shows another "
        "language's screenshots ('screenshots:' under 'languages:'); remove it",
    ]),
]


@pytest.mark.parametrize(("case", "edit", "expected"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_exact_messages(project: Path, case: str, edit, expected: list[str]):
    assert errors_for(project, edit) == expected


# libyaml parses every file when PyYAML has it, PyYAML's Python parser otherwise: both must give the
# same data, lines and problems (only a syntax error's wording differs between them).
needs_both_parsers = pytest.mark.skipif(len(yamlsource.LOADERS) < 2,
                                        reason="this PyYAML has no libyaml: one parser, nothing to compare")


def read_with(path: Path, loader) -> object:
    try:
        source = yamlsource.load(path, loader=loader)
    except GuideError as exc:
        return [(problem.file, problem.line) for problem in exc.problems]
    return source.data, source.lines, source.key_lines, source.implicit


@needs_both_parsers
def test_both_parsers_read_every_yaml_file_of_the_project_alike():
    files = [path for path in sorted(ROOT.rglob("*.yaml"))
             if not any(part.startswith(".") or part == "site" for part in path.relative_to(ROOT).parts)]
    assert len(files) > 5
    for path in files:
        fast, python = (read_with(path, loader) for loader in yamlsource.LOADERS)
        assert fast == python, path.relative_to(ROOT)


@needs_both_parsers
@pytest.mark.parametrize(("case", "edit"), [case[:2] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_both_parsers_find_the_same_problems_on_the_same_lines(project: Path, case: str, edit):
    steps = project / "steps.yaml"
    steps.write_text(edit(steps.read_text(encoding="utf-8")), encoding="utf-8")
    fast, python = (read_with(steps, loader) for loader in yamlsource.LOADERS)
    assert fast == python


@pytest.mark.parametrize(("case", "raw", "expected"), [
    ("not-utf8", "title: \"caf\xe9\"".encode("latin-1"),
     "steps.yaml:3: the file is not UTF-8 (byte 0xe9); save it as UTF-8 in your editor"),
    ("nul", b"a: 1\n\nb: \"x\x00y\"\n", "steps.yaml:3: contains a NUL character; delete it"),
    ("bidi", "a: 1\nb: \"abc\u202edef\"\n".encode(),
     "steps.yaml:2: contains the invisible bidirectional control character U+202E (column 8); "
     "delete it, the site sets text direction itself"),
    ("bidi-isolate", "a: \"\u2067x\"\n".encode(),
     "steps.yaml:1: contains the invisible bidirectional control character U+2067 (column 5); "
     "delete it, the site sets text direction itself"),
])
def test_bad_bytes(project: Path, case: str, raw: bytes, expected: str):
    (project / "steps.yaml").write_bytes(b"x: 1\n\n" + raw if case == "not-utf8" else raw)
    with pytest.raises(GuideError) as info:
        load_guide(project / "steps.yaml", project)
    assert [str(p) for p in info.value.problems] == [expected]


def test_image_link_leaving_the_project(project: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "page.png"
    outside.write_bytes((project / "guide/screenshots/en/page.png").read_bytes())
    link = project / "guide/screenshots/en/page.png"
    link.unlink()
    link.symlink_to(outside)
    with pytest.raises(GuideError) as info:
        load_guide(project / "steps.yaml", project)
    messages = [str(p) for p in info.value.problems]
    assert messages == [
        f"steps.yaml:26: step 'first' [en]: guide/screenshots/en/page.png is a link that leads outside "
        f"guide/ (to {outside.resolve()}); copy the image into guide/ instead",
        f"steps.yaml:42: step 'second' [en]: guide/screenshots/en/page.png is a link that leads outside "
        f"guide/ (to {outside.resolve()}); copy the image into guide/ instead",
    ]


def test_all_problems_reported_in_one_run(project: Path):
    messages = errors_for(project, lambda t: (
        t.replace('title: "Done"', "title: yes")
        .replace('interface_date: "2024-07-26"', 'interface_date: "soon"')
        .replace('body: "Click **Open** ((1))."', 'body: "<b>Click</b> **Open** ((1))."')))
    assert len(messages) == 3
    assert [m.split(":")[1] for m in messages] == ["8", "32", "46"]


def test_a_fallback_language_loads(project: Path):
    steps = project / "steps.yaml"
    steps.write_text(FALLBACK(steps.read_text(encoding="utf-8")), encoding="utf-8")
    guide = load_guide(steps, project)
    first = guide.steps[0]
    assert guide.screenshot_path(first, "ar") == project / "guide/screenshots/en/page.png"
    assert first.text("ar").labels[0].in_picture == "Open"


def test_valid_guide_loads_into_the_model(project: Path):
    guide = load_guide(project / "steps.yaml", project)
    assert guide.codes == ("en", "ar")
    assert guide.language("ar").rtl and not guide.language("en").rtl
    assert guide.interface_date.isoformat() == "2024-07-26"
    assert guide.url_for("ar") == "https://guides.example.org/test/ar/"
    assert (guide.product("en"), guide.product("ar"), guide.notes) == ("Reader App", "Reader", ())
    first, second = guide.steps
    (path,) = guide.paths  # no paths: one implicit path, every step in order
    assert (first.id, path.number(first.id), path.number(second.id)) == ("first", 1, 2)
    assert path.implicit and not guide.several_paths
    assert first.text("ar").title == "افتحه"
    assert [label.text for label in first.text("en").labels] == ["Open"]
    assert first.image.crop == "panel"
    assert [(h.region, h.badge) for h in first.image.highlights] == [("button", 1)]
    assert first.text("en").badge_refs == (1,)
    assert guide.screenshot_path(first, "ar") == project / "guide/screenshots/ar/page.png"
    with pytest.raises(AttributeError):
        first.id = "changed"  # immutable
    with pytest.raises(TypeError):
        first.texts["de"] = first.text("en")  # immutable


def test_shipped_guide_is_valid_in_the_languages_it_lists():
    """Which languages and how many steps are the content's business (STYLE.md: no hard-coded
    counts): a library that adds a language by the README's steps keeps this test green."""
    listed = yaml.safe_load((ROOT / "steps.yaml").read_text(encoding="utf-8"))["languages"]
    guide = load_guide(ROOT / "steps.yaml", ROOT)
    assert guide.codes == tuple(language["code"] for language in listed)
    assert guide.source_language.code == listed[0]["code"]
    assert [guide.language(code).rtl for code in guide.codes] == [
        language.get("dir") == "rtl" for language in listed]
    assert guide.steps


def run_check(steps: Path, root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "guidebuilder", "--root", str(root), "check"],
        capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})


def test_check_command_prints_problems_without_traceback(project: Path):
    steps = project / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    steps.write_text(text.replace('title: "Done"', "title: no"), encoding="utf-8")
    result = run_check(steps, project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "steps.yaml:46: step 'second' [en]: YAML reads 'no' as a yes/no value (boolean), not as text; "
        "put it in quotes: \"no\"",
        "1 problem found; nothing was built.",
    ]


def test_check_command_accepts_the_fixture(project: Path):
    result = run_check(project / "steps.yaml", project)
    assert result.returncode == 0, result.stderr
    assert "OK (2 steps in 2 languages: en, ar)" in result.stdout
