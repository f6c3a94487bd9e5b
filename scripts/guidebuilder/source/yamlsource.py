"""Read a YAML file into plain data while remembering the line of every value.

PyYAML's safe loader quietly accepts things a person editing a guide never means: duplicate keys
(the last one wins), anchors and aliases, and plain words it turns into booleans, numbers or dates
(`no`, `1.10`, `2024-07-26`). Here the file is composed into nodes, and the nodes are walked by hand
so each of those becomes a reported problem with its line, instead of silently different data.
libyaml (in PyYAML's wheels) parses the file, eight times faster than PyYAML's parser in Python,
which is used when libyaml is missing; both give the same data and lines (test_validate.py).

Hard limits come first (guidebuilder.limits): the file's size and kind before it is read, the nesting
depth and the number of values while it is composed, and anchors before the nodes are walked. An
alias costs nothing to compose, but walking nine aliases of nine aliases of... ("billion laughs")
never ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from guidebuilder.errors import GuideError, Problem
from guidebuilder.limits import MAX_NESTING, MAX_VALUES, MAX_YAML_BYTES, read_capped

Path_ = tuple[str | int, ...]

# U+202A-U+202E and U+2066-U+2069 can make text display in another order than it is stored.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

_IMPLICIT_KINDS = {
    "tag:yaml.org,2002:bool": "a yes/no value (boolean)",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "nothing (null)",
}


@dataclass
class Source:
    """The data of one YAML file with the line (1-based) of every value and key."""

    file: str
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    key_lines: dict[Path_, int] = field(default_factory=dict)
    # Plain (unquoted) scalars that YAML would read as something other than text.
    implicit: dict[Path_, tuple[str, str]] = field(default_factory=dict)

    def line(self, path: Path_) -> int:
        """The line of the value at path, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


TOO_DEEP = (f"lists and mappings are nested more than {MAX_NESTING} levels deep here (a guide needs "
            "fewer than 10); look for a [ or { that is never closed, or indentation that keeps growing")
TOO_MANY = (f"more than {MAX_VALUES:,} values (texts, lists, mappings) in one file, where a guide "
            "needs about 40 per step and language; check that this is the right file")


# libyaml's own limit (1,000 levels), met first where it reads ahead: a run of [ or { may be a key.
LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


class _Refused(Exception):
    """Composing stopped at a hard limit, on this line."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


class _Composer(Composer, Resolver):
    """Events from a parser (below), composed into nodes here in Python so that each event is seen
    before its node is made: anchors and aliases are noted instead of followed silently, and
    composing stops at MAX_NESTING levels (before the recursive composer goes deeper) or
    MAX_VALUES values. Only nodes are made; _walk turns them into data."""

    def __init__(self):
        Composer.__init__(self)
        Resolver.__init__(self)
        self.anchor_lines: list[tuple[int, str]] = []
        self.depth = 0
        self.values = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.anchor_lines.append((event.start_mark.line + 1, f"alias '*{event.anchor}'"))
        elif getattr(event, "anchor", None):
            self.anchor_lines.append((event.start_mark.line + 1, f"anchor '&{event.anchor}'"))
        if isinstance(event, yaml.CollectionStartEvent) and self.depth >= MAX_NESTING:
            raise _Refused(event.start_mark.line + 1, TOO_DEEP)
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Refused(event.start_mark.line + 1, TOO_MANY)
        self.depth += 1
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self.depth -= 1


class PythonLoader(_Composer, Reader, Scanner, Parser):
    """PyYAML's own parser, written in Python: what reads the files when PyYAML has no libyaml."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Composer.__init__(self)


try:  # libyaml's parser, in PyYAML's wheels: the same events eight times faster (1 ms for 17 KB)
    from yaml._yaml import CParser
except ImportError:  # a PyYAML built without libyaml
    LOADERS: tuple[type[_Composer], ...] = (PythonLoader,)
else:
    class LibyamlLoader(_Composer, CParser):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            _Composer.__init__(self)

    LOADERS = (LibyamlLoader, PythonLoader)


def read_text(path: Path, display: str) -> str:
    """The file's text, refusing what is not clean UTF-8 text."""
    try:
        raw = read_capped(path, display, MAX_YAML_BYTES, "check that this is the right file "
                          "(a guide's YAML file is usually under 100 KB)")
    except OSError as exc:
        raise GuideError(Problem(display, 0, f"cannot read the file ({exc.strerror})")) from None
    problems = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GuideError(
            Problem(display, line, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); "
                    "save it as UTF-8 in your editor")
        ) from None
    for number, line_text in enumerate(text.split("\n"), start=1):
        if "\x00" in line_text:
            problems.append(Problem(display, number, "contains a NUL character; delete it"))
        for match in BIDI_CONTROLS.finditer(line_text):
            problems.append(Problem(
                display, number,
                f"contains the invisible bidirectional control character U+{ord(match.group()):04X} "
                f"(column {match.start() + 1}); delete it, the site sets text direction itself"))
    if problems:
        raise GuideError(problems)
    return text.removeprefix("\ufeff")


def load(path: Path, display: str | None = None, loader: type[_Composer] = LOADERS[0]) -> Source:
    """Parse one YAML file into a Source; every problem is raised together as a GuideError.
    `loader`: which parser reads it (the fastest there is; the tests compare both)."""
    display = display or path.name
    text = read_text(path, display)
    composer = loader(text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if exc.problem == LIBYAML_TOO_DEEP:  # libyaml reads a flow ([ {) ahead of the composer
            raise GuideError(Problem(display, line, TOO_DEEP)) from None
        what = exc.problem or exc.context or "invalid YAML"
        raise GuideError(Problem(
            display, line, f"YAML syntax error at column {col}: {what}; check the indentation, "
            "colons and quotes on this line and the one before")) from None
    except yaml.YAMLError as exc:
        raise GuideError(Problem(display, 0, f"YAML error: {exc}")) from None
    except _Refused as exc:
        raise GuideError(Problem(display, exc.line, exc.message)) from None
    finally:
        composer.dispose()

    if composer.anchor_lines:  # refused before the walk: the walk would follow every alias
        raise GuideError([
            Problem(display, line, f"{what}: anchors and aliases are not allowed; "
                    "write the text out in full where it is needed")
            for line, what in dict.fromkeys(composer.anchor_lines)])  # once per line and name
    if node is None:
        raise GuideError(Problem(display, 1, "the file is empty"))
    source = Source(display, None)
    problems: list[Problem] = []
    source.data = _walk(node, (), source, problems)
    if problems:
        raise GuideError(problems)
    return source


def _walk(node: yaml.Node, path: Path_, source: Source, problems: list[Problem]) -> object:
    source.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.tag in _IMPLICIT_KINDS:  # plain: None, or "" from libyaml
            source.implicit[path] = (_IMPLICIT_KINDS[node.tag], node.value)
            if node.tag == "tag:yaml.org,2002:null":
                return None
            if node.tag == "tag:yaml.org,2002:bool":
                return node.value.lower() in {"yes", "true", "on", "y"}
            if node.tag == "tag:yaml.org,2002:int":
                try:
                    return int(node.value.replace("_", ""), 0)
                except ValueError:
                    return node.value
            if node.tag == "tag:yaml.org,2002:float":
                return node.value  # kept as written; the schema refuses it where text is expected
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_walk(child, (*path, i), source, problems) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key in result:
                first = source.key_lines[(*path, key)]
                problems.append(Problem(
                    source.file, key_line,
                    f"duplicate key '{key}' (already on line {first}); keep only one of them"))
                continue
            source.key_lines[(*path, key)] = key_line
            result[key] = _walk(value_node, (*path, key), source, problems)
        return result
    return None
