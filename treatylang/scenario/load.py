"""YAML scenario → validated Scenario. Every error names file, line and column; nothing in the input runs."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import attrs
import yaml

from treatylang.source.diagnostics import Diagnostic, TreatyError, did_you_mean, located
from treatylang.source.spans import Span
from treatylang.model import ACTOR_KINDS, Actor, Event, Scenario

MAX_BYTES = 5_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64

TOP_KEYS = ("title", "treaty", "as_of", "description", "note", "actors", "events", "expect")
EVENT_KEYS = ("id", "type", "date", "note")
ACTOR_KEYS = ("name", "kind", "aka")


# ---- reading YAML with positions -------------------------------------------------------
@attrs.frozen
class Node:
    """A YAML value with where it stands."""

    value: Any  # str | list[Node] | dict[str, tuple[Node, Node]] (key node, value node) | None
    line: int
    column: int
    end_line: int
    end_column: int


class NodeReader:
    """Collects located problems about positioned YAML nodes of one file."""

    def __init__(self, filename: str, text: str):
        self.filename = filename
        self.text = text
        self.problems: list[Diagnostic] = []

    def span(self, node) -> Span:
        if isinstance(node, Node):
            return Span(self.filename, node.line, node.column, node.end_line, node.end_column)
        return Span(self.filename, 1, 1, 1, 1)

    def error(self, node, message: str, hint: str | None = None) -> None:
        self.problems.append(located(self.span(node), message, self.text, hint=hint, yaml=True))

    def fail(self, line: int, column: int, message: str, hint: str | None = None):
        raise TreatyError([located(Span(self.filename, line, column, line, column + 1), message, self.text,
                                   hint=hint, yaml=True)])


# Characters YAML allows in a stream (YAML 1.1, 5.1): tab, line breaks and printable characters.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PARSER = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None
_PARSER = _PARSER or yaml.SafeLoader
_RESOLVER = yaml.resolver.Resolver()
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # in a value: only tab and line feed


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of text[index], counting line breaks as `str.splitlines` does."""
    lines = text[:index].splitlines(keepends=True)
    if not lines:
        return 1, 1
    last = lines[-1]
    if len(last.splitlines()[0]) < len(last):  # text[index] starts a line
        return len(lines) + 1, 1
    return len(lines), len(last) + 1


def read_yaml(filename: str, data: bytes) -> tuple[str, Node | None]:
    """Decode and read YAML safely into positioned nodes (no tags, bounded size, depth and aliases).

    The nodes are built from the parser's event stream with an explicit stack (no recursion, so any
    nesting fails cleanly and early), counting what aliases expand to; nothing is constructed from tags.
    """
    if len(data) > MAX_BYTES:
        raise TreatyError([located(Span(filename, 1, 1), f"file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})", None)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise TreatyError([located(Span(filename, line, col, line, col + 1),
                                   f"the file is not valid UTF-8 (byte 0x{data[e.start]:02x})", None)]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = NodeReader(filename, text)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        reader.fail(line, col, f"not valid YAML: the character {bad.group()!r} (U+{ord(bad.group()):04X}) is not allowed")

    def pos(start, end=None):
        end = end or start
        return start.line + 1, start.column + 1, end.line + 1, end.column + 1

    def check_tag(event):
        tag = getattr(event, "tag", None)
        if tag and tag.startswith("tag:yaml.org,2002:python"):
            reader.fail(event.start_mark.line + 1, event.start_mark.column + 1, f"tag {tag!r} is not allowed")

    # Each open collection: [start event, items, expanded size, height]; items are Nodes (a
    # sequence) or alternating key and value Nodes (a mapping).
    stack: list[list] = []
    anchors: dict[str, tuple[Node, int, int]] = {}  # anchor -> (node, expanded size, height)
    total = [0]
    root: list = []
    documents = 0

    def add(node: Node, size: int, height: int, mark) -> None:
        total[0] += size
        if total[0] > MAX_NODES:
            reader.fail(mark.line + 1, mark.column + 1, f"the YAML expands to more than {MAX_NODES:,} values (aliases?)")
        if len(stack) + height > MAX_DEPTH:
            reader.fail(mark.line + 1, mark.column + 1, "the YAML is nested too deeply")
        if stack:
            frame = stack[-1]
            frame[1].append(node)
            frame[2] += size
            frame[3] = max(frame[3], height)
        else:
            root.append(node)

    try:
        for event in yaml.parse(text, Loader=_PARSER):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    reader.fail(event.start_mark.line + 1, event.start_mark.column + 1,
                                "not valid here: a second YAML document ('---'); a scenario is one document")
            elif isinstance(event, yaml.ScalarEvent):
                check_tag(event)
                tag = event.tag
                if tag is None or tag == "!":
                    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
                node = Node(None if tag.endswith(":null") else event.value, *pos(event.start_mark, event.end_mark))
                bad = _CONTROL.search(event.value)
                if bad:  # written as an escape ("\0", "\e"): it would reach the output
                    reader.fail(node.line, node.column, f"the character {bad.group()!r} (U+{ord(bad.group()):04X}) is not allowed in a text")
                add(node, 1, 0, event.start_mark)
                if event.anchor is not None:
                    anchors[event.anchor] = (node, 1, 0)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                check_tag(event)
                if len(stack) >= MAX_DEPTH:
                    reader.fail(event.start_mark.line + 1, event.start_mark.column + 1, "the YAML is nested too deeply")
                stack.append([event, [], 1, 0])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                start, items, size, height = stack.pop()
                if isinstance(start, yaml.SequenceStartEvent):
                    value = items
                else:
                    value = {}
                    for key, val in zip(items[::2], items[1::2]):
                        if not isinstance(key.value, str):
                            reader.fail(key.line, key.column, "a key must be a plain name")
                        if key.value in value:
                            reader.fail(key.line, key.column, f"duplicate key '{key.value}'")
                        value[key.value] = (key, val)
                node = Node(value, *pos(start.start_mark, event.end_mark))
                total[0] -= size - 1  # the items were counted as they came
                add(node, size, height + 1, start.start_mark)
                if start.anchor is not None:
                    anchors[start.anchor] = (node, size, height + 1)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    reader.fail(event.start_mark.line + 1, event.start_mark.column + 1,
                                f"not valid YAML: found undefined alias '{event.anchor}'")
                node, size, height = anchors[event.anchor]
                add(node, size, height, event.start_mark)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reader.fail(line, col, f"not valid YAML: {e.problem or e.context}")
    except yaml.YAMLError as e:
        reader.fail(1, 1, f"not valid YAML: {e}")
    return text, (root[0] if root else None)


def read_file_bytes(path: str) -> bytes:
    """The file's bytes, or a TreatyError saying why it cannot be read."""
    where = Span(path or "<no file name>", 1, 1)
    if not path:
        raise TreatyError([located(where, "no file name given", None)])
    if "\0" in path:
        raise TreatyError([located(where, "cannot read the file: its name contains a NUL character", None)])
    if os.path.isdir(path):
        raise TreatyError([located(where, "is a directory, not a file", None)])
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise TreatyError([located(where, f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})", None)])
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)  # bounded even when the size lies (/dev/zero, a pipe)
        if len(data) > MAX_BYTES:
            raise TreatyError([located(where, f"file is too large (more than the limit of {MAX_BYTES:,} bytes)", None)])
        return data
    except FileNotFoundError:
        raise TreatyError([located(where, "no such file", None)]) from None
    except OSError as e:
        raise TreatyError([located(where, f"cannot read the file: {e.strerror or e}", None)]) from None


# ---- validation ---------------------------------------------------------------------
def _plain(node: Node | None):
    """Positions dropped: the plain Python value."""
    if node is None:
        return None
    v = node.value
    if isinstance(v, list):
        return [_plain(n) for n in v]
    if isinstance(v, dict):
        return {k: _plain(val) for k, (_, val) in v.items()}
    return v


def _to_node(value, line=1, column=1) -> Node:
    """Plain Python data (from an API caller) as positionless nodes."""
    if isinstance(value, dict):
        return Node({str(k): (Node(str(k), line, column, line, column), _to_node(v)) for k, v in value.items()}, line, column, line, column)
    if isinstance(value, (list, tuple)):
        return Node([_to_node(v) for v in value], line, column, line, column)
    if value is None:
        return Node(None, line, column, line, column)
    if isinstance(value, dt.date):
        return Node(value.isoformat(), line, column, line, column)
    return Node(str(value), line, column, line, column)


class ScenarioValidator:
    """Checks scenario nodes against a treaty's vocabulary and actors (also used for `expect` blocks)."""

    def __init__(self, reader: NodeReader, treaty):
        self.r = reader
        self.treaty = treaty
        self.actors: dict[str, Actor] = {}
        self.names: dict[str, str] = dict(treaty.aliases)

    def keys(self, node: Node, allowed, what: str) -> dict:
        if not isinstance(node.value, dict):
            self.r.error(node, f"{what} must be a mapping of keys to values")
            return {}
        for key, (knode, _) in node.value.items():
            if key not in allowed:
                self.r.error(knode, f"unknown key '{key}' in {what}; expected one of {', '.join(allowed)}",
                             hint=did_you_mean(key, allowed))
        return {k: v for k, (_, v) in node.value.items()}

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node.value, str):
            self.r.error(node, f"{what} must be a text")
            return None
        return node.value

    def date(self, node: Node | None, what: str) -> dt.date | None:
        if node is None or node.value is None:
            return None
        if isinstance(node.value, str):
            try:
                return dt.date.fromisoformat(node.value.strip())
            except ValueError:
                pass
        self.r.error(node, f"{what} must be a date (YYYY-MM-DD), not {_show(node)}")
        return None

    def actor_ref(self, node: Node) -> str | None:
        if not isinstance(node.value, str):
            self.r.error(node, f"expected an actor's name, not {_show(node)}")
            return None
        found = self.names.get(node.value.strip().casefold())
        if found is None:
            self.r.error(node, f"unknown actor '{node.value}'; declare it under 'actors' or use a party of the treaty",
                         hint=did_you_mean(node.value, self.known_names()))
        return found

    def known_names(self):
        return sorted(set(self.treaty.aliases.values()) | set(self.actors))

    def declare_actors(self, node: Node | None) -> None:
        if node is None or node.value is None:
            return
        if not isinstance(node.value, dict):
            self.r.error(node, "actors must be a mapping of ids to {name, kind}")
            return
        for ident, (knode, vnode) in node.value.items():
            if not ident.replace("_", "").isalnum() or not ident[:1].isalpha():
                self.r.error(knode, f"actor id '{ident}' must be a simple name (letters, digits, _)")
                continue
            if ident.casefold() in self.treaty.aliases:
                self.r.error(knode, f"'{ident}' is already declared by the treaty")
                continue
            fields = self.keys(vnode, ACTOR_KEYS, f"actor '{ident}'") if vnode.value is not None else {}
            name = self.text(fields.get("name"), "an actor's name") or ident
            kind = self.text(fields.get("kind"), "an actor's kind") or "state"
            if kind not in ACTOR_KINDS:
                self.r.error(fields["kind"], f"unknown kind '{kind}'; expected one of {', '.join(ACTOR_KINDS)}",
                             hint=did_you_mean(kind, ACTOR_KINDS))
            self.actors[ident] = Actor(ident, name, kind)
            aka = fields.get("aka")
            extra = [aka] if aka is not None and isinstance(aka.value, str) else (aka.value if aka and isinstance(aka.value, list) else [])
            for name_node in (Node(ident, 0, 0, 0, 0), Node(name, 0, 0, 0, 0), *extra):
                if isinstance(name_node.value, str):
                    self.names.setdefault(name_node.value.casefold(), ident)

    def event(self, node: Node, index: int) -> Event | None:
        if not isinstance(node.value, dict):
            self.r.error(node, "each event must be a mapping (type, date and arguments)")
            return None
        raw = {k: v for k, (_, v) in node.value.items()}
        type_node = raw.get("type")
        if type_node is None:
            self.r.error(node, "this event has no 'type'", hint=f"event types: {', '.join(self.scenario_types())}")
            return None
        etype = self.text(type_node, "an event type")
        decl = self.treaty.events.get(etype) if etype else None
        if etype is not None and (decl is None or decl.is_fact):
            hint = did_you_mean(etype, self.scenario_types())
            if decl is not None:
                self.r.error(type_node, f"'{etype}' is a fact the treaty deems, not an event a scenario may state", hint=hint)
            else:
                self.r.error(type_node, f"unknown event type '{etype}'; this treaty declares {', '.join(self.scenario_types())}", hint=hint)
            return None
        if decl is None:
            return None
        allowed = (*EVENT_KEYS, *(p.name for p in decl.params))
        self.keys(node, allowed, f"a '{etype}' event")
        ident = self.text(raw.get("id"), "an event id") if "id" in raw else f"e{index + 1}"
        if "date" not in raw:
            self.r.error(node, f"this '{etype}' event has no 'date'")
        date = self.date(raw.get("date"), "the event's date")
        args = {}
        for p in decl.params:
            value = raw.get(p.name)
            if value is None or value.value is None:
                if p.default is not None:
                    args[p.name] = p.default
                elif p.type.is_list:
                    if p.type.required:
                        self.r.error(node, f"this '{etype}' event needs '{p.name}' ({p.type}: one or more actors)")
                    args[p.name] = ()
                elif p.type.required:
                    self.r.error(node, f"this '{etype}' event needs '{p.name}' ({p.type})")
                else:
                    args[p.name] = None
                continue
            if hasattr(p.type, "values"):  # enumeration
                v = self.text(value, f"'{p.name}'")
                if v is not None and v not in p.type.values:
                    self.r.error(value, f"'{v}' is not a value of '{p.name}'; expected one of {', '.join(p.type.values)}",
                                 hint=did_you_mean(v, p.type.values))
                args[p.name] = v
            elif p.type.is_list:
                items = value.value if isinstance(value.value, list) else [value]
                ids = [self.actor_ref(item) for item in items]
                ids = tuple(dict.fromkeys(i for i in ids if i is not None))
                if not ids and p.type.required and isinstance(value.value, list):
                    self.r.error(value, f"'{p.name}' needs at least one actor")
                args[p.name] = ids
            else:
                if isinstance(value.value, list):
                    self.r.error(value, f"'{p.name}' takes one actor, not a list")
                    continue
                args[p.name] = self.actor_ref(value)
        if ident is None or date is None:
            return None
        return Event(ident, etype, date, args, index, self.r.span(node))

    def scenario_types(self):
        return sorted(n for n, d in self.treaty.events.items() if not d.is_fact)


def build_scenario(filename: str, text: str, root: Node | None, treaty, *, treaty_path: str | None = None) -> Scenario:
    reader = NodeReader(filename, text)
    if root is None:
        reader.fail(1, 1, "the scenario is empty; it needs at least a 'title' and 'events'")
    v = ScenarioValidator(reader, treaty)
    if not isinstance(root.value, dict):
        reader.fail(root.line, root.column, f"a scenario must be a mapping with 'title' and 'events', not {_show(root)}")
    top = v.keys(root, TOP_KEYS, "the scenario")
    if "title" not in top:
        reader.error(root, "the scenario has no 'title'")
    title = v.text(top.get("title"), "the title") or ""
    note = v.text(top.get("note"), "the note")
    v.text(top.get("treaty"), "treaty (a path to a .treaty file)")
    as_of = v.date(top.get("as_of"), "as_of")
    v.declare_actors(top.get("actors"))
    events = []
    events_node = top.get("events")
    if "events" not in top:
        reader.error(root, "the scenario has no 'events' (write 'events: []' for none)")
    elif events_node is not None and events_node.value is not None:
        if not isinstance(events_node.value, list):
            reader.error(events_node, "'events' must be a list")
        else:
            for i, n in enumerate(events_node.value):
                e = v.event(n, i)
                if e is not None:
                    events.append(e)
    seen: dict[str, Event] = {}
    for e in events:
        if e.id in seen:
            reader.error(Node(None, e.span.line, e.span.column, e.span.line, e.span.column + 1),
                         f"event id '{e.id}' is used twice (first at line {seen[e.id].span.line})")
        seen[e.id] = e
    if reader.problems:
        raise TreatyError(reader.problems)
    events.sort(key=lambda e: (e.date, e.index))
    kinds = dict(treaty.actor_kinds)
    kinds.update((a.id, a.kind) for a in v.actors.values())
    return Scenario(
        title, filename, tuple(events), v.actors, as_of, note, top.get("expect"),
        treaty_path, source=text, kinds=kinds,
    )


def peek_treaty_path(filename: str, root: Node | None) -> str | None:
    """The scenario's `treaty:` path, made relative to the scenario file's folder."""
    if root is None or not isinstance(root.value, dict) or "treaty" not in root.value:
        return None
    node = root.value["treaty"][1]
    if not isinstance(node.value, str):
        return None
    return os.path.normpath(os.path.join(os.path.dirname(filename), node.value))


def scenario_from_dict(data: dict, treaty, filename: str = "<data>") -> Scenario:
    """A scenario from plain data (the YAML's shape), for generated scenarios and sweeps."""
    return build_scenario(filename, "", _to_node(data), treaty)


def _show(node: Node) -> str:
    v = node.value
    if v is None:
        return "nothing"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return f"'{v}'" if len(v) <= 60 else f"'{v[:57]}...'"
