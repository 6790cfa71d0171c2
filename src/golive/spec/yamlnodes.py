"""Plain YAML to Python data, remembering where each key and value is written.

PyYAML's ``compose`` keeps the position of every node; this module turns that
node tree into dicts, lists and scalars and records, for each location (a tuple
of keys and list indexes), the value node and the key node. Duplicate keys,
custom tags and recursive aliases are reported as problems instead of being
silently resolved the way ``yaml.safe_load`` would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

import yaml

Loc: TypeAlias = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
# A spec is a few hundred nodes; this stops alias bombs ("billion laughs") early.
MAX_NODES = 100_000


@dataclass(frozen=True)
class Located:
    """The YAML nodes of one location: its value and the key that names it."""

    value: yaml.Node
    key: yaml.Node


@dataclass
class Document:
    """Data converted from YAML, the nodes of every location, and the problems met."""

    data: Any
    text: str
    nodes: dict[Loc, Located] = field(default_factory=dict)
    problems: list[tuple[yaml.Node, str]] = field(default_factory=list)


_Pair: TypeAlias = tuple[yaml.Node, yaml.Node, bool]


class _TooLarge(Exception):
    """The document expands to more than MAX_NODES nodes."""


class _Converter:
    def __init__(self, text: str) -> None:
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0
        self.doc = Document(data=None, text=text)

    def convert(self, node: yaml.Node, key: yaml.Node, loc: Loc, stack: tuple[int, ...]) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        if id(node) in stack:
            self.doc.problems.append((node, "recursive alias: this node contains itself"))
            return None
        self.doc.nodes[loc] = Located(node, key)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc, (*stack, id(node)))
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, "seq")
            return [
                self.convert(item, item, (*loc, i), (*stack, id(node)))
                for i, item in enumerate(node.value)
            ]
        return self.scalar(node)

    def check_tag(self, node: yaml.Node, *allowed: str) -> bool:
        if node.tag in {_TAG + name for name in allowed}:
            return True
        self.doc.problems.append(
            (node, f"unsupported tag '{node.tag}'; golive.yaml is plain YAML without tags")
        )
        return False

    def scalar(self, node: yaml.Node) -> Any:
        tag = node.tag.removeprefix(_TAG)
        if tag in ("null", "bool", "int", "float"):
            return getattr(self.constructor, f"construct_yaml_{tag}")(node)
        # Dates stay the text they were written as: no spec key holds a timestamp.
        if self.check_tag(node, "str", "timestamp"):
            return node.value
        return None

    def key_of(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.doc.problems.append((node, "a key must be a plain name, not a mapping or a list"))
            return None
        # Keys are names: ``on:`` is the key "on", not the boolean true.
        self.check_tag(node, "str", "null", "bool", "int", "float", "timestamp")
        return str(node.value)

    def pairs(self, node: yaml.MappingNode, stack: tuple[int, ...]) -> list[_Pair]:
        """Key/value nodes, explicit ones first, then those of ``<<`` merges (earlier wins)."""
        explicit: list[_Pair] = []
        merged: list[_Pair] = []
        for key_node, value_node in node.value:
            if key_node.tag != _TAG + "merge":
                explicit.append((key_node, value_node, True))
                continue
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.doc.problems.append((source, "'<<' merges only mappings"))
                elif id(source) in stack:
                    self.doc.problems.append((source, "recursive alias: this node contains itself"))
                else:
                    inner = self.pairs(source, (*stack, id(source)))
                    merged.extend((k, v, False) for k, v, _ in inner)
        return explicit + merged

    def mapping(self, node: yaml.MappingNode, loc: Loc, stack: tuple[int, ...]) -> dict[str, Any]:
        self.check_tag(node, "map")
        result: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for key_node, value_node, explicit in self.pairs(node, stack):
            key = self.key_of(key_node)
            if key is None:
                continue
            if key in first:
                if explicit:
                    line = first[key].start_mark.line + 1
                    self.doc.problems.append(
                        (key_node, f"duplicate key '{key}'; it is already set on line {line}")
                    )
                continue
            first[key] = key_node
            result[key] = self.convert(value_node, key_node, (*loc, key), stack)
        return result


def compose(text: str) -> Document:
    """Convert YAML ``text`` (one document); raise ``yaml.YAMLError`` on a syntax error."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return Document(data=None, text=text)
    converter = _Converter(text)
    try:
        converter.doc.data = converter.convert(root, root, (), ())
    except _TooLarge:
        converter.doc.problems.append(
            (root, f"the document expands to more than {MAX_NODES} nodes; check its aliases")
        )
        converter.doc.data = None
    return converter.doc
