"""The site stage: every language's pages of a guide, built by the engine, plus the page that lists
them (the shelf page that lists every guide is site/shelf.py).

    report = build_site(inputs, out_dir, store, verbosity=1)                     # MkDocs
    report = build_site(inputs, out_dir, store, engine="zensical")             # opt-in successor

For each language: write its docs folder under the store (site/docs.py), run the engine on it,
finish the output (site/finish.py), write the projector view beside it (site/projector.py). A
language whose inputs did not change is copied from the store instead of being built again; each
engine keeps its own entries.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from guidebuilder.errors import BuildError
from guidebuilder.report import Report
from guidebuilder.site import cache as sitecache
from guidebuilder.site import docs, engines, pages
from guidebuilder.site.engines import mkdocs, zensical
from guidebuilder.site.finish import finish_language
from guidebuilder.site.inputs import SiteInputs
from guidebuilder.site.projector import write_projector
from guidebuilder.store import Store

ENGINES = {adapter.NAME: adapter for adapter in (mkdocs, zensical)}  # in the order of engines.NAMES
DEFAULT_ENGINE = engines.NAMES[0]


def build_site(inputs: SiteInputs, out_dir: Path, store: Store, verbosity: int = 1,
               engine: str = DEFAULT_ENGINE) -> Report:
    """Build each language of `inputs` into out_dir/<lang>/ and the guide's language chooser into
    out_dir/index.html (out_dir is the guide's folder of the site: site/<slug>/)."""
    adapter = _engine(engine)
    guide = inputs.guide
    out_dir.mkdir(parents=True, exist_ok=True)
    built = cached = 0
    for lang in inputs.langs:
        key = sitecache.language_key(store, inputs, lang, adapter.NAME, adapter.version())
        if sitecache.restore(store, inputs, key, out_dir / lang, adapter.NAME):
            cached += 1
            continue
        folder = store.work("site-docs") / adapter.NAME / guide.slug / lang
        config = docs.write_docs_folder(inputs, lang, folder, guide.root / docs.CONFIG_NAME,
                                        adapter.SETTINGS, adapter.files())
        adapter.build_language(config, lang, out_dir / lang, inputs.epoch, verbosity)
        finish_language(out_dir / lang, lang, guide.language(lang).dir)
        write_projector(inputs, lang, out_dir / lang)
        sitecache.keep(store, inputs, lang, key, out_dir / lang, adapter.NAME)
        built += 1
    (out_dir / "index.html").write_text(pages.language_index_html(guide, inputs.strings),
                                        encoding="utf-8")
    return Report(built, cached, "built")


def serve_site(prepare: Callable[[str], SiteInputs], lang: str, store: Store, root: Path,
               epoch: str, address: str) -> None:
    """`make serve`: MkDocs' live preview of one language, its docs folder rewritten from
    `prepare(lang)` before every rebuild (see scripts/mkdocs_hooks.py)."""
    folder = store.work("site-serve") / lang  # one preview at a time per language
    # No site_url: MkDocs would serve the preview under its path instead of at the address's root.
    settings = {**mkdocs.SETTINGS, "hooks": [str(mkdocs.HOOKS)], "site_url": None}
    state: dict[str, SiteInputs] = {}

    def refresh() -> Path:
        state["inputs"] = prepare(lang)
        return docs.write_docs_folder(state["inputs"], lang, folder, root / docs.CONFIG_NAME,
                                      settings)

    def finish(site_dir: Path) -> None:
        finish_language(site_dir, lang, state["inputs"].guide.language(lang).dir)
        write_projector(state["inputs"], lang, site_dir)

    mkdocs.serve(refresh(), lang, epoch, refresh, finish, address)


def _engine(name: str):
    try:
        return ENGINES[name]
    except KeyError:
        raise BuildError(f"unknown site engine '{name}'; choose one of {', '.join(ENGINES)}") from None
