"""YAML read safely into positioned nodes: any YAML file the project reads (scenarios, `expect` blocks).

Nothing is constructed from tags, so nothing in the input runs. The nodes are built from the parser's event
stream with an explicit stack (no recursion), bounded in depth (MAX_DEPTH) and in what aliases expand to
(MAX_NODES); the file itself is read by the policy of `treatylang.source.files`. Every problem is a located
TreatyError, in the project's own words: a message of the YAML library is only ever the detail after
"not valid YAML: ", and none is needed to know what went wrong with a limit the project sets.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import yaml

from treatylang.source import files
from treatylang.source.diagnostics import Diagnostic, TreatyError, located
from treatylang.source.spans import Span, line_column

MAX_NODES = 200_000  # values, counting what aliases expand to
MAX_DEPTH = 64  # nested collections, counting those an alias names

TOO_DEEP = f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)"
TOO_MANY = f"the YAML expands to more than {MAX_NODES:,} values (aliases?)"


@attrs.frozen
class Node:
    """A YAML value with where it stands."""

    value: Any  # str | list[Node] | dict[str, tuple[Node, Node]] (key node, value node) | None
    line: int
    column: int
    end_line: int
    end_column: int


@attrs.frozen
class Document:
    """A YAML file read once: its name, its text (messages quote its lines) and its root node (None: empty)."""

    file: str
    text: str = attrs.field(repr=False)
    root: Node | None = attrs.field(repr=False)

    def top(self, key: str) -> Node | None:
        """The value of a top-level key, when the document is a mapping that has it."""
        if self.root is None or not isinstance(self.root.value, dict) or key not in self.root.value:
            return None
        return self.root.value[key][1]

    def has(self, key: str) -> bool:
        return self.root is not None and isinstance(self.root.value, dict) and key in self.root.value


class NodeReader:
    """Collects located problems about the positioned YAML nodes of one file.

    A problem's hint may be a function: it is called only for the problems that are reported, the first
    `files.MAX_ERRORS` of the file (exact repeats once), so a file of many errors costs no more hints than that.
    """

    def __init__(self, filename: str, text: str):
        self.filename = filename
        self.text = text
        self.problems: list[tuple] = []  # (span, message, hint: a text, a function giving one, or None)

    def span(self, node) -> Span:
        if isinstance(node, Node):
            return Span(self.filename, node.line, node.column, node.end_line, node.end_column)
        return Span(self.filename, 1, 1, 1, 1)

    def error(self, node, message: str, hint=None) -> None:
        self.problems.append((self.span(node), message, hint))

    def fail(self, line: int, column: int, message: str, hint: str | None = None):
        raise TreatyError([located(Span(self.filename, line, column, line, column + 1), message, self.text,
                                   hint=hint, yaml=True)])

    def fail_at(self, mark, message: str):
        """Fail where a YAML event or error mark stands (0-based)."""
        self.fail(mark.line + 1, mark.column + 1, message)

    def diagnostics(self) -> list[Diagnostic]:
        """The problems to report, in the file's order: the first MAX_ERRORS, then a line counting the rest."""
        unique: dict = {}
        for span, message, hint in self.problems:
            unique.setdefault((span, message), hint)
        order = sorted(unique, key=lambda k: (k[0].line, k[0].column, k[1]))
        shown = [located(span, message, self.text, hint=_hint(unique[span, message]), yaml=True)
                 for span, message in order[:files.MAX_ERRORS]]
        rest = order[files.MAX_ERRORS:]
        if rest:
            shown.append(files.more_errors(rest[0][0], len(rest), 0))
        return shown

    def raise_problems(self) -> None:
        if self.problems:
            raise TreatyError(self.diagnostics())


def _hint(hint) -> str | None:
    return hint() if callable(hint) else hint


# Characters YAML allows in a stream (YAML 1.1, 5.1): tab, line breaks and printable characters.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PYTHON_LOADER = yaml.SafeLoader
_LOADER = (getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None) or _PYTHON_LOADER
_RESOLVER = yaml.resolver.Resolver()


def read_document(path: str, data: bytes | None = None) -> Document:
    """A YAML file read into nodes (`data`: its bytes, when they were read already)."""
    data = files.read_bytes(path) if data is None else data
    text = files.checked_text(path, data, yaml=True)
    return Document(path, text, read_yaml(path, text))


def read_yaml(filename: str, text: str) -> Node | None:
    """A YAML text as positioned nodes (None when it holds no document); raises a located TreatyError."""
    reader = NodeReader(filename, text)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = line_column(text, bad.start(), yaml=True)
        char = bad.group()
        reader.fail(line, column, f"not valid YAML: the character {char!r} (U+{ord(char):04X}) is not allowed")
    try:
        return _NodeBuilder(reader).build(text, _LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = TOO_DEEP if _libyaml_limit(e) else f"not valid YAML: {e.problem or e.context}"
        if mark is None:
            reader.fail(1, 1, message)
        if message is TOO_DEEP and _LOADER is not _PYTHON_LOADER:
            _locate_with_python_parser(reader, text, mark)
        reader.fail_at(mark, message)
    except yaml.YAMLError as e:
        reader.fail(1, 1, f"not valid YAML: {e}")
    raise AssertionError("unreachable")  # pragma: no cover


def _libyaml_limit(e: yaml.MarkedYAMLError) -> bool:
    """libyaml's own nesting limit (about 1,000 levels), which its scanner may reach before MAX_DEPTH is seen."""
    return "nesting depth" in (e.problem or "")


def _locate_with_python_parser(reader: NodeReader, text: str, mark) -> None:
    """Say where the YAML first goes deeper than MAX_DEPTH, when libyaml stopped at its own limit first.

    libyaml scans ahead through a flow collection (`[[[...`) before it hands on any of its events, so its
    own limit fires first, far beyond the place that matters. The pure-Python parser streams: read the text
    up to libyaml's mark again with it, and the depth guard below fires where the nesting becomes too deep.
    Only the text before the mark is read again, so this stays bounded; if nothing is found there, the caller
    reports the nesting at libyaml's mark.
    """
    try:
        _NodeBuilder(reader).build(text[: mark.index + 1], _PYTHON_LOADER)
    except yaml.YAMLError:
        pass  # the cut-off text ends mid-collection: nothing more to learn


class _NodeBuilder:
    """Builds nodes from YAML parser events with an explicit stack, counting depth and expanded size."""

    def __init__(self, reader: NodeReader):
        self.reader = reader
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Node, int, int]] = {}  # anchor -> (node, expanded size, height)
        self.total = 0
        self.roots: list[Node] = []
        self.documents = 0

    def build(self, text: str, loader) -> Node | None:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self.reader.fail_at(event.start_mark,
                                        "not valid here: a second YAML document ('---'); a scenario is one document")
            elif isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self.check_tag(event)
                if len(self.stack) >= MAX_DEPTH:
                    self.reader.fail_at(event.start_mark, TOO_DEEP)
                self.stack.append(_Open(event))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                self.close(event)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    self.reader.fail_at(event.start_mark, f"not valid YAML: found undefined alias '{event.anchor}'")
                node, size, height = self.anchors[event.anchor]
                self.add(node, size, height, event.start_mark)
        return self.roots[0] if self.roots else None

    def check_tag(self, event) -> None:
        tag = getattr(event, "tag", None)
        if tag and tag.startswith("tag:yaml.org,2002:python"):
            self.reader.fail_at(event.start_mark, f"tag {tag!r} is not allowed")

    def scalar(self, event) -> None:
        self.check_tag(event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = Node(None if tag.endswith(":null") else event.value, *_position(event.start_mark, event.end_mark))
        bad = files.CONTROL_CHARACTERS.search(event.value)
        if bad:  # written as an escape ("\0", "\e"): it would reach the output
            self.reader.fail(node.line, node.column, files.control_message(bad.group(), "in a text"))
        self.add(node, 1, 0, event.start_mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, 1, 0)

    def close(self, event) -> None:
        frame = self.stack.pop()
        start, items = frame.event, frame.items
        if isinstance(start, yaml.SequenceStartEvent):
            value: Any = items
        else:
            value = {}
            for key, val in zip(items[::2], items[1::2]):
                if not isinstance(key.value, str):
                    self.reader.fail(key.line, key.column, "a key must be a plain name")
                if key.value in value:
                    self.reader.fail(key.line, key.column, f"duplicate key '{key.value}'")
                value[key.value] = (key, val)
        node = Node(value, *_position(start.start_mark, event.end_mark))
        self.total -= frame.size - 1  # the items were counted as they came
        self.add(node, frame.size, frame.height + 1, start.start_mark)
        if start.anchor is not None:
            self.anchors[start.anchor] = (node, frame.size, frame.height + 1)

    def add(self, node: Node, size: int, height: int, mark) -> None:
        self.total += size
        if self.total > MAX_NODES:
            self.reader.fail_at(mark, TOO_MANY)
        if len(self.stack) + height > MAX_DEPTH:
            self.reader.fail_at(mark, TOO_DEEP)
        if self.stack:
            self.stack[-1].append(node, size, height)
        else:
            self.roots.append(node)


class _Open:
    """A collection being read: its start event, its items (a mapping's alternate keys and values), the
    values it expands to and the depth of collections inside it."""

    __slots__ = ("event", "items", "size", "height")

    def __init__(self, event):
        self.event = event
        self.items: list[Node] = []
        self.size = 1
        self.height = 0

    def append(self, node: Node, size: int, height: int) -> None:
        self.items.append(node)
        self.size += size
        self.height = max(self.height, height)


def _position(start, end) -> tuple[int, int, int, int]:
    return start.line + 1, start.column + 1, end.line + 1, end.column + 1
