"""The one cache of the build's expensive outputs, content-addressed, under <cache>/ (`--cache`).

    key = store.key(CROPS, screenshot_digest, repr(step.image))   # sha256, with CROPS' code version
    entry = store.get(CROPS, key)          # an Entry whose files all match their checksums, or None
    entry = store.put(CROPS, key, {"crop@1x.png": png}, meta={"size_1x": [300, 200]})
    store.prune()                          # after a full build: drop what no output used

Layout: <cache>/<kind>/<key>/ holds an entry's files and MANIFEST (their sha256s, the key, small
metadata). An entry appears under its final name in one rename of a finished folder, so a crash or a
full disk never leaves half of one; one whose files no longer match is removed and made again.
`Kind` states what an output's code is (one rule for every kind: its subpackage's .py files, the
shared modules, its templates, its libraries' versions); the stage that makes the output declares it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent  # scripts/guidebuilder
DEFAULT_FOLDER = ".cache"  # under the project, when no --cache is given
MANIFEST = ".entry.json"
SCRATCH_PREFIX = ".put-"  # a put in progress (or killed): never read, pruned once old
SCRATCH_AGE = 3600  # seconds; a younger one may belong to a build still running
WORK = "work"  # <cache>/work/: folders that are not outputs (the handouts' staging folders)
# What every output relies on, whichever stage makes it.
SHARED = ("model.py", "outputs.py", "errors.py", "report.py", "store.py", "platform.py", "limits.py")


@dataclass(frozen=True)
class Kind:
    """One kind of output and the code that makes it; its code version is part of every key."""

    name: str  # the folder under the store
    packages: tuple[str, ...] = ()  # subpackages of guidebuilder: all their .py files
    modules: tuple[str, ...] = ()  # other modules it relies on, e.g. "source/strings.py"
    files: tuple[Path, ...] = ()  # templates, stylesheets, configuration: files or whole folders
    skip: tuple[Path, ...] = ()  # parts of those folders (or modules of those packages) that make
    # some other output
    libraries: tuple[str, ...] = ()  # distributions whose version matters


@dataclass(frozen=True)
class Entry:
    """A verified entry: its folder, its files' checksums by name, and its metadata."""

    path: Path
    files: Mapping[str, str] = field(repr=False)
    meta: Mapping[str, Any]

    def file(self, name: str) -> Path:
        return self.path / name

    def copy_to(self, target: Path) -> None:
        """Copy the files one by one, so a full disk raises its own OSError. Copies, not links:
        a published file must not change when its entry is damaged later."""
        for name in self.files:
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.path / name, destination)


class Store:
    """The store under `root`, and which entries this build asked for (what prune keeps)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._used: dict[str, set[str]] = {}

    @classmethod
    def for_project(cls, project: Path, cache: Path | None = None) -> Store:
        """The store of a project: `cache` (the --cache option), else <project>/.cache."""
        return cls(cache if cache is not None else Path(project) / DEFAULT_FOLDER)

    def key(self, kind: Kind, *parts: bytes | str | Any) -> str:
        """sha256 of the parts and the kind's code version; each part is bytes, str or a JSON value,
        typed and length-prefixed so that two parts can never run together into the same key."""
        digest = hashlib.sha256()
        for part in (kind.name, code_version(kind), *parts):
            tag, data = _encoded(part)
            digest.update(tag + len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def get(self, kind: Kind, key: str) -> Entry | None:
        """The entry, if every file still matches its manifest; a damaged one is removed."""
        self._note(kind, key)
        return self._verified(kind, key)

    def put(self, kind: Kind, key: str, files: Mapping[str, bytes | Path],
            meta: Mapping[str, Any] | None = None) -> Entry:
        """Store files (name -> bytes, or a file to copy) as the entry `key`, all or nothing."""
        self._note(kind, key)
        final = self._path(kind, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=final.parent))
        try:
            checksums = {}
            for name, content in sorted(files.items()):
                target = scratch / _checked_name(name)
                data = content.read_bytes() if isinstance(content, Path) else bytes(content)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                checksums[name] = _sha256(data)
            manifest = {"kind": kind.name, "key": key, "files": checksums, "meta": dict(meta or {})}
            text = json.dumps(manifest, indent=1, sort_keys=True)
            (scratch / MANIFEST).write_text(text, encoding="utf-8")
            stored = Entry(final, checksums, json.loads(text)["meta"])  # as get() will read it
            return self._install(kind, key, scratch, stored)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def put_tree(self, kind: Kind, key: str, folder: Path,
                 meta: Mapping[str, Any] | None = None) -> Entry:
        """Store a copy of every file under `folder` (a language's finished web folder)."""
        files = {path.relative_to(folder).as_posix(): path
                 for path in sorted(folder.rglob("*")) if path.is_file()}
        return self.put(kind, key, files, meta)

    def work(self, name: str) -> Path:
        """A folder kept between builds for work that is not an output; never verified or pruned."""
        return self.root / WORK / name

    def prune(self) -> list[Path]:
        """Remove every entry of each kind this store used that no get or put asked for; return them.

        Call it after a full build only: a build of one language uses only part of what is kept.
        """
        removed = []
        for kind, used in sorted(self._used.items()):
            folder = self.root / kind
            children = sorted(folder.iterdir()) if folder.is_dir() else []
            for child in children:
                if child.name in used or _young_scratch(child):
                    continue
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
                removed.append(child)
        return removed

    def _note(self, kind: Kind, key: str) -> None:
        if len(key) != 64 or not set(key) <= set("0123456789abcdef"):
            raise ValueError(f"not a key of this store: {key!r}")
        self._used.setdefault(kind.name, set()).add(key)

    def _path(self, kind: Kind, key: str) -> Path:
        return self.root / kind.name / key

    def _verified(self, kind: Kind, key: str) -> Entry | None:
        path = self._path(kind, key)
        if not path.is_dir():
            return None
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            files, meta = manifest["files"], manifest["meta"]
            if manifest["key"] != key or _checksums(path) != files:
                raise ValueError("damaged")
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(path, ignore_errors=True)
            return None
        return Entry(path, files, meta)

    def _install(self, kind: Kind, key: str, scratch: Path, entry: Entry) -> Entry:
        try:
            scratch.rename(entry.path)
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
            # Another process (a preview beside a build) stored the same key meanwhile.
            existing = self._verified(kind, key)
            if existing is not None:
                return existing
            scratch.rename(entry.path)
        return entry


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a reader sees the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# -- the code version: one rule for every kind ---------------------------------------------------


def code_files(kind: Kind) -> list[tuple[str, Path]]:
    """(name, file) for everything a kind's code version reads; names never hold absolute paths."""
    named = [(name, PACKAGE / name) for name in SHARED]
    for package in kind.packages:
        named += [(path.relative_to(PACKAGE).as_posix(), path)
                  for path in sorted((PACKAGE / package).rglob("*.py"))
                  if path not in kind.skip]
    named += [(name, PACKAGE / name) for name in kind.modules]
    for item in kind.files:
        if item.is_dir():
            named += [(f"{item.name}/{path.relative_to(item).as_posix()}", path)
                      for path in sorted(item.rglob("*"))
                      if path.is_file() and not any(path.is_relative_to(s) for s in kind.skip)]
        else:
            named.append((item.name, item))
    return named


def code_version(kind: Kind) -> str:
    """Changes when a file of the kind's code or a library it uses changes (re-read only when a
    file's size or time changed, so a long `make serve` still sees an edited template)."""
    stamps = tuple((name, str(path), *_stamp(path)) for name, path in code_files(kind))
    return _hash_code(stamps, tuple((lib, _version(lib)) for lib in kind.libraries))


@lru_cache(maxsize=64)
def _hash_code(stamps: tuple, libraries: tuple) -> str:
    digest = hashlib.sha256(json.dumps(libraries).encode())
    for name, path, *_ in stamps:
        try:
            data = Path(path).read_bytes()
        except OSError:
            data = b"(missing)"
        digest.update(name.encode() + b"\0" + _sha256(data).encode())
    return digest.hexdigest()


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


@cache
def _version(library: str) -> str:
    return version(library)


# -- small helpers -------------------------------------------------------------------------------


def _encoded(part) -> tuple[bytes, bytes]:
    if isinstance(part, bytes | bytearray | memoryview):
        return b"b", bytes(part)
    if isinstance(part, str):
        return b"s", part.encode()
    return b"j", json.dumps(part, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checksums(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): _sha256(path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != MANIFEST}


def _checked_name(name: str) -> str:
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or ".." in parts or Path(name).name == MANIFEST:
        raise ValueError(f"not a file name inside an entry: {name!r}")
    return name


def _young_scratch(path: Path) -> bool:
    if not path.name.startswith(SCRATCH_PREFIX):
        return False
    try:
        return time.time() - path.stat().st_mtime < SCRATCH_AGE
    except OSError:
        return False
