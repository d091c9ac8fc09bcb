"""What a treaty's rules read of the events of a scenario: the facts `treaty verify` prunes its space by.

- *links*: an event type whose judgement reads other events of the scenario (a `breached by`, `ends when` or
  `discharged by` clause of a norm an earlier event gave, the trigger of an `after`), and the types whose
  events such a clause reads back (the earlier event of an `after`, the triggers of norms with such clauses):
  events of these types are not judged alone, so later events are tried after them;
- *list reads*: how a list argument is read: element by element (a pattern binds each element, or tests
  that a value is among them), or as a whole (`every member is among approved_by`, `other than all of S`,
  `means from measures`); a list read element by element gives the results of its elements together;
- *places*: which regions and qualities rules test a place for, so places that no rule tells apart are tried
  once.
"""

from __future__ import annotations

import functools

import attrs

from treatylang.lang import syntax as s

TREATIES_REMEMBERED = 16  # treaties whose reads are remembered (`per_treaty`)


def per_treaty(fn):
    """`fn(treaty, ...)`, remembered for the treaty (kept with its answer, so that its id stays its own):
    verify makes a space for each set of outsiders, and each asks the same of the rules. The answers are
    frozen (frozensets and tuples of them), so sharing them is safe."""
    memo: dict = {}

    @functools.wraps(fn)
    def remembered(treaty, *args, **kwargs):
        key = (id(treaty), args, tuple(sorted(kwargs.items())))
        found = memo.get(key)
        if found is None or found[0] is not treaty:
            if len(memo) >= TREATIES_REMEMBERED * 4:  # bounded memory
                memo.clear()
            found = memo[key] = (treaty, fn(treaty, *args, **kwargs))
        return found[1]
    return remembered


def nodes(x):
    """Every syntax node under `x` (itself included), depth first."""
    if isinstance(x, (tuple, list)):
        for item in x:
            yield from nodes(item)
        return
    if not attrs.has(type(x)):
        return
    yield x
    for f in attrs.fields(type(x)):
        if f.name != "span":
            yield from nodes(getattr(x, f.name))


def stated_triggers(treaty) -> dict:
    """{rule name: the event types a scenario states that can trigger it} (a fact: the types of the rules that
    deem it, transitively)."""
    deemers: dict = {}
    for r in treaty.syntax.rules:
        if isinstance(r.conclusion, s.Deem) and r.trigger is not None:
            deemers.setdefault(r.conclusion.pattern.event, set()).add(r.trigger.event)
    stated = {e.name for e in treaty.syntax.events if not e.is_fact}

    def expand(types, seen=frozenset()):
        out = set()
        for t in types:
            if t in stated:
                out.add(t)
            elif t not in seen:
                out |= expand(deemers.get(t, ()), seen | {t})
        return out

    return {r.name: expand({r.trigger.event}) for r in treaty.syntax.rules if r.trigger is not None}


@per_treaty
def links(treaty) -> tuple[frozenset, frozenset]:
    """(types whose judgement reads earlier events, types whose events later ones may read back)."""
    triggers = stated_triggers(treaty)
    readers, read = set(), set()
    for r in treaty.syntax.rules:
        later = [c.pattern for c in r.lifetime if isinstance(c, (s.EndsWhen, s.DischargedBy, s.BreachClause))]
        if r.breach is not None and r.trigger is not None:
            later.append(r.breach.pattern)
        if r.trigger is not None and [p for p in later if p is not None]:
            readers.update(p.event for p in later)
            read |= triggers.get(r.name, set())
        if r.after is not None:
            read.add(r.after.pattern.event)
            readers |= triggers.get(r.name, set())
    return frozenset(readers), frozenset(read)


@per_treaty
def whole_reads(treaty, unanimity: bool = True, shares: bool = True) -> frozenset:
    """(event type, parameter) pairs of list arguments some rule reads as a whole (`unanimity`: counting
    `every member is among ...`; `shares`: counting `at least 2/3 of members are among ...`)."""
    out = set()
    for r in treaty.syntax.rules:
        pats = [p for p in nodes(r) if isinstance(p, s.Pattern)]
        names = set()
        var_of: dict = {}
        for p in pats:
            for a in p.args:
                if isinstance(a.value, s.Var):
                    var_of.setdefault(a.value.name, set()).add((p.event, a.name))
        for n in nodes(r):
            if (shares and isinstance(n, s.ShareAmong)) or (unanimity and isinstance(n, s.AllAmong)):
                names.add(n.arg)
            elif isinstance(n, s.AllOf):
                if n.is_var:
                    out |= var_of.get(n.name, set())
                else:
                    names.add(n.name)
            elif isinstance(n, s.NormConclusion) and n.means_from:
                names.add(n.means_from)
        for p in pats:
            out.update((p.event, name) for name in names)
    return frozenset(out)


@per_treaty
def all_or_none(treaty) -> frozenset:
    """(event type, parameter) pairs of lists whose results are those of none or of every actor: lists read
    only by `every member is among ...` (whether they hold every member), or only by one vote share, the same
    share of the same electorate wherever it is read (whether the vote passes: the more votes, the likelier)."""
    among, other, votes, varying = set(), set(), {}, set()
    for r in treaty.syntax.rules:
        pats = [p for p in nodes(r) if isinstance(p, s.Pattern)]
        trigger = r.trigger.args if r.trigger is not None else ()
        bound = {a.value.name: a.name for a in trigger if isinstance(a.value, s.Var)}
        for n in nodes(r):
            if isinstance(n, s.AllAmong):
                among.update((p.event, n.arg) for p in pats)
            elif isinstance(n, s.ShareAmong) and r.trigger is not None:  # a vote on the trigger's list
                # one electorate per event when those left out are the trigger's arguments or named actors;
                # one per member a `for each` goes over is not one share
                electorate = tuple(bound.get(t.name) if isinstance(t, s.Var) else (t.name,) for t in n.excluding)
                key = (r.trigger.event, n.arg)
                votes.setdefault(key, set()).add((n.numerator, n.denominator, electorate))
                if None in electorate:
                    varying.add(key)
        for p in pats:
            other.update((p.event, a.name) for a in p.args if not isinstance(a.value, s.ArgAny))
    one_vote = {k for k, v in votes.items() if len(v) == 1} - varying
    return frozenset((among - whole_reads(treaty, unanimity=False))  # a list a vote reads is read whole
                     | (one_vote - among - whole_reads(treaty, unanimity=False, shares=False))) - other


@per_treaty
def place_tests(treaty) -> tuple[frozenset, frozenset]:
    """(regions, qualities) rules test places for: `P is in europe`, `P is an island`."""
    regions, qualities = set(), set()
    for r in treaty.syntax.rules:
        for n in nodes(r):
            if isinstance(n, s.IsIn):
                regions.add(n.region)
            elif isinstance(n, s.IsKind) and n.kind in treaty.qualities:
                qualities.add(n.kind)
            elif isinstance(n, s.IsSame) and isinstance(n.right, s.Const) and n.right.name in treaty.qualities:
                qualities.add(n.right.name)
    return frozenset(regions), frozenset(qualities)


@per_treaty
def named_places(treaty) -> frozenset:
    """Places a rule names other than as a region (compared with a value): each is tried as itself."""
    out = set()
    for r in treaty.syntax.rules:
        for n in nodes(r):
            if isinstance(n, s.Const) and n.name in treaty.places:
                out.add(n.name)
            elif isinstance(n, s.ArgConst):
                out.update(v for v in n.values if v in treaty.places)
    return frozenset(out)
