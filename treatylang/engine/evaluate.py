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
from treatylang.engine.lifetimes import judge_lifetimes
from treatylang.engine.timeline import Timeline, build_timeline
from treatylang.infra.gc_pause import call_paused
from treatylang.ir.conditions import Env
from treatylang.ir.procedures import EarlierIndex, judged_from
from treatylang.model import Breach, Conditional, Effect, Event, Fact, Norm, Result, Scenario, settle_conditional
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

    names = codegen.extra_params(treaty)

    def run(ev, members, order, kinds, norms_append, breaches_append, *rest):
        trace_append, rest = (rest[0], rest[1:]) if traced else (None, rest)
        given = dict(zip(names, rest))
        entry, cond_append, earlier = given.get("entry"), given.get("cond_append"), given.get("earlier")
        norms, breaches, trace, found = [], [], {} if traced else None, []
        fire(treaty, ev, Env(ev.date, members, order, kinds, None, entry, earlier), norms, breaches, set(),
             trace=trace, conditional=found)
        for n in norms:
            norms_append(n)
        for b in breaches:
            breaches_append(b)
        for c in found if cond_append is not None else ():
            cond_append(c)
        for key, (binding, matched) in (trace or {}).items():
            trace_append((key, _chain_of(matched, binding, key, treaty)))

    run.settled = False  # its conditional conclusions are settled by evaluate
    return run


def _chain_of(matched, binding, key, treaty) -> tuple:
    """The traced handler's (rule, binding) chain, rebuilt from an interpreter trace."""
    links = []
    if key[0] == "conditional":
        key = key[1]
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
    # conclusions are many small tuples: the collector would only rescan them
    return call_paused(_evaluate, treaty, scenario, as_of, interpret)


def _evaluate(treaty, scenario: Scenario, as_of, interpret: bool) -> Result:
    timeline, effects = build_timeline(treaty, scenario)
    earlier = EarlierIndex(scenario.events, timeline.start, timeline.at, scenario.kinds) if treaty.uses_after else None
    norms: list[Norm] = []
    breaches: list = []
    not_in_force: list[Event] = []
    kinds = scenario.kinds
    start = timeline.start
    at = timeline.at
    handlers = treaty.handlers
    append_norm, append_breach = norms.append, breaches.append
    found: list = []  # one event's conditional conclusions, settled once it is judged
    conditional: list = []
    # what the rules need beyond the event and its members (codegen.extra_params), by position
    extra = codegen.extra_args(treaty, start, found.append, earlier)
    unknowable, n0, b0 = treaty.uses_unknown, 0, 0
    fixed = timeline.initial if not timeline.changes else None  # no change of membership: one set throughout
    end = timeline.end
    for event in scenario.events:
        if start is None or event.date < start:
            if event.until is None or start is None or event.until < start:
                not_in_force.append(event)
                continue
            event = event.judged_on(start)  # a situation continuing into force (docs/time.md)
        if end is not None and event.date >= end:
            not_in_force.append(event)  # the treaty had terminated: it binds no one (docs/time.md)
            continue
        members, order = fixed or at(event.date)
        if unknowable:  # where this event's conclusions begin
            n0, b0 = len(norms), len(breaches)
        if interpret:
            fire(treaty, event, Env(event.date, members, order, kinds, None, start, earlier), norms, breaches,
                 set(), conditional=found)
        elif extra:
            run = handlers.get(event.type) or handler(treaty, event.type)
            run(event, members, order, kinds, append_norm, append_breach, *extra)
        else:
            run = handlers.get(event.type) or handler(treaty, event.type)
            run(event, members, order, kinds, append_norm, append_breach)
        if found:  # settled against the event's own established conclusions, unless they cannot meet
            if interpret or not run.settled:
                conditional += settle_conditional(found, norms[n0:], breaches[b0:])
            else:
                conditional += found
            found.clear()
    if as_of is None:  # the last date an event is judged on (a situation continuing into force: that day)
        as_of = scenario.as_of or _last_judged(scenario.events, start) or start or treaty.signed
    derivations = _Derivations(treaty, scenario, timeline, as_of, interpret, earlier)
    later = None
    if treaty.uses_lifetimes:  # what became of each norm after its event (engine/lifetimes.py)
        later = earlier or EarlierIndex(scenario.events, start, at, kinds)
        breaches += judge_lifetimes(norms, as_of, later, lambda n: derivations.of(n, None)[0])
    return Result(treaty, scenario, as_of, timeline, norms, breaches, effects, not_in_force,
                  standing=derivations.standing, derive=derivations, conditional=conditional, earlier=earlier,
                  later=later)


def _last_judged(events, start):
    """The last date an event is judged on, or None for no events."""
    if not events:
        return None
    last = events[-1].date  # events come in date order (model.Scenario)
    if start is not None and last >= start:  # an earlier event is judged on entry into force at the latest
        return last
    return max(judged_from(e, start) or e.date for e in events)


class _Derivations:
    """How each conclusion of one result arose, recorded on demand by the path that produced it."""

    __slots__ = ("treaty", "scenario", "timeline", "as_of", "interpreted", "earlier", "by_event", "standing_bindings")

    def __init__(self, treaty, scenario, timeline: Timeline, as_of, interpreted: bool = False, earlier=None):
        self.treaty, self.scenario, self.timeline, self.as_of = treaty, scenario, timeline, as_of
        self.interpreted = interpreted  # the result came from the interpreter: so do its derivations
        self.earlier = earlier  # the EarlierIndex of the evaluation, for rules with `after`
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
                if not rule.conclusion.binds(bearer, members) or key in self.standing_bindings:
                    continue
                self.standing_bindings[key] = full
                since = timeline.member_since(bearer, as_of) if bearer in members else timeline.start  # an organ's
                out.append(Norm((bearer, counterparty, rule, None, since, None)))
        art = treaty.article_sort_key
        out.sort(key=lambda n: (n.bearer, art(n.article), n.source.index, n.counterparty or ""))
        return out

    def of(self, conclusion, result: Result) -> tuple[dict, object]:
        """(binding, the event or deemed Fact the rule matched) for a norm, breach or effect."""
        if isinstance(conclusion, Effect):
            return conclusion.binding, conclusion.origin
        opens = None
        if isinstance(conclusion, Conditional):
            conclusion, opens = conclusion.item, conclusion.depends_on
        if isinstance(conclusion, Breach) and conclusion.norm is not None:  # of a norm: the norm's derivation
            return self.of(conclusion.norm, result)
        rule, root = conclusion.source, conclusion.trigger
        if root is None:  # a standing norm
            result.standing  # noqa: B018 (computes the bindings on first use)
            return self.standing_bindings.get((rule.index, conclusion.bearer, conclusion.counterparty), {}), None
        if isinstance(conclusion, Norm):
            key = (rule.index, conclusion.bearer, conclusion.counterparty)
        else:
            key = ("breach", rule.index, conclusion.party)
        if opens is not None:
            key = ("conditional", key, opens)
        chain = self.traces(root).get(key)
        if chain is None:
            return {}, root
        origin = root
        for deemer, binding in chain[:-1]:
            origin = Fact(root, deemer.conclusion.fact, deemer.conclusion.apply(binding), deemer, origin, binding)
        return chain[-1][1], origin

    __call__ = of  # the object itself is the result's `derive`: one bound method fewer kept per result

    def traces(self, root) -> dict:
        if root.id not in self.by_event:
            members, order = self.timeline.at(root.date)
            found: list = []
            run = _interpreted(self.treaty, True) if self.interpreted else handler(self.treaty, root.type, traced=True)
            extra = codegen.extra_args(self.treaty, self.timeline.start, _ignore, self.earlier)
            run(root, members, order, self.scenario.kinds, _ignore, _ignore, found.append, *extra)
            traces: dict = {}
            for key, chain in found:  # the first derivation of each (a conditional one may recur)
                traces.setdefault(key, chain)
            self.by_event[root.id] = traces
        return self.by_event[root.id]


def _ignore(_) -> None:
    return None


def deemed_facts(result: Result, root: Event) -> list[Fact]:
    """The facts rules deem from one scenario event (what "why not" inspects)."""
    facts: list[Fact] = []
    members, order = result.timeline.at(root.date)
    env = Env(root.date, members, order, result.scenario.kinds, None, result.timeline.start,
              result.earlier)
    fire(result.treaty, root, env, [], [], set(), facts)
    return facts


def standing_norms(treaty, scenario: Scenario, timeline: Timeline, as_of) -> list[Norm]:
    """The standing norms on `as_of` under a given timeline (treaty verify asks for several dates)."""
    return _Derivations(treaty, scenario, timeline, as_of).standing()
