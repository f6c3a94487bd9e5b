"""Import rules that matter (STYLE.md, practice 13): no module of the builder imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "guidebuilder"


def imports() -> dict[str, set[str]]:
    """Each guidebuilder module -> the guidebuilder modules it imports (also inside functions and
    `if TYPE_CHECKING:`, since a cycle there is still a cycle for a reader)."""
    found: dict[str, set[str]] = {}
    for file in PACKAGE.rglob("*.py"):
        name = ".".join(file.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        targets = set()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
        found[name] = targets
    return {name: {t for t in targets if t in found and t != name} for name, targets in found.items()}


def cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        name, path = stack.pop()
        for target in sorted(graph[name]):
            if target == start:
                return [*path, target]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_no_import_cycles():
    graph = imports()
    assert "guidebuilder.source.validate" in graph
    cycles = [" -> ".join(c) for name in sorted(graph) if (c := cycle_from(name, graph))]
    assert cycles == []
