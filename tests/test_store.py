"""The one store: keys, verified entries, all-or-nothing writes, pruning, and the code-version rule.

The rule is tested on a copy of the builder, edited file by file, each state's keys computed in a
fresh process: editing capture/ changes no key, images/annotate.py only the images' keys,
overrides/handout/handout.css only the handouts' keys.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cropkit import guide_of, make_project
from guidebuilder.images.crops import CROPS, render_crops
from guidebuilder.store import MANIFEST, SCRATCH_AGE, Kind, Store, atomic_write, code_files
from test_architecture import PACKAGE, graph

ROOT = Path(__file__).resolve().parents[1]
KIND = Kind("things")
OTHER = Kind("others")


def key(n: int) -> str:
    return f"{n:064x}"


# -- keys ----------------------------------------------------------------------------------------


def test_a_key_changes_with_each_part_and_only_with_them(tmp_path: Path):
    store = Store(tmp_path)
    parts = (b"\x89PNG", "around nav", {"scale": 2, "rtl": False}, [1, 2], None)
    assert store.key(KIND, *parts) == Store(tmp_path / "elsewhere").key(KIND, *parts)
    changed = [
        (b"\x89PNG!", *parts[1:]), (parts[0], "around menu", *parts[2:]),
        (*parts[:2], {"scale": 2, "rtl": True}, *parts[3:]), (*parts[:3], [2, 1], None),
        (*parts[:4], "1722000000"), parts[:4], (*parts, ""),
    ]
    keys = {store.key(KIND, *variant) for variant in changed} | {store.key(KIND, *parts)}
    assert len(keys) == len(changed) + 1
    assert store.key(OTHER, *parts) != store.key(KIND, *parts)


def test_parts_never_run_together(tmp_path: Path):
    store = Store(tmp_path)
    assert store.key(KIND, "ab", "c") != store.key(KIND, "a", "bc")
    assert len({store.key(KIND, "1"), store.key(KIND, 1), store.key(KIND, b"1"), store.key(KIND, [1])}) == 4
    assert store.key(KIND, {"b": 1, "a": 2}) == store.key(KIND, {"a": 2, "b": 1})  # JSON, sorted


def test_a_key_follows_the_kinds_files_and_libraries(tmp_path: Path):
    templates = tmp_path / "templates"
    (templates / "handout").mkdir(parents=True)
    (templates / "page.css").write_text("a {}", encoding="utf-8")
    (templates / "handout" / "print.css").write_text("b {}", encoding="utf-8")
    kind = Kind("pages", files=(templates,), skip=(templates / "handout",), libraries=("Pillow",))
    store = Store(tmp_path / "cache")
    before = store.key(kind, "same")
    (templates / "handout" / "print.css").write_text("b { color: red }", encoding="utf-8")
    assert store.key(kind, "same") == before  # skipped: it makes another output
    (templates / "page.css").write_text("a { color: red }", encoding="utf-8")
    assert store.key(kind, "same") != before
    assert store.key(Kind("pages", files=(templates,), skip=(templates / "handout",)), "same") != \
        store.key(kind, "same")  # the library's version is part of it


# -- entries -------------------------------------------------------------------------------------


def test_put_then_get(tmp_path: Path):
    source = tmp_path / "source.pdf"
    source.write_bytes(b"%PDF-1.7 copied")
    store = Store(tmp_path / "cache")
    put = store.put(KIND, key(1), {"a.png": b"png", "sub/b.pdf": source}, meta={"size": (3, 4)})
    got = Store(tmp_path / "cache").get(KIND, key(1))
    assert got == put
    assert got.path == tmp_path / "cache" / "things" / key(1)
    assert got.file("a.png").read_bytes() == b"png"
    assert got.file("sub/b.pdf").read_bytes() == b"%PDF-1.7 copied"
    assert got.meta == {"size": [3, 4]}
    assert Store(tmp_path / "cache").get(KIND, key(2)) is None
    got.copy_to(tmp_path / "published")
    assert sorted(p.relative_to(tmp_path / "published").as_posix()
                  for p in (tmp_path / "published").rglob("*") if p.is_file()) == ["a.png", "sub/b.pdf"]


@pytest.mark.parametrize("name", ["../x", "/etc/x", MANIFEST, "a/" + MANIFEST])
def test_file_names_stay_inside_the_entry(tmp_path: Path, name: str):
    with pytest.raises(ValueError, match="not a file name inside an entry"):
        Store(tmp_path).put(KIND, key(1), {name: b"x"})
    assert Store(tmp_path).get(KIND, key(1)) is None


def test_keys_are_hex_digests(tmp_path: Path):
    with pytest.raises(ValueError, match="not a key"):
        Store(tmp_path).get(KIND, "../../etc")


DAMAGE = {
    "truncated file": lambda entry: entry.file("a.png").write_bytes(b"pn"),
    "edited file": lambda entry: entry.file("a.png").write_bytes(b"PNG"),
    "missing file": lambda entry: entry.file("a.png").unlink(),
    "extra file": lambda entry: entry.file("b.png").write_bytes(b"stray"),
    "missing manifest": lambda entry: (entry.path / MANIFEST).unlink(),
    "broken manifest": lambda entry: (entry.path / MANIFEST).write_text("{", encoding="utf-8"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_is_not_returned_and_is_removed(tmp_path: Path, damage: str):
    entry = Store(tmp_path).put(KIND, key(1), {"a.png": b"png"})
    DAMAGE[damage](entry)
    assert Store(tmp_path).get(KIND, key(1)) is None
    assert not entry.path.exists()


@pytest.mark.parametrize("damage", ["truncated file", "edited file", "missing manifest"])
def test_a_damaged_crop_is_drawn_again(tmp_path: Path, damage: str):
    root = make_project(tmp_path / "project")
    first = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    crop = first["click-button", "fr"]
    good = crop.path_1x.read_bytes()
    if damage == "truncated file":
        crop.path_1x.write_bytes(good[: len(good) // 2])
    elif damage == "edited file":
        crop.path_1x.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    else:
        (crop.path_1x.parent / MANIFEST).unlink()
    second = render_crops(guide_of(root), Store(tmp_path / "cache"), jobs=1)
    assert (second.report.made, second.report.reused) == (1, 1)
    assert second == first
    assert crop.path_1x.read_bytes() == good


# -- all or nothing ------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith("."))


def test_a_put_that_fails_midway_leaves_no_entry(tmp_path: Path, monkeypatch):
    store = Store(tmp_path)
    real = Path.write_bytes
    written = []

    def disk_full_at_the_second_file(path: Path, data: bytes):
        written.append(path)
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full_at_the_second_file)
    with pytest.raises(OSError, match="No space left"):
        store.put(KIND, key(1), {"a.png": b"png", "b.png": b"png", "c.png": b"png"})
    monkeypatch.undo()
    assert store.get(KIND, key(1)) is None
    assert sorted(p.name for p in (tmp_path / "things").iterdir()) == []  # nor a scratch folder


def test_a_put_interrupted_by_a_missing_source_leaves_no_entry(tmp_path: Path):
    store = Store(tmp_path)
    with pytest.raises(FileNotFoundError):
        store.put(KIND, key(1), {"a.png": b"png", "b.png": tmp_path / "gone.png"})
    assert store.get(KIND, key(1)) is None
    assert list((tmp_path / "things").iterdir()) == []


def test_a_killed_put_is_never_read_and_pruned_once_old(tmp_path: Path):
    store = Store(tmp_path)
    store.put(KIND, key(1), {"a.png": b"png"})
    killed = tmp_path / "things" / ".put-killed"  # what kill -9 during a put leaves
    killed.mkdir()
    (killed / "a.png").write_bytes(b"half")
    running = tmp_path / "things" / ".put-running"  # another build's put, still going
    running.mkdir()
    old = killed.stat().st_mtime - SCRATCH_AGE - 60
    os.utime(killed, (old, old))
    store.get(KIND, key(1))
    assert store.prune() == [killed]
    assert running.exists()


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path: Path, monkeypatch):
    target = tmp_path / "deep" / "page.png"
    atomic_write(target, b"first")
    assert target.read_bytes() == b"first"

    def crash(self, other):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError):
        atomic_write(target, b"second")
    monkeypatch.undo()
    assert target.read_bytes() == b"first"
    assert leftovers(tmp_path) == []


# -- pruning -------------------------------------------------------------------------------------


def test_prune_removes_exactly_the_entries_no_build_used(tmp_path: Path):
    old = Store(tmp_path)
    for n in (1, 2, 3):
        old.put(KIND, key(n), {"a": b"%d" % n})
    old.put(OTHER, key(9), {"a": b"9"})
    (tmp_path / "things" / "3f2a@1x.png").write_bytes(b"a file of the cache's former layout")
    (old.work("handouts") / "fr").mkdir(parents=True)

    build = Store(tmp_path)
    assert build.get(KIND, key(1)) is not None
    build.put(KIND, key(4), {"a": b"4"})
    assert build.get(KIND, key(5)) is None  # asked for and missing: nothing to keep, nothing to drop
    removed = build.prune()
    assert sorted(removed) == [tmp_path / "things" / name for name in (key(2), key(3), "3f2a@1x.png")]
    assert sorted(p.name for p in (tmp_path / "things").iterdir()) == [key(1), key(4)]
    assert Store(tmp_path).get(OTHER, key(9)) is not None  # a kind this build never touched
    assert (tmp_path / "work" / "handouts" / "fr").is_dir()  # work folders are not entries


# -- the code-version rule -----------------------------------------------------------------------


def builder_copy(dest: Path) -> Path:
    """What the keys are computed from: the code, the theme and the configuration."""
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("scripts", "overrides", "guide/pages"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


KEYS = """
import json, sys
from pathlib import Path
from guidebuilder.handout.stage import HANDOUTS
from guidebuilder.images.checks import VERIFIED
from guidebuilder.images.crops import CROPS
from guidebuilder.site.cache import site_kind
from guidebuilder.site.webfonts import FONTS
from guidebuilder.store import Store
kinds = {"crops": CROPS, "verified": VERIFIED, "handouts": HANDOUTS, "fonts": FONTS,
         "site": site_kind(Path(sys.argv[1]))}
print(json.dumps({name: Store(Path(sys.argv[1]) / "cache").key(kind, "same inputs")
                  for name, kind in kinds.items()}))
"""


def keys_of(copy: Path) -> dict[str, str]:
    result = subprocess.run([sys.executable, "-c", KEYS, str(copy)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(copy / "scripts")}, timeout=120,
                            check=True)
    return json.loads(result.stdout)


def test_each_output_is_keyed_by_its_own_code_only(tmp_path: Path):
    copy = builder_copy(tmp_path / "builder")
    edits = [  # (file edited, the keys that must change)
        ("scripts/guidebuilder/capture/shoot.py", set()),
        ("scripts/guidebuilder/images/annotate.py", {"crops", "verified"}),
        ("overrides/handout/handout.css", {"handouts"}),
        ("scripts/guidebuilder/handout/document.py", {"handouts"}),
        ("overrides/assets/stylesheets/guide.css", {"site"}),
        ("mkdocs.yml", {"site"}),
        ("scripts/guidebuilder/source/strings.py", {"handouts", "fonts", "site"}),
        ("scripts/guidebuilder/model.py", {"crops", "verified", "handouts", "fonts", "site"}),
    ]
    before = keys_of(copy)
    for name, expected in edits:
        path = copy / name
        comment = "/* edited */\n" if name.endswith(".css") else "# edited\n"
        path.write_text(path.read_text(encoding="utf-8") + comment, encoding="utf-8")
        after = keys_of(copy)
        assert {kind for kind in after if after[kind] != before[kind]} == expected, name
        before = after


def test_the_code_version_covers_every_module_a_stage_imports():
    from guidebuilder.handout.kit import KIT
    from guidebuilder.handout.stage import HANDOUTS
    from guidebuilder.images.checks import VERIFIED
    from guidebuilder.site.cache import site_kind
    from guidebuilder.site.webfonts import FONTS

    edges = graph(PACKAGE)
    for kind in (CROPS, VERIFIED, HANDOUTS, KIT, FONTS, site_kind(ROOT)):
        hashed = {name for name, _ in code_files(kind)}
        # the kind's own modules: those of its package that its code version reads
        own = [module for module in edges if module.split(".")[1:2] == [kind.packages[0]]
               and "/".join(module.split(".")[1:]) + ".py" in hashed | {
                   f"{kind.packages[0]}/__init__.py"}]
        imported = {target for module in own for target in edges[module]
                    if not target.startswith("external:") and (PACKAGE.parent / target.replace(
                        ".", "/")).with_suffix(".py").is_file()}
        missing = {t for t in imported if "/".join(t.split(".")[1:]) + ".py" not in hashed}
        assert missing == set(), kind.name


# -- --cache -------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", ["before", "after"])
def test_check_build_and_serve_take_the_cache_option(tmp_path: Path, monkeypatch, position: str):
    from types import SimpleNamespace

    from guidebuilder import cli
    from guidebuilder.build import orchestrator

    seen = {}

    def check(root, cache, guide):
        seen["check"] = cache
        return SimpleNamespace(selected=(), warnings=())

    monkeypatch.setattr(orchestrator, "check", check)
    monkeypatch.setattr(orchestrator, "build", lambda *a, cache, **k: seen.update(build=cache))
    monkeypatch.setattr(orchestrator, "serve", lambda *a, cache, **k: seen.update(serve=cache))
    store = tmp_path / "store"
    for command in (["check"], ["build"], ["serve", "--lang", "ar"]):
        option = ["--cache", str(store)]
        argv = [*option, *command] if position == "before" else [*command, *option]
        assert cli.main(["--root", str(tmp_path), *argv]) == 0
    assert seen == {"check": store, "build": store, "serve": store}
    for command in (["check"], ["build"], ["serve"]):
        assert cli.main(["--root", str(tmp_path), *command]) == 0
    assert seen == {"check": None, "build": None, "serve": None}  # the default: <root>/.cache
