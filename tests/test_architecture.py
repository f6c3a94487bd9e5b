"""The import rules that keep the data flow one way, read from the code itself (an AST walk).

Every import counts, also those inside functions; only imports under `if TYPE_CHECKING:` are left
out (they never run). The rules are tested on small made-up packages first, so a rule that could
never fail would be seen failing here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "guidebuilder"
STAGES = ("source", "images", "capture", "handout", "site", "build")
# The only modules allowed to import a site engine: the engine adapters (thin layers over the core).
ADAPTERS = ("guidebuilder.site.engines",)
ENGINE_LIBRARIES = {"mkdocs", "material", "zensical"}
# stage -> stages it must never import
FORBIDDEN = {
    "source": {"images", "capture", "handout", "site", "build"},
    "images": {"capture", "handout", "site", "build"},
    "capture": {"handout", "site", "build"},
    "handout": {"images", "capture", "site", "build"},
    "site": {"images", "capture", "handout", "build"},
}
TOP_LEVEL_MAY_NOT = set(STAGES)  # errors, model, store, platform, outputs: below every stage
ENTRY_POINTS = {"guidebuilder.cli", "guidebuilder.__main__"}


def module_name(path: Path, package: Path) -> str:
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path, name: str) -> set[str]:
    """Every module this file imports at run time, as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    is_package = path.name == "__init__.py"

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = name.split(".")
                    anchor = anchor[: len(anchor) - child.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in child.names)
            visit(child)

    visit(tree)
    return found


def graph(package: Path) -> dict[str, set[str]]:
    """module -> the package's own modules it imports (plus external top-level names)."""
    modules = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    edges = {}
    for name, path in modules.items():
        own, external = set(), set()
        for target in imports_of(path, name):
            if target.split(".")[0] == package.name:
                while target and target not in modules:  # `from pkg.mod import function`
                    target = target.rpartition(".")[0]
                if target and target != name:
                    own.add(target)
            else:
                external.add(target.split(".")[0])
        edges[name] = own | {f"external:{e}" for e in external}
    return edges


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def _parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def violations(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(edges.items()):
        stage = _stage(module)
        for target in sorted(targets):
            if target.startswith("external:"):
                library = target.removeprefix("external:")
                if library in ENGINE_LIBRARIES and not module.startswith(ADAPTERS):
                    found.append(f"{module} imports {library}: only {', '.join(ADAPTERS)} may")
                continue
            if target in _parents(module):
                continue  # a package's __init__ is its own docstring, not a stage
            other = _stage(target)
            if stage and other in FORBIDDEN.get(stage, ()):
                found.append(f"{module} imports {target}: {stage}/ must not import {other}/")
            if stage is None and module not in ENTRY_POINTS and other in TOP_LEVEL_MAY_NOT:
                found.append(f"{module} imports {target}: shared modules sit below every stage")
    return found + [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(edges)]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of modules (Tarjan), written as a path that closes."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                groups.append([*sorted(group), sorted(group)[0]])

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return groups


def make_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "guidebuilder"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


@pytest.mark.parametrize(("files", "expected"), [
    ({"source/read.py": "from guidebuilder.images import crops\n", "images/crops.py": ""},
     "guidebuilder.source.read imports guidebuilder.images.crops: source/ must not import images/"),
    ({"capture/shoot.py": "def f():\n    from guidebuilder.site import pages\n", "site/pages.py": ""},
     "guidebuilder.capture.shoot imports guidebuilder.site.pages: capture/ must not import site/"),
    ({"handout/stage.py": "from ..images.crops import render\n", "images/crops.py": ""},
     "guidebuilder.handout.stage imports guidebuilder.images.crops: handout/ must not import images/"),
    ({"site/pages.py": "import mkdocs.config\n"},
     "guidebuilder.site.pages imports mkdocs: only guidebuilder.site.engines may"),
    ({"site/docs.py": "from zensical import build\n"},
     "guidebuilder.site.docs imports zensical: only guidebuilder.site.engines may"),
    ({"model.py": "from guidebuilder.build import run\n", "build/__init__.py": ""},
     "guidebuilder.model imports guidebuilder.build: shared modules sit below every stage"),
    ({"a.py": "from guidebuilder import b\n", "b.py": "import guidebuilder.a\n"},
     "import cycle: guidebuilder.a -> guidebuilder.b -> guidebuilder.a"),
])
def test_each_rule_catches_its_violation(tmp_path: Path, files: dict[str, str], expected: str):
    assert violations(graph(make_package(tmp_path, files))) == [expected]


def test_allowed_imports_pass(tmp_path: Path):
    package = make_package(tmp_path, {
        "site/engines/mkdocs.py": "import mkdocs.commands.build\nfrom guidebuilder.site import pages\n",
        "site/pages.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from guidebuilder.images.crops import Crop\n",
        "images/crops.py": "from guidebuilder.model import Guide\n", "model.py": "",
        "build/run.py": "from guidebuilder.images import crops\nfrom guidebuilder.site import pages\n",
    })
    assert violations(graph(package)) == []


def test_the_builder_follows_the_import_rules():
    edges = graph(PACKAGE)
    assert {"guidebuilder.source.validate", "guidebuilder.build.orchestrator"} <= set(edges)
    assert violations(edges) == []
