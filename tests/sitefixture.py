"""The built site as files, for both tiers.

`built_site` builds the fixture guide's site (tests/fixtures/small/) once per run, in-process,
for the tool tests of test_site_html.py: the real crops (so pages carry real images), small
stand-in PDFs (the handouts have their own tests). Every test process of the run (pytest -n) reads
the same build (`shared_site`): never change it, copy it. The `check_*` functions are what a built site
must satisfy in one language; test_site_html.py runs them on that site, test_shipped_site.py on the
shipped guide's real build, one test per language of steps.yaml. `published_site` is the fixture
guide at a real address: its own public_url is a placeholder, and then no page prints its address
or a QR code.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from filelock import FileLock
from PIL import Image
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from guidebuilder import outputs
from guidebuilder.build.check import check_all
from guidebuilder.source.strings import format_month
from guidebuilder.source.validate import load_guide
from projects import fixture_project, run_folder


def fake_render_handouts(guide, cache_dir: Path, jobs=None):
    cache_dir.mkdir(parents=True, exist_ok=True)
    result = {}
    for lang in guide.codes:
        result[lang] = []
        for handout in outputs.handouts(lang):
            path = cache_dir / handout.filename
            Image.new("RGB", (60, 80), "white").save(path, "PDF")
            result[lang].append((handout, path))
    return result


PUBLIC_URL = "https://guides.mylibrary.org/reader-suggestions/"
DONE = "site-built"  # written last: the build in the folder is whole
_built: dict[str, tuple[Path, object]] = {}


def shared_site(tmp_path_factory, name: str, make: Callable[[Path], Path],
                guide_of: Callable[[Path], object]) -> tuple[Path, object]:
    """(site folder, guide) of an in-process build made once per run for every test process:
    the first to ask runs `make(folder)` (which returns the site folder), the others wait for it
    and load the guide of the project it left, with `guide_of(project)`."""
    if name not in _built:
        folder = run_folder(tmp_path_factory, name)
        with FileLock(f"{folder}.lock"):
            if not (folder / DONE).exists():
                shutil.rmtree(folder, ignore_errors=True)  # what a process stopped mid-build left
                folder.mkdir(parents=True)
                site = make(folder)
                (folder / DONE).write_text(site.relative_to(folder).as_posix(), encoding="utf-8")
        site = folder / (folder / DONE).read_text(encoding="utf-8")
        _built[name] = site, guide_of(folder / "project")
    return _built[name]


def built_site(tmp_path_factory) -> tuple[Path, object]:
    """The fixture guide's site, built once per run; return (site folder, guide). Its cache is the
    folder beside the site folder."""
    return shared_site(tmp_path_factory, "built-site", lambda folder: _build(folder)[0],
                       lambda project: load_guide(project / "steps.yaml", project))


def published_site(tmp_path_factory) -> tuple[Path, object]:
    """The same guide at a real public_url (PUBLIC_URL), built once per run from a copy of the
    first site's store (its crops and fonts are made already); return (site folder, guide)."""
    def make(folder: Path) -> Path:
        shutil.copytree(built_site(tmp_path_factory)[0].parent / "cache", folder / "cache")
        return _build(folder, PUBLIC_URL, folder / "cache")[0]

    return shared_site(tmp_path_factory, "published-site", make, lambda project: dataclasses.replace(
        load_guide(project / "steps.yaml", project), public_url=PUBLIC_URL))


def _build(tmp_root: Path, public_url: str | None = None, cache: Path | None = None,
           project: Path | None = None) -> tuple[Path, object]:
    """The site of `project` (default: a new fixture project in tmp_root) built in tmp_root/site,
    with the store `cache` (default: tmp_root/cache)."""
    from guidebuilder.images.crops import render_crops
    from guidebuilder.site.inputs import site_inputs
    from guidebuilder.site.stage import build_site
    from guidebuilder.store import Store

    project = project or fixture_project(tmp_root / "project")
    store = Store(cache or tmp_root / "cache")
    checked = check_all(project / "steps.yaml", project, store)
    guide = checked.guide
    if public_url:
        guide = dataclasses.replace(guide, public_url=public_url)
    crops = render_crops(guide, store)
    handouts = fake_render_handouts(guide, tmp_root / "fake-handouts")
    inputs = site_inputs(guide, checked.strings, crops, handouts, store, epoch="1722000000")
    build_site(inputs, tmp_root / "site", store, verbosity=0)
    return tmp_root / "site", guide


def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def html_files(folder: Path) -> list[Path]:
    # 404.html is for a web server, which serves it at any depth: its links are absolute paths
    # under site_url on purpose.
    return sorted(p for p in folder.rglob("*.html") if p.name != "404.html")


# -- what every language's pages must be ---------------------------------------------------------


def check_language_and_direction(folder: Path, guide, code: str) -> None:
    for page in ("index.html", "404.html"):
        html = parse(folder / code / page).css_first("html")
        assert html.attributes["lang"] == code, page
        assert html.attributes["dir"] == ("rtl" if guide.language(code).rtl else "ltr"), page


def check_steps(folder: Path, guide, lang: str) -> None:
    """Every step: its heading with number and title, its picture for the screen (1x and 2x by
    width) and for paper (2x), both with the alt text."""
    tree = parse(folder / lang / "index.html")
    figures = tree.css("figure.guide-step__figure")
    several = guide.several_paths  # each path's steps under it, anchored <path>-<step>, one level down
    shown = [(path, step) for path in guide.paths for step in guide.path_steps(path)]
    assert len(figures) == len(shown), lang
    for position, ((path, step), figure) in enumerate(zip(shown, figures, strict=True)):
        text = step.text(lang)
        anchor, level = (f"{path.id}-{step.id}", "h3") if several else (step.id, "h2")
        heading = tree.css_first(f"{level}[id='{anchor}']")
        assert heading is not None, (lang, anchor)
        assert text.title in heading.text(), (lang, anchor)
        assert str(path.number(step.id)) in heading.css_first(".guide-step-number").text()
        screen, paper = figure.css("img.guide-step__screen"), figure.css("img.guide-step__print")
        assert len(screen) == len(paper) == 1 and len(figure.css("img")) == 2
        attrs = screen[0].attributes
        assert attrs["src"] == f"images/{outputs.crop_filename(step.id)}"
        assert f"images/{outputs.crop_filename(step.id, 2)} " in attrs["srcset"]
        assert int(attrs["width"]) > 0 and int(attrs["height"]) > 0
        assert attrs["alt"] == paper[0].attributes["alt"] == text.alt  # in the page's language
        assert ("loading" in attrs) == (position > 0), "lazy after the first image"
        for name in (outputs.crop_filename(step.id), outputs.crop_filename(step.id, 2)):
            assert (folder / lang / "images" / name).is_file()


def check_alt_text(folder: Path) -> None:
    for path in html_files(folder):
        for img in parse(path).css("img"):
            assert (img.attributes.get("alt") or "").strip(), f"{path}: {img.html}"


def check_summary_date_source_and_handouts(folder: Path, guide, code: str) -> None:
    tree = parse(folder / code / "index.html")
    shown = tree.css("div.admonition.guide-note")
    assert len(shown) == len(guide.notes)  # every note of the guide, in order, of its kind
    for note, node in zip(guide.notes, shown, strict=True):
        assert note.kind in node.attributes["class"].split()
        body = " ".join(node.text().split())
        assert " ".join(note.text(code).body.replace("**", "").split()) in body
    assert format_month(guide.interface_date, code) in tree.css_first(".guide-dates").text()
    source = tree.css_first(".guide-source")
    assert guide.source.title in source.text() and guide.source.publisher in source.text()
    assert source.css_first("a").attributes["href"] == guide.source.url
    links = [a.attributes["href"] for a in tree.css("ul.guide-handouts a")]
    assert links == [h.filename for h in outputs.guide_handouts(guide, code)]
    assert all((folder / code / name).is_file() for name in links)


def check_switcher(folder: Path, guide, lang: str) -> None:
    tree = parse(folder / lang / "index.html")
    links = {a.attributes["hreflang"]: a.attributes["href"] for a in tree.css("a.md-select__link")}
    assert links == {code: f"../{code}/index.html" for code in guide.codes}


def check_links_and_anchors(folder: Path, pages: list[Path]) -> int:
    """Every internal link, image and script of these pages resolves; returns how many there were."""
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = {n.attributes["id"] for n in parse(path).css("[id]")}
        return ids[path]

    checked = 0
    for path in pages:
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
    return checked


def check_search_index(folder: Path, guide, lang: str) -> None:
    script = (folder / lang / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")  # read by a <script>, which file:// allows
    index = json.loads(script.removeprefix("var __index = "))
    titles = " ".join(doc["title"] for doc in index["docs"])
    assert all(step.text(lang).title in titles for step in guide.steps), lang


def glyphs_missing_from_web_fonts(folder: Path, guide) -> list[str]:
    """Characters the guide shows that no web font subset has (the browser would mix in another font)."""
    from fontTools.ttLib import TTFont

    from guidebuilder.source.strings import load_strings

    fonts = folder / guide.codes[0] / "assets" / "fonts"
    covered = set()
    for name in ("noto-sans-latin-400.woff2", "noto-sans-arabic-400.woff2"):
        covered |= set(TTFont(fonts / name).getBestCmap())
    strings = load_strings(guide)
    texts = [lang.name for lang in guide.languages]
    for lang in guide.codes:
        texts += [guide.text(lang).title, guide.text(lang).summary, guide.product(lang),
                  *(value for value in strings[lang].values() if isinstance(value, str)),
                  *strings[lang]["language_names"].values()]
        for note in guide.notes:
            texts += [note.text(lang).title or "", note.text(lang).body]
        for step in guide.steps:
            t = step.text(lang)
            texts += [t.title, t.body, t.alt, t.tip or ""]
    missing = sorted({c for text in texts for c in text if not c.isspace() and ord(c) not in covered})
    return [f"U+{ord(c):04X} {c}" for c in missing]
