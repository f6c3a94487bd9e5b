"""The built site read as files: pages, links, anchors, images, privacy. No browser needed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from guidebuilder import outputs
from guidebuilder.errors import BuildError
from guidebuilder.site import pages
from guidebuilder.source.strings import format_month
from sitefixture import ROOT, built_site

# Hosts named inside the theme's own scripts and stylesheets that no page of ours ever contacts:
# licence comments and documentation links, XML namespaces, and features we do not enable. The
# browser tests prove it: no request leaves localhost.
INERT_HOSTS = {
    "www.w3.org": "XML namespace names",
    "api.github.com": "Material's repository facts, only with repo_url (not set)",
    "unpkg.com": "Material's Mermaid loader, only for diagrams (none) / offline plugin default shim",
    "cdn.plyr.io": "GLightbox's video player, only for video slides (ours are images)",
    "fontawesome.com": "licence comment", "clipboardjs.com": "licence comment",
    "github.com": "licence comment", "lunrjs.com": "licence comment",
    "tartarus.org": "licence comment", "snowball.tartarus.org": "licence comment",
    "code.google.com": "licence comment", "www.mozilla.org": "licence comment",
    "bit.ly": "licence comment",
}
URL_IN_TEXT = re.compile(r"https?://([A-Za-z0-9.-]+)")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
LOADING_ATTRIBUTES = (("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "srcset"),
                      ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
                      ("object", "data"))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    return built_site(tmp_path_factory)


def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def html_files(folder: Path) -> list[Path]:
    # 404.html is for a web server, which serves it at any depth: its links are absolute paths
    # under site_url on purpose.
    return sorted(p for p in folder.rglob("*.html") if p.name != "404.html")


def test_root_index_names_each_language_in_its_own_script_without_javascript(site):
    folder, guide = site
    tree = parse(folder / "index.html")
    assert tree.css("script") == []
    links = {a.attributes["lang"]: a for a in tree.css("a[lang]")}
    for lang in guide.languages:
        link = links[lang.code]
        assert link.attributes["href"] == f"{lang.code}/index.html"
        assert link.attributes["dir"] == lang.dir
        assert lang.name in link.text()


@pytest.mark.parametrize("code", ["fr", "en", "es", "ar"])
def test_page_language_and_direction(site, code):
    folder, guide = site
    for page in ("index.html", "404.html"):
        html = parse(folder / code / page).css_first("html")
        assert html.attributes["lang"] == code, page
        assert html.attributes["dir"] == ("rtl" if guide.language(code).rtl else "ltr"), page


def test_every_step_has_its_title_text_and_image_in_every_language(site):
    folder, guide = site
    for lang in guide.codes:
        tree = parse(folder / lang / "index.html")
        images = tree.css("figure.guide-step__figure img")
        assert len(images) == len(guide.steps), lang
        for position, (step, img) in enumerate(zip(guide.steps, images, strict=True)):
            text = step.text(lang)
            heading = tree.css_first(f"h2[id='{step.id}']")
            assert heading is not None, (lang, step.id)
            assert text.title in heading.text(), (lang, step.id)
            assert str(step.number) in heading.css_first(".guide-step-number").text()
            attrs = img.attributes
            assert attrs["src"] == f"images/{outputs.crop_filename(step.id)}"
            assert f"images/{outputs.crop_filename(step.id, 2)} 2x" in attrs["srcset"]
            assert int(attrs["width"]) > 0 and int(attrs["height"]) > 0
            assert attrs["alt"] == text.alt  # the alt text in the page's language
            assert ("loading" in attrs) == (position > 0), "lazy after the first image"
            for name in (outputs.crop_filename(step.id), outputs.crop_filename(step.id, 2)):
                assert (folder / lang / "images" / name).is_file()


def test_every_image_has_alt_text(site):
    folder, _guide = site
    for path in html_files(folder):
        for img in parse(path).css("img"):
            assert (img.attributes.get("alt") or "").strip(), f"{path}: {img.html}"


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_page_has_summary_warning_date_source_and_handouts(site, code):
    folder, guide = site
    tree = parse(folder / code / "index.html")
    assert tree.css_first("div.admonition.warning").text().strip()
    assert format_month(guide.interface_date, code) in tree.css_first(".guide-dates").text()
    source = tree.css_first(".guide-source")
    assert guide.source.title in source.text() and guide.source.publisher in source.text()
    assert source.css_first("a").attributes["href"] == guide.source.url
    links = [a.attributes["href"] for a in tree.css("ul.guide-handouts a")]
    assert links == [h.filename for h in outputs.handouts(code)]
    assert all((folder / code / name).is_file() for name in links)


def test_switcher_links_to_the_same_page_in_every_language(site):
    folder, guide = site
    for lang in guide.codes:
        tree = parse(folder / lang / "index.html")
        links = {a.attributes["hreflang"]: a.attributes["href"] for a in tree.css("a.md-select__link")}
        assert links == {code: f"../{code}/index.html" for code in guide.codes}


def test_internal_links_and_anchors_resolve(site):
    folder, _guide = site
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = {n.attributes["id"] for n in parse(path).css("[id]")}
        return ids[path]

    checked = 0
    for path in html_files(folder):
        tree = parse(path)
        for node in tree.css("a[href], link[href], script[src], img[src], img[srcset]"):
            for attr in ("href", "src", "srcset"):
                value = node.attributes.get(attr)
                if not value:
                    continue
                targets = [part.split()[0] for part in value.split(",")] if attr == "srcset" else [value]
                for target in targets:
                    parts = urlsplit(target)
                    if parts.scheme or parts.netloc:
                        continue  # external: see test_no_resource_from_another_host
                    file = (path.parent / unquote(parts.path)).resolve() if parts.path else path
                    assert file.is_relative_to(folder.resolve()), f"{path}: {target} leaves the site"
                    assert file.is_file(), f"{path.relative_to(folder)}: broken link {target}"
                    if parts.fragment and file.suffix == ".html":
                        assert unquote(parts.fragment) in anchors(file), (
                            f"{path.relative_to(folder)}: no anchor #{parts.fragment} in {target}")
                    checked += 1
    assert checked > 50


def test_no_resource_from_another_host(site):
    folder, _guide = site
    loaded_js: set[Path] = set()
    for path in html_files(folder):
        tree = parse(path)
        for tag, attr in LOADING_ATTRIBUTES:
            for node in tree.css(f"{tag}[{attr}]"):
                value = node.attributes[attr]
                assert not re.search(r"(^|[\s,])(https?:)?//", value), f"{path}: {node.html}"
                if tag == "script":
                    loaded_js.add((path.parent / value).resolve())
        for node in tree.css("link[href]"):
            rel = node.attributes.get("rel") or ""
            if rel in ("canonical", "alternate"):
                continue  # names an address; the browser loads nothing from it
            assert not re.match(r"(https?:)?//", node.attributes["href"]), f"{path}: {node.html}"
        for node in tree.css("script:not([src])"):
            assert not URL_IN_TEXT.search(node.text() or ""), f"{path}: inline script names a URL"
    for css in folder.rglob("*.css"):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            target = match.group(1) or match.group(2)
            assert target.startswith(("data:", "#")) or not re.match(r"(https?:)?//", target), (
                f"{css}: {target}")
    scripts = loaded_js | set(folder.rglob("workers/*.js")) | set(folder.rglob("lunr/min/*.js"))
    for js in scripts:
        for host in URL_IN_TEXT.findall(js.read_text(encoding="utf-8")):
            assert host in INERT_HOSTS, f"{js.relative_to(folder)} names {host}"


def test_search_works_offline(site):
    folder, guide = site
    for lang in guide.codes:
        script = (folder / lang / "search" / "search_index.js").read_text(encoding="utf-8")
        assert script.startswith("var __index = ")  # read by a <script>, which file:// allows
        index = json.loads(script.removeprefix("var __index = "))
        titles = " ".join(doc["title"] for doc in index["docs"])
        assert all(step.text(lang).title in titles for step in guide.steps), lang


def test_source_screenshots_mockups_and_templates_are_not_published(site):
    folder, guide = site
    published = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert not [p for p in published if re.search(r"(^|/)(screenshots|mockups|handout)/", p)]
    assert not [p for p in published if p.endswith((".j2", ".map", ".yaml", ".md"))]
    expected_images = {outputs.crop_filename(s.id, k) for s in guide.steps for k in (1, 2)}
    for lang in guide.codes:
        images = {p.name for p in (folder / lang / "images").iterdir()}
        assert images == expected_images
    source_names = {p.name for p in (ROOT / "guide").rglob("*.png")}
    stray = [p for p in published if p.endswith(".png") and "/images/" not in p
             and not p.endswith("assets/images/favicon.png")]
    assert stray == [] and not (source_names & {Path(p).name for p in stray})


def test_fonts_are_self_hosted_subsets(site):
    folder, _guide = site
    fonts = sorted((folder / "fr" / "assets" / "fonts").glob("*.woff2"))
    assert len(fonts) == 4
    assert all(path.stat().st_size < 60_000 for path in fonts)
    css = (folder / "fr" / "assets" / "stylesheets" / "fonts.css").read_text(encoding="utf-8")
    for path in fonts:
        assert f"../fonts/{path.name}" in css


def test_print_stylesheet_is_linked(site):
    folder, _guide = site
    tree = parse(folder / "fr" / "index.html")
    hrefs = [n.attributes["href"] for n in tree.css("link[rel=stylesheet]")]
    assert "assets/stylesheets/guide.css" in hrefs
    assert "@media print" in (folder / "fr/assets/stylesheets/guide.css").read_text(encoding="utf-8")


# The text renderer, on its own.

WORDS = {"badge": "Marker {n}", "unconfirmed_label": "Label not confirmed yet"}


def test_badge_references_become_accessible_badges():
    html = pages.text_html("Click **More** ((1)), then ((2)).", WORDS)
    assert html.count('class="guide-badge"') == 2
    assert 'role="img" aria-label="Marker 1">1</span>' in html
    assert "<strong>More</strong>&nbsp;<span" in html, "a tag stays on the line of the word it marks"


def test_unconfirmed_labels_are_marked():
    from guidebuilder.model import Label

    html = pages.text_html("Click **More**, then **Settings**.", WORDS,
                           (Label("More"), Label("Settings", confirmed=False)))
    assert "<strong>More</strong>," in html
    assert '<strong>Settings</strong><sup class="guide-unconfirmed" title="Label not confirmed yet">' in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>Hi", "[x](javascript:alert(1))", '<img src="https://evil.example/x.png">',
    '<a href="#" onclick="steal()">x</a>',
])
def test_guide_text_is_sanitised(source):
    html = pages.text_html(source, WORDS)
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert "<img" not in html


def test_headings_escape_markdown():
    assert pages.md_heading("Vérifiez que c'est fait") == "Vérifiez que c'est fait"
    assert pages.md_heading("a *b* {#x} <i>") == r"a \*b\* \{\#x\} &lt;i&gt;"


def test_a_mkdocs_warning_fails_the_build_in_one_line(tmp_path, monkeypatch):
    from guidebuilder.build.check import check_all
    from guidebuilder.site.inputs import site_inputs
    from guidebuilder.site.stage import build_site
    from guidebuilder.store import Store

    checked = check_all(ROOT / "steps.yaml", ROOT)
    guide = checked.guide
    guide = type(guide)(**{**guide.__dict__, "languages": guide.languages[:1], "steps": ()})
    store = Store(tmp_path / "cache")
    inputs = site_inputs(guide, checked.strings, {}, {}, store, epoch="1722000000")
    monkeypatch.setattr(pages, "guide_markdown", lambda inputs, lang: "# T\n\n[broken](missing.md)\n")
    with pytest.raises(BuildError) as caught:
        build_site(inputs, tmp_path / "site", store, verbosity=0)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("site [fr]: ") and "missing.md" in message


def test_web_fonts_cover_every_character_of_the_guide(site):
    """The subsets must hold every letter the guide shows, or the browser mixes in another font."""
    from fontTools.ttLib import TTFont

    from guidebuilder.source.strings import load_strings

    folder, guide = site
    fonts = folder / "fr" / "assets" / "fonts"
    covered = set()
    for name in ("noto-sans-latin-400.woff2", "noto-sans-arabic-400.woff2"):
        covered |= set(TTFont(fonts / name).getBestCmap())
    strings = load_strings(guide)
    texts = [lang.name for lang in guide.languages]
    for lang in guide.codes:
        texts += [guide.text(lang).title, guide.text(lang).summary, guide.text(lang).mobile_note,
                  *strings[lang].values()]
        for step in guide.steps:
            t = step.text(lang)
            texts += [t.title, t.body, t.alt, t.tip or ""]
    missing = sorted({c for text in texts for c in text if not c.isspace() and ord(c) not in covered})
    assert missing == [], [f"U+{ord(c):04X} {c}" for c in missing]
