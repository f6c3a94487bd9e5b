"""One language's docs folder: everything an engine needs, written under the store, for any engine.

    config_file = write_docs_folder(inputs, "ar", folder, root / "mkdocs.yml")

    folder/mkdocs.yml     the complete config of this language: the project's mkdocs.yml with what
                          steps.yaml says (site name, description, address, language, search
                          language, switcher) and absolute paths to the docs and the theme overrides
    folder/docs/          the generated page (index.md), the crops, handouts and web fonts, and the
                          hand-written pages of guide/pages/

The engine then runs on that config alone: no hook, no virtual file, nothing it has to be handed
while it runs, so an engine that reads mkdocs.yml but runs no MkDocs hook (Zensical) builds the same
page. Core code: the config is read and written with PyYAML, never with MkDocs.
Only files whose bytes differ are written, so rewriting an unchanged folder changes nothing (a live
preview watching it does not rebuild again).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from guidebuilder.errors import BuildError
from guidebuilder.model import Guide
from guidebuilder.site import pages
from guidebuilder.site.inputs import SiteInputs

CONFIG_NAME = "mkdocs.yml"
DOCS = "docs"
PAGE = "index.md"
# Material's offline plugin loads this shim from a CDN unless a polyfill names it: we serve our own.
SHIM = "assets/javascripts/iframe-worker/shim.js"  # vendored from npm, see its LICENSE


def write_docs_folder(inputs: SiteInputs, lang: str, folder: Path, base_file: Path,
                      settings: Mapping[str, Any] | None = None,
                      engine_files: Mapping[str, Path] | None = None) -> Path:
    """Write (or bring up to date) folder/docs/ and folder/mkdocs.yml for `lang`; return the config
    file. `settings` are an engine's own additions to the config, merged in last (mappings merged,
    lists extended), and `engine_files` its own files for the docs folder."""
    base = read_base(base_file)
    docs = folder / DOCS
    files = docs_files(inputs, lang, base_file.parent / base.get("docs_dir", "docs"))
    files.update(engine_files or {})
    config = language_config(inputs.guide, lang, base, base_file.parent, docs)
    _merge(config, settings or {})
    text = (f"# Made by the guide builder from {base_file.name} and steps.yaml for [{lang}]; "
            "made again on every build: do not edit.\n"
            + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100))
    sync_folder(files, docs)
    config_file = folder / CONFIG_NAME
    _write_if_changed(config_file, text.encode())
    return config_file


def read_base(base_file: Path) -> dict[str, Any]:
    """The project's mkdocs.yml, as plain YAML (no `!ENV`: each language's config says its own)."""
    try:
        config = yaml.safe_load(base_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        detail = " ".join(str(exc).split())
        raise BuildError(f"{base_file.name}: cannot be read as plain YAML: {detail}") from None
    if not isinstance(config, dict) or not isinstance(config.get("theme"), dict):
        raise BuildError(f"{base_file.name}: expected a mapping with a `theme:` mapping")
    return config


def docs_files(inputs: SiteInputs, lang: str, pages_dir: Path) -> dict[str, bytes | Path]:
    """Path inside the docs folder -> its content (bytes) or the file to copy."""
    files: dict[str, bytes | Path] = {}
    if pages_dir.is_dir():
        for path in sorted(pages_dir.rglob("*")):
            name = path.relative_to(pages_dir).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in name.split("/")):
                files[name] = path
    generated: dict[str, bytes | Path] = {PAGE: pages.guide_markdown(inputs, lang).encode()}
    generated.update(inputs.published_files(lang))
    clash = sorted(set(files) & set(generated))
    if clash:
        raise BuildError(f"{pages_dir.name}/{clash[0]}: the builder makes a file of that name; "
                         "rename the hand-written one")
    return files | generated


def language_config(guide: Guide, lang: str, base: Mapping[str, Any], root: Path,
                    docs: Path) -> dict[str, Any]:
    """The base config completed for one language; paths made absolute (the config lives elsewhere)."""
    text = guide.text(lang)
    config = {"site_name": text.title, "site_description": text.summary,
              "site_url": guide.url_for(lang)}
    config.update((key, copy.deepcopy(value)) for key, value in base.items() if key not in config)
    config["docs_dir"] = docs.name  # beside the config (Zensical 0.0.73 panics on an absolute one)
    theme = config["theme"]
    theme["language"] = lang
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    extra = config.get("extra") or {}
    extra["alternate"] = alternate_links(guide)
    extra["polyfills"] = [*(url for url in extra.get("polyfills", []) if "iframe-worker" not in url),
                          SHIM]
    config["extra"] = extra
    config["plugins"] = [_search_in(plugin, lang) for plugin in config.get("plugins", [])]
    if config.get("watch"):
        config["watch"] = [str((root / path).resolve()) for path in config["watch"]
                           if (root / path).exists()]  # guides/ exists only on a shelf
    return config


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (exclude_docs) written as the block they are in mkdocs.yml."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def alternate_links(guide: Guide) -> list[dict[str, str]]:
    """Material's language switcher: relative links, so it works from file:// too."""
    return [{"name": lang.name, "link": f"../{lang.code}/index.html", "lang": lang.code}
            for lang in guide.languages]


def _search_in(plugin: str | dict[str, Any], lang: str) -> str | dict[str, Any]:
    """The search plugin with this language's rules (Material would leave Arabic on English ones)."""
    if plugin == "search":
        return {"search": {"lang": lang}}
    if isinstance(plugin, dict) and "search" in plugin:
        return {"search": {**(plugin["search"] or {}), "lang": lang}}
    return plugin


def _merge(config: dict[str, Any], settings: Mapping[str, Any]) -> None:
    for key, value in settings.items():
        if isinstance(value, Mapping) and isinstance(config.get(key), dict):
            _merge(config[key], value)
        elif isinstance(value, list) and isinstance(config.get(key), list):
            config[key] = [*config[key], *copy.deepcopy(value)]
        else:
            config[key] = copy.deepcopy(value)


def sync_folder(files: Mapping[str, bytes | Path], folder: Path) -> bool:
    """Make folder hold exactly `files`, writing only those that differ; True if anything changed."""
    changed = False
    for name, content in sorted(files.items()):
        data = content if isinstance(content, bytes) else Path(content).read_bytes()
        changed |= _write_if_changed(folder / name, data)
    wanted = {folder / name for name in files}
    for path in sorted(folder.rglob("*"), reverse=True):  # files before the folders holding them
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in wanted:
            path.unlink()
            changed = True
    return changed


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        if path.is_dir():
            shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
