"""A shelf of several guides in one project: guides/<slug>/ beside the first guide, the shelf page,
`--guide` (make GUIDE=) for one guide, `make new-guide`, and addresses that keep working.

The slow tests start from a copy of the fixture guide's shared warm build and add a second guide
with `new-guide`, as a library would; every count and title comes from the guides they load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from guidebuilder import outputs
from guidebuilder.project import find_project
from guidebuilder.source.validate import load_guide
from pdfread import needs_poppler, pdftotext
from projects import ROOT, build, environment, snapshot, stage_lines

NEW = "stop-test-ai"


def guidebuilder(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command line on `project`, with its own copy of the builder if it has one."""
    code = project / "scripts" if (project / "scripts").is_dir() else ROOT / "scripts"
    env = {**environment(project), **(env or {}), "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, "-m", "guidebuilder", "--root", str(project), *args],
                          capture_output=True, text=True, env=env, cwd=project, timeout=600)


def guides_of(project: Path):
    found = find_project(project)
    return [load_guide(files.steps, project) for files in found.guides]


# -- without a build -----------------------------------------------------------------------------


def test_new_guide_is_made_from_the_template_and_passes_check(project: Path):
    made = guidebuilder(project, "new-guide", NEW)
    assert made.returncode == 0, made.stderr
    assert f"guides/{NEW}/" in made.stdout and f"make check GUIDE={NEW}" in made.stdout
    guide = load_guide(project / "guides" / NEW / "steps.yaml", project)
    assert (guide.slug, guide.folder) == (NEW, project / "guides" / NEW)
    assert all(step.image for step in guide.steps)
    checked = guidebuilder(project, "--guide", NEW, "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == [
        f"guides/{NEW}/steps.yaml: OK (1 step in 1 language: en)"]
    assert checked.stderr == ""  # not even a warning: legible, every label in its picture
    both = guidebuilder(project, "check")
    assert both.returncode == 0, both.stderr
    assert [line.split(":")[0] for line in both.stdout.splitlines()] == [
        "steps.yaml", f"guides/{NEW}/steps.yaml"]


@pytest.mark.parametrize(("slug", "message"), [
    ("Bad_Slug", "error: 'Bad_Slug' cannot be a guide's address; use lowercase letters, digits and "
                 "dashes, e.g. make new-guide SLUG=stop-meta-ai"),
    ("test", "error: there is already a guide 'test' (guides/test/); choose another slug"),
])
def test_new_guide_refuses_a_bad_or_taken_slug(project: Path, slug: str, message: str):
    result = guidebuilder(project, "new-guide", slug)  # 'test' is the first guide's slug
    assert (result.returncode, result.stderr.strip()) == (1, message)
    assert not (project / "guides").exists()


def test_an_unknown_guide_is_one_line_naming_the_guides(project: Path):
    guidebuilder(project, "new-guide", NEW)
    for command in ("check", "build"):
        result = guidebuilder(project, "--guide", "nope", command)
        assert (result.returncode, result.stderr.strip()) == (1, (
            f"error: there is no guide 'nope' in this project; choose one of test, {NEW} "
            "(make GUIDE=<slug>), or create it with make new-guide SLUG=nope"))


def test_problems_name_their_guide_file_and_line(project: Path):
    guidebuilder(project, "new-guide", NEW)
    steps = project / "guides" / NEW / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    line = text.splitlines().index(f"  slug: {NEW}") + 1
    steps.write_text(text.replace(f"  slug: {NEW}", "  slug: another-name"), encoding="utf-8")
    result = guidebuilder(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"guides/{NEW}/steps.yaml:{line}: guide '{NEW}' guide: the slug 'another-name' differs from "
        f"the guide's folder guides/{NEW}/; make them the same (the slug is the guide's address)",
        "1 problem found; nothing was built."]


def test_public_url_in_steps_yaml_says_where_it_went(project: Path):
    steps = project / "steps.yaml"
    text = steps.read_text(encoding="utf-8")
    steps.write_text(text.replace("  slug: test\n", "  slug: test\n  public_url: \"https://a.b/\"\n"),
                     encoding="utf-8")
    line = steps.read_text(encoding="utf-8").splitlines().index('  public_url: "https://a.b/"') + 1
    result = guidebuilder(project, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"steps.yaml:{line}: guide: unknown key 'public_url'; it has moved: the whole shelf has one address, "
        "`site_url:` in mkdocs.yml (each guide lives at <site_url><slug>/); delete this line and "
        "set site_url there")


def test_two_guides_cannot_share_an_address(project: Path):
    guidebuilder(project, "new-guide", NEW)
    steps = project / "guides" / NEW / "steps.yaml"
    steps.write_text(steps.read_text(encoding="utf-8").replace(
        f"  slug: {NEW}\n", f"  slug: {NEW}\n  former_slugs: [test]\n"), encoding="utf-8")
    result = guidebuilder(project, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"guides/{NEW}/steps.yaml: guide: the address 'test/' is also used by steps.yaml; two "
        "guides cannot share an address: change the slug of the newer one")


def test_site_address_comes_from_mkdocs_yml_or_public_url(project: Path, monkeypatch):
    (project / "mkdocs.yml").write_text("site_name: x\nsite_url: https://library.example-city.fr/g\n",
                                        encoding="utf-8")
    assert load_guide(project / "steps.yaml", project).url_for("ar") == (
        "https://library.example-city.fr/g/test/ar/")
    monkeypatch.setenv("PUBLIC_URL", "https://pages.example-city.fr/shelf/")
    assert load_guide(project / "steps.yaml", project).public_url == (
        "https://pages.example-city.fr/shelf/test/")
    result = guidebuilder(project, "check", env={"PUBLIC_URL": "nope"})
    assert (result.returncode, result.stderr.splitlines()[0]) == (1, (
        "error: PUBLIC_URL 'nope' is not a web address; write it like "
        "https://guides.my-library.org/"))


# -- built ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shelf(small_build, tmp_path_factory) -> Path:
    """The fixture guide's warm build, plus a guide made with new-guide, built together."""
    project = small_build.copy(tmp_path_factory.mktemp("shelf") / "project")
    assert guidebuilder(project, "new-guide", NEW).returncode == 0
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project, result


@pytest.mark.slow
def test_adding_a_guide_builds_it_without_touching_the_others(shelf, small_build):
    project, result = shelf
    first = small_build.guide
    lines = stage_lines(result, first.slug)
    assert lines["crops"] == f"0 drawn, {len(first.steps) * len(first.codes)} cached"
    assert lines["handouts"] == f"0 rendered, {4 * len(first.codes)} cached"
    assert lines["site"] == f"0 built, {len(first.codes)} cached"
    new = stage_lines(result, NEW)
    assert new["crops"] == "1 drawn, 0 cached" and new["site"] == "1 built, 0 cached"
    before = {k: v for k, v in small_build.site.items() if k.startswith(f"{first.slug}/")}
    after = snapshot(project / "site")
    assert {k: after.get(k) for k in before} == before
    assert (project / "site" / NEW / "en" / "index.html").is_file()


@pytest.mark.slow
def test_shelf_page_lists_every_guide_in_each_language(shelf):
    project, _ = shelf
    site = project / "site"
    tree = HTMLParser((site / "index.html").read_text(encoding="utf-8"))
    guides = guides_of(project)
    html = tree.css_first("html")
    assert (html.attributes["lang"], html.attributes["dir"]) == (
        guides[0].source_language.code, guides[0].source_language.dir)
    assert not tree.css("script")
    for node in tree.css("[href], [src]"):
        target = node.attributes.get("href") or node.attributes.get("src")
        assert not urlsplit(target).scheme and not target.startswith("/"), target
        assert (site / target).is_file(), f"the shelf links {target}, which is not in site/"
    sections = tree.css("section.shelf__guide")
    assert [s.attributes["id"] for s in sections] == [g.slug for g in guides]
    for guide, section in zip(guides, sections, strict=True):
        entries = section.css("li.shelf__language")
        assert [(e.attributes["lang"], e.attributes["dir"]) for e in entries] == [
            (lang.code, lang.dir) for lang in guide.languages]
        for lang, entry in zip(guide.languages, entries, strict=True):
            page = entry.css_first("a.shelf__page")
            assert page.attributes["href"] == f"{guide.slug}/{lang.code}/index.html"
            assert guide.text(lang.code).title in page.text()
            handouts = [a.attributes["href"] for a in entry.css(".shelf__handouts a")]
            assert handouts == [f"{guide.slug}/{lang.code}/{h.filename}"
                                for h in outputs.handouts(lang.code)]


@pytest.mark.slow
@needs_poppler
def test_one_guide_is_built_alone_its_printed_and_former_addresses_lead_to_it(shelf, tmp_path: Path):
    """`--guide` builds that guide only: the others' pages are kept as they are (the same files),
    and the shelf page follows the guide's new title. With a real address, every handout of the
    guide prints its page's address; that address, and the guide's former address, are files of
    the built site. (One build for both: each is a whole build of the second guide.)"""
    project, _ = shelf
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(project), str(copy)], check=True)
    first = guides_of(copy)[0]
    before = snapshot(copy / "site" / first.slug)
    inode = (copy / "site" / first.slug / first.codes[0] / "index.html").stat().st_ino
    steps = copy / "guides" / NEW / "steps.yaml"
    steps.write_text(steps.read_text(encoding="utf-8").replace(
        "Write the guide's title here", "A second title").replace(
        f"  slug: {NEW}\n", f"  slug: {NEW}\n  former_slugs: [old-name]\n"), encoding="utf-8")
    site_url = "https://library.example-city.fr/guides/"
    result = guidebuilder(copy, "--guide", NEW, "build", env={"PUBLIC_URL": site_url})
    assert result.returncode == 0, result.stderr
    assert not any(line.startswith(f"{first.slug}: ") for line in result.stdout.splitlines())
    site = copy / "site"
    assert snapshot(site / first.slug) == before
    # kept, not copied again: the same file (a hard link into the new site/)
    assert (site / first.slug / first.codes[0] / "index.html").stat().st_ino == inode
    assert "A second title" in (site / "index.html").read_text(encoding="utf-8")
    assert "A second title" in (site / NEW / "en" / "index.html").read_text(encoding="utf-8")
    guide = guides_of(copy)[1]
    for handout in outputs.handouts("en"):
        text = pdftotext(site / NEW / "en" / handout.filename)
        printed = f"{site_url}{NEW}/en/"
        assert printed in text.replace("\n", "")
        assert (site / urlsplit(printed).path.removeprefix("/guides/") / "index.html").is_file()
    moved = HTMLParser((site / "old-name" / "en" / "index.html").read_text(encoding="utf-8"))
    target = moved.css_first("a").attributes["href"]
    assert (site / "old-name" / "en" / target).resolve() == (site / NEW / "en" / "index.html")
    assert moved.css_first("meta[http-equiv=refresh]").attributes["content"] == f"0; url={target}"
    assert guide.text("en").title in moved.css_first("title").text()
    assert (site / "old-name" / "index.html").is_file()
