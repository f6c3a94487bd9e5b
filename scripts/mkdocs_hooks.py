"""MkDocs hooks: the thin adapter between MkDocs and the guide builder (scripts/guidebuilder).

The language of this build comes from mkdocs.yml (`theme.language`, set from GUIDE_LANG); everything
else (page, crops, handouts, fonts, switcher) comes from the core. Nothing is written into guide/:
the page and its files are virtual files that MkDocs publishes from memory or from the cache.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

if str(Path(__file__).parent) not in sys.path:  # plain `mkdocs build` without PYTHONPATH
    sys.path.insert(0, str(Path(__file__).parent))

from guidebuilder.errors import BuildError, GuideError
from guidebuilder.site import pages
from guidebuilder.site.engines import mkdocs as engine
from guidebuilder.site.stage import alternate_links

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

SHIM = "assets/javascripts/iframe-worker/shim.js"  # vendored from npm, see its LICENSE
# Theme files not to publish: templates of other stages (handouts), and source maps nobody loads.
NOT_PUBLISHED = ("handout/",)
NOT_PUBLISHED_SUFFIXES = (".map",)
LUNR = "assets/javascripts/lunr/"
LUNR_ALWAYS = {"min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js"}


@event_priority(-50)  # after the offline plugin, whose shim we serve ourselves instead of a CDN's
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    lang = config.theme["language"]
    try:
        inputs = engine.start(lang)  # the build in progress hands them over (engine.handing_over)
    except (GuideError, BuildError) as exc:
        raise PluginError(str(exc)) from exc
    guide = inputs.guide
    if lang not in inputs.langs:
        raise PluginError(f"GUIDE_LANG={lang} is not a language of this build "
                          f"({', '.join(inputs.langs)})")
    config.site_name = guide.text(lang).title
    config.site_description = guide.text(lang).summary
    config.site_url = guide.url_for(lang)
    config.extra["alternate"] = alternate_links(guide)
    config.extra["polyfills"] = [SHIM if "iframe-worker" in str(url) else url
                                 for url in config.extra.get("polyfills", [])]
    return config


def _unused_search_language(src_uri: str, lang: str) -> bool:
    """Material ships search rules for ~30 languages; each build needs only its own (2 MB less)."""
    if not src_uri.startswith(LUNR):
        return False
    name = src_uri.removeprefix(LUNR)
    return name not in {f"min/lunr.{lang}.min.js", *LUNR_ALWAYS}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    lang = config.theme["language"]
    for file in list(files):
        if (file.src_uri.startswith(NOT_PUBLISHED) or file.src_uri.endswith(NOT_PUBLISHED_SUFFIXES)
                or _unused_search_language(file.src_uri, lang)):
            files.remove(file)
    inputs = engine.current()
    files.append(File.generated(config, "index.md", content=pages.guide_markdown(inputs, lang)))
    for dest, path in sorted(inputs.published_files(lang).items()):
        files.append(File.generated(config, dest, abs_src_path=str(path)))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    guide = engine.current().guide
    output = pages.set_html_dir(output, guide.language(config.theme["language"]).dir)
    return pages.name_search_dialog(output)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """Pages MkDocs renders from a bare template (404.html) get the language's direction too."""
    if template_name.endswith(".html"):
        guide = engine.current().guide
        return pages.set_html_dir(output, guide.language(config.theme["language"]).dir)
    return output
