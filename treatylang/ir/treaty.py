"""A checked treaty in IR form, indexed once; `evaluate` may run it many times."""

from __future__ import annotations

from treatylang.ir.conditions import DateFromEntry, Either
from treatylang.ir.entry import OnDate
from treatylang.ir.rules import ExceptionOf, Rule
from treatylang.lang.status import model_status
from treatylang.lang.syntax import PlaceType


def _reads_entry(rule) -> bool:
    """Whether the rule's generated code reads the date of entry into force (then handlers are passed it)."""

    def reads(c) -> bool:
        return isinstance(c, DateFromEntry) or (isinstance(c, Either) and (reads(c.left) or reads(c.right)))

    groups = [rule.where, *(u.conditions for u in rule.unless), rule.breach.where if rule.breach else ()]
    return any(reads(c) for g in groups for c in g)


class CompiledTreaty:
    """The treaty's declarations (from the syntax tree) and its rules (IR), indexed by what they match."""

    def __init__(self, tree, rules: list[Rule], entry, warnings=()):
        self.syntax = tree
        self.warnings = tuple(warnings)
        header = tree.header
        self.id = header.id if header else "treaty"
        self.title = header.title if header else self.id
        self.status = model_status(tree)  # how sure the articles' texts are, whether their rules were reviewed
        self.signed = header.signed if header else None
        self.terminated = header.terminated if header else None  # from this date the treaty binds no one
        self.entry_into_force = entry
        self.fixed_entry_date = entry.date if isinstance(entry, OnDate) else None
        self.parties = tuple(p.id for p in tree.parties)
        # `party X "..." joined DATE`: not bound from entry into force, but a member from DATE (docs/time.md)
        self.joined = tuple((p.id, p.joined) for p in tree.parties if p.joined is not None)
        # `party X "..." left DATE`: a member until the day before DATE, whatever the scenario says (docs/time.md)
        self.left = tuple((p.id, p.left) for p in tree.parties if p.left is not None)
        self.signatories = tuple(p.id for p in tree.parties if p.joined is None)
        self.actor_names: dict[str, str] = {p.id: p.name for p in tree.parties}
        self.actor_kinds: dict[str, str] = {p.id: "state" for p in tree.parties}
        for a in tree.actors:
            self.actor_names[a.id] = a.name
            self.actor_kinds[a.id] = a.kind
        self.organs = {o.id: o.name for o in tree.organs}  # organs of the treaty: no party, no third party
        for o in tree.organs:
            self.actor_names[o.id] = o.name
            self.actor_kinds[o.id] = "organ"
        self.qualities = {q.name: q.description for q in tree.qualities}  # quality -> its description
        self.places = {p.id: p for p in tree.places}
        self.place_names = {p.id: p.name for p in tree.places}
        # `codes iso USA, cow 2`: {actor id: {"iso": "USA", "cow": 2}}, to match States in data sets (classify)
        self.codes: dict[str, dict] = {d.id: {c.system: c.parsed() for c in d.codes}
                                       for d in (*tree.parties, *tree.actors) if d.codes}
        self.actor_qualities = {d.id: d.qualities for d in (*tree.parties, *tree.actors) if d.qualities}
        self.aliases: dict[str, str] = {}
        for decl in (*tree.parties, *tree.actors, *tree.organs):
            for name in (decl.id, decl.name, *decl.aliases):
                self.aliases.setdefault(name.casefold(), decl.id)
        self.events = {e.name: e for e in tree.events}
        self._uses = (None, {}) if not tree.uses else None  # (vocabulary, readings): read on first use
        # a parameter is declared `= unknown`: conclusions may be conditional (engine.codegen, evaluate)
        self.uses_unknown = any(p.unknowable for e in tree.events for p in e.params)
        self.articles = {a.number: a for a in reversed(tree.articles)}  # a number's first block (versions: the first)
        # rule name -> its article block, for rules of dated versions (the block's title, text and uncertainties)
        self.article_versions = {r.name: a for a in tree.articles if a.versioned for r in a.rules}
        if tree.preamble is not None:
            self.articles.setdefault("preamble", tree.preamble)
        self.article_order = {a.number: i for i, a in enumerate(tree.articles)}
        self.initial_members = (frozenset(self.signatories), tuple(sorted(self.signatories)))
        self.handlers: dict = {}  # event type -> generated handler, made on first use (engine.evaluate)
        self.quiet_timeline = None  # the timeline of scenarios with no membership event (engine.timeline)
        self.timelines: dict = {}  # timelines of scenarios that share their membership events (engine.timeline)
        self.traced_handlers: dict = {}

        self.rules = rules
        self.rule_by_name = {r.name: r for r in rules}
        self.triggered: dict[str, list[Rule]] = {}  # event or fact type -> norm and deem rules it triggers
        self.membership_rules: dict[str, list[Rule]] = {}
        self.breach_rules: dict[str, list[Rule]] = {}  # event or fact type -> prohibitions it may breach
        self.deemers: dict[str, list[Rule]] = {}  # fact or event type -> the rules that deem it
        self.standing: list[Rule] = []
        self._depth_table = None
        # whether any rule reads the date of entry into force (only then do handlers get it passed)
        self.uses_entry_date = any(_reads_entry(r) for r in rules)
        self.uses_after = any(r.after is not None for r in rules)  # handlers then take the earlier events
        self.uses_lifetimes = any(r.ends or r.late_breaches for r in rules)  # the lifetime pass then runs
        for r in rules:
            if r.kind == "exception":
                self.rule_by_name[r.exception_to].exceptions.append(ExceptionOf(r))
                continue
            if r.breach is not None:
                self.breach_rules.setdefault(r.breach.pattern.event, []).append(r)
            if r.kind == "deem":
                self.deemers.setdefault(r.conclusion.fact, []).append(r)
            if r.trigger is None:
                if r.kind == "norm":
                    self.standing.append(r)
            elif r.kind == "membership":
                self.membership_rules.setdefault(r.trigger.event, []).append(r)
            elif r.kind in ("norm", "deem"):
                self.triggered.setdefault(r.trigger.event, []).append(r)
        # a change of membership needs an earlier event: the membership pass indexes them (engine.timeline)
        self.membership_after = any(r.after is not None for rs in self.membership_rules.values() for r in rs)
        # a membership event naming a place: its timeline is never shared (a place id's owner is not in its
        # value's equality, and a renamed world may give the same place another owner)
        self.membership_places = any(isinstance(p.type, PlaceType) for t in self.membership_rules
                                     if t in self.events for p in self.events[t].params)

    def quantifier_depth(self, event_type: str) -> tuple[int, list]:
        """The most `for each` one event of this type ranges over along one deeming path, and that path.

        The bindings multiply along a path (each fact deemed in a loop is matched by the next rule's loops),
        so the cost of one event is members ** depth. Computed for every type in one pass, without recursion.
        """
        depth, via = self._depths()
        path, t = [], event_type
        while t in via:
            rule = via[t]
            path.append(rule)
            t = rule.conclusion.fact if rule.kind == "deem" else None
        return depth.get(event_type, 0), path

    def _depths(self) -> tuple[dict, dict]:
        """(type -> depth, type -> the first rule of its deepest path): memoised, linear in the rules."""
        if self._depth_table is None:
            depth: dict[str, int] = {}
            via: dict = {}
            for start in self.events:
                stack = [(start, False)]
                while stack:
                    t, done = stack.pop()
                    if not done:
                        if t in depth:
                            continue
                        depth[t] = 0  # provisional: the checks refuse cycles
                        stack.append((t, True))
                        stack.extend((r.conclusion.fact, False) for r in self.triggered.get(t, ())
                                     if r.kind == "deem" and r.conclusion.fact not in depth)
                        continue
                    best, rule = 0, None
                    for r in (*self.breach_rules.get(t, ()), *self.triggered.get(t, ())):
                        d = r.free_quantifiers() + (depth.get(r.conclusion.fact, 0) if r.kind == "deem" else 0)
                        if rule is None or d > best:
                            best, rule = d, r
                    depth[t] = best
                    if rule is not None:
                        via[t] = rule
            self._depth_table = (depth, via)
            self._most = max(depth.values(), default=0)
        return self._depth_table

    @property
    def most_quantifiers(self) -> int:
        """The largest quantifier depth of any event type (computed once)."""
        if self._depth_table is None:
            self._depths()
        return self._most

    def code_of(self, actor: str, system: str):
        """The actor's code in that list (`iso` a str, `cow` an int), or None when it declares none."""
        return self.codes.get(actor, {}).get(system)

    def by_code(self, system: str, value) -> str | None:
        """The declared actor whose code in that list is `value` (checks make it unique), or None."""
        for actor, codes in self.codes.items():
            if codes.get(system) == value:
                return actor
        return None

    def resolve_actor(self, name: str) -> str | None:
        return self.aliases.get(name.casefold())

    @property
    def vocabulary(self):
        """The shared vocabulary the treaty `uses` (ir.vocabulary.Vocabulary), or None. Read on first use: a
        scenario in the treaty's own terms (most runs) costs nothing for it (the cold start is measured)."""
        return self._read_uses()[0]

    @property
    def readings(self) -> dict:
        """The vocabulary's event name -> its ir.vocabulary.EventReading (empty without `uses`)."""
        return self._read_uses()[1]

    def _read_uses(self) -> tuple:
        if self._uses is None:
            from treatylang.ir.vocabulary import lower_uses

            self._uses = lower_uses(self.syntax)
        return self._uses

    def article_sort_key(self, number: str):
        return self.article_order.get(number, len(self.article_order))

    def entry(self, events):
        """(date, the parties bound from it, later (party, date) joins) for a scenario's events. A party
        declared `joined DATE` joins on DATE (on entry into force, if that is later)."""
        start, first, joins = self.entry_into_force.entry(events, self.signatories)
        if start is not None and self.joined:
            joins = [*joins, *((p, max(d, start)) for p, d in self.joined)]
        return start, first, joins

    def reachable(self, event_type: str, wanted: str) -> bool:
        """Whether a `wanted` event or fact can arise from an `event_type` through deeming."""
        seen, todo = set(), [event_type]
        while todo:
            t = todo.pop()
            if t == wanted:
                return True
            if t in seen:
                continue
            seen.add(t)
            todo.extend(r.conclusion.fact for r in self.triggered.get(t, ()) if r.kind == "deem")
        return False

    def paths(self, event_type: str) -> int:
        """How many rule instances one event of this type reaches through deeming (counted, not walked).

        The generated code has one copy of a rule per path; a diamond of deems doubles them per level.
        """
        memo: dict[str, int] = {}
        stack = [(event_type, False)]
        while stack:  # post-order without recursion: deeming chains may be long
            t, done = stack.pop()
            if done:
                total = 0
                for r in self.triggered.get(t, ()):
                    total += 1 + (memo.get(r.conclusion.fact, 0) if r.kind == "deem" else 0)
                total += len(self.breach_rules.get(t, ()))
                memo[t] = total
                continue
            if t in memo:
                continue
            memo[t] = 0  # provisional: the checks refuse cycles
            stack.append((t, True))
            for r in self.triggered.get(t, ()):
                if r.kind == "deem" and r.conclusion.fact not in memo:
                    stack.append((r.conclusion.fact, False))
        return memo.get(event_type, 0)
