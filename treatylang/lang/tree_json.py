"""A checked syntax tree and its diagnostics as JSON data, and back: what the treaty cache stores.

Data only. Reading an entry builds nothing but the node classes of `syntax.py`, `Span` and `Diagnostic`,
and only as their fields say: the encoding is driven by the classes' attrs fields and type annotations
(`tuple[X, ...]`, `X | Y | None`, `str`, `int`, `bool`, `dt.date`, a node class), and `loads` checks every
value against them; anything else (a wrong shape, a wrong type, an unknown node, a field too many or too
few, a date that is not YYYY-MM-DD) raises `BadEntry`, and the caller parses the text instead. No pickle,
no eval, no class named by the data: a node's tag is looked up among the classes its field admits.

Encoding: a node is `[tag, field, field, ...]` in attrs field order (tag = class name); a tuple a list; a date
"YYYY-MM-DD"; a span `[line, column, end_line, end_column, article]` (its file is the entry's file name),
or with the file first when it is another one. A field whose default is None also admits None.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
import os
import re
import sys
import types
import typing

import attrs

from treatylang.lang import syntax as s
from treatylang.source.diagnostics import Diagnostic
from treatylang.source.spans import Span

FORMAT = "treatylang checked tree"
VERSION = 1
_KEYS = ("format", "version", "file", "text", "tree_file", "tree_source", "tree", "diagnostics")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_NONE = type(None)


class BadEntry(ValueError):
    """The data is not an entry this code wrote for this file and text: a cache miss."""


def code_files() -> tuple[str, ...]:
    """The files whose bytes shape a checked tree and its diagnostics, which the cache key covers: the grammar
    and its tables, every module of lang/ (the parser, the nodes, the checks, this encoding) and source/
    (reading, spans, diagnostics, dates), the shipped vocabularies (a treaty's checks read the one it uses), and
    Lark's own version (its __init__.py)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = []
    for folder, suffixes in (("lang", (".py", ".lark", ".json")), ("source", (".py",)), ("vocabularies", (".vocab",))):
        where = os.path.join(package, folder)
        found += [os.path.join(where, n) for n in sorted(os.listdir(where)) if n.endswith(suffixes)]
    import importlib.machinery  # loaded at start-up by Python itself; finds Lark without importing it

    lark_spec = importlib.machinery.PathFinder.find_spec("lark")
    if lark_spec is not None and lark_spec.origin:
        found.append(lark_spec.origin)
    return tuple(found)


# ---- the plan: each node class's fields and their types, read once from the classes ----------------
def _node_classes() -> dict[str, type]:
    found = {name: c for name, c in vars(s).items()
             if isinstance(c, type) and attrs.has(c) and c.__module__ == s.__name__}
    found["Span"] = Span
    return found


@functools.lru_cache(maxsize=1)
def _plan() -> dict[type, tuple[tuple[str, object, bool], ...]]:
    """class -> ((field, type, admits None), ...) for every class an entry may hold."""
    plan = {}
    for cls in (*_node_classes().values(), Diagnostic):
        # the types as evaluated when the classes were made (typing.get_type_hints would compile each quoted
        # one at every start); a quoted name (a forward reference) is looked up in the class's module
        names = vars(sys.modules[cls.__module__])
        plan[cls] = tuple((f.name, names[f.type] if isinstance(f.type, str) else f.type, f.default is None)
                          for f in attrs.fields(cls))
    return plan


def _fast_new(cls) -> bool:
    """A dict class whose __init__ does nothing but store its fields: filled as pickle would fill it."""
    return ("__slots__" not in cls.__dict__ and not hasattr(cls, "__attrs_post_init__")
            and all(f.init and f.validator is None and f.converter is None for f in attrs.fields(cls)))


@functools.lru_cache(maxsize=None)  # the same few types, asked about for every field of every class
def _union(tp) -> tuple:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return (tp,)


def _is_tuple_of(tp) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


# ---- the codec: a pair of functions per type, built from the plan ---------------------------------
_SCALARS = (str, int, bool)


class _Codec:
    """Encoding and decoding functions for the entries of one file name (a span without a file is in it).

    `encoder(tp)` / `decoder(tp)` give a function from a value of type `tp` to JSON data and back; each
    checks what it is handed and raises (BadEntry, or KeyError, TypeError... on odd data) on anything else.
    """

    def __init__(self, filename: str):
        self.filename = filename
        self.plan = _plan()
        self.made: dict = {}

    def encoder(self, tp, admits_none=False):
        return self._get("enc", tp, admits_none)

    def decoder(self, tp, admits_none=False):
        return self._get("dec", tp, admits_none)

    def _get(self, way, tp, admits_none):
        key = (way, tp, admits_none)
        if key not in self.made:
            self.made[key] = lambda v: real(v)  # recursive types (Either) refer to themselves
            real = self._make(way, tp, admits_none)
            self.made[key] = real
        return self.made[key]

    def _make(self, way, tp, admits_none):
        options = [o for o in _union(tp) if o is not _NONE]
        none_ok = admits_none or len(options) < len(_union(tp))
        if len(options) == 1:
            one = self._one(way, options[0])
            if not none_ok:
                return one
            return lambda v: None if v is None else one(v)
        if not all(attrs.has(o) for o in options):
            raise TypeError(f"unsupported union {tp}")  # not in today's classes: a new shape needs code here
        if way == "enc":
            by_class = {o: self.encoder(o) for o in options}

            def encode_union(v):
                if v is None and none_ok:
                    return None
                return by_class[type(v)](v)  # a class outside the union: KeyError
            return encode_union
        by_tag = {o.__name__: self.decoder(o) for o in options}

        def decode_union(v):
            if v is None and none_ok:
                return None
            if type(v) is not list:
                raise BadEntry("not a node")
            return by_tag[v[0]](v)  # a tag outside the union: KeyError (or TypeError): a miss
        return decode_union

    def _one(self, way, tp):
        if tp in _SCALARS:
            def scalar(v):
                if type(v) is not tp:
                    raise BadEntry("wrong type")
                return v
            return scalar
        if tp is dt.date:
            if way == "enc":
                def encode_date(v):
                    if type(v) is not dt.date:
                        raise BadEntry("not a date")
                    return v.isoformat()
                return encode_date

            def decode_date(v):
                if type(v) is not str or not _DATE.match(v):
                    raise BadEntry("not a date")
                return dt.date.fromisoformat(v)
            return decode_date
        if _is_tuple_of(tp):
            item_type = typing.get_args(tp)[0]
            if item_type in _SCALARS:
                def scalars(v):
                    if type(v) is not (tuple if way == "enc" else list) or any(type(x) is not item_type for x in v):
                        raise BadEntry("wrong type")
                    return list(v) if way == "enc" else tuple(v)
                return scalars
            item = self._get(way, item_type, False)
            if way == "enc":
                def encode_tuple(v):
                    if type(v) is not tuple:
                        raise BadEntry("not a tuple")
                    return [item(x) for x in v]
                return encode_tuple

            def decode_tuple(v):
                if type(v) is not list:
                    raise BadEntry("not a list")
                return tuple([item(x) for x in v])
            return decode_tuple
        if tp is Span:
            return self._encode_span if way == "enc" else self._decode_span
        if attrs.has(tp) and tp in self.plan:
            return self._node(way, tp)
        raise TypeError(f"unsupported field type {tp}")

    def _encode_span(self, v):
        if type(v) is not Span:
            raise BadEntry("not a span")
        out = [v.line, v.column, v.end_line, v.end_column, v.article]
        if (type(v.line) is not int or type(v.column) is not int or type(v.end_line) is not int
                or type(v.end_column) is not int or (v.article is not None and type(v.article) is not str)
                or type(v.file) is not str):
            raise BadEntry("a span of the wrong shape")
        return out if v.file == self.filename else [v.file, *out]

    def _decode_span(self, v):
        if type(v) is not list:
            raise BadEntry("not a span")
        if len(v) == 5:
            file, (line, column, end_line, end_column, article) = self.filename, v
        elif len(v) == 6:
            file, line, column, end_line, end_column, article = v
            if type(file) is not str:
                raise BadEntry("not a span")
        else:
            raise BadEntry("not a span")
        if (type(line) is not int or type(column) is not int or type(end_line) is not int
                or type(end_column) is not int or (article is not None and type(article) is not str)):
            raise BadEntry("not a span")
        span = _new(Span)
        span.__dict__.update(file=file, line=line, column=column, end_line=end_line, end_column=end_column,
                             article=article)
        return span

    def _node(self, way, cls):
        """A node is [tag, field...]. Scalar fields are checked in place; the others through their codec."""
        fields = self.plan[cls]
        names = tuple(name for name, _, _ in fields)
        strict, optional, others = [], [], []  # (index, type) / (index, type) / (index, function)
        for i, (_, tp, none) in enumerate(fields):
            options = [o for o in _union(tp) if o is not _NONE]
            none_ok = none or len(options) < len(_union(tp))
            if len(options) == 1 and options[0] in _SCALARS:
                (optional if none_ok else strict).append((i, options[0]))
            else:
                others.append((i, self._get(way, tp, none)))
        size, tag, fast = len(fields) + 1, cls.__name__, _fast_new(cls)
        get = operator.attrgetter(*names) if len(names) > 1 else (lambda v: (getattr(v, names[0]),))

        def check(values):
            for i, t in strict:
                if type(values[i]) is not t:
                    raise BadEntry(f"wrong type in a {tag}")
            for i, t in optional:
                if values[i] is not None and type(values[i]) is not t:
                    raise BadEntry(f"wrong type in a {tag}")
            for i, code in others:
                values[i] = code(values[i])

        if way == "enc":
            def encode_node(v):
                if type(v) is not cls:
                    raise BadEntry(f"not a {tag}")
                values = list(get(v))
                check(values)
                values.insert(0, tag)
                return values
            return encode_node

        def decode_node(v):
            if type(v) is not list or len(v) != size or v[0] != tag:
                raise BadEntry(f"not a {tag}")
            values = v[1:]
            check(values)
            if fast:
                obj = _new(cls)
                obj.__dict__.update(zip(names, values))
                return obj
            return cls(**dict(zip(names, values)))
        return decode_node


_new = object.__new__


def _codec(filename: str) -> _Codec:
    return _Codec(filename)


def dumps(filename: str, text: str, tree: s.TreatyFile, diagnostics) -> bytes:
    """The entry for a checked tree (raises BadEntry if the tree holds what the classes do not say)."""
    if type(tree) is not s.TreatyFile or type(tree.file) is not str or type(tree.source) is not str:
        raise BadEntry("not a treaty file")
    codec = _codec(filename)
    entry = {
        "format": FORMAT, "version": VERSION, "file": filename, "text": text,
        "tree_file": None if tree.file == filename else tree.file,
        "tree_source": None if tree.source == text else tree.source,
        "tree": [codec.encoder(tp, none)(getattr(tree, name)) for name, tp, none in _tree_fields()],
        "diagnostics": codec.encoder(tuple[Diagnostic, ...])(tuple(diagnostics)),
    }
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8", "surrogatepass")


def _tree_fields():
    """TreatyFile's fields but its file name and source text (stored once, beside the tree)."""
    return [(name, tp, none) for name, tp, none in _plan()[s.TreatyFile] if name not in ("file", "source")]


def _raise(message):
    raise BadEntry(message)


def loads(data: bytes, filename: str, text: str):
    """(tree, diagnostics) from an entry `dumps(filename, text, ...)` wrote; BadEntry on anything else."""
    try:
        entry = json.loads(data.decode("utf-8", "surrogatepass"), parse_constant=_raise)
        if type(entry) is not dict or tuple(entry) != _KEYS:
            raise BadEntry("not an entry")
        if entry["format"] != FORMAT or type(entry["version"]) is not int or entry["version"] != VERSION:
            raise BadEntry("another format")
        if entry["file"] != filename or entry["text"] != text:  # the stored input must be this one
            raise BadEntry("another file or text")
        codec = _codec(filename)
        tree_file, tree_source = entry["tree_file"], entry["tree_source"]
        tree_file = filename if tree_file is None else codec.decoder(str)(tree_file)
        tree_source = text if tree_source is None else codec.decoder(str)(tree_source)
        fields, values = _tree_fields(), entry["tree"]
        if type(values) is not list or len(values) != len(fields):
            raise BadEntry("not a tree")
        tree = s.TreatyFile(**{name: codec.decoder(tp, none)(v) for (name, tp, none), v in zip(fields, values)},
                            file=tree_file, source=tree_source)
        diagnostics = codec.decoder(tuple[Diagnostic, ...])(entry["diagnostics"])
    except BadEntry:
        raise
    except Exception as e:  # noqa: BLE001 -- any fault in the data (KeyError, RecursionError...) is a miss
        raise BadEntry(f"{type(e).__name__}: {e}") from None
    return tree, list(diagnostics)
