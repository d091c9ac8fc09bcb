"""Scenario × compiled treaty → Result. Pure: no I/O, and nothing here knows any particular treaty.

Evaluation runs in two passes over the events in date order (same-date events in file order):
1. membership: rules whose conclusion changes membership (joining, withdrawal...) build the timeline;
2. norms: each event, and each fact rules deem from it, is judged with the members on its date.
Results stay compact (tuples); explanations are built only when asked for (see explain.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import NamedTuple

from treatylang.ir.compiled import CompiledRule, CompiledTreaty, Env
from treatylang.source.dates import add_duration
from treatylang.infra.gc_pause import paused_gc
from treatylang.model import Breach, Effect, Event, Norm, Result, Scenario


class Timeline:
    """Who is a member on which date: the parties from entry into force, then each effect in order."""

    _EMPTY = (frozenset(), ())

    def __init__(self, parties, start: dt.date | None, initial: tuple | None = None):
        self.parties = tuple(parties)
        self.start = start
        self.initial = initial or (frozenset(self.parties), tuple(sorted(self.parties)))
        self.changes: list[tuple[dt.date, int, str, str]] = []  # (from, order, party, change)
        self._cache = None

    def add(self, party: str, change: str, start: dt.date) -> None:
        self.changes.append((start, len(self.changes), party, change))
        self._cache = None

    def _segments(self):
        if self._cache is None:
            members = set(self.parties)
            dates: list[dt.date] = []
            snapshots = []
            for start, _, party, change in sorted(self.changes):
                if change == "joins":
                    members.add(party)
                else:
                    members.discard(party)
                snapshot = (frozenset(members), tuple(sorted(members)))
                if dates and dates[-1] == start:
                    snapshots[-1] = snapshot
                else:
                    dates.append(start)
                    snapshots.append(snapshot)
            self._cache = (dates, snapshots)
        return self._cache

    def at(self, date: dt.date | None) -> tuple[frozenset, tuple]:
        """The members on `date` (a set and the same sorted), empty before entry into force."""
        if date is None or self.start is None or date < self.start:
            return self._EMPTY
        if not self.changes:
            return self.initial
        dates, snapshots = self._segments()
        i = bisect.bisect_right(dates, date)
        return snapshots[i - 1] if i else self.initial

    def member_since(self, party: str, date: dt.date) -> dt.date | None:
        """The first day of the membership period that includes `date`."""
        if party not in self.at(date)[0]:
            return None
        since = self.start if party in self.parties else None
        for start, _, who, change in sorted(self.changes):
            if start > date:
                break
            if who == party:
                since = start if change == "joins" else None
        return max(since, self.start) if since is not None else self.start

    def history(self) -> list[tuple[dt.date, str, str]]:
        return [(start, party, change) for start, _, party, change in sorted(self.changes)]


def _fire(treaty: CompiledTreaty, root: Event, env: Env, norms: list, breaches: list, seen: set,
          facts: list | None = None, trace: dict | None = None) -> None:
    """Judge one scenario event: norms and deemed facts from it, then breaches.

    The reference interpreter. `facts` collects deemed facts; `trace` maps each conclusion's key to the
    binding and the event or fact it came from (what explanations need).
    """
    members = env.members
    stack = [root]
    triggered = treaty.triggered
    breach_rules = treaty.breach_rules
    while stack:
        event = stack.pop()
        env.event = event
        for rule in triggered.get(event.type, ()):
            for b in rule.trigger.match(event.args):
                if rule.where and not rule.holds(rule.where, b, env):
                    continue
                for full in (rule.expand(b, env) if rule.quantifiers else (b,)):
                    if (rule.unless or rule.exceptions) and rule.suppressed_by(full, env) is not None:
                        continue
                    if rule.kind == "norm":
                        bearer = rule.bearer(full)
                        if bearer not in members:  # a treaty binds only its members (pacta tertiis)
                            continue
                        counterparty = rule.counterparty(full)
                        key = (rule.index, bearer, counterparty, root.id)
                        if trace is not None:
                            trace.setdefault(key, (full, event))
                        if key in seen:
                            continue
                        seen.add(key)
                        norms.append(Norm(bearer, counterparty, rule, root, root.date))
                    else:  # deem: a fact other rules can match, dated like its event
                        fact = Event(root.id, rule.fact_type, root.date, rule.deemed_args(full),
                                     root.index, None, rule, event, full)
                        stack.append(fact)
                        if facts is not None:
                            facts.append(fact)
            env.event = event
        for rule in breach_rules.get(event.type, ()):
            matcher, conditions = rule.breach
            for b in matcher.match(event.args):
                if not rule.holds(conditions, b, env) or not rule.holds(rule.where, b, env):
                    continue
                for full in rule.expand(b, env):
                    if (rule.unless or rule.exceptions) and rule.suppressed_by(full, env) is not None:
                        continue
                    party = rule.bearer(full)
                    key = ("breach", rule.index, party, root.id)
                    if party not in members:
                        continue
                    if trace is not None:
                        trace.setdefault(key, (full, event))
                    if key in seen:
                        continue
                    seen.add(key)
                    breaches.append(Breach(party, rule, root))


def deemed_facts(result: "Result", root: Event) -> list[Event]:
    """The facts rules deem from one scenario event (for explanations; evaluation does not keep them)."""
    facts: list[Event] = []
    members, order = result.timeline.at(root.date)
    env = Env(root.date, members, order, result.scenario.kinds, None)
    _fire(result.treaty, root, env, [], [], set(), facts)
    return facts


def build_timeline(treaty: CompiledTreaty, scenario: Scenario) -> tuple[Timeline, list[Effect]]:
    """Pass 1: entry into force and every change of membership, in event order."""
    start, first, joins = treaty.entry(scenario.events)
    timeline = Timeline(first, start, treaty.initial_members if first == treaty.parties else None)
    for party, date in joins:  # later ratifications
        timeline.add(party, "joins", date)
    effects: list[Effect] = []
    if not treaty.membership_rules or timeline.start is None:
        return timeline, effects
    kinds = scenario.kinds
    for event in scenario.events:
        rules = treaty.membership_rules.get(event.type)
        if not rules or event.date < timeline.start:
            continue
        members, order = timeline.at(event.date)
        env = Env(event.date, members, order, kinds, event)
        for rule in rules:
            for b in rule.trigger.match(event.args):
                if not rule.holds(rule.where, b, env):
                    continue
                for full in rule.expand(b, env):
                    if rule.suppressed_by(full, env) is not None:
                        continue
                    who = rule.who(full)
                    delay = rule.delay
                    start = add_duration(event.date, delay.amount, delay.unit) if delay else event.date
                    if rule.change == "leaves" and _already_leaving(effects, who, event.date):
                        continue  # a second notice during a notice period starts nothing new
                    effects.append(Effect(who, rule.change, start, rule.article, rule.name, event.id,
                                          event.date, rule, full, event, order))
                    timeline.add(who, rule.change, start)
    return timeline, effects


def _already_leaving(effects: list, party: str, date: dt.date) -> bool:
    """True when `party` has given notice that takes effect after `date` and has not rejoined since."""
    pending = False
    for e in effects:
        if e.party == party:
            pending = e.change == "leaves" and e.start > date
    return pending


def handler(treaty: CompiledTreaty, event_type: str):
    """The generated handler for one event type, made on first use and kept with the treaty."""
    cache = treaty.handlers
    if event_type not in cache:
        from treatylang.engine.codegen import generate_handler

        cache[event_type] = generate_handler(treaty, event_type, Norm, Breach)
    return cache[event_type]


def evaluate(treaty: CompiledTreaty, scenario: Scenario, as_of: dt.date | None = None, *,
             interpret: bool = False) -> Result:
    """Every norm, breach and membership effect the scenario engages. Pure and repeatable.

    `interpret=True` runs the rules through the reference interpreter instead of the generated code
    (same results, slower; the tests compare the two).
    """
    timeline, effects = build_timeline(treaty, scenario)
    norms: list[Norm] = []
    breaches: list[Breach] = []
    not_in_force: list[Event] = []
    kinds = scenario.kinds
    start = timeline.start
    at = timeline.at
    if interpret:
        seen: set = set()
        env = Env(None, frozenset(), (), kinds, None)
    handlers = treaty.handlers
    append_norm, append_breach = norms.append, breaches.append
    with paused_gc():  # conclusions are many small tuples: the collector would only rescan them
        for event in scenario.events:
            if start is None or event.date < start:
                not_in_force.append(event)
                continue
            members, order = at(event.date)
            if interpret:
                env.members, env.member_order, env.date = members, order, event.date
                _fire(treaty, event, env, norms, breaches, seen)
            else:
                run = handlers.get(event.type) or handler(treaty, event.type)
                run(event, members, order, kinds, append_norm, append_breach)
    if as_of is None:
        as_of = scenario.as_of or (scenario.events[-1].date if scenario.events else start or treaty.signed)
    return Result(treaty, scenario, as_of, timeline, norms, breaches, effects, not_in_force,
                  standing=lambda: standing_norms(treaty, scenario, timeline, as_of))


def derivation(conclusion, result: "Result") -> tuple[dict, Event | None]:
    """How a norm, breach or effect arose: the rule's binding and the event or deemed fact it matched.

    Evaluation keeps only the scenario event; this replays that one event through the interpreter.
    """
    if isinstance(conclusion, Effect):
        return conclusion.binding, conclusion.origin
    rule, root = conclusion.source, conclusion.trigger
    if root is None:  # a standing norm
        members, order = result.timeline.at(result.as_of)
        env = Env(result.as_of, members, order, result.scenario.kinds, None)
        for full in rule.expand({}, env):
            if rule.bearer(full) == conclusion.bearer and rule.counterparty(full) == conclusion.counterparty:
                return full, None
        return {}, None
    members, order = result.timeline.at(root.date)
    env = Env(root.date, members, order, result.scenario.kinds, None)
    trace: dict = {}
    _fire(result.treaty, root, env, [], [], set(), trace=trace)
    if isinstance(conclusion, Breach):
        key = ("breach", rule.index, conclusion.party, root.id)
    else:
        key = (rule.index, conclusion.bearer, conclusion.counterparty, root.id)
    return trace.get(key, ({}, root))


def standing_norms(treaty: CompiledTreaty, scenario: Scenario, timeline: Timeline, as_of) -> list[Norm]:
    members, order = timeline.at(as_of)
    if not members:
        return []
    env = Env(as_of, members, order, scenario.kinds, None)
    out = []
    for rule in treaty.standing:
        if not rule.holds(rule.where, {}, env):
            continue
        for full in rule.expand({}, env):
            if rule.suppressed_by(full, env) is not None:
                continue
            bearer = rule.bearer(full)
            if bearer not in members:
                continue
            since = timeline.member_since(bearer, as_of)
            out.append(Norm(bearer, rule.counterparty(full), rule, None, since))
    art = treaty.article_sort_key
    out.sort(key=lambda n: (n.bearer, art(n.article), n.source.index, n.counterparty or ""))
    return out
