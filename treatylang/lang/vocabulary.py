"""Shared vocabularies: files of events, places and qualities that treaties read as their own (`uses NAME`).

A vocabulary is found by name among the files shipped in treatylang/vocabularies/ (NAME.vocab, written in the
treaty language's declaration syntax after a `vocabulary NAME "Title"` line); each is parsed and checked once
per process. The engine knows none by name: a treaty says which it uses and how it reads each event
(docs/language.md, "Shared vocabularies"). `check_uses` checks a treaty's readings; `plan` says, for one
reading, which argument of the vocabulary's event each argument of the treaty's event takes (the IR's
`EventReading` is built from it).
"""

from __future__ import annotations

import functools
import os

from treatylang.lang import syntax as s
from treatylang.source.diagnostics import TreatyError, did_you_mean

FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vocabularies")
SUFFIX = ".vocab"


@functools.lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """The vocabularies shipped with treatylang, by name."""
    try:
        found = os.listdir(FOLDER)
    except OSError:
        return ()
    return tuple(sorted(n[: -len(SUFFIX)] for n in found if n.endswith(SUFFIX)))


def path_of(name: str) -> str:
    return os.path.join(FOLDER, name + SUFFIX)


@functools.lru_cache(maxsize=None)
def load(name: str) -> s.TreatyFile:
    """The checked syntax tree of the shipped vocabulary `name` (its `vocabulary` line names it), read back
    from the user cache as a treaty's is (a cache hit imports no parser: see treatylang.parse_treaty).

    Raises TreatyError, located in the vocabulary file, when the file is not a sound vocabulary."""
    import treatylang  # the cache's helpers (on use: the package is loaded by then)
    from treatylang.source import files
    from treatylang.source.diagnostics import located
    from treatylang.source.spans import Span

    path = path_of(name)
    text = files.read_text(path)
    entry = treatylang._cache_entry(path, text, kind="vocabulary")
    cached = treatylang._cached_tree(entry, path, text) if entry else None
    if cached is not None:
        return cached[0]
    from treatylang.lang.checks import check_vocabulary
    from treatylang.lang.parser import parse_treaty_source

    tree = parse_treaty_source(text, path)
    diagnostics = check_vocabulary(tree)
    problems = [d for d in diagnostics if d.severity == "error"]
    if tree.vocabulary is None or tree.vocabulary.id != name:
        problems.append(located(tree.vocabulary.span if tree.vocabulary else Span(path, 1, 1),
                                f"a vocabulary file starts with 'vocabulary {name} \"Title\"' (its file's name)",
                                tree.source))
    if problems:
        raise TreatyError(problems)
    if entry:
        treatylang._store_tree(entry, path, text, tree, diagnostics)
    return tree


# ---- how a treaty reads one event of the vocabulary -----------------------------------------
def kind_of(param: s.Param) -> str:
    return "place" if isinstance(param.type, s.PlaceType) else "actor" if isinstance(param.type, s.ActorType) else "enum"


def plan(reading: s.EventReading, source: s.EventDecl, target: s.EventDecl):
    """((treaty param, vocabulary param or None, {vocabulary value: treaty value}), ...) in the treaty
    event's argument order: a treaty argument the reading does not name takes the vocabulary's argument of
    the same name, if there is one."""
    named = {a.param: a for a in reading.args}
    out = []
    for tp in target.params:
        a = named.get(tp.name)
        vp = source.param(a.source if a is not None else tp.name)
        values = {v.source: v.target for v in a.values} if a is not None else {}
        out.append((tp, vp, values))
    return tuple(out)


def readings(tree: s.TreatyFile, vocabulary: s.TreatyFile) -> list[s.EventReading]:
    """The treaty's readings of the vocabulary's events: its `read` lines, then, for each event of the
    vocabulary it does not `read` but declares under the same name, a reading by name."""
    uses = tree.uses[0]
    explicit = {r.source for r in uses.readings}
    own = {e.name for e in tree.events if not e.is_fact}
    implicit = [s.EventReading(e.name, e.name, span=uses.span) for e in vocabulary.events
                if e.name not in explicit and e.name in own]
    return [*uses.readings, *implicit]


def check_uses(tree: s.TreatyFile, c) -> list:
    """Check the treaty's `uses` and `read` lines (reported through the checker `c`); the vocabulary's own
    problems, if any, are returned, located in its file."""
    first = tree.uses[0]
    for extra in tree.uses[1:]:
        c.error(extra.span, f"a treaty uses one vocabulary; it already uses '{first.vocabulary}'")
    if first.vocabulary not in names():
        shipped = ", ".join(names()) or "none"
        c.error(first.span, f"unknown vocabulary '{first.vocabulary}'; treatylang ships {shipped}",
                hint=did_you_mean(first.vocabulary, names()))
        return []
    try:
        vocab = load(first.vocabulary)
    except TreatyError as e:
        return list(e.diagnostics)
    events = {e.name: e for e in vocab.events}
    own = {e.name: e for e in tree.events}
    seen: dict[str, s.EventReading] = {}
    for r in readings(tree, vocab):
        implicit = r not in first.readings
        source = events.get(r.source)
        if source is None:
            c.error(r.span, f"vocabulary '{first.vocabulary}' has no event '{r.source}'; it has "
                            f"{', '.join(sorted(events))}", hint=did_you_mean(r.source, events))
            continue
        if r.source in seen:
            c.error(r.span, f"event '{r.source}' of the vocabulary is read twice; read it as one event of the treaty")
            continue
        seen[r.source] = r
        target = own.get(r.target)
        if target is None or target.is_fact:
            what = "is a fact the treaty deems; read it as an event" if target else "is not an event this treaty declares"
            c.error(r.span, f"'{r.target}' {what}",
                    hint=did_you_mean(r.target, [e.name for e in tree.events if not e.is_fact]))
            continue
        if r.article is not None and r.article not in {a.number for a in tree.articles}:
            c.error(r.span, f"there is no article {r.article} in this treaty",
                    hint=did_you_mean(r.article, [a.number for a in tree.articles]))
        _check_args(c, r, source, target, first.vocabulary, implicit)
    return []


def _check_args(c, r: s.EventReading, source: s.EventDecl, target: s.EventDecl, vocabulary: str, implicit: bool):
    by_name = " (read by name: the treaty declares an event of the vocabulary's name)" if implicit else ""
    fix = (f"write 'read {r.source} as {r.target}(ARGUMENT: ...)' after 'uses {vocabulary}'" if implicit else None)
    given = set()
    for a in r.args:
        if a.param in given:
            c.error(a.span, f"argument '{a.param}' is read twice")
        given.add(a.param)
        if target.param(a.param) is None:
            c.error(a.span, f"'{r.target}' has no argument '{a.param}'; it has "
                            f"{', '.join(p.name for p in target.params) or 'none'}",
                    hint=did_you_mean(a.param, [p.name for p in target.params]))
        if source.param(a.source) is None:
            c.error(a.span, f"the vocabulary's '{r.source}' has no argument '{a.source}'; it has "
                            f"{', '.join(p.name for p in source.params) or 'none'}",
                    hint=did_you_mean(a.source, [p.name for p in source.params]))
    spans = {a.param: a.span for a in r.args}
    for tp, vp, values in plan(r, source, target):
        where = spans.get(tp.name, r.span)
        if vp is None:
            if tp.required and tp.name not in spans:
                kinds = [p.name for p in source.params if kind_of(p) == kind_of(tp)]
                c.error(where, f"this treaty's '{r.target}' needs '{tp.name}' ({tp.type}), which the vocabulary's "
                               f"'{r.source}' does not have{by_name}",
                        hint=fix or (f"take it from one of {', '.join(kinds)}: '{tp.name}: {kinds[0]}'" if kinds else
                                     f"declare '{tp.name}' optional or '= unknown' in this treaty's '{r.target}'"))
            continue
        if kind_of(tp) != kind_of(vp):
            c.error(where, f"this treaty's '{r.target}' takes {'an' if kind_of(tp)[0] in 'ae' else 'a'} {kind_of(tp)} "
                           f"as '{tp.name}', but the vocabulary's '{vp.name}' of '{r.source}' is {vp.type}{by_name}",
                    hint=fix)
            continue
        if vp.type.is_list and not tp.type.is_list:
            c.error(where, f"the vocabulary's '{vp.name}' of '{r.source}' holds a list ({vp.type}); this treaty's "
                           f"'{tp.name}' of '{r.target}' holds one ({tp.type}){by_name}", hint=fix)
            continue
        if kind_of(tp) != "enum":
            if values:
                c.error(where, f"only values of an enumeration are read 'as' others; '{vp.name}' is {vp.type}")
            continue
        for v, w in values.items():
            if v not in vp.type.values:
                c.error(where, f"'{v}' is not a value of the vocabulary's '{vp.name}' ({vp.type})",
                        hint=did_you_mean(v, vp.type.values))
            if w not in tp.type.values:
                c.error(where, f"'{w}' is not a value of this treaty's '{tp.name}' ({tp.type})",
                        hint=did_you_mean(w, tp.type.values))
        for v in vp.type.values:
            if v not in values and v not in tp.type.values:
                close = did_you_mean(v, tp.type.values)
                c.error(where, f"the vocabulary's value '{v}' of '{vp.name}' is not a value of this treaty's "
                               f"'{tp.name}' ({tp.type}){by_name}",
                        hint=f"read it as one: '{tp.name}: {vp.name} ({v} as {tp.type.values[0]})'"
                        if not close else close)
