"""The recreated pages of every guide: rendered pages not stale, pages.yaml checked strictly, and
each guide's pages and steps free of another product's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidebuilder.capture import mockups
from guidebuilder.errors import GuideError

ROOT = Path(__file__).resolve().parents[1]
# guide/mockups (the first guide) and guides/<slug>/mockups (the others).
FOLDERS = [ROOT / "guide" / "mockups", *sorted(ROOT.glob("guides/*/mockups"))]
LINKEDIN = ROOT / "guides" / "stop-linkedin-ai-training"


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(f.relative_to(ROOT)) for f in FOLDERS])
def test_rendered_mockups_are_up_to_date(folder):
    rendered = mockups.render_all(folder)
    for relative, html in rendered.items():
        committed = folder / relative
        assert committed.is_file() and committed.read_text(encoding="utf-8") == html, (
            f"{relative} is stale: run `python -m guidebuilder mockups --dir "
            f"{folder.relative_to(ROOT)}`")
    on_disk = {p.relative_to(folder) for p in folder.glob("*/*.html")
               if p.parent.name not in ("templates", "strings")}
    assert on_disk == set(rendered), "a rendered page no longer in pages.yaml: delete it"


@pytest.mark.parametrize(("text", "expected"), [
    ("pages: {home: {template: home.html, variable: {a: 1}}}\n",
     ["mockups/pages.yaml:1: unknown key 'variable' in page 'home'; allowed: template, variables"]),
    ("pages: {home: {template: nowhere.html}}\n",
     ["mockups/pages.yaml:1: page 'home': template must name a file of templates/"]),
    ("account: {name: A}\npage: {}\n",
     ["mockups/pages.yaml:1: pages must map each page name to its template",
      "mockups/pages.yaml:2: unknown key 'page' in pages.yaml; allowed: account, defaults, pages"]),
])
def test_a_wrong_pages_file_is_refused_with_its_line(tmp_path, text, expected):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "home.html").write_text("{{ page }}\n", encoding="utf-8")
    (tmp_path / "pages.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as caught:
        mockups.load_pages(tmp_path)
    assert [str(p) for p in caught.value.problems] == expected


def test_a_page_sets_its_own_variables_over_the_defaults(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("{{ a }} {{ b }}\n", encoding="utf-8")
    (tmp_path / "pages.yaml").write_text(
        "defaults: {a: 1, b: 2}\npages: {one: {template: t.html, variables: {b: 3}}}\n",
        encoding="utf-8")
    [page] = mockups.load_pages(tmp_path).pages
    assert (page.name, page.template, dict(page.variables)) == ("one", "t.html", {"a": 1, "b": 3})


def test_the_linkedin_guide_names_no_other_product():
    # Written from the first guide; a word left over from it would tell readers the wrong product.
    other = re.compile(r"\bX\b|(?i:grok|twitter|\bxai\b|\bx\.com\b)")
    files = [p for p in LINKEDIN.rglob("*") if p.suffix in (".yaml", ".html", ".css", ".json")]
    assert len(files) > 20
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for p in files
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if other.search(line)]
    assert not found


def test_the_linkedin_screenshots_say_they_show_recreated_pages():
    import json

    from PIL import Image

    from guidebuilder.capture import capturelist

    listed = capturelist.load(LINKEDIN / "capture.yaml")
    for lang in listed.languages:
        for page in listed.pages:
            png = listed.output_for(lang, page.name)
            sidecar = json.loads(png.with_suffix(".regions.json").read_text(encoding="utf-8"))
            with Image.open(png) as image:
                assert sidecar["size"] == list(image.size), f"{lang}/{page.name}"
            assert (sidecar["source"], sidecar["provenance"]) == (page.url_for(lang), "recreated")
