"""`make po` and `make po-import`, run as a user runs them, on a copy of the small fixture guide.

Every count and text is taken from the fixture itself; the oracles are msgfmt (what every PO editor
holds a file to), polib reading the files back, and the YAML files compared line by line.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from guidebuilder.build.po.entries import guide_entries
from guidebuilder.source.validate import load_guide
from projects import SMALL, small_guide

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1722000000"
AR = Path("po/small/ar.po")


@pytest.fixture
def new_project(tmp_path: Path) -> Path:
    """A copy of the fixture guide never exported: no po/ folder yet."""
    dest = tmp_path / "small"
    shutil.copytree(SMALL, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__", ".cache"))
    return dest


@pytest.fixture(scope="module")
def small_export(tmp_path_factory) -> Path:
    """The fixture guide exported once (`make po`), for the tests that start from an export."""
    return exported(shutil.copytree(SMALL, tmp_path_factory.mktemp("export") / "small",
                                    ignore=shutil.ignore_patterns("*.py", "__pycache__", ".cache")))


@pytest.fixture
def project(small_export: Path, tmp_path: Path) -> Path:
    """A copy of the fixture guide as `make po` left it: its po/ folder beside steps.yaml."""
    return shutil.copytree(small_export, tmp_path / "small")


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "scripts"), "SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project), *args],
                          capture_output=True, text=True, env=env, timeout=300, check=False)


def exported(project: Path) -> Path:
    done = run(project, "po")
    assert done.returncode == 0, done.stderr
    return project


def translate(project: Path, context: str, msgstr: str, po: Path = AR) -> None:
    """What a translator does in Poedit: change one entry's translation, and save."""
    catalog = polib.pofile(str(project / po))
    entry = next(e for e in catalog if e.msgctxt == context)
    entry.msgstr = msgstr
    catalog.save()


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in "+-"]


def msgstr_line(po_file: Path, context: str) -> int:
    lines = po_file.read_text(encoding="utf-8").split("\n")
    start = lines.index(f'msgctxt "{context}"')
    return next(n for n, line in enumerate(lines[start:], start=start + 1) if line.startswith("msgstr"))


def test_export_writes_a_template_and_a_po_file_per_language_that_msgfmt_accepts(new_project: Path):
    done = run(new_project, "po")
    assert done.returncode == 0, done.stderr
    files = sorted(p.relative_to(new_project).as_posix() for p in (new_project / "po").rglob("*.po*"))
    assert files == ["po/_strings/ar.po", "po/_strings/strings.pot", "po/small/ar.po",
                     "po/small/small.pot"]
    assert done.stdout.splitlines() == [f"po: {name}" for name in
                                        ("po/small/small.pot", "po/small/ar.po",
                                         "po/_strings/strings.pot", "po/_strings/ar.po")]
    for name in files:
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", name], cwd=new_project,
                               capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stderr

    guide = small_guide()
    catalog = polib.pofile(str(new_project / AR))
    assert catalog.metadata["Language"] == "ar"
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=6;")
    assert [e.msgctxt for e in catalog] == [e.context for e in guide_entries(guide)]
    step = guide.steps[1]
    body = next(e for e in catalog if e.msgctxt == f"small/step/{step.id}/body")
    assert (body.msgid, body.msgstr) == (step.text("en").body, step.text("ar").body)
    assert "badge references ((1)), ((2)) must stay" in body.comment
    steps_lines = (new_project / "steps.yaml").read_text(encoding="utf-8").split("\n")
    (where, line), = body.occurrences
    assert where == "steps.yaml" and step.text("en").body in steps_lines[int(line) - 1]
    # confirmation is per language: the fixture's last Arabic label is not confirmed, the English is
    last = f"small/step/{guide.steps[-1].id}/label/0"
    assert next(e for e in catalog if e.msgctxt == last).comment.startswith("unconfirmed label:")
    template = polib.pofile(str(new_project / "po/small/small.pot"))
    assert next(e for e in template if e.msgctxt == last).comment.startswith("interface label:")
    assert all(not e.msgstr for e in template)
    alt = next(e for e in catalog if e.msgctxt == f"small/step/{step.id}/alt")
    assert alt.comment.startswith("alt text of the picture of step 2")
    words = polib.pofile(str(new_project / "po/_strings/ar.po"))
    step_word = next(e for e in words if e.msgctxt == "strings/step")
    assert "{n}" in step_word.comment and step_word.occurrences == [("guide/strings/en.yaml", "3")]


def po_files(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted((project / "po").rglob("*.po*"))}


def test_two_exports_are_byte_identical(new_project: Path, tmp_path: Path):
    """In two copies, so that neither export can find the other's files and leave them be."""
    other = shutil.copytree(new_project, tmp_path / "other")
    first, second = po_files(exported(new_project)), po_files(exported(other))
    assert first == second and len(first) == 4
    exported(new_project)  # again over its own files: still the same bytes
    assert po_files(new_project) == first


def test_an_imported_translation_changes_only_its_line_and_the_guide_loads_with_it(project: Path):
    steps = project / "steps.yaml"
    before = steps.read_text(encoding="utf-8")
    step = small_guide().steps[0]
    translate(project, f"small/step/{step.id}/title", "افتح القائمة الرئيسية")
    done = run(project, "po-import")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        "po/small/ar.po: 1 changed, 0 fuzzy (not imported), 0 missing",
        f"  changed: small/step/{step.id}/title"]
    after = steps.read_text(encoding="utf-8")
    old = f'        title: "{step.text("ar").title}"'
    assert changed_lines(before, after) == [f"- {old}", '+         title: "افتح القائمة الرئيسية"']
    assert load_guide(steps, project).steps[0].text("ar").title == "افتح القائمة الرئيسية"
    assert run(project, "check").returncode == 0


def test_a_folded_summary_stays_a_folded_block_in_its_own_lines(project: Path):
    steps = project / "steps.yaml"
    before = steps.read_text(encoding="utf-8")
    summary = "يشرح هذا الدليل كيف توقف اقتراحات الكتب في تطبيق القارئ. " * 3
    translate(project, "small/guide/summary", summary.strip())
    assert run(project, "po-import").returncode == 0
    after = steps.read_text(encoding="utf-8")
    removed = [line for line in changed_lines(before, after) if line.startswith("-")]
    assert removed == [f"- {line}" for line in before.split("\n")
                       if line.startswith("        يقترح") or line == "        نقرات."]
    assert "      summary: >-\n        يشرح" in after
    assert load_guide(steps, project).text("ar").summary == summary.strip()


def test_the_builder_words_are_imported_into_the_strings_file_with_its_comments(project: Path):
    strings = project / "guide/strings/ar.yaml"
    before = strings.read_text(encoding="utf-8")
    translate(project, "strings/done", "انتهيت", po=Path("po/_strings/ar.po"))
    done = run(project, "po-import")
    assert done.returncode == 0, done.stderr
    assert "po/_strings/ar.po: 1 changed, 0 fuzzy (not imported), 0 missing" in done.stdout
    assert changed_lines(before, strings.read_text(encoding="utf-8")) == [
        '- done: "تم"', '+ done: "انتهيت"']


def test_a_changed_source_comes_back_fuzzy_with_the_previous_source(project: Path):
    steps = project / "steps.yaml"
    step = small_guide().steps[0]
    old = step.text("en").title
    steps.write_text(steps.read_text(encoding="utf-8").replace(
        f'title: "{old}"', 'title: "Open the main menu"', 1), encoding="utf-8")
    exported(project)
    entry = next(e for e in polib.pofile(str(project / AR))
                 if e.msgctxt == f"small/step/{step.id}/title")
    assert (entry.flags, entry.previous_msgid, entry.msgid) == (["fuzzy"], old, "Open the main menu")
    assert entry.msgstr == step.text("ar").title
    assert f'#| msgid "{old}"' in (project / AR).read_text(encoding="utf-8")
    before = steps.read_text(encoding="utf-8")
    done = run(project, "po-import")
    assert done.returncode == 0, done.stderr
    assert f"  fuzzy: small/step/{step.id}/title" in done.stdout.splitlines()
    assert steps.read_text(encoding="utf-8") == before  # a fuzzy entry is never written
    report = run(project, "translations")
    assert "  fuzzy: 1 in po/small/ (ar 1)" in report.stdout.splitlines()


STEP = small_guide().steps[1]  # two badges, one label
BODY = STEP.text("ar").body


@pytest.mark.parametrize(("msgstr", "message"), [
    (BODY.replace(" ((2))", ""),
     "the badge references are ((1)) but the source has ((1)), ((2)); keep each ((n)) as it is"),
    (BODY.replace("((2))", "((3))"),
     "the badge references are ((1)), ((3)) but the source has ((1)), ((2)); keep each ((n))"),
    (BODY.replace(f"**{STEP.text('ar').labels[0].text}**", "**الخيارات**"),
     f"**الخيارات** is in bold but is not one of this step's labels "
     f"(**{STEP.text('ar').labels[0].text}**); write the label exactly"),
], ids=["badge-missing", "badge-renumbered", "bold-not-a-label"])
def test_a_broken_placeholder_is_refused_with_file_line_and_msgctxt(project: Path, msgstr: str,
                                                                   message: str):
    context = f"small/step/{STEP.id}/body"
    translate(project, context, msgstr)
    translate(project, "small/guide/title", "عنوان آخر")  # a good entry: not written either
    before = (project / "steps.yaml").read_bytes()
    done = run(project, "po-import")
    assert done.returncode == 1
    first, last = done.stderr.splitlines()
    assert first.startswith(f'{AR}:{msgstr_line(project / AR, context)}: msgctxt "{context}": '
                            f"{message}")
    assert last == "1 problem found; nothing was written."
    assert (project / "steps.yaml").read_bytes() == before


def test_an_import_the_validator_refuses_puts_the_files_back(project: Path):
    translate(project, f"small/step/{STEP.id}/title", "افتح <b>الإعدادات</b>")
    before = (project / "steps.yaml").read_bytes()
    done = run(project, "po-import")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "raw HTML is not allowed" in done.stderr
    assert "they were put back unchanged" in done.stderr
    assert (project / "steps.yaml").read_bytes() == before


def test_a_broken_placeholder_in_the_builder_words_is_refused(project: Path):
    words = Path("po/_strings/ar.po")
    translate(project, "strings/step", "الخطوة {number}", po=words)
    done = run(project, "po-import")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f'{words}:{msgstr_line(project / words, "strings/step")}: msgctxt "strings/step": '
        "{number} is not filled in here; keep only {n}, {product}, as the source has them")


@pytest.mark.parametrize(("before", "path", "value", "after"), [
    ('a:\n  t: "Old" # why\n', ("a", "t"), 'Say "hi"', 'a:\n  t: "Say \\"hi\\"" # why\n'),
    ("a:\n  t: 'Old'\n", ("a", "t"), "It's", "a:\n  t: 'It''s'\n"),
    ("a:\n  t: Old\n", ("a", "t"), "New words", "a:\n  t: New words\n"),
    ("a:\n  t: Old\n", ("a", "t"), "yes", 'a:\n  t: "yes"\n'),  # plain would read as a boolean
    ("a:\n  t: Old\n", ("a", "t"), "Note: this", 'a:\n  t: "Note: this"\n'),
    ('n: {title: "A", body: "B"}\n', ("n", "body"), "C, D", 'n: {title: "A", body: "C, D"}\n'),
    ('l: ["A", {text: "B", unconfirmed: true}]\n', ("l", 1), "C",
     'l: ["A", {text: "C", unconfirmed: true}]\n'),
    ("s: >-\n  one two\n  three\nnext: x\n", ("s",), "four five six seven",
     "s: >-\n  four five six seven\nnext: x\n"),
], ids=["double", "single", "plain", "plain-would-be-boolean", "plain-with-colon", "flow-mapping",
        "label-mapping", "folded"])
def test_yamledit_changes_only_the_value_in_its_own_style(before: str, path: tuple, value: str,
                                                          after: str):
    import yaml

    from guidebuilder.build.po.yamledit import edit

    assert edit(before, {path: value}) == after
    data = yaml.safe_load(after)
    for part in path:
        data = data[part]
    assert (data["text"] if isinstance(data, dict) else data) == value


def test_a_damaged_po_file_is_one_line_and_no_traceback(project: Path):
    po_file = project / AR
    po_file.write_text(po_file.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "\\q', 1)
                       .replace("msgid ", "msgid\n", 3), encoding="utf-8")
    done = run(project, "po-import")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    first, last = done.stderr.splitlines()
    assert first.startswith(f"{AR}: polib cannot read it (") and first.endswith("run make po")
    assert last == "1 problem found; nothing was written."


def test_a_language_showing_another_languages_pictures_imports_its_quoted_shown_labels(
        tmp_path: Path):
    """The fallback fixture's German bodies quote the English label in bold, as the picture shows it."""
    project = shutil.copytree(SMALL.parent / "fallback", tmp_path / "fallback")
    steps = project / "steps.yaml"
    before = steps.read_text(encoding="utf-8")
    guide = load_guide(steps, project)
    step = next(s for s in guide.steps if any(label.shown for label in s.text("de").labels))
    body = step.text("de").body
    translate(exported(project), f"fallback/step/{step.id}/body", body + " Fertig.",
              po=Path("po/fallback/de.po"))
    done = run(project, "po-import")
    assert done.returncode == 0, done.stderr
    assert changed_lines(before, steps.read_text(encoding="utf-8"))[1].endswith(' Fertig."')


def test_a_device_paths_title_goes_out_and_comes_back(tmp_path: Path):
    """Each path's title is an entry of its own (its tab, its handouts' subtitle), and comments
    name a step by its number in each path it is in."""
    project = tmp_path / "paths"
    shutil.copytree(SMALL.parent / "paths", project, symlinks=False,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__", ".cache"))
    exported(project)
    guide = load_guide(project / "steps.yaml", project)
    po = Path(f"po/{guide.slug}/ar.po")
    catalog = polib.pofile(str(project / po))
    path = guide.paths[-1]
    context = f"{guide.slug}/path/{path.id}/title"
    assert catalog.find(context, by="msgctxt").msgid == path.title(guide.codes[0])
    shared = next(s for s in guide.steps if sum(s.id in p.steps for p in guide.paths) > 1)
    comment = catalog.find(f"{guide.slug}/step/{shared.id}/title", by="msgctxt").comment
    assert all(f"{p.number(shared.id)} of '{p.title(guide.codes[0])}'" in comment for p in guide.paths)
    before = (project / "steps.yaml").read_text(encoding="utf-8")
    translate(project, context, "على الهاتف فقط", po)
    done = run(project, "po-import")
    assert done.returncode == 0, done.stderr
    after = (project / "steps.yaml").read_text(encoding="utf-8")
    assert len(changed_lines(before, after)) == 2
    assert load_guide(project / "steps.yaml", project).path(path.id).title("ar") == "على الهاتف فقط"


def test_pofilter_finds_nothing_in_an_export_and_flags_a_dropped_variable(project: Path, tmp_path: Path):
    """translate-toolkit's checker, as a Weblate project runs it: the exported files pass its
    variables and Python brace-format checks; a translation that drops {n} is caught. (Its
    brackets check is left out: it flags the Arabic "Letter (أمريكي)", brackets added on purpose.)"""
    pofilter = Path(sys.executable).with_name("pofilter")
    words = project / "po" / "_strings" / "ar.po"

    def flagged() -> list[str]:
        out = tmp_path / "flagged.po"
        checks = ["-t", "variables", "-t", "pythonbraceformat"]
        subprocess.run([str(pofilter), "--progress=none", *checks, str(words), str(out)],
                       check=True, capture_output=True, text=True)
        return [e.msgctxt for e in polib.pofile(str(out))] if out.exists() else []

    assert flagged() == []
    translate(project, "strings/step", "الخطوة", po=Path("po/_strings/ar.po"))
    assert flagged() == ["strings/step"]


def test_facilitator_notes_go_out_and_come_back(tmp_path: Path):
    """The facilitator notes are entries too (each list item, each mistake's two parts), said in
    their comment to be for the facilitator sheet only; a translated note comes back in its line."""
    project = tmp_path / "kit"
    shutil.copytree(SMALL.parent / "kit", project, symlinks=False,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__", ".cache"))
    exported(project)
    guide = load_guide(project / "steps.yaml", project)
    first, notes = guide.codes[0], guide.text(guide.codes[0]).facilitator
    po = Path(f"po/{guide.slug}/ar.po")
    catalog = polib.pofile(str(project / po))
    base = f"{guide.slug}/guide/facilitator"
    assert [catalog.find(f"{base}/before_you_start/{j}", by="msgctxt").msgid
            for j in range(len(notes.before_you_start))] == list(notes.before_you_start)
    assert catalog.find(f"{base}/undo", by="msgctxt").msgid == notes.undo
    step = next(s for s in guide.steps if s.text(first).facilitator and s.text(first).facilitator.note)
    mistakes = step.text(first).facilitator.mistakes
    own = f"{guide.slug}/step/{step.id}/facilitator"
    contexts = [e.msgctxt for e in catalog if e.msgctxt.startswith(f"{own}/")]
    assert contexts == [f"{own}/mistake/{j}/{key}" for j in range(len(mistakes))
                        for key in ("problem", "say")] + [f"{own}/note"]
    entry = catalog.find(contexts[0], by="msgctxt")
    assert entry.msgid == mistakes[0].problem and "facilitator sheet only" in entry.comment
    before = (project / "steps.yaml").read_text(encoding="utf-8")
    translate(project, contexts[-1], "ملاحظة جديدة للميسر.", po)
    done = run(project, "po-import")
    assert done.returncode == 0, done.stderr
    after = (project / "steps.yaml").read_text(encoding="utf-8")
    assert len(changed_lines(before, after)) == 2
    again = load_guide(project / "steps.yaml", project)
    assert next(s for s in again.steps if s.id == step.id).text("ar").facilitator.note == (
        "ملاحظة جديدة للميسر.")
