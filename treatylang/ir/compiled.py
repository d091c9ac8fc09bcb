"""Syntax tree → compiled treaty: rules turned into closures and indexed by the event type they match.

Everything that depends only on the treaty is done here, once, so `evaluate` only runs plans.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterator

from treatylang.lang import syntax as s
from treatylang.source.dates import add_duration

ACTOR_KINDS = ("state", "organization", "armed_group")
MEMBERSHIP_KINDS = ("member",)  # "X is a member": on the date of the event being judged

Binding = dict  # variable name -> value (actor id or enumeration value)


class Env:
    """What a condition may look at: the date, the members on it, actor kinds, the triggering event."""

    __slots__ = ("date", "members", "member_order", "kinds", "event")

    def __init__(self, date, members, member_order, kinds, event):
        self.date = date
        self.members = members
        self.member_order = member_order
        self.kinds = kinds
        self.event = event


# ---- terms and conditions ------------------------------------------------------------
def term_getter(term: s.Term) -> Callable[[Binding], str | None]:
    if isinstance(term, s.Var):
        name = term.name
        return lambda b: b.get(name)
    value = term.name
    return lambda b: value


def compile_condition(c: s.Condition) -> Callable[[Binding, Env], bool | None]:
    """A condition as a function returning True, False, or None when a fact it needs is unknown."""
    if isinstance(c, s.IsKind):
        get, negated, kind = term_getter(c.term), c.negated, c.kind
        if kind in MEMBERSHIP_KINDS:
            def test(b, env):
                v = get(b)
                return None if v is None else (v in env.members) != negated
        else:
            def test(b, env):
                v = get(b)
                return None if v is None else (env.kinds.get(v) == kind) != negated
        return test
    if isinstance(c, s.IsSame):
        left, right, negated = term_getter(c.left), term_getter(c.right), c.negated

        def same(b, env):
            x, y = left(b), right(b)
            return None if x is None or y is None else (x == y) != negated
        return same
    if isinstance(c, s.AllAmong):
        arg = c.arg

        def unanimous(b, env):
            given = env.event.args.get(arg) or ()
            return all(m in given for m in env.members)
        return unanimous
    if isinstance(c, s.ShareAmong):
        arg, num, den = c.arg, c.numerator, c.denominator

        def share(b, env):
            given = env.event.args.get(arg) or ()
            yes = sum(1 for m in env.members if m in given)
            return yes * den >= num * len(env.members)
        return share
    if isinstance(c, s.DateTest):
        op, when = c.op, c.date
        compare = {
            "before": lambda d: d < when,
            "after": lambda d: d > when,
            "on": lambda d: d == when,
            "on_or_after": lambda d: d >= when,
            "on_or_before": lambda d: d <= when,
        }[op]
        return lambda b, env: compare(env.date)
    if isinstance(c, s.Either):
        first, second = compile_condition(c.left), compile_condition(c.right)

        def either(b, env):
            x, y = first(b, env), second(b, env)
            if x or y:
                return True
            return None if x is None or y is None else False
        return either
    raise TypeError(f"unknown condition {c!r}")


# ---- patterns ------------------------------------------------------------------------
class Matcher:
    """Matches an event's arguments against a pattern, yielding one binding per match.

    A variable on a list argument ranges over its elements: `raid(on: V)` matches once per actor raided.
    """

    __slots__ = ("event", "steps")

    def __init__(self, pattern: s.Pattern, decl: s.EventDecl):
        self.event = pattern.event
        steps = []
        for arg in pattern.args:
            param = decl.param(arg.name)
            is_list = param is not None and param.type.is_list
            v = arg.value
            if isinstance(v, s.Var):
                steps.append(("each" if is_list else "bind", arg.name, v.name))
            elif isinstance(v, s.ArgConst):
                steps.append(("any_in" if is_list else "in", arg.name, frozenset(v.values)))
        self.steps = tuple(steps)

    def match(self, args: dict, binding: Binding | None = None) -> list[Binding]:
        results = [dict(binding) if binding else {}]
        for kind, arg, x in self.steps:
            value = args.get(arg)
            if value is None:
                return []
            if kind == "bind":
                results = [b for b in results if b.setdefault(x, value) == value]
                if not results:
                    return []
            elif kind == "each":
                grown = []
                for b in results:
                    old = b.get(x)
                    for item in value:
                        if old is None:
                            nb = dict(b)
                            nb[x] = item
                            grown.append(nb)
                        elif old == item:
                            grown.append(b)
                            break
                results = grown
                if not results:
                    return []
            elif kind == "in":
                if value not in x:
                    return []
            else:  # any_in
                if not any(item in x for item in value):
                    return []
        return results

    def missing(self, args: dict) -> list[str]:
        """Arguments the pattern needs that the event does not give (for "unknown" explanations)."""
        return [arg for _, arg, _ in self.steps if args.get(arg) is None]


# ---- rules ---------------------------------------------------------------------------
class CompiledRule:
    """A rule ready to run. Its syntax stays attached for explanations."""

    def __init__(self, rule: s.Rule, index: int, decls: dict[str, s.EventDecl]):
        self.syntax = rule
        self.index = index
        self.name = rule.name
        self.article = rule.article
        self.kind = rule.kind
        self.key = (rule.article, rule.name)
        self.trigger = Matcher(rule.trigger, decls[rule.trigger.event]) if rule.trigger else None
        self.where = tuple(compile_condition(c) for c in rule.where)
        self.quantifiers = tuple(
            (q.var, tuple(term_getter(t) for t in q.excluding)) for q in rule.quantifiers
        )
        self.unless = tuple(tuple(compile_condition(c) for c in group) for group in rule.unless)
        self.exceptions: list[CompiledRule] = []  # filled by CompiledTreaty
        self.breach = None
        if rule.breach is not None:
            self.breach = (
                Matcher(rule.breach.pattern, decls[rule.breach.pattern.event]),
                tuple(compile_condition(c) for c in rule.breach.where),
            )
        c = rule.conclusion
        self.conclusion = c
        if isinstance(c, s.NormConclusion):
            self.bearer = term_getter(c.bearer)
            self.counterparty = term_getter(c.counterparty) if c.counterparty is not None else (lambda b: None)
            self.modality = c.modality
            self.action = c.action
            self.means = c.means
        elif isinstance(c, s.Deem):
            self.fact_type = c.pattern.event
            fact_decl = decls[c.pattern.event]
            self.fact_lists = frozenset(p.name for p in fact_decl.params if p.type.is_list)
            self.fact_defaults = {p.name: p.default for p in fact_decl.params if p.default is not None}
            self.fact_args = tuple(
                (a.name, a.value.name if isinstance(a.value, s.Var) else None,
                 a.value.values[0] if isinstance(a.value, s.ArgConst) else None)
                for a in c.pattern.args
            )
        elif isinstance(c, s.MembershipChange):
            self.who = term_getter(c.who)
            self.change = c.change
            self.delay = c.delay

    def __repr__(self) -> str:
        return f"<rule {self.name} (article {self.article})>"

    def holds(self, conditions, b: Binding, env: Env) -> bool:
        for test in conditions:
            if not test(b, env):
                return False
        return True

    def expand(self, b: Binding, env: Env) -> Iterator[Binding]:
        """Bindings after the `for each` quantifiers (a bound variable is tested, not ranged over)."""
        bindings = [b]
        for var, excluding in self.quantifiers:
            grown = []
            for cur in bindings:
                excluded = {get(cur) for get in excluding}
                if var in cur:
                    if cur[var] in env.members and cur[var] not in excluded:
                        grown.append(cur)
                    continue
                for m in env.member_order:
                    if m not in excluded:
                        nb = dict(cur)
                        nb[var] = m
                        grown.append(nb)
            bindings = grown
        return iter(bindings)

    def suppressed_by(self, b: Binding, env: Env):
        """The `unless` clause index or the exception rule that defeats this conclusion, if any."""
        for i, group in enumerate(self.unless):
            if all(test(b, env) for test in group):
                return i
        for exc in self.exceptions:
            if all(test(b, env) for test in exc.where):
                return exc
        return None

    def deemed_args(self, b: Binding) -> dict:
        """The arguments of the fact this rule deems: a list argument holds the one value given."""
        args = dict(self.fact_defaults)
        for name, var, const in self.fact_args:
            value = b.get(var) if var is not None else const
            args[name] = (value,) if name in self.fact_lists else value
        return args


class CompiledTreaty:
    """A checked treaty, compiled once; `evaluate` may run it many times."""

    def __init__(self, tree: s.TreatyFile, warnings=()):
        self.syntax = tree
        self.warnings = tuple(warnings)
        header = tree.header
        self.id = header.id if header else "treaty"
        self.title = header.title if header else self.id
        self.signed = header.signed if header else None
        self.entry_into_force = header.entry_into_force if header else None
        self.parties = tuple(p.id for p in tree.parties)
        self.actor_names: dict[str, str] = {p.id: p.name for p in tree.parties}
        self.actor_kinds: dict[str, str] = {p.id: "state" for p in tree.parties}
        for a in tree.actors:
            self.actor_names[a.id] = a.name
            self.actor_kinds[a.id] = a.kind
        self.aliases: dict[str, str] = {}
        for decl in (*tree.parties, *tree.actors):
            for name in (decl.id, decl.name, *decl.aliases):
                self.aliases.setdefault(name.casefold(), decl.id)
        self.events = {e.name: e for e in tree.events}
        self.articles = {a.number: a for a in tree.articles}
        if tree.preamble is not None:
            self.articles.setdefault("preamble", tree.preamble)
        self.article_order = {a.number: i for i, a in enumerate(tree.articles)}
        eif = self.entry_into_force
        # the date for entry into force that needs no scenario event (None after N ratifications)
        self.fixed_entry_date = (eif.date if isinstance(eif, s.OnDate)
                                 else None if isinstance(eif, s.AfterEvents) else self.signed)

        self.rules = [CompiledRule(r, i, self.events) for i, r in enumerate(tree.rules)]
        self.initial_members = (frozenset(self.parties), tuple(sorted(self.parties)))
        self.handlers: dict = {}  # event type -> generated handler (engine.handler makes them on first use)
        by_name = {r.name: r for r in self.rules}
        self.rule_by_name = by_name
        self.triggered: dict[str, list[CompiledRule]] = {}
        self.membership_rules: dict[str, list[CompiledRule]] = {}
        self.breach_rules: dict[str, list[CompiledRule]] = {}
        self.standing: list[CompiledRule] = []
        for r in self.rules:
            if r.kind == "exception":
                by_name[r.syntax.exception_to].exceptions.append(r)
                continue
            if r.breach is not None:
                self.breach_rules.setdefault(r.breach[0].event, []).append(r)
            if r.trigger is None:
                if r.kind == "norm":
                    self.standing.append(r)
            elif r.kind == "membership":
                self.membership_rules.setdefault(r.trigger.event, []).append(r)
            else:
                self.triggered.setdefault(r.trigger.event, []).append(r)

    def resolve_actor(self, name: str) -> str | None:
        return self.aliases.get(name.casefold())

    def article_sort_key(self, number: str):
        return self.article_order.get(number, len(self.article_order))

    def entry(self, events) -> tuple[dt.date | None, tuple, list]:
        """Entry into force for a scenario: (date, the parties bound from it, later (party, date) joins).

        On signature or on a date, every party is bound from that date. After N ratification events, the
        treaty binds the parties that ratified by the Nth (counting distinct parties: a second
        ratification, or an outsider's, counts for nothing) from that date plus the stated delay; a
        party that ratifies later is bound from its own ratification plus the same delay.
        """
        eif = self.entry_into_force
        if not isinstance(eif, s.AfterEvents):
            return self.fixed_entry_date, self.parties, []
        decl = self.events[eif.event]
        actor = next((p.name for p in decl.params if isinstance(p.type, s.ActorType) and not p.type.is_list), None)

        def later(date):
            return add_duration(date, eif.delay.amount, eif.delay.unit) if eif.delay else date

        ratified: dict[str, dt.date] = {}
        for e in events:
            who = e.args.get(actor) if actor and e.type == eif.event else None
            if who in self.parties and who not in ratified:
                ratified[who] = e.date
        if len(ratified) < eif.count:
            return None, (), []
        order = sorted(ratified, key=lambda p: ratified[p])
        start = later(ratified[order[eif.count - 1]])
        first = tuple(p for p in order if later(ratified[p]) <= start)
        joins = [(p, later(ratified[p])) for p in order if p not in first]
        return start, first, joins

