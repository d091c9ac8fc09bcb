"""The canonical scenarios of `treaty classify`, built from the treaty's own declarations.

Each scenario has the treaty in force (the ratifications its entry into force counts, when it counts some)
and, on one day when every member is one, a single event of a type the treaty declares, naming "the member
concerned" Y. Its arguments are filled with parts, not with names the engine knows:

- actors: Y; Z, another member; O, a State outside the treaty; G, an armed group (only as an event's author,
  its `by`); the treaty's declared actors and organs where its patterns name them, and its declared States
  that are not members as authors (a specific adversary is one of those);
- lists of actors: Y alone, Z alone, O alone, every member, and none where the list may be empty; one actor
  in two single roles of one event (a State attacking itself) is left out;
- places: Y's declared places, and new ones made for the scenario: a territory of Y inside each region the
  treaty declares (a place that is no State's) and inside none, with none or all of the qualities the treaty's
  places carry; for a place argument the event does not tie to Y, the regions themselves and new positions in
  them, no State's;
- enumerations: one value per class of values no rule tells apart (as `treaty verify` does).

Only events that name Y (directly, or through a place of Y) are kept, and once, for the first member
concerned, those that name no member at all (a decision against O). An argument every pattern of the
treaty fills with a constant is tried with those constants and one other actor.
"""

from __future__ import annotations

import datetime as dt
from itertools import product

import attrs

from treatylang.ir.places import PlaceId, make_world
from treatylang.lang import syntax as s
from treatylang.model import Event
from treatylang.testing import FALLBACK_START, GeneratedScenario, full_args, outsider_actors, outsiders_of
from treatylang.verify.properties import enum_representatives

from treatylang.classify.words import AUTHOR_ARGS

MAX_PER_TYPE = 2000  # assignments of one event type for one member concerned; beyond, the rest is not tried
CANON = "canonical"  # the id of the scenario's one canonical event


@attrs.frozen
class Place:
    """A place a canonical scenario may name: declared by the treaty, or made for the scenario."""

    id: str
    name: str
    of: str | None
    within: tuple = ()
    qualities: tuple = ()
    made: bool = False  # made for the scenario (not declared by the treaty)


@attrs.frozen
class Canonical:
    """One canonical scenario: its event (type, args), the member concerned and the roles it gave."""

    victim: str
    event: str
    args: tuple  # ((name, value), ...) in the declaration's order; places as Place ids, lists as tuples
    index: int  # its order among the member's scenarios (deterministic)
    concerned: bool = True  # it names the member concerned (False: it names no member, as a decision against O)


class World:
    """The parts the canonical scenarios are made of, for one treaty: members, outsiders, places, the date."""

    def __init__(self, treaty, members=None, as_of: dt.date | None = None):
        self.treaty = treaty
        self.members = tuple(members) if members is not None else tuple(treaty.parties)
        out = outsiders_of(treaty, ["state", "armed_group"])
        self.outsider, self.group = list(out)
        self.outsiders = out
        syntax = treaty.syntax
        member_set = set(self.members)
        # the treaty's declared States that are not members here: possible specific adversaries
        self.named = _named(treaty)
        # the treaty's declared States that are not members here and that some rule names: possible specific
        # adversaries (one no rule names is like any State outside the treaty)
        self.named_states = tuple(a.id for a in syntax.actors
                                  if a.kind == "state" and a.id not in member_set and a.id in self.named)
        self.regions = tuple(p for p in syntax.places if p.of is None)
        self.place_qualities = tuple(sorted({q for p in syntax.places for q in p.qualities}))
        self.places: dict[str, Place] = {p.id: Place(p.id, p.name, p.of, p.within, p.qualities) for p in syntax.places}
        self._made: dict[str, tuple] = {}
        self.entry_events = self._entry_events()
        self.date = None
        self._cache = None
        self.start = self._entry_date()
        joined = [d for _, d in treaty.joined]
        base = max([d for d in (self.start, *joined) if d is not None], default=None)
        self.date = as_of if as_of is not None else (base + dt.timedelta(days=1) if base is not None else None)
        self.constants, self.tested = _constants(treaty)

    # -- entry into force ----------------------------------------------------------------------------------
    def _entry_events(self) -> list:
        """The ratifications the treaty's entry into force counts, by every signatory, on the signature day."""
        entry = self.treaty.entry_into_force
        arg = getattr(entry, "actor_arg", None)
        if getattr(entry, "fixed", True) or arg is None:
            return []
        day = self.treaty.signed or FALLBACK_START
        decl = self.treaty.events[entry.event]
        return [(entry.event, day, {arg: p, **_required_enums(decl, arg)}) for p in self.treaty.signatories]

    def _entry_date(self) -> dt.date | None:
        from treatylang.engine.evaluate import evaluate

        return evaluate(self.treaty, self.scenario(())).entry_into_force

    # -- places -------------------------------------------------------------------------------------------
    def made_place(self, of: str | None, region, with_qualities: bool) -> Place:
        where = region.id if region is not None else "elsewhere"
        quals = self.place_qualities if with_qualities else ()
        ident = f"{of or 'position'}_in_{where}{'_with_qualities' if quals else ''}"
        owner = self.treaty.actor_names.get(of, of) if of else None
        name = (f"a territory of {owner}" if of else "a position no State's") + \
               (f" in {region.name}" if region is not None else " outside every region the treaty names") + \
               (f" ({', '.join(quals)})" if quals else "")
        place = Place(ident, name, of, (region.id,) if region is not None else (), quals, made=True)
        self.places.setdefault(ident, place)
        return self.places[ident]

    def places_of(self, member: str) -> list[Place]:
        """Y's declared places, then new territories of Y in each region and in none."""
        declared = [self.places[p.id] for p in self.treaty.syntax.places if p.of == member]
        return declared + self._fresh(member)

    def open_places(self) -> list[Place]:
        """Places no State's: the regions, and new positions in each and outside all."""
        return [self.places[r.id] for r in self.regions] + self._fresh(None)

    def _fresh(self, of) -> list[Place]:
        if of not in self._made:
            out = []
            for region in (*self.regions, None):
                for q in ((False, True) if self.place_qualities else (False,)):
                    out.append(self.made_place(of, region, q))
            self._made[of] = tuple(out)
        return list(self._made[of])

    # -- scenarios ------------------------------------------------------------------------------------------
    def other_member(self, victim: str) -> str | None:
        return next((m for m in self.members if m != victim), None)

    def canonical(self, victim: str, unconcerned: bool = False) -> list[Canonical]:
        """Every canonical event naming `victim`, event type by type, in a fixed order; with `unconcerned`,
        also those that name no member at all (a decision against a State outside the treaty)."""
        out: list[Canonical] = []
        entry_type = getattr(self.treaty.entry_into_force, "event", None)
        for decl in self.treaty.syntax.events:
            if decl.is_fact or decl.name == entry_type:
                continue
            pools = [self._pool(decl, p, victim) for p in decl.params]
            n = 0
            actor_slots = [i for i, p in enumerate(decl.params) if isinstance(p.type, s.ActorType) and not p.type.is_list]
            for values in product(*pools):
                concerned = self._names(values, victim)
                if not concerned and not (unconcerned and not any(self._names(values, m) for m in self.members)):
                    continue
                named = [values[i] for i in actor_slots if values[i] is not None]
                if len(set(named)) < len(named):  # one actor in two roles (attacking itself): left out
                    continue
                out.append(Canonical(victim, decl.name, tuple((p.name, v) for p, v in zip(decl.params, values)), len(out),
                                     concerned))
                n += 1
                if n >= MAX_PER_TYPE:
                    break
        return out

    def truncated(self, victim: str) -> list[str]:
        """The event types whose assignments for `victim` passed MAX_PER_TYPE (the rest not tried)."""
        counts: dict[str, int] = {}
        for c in self.canonical(victim):
            counts[c.event] = counts.get(c.event, 0) + 1
        return sorted(t for t, n in counts.items() if n >= MAX_PER_TYPE)

    def _names(self, values, victim) -> bool:
        for v in values:
            for x in (v if isinstance(v, tuple) else (v,)):
                if x == victim or (x in self.places and self.places[x].of == victim):
                    return True
        return False

    def _pool(self, decl, p, victim) -> list:
        t = p.type
        z = self.other_member(victim)
        if isinstance(t, s.EnumType):
            reps = enum_representatives(self.treaty, decl.name, p)
            if not t.is_list:
                return reps
            tested = (decl.name, p.name) in self.tested
            lists = [tuple(t.values)] if not tested else [(v,) for v in reps] + [tuple(t.values)]
            return list(dict.fromkeys(lists)) + ([()] if t.cardinality == "*" else [])
        if isinstance(t, s.PlaceType):
            places = [q.id for q in self.places_of(victim) + self.open_places()]
            if t.cardinality == "?":
                places.append(None)
            return [(q,) for q in places] + ([()] if t.cardinality == "*" else []) if t.is_list else places
        named = self.constants.get((decl.name, p.name))
        if p.name in AUTHOR_ARGS:
            actors = [self.outsider, z, victim, self.group, *self.named_states]
        else:
            actors = [victim, z, self.outsider]
        if named is not None:  # every pattern names a constant here: those, and one actor they do not name
            actors = [*named, next(a for a in actors if a not in named)]
        actors = [a for a in dict.fromkeys(actors) if a is not None]
        if t.is_list:
            lists = [(a,) for a in actors if a not in (self.group,)] + [tuple(self.members)]
            return list(dict.fromkeys(lists)) + ([()] if t.cardinality == "*" else [])
        return actors + ([None] if t.cardinality == "?" else [])

    def scenario(self, canon) -> GeneratedScenario:
        """The scenario of one canonical event (or, given `()`, of the entry into force alone)."""
        treaty = self.treaty
        made = tuple(p.id for p in self.places.values() if p.made)
        if self._cache is None or self._cache[0] != made:  # the parts every scenario shares, built once
            entry = [Event(f"r{i + 1}", t, d, full_args(treaty.events[t], a), i)
                     for i, (t, d, a) in enumerate(self.entry_events)]
            kinds = dict(treaty.actor_kinds)
            kinds.update(self.outsiders)
            world = make_world(treaty, kinds, {i: (self.places[i].name, self.places[i].of, self.places[i].within,
                                                   self.places[i].qualities) for i in made})
            self._cache = (made, entry, world, {i: self.places[i].name for i in made},
                           outsider_actors(self.outsiders))
        _, entry, world, names, actors = self._cache
        events = list(entry)
        if canon:
            args = {k: self._value(v) for k, v in canon.args}
            events.append(Event(CANON, canon.event, self.date, full_args(treaty.events[canon.event], args), len(events)))
        members = ((self.date, self.members),) if self.date is not None else ()
        return GeneratedScenario(f"treaty classify: {canon.event if canon else 'entry into force'}", "<classify>",
                                 tuple(events), actors, as_of=self.date, treaty=treaty, kinds=world, places=names,
                                 members=members)

    def _value(self, v):
        if isinstance(v, tuple):
            return tuple(self._value(x) for x in v)
        if isinstance(v, str) and v in self.places:
            return PlaceId(v, self.places[v].of)
        return v

    # -- words ----------------------------------------------------------------------------------------------
    def role(self, actor, victim: str) -> str:
        """How a derivation names an actor of a canonical scenario."""
        if actor is None:
            return "none"
        if isinstance(actor, tuple):
            if actor == tuple(self.members):
                return "every member"
            return "[" + ", ".join(self.role(a, victim) for a in actor) + "]" if actor else "[]"
        if actor in self.places:
            return self.places[actor].name
        if actor == self.outsider:
            return "a State outside the treaty"
        if actor == self.group:
            return "an armed group"
        return self.treaty.actor_names.get(actor, actor)

    def describe(self, canon: Canonical) -> str:
        parts = ", ".join(f"{k}: {self.role(v, canon.victim)}" for k, v in canon.args)
        return f"{canon.event}({parts})"


def _required_enums(decl, skip: str) -> dict:
    """A value for each enumeration the entry event requires and gives no default for (its first)."""
    return {p.name: p.type.values[0] for p in decl.params
            if p.name != skip and isinstance(p.type, s.EnumType) and not p.type.is_list and p.default is None}


def _named(treaty) -> frozenset:
    """Every name the treaty's rules write as a constant (`V is turkey`, `by: organ`, `asymmetric for`)."""
    out = set()

    def walk(node):
        if isinstance(node, s.Const):
            out.add(node.name)
        elif isinstance(node, s.ArgConst):
            out.update(node.values)
        elif isinstance(node, tuple):
            for x in node:
                walk(x)
        elif attrs.has(type(node)):
            for f in attrs.fields(type(node)):
                if f.name != "span":
                    walk(getattr(node, f.name))

    for rule in treaty.syntax.rules:
        walk(rule)
        if rule.asymmetric is not None:
            out.update(rule.asymmetric.parties)
    return frozenset(out)


def member_classes(world) -> list[tuple]:
    """The members no rule can tell apart (the same qualities, no declared place, named by no rule): each
    class is judged through its first member as the member concerned (its first two, when all the members
    are alike), the others standing as it does: renaming members changes nothing else (`treaty verify`)."""
    treaty = world.treaty
    owners = {p.of for p in treaty.syntax.places}
    groups: dict = {}
    for m in world.members:
        own = m in owners or m in world.named
        key = (tuple(sorted(treaty.actor_qualities.get(m, ()))), m if own else None)
        groups.setdefault(key, []).append(m)
    return [tuple(g) for g in groups.values()]


def _patterns(treaty):
    """Every pattern of the treaty's rules: triggers, earlier events, breaches, ends and discharges."""
    for rule in treaty.syntax.rules:
        if rule.trigger is not None:
            yield rule.trigger
        if rule.after is not None:
            yield rule.after.pattern
        if rule.breach is not None:
            yield rule.breach.pattern
        for clause in rule.lifetime:
            pattern = getattr(clause, "pattern", None)
            if isinstance(pattern, s.Pattern):
                yield pattern


def _constants(treaty) -> tuple[dict, set]:
    """((event, argument) -> the constants patterns name there, when every pattern on that event names one
    for it: no other actor can be told apart), and the (event, argument) pairs some pattern tests a value of."""
    seen: dict = {}
    free: set = set()
    for pattern in _patterns(treaty):
        decl = treaty.events.get(pattern.event)
        if decl is None:
            continue
        given = {a.name: a.value for a in pattern.args}
        for p in decl.params:
            v = given.get(p.name)
            if isinstance(v, s.ArgConst):
                seen.setdefault((decl.name, p.name), []).extend(v.values)
            else:
                free.add((decl.name, p.name))
    only = {k: tuple(dict.fromkeys(v)) for k, v in seen.items() if k not in free}
    return only, set(seen)
