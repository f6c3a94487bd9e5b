"""One language's finished web folder, kept by the hash of everything it is made from.

A build whose inputs for a language did not change copies that language's folder from the cache
instead of running MkDocs again; editing one step in one language rebuilds only that language.
An entry is restored only when every file still matches the checksums stored with it: a damaged
entry is rebuilt, never published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from guidebuilder.site.inputs import SiteInputs

PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "mkdocs-glightbox", "nh3")
MANIFEST = "manifest.json"


def _code_files(root: Path) -> list[Path]:
    here = Path(__file__).parent
    files = [root / "mkdocs.yml", root / "scripts" / "mkdocs_hooks.py"]
    files += sorted(here.glob("*.py")) + sorted((here / "templates").rglob("*"))
    files += sorted((root / "overrides").rglob("*")) + sorted((root / "guide" / "pages").rglob("*"))
    return [f for f in files if f.is_file()]


def language_key(inputs: SiteInputs, lang: str) -> str:
    guide = inputs.guide
    digest = hashlib.sha256()
    for part in (
        repr(guide.languages), str(guide.interface_date), str(guide.verified), repr(guide.source),
        guide.public_url, repr(guide.texts[lang]), repr(guide.redact),
        repr([(step.id, step.number, step.image, step.texts[lang]) for step in guide.steps]),
        json.dumps(dict(inputs.strings[lang]), sort_keys=True), os.environ.get("SOURCE_DATE_EPOCH", ""),
        json.dumps({p: metadata.version(p) for p in PACKAGES}, sort_keys=True),
    ):
        digest.update(part.encode() + b"\0")
    for name, path in sorted(inputs.published_files(lang).items()):
        digest.update(f"{name}={Path(path).name}:{Path(path).stat().st_size}\0".encode())
    for path in _code_files(guide.root):
        digest.update(_label(path, guide.root).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _label(path: Path, root: Path) -> str:
    """A code file's name in the key: relative to the project, or to the builder's scripts/ folder
    when the builder runs from another checkout than the project it builds (`--root`)."""
    base = root if path.is_relative_to(root) else Path(__file__).parents[2]
    return path.relative_to(base).as_posix()


def _entry(cache_dir: Path, lang: str, key: str) -> Path:
    return cache_dir / "site" / f"{lang}-{key[:32]}"


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def restore(cache_dir: Path, lang: str, key: str, target: Path) -> bool:
    """Copy a valid cached folder to target; False (and nothing copied) when there is none."""
    entry = _entry(cache_dir, lang, key)
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("key") != key or manifest.get("files") != _checksums(entry):
            shutil.rmtree(entry, ignore_errors=True)
            return False
    except (OSError, ValueError):
        return False
    _copy_tree(entry, target)
    return True


def _copy_tree(source: Path, target: Path) -> None:
    """Copy files one by one, so a full disk raises its own OSError (copytree would bundle it).

    Copies, not hard links: a published file must not change when its cache entry is damaged.
    """
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def store(cache_dir: Path, lang: str, key: str, built: Path) -> None:
    """Keep a copy of a freshly built language folder; older entries of the language are dropped."""
    entry = _entry(cache_dir, lang, key)
    entry.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{lang}-", dir=entry.parent))
    try:
        _copy_tree(built, scratch)
        manifest = {"key": key, "files": _checksums(scratch)}
        (scratch / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        for old in entry.parent.glob(f"{lang}-*"):
            shutil.rmtree(old, ignore_errors=True)
        scratch.rename(entry)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
