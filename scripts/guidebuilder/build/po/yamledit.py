"""Change values of a YAML file in place: every byte outside the changed values stays as it was.

Why not ruamel.yaml's round-trip mode: it keeps comments and key order, but it writes the whole
file again, re-wrapping long lines at its own width, re-indenting lists and re-spacing flow
mappings such as `{title: ..., body: ...}`, so one changed translation would show as many changed
lines in a review. Here the file is composed with PyYAML (it passed the guide's checks just before),
each value's node gives the exact span of its text, and only that span is replaced, written in the
value's own style: "double" or 'single' quotes, plain, or a folded block wrapped like the original.
"""

from __future__ import annotations

import json
import re
import textwrap

import yaml

SAFE_PLAIN = re.compile(r"[^\W\d][\w .'()!?/-]*[\w.!?)]", re.UNICODE)


class Missing(KeyError):
    """The path names no value in the file (a key a translation would have to add)."""


def node_at(root: yaml.Node, path: tuple) -> yaml.Node:
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            raise Missing(path)
    if isinstance(node, yaml.MappingNode):  # a label written {text: ..., unconfirmed: true}
        return node_at(node, ("text",))
    if not isinstance(node, yaml.ScalarNode):
        raise Missing(path)
    return node


def edit(text: str, changes: dict[tuple, str]) -> str:
    """`text` with the value at each path replaced; raises Missing for a path with no value."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    spans = sorted(((node_at(root, path), value) for path, value in changes.items()),
                   key=lambda pair: pair[0].start_mark.index, reverse=True)
    for node, value in spans:  # from the end, so the earlier spans keep their offsets
        start, end = node.start_mark.index, node.end_mark.index
        text = text[:start] + _render(text, node, value) + text[end:]
    return text


def _render(text: str, node: yaml.ScalarNode, value: str) -> str:
    if node.style in (">", "|") and "\n" not in value.strip("\n"):
        return _block(text, node, value)
    if node.style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if node.style is None and SAFE_PLAIN.fullmatch(value) and ": " not in value and " #" not in value \
            and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML "double" string


def _block(text: str, node: yaml.ScalarNode, value: str) -> str:
    """A folded (or literal) block, indented and wrapped like the one it replaces."""
    original = text[node.start_mark.index:node.end_mark.index]
    header, _, body = original.partition("\n")
    lines = [line for line in body.split("\n") if line.strip()]
    indent = re.match(r"\s*", lines[0]).group() if lines else " " * (node.start_mark.column + 2)
    width = max([80, *(len(line) for line in lines)])
    trailing = body[len(body.rstrip("\n")):] or "\n"
    if node.style == "|":
        new = [indent + value.rstrip("\n")]
    else:
        new = textwrap.wrap(value, width=width, initial_indent=indent, subsequent_indent=indent,
                            break_long_words=False, break_on_hyphens=False)
    return header + "\n" + "\n".join(new) + trailing
