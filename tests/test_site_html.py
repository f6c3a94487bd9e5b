"""The built site read as files: pages, links, anchors, images, privacy. No browser needed.

Tool tests, on the fixture guide's site (sitefixture.py); the shipped guide's pages are checked the
same way by test_shipped_site.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from guidebuilder import outputs
from guidebuilder.errors import BuildError
from guidebuilder.site import pages, projector, webfonts
from guidebuilder.source.strings import load_strings
from projects import small_guide
from sitefixture import (
    built_site,
    check_alt_text,
    check_language_and_direction,
    check_links_and_anchors,
    check_search_index,
    check_steps,
    check_summary_date_source_and_handouts,
    check_switcher,
    glyphs_missing_from_web_fonts,
    html_files,
    parse,
    published_site,
)

CODES = small_guide().codes

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


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    return published_site(tmp_path_factory)


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


@pytest.mark.parametrize("code", CODES)
def test_page_language_and_direction(site, code):
    folder, guide = site
    check_language_and_direction(folder, guide, code)


def test_every_step_has_its_title_text_and_image_in_every_language(site):
    folder, guide = site
    for lang in guide.codes:
        check_steps(folder, guide, lang)


def test_pictures_offer_both_files_by_their_real_width_and_paper_the_2x(site):
    """srcset with width descriptors, so a phone showing a wide picture narrow takes the 1x file
    (which file each screen loads: test_site_browser.py)."""
    folder, guide = site
    for lang in guide.codes:
        tree = parse(folder / lang / "index.html")
        for step, figure in zip(guide.steps, tree.css("figure.guide-step__figure"), strict=True):
            screen = figure.css_first("img.guide-step__screen").attributes
            files = {k: f"images/{outputs.crop_filename(step.id, k)}" for k in (1, 2)}
            widths = {k: Image.open(folder / lang / name).width for k, name in files.items()}
            assert screen["srcset"] == f"{files[1]} {widths[1]}w, {files[2]} {widths[2]}w"
            assert screen["sizes"] == pages.image_sizes(int(screen["width"]))
            assert screen["data-src"] == files[2]  # what the lightbox shows
            paper = figure.css_first("img.guide-step__print").attributes
            assert "src" not in paper and paper["loading"] == "lazy"
            assert paper["srcset"] == f"{files[2]} 2x"  # laid out at the picture's size
            assert "off-glb" in paper["class"].split()  # no lightbox link of its own


@pytest.mark.parametrize(("width", "sizes"), [
    (300, "(min-width: 332px) 300px, calc(100vw - 32px)"),
    (900, "(min-width: 1174px) 900px, (min-width: 960px) calc(100vw - 274px), (min-width: 932px) 900px, "
          "calc(100vw - 32px)"),
    (1200, "(min-width: 2000px) 1126px, (min-width: 1600px) 1032px, (min-width: 1220px) 938px, "
           "(min-width: 960px) calc(100vw - 274px), calc(100vw - 32px)"),
])
def test_sizes_follow_the_content_column_up_to_the_picture_width(width, sizes):
    assert pages.image_sizes(width) == sizes


def test_every_image_has_alt_text(site):
    folder, _guide = site
    check_alt_text(folder)


@pytest.mark.parametrize("code", CODES)
def test_page_has_summary_warning_date_source_and_handouts(site, code):
    folder, guide = site
    check_summary_date_source_and_handouts(folder, guide, code)


def test_switcher_links_to_the_same_page_in_every_language(site):
    folder, guide = site
    for lang in guide.codes:
        check_switcher(folder, guide, lang)


def test_every_language_link_says_its_language_and_direction(site):
    """So a screen reader reads each language's name with that language's voice."""
    folder, guide = site
    # The projector view has no switcher: it is opened in one language from its page or the shelf.
    for path in [p for p in folder.rglob("*.html") if p.parent.name != projector.FOLDER]:
        tree = parse(path)
        links = tree.css("a.md-select__link") + tree.css(".chooser__list a")
        assert links, path
        for link in links:
            language = guide.language(link.attributes["hreflang"])
            assert link.attributes.get("lang") == language.code, f"{path}: {link.html}"
            assert link.attributes.get("dir") == language.dir, f"{path}: {link.html}"


def test_alternate_languages_are_named_by_absolute_address_in_the_head(site):
    """Absolute, as search engines want; the page connects to its own site only (CSP), so
    Material's look-up of each alternate's sitemap never leaves a copy on a USB stick."""
    folder, guide = site
    expected = {lang.code: f"{guide.url_for(lang.code)}index.html" for lang in guide.languages}
    for path in [folder / "index.html", *(folder / code / "index.html" for code in guide.codes)]:
        links = parse(path).css("head link[rel=alternate][hreflang]")
        assert {n.attributes["hreflang"]: n.attributes["href"] for n in links} == expected, path
    for code in guide.codes:  # served at any depth: a 404 page names no alternate
        assert parse(folder / code / "404.html").css("link[rel=alternate]") == []
    for path in html_files(folder):
        if path.parent != folder:  # the chooser has no script
            policy = parse(path).css_first("head meta[http-equiv=Content-Security-Policy]")
            assert policy is not None and policy.attributes["content"] == "connect-src 'self'", path


def test_handouts_open_in_the_browser(site):
    """No download attribute: on a library PC a downloaded file disappears into Downloads."""
    folder, guide = site
    for lang in guide.codes:
        links = parse(folder / lang / "index.html").css("ul.guide-handouts a")
        assert links and all("download" not in a.attributes for a in links), lang
        assert all(a.attributes["type"] == "application/pdf" for a in links)


def test_participants_are_not_told_which_labels_are_unconfirmed(site):
    """`unconfirmed: true` is for maintainers (`make check`, later facilitators), not for learners."""
    folder, guide = site
    strings = load_strings(guide)
    marked = [lang for lang in guide.codes
              if any(not label.confirmed for s in guide.steps for label in s.text(lang).labels)]
    assert marked, "the fixture guide has an unconfirmed label: this test needs one"
    for lang in guide.codes:
        html = (folder / lang / "index.html").read_text(encoding="utf-8")
        assert strings[lang]["unconfirmed_label"] not in html, lang
        assert "guide-unconfirmed" not in html and "<sup" not in html, lang


def test_printout_names_the_address_and_its_qr_code_only_when_it_is_real(site, published):
    """The handouts' rule: no QR code or address leading to a placeholder, but 'ask the library'."""
    assert site[1].has_placeholder_url and not published[1].has_placeholder_url
    for folder, guide in (site, published):
        real = not guide.has_placeholder_url
        strings = load_strings(guide)
        for lang in guide.codes:
            block = parse(folder / lang / "index.html").css_first("div.guide-online")
            assert block is not None and "data-search-exclude" in block.attributes
            text = " ".join(block.text().split())
            assert strings[lang]["online"] in text
            if real:
                assert block.css_first(".guide-online__url").text() == guide.url_for(lang)
                assert len(block.css("svg.guide-online__qr")) == 1
            else:
                assert strings[lang]["handout_ask_address"] in text
                assert block.css("svg") == [] and guide.public_url not in text


def test_lightbox_focus_script_is_ours_and_loaded(site):
    folder, guide = site
    for lang in guide.codes:
        scripts = [s.attributes["src"] for s in parse(folder / lang / "index.html").css("script[src]")]
        assert "assets/javascripts/keyboard-focus.js" in scripts
        assert (folder / lang / "assets/javascripts/keyboard-focus.js").is_file()


def test_internal_links_and_anchors_resolve(site):
    folder, _guide = site
    assert check_links_and_anchors(folder, html_files(folder)) > 50


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
        check_search_index(folder, guide, lang)


def test_source_screenshots_mockups_and_templates_are_not_published(site):
    folder, guide = site
    published = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert not [p for p in published if re.search(r"(^|/)(screenshots|mockups|handout)/", p)]
    assert not [p for p in published if p.endswith((".j2", ".map", ".yaml", ".md"))]
    expected_images = {outputs.crop_filename(s.id, k) for s in guide.steps for k in (1, 2)}
    for lang in guide.codes:
        images = {p.name for p in (folder / lang / "images").iterdir()}
        assert images == expected_images
    source_names = {p.name for p in guide.guide_dir.rglob("*.png")}
    stray = [p for p in published if p.endswith(".png") and "/images/" not in p
             and not p.endswith("assets/images/favicon.png")]
    assert stray == [] and not (source_names & {Path(p).name for p in stray})


def test_fonts_are_self_hosted_subsets(site):
    folder, _guide = site
    fonts = sorted((folder / CODES[0] / "assets" / "fonts").glob("*.woff2"))
    assert len(fonts) == len(webfonts.FACES)
    assert all(path.stat().st_size < 60_000 for path in fonts)
    css = (folder / CODES[0] / "assets" / "stylesheets" / "fonts.css").read_text(encoding="utf-8")
    for path in fonts:
        assert f"../fonts/{path.name}" in css


def test_print_stylesheet_is_linked(site):
    folder, _guide = site
    tree = parse(folder / CODES[0] / "index.html")
    hrefs = [n.attributes["href"] for n in tree.css("link[rel=stylesheet]")]
    assert "assets/stylesheets/guide.css" in hrefs
    stylesheet = folder / CODES[0] / "assets" / "stylesheets" / "guide.css"
    assert "@media print" in stylesheet.read_text(encoding="utf-8")


# The text renderer, on its own.

WORDS = {"badge": "Marker {n}"}


def test_badge_references_become_accessible_badges():
    html = pages.text_html("Click **More** ((1)), then ((2)).", WORDS)
    assert html.count('class="guide-badge"') == 2
    assert 'role="img" aria-label="Marker 1">1</span>' in html


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


def test_a_mkdocs_warning_fails_the_build_in_one_line(site, tmp_path, monkeypatch):
    from guidebuilder.site.inputs import site_inputs
    from guidebuilder.site.stage import build_site
    from guidebuilder.source.strings import load_strings
    from guidebuilder.store import Store

    folder, guide = site
    store = Store(folder.parent / "cache")  # the site fixture's: its web fonts are made already
    strings = load_strings(guide)
    guide = type(guide)(**{**guide.__dict__, "languages": guide.languages[:1], "steps": ()})
    inputs = site_inputs(guide, strings, {}, {}, store, epoch="1722000000")
    monkeypatch.setattr(pages, "guide_markdown", lambda inputs, lang: "# T\n\n[broken](missing.md)\n")
    with pytest.raises(BuildError) as caught:
        build_site(inputs, tmp_path / "site", store, verbosity=0)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"site [{guide.codes[0]}]: ") and "missing.md" in message


def test_web_fonts_cover_every_character_of_the_guide(site):
    """The subsets must hold every letter the guide shows, or the browser mixes in another font."""
    folder, guide = site
    assert glyphs_missing_from_web_fonts(folder, guide) == []
