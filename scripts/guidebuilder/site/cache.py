"""One language's finished web folder, kept in the store by the hash of everything it is made from.

A build whose inputs for a language did not change copies that language's folder from the store
instead of running the engine again; editing one step in one language rebuilds only that language.
An entry is restored only when every file still matches the checksums stored with it: a damaged
entry is rebuilt, never published.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from guidebuilder.site.inputs import SiteInputs
from guidebuilder.store import Kind, Store

PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "mkdocs-glightbox", "nh3")
# The project's files a language's folder is made from besides the guide (paths from the project
# root; folders count whole). Add a file the engine reads here, and nowhere else.
SITE_FILES = ("mkdocs.yml", "overrides", "scripts/mkdocs_hooks.py", "guide/pages")
# Parts of those folders that make another output: the handouts' templates (the theme does not
# publish them, see NOT_PUBLISHED in scripts/mkdocs_hooks.py).
SITE_SKIP = ("overrides/handout",)
TEMPLATES = Path(__file__).with_name("templates")


def site_kind(root: Path, engine: str = "mkdocs") -> Kind:
    """The site's code: site/ (the engine adapters included), the builder's words, its templates,
    the project's SITE_FILES. Each engine keeps its finished folders apart (site/, site-zensical/)."""
    return Kind("site" if engine == "mkdocs" else f"site-{engine}", packages=("site",),
                modules=("source/strings.py",),
                files=(TEMPLATES, *(root / name for name in SITE_FILES)),
                skip=tuple(root / name for name in SITE_SKIP), libraries=PACKAGES)


def language_key(store: Store, inputs: SiteInputs, lang: str, engine: str = "mkdocs",
                 engine_version: str = "") -> str:
    guide = inputs.guide
    published = {name: hashlib.sha256(Path(path).read_bytes()).hexdigest()
                 for name, path in sorted(inputs.published_files(lang).items())}
    return store.key(
        site_kind(guide.root, engine), engine, engine_version,
        repr(guide.languages), str(guide.interface_date), str(guide.verified), repr(guide.source),
        guide.public_url, repr(guide.texts[lang]), repr(guide.redact), guide.product(lang),
        repr([(note.kind, note.text(lang)) for note in guide.notes]),
        repr([(step.id, step.image, step.shortcut, step.texts[lang]) for step in guide.steps]),
        repr([(path.id, path.steps, path.shortcut, path.title(lang)) for path in guide.paths]),
        repr([(crop.provenance, crop.shows) if (crop := inputs.crop(step.id, lang)) else None
              for step in guide.steps]),
        json.dumps(dict(inputs.strings[lang]), sort_keys=True, default=dict), inputs.epoch,
        published)


def restore(store: Store, inputs: SiteInputs, key: str, target: Path, engine: str = "mkdocs") -> bool:
    """Copy a valid stored folder to target; False (and nothing copied) when there is none."""
    entry = store.get(site_kind(inputs.guide.root, engine), key)
    if entry is None:
        return False
    entry.copy_to(target)
    return True


def keep(store: Store, inputs: SiteInputs, lang: str, key: str, built: Path,
         engine: str = "mkdocs") -> None:
    """Keep a copy of a freshly built language folder."""
    store.put_tree(site_kind(inputs.guide.root, engine), key, built, meta={"lang": lang})
