"""Scenario × compiled treaty → Result. Pure: no I/O, and nothing here knows any particular treaty.

Evaluation runs in two passes over the events in date order (same-date events in file order):
1. membership (timeline.py): entry into force and each change of membership;
2. norms: each event, through its generated handler (codegen.py), with the members on its date.
Results stay compact (tuples). Explanations replay one event through the traced variant of the same
handler, once per event and only when asked for.
"""

from __future__ import annotations

import datetime as dt

from treatylang.engine import codegen
from treatylang.engine.interpret import fire
from treatylang.engine.timeline import Timeline, build_timeline
from treatylang.infra.gc_pause import paused_gc
from treatylang.ir.conditions import Env
from treatylang.model import Effect, Event, Fact, Norm, Result, Scenario
from treatylang.source.diagnostics import TreatyError, located

MAX_PATHS = 2_000  # rule instances one event may reach through deeming
MAX_BINDINGS = 10_000_000  # bindings one rule may range over for one event


def handler(treaty, event_type: str, traced: bool = False):
    """The handler for one event type, made on first use and kept with the treaty."""
    cache = treaty.traced_handlers if traced else treaty.handlers
    if event_type not in cache:
        check_paths(treaty, event_type)
        try:
            cache[event_type] = codegen.generate_handler(treaty, event_type, traced)
        except codegen.TooDeep:
            cache[event_type] = _interpreted(treaty, traced)
    return cache[event_type]


def _interpreted(treaty, traced: bool):
    """A handler that runs the IR through the interpreter: for rules nested deeper than Python compiles."""

    def run(ev, members, order, kinds, norms_append, breaches_append, trace_append=None, entry=None):
        norms, breaches, trace = [], [], {} if traced else None
        fire(treaty, ev, Env(ev.date, members, order, kinds, None, entry), norms, breaches, set(), trace=trace)
        for n in norms:
            norms_append(n)
        for b in breaches:
            breaches_append(b)
        for key, (binding, matched) in (trace or {}).items():
            trace_append((key, _chain_of(matched, binding, key, treaty)))

    return run


def _chain_of(matched, binding, key, treaty) -> tuple:
    """The traced handler's (rule, binding) chain, rebuilt from an interpreter trace."""
    links = []
    while isinstance(matched, Fact):
        links.append((matched.deemed_by, matched.binding))
        matched = matched.parent
    rule = treaty.rules[key[1] if key[0] == "breach" else key[0]]
    return (*reversed(links), (rule, binding))


def check_paths(treaty, event_type: str) -> None:
    """Refuse, with a located reason, an event type whose deeming paths would multiply without bound."""
    paths = treaty.paths(event_type)
    if paths > MAX_PATHS:
        raise TreatyError([located(treaty.events[event_type].span, (
            f"one '{event_type}' event reaches {paths:,} rule instances through deeming (at most {MAX_PATHS:,}): "
            "a long chain of deems, or rules that deem the same fact twice level after level (which doubles the "
            "work each time)"),
            treaty.syntax.source)])


def _members_at_most(treaty, scenario: Scenario) -> int:
    return len(treaty.parties) + sum(1 for e in scenario.events if e.type in treaty.membership_rules)


def check_bindings(treaty, scenario: Scenario) -> None:
    """Refuse, with a located reason, an event that would range over too many bindings (through its deems)."""
    members = _members_at_most(treaty, scenario)
    for event_type in sorted({e.type for e in scenario.events}):
        depth, path = treaty.quantifier_depth(event_type)
        if depth > 1 and members ** depth > MAX_BINDINGS:
            rules = " → ".join(r.name for r in path)
            raise TreatyError([located(path[0].span, (
                f"one '{event_type}' event would range over the {members} members {depth} times (rules {rules}): "
                f"up to {members ** depth:,} bindings (at most {MAX_BINDINGS:,})"), treaty.syntax.source)])


def evaluate(treaty, scenario: Scenario, as_of: dt.date | None = None, *, interpret: bool = False) -> Result:
    """Every norm, breach and membership effect the scenario engages. Pure and repeatable.

    `interpret=True` runs the rules through the reference interpreter instead of the generated code
    (same results, slower; the tests compare the two).
    """
    k = treaty.most_quantifiers
    if k > 1 and (len(treaty.parties) + len(scenario.events)) ** k > MAX_BINDINGS:  # a cheap upper bound first
        check_bindings(treaty, scenario)
    timeline, effects = build_timeline(treaty, scenario)
    norms: list[Norm] = []
    breaches: list = []
    not_in_force: list[Event] = []
    kinds = scenario.kinds
    start = timeline.start
    at = timeline.at
    handlers = treaty.handlers
    append_norm, append_breach = norms.append, breaches.append
    dated = treaty.uses_entry_date  # rules that read the date of entry into force get it passed
    with paused_gc():  # conclusions are many small tuples: the collector would only rescan them
        for event in scenario.events:
            if start is None or event.date < start:
                not_in_force.append(event)
                continue
            members, order = at(event.date)
            if interpret:
                fire(treaty, event, Env(event.date, members, order, kinds, None, start), norms, breaches, set())
            elif dated:
                run = handlers.get(event.type) or handler(treaty, event.type)
                run(event, members, order, kinds, append_norm, append_breach, entry=start)
            else:
                run = handlers.get(event.type) or handler(treaty, event.type)
                run(event, members, order, kinds, append_norm, append_breach)
    if as_of is None:
        as_of = scenario.as_of or (scenario.events[-1].date if scenario.events else start or treaty.signed)
    derivations = _Derivations(treaty, scenario, timeline, as_of, interpret)
    return Result(treaty, scenario, as_of, timeline, norms, breaches, effects, not_in_force,
                  standing=derivations.standing, derive=derivations.of)


class _Derivations:
    """How each conclusion of one result arose, recorded on demand by the path that produced it."""

    def __init__(self, treaty, scenario, timeline: Timeline, as_of, interpreted: bool = False):
        self.treaty, self.scenario, self.timeline, self.as_of = treaty, scenario, timeline, as_of
        self.interpreted = interpreted  # the result came from the interpreter: so do its derivations
        self.by_event: dict[str, dict] = {}
        self.standing_bindings: dict = {}

    def standing(self) -> list[Norm]:
        """Norms with no trigger, binding each member on `as_of`, with the binding of each kept."""
        treaty, timeline, as_of = self.treaty, self.timeline, self.as_of
        members, order = timeline.at(as_of)
        if not members:
            return []
        env = Env(as_of, members, order, self.scenario.kinds, None, timeline.start)
        out = []
        for rule in treaty.standing:
            for full in rule.bindings(None, env):
                bearer, counterparty = rule.conclusion.apply(full)
                key = (rule.index, bearer, counterparty)
                if bearer not in members or key in self.standing_bindings:
                    continue
                self.standing_bindings[key] = full
                out.append(Norm(bearer, counterparty, rule, None, timeline.member_since(bearer, as_of)))
        art = treaty.article_sort_key
        out.sort(key=lambda n: (n.bearer, art(n.article), n.source.index, n.counterparty or ""))
        return out

    def of(self, conclusion, result: Result) -> tuple[dict, object]:
        """(binding, the event or deemed Fact the rule matched) for a norm, breach or effect."""
        if isinstance(conclusion, Effect):
            return conclusion.binding, conclusion.origin
        rule, root = conclusion.source, conclusion.trigger
        if root is None:  # a standing norm
            result.standing  # noqa: B018 (computes the bindings on first use)
            return self.standing_bindings.get((rule.index, conclusion.bearer, conclusion.counterparty), {}), None
        if isinstance(conclusion, Norm):
            key = (rule.index, conclusion.bearer, conclusion.counterparty)
        else:
            key = ("breach", rule.index, conclusion.party)
        chain = self.traces(root).get(key)
        if chain is None:
            return {}, root
        origin = root
        for deemer, binding in chain[:-1]:
            origin = Fact(root, deemer.conclusion.fact, deemer.conclusion.apply(binding), deemer, origin, binding)
        return chain[-1][1], origin

    def traces(self, root) -> dict:
        if root.id not in self.by_event:
            members, order = self.timeline.at(root.date)
            found: list = []
            run = _interpreted(self.treaty, True) if self.interpreted else handler(self.treaty, root.type, traced=True)
            if self.treaty.uses_entry_date:
                run(root, members, order, self.scenario.kinds, _ignore, _ignore, found.append, entry=self.timeline.start)
            else:
                run(root, members, order, self.scenario.kinds, _ignore, _ignore, found.append)
            self.by_event[root.id] = dict(found)
        return self.by_event[root.id]


def _ignore(_) -> None:
    return None


def deemed_facts(result: Result, root: Event) -> list[Fact]:
    """The facts rules deem from one scenario event (what "why not" inspects)."""
    facts: list[Fact] = []
    members, order = result.timeline.at(root.date)
    fire(result.treaty, root, Env(root.date, members, order, result.scenario.kinds, None, result.timeline.start),
         [], [], set(), facts)
    return facts


def standing_norms(treaty, scenario: Scenario, timeline: Timeline, as_of) -> list[Norm]:
    """The standing norms on `as_of` under a given timeline (treaty verify asks for several dates)."""
    return _Derivations(treaty, scenario, timeline, as_of).standing()
