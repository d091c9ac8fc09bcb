"""`treaty verify`: check the structure of a treaty over every small scenario.

Every scenario of up to K events over the members and J outsiders is considered: every event type a scenario
may state, every choice of arguments (absent optionals, every subset for a list, every outsider kind), dates in
order. On each one the checker asks:

- renaming invariance: permuting the members' names in the scenario permutes the result, nothing else;
- symmetry: members that play the same part in a scenario bear the same norms (up to their names);
- reciprocity: if A owes B a norm, B owes A the same once their parts are exchanged;
- no conflicts: no member is obliged and forbidden the same action toward the same counterparty on the same
  date (standing norms included);
- every rule fires: each norm rule yields a norm, each `breached by` clause a breach and each membership rule
  an effect, in at least one scenario.

A difference between parties that comes only from rules the treaty declares `asymmetric` (for the parties it
names, if any) is counted and reported as declared, not as a failure (`Verifier.declared`).

The number of scenarios grows fast, so the enumeration is reduced without losing any of them:
- up to renaming: of scenarios that differ only by a permutation of the members (or of outsiders of the same
  kind) one is enumerated, and every permutation of it is evaluated for the renaming check;
- what no rule tells apart: enumeration values every pattern names together, or leaves out together, are
  tried once; of the events no later event follows, one of those every pattern reads alike (`Space.reading`);
  a list read element by element is tried with one element, one read only by `every member is among` with
  none and all (`Space._values`); places by the class of places no rule tells apart (`_Places`);
- independent events: an event judged is affected by the others only through membership and entry into force,
  unless a rule links them (`reads.links`), so later events are only tried after events that changed them or
  that later ones read back; the results of independent events on one date are combined to look for
  conflicts between them;
- events met as before: an event judged alone meets only the state of membership on its date; where a level
  meets a state already judged with no problem, those events are not judged again, else they are tried up
  to the renamings that keep the state (`Verifier.walk`, `level_key`, `prefix_holds`);
- dates: only the dates where something can change (the same day, the next, either side of each notice period
  and of each date a rule names; for a first event, the entry into force a scenario with no event meets).

The space is counted whole (`Space.events_concrete`: the orbit of each prefix times the events one may add),
whatever is skipped; tests/verify/test_reductions.py compares pruned runs with unpruned ones (`Options.prune`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import sys
import time
import zlib
from itertools import chain, combinations, combinations_with_replacement, permutations, product, repeat
from operator import attrgetter

import attrs

import treatylang
from treatylang.lang import syntax as s
from treatylang.ir.treaty import CompiledTreaty
from treatylang.engine.evaluate import evaluate, standing_norms
from treatylang.ir.places import PlaceId, make_world
from treatylang.model import ACTOR_KINDS, Event
from treatylang.source.diagnostics import did_you_mean
from treatylang.source.dates import add_duration
from treatylang.source.safe_text import escape
from treatylang.verify import reads
from treatylang.testing import (ACTOR_ROW_KEYS, BREACH_ROW_KEYS, EFFECT_ROW_KEYS, FALLBACK_START, NORM_ROW_KEYS,
                                GeneratedScenario, data_to_yaml, fixed_by, norm_row, norm_rows, outcome, outsider_actors,
                                outsiders_of, rename_result, rename_scenario, scenario_to_data)

CHOICES_LIMIT = 64  # lists of next events remembered, by the cells of the prefix
MAX_CHOICES = 300_000  # classes of one next event a run lists at most (sorted smallest first: held at once)
EVENTS_REMEMBERED = 20_000  # images of events under a renaming a space keeps (bounded memory)
CACHE_LIMIT = 1_000  # entries of a cache of standing norms before it starts again (bounded memory)
_NOTHING = {"members": [], "norms": frozenset(), "standing": frozenset(), "breaches": frozenset(), "effects": frozenset()}
PROPERTIES = ("renaming invariance", "symmetry", "reciprocity", "no conflicts", "every rule fires")
ONE_DAY = dt.timedelta(days=1)


# ---- what the treaty's rules can tell apart ----------------------------------------------------------------
def _patterns(treaty: CompiledTreaty):
    for rule in treaty.syntax.rules:
        if rule.trigger is not None:
            yield rule.trigger
        if rule.breach is not None:
            yield rule.breach.pattern


def _conditions(treaty: CompiledTreaty):
    def walk(c):
        yield c
        if isinstance(c, s.Either):
            yield from walk(c.left)
            yield from walk(c.right)

    for rule in treaty.syntax.rules:
        groups = [rule.where, *rule.unless, rule.breach.where if rule.breach else ()]
        for c in chain.from_iterable(groups):
            yield from walk(c)


def enum_representatives(treaty: CompiledTreaty, event: str, param) -> list[str]:
    """One value per class of values no rule tells apart (the default first), or every value if a rule binds it."""
    values = list(param.type.values)
    tests = []
    for p in _patterns(treaty):
        if p.event != event:
            continue
        for a in p.args:
            if a.name != param.name:
                continue
            if isinstance(a.value, s.Var):
                return values
            if isinstance(a.value, s.ArgConst):
                tests.append(frozenset(a.value.values))
    if param.default in values:
        values.remove(param.default)
        values.insert(0, param.default)
    reps: dict[tuple, str] = {}
    for v in values:
        reps.setdefault(tuple(v in t for t in tests), v)
    return list(reps.values())


def named_dates(treaty: CompiledTreaty, membership: bool = True) -> list[dt.date]:
    """Dates where the answer of a rule's conditions, or the membership, may change (each date a rule or a
    declaration names, and either side); `membership=False`: not the dates of declared accessions and
    withdrawals (who is a member on a date says what they change)."""
    out = set()
    for c in _conditions(treaty):
        if isinstance(c, s.DateTest):
            out.update((c.date - ONE_DAY, c.date, c.date + ONE_DAY))
    bounds = [d for a in treaty.syntax.articles for d in (a.valid_from, a.valid_until)]  # article versions
    bounds += [*(d for _, d in (*treaty.joined, *treaty.left))] if membership else []  # declared membership
    bounds.append(treaty.terminated)
    for d in bounds:
        if d is not None:
            out.update((d - ONE_DAY, d, d + ONE_DAY))
    return sorted(out)


def entry_delays(treaty: CompiledTreaty) -> list:
    """The delays rules count from entry into force (`date is on or after 10 years after entry into force`):
    the dates where their answer changes are known only once a scenario's entry into force is."""
    return sorted({(c.delay.amount, c.delay.unit) for c in _conditions(treaty) if isinstance(c, s.DateFromEntry)})


def counted_event(treaty: CompiledTreaty) -> str | None:
    """The event type entry into force counts (`in force after 7 ratification events`), if any."""
    return getattr(treaty.entry_into_force, "event", None)


@reads.per_treaty
def conflicting_actions(treaty: CompiledTreaty) -> frozenset:
    """Actions some rule makes obligatory and some rule forbids: the only ones a conflict can involve."""
    by_modality: dict[str, set] = {}
    for r in treaty.rules:
        if r.kind == "norm":
            by_modality.setdefault(r.modality, set()).add(r.action)
    return frozenset(by_modality.get("obligation", set()) & by_modality.get("prohibition", set()))


# ---- the space of scenarios for one choice of outsider kinds --------------------------------------------
class Space:
    """Actors, and the event choices one scenario may add, one per class of choices renaming maps together.

    The renamings are the permutations of actors within a class (members with the same qualities, outsiders of
    one variant). Scenarios are built event by event; after a prefix, the renamings that leave it unchanged
    permute only actors that play the same part in it so far: its *cells* (a partition of each class by the
    arguments each actor appeared in). One representative of the next event per orbit under those renamings is
    enough: for a single actor, any one actor of each cell; for a list, how many of each cell it holds.
    """

    def __init__(self, treaty: CompiledTreaty, variants, *, only=None, parties=None, prune=True):
        """`variants`: one (kind, qualities) per outsider; `only`: the event types to use (default all);
        `parties`: the members events may name (default all; the others stay members, as bystanders)."""
        self.treaty = treaty
        self.variants = tuple((v, ()) if isinstance(v, str) else tuple(v) for v in variants)
        order = {v: i for i, v in enumerate(outsider_variants(treaty))}
        self.variant_rank = tuple(order.get(v, -1) for v in self.variants)  # a State first, as the user reads
        self.outsiders = outsiders_of(treaty, [k for k, _ in self.variants])
        variant_of = dict(zip(self.outsiders, self.variants))
        outsider_qualities = {o: q for o, (_, q) in variant_of.items() if q}
        self.members = list(treaty.parties)
        named = set(self.members if parties is None else parties)
        everyone = self.members + [a.id for a in treaty.syntax.actors] + list(treaty.organs) + list(self.outsiders)
        self.rank = {a: i for i, a in enumerate(everyone)}
        self.pool = [a for a in everyone if a in named or a not in treaty.parties]  # actors events may name
        kinds = dict(treaty.actor_kinds)
        kinds.update(self.outsiders)
        self.places = _Places(treaty, self.pool)
        self.kinds = (make_world(treaty, kinds, places=self.places.declarations, actor_qualities=outsider_qualities)
                      if treaty.qualities or treaty.places else kinds)
        self.actors = outsider_actors(self.outsiders)
        self.actor_names = GeneratedScenario("", "", (), self.actors).names  # every scenario's, made once
        self.member_set = frozenset(self.members)
        # each class: the actors one renaming may exchange, those events may name first
        self.classes = tuple(tuple(sorted(c, key=lambda a: (a not in named, self.rank[a])))
                             for c in member_classes(treaty) + _classes(list(self.outsiders), variant_of.get))
        self.cells = tuple(c for c in self.classes if len(c) > 1)
        self.pickable = frozenset(self.pool)
        self.group_order = math.prod(math.factorial(len(c)) for c in self.cells)
        self.types = [e for e in treaty.syntax.events if not e.is_fact and (only is None or e.name in only)]
        self.enum_options = {(d.name, p.name): enum_representatives(treaty, d.name, p)
                             for d in self.types for p in d.params if hasattr(p.type, "values")}
        readers, read = reads.links(treaty)
        changing = {r.trigger.event for r in treaty.syntax.rules if r.kind == "membership" and r.trigger is not None}
        if counted_event(treaty):
            changing.add(counted_event(treaty))
        triggers = reads.stated_triggers(treaty)
        changing |= {t for r in treaty.syntax.rules if r.kind == "membership" for t in triggers.get(r.name, ())}
        self.read_back = read  # types whose events later ones may read: later events are tried after them
        self.judged_alone = frozenset(d.name for d in self.types) - readers - read - changing
        # the last event (no later one follows) is judged alone unless it reads earlier ones or is counted
        self.alone_at_last = frozenset(d.name for d in self.types) - readers - {counted_event(treaty)}
        whole = reads.whole_reads(treaty)
        # at the last event, lists read element by element are tried with one element (their results are
        # those of their elements together), and lists read only by `every member is among` or by one vote share
        # with none or all
        self.by_element = frozenset((d.name, p.name) for d in self.types for p in d.params if p.type.is_list
                                    and d.name in self.judged_alone and (d.name, p.name) not in whole
                                    and not conflicting_actions(treaty))  # conflicts within one list

        self.all_or_none = reads.all_or_none(treaty)  # lists tried with none or every actor
        # no event follows the last: a list of an event later ones read back is then read element by element too
        self.by_element_last = frozenset((d.name, p.name) for d in self.types for p in d.params if p.type.is_list
                                         and d.name not in readers and d.name not in changing
                                         and (d.name, p.name) not in whole and not conflicting_actions(treaty))
        self._reads = self._pattern_reads(treaty, whole)
        if not prune:  # every choice up to renaming, as the reductions' tests need to compare
            self.by_element = self.by_element_last = self.all_or_none = frozenset()
            self._reads = {}
            self.judged_alone = self.alone_at_last = frozenset()
        self.events_concrete = sum(math.prod(self._concrete(d, p) for p in d.params) for d in self.types)
        self._choices: dict = {}
        self._renamed: dict = {}  # ((date, choice), renaming) -> its image (`renamed`)

    def _pattern_reads(self, treaty, whole) -> dict:
        """{event type: (arguments read whole, [(constants tested, arguments bound)] per pattern)}; a type
        counted for entry into force is left out (every argument counts)."""
        counted = counted_event(treaty)
        out = {}
        patterns = [n for r in treaty.syntax.rules for n in reads.nodes(r) if isinstance(n, s.Pattern)]
        for d in self.types:
            if d.name == counted:
                continue
            mine = []
            for p in patterns:
                if p.event != d.name:
                    continue
                consts = tuple((a.name, frozenset(a.value.values)) for a in p.args if isinstance(a.value, s.ArgConst))
                binds = tuple(a.name for a in p.args if isinstance(a.value, (s.Var, s.ArgPlaceOf)))
                mine.append((consts, binds))
            out[d.name] = (tuple(sorted(name for e, name in whole if e == d.name)), tuple(mine))
        return out

    def reading(self, choice) -> tuple:
        """What the rules read of an event: for each pattern on its type, whether its constants match and, if
        so, the values it binds; and every argument read otherwise (as a whole, or counted for entry into
        force). Two events read alike give the same results."""
        etype, args = choice
        reads_of = self._reads.get(etype)
        if reads_of is None:
            return choice
        whole, patterns = reads_of
        get = dict(args).get
        key = [etype, tuple(map(get, whole))]
        for consts, binds in patterns:  # (`_const_matches` written out: this runs for every choice listed)
            for name, allowed in consts:
                value = get(name)
                matches = not allowed.isdisjoint(value) if isinstance(value, tuple) else value in allowed
                if not matches:
                    key.append(False)
                    break
            else:
                key.append(tuple(map(get, binds)))
        return tuple(key)

    def _concrete(self, decl, p) -> int:
        """How many values one argument may take in the space (not up to renaming)."""
        t = p.type
        if hasattr(t, "values"):
            n = len(self.enum_options[(decl.name, p.name)])
            return 2 ** n - (t.cardinality == "+") if t.is_list else n
        if isinstance(t, s.PlaceType):
            n = len(self.places.all)
            return n + (t.cardinality in ("?", "*"))  # a list of places holds one place (see _Places)
        n = len(self.pool)
        if t.cardinality in ("", "?"):
            return n + (t.cardinality == "?")
        return 2 ** n - (t.cardinality == "+")

    def alone(self, last: bool) -> frozenset:
        """The event types judged alone at a level: at the last, every one no later rule reads back."""
        return self.alone_at_last if last else self.judged_alone

    # -- the events that may come next ----------------------------------------------------------------------
    def choices(self, cells: tuple, last: bool = False) -> list:
        """[(choice, cells after it)] for the next event after a prefix whose cells are `cells`, smallest first;
        `last`: no event follows it (lists no rule reads as a whole are then tried with one element).

        A choice is (event type, ((parameter, value), ...)); the same cells give the same list (memoised)."""
        found = self._choices.get((cells, last))
        if found is None:
            best: dict = {}  # one choice of those every pattern reads alike (the smallest), of events no later
            # event follows (the scenarios after the others are counted choice by choice); kept as listed, so
            # what is held is what is tried
            listed, shared = 0, {}  # equal cells after a choice held once (most choices split alike)
            for t_index, decl in enumerate(self.types):
                alike = last or decl.name in self.judged_alone
                pruned = alike and decl.name in self._reads
                filled: list = []
                self._fill(filled, decl, 0, (), cells, (0, 0), last, pruned)
                for args, after, size in filled:
                    choice, order = (decl.name, args), (size, t_index, listed)
                    listed += 1
                    key = self.reading(choice) if alike else choice
                    held = best.get(key)
                    if held is None or order < held[0]:
                        best[key] = (order, choice, shared.setdefault(after, after))
                        if len(best) > MAX_CHOICES:  # memory stays bounded: refused before the run, not killed in it
                            raise TooLarge(f"one event has more than {MAX_CHOICES:,} classes of scenarios to try "
                                           f"(counted up to its '{decl.name}' events), too many to hold at once")
            kept = [(choice, after) for _, choice, after in sorted(best.values(), key=lambda c: c[0])]
            if len(self._choices) >= CHOICES_LIMIT:  # memory stays bounded: a depth-first walk reuses few
                self._choices.clear()
            found = self._choices[(cells, last)] = kept
        return found

    def _fill(self, out: list, decl, i, args, cells, size, last=False, alike=False) -> None:
        """Add to `out` (arguments, cells after, size) of each choice of an event type from its `i`-th
        parameter on; `alike`: only the smallest of choices every pattern reads alike is needed, so once each
        pattern fails on a constant the arguments no rule reads as a whole take only their smallest value.
        (A list filled in place, not a generator: each choice would climb every parameter's generator.)"""
        if i == len(decl.params):  # an event type with no parameter
            out.append((args, cells, size))
            return
        p = decl.params[i]
        values = self._values(decl, p, cells, last)
        if alike and p.name not in self._reads[decl.name][0] and self._unmatched(decl.name, args):
            values = [min(values, key=lambda v: (v[2], v[3]))]  # the first listed of the smallest
        name, more = p.name, i + 1 < len(decl.params)
        for value, after, n, m in values:
            if more:
                self._fill(out, decl, i + 1, args + ((name, value),), after, (size[0] + n, size[1] + m), last, alike)
            else:
                out.append((args + ((name, value),), after, (size[0] + n, size[1] + m)))

    def _unmatched(self, etype, args) -> bool:
        """Whether every pattern on `etype` fails on a constant given the arguments chosen so far."""
        given = dict(args)
        return all(any(name in given and not _const_matches(given[name], allowed) for name, allowed in consts)
                   for consts, _ in self._reads[etype][1])

    def _values(self, decl, p, cells, last=False):
        """(value, cells after, actors named, members named) for each representative value of one argument."""
        t = p.type
        if hasattr(t, "values"):
            reps = self.enum_options[(decl.name, p.name)]
            if not t.is_list:
                return [(v, cells, 0, 0) for v in reps]
            # a list of values (a decision's measures): every set of values from classes no rule tells apart
            least = 1 if t.cardinality == "+" else 0
            return [(c, cells, 0, 0) for n in range(least, len(reps) + 1) for c in combinations(reps, n)]
        in_cells = {a for c in cells for a in c}
        single = [a for a in self.pool if a not in in_cells] + [c[0] for c in cells if c[0] in self.pickable]
        single.sort(key=self.rank.get)
        if isinstance(t, s.PlaceType):
            out = [(None if t.cardinality == "?" else (), cells, 0, 0)] if t.cardinality in ("?", "*") else []
            for place, owner in self.places.values(single):
                value = (place,) if t.is_list else place
                if owner is None:
                    out.append((value, cells, 0, 0))
                else:
                    out.append((value, _split(cells, (owner,)), 1, int(owner in self.member_set)))
            return out
        if t.cardinality in ("", "?"):
            out = [(None, cells, 0, 0)] if t.cardinality == "?" else []
            for a in single:
                out.append((a, _split(cells, (a,)), 1, int(a in self.member_set)))
            return out
        if (last or decl.name in self.judged_alone) and (decl.name, p.name) in self.all_or_none and t.cardinality == "*":
            everyone = tuple(sorted(self.pool, key=self.rank.get))
            return [((), cells, 0, 0), (everyone, _split(cells, everyone), len(everyone),
                                         sum(1 for a in everyone if a in self.member_set))]
        if (decl.name, p.name) in self.by_element or (last and (decl.name, p.name) in self.by_element_last):
            out = [((), cells, 0, 0)] if t.cardinality == "*" else []
            return out + [((a,), _split(cells, (a,)), 1, int(a in self.member_set)) for a in single]
        fixed = [a for a in self.pool if a not in in_cells]
        parts = [[(), (a,)] for a in fixed]
        parts += [[c[:j] for j in range(sum(1 for a in c if a in self.pickable) + 1)] for c in cells]
        out = []
        for picked in product(*parts):
            chosen = tuple(sorted(chain.from_iterable(picked), key=self.rank.get))
            if not chosen and t.cardinality == "+":
                continue
            out.append((chosen, _split(cells, chosen), len(chosen), sum(1 for a in chosen if a in self.member_set)))
        out.sort(key=lambda v: (v[2], [self.rank[a] for a in v[0]]))
        return out

    def split_by(self, cells: tuple, choice) -> tuple:
        """The cells once `choice` is added: split by each argument in turn, as `choices` splits them."""
        for _, v in choice[1]:
            if isinstance(v, PlaceId):
                v = self.places.owner(v)
            if v is None or (not isinstance(v, tuple) and v not in self.rank):
                continue
            cells = _split(cells, v if isinstance(v, tuple) else (v,))
        return cells

    def draw_choice(self, cells: tuple, draw) -> tuple:
        """One next event, drawn part by part (`draw(options)` picks one), as a representative: (choice, cells
        after it). Never lists every choice, whose number grows with the actors named so far."""
        decl = draw(self.types)
        args = ()
        for p in decl.params:
            if hasattr(p.type, "values") or p.type.cardinality in ("", "?") or isinstance(p.type, s.PlaceType):
                value, cells, _, _ = draw(self._values(decl, p, cells))
            else:
                in_cells = {a for c in cells for a in c}
                chosen = [a for a in self.pool if a not in in_cells and draw((False, True))]
                for c in cells:
                    chosen += c[:draw(range(sum(1 for a in c if a in self.pickable) + 1))]
                if not chosen and p.type.cardinality == "+":
                    one = attrs.evolve(p, type=attrs.evolve(p.type, cardinality=""))
                    chosen = [draw(self._values(decl, one, cells))[0]]
                value = tuple(sorted(chosen, key=self.rank.get))
                cells = _split(cells, value)
            args += ((p.name, value),)
        return (decl.name, args), cells

    def orbit(self, cells) -> int:
        """How many scenarios renaming maps onto one whose cells are `cells` (itself included)."""
        return self.group_order // math.prod(math.factorial(len(c)) for c in cells)

    # -- scenarios ------------------------------------------------------------------------------------------
    def scenario(self, seq, title="counterexample", as_of=None) -> GeneratedScenario:
        events = tuple([Event(f"e{i + 1}", etype, d, dict(args), i) for i, (d, (etype, args)) in enumerate(seq)])
        return GeneratedScenario(title, "<verify>", events, self.actors, treaty=self.treaty, kinds=self.kinds,
                                 as_of=as_of, names=self.actor_names)

    def renamed(self, seq, mapping) -> tuple:
        """`seq` with actors renamed by `mapping`, event by event (each event's image remembered: a value says
        all of itself, as a place's id says whose it is: a made-up territory has an id of its own, and the
        owner of a declared place is never renamed, as it stands alone in its class, `member_classes`)."""
        key = tuple(sorted(mapping.items()))
        made = self._renamed
        if len(made) > EVENTS_REMEMBERED:  # bounded memory
            made.clear()
        out = []
        for item in seq:
            image = made.get((item, key))
            if image is None:
                image = made[(item, key)] = self._renamed_event(item, mapping)
            out.append(image)
        return tuple(out)

    def _renamed_event(self, item, mapping) -> tuple:
        rank = self.rank
        get = mapping.get

        def order(x):
            return rank.get(x, -1)

        def ren(v):
            if v.__class__ is str:  # the usual case first: an actor, or an enumeration's value
                return get(v, v) if v in rank else v
            if isinstance(v, tuple):
                return tuple(sorted(map(ren, v), key=order))
            if isinstance(v, PlaceId):
                return self.places.renamed(v, mapping)
            return v
        d, (etype, args) = item
        return d, (etype, tuple([(k, ren(v)) for k, v in args]))

    def size(self, seq) -> tuple:
        """How small a scenario is (fewer events, then fewer actors named, then fewer members): the order in
        which counterexamples are preferred; its text breaks ties, so the order does not depend on the run."""
        named = [x for _, (_, args) in seq for _, v in args for x in (v if isinstance(v, tuple) else (v,))
                 if x in self.rank]
        return (len(seq), len(named), sum(1 for x in named if x in self.member_set), self.variant_rank, repr(seq))


_rule_name = attrgetter("source.name")  # of a norm, breach or membership effect


_MASK64 = (1 << 64) - 1


class _Draws:
    """Numbers drawn from one seed by SplitMix64 (Steele, Lea and Flood, 2014), for one representative's
    renamings: a few draws each, where seeding Python's Mersenne Twister (624 words) would cost more than
    all of them. The same seed, the same draws, on every machine and Python."""

    __slots__ = ("state",)

    def __init__(self, seed: int):
        self.state = seed & _MASK64

    def below(self, n: int) -> int:
        """A number in range(n) (the bias of the remainder, under 2**-57 for the sizes here, is immaterial)."""
        self.state = z = (self.state + 0x9E3779B97F4A7C15) & _MASK64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        return (z ^ (z >> 31)) % n

    def choice(self, items):
        return items[self.below(len(items))]

    def shuffle(self, items: list) -> None:
        """Fisher-Yates, in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def _shares_of(space, choices, n):
    """The share (of `n`) each of a level's choices falls in: those of events judged alone and the others
    are dealt round-robin each on their own, so the events later ones follow (most of the work) spread evenly."""
    seen = [0, 0]
    for choice in choices:
        walked = choice[0] not in space.judged_alone
        yield seen[walked] % n
        seen[walked] += 1


def _dealt(space, items, choices, share) -> list:
    """The items of one share (k, n) of a level's choices (`_shares_of`)."""
    k, n = share
    if n == 1:
        return list(items)
    return [item for item, s in zip(items, _shares_of(space, choices, n)) if s == k]


def _const_matches(value, allowed) -> bool:
    """Whether an argument's value meets a pattern's constants (a list: one of its elements does)."""
    return not allowed.isdisjoint(value) if isinstance(value, tuple) else value in allowed


class _Places:
    """The places a scenario may name: the treaty's own, and made-up ones, each one of a class of places no
    rule tells apart (by whose territory it is, the regions rules test it for being in, its qualities rules
    test): one place per quality combination that is no one's territory, and a territory of each actor with
    none of them. A list of places is tried with one place: a pattern reads each place of a list on its own,
    so a list gives the results of its places together."""

    def __init__(self, treaty, pool):
        self.treaty = treaty
        regions, qualities = reads.place_tests(treaty)
        named = reads.named_places(treaty)
        within = make_world(treaty, {}).within if treaty.places else {}
        taken = set(treaty.places) | set(treaty.parties) | {a.id for a in treaty.syntax.actors} | set(treaty.organs)

        def fresh(ident):
            while ident in taken:
                ident += "_x"
            taken.add(ident)
            return ident

        def signature(owner, place_id, quals):
            return owner, frozenset(within.get(place_id, ()) & regions), frozenset(quals) & qualities

        seen, self.declared = set(), []
        for p in treaty.places.values():
            sig = signature(p.of, p.id, p.qualities)
            if p.id in named or sig not in seen:
                seen.add(sig)
                self.declared.append(PlaceId(p.id, p.of))
        self.anywhere = []  # no one's territory, with each combination of the qualities tested
        self.declarations: dict = {}  # made-up places: id -> (name, of, in, is), as a scenario declares them
        tested = sorted(qualities & {q for p in treaty.places.values() for q in p.qualities})
        if treaty.places or any(isinstance(p.type, s.PlaceType) for d in treaty.syntax.events for p in d.params):
            for n in range(len(tested) + 1):
                for combo in combinations(tested, n):
                    if (None, frozenset(), frozenset(combo)) in seen:
                        continue
                    ident = fresh("_".join(("a_place",) + combo))
                    self.anywhere.append(PlaceId(ident, None))
                    self.declarations[ident] = (ident.replace("_", " "), None, (), combo)
            self.owned = {}  # actor -> the made-up territory of that actor
            for a in pool:
                if (a, frozenset(), frozenset()) not in seen:
                    ident = fresh(f"territory_of_{a}")
                    self.owned[a] = PlaceId(ident, a)
                    self.declarations[ident] = (f"a territory of {a}", a, (), ())
        else:
            self.owned = {}
        self.all = self.declared + self.anywhere + list(self.owned.values())
        self._owner_of = {p: a for a, p in self.owned.items()}

    def values(self, single) -> list:
        """(place, the actor it names or None) for each representative place: an actor's made-up territory
        names the actor (it is one choice of actor among those `single` offers)."""
        out = [(p, None) for p in self.declared + self.anywhere]
        out += [(self.owned[a], a) for a in single if a in self.owned]
        return out

    def owner(self, place):
        """The actor a made-up territory names (None for the others: their owners stand alone)."""
        return self._owner_of.get(str(place))

    def renamed(self, place, mapping):
        owner = self._owner_of.get(str(place))
        if owner is not None:
            return self.owned[mapping.get(owner, owner)]
        return PlaceId(place, mapping.get(place.of, place.of)) if place.of in mapping else place


def _split(cells: tuple, chosen) -> tuple:
    """The cells once `chosen` is named: each cell splits into the actors named and the others."""
    chosen = set(chosen)
    out = []
    for c in cells:
        inside = tuple(a for a in c if a in chosen)
        if not inside:
            out.append(c)
            continue
        outside = tuple(a for a in c if a not in chosen)
        out.extend(x for x in (inside, outside) if len(x) > 1)
    return tuple(out)


# ---- findings -------------------------------------------------------------------------------------------------
@attrs.define
class Finding:
    """The smallest failing scenario found for a property, and how to show it (plain data: it crosses processes)."""

    size: tuple
    variants: tuple  # the outsiders of the scenario's space
    seq: tuple
    message: list  # lines saying what went wrong
    expect: dict | None = None  # an `expect` block the scenario fails
    notes: list = ()

    @property
    def key(self) -> tuple:
        """The order of preference: smallest first, then by what it says (the same whatever order found it)."""
        return self.size, self.message, self.notes


@attrs.define
class Options:
    """What one run covers (plain data: workers receive it)."""

    max_events: int = 1
    outsiders: int = 1
    only: tuple | None = None  # event types
    parties: tuple | None = None  # members events may name
    renamings: int = 2  # renamed copies checked per scenario when there are more than that
    prune: bool = True  # False: none of the reductions of what no rule distinguishes (tests compare the two)
    deadline: float | None = None  # time.time() past which the run is cut short (a wall clock: workers share it)


class CutShort(Exception):
    """The time budget ran out."""


class TooLarge(Exception):
    """The events to try next are too many to list within bounded memory."""


class Verifier:
    def __init__(self, treaty: CompiledTreaty, max_events: int = 1, outsiders: int = 1, treaty_path: str | None = None,
                 options: Options | None = None):
        self.treaty = treaty
        self.options = options or Options(max_events, outsiders)
        self.max_events = self.options.max_events
        self.n_outsiders = self.options.outsiders
        self.treaty_path = treaty_path
        self.checked = 0  # scenarios evaluated
        self.covered = 0  # scenarios of the space their representatives stand for
        self.representatives = 0
        self.all_renamings = True  # every renaming of each representative was checked (not a sample)
        self.cut_short = False
        self.failures = {p: 0 for p in PROPERTIES}
        self.as_declared = {p: 0 for p in PROPERTIES}  # differences the treaty declares asymmetric (not failures)
        self.declared_by: dict = {p: set() for p in PROPERTIES}  # names of the declaring rules they came from
        self.smallest: dict[str, Finding] = {}
        self.fired: set = set()
        self.named_dates = named_dates(treaty)
        self.condition_dates = named_dates(treaty, membership=False)  # what `level_key` tells dates apart by
        self.entry_delays = entry_delays(treaty)
        self.date_sensitive = bool(self.named_dates or self.entry_delays)
        self.conflict_actions = conflicting_actions(treaty)
        self.counted_type = counted_event(treaty)  # counted for entry into force
        self._standing: dict = {}
        self._renamed_standing: dict = {}
        self._standing_fixed: dict = {}
        self._symmetric: dict = {}  # (standing rows, space, actors a renaming moves) -> `symmetric_standing`
        self._standing_keys: dict = {}  # (timeline, kinds, date) -> the key of `_standing` (`standing_at`)
        self._spaces: dict = {}
        self._firsts: dict = {}  # `firsts` by outsiders
        self.space: Space | None = None
        self.as_of = None  # a date past the last event to judge scenarios as of (see `prefix_holds`)
        self._judged: set = set()  # keys of levels judged with no problem (`walk`), in this part of the run
        self._first_dates: frozenset = frozenset()  # first dates where events judged alone are tried
        self._spelled: dict = {}  # (first?, date, choice) -> how repr spells that event in a scenario, for `_seed`

    def space_for(self, variants) -> Space:
        found = self._spaces.get(variants)
        if found is None:
            found = self._spaces[variants] = Space(self.treaty, variants, only=self.options.only,
                                                    parties=self.options.parties, prune=self.options.prune)
        return found

    # -- results ----------------------------------------------------------------------------------------------
    def standing_at(self, result, date) -> tuple[list, frozenset]:
        """Standing norms on `date`, and their rows (cached: they depend only on who is a member since when)."""
        tl = result.timeline
        kinds = result.scenario.kinds
        # scenarios share timelines (engine.timeline.build_timeline): the key of each timeline's date is kept
        # with the timeline and kinds it was made for, so that their ids stay theirs
        known = self._standing_keys.get((id(tl), id(kinds), date))
        if known is not None and known[0] is tl and known[1] is kinds:
            key = known[2]
        else:
            members, order = tl.at(date)
            if not members:
                return [], frozenset()
            # who is a member since when follows from entry into force and the changes up to `date`
            key = (tl.start, tl.parties, tl.initial[1], tuple([c for c in tl.changes if c[0] <= date]),
                   tuple([kinds.get(m) for m in order]), date if self.date_sensitive else None)
            if len(self._standing_keys) > CACHE_LIMIT * 4:  # bounded memory (it keeps timelines alive)
                self._standing_keys.clear()
            self._standing_keys[(id(tl), id(kinds), date)] = (tl, kinds, key)
        found = self._standing.get(key)
        if found is None:
            norms = standing_norms(self.treaty, result.scenario, tl, date)
            if len(self._standing) > CACHE_LIMIT:  # memory stays bounded however long the run
                self._standing.clear()
            found = self._standing[key] = (norms, norm_rows(norms))
            self.fired.update(("norm", n.rule) for n in norms)
        return found

    def run(self, seq):
        result = evaluate(self.treaty, self.space.scenario(seq, as_of=self.as_of))
        self.checked += 1
        _, standing_rows = self.standing_at(result, result.as_of)
        fired = self.fired  # ("norm" | "breach" | "membership", rule name), made in C: every scenario adds them
        if result.norms:
            fired.update(zip(repeat("norm"), map(_rule_name, result.norms)))
        if result.breaches:
            fired.update(zip(repeat("breach"), map(_rule_name, result.breaches)))
        if result.effects:
            fired.update(zip(repeat("membership"), map(_rule_name, result.effects)))
        if self.conflict_actions:
            self.check_conflicts(seq, result)
        return result, outcome(result, standing_rows=standing_rows)

    def record(self, prop, seq, message, expect=None, notes=()):
        self.failures[prop] += 1
        size = self.space.size(seq)
        best = self.smallest.get(prop)
        if best is None or size <= best.size:
            found = Finding(size, self.space.variants, seq, message() if callable(message) else message,
                            expect() if callable(expect) else expect, list(notes))
            if best is None or found.key < best.key:
                self.smallest[prop] = found

    @functools.cached_property
    def declarations(self) -> dict:
        """The treaty's `asymmetric` declarations: {the name of a rule whose conclusions one covers: [the
        declaring rules]}. A declared exception covers the rule it excepts, whose conclusions it removes."""
        covers: dict = {}
        for r in self.treaty.rules:
            if r.asymmetric is not None:
                for name in (r.name, r.exception_to) if r.exception_to else (r.name,):
                    covers.setdefault(name, []).append(r)
        return covers

    def declared(self, prop, mapping, changed: dict) -> bool:
        """Whether a difference a renaming makes is declared: every row that differs (`changed`: rows by
        outcome key) is a conclusion of a rule declared asymmetric, for a party the renaming moves if the
        declaration names any. If so it is counted for the report (by declaration), not as a failure."""
        if not self.declarations or not changed:
            return False
        moved = {a for a, b in mapping.items() if a != b}
        used = set()
        for key, rows in changed.items():
            at = _RULE_AT[key]
            for row in rows:
                fits = [r for r in self.declarations.get(row[at], ())
                        if not r.asymmetric.parties or moved & set(r.asymmetric.parties)]
                if not fits:
                    return False
                used.update(r.name for r in fits)
        self.as_declared[prop] += 1
        self.declared_by[prop].update(used)
        return True

    # -- the enumeration --------------------------------------------------------------------------------------
    SHARES = 8  # each first date's events are dealt round-robin into this many parts, to balance workers

    def units(self) -> list[tuple]:
        """The run cut into independent parts, in order: (outsiders, date of the first event, share, shares).
        Each part is plain data, so a worker process (or a cluster's) can take it; the result does not depend
        on how the parts are shared out (see `absorb`)."""
        out = []
        for variants in combinations_with_replacement(outsider_variants(self.treaty), self.n_outsiders):
            variants = tuple(variants)
            membership, _, _ = self.firsts(variants)
            for date in self.dates_after((), membership):
                out.extend((variants, date, k, self.SHARES) for k in range(self.SHARES))
        return out

    def unit_sizes(self, units) -> list[int]:
        """An estimate of each part's work, to hand the larger parts out first (so that no worker is left
        with one at the end): the first events it checks, and for each that later events follow, the next
        level's events on each date they may take. One such event can be most of a run (a denunciation,
        whose notice gives later dates): its part is then found by evaluating the first events later ones
        follow, once each."""
        found: dict = {}  # (outsiders, date, shares) -> the size of each share, dealt as `walk` deals them
        for variants, date, _, shares in units:
            if (variants, date, shares) not in found:
                found[(variants, date, shares)] = self._share_sizes(variants, date, shares)
        return [found[(variants, date, shares)][share] for variants, date, share, shares in units]

    def _share_sizes(self, variants, date, shares) -> list[int]:
        membership, _, firsts = self.firsts(variants)
        space = self.space
        last = self.max_events == 1
        listed = space.choices(space.cells, last)
        tried = {id(c) for c in self.tried_first(listed, date, firsts, space.alone(last))}
        sizes = [0] * shares
        for c, k in zip(listed, _shares_of(space, [choice for choice, _ in listed], shares)):
            if id(c) not in tried:
                continue
            sizes[k] += 1
            choice = c[0]
            if not last and choice[0] not in space.judged_alone:
                seq = ((date, choice),)
                after = _membership(evaluate(self.treaty, space.scenario(seq)))
                if self.followed(choice, membership, after):
                    sizes[k] += len(self.dates_after(seq, after)) * len(listed)
        return sizes

    def sharing(self, other: "Verifier") -> "Verifier":
        """This verifier, with the caches of another of the same run (its parts share what does not change)."""
        self._spaces, self._standing, self._renamed_standing = other._spaces, other._standing, other._renamed_standing
        self._standing_fixed, self._symmetric = other._standing_fixed, other._symmetric
        self._standing_keys = other._standing_keys
        self._firsts = other._firsts
        return self

    def out_of_time(self) -> bool:
        deadline = self.options.deadline
        return deadline is not None and time.time() > deadline

    def run_unit(self, unit) -> "Verifier":
        """Check every scenario of one part (depth first: memory stays flat); none once the budget is spent
        (setting a part up costs time of its own, and a large treaty has thousands of parts)."""
        if self.out_of_time():
            self.cut_short = True
            return self
        variants, date, share, shares = unit
        empty, judged, self._first_dates = self.firsts(variants)
        self._judged = set(judged)  # keys of the first level: every first event is checked by some part
        try:
            self.walk((), self.space.cells, empty, date, 1, share=(share, shares))
        except CutShort:
            self.cut_short = True
        return self

    def verify(self, on_unit=None) -> "Verifier":
        """The whole run in this process, part by part as workers would; `on_unit(done, total)` after each."""
        if self.out_of_time():  # spent counting the space
            self.cut_short = True
            return self
        units = self.units()
        for i, unit in enumerate(units):
            part = Verifier(self.treaty, treaty_path=self.treaty_path, options=self.options).sharing(self)
            self.absorb(part.run_unit(unit).partial())
            if on_unit:
                on_unit(i + 1, len(units))
            if self.cut_short:
                break
        return self

    def first_events(self, classes_too: bool = True) -> tuple[int, int | None, bool]:
        """(scenarios of one event, their classes up to renaming or None, whether counted whole): the size of
        the space's first level. Counting classes lists them (seconds per outsider on a large treaty), so it
        stops with the time budget."""
        scenarios, classes = 0, (0 if classes_too else None)
        for i, variants in enumerate(combinations_with_replacement(outsider_variants(self.treaty), self.n_outsiders)):
            if i and classes_too and self.out_of_time():
                return scenarios, classes, False
            membership, _, firsts = self.firsts(tuple(variants))
            space = self.space
            dates = self.dates_after((), membership)
            if classes_too:
                last = self.max_events == 1
                choices = space.choices(space.cells, last)
                classes += sum(len(self.tried_first(choices, d, firsts, space.alone(last))) for d in dates)
            scenarios += len(dates) * space.events_concrete
        return scenarios, classes, True

    def dates_after(self, prefix, membership):
        """The dates a next event may take: only those where what it meets can differ."""
        counted = self._from_entry(membership[0])
        if not prefix:  # and the entry into force a scenario with no event meets (`entered`); `start` is before it
            start = self.treaty.fixed_entry_date or self.treaty.signed or FALLBACK_START
            entry = () if membership[0] is None else (membership[0],)
            return sorted({start, *(d for d in (*self.named_dates, *counted, *entry) if d >= start)})
        last = prefix[-1][0]
        start, _, history = membership
        out = {last, last + ONE_DAY}
        for d in (start, *(h[0] for h in history)):  # either side of entry into force and of each change
            if d is not None and d > last:
                out.update((d - ONE_DAY, d))
        out.update(d for d in (*self.named_dates, *counted) if d > last)
        return sorted(out)

    def _from_entry(self, entry) -> list:
        """Either side of each date a rule counts from this entry into force."""
        if entry is None:
            return []
        out = []
        for amount, unit in self.entry_delays:
            d = add_duration(entry, amount, unit)
            if d is not None:
                out += [d - ONE_DAY, d] + ([d + ONE_DAY] if d < dt.date.max else [])
        return out

    def walk(self, prefix, cells, membership, date, depth, share=(0, 1)):
        """Every event on `date` after `prefix`, one per orbit under the renamings that fix the prefix (its
        `cells`), and, depth first, what may follow each; `share` (k, n): only every n-th event from the k-th.

        The scenarios of the level are counted whole (the orbit of the prefix times the events one may
        add); events judged alone (`Space.judged_alone`) are skipped when they meet on `date` what they met
        at a level already judged with no problem (`judged_before`)."""
        space = self.space
        deadline = self.options.deadline
        last = depth == self.max_events
        room_for_two = not last
        if share[0] == 0:
            self.covered += space.orbit(cells) * space.events_concrete
        pool = {} if room_for_two and self.conflict_actions and share[1] == 1 else None  # conflicts of siblings
        if share[1] > 1 and self.conflict_actions and room_for_two:  # the siblings of every share, for conflicts
            self.pool_siblings(prefix, cells, date, share)
        key = self.level_key(membership, date) if prefix and not self.conflict_actions else None
        judged_alone = space.alone(last)
        alone = key is not None and bool(judged_alone) and self.prefix_holds(prefix, cells, date)
        choices = space.choices(cells, last)
        choices = _dealt(space, choices, [c for c, _ in choices], share)
        if not prefix:
            choices = self.tried_first(choices, date, self._first_dates, judged_alone)
        if alone:  # events judged alone: one per class of the renamings that fix what they meet, if not judged yet
            choices = [c for c in choices if c[0][0] not in judged_alone]
            if key not in self._judged:
                met = _split(space.cells, self.members_on(membership, date))
                choices += [(choice, space.split_by(cells, choice)) for choice, _ in space.choices(met, last)
                            if choice[0] in judged_alone]
        problems = 0
        for choice, after_cells in choices:
            if deadline is not None and time.time() > deadline:
                raise CutShort
            seq = prefix + ((date, choice),)
            before = self._problems()
            result, o = self.check_representative(seq, after_cells)
            problems += self._problems() - before
            if pool is not None:
                self.pool_norms(pool, seq, result, cells)
            if not last and choice[0] not in space.judged_alone:
                after = _membership(result)
                if self.followed(choice, membership, after):
                    for later in self.dates_after(seq, after):  # later events may meet that
                        self.walk(seq, after_cells, after, later, depth + 1)
        if alone and not problems and share == (0, 1):
            if len(self._judged) > CACHE_LIMIT:
                self._judged.clear()
            self._judged.add(key)

    def followed(self, choice, membership, after) -> bool:
        """Whether later events are tried after `choice` (not judged alone), which changed membership from
        `membership` to `after`: when it changed it, counts toward entry into force, or later events read it."""
        return after != membership or choice[0] == self.counted_type or choice[0] in self.space.read_back

    def tried_first(self, choices, date, firsts, judged_alone) -> list:
        """The first events tried on `date`: not those judged alone, unless it is one of the first dates
        they are tried on (`firsts`)."""
        if judged_alone and not self.conflict_actions and date not in firsts:
            return [c for c in choices if c[0][0] not in judged_alone]
        return choices

    def _problems(self) -> int:
        return sum(self.failures.values()) + sum(self.as_declared.values())

    def level_key(self, membership, date) -> tuple:
        """What an event judged alone meets on `date`, up to renaming: whether the treaty is in force, how many
        members of each class are members then (and which actors outside the classes), and where the date
        stands against each date a rule names or counts from entry into force (the same key, the same
        judgements up to a renaming, which the checks of renaming invariance cover)."""
        start = membership[0]
        if start is None or start > date:
            return (None, self._date_class(date, None))
        members = self.members_on(membership, date)
        classes = self.space.classes
        counts = tuple(sum(1 for a in c if a in members) for c in classes)
        alone = frozenset(members - {a for c in classes for a in c})
        return (counts, alone, self._date_class(date, start))

    @staticmethod
    def members_on(membership, date) -> set:
        start, parties, history = membership
        if start is None or start > date:
            return set()
        members = set(parties)
        for d, party, change in history:
            if d <= date:
                (members.add if change == "joins" else members.discard)(party)
        return members

    def _date_class(self, date, start) -> tuple:
        marks = (*self.condition_dates, *self._from_entry(start))
        return tuple((date > d) - (date < d) for d in marks)

    def firsts(self, variants) -> tuple:
        """(the membership with no event, the keys of the first level, the first dates events judged alone are
        tried on), once per set of outsiders, whose space becomes the current one (`level_key` reads it). Of the first dates that meet the same
        (`level_key`), events judged alone are tried on the one whose scenarios sort first (`Space.size`), so
        the smallest counterexample is the one a run trying every date finds; on a treaty with a long
        declared history (a date either side of each accession) most first dates meet what another does."""
        self.space = self.space_for(variants)
        found = self._firsts.get(variants)
        if found is None:
            membership = _membership(evaluate(self.treaty, self.space.scenario(())))
            groups: dict = {}
            for d in self.dates_after((), membership):
                groups.setdefault(self.level_key(membership, d), []).append(d)
            found = self._firsts[variants] = (membership, frozenset(groups),
                                              frozenset(min(dates, key=repr) for dates in groups.values()))
        return found

    def prefix_holds(self, prefix, cells, date) -> bool:
        """Whether the events before a level, with nothing added, pass every check as of `date` (then a
        scenario with an event judged alone added passes if that event passed where it met the same).
        Nothing is recorded: a problem here means the level is walked in full, which records it."""
        saved = (dict(self.failures), dict(self.as_declared), {p: set(v) for p, v in self.declared_by.items()},
                 dict(self.smallest), self.checked, self.representatives, self.all_renamings)
        self.as_of = date
        try:
            self.check_representative(prefix, cells)
            ok = self._problems() == sum(saved[0].values()) + sum(saved[1].values())
        finally:
            self.as_of = None
            (self.failures, self.as_declared, self.declared_by, self.smallest, self.checked,
             self.representatives, self.all_renamings) = saved
        return ok

    def check_representative(self, seq, cells):
        """Evaluate one representative scenario, and check renaming invariance on renamed copies of it and
        symmetry on the renamings that leave it unchanged (its cells)."""
        space = self.space
        self.representatives += 1
        result, o = self.run(seq)
        self.check_symmetries(seq, cells, o)
        for mapping in self.renamings(seq):
            img = space.renamed(seq, mapping)
            if img != seq:
                _, o2 = self.run(img)
                if not self.check_renaming(seq, img, mapping, o, o2):  # the copy's symmetry does not follow then
                    self.check_symmetries(img, tuple(tuple(mapping.get(a, a) for a in c) for c in cells), o2)
        return result, o

    def renamed(self, o: dict, mapping: dict) -> dict:
        """`rename_result(o, mapping)`, with the standing rows (shared by many scenarios) renamed once, or not
        at all when every exchange within the classes the renaming moves leaves them as they are."""
        standing = o["standing"]
        if self.symmetric_standing(standing, mapping):
            out = rename_result({**o, "standing": frozenset()}, mapping)
            out["standing"] = standing
            return out
        key = (id(standing), tuple(sorted(mapping.items())))
        found = self._renamed_standing.get(key)
        if found is None or found[0] is not standing:
            if len(self._renamed_standing) > CACHE_LIMIT:
                self._renamed_standing.clear()
            found = self._renamed_standing[key] = (standing, rename_result({**_NOTHING, "standing": standing},
                                                                           mapping)["standing"])
        out = rename_result({**o, "standing": frozenset()}, mapping)
        out["standing"] = found[1]
        return out

    def check_symmetries(self, seq, cells, o):
        """Symmetry under the renamings that fix `seq`: the exchanges of neighbours in each cell generate them.
        Each exchange is judged on the rows that name either actor (an index of the outcome by actor), and
        only one that changes them is checked in full, to say how."""
        index = None
        members = set(o["members"])
        standing = o["standing"]
        for c in cells:
            if c[0] not in self.space.member_set:
                continue
            for a, b in zip(c, c[1:]):
                if index is None:
                    index = _by_actor(o, ("norms", "breaches", "effects"))
                if ((a in members) == (b in members) and self.standing_fixed(standing, a, b)
                        and all(_swap_fixes(rows, a, b) for rows in index.values())):
                    continue
                self.check_symmetry(seq, {a: b, b: a}, o)

    def symmetric_standing(self, standing: frozenset, mapping: dict) -> bool:
        """Whether the exchanges of neighbours in each class the renaming moves (which generate every
        renaming within those classes) all leave these standing rows as they are (remembered by the actors
        it moves)."""
        space = self.space  # its classes of actors (kept alive by `_spaces`)
        key = (id(standing), id(space), frozenset(mapping))
        found = self._symmetric.get(key)
        if found is None or found[0] is not standing or found[1] is not space:
            if len(self._symmetric) > CACHE_LIMIT:
                self._symmetric.clear()
            found = self._symmetric[key] = (standing, space, all(
                all(self.standing_fixed(standing, a, b) for a, b in zip(c, c[1:]))
                for c in space.cells if any(a in mapping for a in c)))
        return found[2]

    def standing_fixed(self, standing: frozenset, a, b) -> bool:
        """Whether exchanging `a` and `b` leaves these standing rows as they are (shared by many scenarios:
        remembered)."""
        key = (id(standing), a, b)
        found = self._standing_fixed.get(key)
        if found is None or found[0] is not standing:
            if len(self._standing_fixed) > CACHE_LIMIT * 100:
                self._standing_fixed.clear()
            indexed = _by_actor({"standing": standing}, ("standing",))["standing"]
            found = self._standing_fixed[key] = (standing, _swap_fixes(indexed, a, b))
        return found[1]

    def renamings(self, seq) -> list[dict]:
        """The renamings a representative is checked under: every one when there are few, else a sample
        (drawn from the scenario itself, so the same whatever runs it): an exchange of two members, one
        named in the scenario if any (what reciprocity needs), and a random permutation of every class."""
        cells = self.space.cells
        if not cells:
            return []
        if self.space.group_order - 1 <= self.options.renamings:
            out = []
            for images in product(*(permutations(c) for c in cells)):
                m = {a: b for c, img in zip(cells, images) for a, b in zip(c, img) if a != b}
                if m:
                    out.append(m)
            return out
        self.all_renamings = False
        rng = _Draws(self._seed(seq))
        out = []
        member_set = self.space.member_set
        named = {x for _, (_, args) in seq for _, v in args for x in (v if v.__class__ is tuple else (v,))}
        member_cells = [c for c in cells if c[0] in member_set]
        if member_cells:
            c = rng.choice(member_cells)
            first = rng.choice([a for a in c if a in named] or c)
            second = rng.choice([a for a in c if a != first])
            out.append({first: second, second: first})
        for _ in range(self.options.renamings - len(out)):
            m = {}
            for c in cells:
                img = list(c)
                rng.shuffle(img)
                m.update((a, b) for a, b in zip(c, img) if a != b)
            if m and m not in out:
                out.append(m)
        return out

    def _seed(self, seq) -> int:
        """`zlib.crc32(repr(seq).encode())`: a number drawn from the scenario itself, so the same whatever runs
        it. Computed from each event's spelling, made once (the lists of next events are memoised, so the same
        ones recur), and CRC-32's chaining: the CRC of joined bytes is the CRC of each part in turn."""
        spelled = self._spelled
        if len(spelled) > CACHE_LIMIT * 100:  # bounded memory
            spelled.clear()
        crc = zlib.crc32(b"(")
        for i, (date, choice) in enumerate(seq):
            b = spelled.get((i == 0, date, choice))
            if b is None:
                b = spelled[(i == 0, date, choice)] = f"{'' if i == 0 else ', '}({date!r}, {choice!r})".encode()
            crc = zlib.crc32(b, crc)
        return zlib.crc32(b",)" if len(seq) == 1 else b")", crc)

    # -- the properties -----------------------------------------------------------------------------------------
    def check_renaming(self, seq, img, mapping, o, o2) -> bool:
        """Whether the renamed copy's result is the original's renamed (and if not, record why)."""
        space = self.space
        expected = self.renamed(o, mapping)
        if expected == o2:
            return True
        names = _show_mapping(mapping)
        if not self.declared("renaming invariance", mapping, _changed_rows(expected, o2)):
            self.record("renaming invariance", img,
                        lambda: [f"this scenario is another one with {names} (the original is below); its result "
                                 f"should be the original's with the same renaming, and it is not:",
                                 *_diff_lines(expected, o2)],
                        lambda: _expectations(expected, o2),
                        notes=[f"the original: {_describe(seq)}"])
        if len(mapping) == 2 and all(a in space.member_set for a in mapping):  # two members exchanged: reciprocity
            self.check_reciprocity(seq, img, mapping, expected, o2)
            self.check_reciprocity(img, seq, mapping, self.renamed(o2, mapping), o)
        return False

    def check_reciprocity(self, before, after, mapping, expected, got):
        a, b = sorted(mapping)
        missing = _ordered(row for row in expected["norms"]
                           if _between(row) == {a, b} and row not in got["norms"])
        if missing and not self.declared("reciprocity", mapping, {"norms": missing}):
            self.record("reciprocity", after,
                        lambda: [f"{a} and {b} exchanged their parts (the scenario before the exchange is below), "
                                 f"but not the norms between them:",
                                 *(f"  expected: {_norm_text(row)}; not produced" for row in missing)],
                        lambda: {"norms": [_norm_item(row) for row in missing]},
                        notes=[f"before the exchange: {_describe(before)}"])

    def check_symmetry(self, seq, mapping, o):
        expected = self.renamed(o, mapping)
        if expected == o or self.declared("symmetry", mapping, _changed_rows(expected, o)):
            return
        names = _show_mapping(mapping)
        self.record("symmetry", seq,
                    lambda: [f"{_names(sorted(mapping))} play the same part in this scenario (renaming "
                             f"{names} leaves it unchanged), yet their norms differ:", *_diff_lines(expected, o)],
                    lambda: _expectations(expected, o, missing_only=True))

    def check_conflicts(self, seq, result):
        by_key: dict = {}
        dates = {n.date for n in result.norms if n.action in self.conflict_actions}
        norms = [n for n in result.norms if n.action in self.conflict_actions]
        for d in dates | {result.as_of}:
            norms += [n._replace(date=d) for n in self.standing_at(result, d)[0] if n.action in self.conflict_actions]
        for n in norms:
            if n.modality in ("obligation", "prohibition"):
                by_key.setdefault((n.date, n.bearer, n.action, n.counterparty), {}).setdefault(n.modality, n)
        for key, found in by_key.items():
            if len(found) == 2:
                ob, pr = found["obligation"], found["prohibition"]
                self.record("no conflicts", seq, lambda: [f"on {key[0].isoformat()} {ob.bearer} is both obliged and "
                                                          f"forbidden to {ob.action.replace('_', ' ')}"
                                                          f"{' ' + ob.counterparty if ob.counterparty else ''}:",
                                                          f"  {_norm_text(norm_row(ob))}",
                                                          f"  {_norm_text(norm_row(pr))}"])
                return

    def pool_siblings(self, prefix, cells, date, share):
        """Conflicts between sibling events when the siblings are dealt into shares: every sibling is pooled,
        and a pair is checked by the share of its later event."""
        pool: dict = {}
        choices = self.space.choices(cells)
        mine = set(_dealt(self.space, range(len(choices)), [c for c, _ in choices], share))
        for i, (choice, _) in enumerate(choices):
            seq = prefix + ((date, choice),)
            self.pool_norms(pool, seq, evaluate(self.treaty, self.space.scenario(seq)), cells, check=i in mine)

    def pool_norms(self, pool, seq, result, cells, check=True):
        """Norms of the last event, kept to find conflicts between independent events on one date. Siblings
        are representatives: two norms conflict up to a renaming that fixes the prefix (one within its cells),
        so they are pooled by the cells of their bearer and counterparty, and the earlier event is renamed."""
        last = f"e{len(seq)}"
        cell_of = {a: i for i, c in enumerate(cells) for a in c}
        for n in result.norms:
            if n.event != last or n.action not in self.conflict_actions or n.modality not in ("obligation", "prohibition"):
                continue
            key = (n.action, cell_of.get(n.bearer, n.bearer), cell_of.get(n.counterparty, n.counterparty),
                   n.bearer == n.counterparty)
            found = pool.setdefault(key, {})
            if n.modality in found:
                continue
            found[n.modality] = (seq[-1], n.bearer, n.counterparty)
            other = "prohibition" if n.modality == "obligation" else "obligation"
            if check and other in found and found[other][0] != seq[-1]:
                event, bearer, counterparty = found[other]
                mapping = _sending((bearer, counterparty), (n.bearer, n.counterparty))
                if mapping is None:
                    continue
                both = seq[:-1] + (self.space.renamed((event,), mapping)[0], seq[-1])  # the two in one scenario
                self.check_conflicts(both, evaluate(self.treaty, self.space.scenario(both)))

    def beyond_bound(self) -> list:
        """The rules no scenario of up to K events can fire: an `after` rule needs its earlier event besides
        the one that triggers it (of another type), so at least two. Not judged rather than failed."""
        return [r for r in self.treaty.rules if self.max_events < 2 and r.after is not None
                and r.trigger is not None and r.after.event != r.trigger.event]

    def unfired(self) -> list[str]:
        out = []
        beyond = {r.name for r in self.beyond_bound()}
        for r in self.treaty.rules:
            if r.name in beyond:
                continue
            if r.kind == "norm" and ("norm", r.name) not in self.fired:
                out.append(f"article {r.article}, rule {r.name}: yields no norm")
            if r.breach is not None and ("breach", r.name) not in self.fired:
                out.append(f"article {r.article}, rule {r.name}: its 'breached by' clause is never met")
            if r.kind == "membership" and ("membership", r.name) not in self.fired:
                out.append(f"article {r.article}, rule {r.name}: never changes membership")
        return out

    def declared_note(self, prop, failed: bool) -> str:
        """` (N differences declared asymmetric: art. 1, rule r: "why")`, or "" when there is none."""
        n = self.as_declared[prop]
        if not n:
            return ""
        rules = sorted((r for r in self.treaty.rules if r.name in self.declared_by[prop]), key=lambda r: r.index)
        said = "; ".join(f'art. {r.article}, rule {r.name}: "{r.asymmetric.reason}"' for r in rules)
        return f" ({'and ' if failed else ''}{n:,} difference{'s' if n != 1 else ''} declared asymmetric: {said})"

    # -- parts of a run, merged ---------------------------------------------------------------------------------
    _COUNTS = ("checked", "covered", "representatives")

    def partial(self) -> dict:
        """What this process found, as plain data (a worker's answer)."""
        return {"counts": {k: getattr(self, k) for k in self._COUNTS}, "all_renamings": self.all_renamings,
                "cut_short": self.cut_short, "failures": self.failures, "as_declared": self.as_declared,
                "declared_by": {p: sorted(v) for p, v in self.declared_by.items()},
                "smallest": self.smallest, "fired": sorted(self.fired)}

    def absorb(self, part: dict) -> None:
        """Add a part's findings: sums, unions, and the smallest counterexample of each property (sizes are
        totally ordered, so the result is the same whatever the order of the parts)."""
        for k, v in part["counts"].items():
            setattr(self, k, getattr(self, k) + v)
        self.all_renamings &= part["all_renamings"]
        self.cut_short |= part["cut_short"]
        for p in PROPERTIES:
            self.failures[p] += part["failures"][p]
            self.as_declared[p] += part["as_declared"][p]
            self.declared_by[p].update(part["declared_by"][p])
        for p, f in part["smallest"].items():
            best = self.smallest.get(p)
            if best is None or f.key < best.key:
                self.smallest[p] = f
        self.fired.update(tuple(x) for x in part["fired"])

    # -- the report ----------------------------------------------------------------------------------------------
    def counterexample_yaml(self, prop: str, f: Finding) -> str:
        sc = self.space_for(f.variants).scenario(f.seq, title=f"counterexample: {prop}")
        head = [f"# {line}" for line in (*f.message, *f.notes)]
        head.append("# `treaty eval` shows the result; " + ("`treaty test` fails on the expectations below."
                                                            if f.expect else "the conflict is in its norms."))
        data = scenario_to_data(sc, treaty_path=self.treaty_path, expect=f.expect)
        made_up = self.space_for(f.variants).places.declarations
        used = sorted({str(v) for _, (_, args) in f.seq for _, value in args
                       for v in (value if isinstance(value, tuple) else (value,)) if str(v) in made_up})
        if used:  # the made-up places it names, declared as a scenario declares its own
            declared = {}
            for ident in used:
                name, of, _, quals = made_up[ident]
                declared[ident] = {"name": name, **({"of": of} if of else {}), **({"is": list(quals)} if quals else {})}
            data = {**{k: v for k, v in data.items() if k != "events" and k != "expect"}, "places": declared,
                    "events": data["events"], **({"expect": data["expect"]} if "expect" in data else {})}
        return "\n".join(head) + "\n" + data_to_yaml(data)

    def report(self, out, seconds: float, sampled: tuple | None = None) -> int:
        partial = self.cut_short or sampled is not None  # a rule may fire in a scenario not reached, or not drawn
        never = [] if partial else self.unfired()
        self.failures["every rule fires"] = len(never)
        width = max(map(len, PROPERTIES))
        for prop in PROPERTIES:
            n = self.failures[prop]
            if prop == "every rule fires" and partial:
                verdict = f"not judged: {'the run was cut short' if self.cut_short else 'a sample of the space'}"
            elif prop == "every rule fires":
                beyond = self.beyond_bound()
                total = len([r for r in self.treaty.rules if r.kind in ("norm", "membership") and r not in beyond])
                verdict = f"ok ({total} rule{'s' if total != 1 else ''})" if not n else f"FAILED: {n} never fire{'s' if n == 1 else ''}"
                if beyond:
                    verdict += (f"; not judged: {len(beyond)} rule{'s need' if len(beyond) != 1 else ' needs'} an earlier "
                                f"event, so 2 events at least (--events 2): "
                                + ", ".join(f"art. {r.article} {r.name}" for r in beyond))
            elif prop == "no conflicts" and not self.conflict_actions:
                verdict = "ok (no action is both obligatory and forbidden by any rules)"
            else:
                verdict = "ok" if not n else f"FAILED in {n:,} scenario{'s' if n != 1 else ''}"
                verdict += self.declared_note(prop, bool(n))
            print(escape(f"  {prop:<{width}}  {verdict}"), file=out)
        entry = self.treaty.entry_into_force
        count = getattr(entry, "count", 0) or 0
        # not in force in any scenario of the bound (with no recorded date of entry into force to fall back on)
        late = self.counted_type and count >= self.max_events and getattr(entry, "entered", None) is None
        for line in never:
            print(escape(f"    {line} in any scenario of up to {self.max_events} event{'s' if self.max_events != 1 else ''}"
                         + ("" if late else f" (try --events {self.max_events + 1})")), file=out)
        if never and late:
            print(escape(f"    (the treaty enters into force after {count} {self.counted_type} events: "
                         + (f"try --events {count + 1})" if count < MAX_EVENTS else
                            f"more than treaty verify tries, at most {MAX_EVENTS}; test these rules with scenarios)")),
                  file=out)
        for prop in PROPERTIES:
            f = self.smallest.get(prop)
            if f is not None:
                print(f"\n{prop}: smallest counterexample (save it as a .yaml file and run it):", file=out)
                print("---", file=out)
                out.write(escape(self.counterexample_yaml(prop, f), keep="\n"))  # its own lines kept
                print("...", file=out)
        failed = any(self.failures.values())
        declared = ", differences declared asymmetric aside" if any(self.as_declared.values()) else ""
        renamed = self.checked - self.representatives
        copies = (f"{renamed:,} renamed copies of them ({'every renaming' if self.all_renamings else f'{self.options.renamings} renamings drawn'} "
                  f"of each, for renaming invariance)")
        if sampled:
            print(f"\nsampled: {self.representatives:,} distinct scenarios drawn by hypothesis (seed {sampled[1]}) "
                  f"and {copies}", file=out)
        else:
            print(f"\nthe space: {self.covered:,} scenarios; {self.representatives:,} checked, each for a class of "
                  f"scenarios that renaming maps onto one another or that no rule tells apart, and {copies}", file=out)
        if self.cut_short:
            print(f"checked {self.checked:,} scenarios in {seconds:.1f} s, then cut short by the time budget "
                  f"({'failed' if failed else 'no property failed on the scenarios checked'})", file=out)
            return 1 if failed else 3
        print(f"checked {self.checked:,} scenarios in {seconds:.1f} s"
              f" ({'failed' if failed else 'all properties hold' + declared})", file=out)
        return 1 if failed else 0


_ACTOR_AT = {key: [i for i, k in enumerate(keys) if k in ACTOR_ROW_KEYS]
             for key, keys in (("norms", NORM_ROW_KEYS), ("standing", NORM_ROW_KEYS), ("breaches", BREACH_ROW_KEYS),
                               ("effects", EFFECT_ROW_KEYS))}


def _by_actor(o: dict, keys) -> dict:
    """{outcome key: (positions of actors in its rows, {actor: the rows naming it})}, for `keys`."""
    out = {}
    for key in keys:
        at = _ACTOR_AT[key]
        rows: dict = {}
        for row in o[key]:
            for i in at:
                if row[i] is not None:
                    rows.setdefault(row[i], []).append(row)
        out[key] = (at, rows)
    return out


def _swap_fixes(indexed, a, b) -> bool:
    """Whether exchanging `a` and `b` leaves one key's rows as they are (judged on the rows naming either)."""
    at, rows = indexed
    touched = set(rows.get(a, ())) | set(rows.get(b, ()))
    swap = {a: b, b: a}
    renamed = set()
    for row in touched:
        row = list(row)
        for i in at:
            row[i] = swap.get(row[i], row[i])
        renamed.add(tuple(row))
    return renamed == touched


def _membership(result) -> tuple:
    """What a scenario's events do to membership: entry into force, the first parties, each change."""
    tl = result.timeline
    return tl.start, tl.parties, tuple(tl.history())


# ---- text helpers ----------------------------------------------------------------------------------------
def _show_mapping(mapping) -> str:
    return ", ".join(f"{a}→{b}" for a, b in sorted(mapping.items()))


def _names(ids) -> str:
    ids = list(ids)
    return ", ".join(ids[:-1]) + " and " + ids[-1] if len(ids) > 1 else ids[0]


def _describe(seq) -> str:
    parts = []
    for d, (etype, args) in seq:
        shown = ", ".join(f"{k}: {('[' + ', '.join(v) + ']' if len(v) > 1 else v[0]) if isinstance(v, tuple) else v}"
                          for k, v in args if v not in (None, ()))
        parts.append(f"{etype}({shown}) on {d.isoformat()}")
    return "; ".join(parts)


def _sending(pair, onto) -> dict | None:
    """A renaming (at most two exchanges) that sends the actors of `pair` onto those of `onto`, or None."""
    mapping: dict = {}

    def swap(a, b):
        if a is None or b is None or a == b:
            return
        for k, v in list(mapping.items()) + [(a, a), (b, b)]:
            mapping.setdefault(k, v)
        for k, v in mapping.items():
            mapping[k] = b if v == a else a if v == b else v

    swap(pair[0], onto[0])
    swap(mapping.get(pair[1], pair[1]), onto[1])
    if any(x is not None and mapping.get(x, x) != y for x, y in zip(pair, onto)):
        return None
    return {k: v for k, v in mapping.items() if k != v}


_RULE_AT = {"norms": NORM_ROW_KEYS.index("rule"), "standing": NORM_ROW_KEYS.index("rule"),
            "breaches": BREACH_ROW_KEYS.index("rule"), "effects": EFFECT_ROW_KEYS.index("rule")}


def _changed_rows(expected: dict, got: dict) -> dict | None:
    """The rows two outcomes differ by, by key; None if their members differ with no effect to say why."""
    changed = {key: expected[key] ^ got[key] for key in _RULE_AT if expected[key] != got[key]}
    return None if expected["members"] != got["members"] and "effects" not in changed else changed


def _ordered(rows) -> list:
    return sorted(rows, key=lambda row: tuple("" if x is None else x for x in row))


def _fields(row, keys=NORM_ROW_KEYS) -> dict:
    """An outcome's row (a tuple of testing.NORM_ROW_KEYS, ...) back as the dict of `Norm.row()`'s keys."""
    return dict(zip(keys, row))


def _between(row) -> set:
    """The bearer and counterparty of a norm row."""
    n = _fields(row)
    return {n["bearer"], n["counterparty"]}


def _norm_text(row) -> str:
    n = _fields(row)
    verb = {"obligation": "must", "permission": "may", "prohibition": "must not"}[n["modality"]]
    when = f"event {n['event']}" if n["event"] else "standing"
    cp = n["counterparty"]
    return f"{n['bearer']} {verb} {n['action']}{' ' + cp if cp else ''} [art. {n['article']}, {n['rule']}; {when}, {n['date']}]"


def _diff_lines(expected: dict, got: dict) -> list[str]:
    lines = []
    for key in ("members", "norms", "standing", "breaches", "effects"):
        if expected[key] == got[key]:
            continue
        if key == "members":
            lines.append(f"  members: expected {', '.join(expected[key])}; got {', '.join(got[key])}")
            continue
        show = _norm_text if key in ("norms", "standing") else (lambda row: " ".join(str(x) for x in row if x is not None))
        lines += [f"  expected: {show(row)}; not produced" for row in _ordered(expected[key] - got[key])]
        lines += [f"  produced: {show(row)}; not expected" for row in _ordered(got[key] - expected[key])]
    return lines


def _norm_item(row) -> dict:
    """A norm row as an `expect` item: its keys but the date, nulls and the status `live` left out."""
    return {k: v for k, v in _fields(row).items() if v is not None and k != "date" and (k, v) != ("status", "live")}


def _expectations(expected: dict, got: dict, missing_only: bool = False) -> dict:
    """An `expect` block that holds for `expected` and fails on `got` (what `treaty test` then reports).

    With `missing_only`, norms produced but not expected are not turned into `absent` items when some
    expected norm is missing (a symmetry failure does not say which of two members is right).
    """
    exp: dict = {}
    missing = _ordered(expected["norms"] - got["norms"])
    extra = _ordered(got["norms"] - expected["norms"])
    missing_standing = _ordered(expected["standing"] - got["standing"])
    if missing_only and (missing or missing_standing):
        extra = []
    if missing:
        exp["norms"] = [_norm_item(r) for r in missing]
    if extra:
        exp["absent"] = [_norm_item(r) for r in extra]
    if missing_standing:
        exp["standing"] = [_norm_item(r) for r in missing_standing]
    if expected["breaches"] != got["breaches"]:
        exp["breaches"] = [{k: v for k, v in _fields(r, BREACH_ROW_KEYS).items()
                            if k != "date" and not (v is None and k in ("norm_event", "deadline"))}
                           for r in _ordered(expected["breaches"])]
    if expected["effects"] != got["effects"]:
        exp["effects"] = [_fields(r, EFFECT_ROW_KEYS) for r in _ordered(expected["effects"])]
    if expected["members"] != got["members"]:
        exp["members"] = list(expected["members"])
    return exp


# ---- entry points -----------------------------------------------------------------------------------------------
def verify(treaty: CompiledTreaty, events: int = 1, outsiders: int = 1, treaty_path: str | None = None) -> Verifier:
    """Run every check; the returned Verifier holds counts (`failures`, `checked`) and the smallest counterexamples."""
    return Verifier(treaty, events, outsiders, treaty_path).verify()


def check_scenario(treaty: CompiledTreaty, scenario) -> list[str]:
    """The renaming, symmetry and conflict properties on one given scenario (to confirm a counterexample);
    differences the treaty declares asymmetric are not problems."""
    problems = []
    v = Verifier(treaty)
    v.space = Space(treaty, ())
    base = outcome(evaluate(treaty, scenario))
    for order in permutations(treaty.parties):
        mapping = {a: b for a, b in zip(treaty.parties, order) if a != b}
        if not mapping:
            continue
        expected = rename_result(base, mapping)
        prop = "symmetry" if fixed_by(scenario, mapping) else "renaming invariance"
        got = base if prop == "symmetry" else outcome(evaluate(treaty, rename_scenario(scenario, mapping)))
        if got != expected and not v.declared(prop, mapping, _changed_rows(expected, got)):
            problems.append(f"{prop}: {_show_mapping(mapping)}")
    if v.conflict_actions:
        before = v.failures["no conflicts"]
        v.check_conflicts((), evaluate(treaty, scenario))
        if v.failures["no conflicts"] > before:
            problems.append("no conflicts")
    return problems


def outsider_variants(treaty: CompiledTreaty) -> list[tuple[str, tuple]]:
    """What an outsider may be: each kind, with every combination of the treaty's qualities an actor may have
    (those only places have, and no actor, are left out: `island`)."""
    of_places = {q for p in treaty.places.values() for q in p.qualities}
    of_actors = {q for qs in treaty.actor_qualities.values() for q in qs}
    qualities = sorted(q for q in treaty.qualities if q in of_actors or q not in of_places)
    sets = [c for n in range(len(qualities) + 1) for c in combinations(qualities, n)]
    return [(k, q) for k in ACTOR_KINDS for q in sets]


def _classes(items, key) -> list[list]:
    """The items grouped by `key`, in first-seen order: the actors one renaming may exchange."""
    out: dict = {}
    for x in items:
        out.setdefault(key(x), []).append(x)
    return list(out.values())


def member_classes(treaty: CompiledTreaty) -> list[list]:
    """The members the treaty declares alike: the same qualities, the same declared history (`joined`,
    `left`), named (or not) among the ratifications entry into force needs; a member whose territory a declared
    place is stands alone (its places name it). Only members of one class can stand for one another."""
    joined, left = dict(treaty.joined), dict(treaty.left)
    eif = treaty.entry_into_force
    including = set(getattr(eif, "including", ()) or ())
    owners = {p.of for p in treaty.places.values() if p.of}
    return _classes(list(treaty.parties), lambda m: (tuple(sorted(treaty.actor_qualities.get(m, ()))),
                                                     joined.get(m), left.get(m), m in including,
                                                     m if m in owners else None))


def _traits(treaty: CompiledTreaty, member: str) -> str:
    """What sets a member's class apart: its qualities and its declared `joined`/`left` dates."""
    said = sorted(treaty.actor_qualities.get(member, ()))
    said += [f"{word} {date.isoformat()}" for word, dates in (("joined", treaty.joined), ("left", treaty.left))
             for who, date in dates if who == member]
    return ", ".join(said) or "no quality"


def places_refusal(treaty: CompiledTreaty) -> str | None:
    """Why verify cannot judge this treaty: None today. Places are generated (`_Places`), lists of values as
    every set of values from the classes no rule tells apart, and organs are actors events may name."""
    return None


MAX_EVENTS = 6  # the space grows about an order of magnitude per event: past these bounds it would not end
MAX_OUTSIDERS = 6


def _bad(message: str) -> int:
    print(escape(f"treaty verify: {message}"), file=sys.stderr)
    return 2


def _names_problem(option: str, given, known, what: str) -> str | None:
    """Why a list of names given to an option is wrong (an unknown name, with a "did you mean"), or None."""
    for name in given or ():
        if name not in known:
            hint = did_you_mean(name, known)
            return (f"{option}: {name!r} is not {what} of this treaty" + (f"; {hint}" if hint else "")
                    + f" (expected one of: {', '.join(sorted(known))})")
    return None


def _unit_worker(job) -> dict:
    """One part of a run, in a worker process: (treaty path, options, part) -> the part's findings."""
    path, options, unit = job
    key = _worker_key(path, options)
    shared = _worker_state.get(key)
    if shared is None:
        shared = _worker_state[key] = Verifier(treatylang.load_treaty(path), treaty_path=path, options=options)
    v = Verifier(shared.treaty, treaty_path=path, options=options).sharing(shared)
    return v.run_unit(unit).partial()


_worker_state: dict = {}  # a worker loads each treaty once, and keeps its caches, for all the parts it is given


def _worker_key(path: str, options) -> tuple:
    return path, repr(options)


def run_parts(v: Verifier, path: str, jobs: int, cluster: str | None, progress) -> None:
    """Every part of `v`'s run, in worker processes or on a cluster, merged in order into `v`."""
    from treatylang.verify.parallel import run_units

    if v.out_of_time():  # spent counting the space
        v.cut_short = True
        return
    units = v.units()
    sizes = v.unit_sizes(units)
    units = [u for _, u in sorted(zip(sizes, units), key=lambda pair: -pair[0])]  # the larger first (stable)
    total = len(units)
    prepared = _worker_key(path, v.options)
    _worker_state[prepared] = v  # workers forked from here start with its treaty and caches (parallel.py)
    try:
        results = run_units(_unit_worker, [(path, v.options, u) for u in units], jobs=jobs, cluster=cluster,
                            on_done=(lambda i, done, n: progress(done, n)) if progress else None)
    finally:
        _worker_state.pop(prepared, None)
    for part in results:
        v.absorb(part)
    if progress:
        progress(total, total)


SAMPLE_CHUNK = 100  # scenarios drawn by one run of hypothesis: the time budget is looked at between runs


def sample(v: Verifier, n: int, seed: int) -> Verifier:
    """Check `n` scenarios drawn by hypothesis (seeded: the same seed draws the same scenarios), each as a
    representative: with its renamed copies and symmetries. A drawn scenario is built as the enumeration
    builds one, event by event from the choices up to renaming, with dates where something can change.

    The draws are made in runs of SAMPLE_CHUNK, each seeded from `seed` and its place, so that a time budget
    can end the sample between two runs: hypothesis cannot be stopped within one (it takes an exception for a
    failing test, and an example that draws less than before for a flaw in the test)."""
    from hypothesis import HealthCheck, Phase, given, settings, seed as seeded, strategies as st

    combos = [tuple(c) for c in combinations_with_replacement(outsider_variants(v.treaty), v.n_outsiders)]
    empty = {}
    seen: set = set()

    def draw(data):
        variants = data.draw(st.sampled_from(combos))
        v.space = space = v.space_for(variants)
        if variants not in empty:
            empty[variants] = _membership(evaluate(v.treaty, space.scenario(())))
        membership, cells, seq = empty[variants], space.cells, ()
        for depth in range(data.draw(st.integers(1, v.max_events))):
            if depth:
                membership = _membership(evaluate(v.treaty, space.scenario(seq)))
            date = data.draw(st.sampled_from(v.dates_after(seq, membership)))
            choice, cells = space.draw_choice(cells, lambda options: data.draw(st.sampled_from(options)))
            seq += ((date, choice),)
        if v.cut_short or (variants, seq) in seen:
            return
        if v.out_of_time():  # the rest of this run is drawn (hypothesis needs it) but not checked
            v.cut_short = True
            return
        seen.add((variants, seq))
        v.check_representative(seq, cells)

    for k, first in enumerate(range(0, n, SAMPLE_CHUNK)):
        if v.cut_short:
            break
        run = settings(max_examples=min(SAMPLE_CHUNK, n - first), database=None, phases=[Phase.generate],
                       deadline=None, derandomize=False, suppress_health_check=list(HealthCheck))(given(st.data())(draw))
        seeded(seed * 1_000_003 + k)(run)()
    return v


def run_cli(args) -> int:
    if args.events < 1 or args.outsiders < 0:
        return _bad("--events must be at least 1 and --outsiders at least 0")
    if args.events > MAX_EVENTS or args.outsiders > MAX_OUTSIDERS:
        return _bad(f"at most {MAX_EVENTS} events and {MAX_OUTSIDERS} outsiders: the number of scenarios grows "
                    "with the actors to the power of the arguments of every event, so a larger space would not "
                    "finish; use --sample N to check random scenarios of a larger one")
    if args.sample is not None and args.sample < 1:
        return _bad("--sample must be at least 1")
    if args.renamings < 1:
        return _bad("--renamings must be at least 1")
    if args.time_budget is not None and args.time_budget <= 0:
        return _bad("--time-budget must be a positive number of seconds")
    from treatylang.verify.parallel import ParallelError, parse_jobs

    try:
        jobs = parse_jobs(args.jobs)
    except ParallelError as e:
        return _bad(f"--jobs: {e}")
    if args.sample is not None and (jobs > 1 or args.cluster):
        return _bad("--sample runs in one process: leave out --jobs and --cluster")
    treaty = treatylang.load_treaty(args.treaty)
    refusal = places_refusal(treaty)
    if refusal:
        return _bad(f"{args.treaty}: {refusal}")
    stated = [e.name for e in treaty.syntax.events if not e.is_fact]
    problem = (_names_problem("--only", args.only, stated, "an event type a scenario may state")
               or _names_problem("--parties", args.parties, list(treaty.parties), "a party"))
    if problem:
        return _bad(problem)
    options = Options(args.events, args.outsiders, only=tuple(args.only) if args.only else None,
                      parties=tuple(args.parties) if args.parties else None, renamings=args.renamings)
    v = Verifier(treaty, treaty_path=args.treaty, options=options)
    start = time.perf_counter()
    if args.time_budget is not None:  # the budget covers counting the space too
        options.deadline = time.time() + args.time_budget
    progress = None
    try:
        for line in _header(v, args):
            print(escape(line))
        sys.stdout.flush()
        progress = _progress_bar() if not args.no_progress and sys.stderr.isatty() else None
        if args.sample is not None:
            sample(v, args.sample, args.seed)
        elif jobs > 1 or args.cluster:
            run_parts(v, args.treaty, jobs, args.cluster, progress)
        else:
            v.verify(on_unit=progress)
    except ParallelError as e:
        return _bad(str(e))
    except TooLarge as e:
        return _bad(f"{args.treaty}: {e}; restrict the run with --only EVENT_TYPE ... or --parties PARTY ..., "
                    "or check random scenarios with --sample N")
    finally:
        if progress:
            progress.close()
    return v.report(sys.stdout, time.perf_counter() - start, sampled=(args.sample, args.seed) if args.sample else None)


def _header(v: Verifier, args) -> list[str]:
    """What the run covers, and the size of its space, before it starts."""
    treaty = v.treaty
    n = len(treaty.parties)
    kinds = "each kind, with and without each quality" if treaty.qualities else "each kind"
    others = {0: "no outsider", 1: f"1 outsider ({kinds} in turn)"}.get(
        args.outsiders, f"{args.outsiders} outsiders (every combination of {'kinds and qualities' if treaty.qualities else 'kinds'})")
    what = (f"{args.sample:,} scenarios drawn at random (seed {args.seed}) of up to {args.events} event"
            f"{'s' if args.events != 1 else ''}" if args.sample else
            f"every scenario of up to {args.events} event{'s' if args.events != 1 else ''}")
    lines = [f"treaty verify {args.treaty}: {n} member{'s' if n != 1 else ''}, {others}, {what}"]
    if args.only:
        lines.append(f"  only events of type {', '.join(args.only)}")
    if args.parties:
        lines.append(f"  only {', '.join(args.parties)} named in events; the other members are bystanders")
    classes = member_classes(treaty)
    if len(classes) > 1:
        shown = "; ".join(", ".join(c) + f" ({_traits(treaty, c[0])})" for c in classes)
        lines.append(f"  members are exchanged only with members the treaty declares alike (qualities, history, "
                     f"part in entry into force; the State of a declared place alone): {shown}")
    first, classes_of_first, whole = v.first_events(classes_too=args.sample is None)  # a sample lists none
    if classes_of_first is None:
        lines.append(f"  the first event alone: {first:,} scenarios")
        return lines
    at_least = "" if whole else "at least "
    lines.append(f"  the first event alone: {at_least}{first:,} scenarios, {at_least}{classes_of_first:,} to check (one per "
                 f"class up to renaming and of events no rule tells apart); a later event is tried after one that "
                 f"changes membership" + (" or that later events read back" if reads.links(treaty)[1] else "")
                 + ("" if whole else "; counting was cut short by the time budget"))
    return lines


class _progress_bar:
    """A progress bar on the terminal (tqdm, on standard error), fed (done, total) parts."""

    def __init__(self):
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="part", file=sys.stderr, leave=False, dynamic_ncols=True)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
