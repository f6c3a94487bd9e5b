"""The site's engines: the generated docs folder, and Zensical showing what MkDocs shows.

The end-to-end comparison (marked slow) reads back the small fixture guide's shared build (MkDocs)
and a Zensical build of a copy of it: per language the same steps, images and alt text, handout
links and <html lang dir>, everything derived from the loaded guide.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from guidebuilder import outputs
from guidebuilder.build.check import check_all
from guidebuilder.site import docs, engines
from guidebuilder.site.engines.zensical import first_problem
from guidebuilder.site.stage import ENGINES
from projects import ROOT, command, environment


def as_project(project: Path) -> Path:
    """The fixture guide with the project's site configuration and theme overrides."""
    shutil.copy(ROOT / docs.CONFIG_NAME, project / docs.CONFIG_NAME)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    return project


def test_one_process_compiles_the_theme_once_and_an_edited_template_again(tmp_path, tmp_path_factory,
                                                                        monkeypatch):
    """Every MkDocs build of a process (one per language of each guide) shares the compiled
    templates; a template edited between two builds is compiled again."""
    import jinja2

    from guidebuilder.site.cache import site_kind
    from guidebuilder.site.engines import mkdocs
    from sitefixture import _build, built_site

    shared_site, _ = built_site(tmp_path_factory)
    built = site_kind(shared_site.parent / "project").name  # a language's finished folder

    def store_without_sites(name: str) -> Path:
        """A copy of the shared build's store without its built languages (crops, fonts kept)."""
        cache = shared_site.parent / "cache"
        return Path(shutil.copytree(cache, tmp_path / name, ignore=lambda folder, names: (
            [built] if Path(folder) == cache else [])))

    monkeypatch.setattr(mkdocs, "_TEMPLATES", mkdocs._Templates())  # none compiled yet
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(env, source, name=None, *args, **kwargs):
        compiled.append(name)
        return compile_source(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    site, guide = _build(tmp_path / "first", cache=store_without_sites("first-cache"))
    assert len(guide.codes) > 1 and compiled.count("main.html") == 1, compiled
    assert "base.html" in compiled and len(compiled) == len(set(compiled)), "once for every language"
    project = tmp_path / "first" / "project"
    compiled.clear()
    again, _ = _build(tmp_path / "again", cache=store_without_sites("again-cache"), project=project)
    assert compiled == [] and (again / guide.codes[0] / "index.html").read_bytes() == (
        site / guide.codes[0] / "index.html").read_bytes()
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta charset="utf-8"><meta name="x-edited" content="yes">'),
        encoding="utf-8")
    edited, _ = _build(tmp_path / "edited", cache=store_without_sites("edited-cache"), project=project)
    assert compiled == ["main.html"]
    assert all('name="x-edited"' in (edited / lang / "index.html").read_text(encoding="utf-8")
               for lang in guide.codes)


def test_every_engine_is_offered_on_the_command_line():
    assert tuple(ENGINES) == engines.NAMES


def test_each_language_gets_a_complete_config_without_hooks(project):
    project = as_project(project)
    guide = check_all(project / "steps.yaml", project).guide
    base = docs.read_base(project / docs.CONFIG_NAME)
    for lang in guide.codes:
        config = docs.language_config(guide, lang, base, project, Path("docs"))
        assert config["site_name"] == guide.text(lang).title
        assert config["site_description"] == guide.text(lang).summary
        assert config["site_url"] == guide.url_for(lang)
        assert config["docs_dir"] == "docs"
        assert config["theme"]["language"] == lang
        assert config["theme"]["custom_dir"] == str((project / "overrides").resolve())
        assert {"search": {"lang": lang}} in config["plugins"]
        assert [link["lang"] for link in config["extra"]["alternate"]] == list(guide.codes)
        assert config["extra"]["polyfills"] == [docs.SHIM]
        assert "hooks" not in config
    assert base["theme"]["language"] != "ar", "the base is read, never changed"


@pytest.mark.parametrize(("output", "expected"), [
    ("Build started\n\x1b[33mWarning:\x1b[0m page does not exist\n"
     "    \x1b[38;5;246m╭─[\x1b[0m index.md:97:10 \x1b[38;5;246m]\x1b[0m\n 97 │ [broken](missing.md)\n"
     "1 issue found\nTraceback (most recent call last):\n"
     "RuntimeError: Aborted because --strict flag is set",
     "index.md:97:10: page does not exist"),
    ("Error: Missing required setting: site_name", "Missing required setting: site_name"),
    ("thread '<unnamed>' panicked at crates/zensical/src/workflow.rs:698:10:\n"
     "Traceback (most recent call last):\npyo3_runtime.PanicException: invariant: Id(Format(Path(RootDir)))",
     "pyo3_runtime.PanicException: invariant: Id(Format(Path(RootDir)))"),
    ("", "it stopped without saying why"),
])
def test_a_zensical_problem_is_one_line_with_its_place(output, expected):
    from guidebuilder.site.engines.zensical import ANSI

    lines = [" ".join(ANSI.sub("", line).split()) for line in output.splitlines()]
    assert first_problem([line for line in lines if line]) == expected


@pytest.fixture
def both_sites(small_build, tmp_path):
    """The fixture guide built by each engine through the command line, as `make ENGINE=...` runs
    it: MkDocs' site is the shared build's (the default engine), Zensical's is built in a copy of
    that build, whose crops and handouts are cached (each engine keeps its own site entries, so
    Zensical really runs). {engine: the guide's site folder}, and the guide."""
    copy = small_build.copy(tmp_path / "copy")
    sites = {engines.NAMES[0]: small_build.project / "site"}
    for engine in ENGINES:
        if engine in sites:
            continue
        sites[engine] = tmp_path / f"site-{engine}"
        done = subprocess.run([*command(copy, "--engine", engine, "--out", str(sites[engine]))],
                              capture_output=True, text=True, env=environment(copy), cwd=copy,
                              timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"site: {len(small_build.guide.codes)} built, 0 cached" in done.stdout, done.stdout
    guide = small_build.guide
    return {engine: folder / guide.slug for engine, folder in sites.items()}, guide


def page_facts(folder: Path, lang: str) -> dict:
    """What a reader must find on a language's page, read from the built file."""
    tree = HTMLParser((folder / lang / "index.html").read_text(encoding="utf-8"))
    html = tree.css_first("html").attributes
    return {
        "html": (html.get("lang"), html.get("dir")),
        "steps": [" ".join(h.text().split()) for h in tree.css("h2.guide-step-title")],
        "step ids": [h.attributes.get("id") for h in tree.css("h2.guide-step-title")],
        "images": [(img.attributes.get("src"), img.attributes.get("alt"))
                   for img in tree.css("figure.guide-step__figure img.guide-step__screen")],
        "handouts": [a.attributes.get("href") for a in tree.css("ul.guide-handouts a")],
        "loaded": [node.attributes.get("src") or node.attributes.get("href")
                   for node in tree.css("script[src], link[rel=stylesheet]")],
    }


@pytest.mark.slow
def test_zensical_shows_what_mkdocs_shows(both_sites):
    sites, guide = both_sites
    for lang in guide.codes:
        facts = {engine: page_facts(folder, lang) for engine, folder in sites.items()}
        mkdocs, zensical = facts["mkdocs"], facts["zensical"]
        direction = guide.language(lang).dir
        steps = list(guide.steps)
        for engine, fact in facts.items():
            where = f"{engine} [{lang}]"
            assert fact["html"] == (lang, direction), where
            assert fact["step ids"] == [step.id for step in steps], where
            for step, heading in zip(steps, fact["steps"], strict=True):
                assert heading == f"{guide.paths[0].number(step.id)} {step.text(lang).title}", where
            assert fact["images"] == [(f"images/{outputs.crop_filename(step.id)}", step.text(lang).alt)
                                      for step in steps if step.image is not None], where
            assert fact["handouts"] == [h.filename for h in outputs.handouts(lang)], where
            published = [name for name, _path in fact["images"]] + fact["handouts"]
            loaded = [url.removeprefix("./") for url in fact["loaded"]]
            assert all((sites[engine] / lang / name).is_file() for name in published + loaded), where
            assert not [url for url in loaded if "//" in url], f"{where}: loads from another host"
        assert {key: value for key, value in zensical.items() if key != "loaded"} == {
            key: value for key, value in mkdocs.items() if key != "loaded"}, lang
