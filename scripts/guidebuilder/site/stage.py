"""The site stage: every language's pages, built by the engine, plus the page that lists them.

    report = build_site(inputs, out_dir, store, verbosity=1)   # Report: "3 built, 1 cached"

A language whose inputs did not change is copied from the store instead of being built again.
"""

from __future__ import annotations

from pathlib import Path

from guidebuilder.report import Report
from guidebuilder.site import cache as sitecache
from guidebuilder.site import pages
from guidebuilder.site.inputs import SiteInputs
from guidebuilder.store import Store

CONFIG_NAME = "mkdocs.yml"


def build_site(inputs: SiteInputs, out_dir: Path, store: Store, verbosity: int = 1) -> Report:
    """Build each language of `inputs` into out_dir/<lang>/ and the language chooser into
    out_dir/index.html."""
    from guidebuilder.site.engines import mkdocs as engine

    guide = inputs.guide
    out_dir.mkdir(parents=True, exist_ok=True)
    built = cached = 0
    for lang in inputs.langs:
        key = sitecache.language_key(store, inputs, lang)
        if sitecache.restore(store, inputs, key, out_dir / lang):
            cached += 1
            continue
        engine.build_language(inputs, guide.root / CONFIG_NAME, lang, out_dir / lang, verbosity)
        sitecache.keep(store, inputs, lang, key, out_dir / lang)
        built += 1
    (out_dir / "index.html").write_text(pages.language_index_html(guide, inputs.strings),
                                        encoding="utf-8")
    return Report(built, cached, "built")


def alternate_links(guide) -> list[dict[str, str]]:
    """Material's language switcher: relative links, so it works from file:// too."""
    return [{"name": lang.name, "link": f"../{lang.code}/index.html", "lang": lang.code}
            for lang in guide.languages]
