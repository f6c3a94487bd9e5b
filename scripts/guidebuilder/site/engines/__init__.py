"""The site engines: thin adapters that run a static-site generator on a language's docs folder.

Each adapter has the same small face: NAME, SETTINGS (its additions to the generated config),
files() (its own files for the docs folder), version() (part of the cache key) and
build_language(config_file, lang, site_dir, epoch, verbosity).
The only modules of the builder that may import MkDocs (tests/test_architecture.py checks it).
"""

NAMES = ("mkdocs", "zensical")  # the first is the default; guidebuilder.site.stage maps them
